/*
 * The "riscv,isa" device-tree string: "rv64" followed by single-letter
 * extensions, optionally with version numbers ("rv64i2p1m2p0..."), then
 * multi-letter extensions, normally separated by '_'
 * ("rv64imafdch_zicsr_zifencei_sstc"). Pure C, unit-tested on the host.
 */
#include <tern/types.h>
#include "include/arch/isa.h"

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The text after "rvNN", or NULL if isa does not start like that. */
static const char *after_prefix(const char *isa, unsigned int *xlen)
{
	unsigned int n = 0;

	if (!isa || lower(isa[0]) != 'r' || lower(isa[1]) != 'v')
		return NULL;
	isa += 2;
	if (!is_digit(*isa))
		return NULL;
	while (is_digit(*isa))
		n = n * 10 + (unsigned int)(*isa++ - '0');
	if (n != 32 && n != 64 && n != 128)
		return NULL;
	*xlen = n;
	return isa;
}

unsigned int riscv_isa_xlen(const char *isa)
{
	unsigned int xlen = 0;

	return after_prefix(isa, &xlen) ? xlen : 0;
}

bool riscv_isa_has(const char *isa, char ext)
{
	unsigned int xlen;
	const char *s = after_prefix(isa, &xlen);

	ext = lower(ext);
	if (!s)
		return false;
	while (*s && *s != '_') {
		char c = lower(*s++);

		/* Multi-letter extensions start with z, s or x; some strings
		 * omit the '_' before the first one. */
		if (c == 'z' || c == 's' || c == 'x')
			break;
		if (c == ext)
			return true;
		if (c == 'g' && (ext == 'i' || ext == 'm' || ext == 'a' || ext == 'f' || ext == 'd'))
			return true;
		/* A version number: digits, optionally "p" and more digits. */
		while (is_digit(*s))
			s++;
		if (lower(*s) == 'p' && is_digit(s[1])) {
			s++;
			while (is_digit(*s))
				s++;
		}
	}
	return false;
}

/* The multi-letter extensions a guest may be told about: their state is
 * the guest's own registers (or none), so nothing needs switching. */
static const char *const guest_multi[] = {
	"zicsr", "zifencei", "zihintpause", "zba", "zbb", "zbc", "zbs", "zicntr",
};

static bool token_is(const char *tok, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i < len && name[i]; i++)
		if (lower(tok[i]) != name[i])
			return false;
	return i == len && !name[i];
}

static bool append(char *out, size_t size, size_t *pos, const char *s, size_t len)
{
	if (*pos + len + 1 > size)
		return false;
	for (size_t i = 0; i < len; i++)
		out[(*pos)++] = lower(s[i]);
	out[*pos] = 0;
	return true;
}

int riscv_isa_guest(const char *host, bool sstc, char *out, size_t size)
{
	static const char single[] = "imafdc";
	unsigned int xlen;
	const char *s = after_prefix(host, &xlen);
	size_t pos = 0;

	if (!s || size < 8)
		return -1;
	append(out, size, &pos, "rv64", 4);
	for (const char *c = single; *c; c++)
		if (riscv_isa_has(host, *c) && !append(out, size, &pos, c, 1))
			return -1;
	/* The multi-letter part: from the first z/s/x or '_' on. */
	while (*s && *s != '_' && lower(*s) != 'z' && lower(*s) != 's' && lower(*s) != 'x')
		s++;
	while (*s) {
		const char *tok;
		size_t len;
		bool keep = false;

		while (*s == '_')
			s++;
		tok = s;
		while (*s && *s != '_')
			s++;
		len = (size_t)(s - tok);
		if (!len)
			continue;
		for (size_t i = 0; i < sizeof(guest_multi) / sizeof(guest_multi[0]); i++)
			keep |= token_is(tok, len, guest_multi[i]);
		if (sstc && token_is(tok, len, "sstc"))
			keep = true;
		if (keep && (!append(out, size, &pos, "_", 1) || !append(out, size, &pos, tok, len)))
			return -1;
	}
	return (int)pos;
}

bool riscv_isa_has_ext(const char *isa, const char *name)
{
	unsigned int xlen;
	const char *s = after_prefix(isa, &xlen);

	if (!s)
		return false;
	while (*s && *s != '_' && lower(*s) != 'z' && lower(*s) != 's' && lower(*s) != 'x')
		s++;
	while (*s) {
		const char *tok;

		while (*s == '_')
			s++;
		tok = s;
		while (*s && *s != '_')
			s++;
		if (s > tok && token_is(tok, (size_t)(s - tok), name))
			return true;
	}
	return false;
}
