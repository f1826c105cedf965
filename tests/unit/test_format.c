/* tern_vsnprintf against the C library's snprintf for every feature used. */
#include <stdarg.h>
#include <stdint.h>
#include <tern/printk.h>
#include "test.h"

#define SAME(...)                                                                      \
	do {                                                                           \
		char ours[128], libc[128];                                             \
		int n1 = tern_snprintf(ours, sizeof(ours), __VA_ARGS__);               \
		int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);                    \
		CHECK_STR(ours, libc);                                                 \
		CHECK_EQ(n1, n2);                                                      \
	} while (0)

TEST(format_integers)
{
	SAME("%d %i %u", 0, -1, 42u);
	SAME("%d", INT32_MIN);
	SAME("%lld %llu", (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
	SAME("%ld %lu %lx", -5L, 7UL, 0xdeadbeefUL);
	SAME("%zu %zx %td %jd", (size_t)123, (size_t)0xabc, (ptrdiff_t)-9, (intmax_t)-77);
	SAME("%hhu %hd %hhx", 300, 70000, 0x1ff);
	SAME("%x %X %o", 0xabcdu, 0xabcdu, 0755u);
}

TEST(format_flags_width_precision)
{
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%08x] [%#x] [%#X] [%#o] [%#x]", 0xbeefu, 0xbeefu, 0xbeefu, 8u, 0u);
	SAME("[%.3d] [%8.3d] [%-8.3d] [%.0d] [%5.0d]", 7, 7, 7, 0, 0);
	SAME("[%05d] [%+05d]", -42, 42);
	SAME("[%*d] [%-*d] [%.*d] [%*d]", 6, 1, 6, 2, 4, 3, -6, 4);
	SAME("[%#10lx] [%#010lx] [%-#10lx]", 0x1234UL, 0x1234UL, 0x1234UL);
	SAME("[%#.8llx]", 0x1ULL);
}

TEST(format_strings_chars)
{
	SAME("[%s] [%10s] [%-10s] [%.3s] [%10.2s]", "tern", "tern", "tern", "tern", "tern");
	SAME("[%c] [%3c] [%-3c] %%", 'x', 'y', 'z');
	SAME("[%.*s]", 2, "hypervisor");
}

TEST(format_pointer_is_fixed_width)
{
	char buf[64];

	tern_snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	CHECK_STR(buf, "0x0000000000001234");
}

TEST(format_truncation)
{
	char buf[8];
	int n = tern_snprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345);

	CHECK_EQ(n, 12);
	CHECK_STR(buf, "abcdef-");
	n = tern_snprintf(buf, 1, "xyz");
	CHECK_EQ(n, 3);
	CHECK_EQ(buf[0], 0);
	n = tern_snprintf(NULL, 0, "%d", 100);
	CHECK_EQ(n, 3);
}

/* Formats the compiler would reject as literals, passed through a variable. */
static int fmt_var(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = tern_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

TEST(format_odd_input)
{
	char buf[32];
	const char *null_str = NULL;

	fmt_var(buf, sizeof(buf), "%s", null_str);
	CHECK_STR(buf, "(null)");
	fmt_var(buf, sizeof(buf), "100%");
	CHECK_STR(buf, "100");
	fmt_var(buf, sizeof(buf), "%q");
	CHECK_STR(buf, "%q");
	/* '-' wins over '0', as in C. */
	fmt_var(buf, sizeof(buf), "[%-05d]", -42);
	CHECK_STR(buf, "[-42  ]");
}
