/* Names of tern's internal error codes, for messages. */
#include <tern/compiler.h>
#include <tern/errno.h>

static const char *const error_names[] = {
	[E_OK] = "success",
	[E_NOMEM] = "out of memory",
	[E_INVAL] = "invalid argument",
	[E_EXIST] = "already exists",
	[E_NOENT] = "not found",
	[E_RANGE] = "out of range",
	[E_NOTSUP] = "not supported",
	[E_BUSY] = "busy",
	[E_FAULT] = "bad address",
	[E_IO] = "device or firmware error",
};

const char *tern_strerror(int err)
{
	unsigned int e = (unsigned int)(err < 0 ? -err : err);

	if (e < ARRAY_SIZE(error_names) && error_names[e])
		return error_names[e];
	return "unknown error";
}
