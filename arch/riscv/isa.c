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
