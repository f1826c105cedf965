/*
 * kvm-unit-tests style results: one "PASS:"/"FAIL:"/"XFAIL:"/"SKIP:" line
 * per check and a final "SUMMARY: N tests, M failures" (then the skipped
 * and known-failure counts) that tests/e2e/run.py judges.
 */
#include <string.h>
#include <tern/printk.h>

#include "guest.h"
#include "lib.h"

/* Counters may be bumped from any CPU. */
static unsigned int tests, failures, skipped, xfailed;

/* "a: b: " for nested prefixes; lens[] remembers where each one began. */
static char prefix[128];
static size_t prefix_lens[8];
static int prefix_depth;

void report_prefix_push(const char *p)
{
	size_t used = strlen(prefix);

	if (prefix_depth == (int)ARRAY_SIZE(prefix_lens))
		return;
	prefix_lens[prefix_depth++] = used;
	tern_snprintf(prefix + used, sizeof(prefix) - used, "%s: ", p);
}

void report_prefix_pop(void)
{
	if (prefix_depth > 0)
		prefix[prefix_lens[--prefix_depth]] = '\0';
}

static void vreport_line(const char *tag, const char *fmt, va_list ap)
{
	char text[384];

	tern_vsnprintf(text, sizeof(text), fmt, ap);
	printf("%s: %s%s\n", tag, prefix, text);
}

void report(bool pass, const char *fmt, ...)
{
	va_list ap;

	__atomic_fetch_add(&tests, 1, __ATOMIC_RELAXED);
	if (!pass)
		__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	vreport_line(pass ? "PASS" : "FAIL", fmt, ap);
	va_end(ap);
}

void report_xfail(bool known, bool pass, const char *fmt, ...)
{
	bool xfail = known && !pass;
	va_list ap;

	__atomic_fetch_add(&tests, 1, __ATOMIC_RELAXED);
	if (xfail)
		__atomic_fetch_add(&xfailed, 1, __ATOMIC_RELAXED);
	else if (!pass)
		__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	vreport_line(xfail ? "XFAIL" : pass ? "PASS" : "FAIL", fmt, ap);
	va_end(ap);
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	__atomic_fetch_add(&skipped, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	vreport_line("SKIP", fmt, ap);
	va_end(ap);
}

void report_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport_line("INFO", fmt, ap);
	va_end(ap);
}

noreturn void exit_test(void)
{
	unsigned int t = __atomic_load_n(&tests, __ATOMIC_RELAXED);
	unsigned int f = __atomic_load_n(&failures, __ATOMIC_RELAXED);
	unsigned int s = __atomic_load_n(&skipped, __ATOMIC_RELAXED);
	unsigned int x = __atomic_load_n(&xfailed, __ATOMIC_RELAXED);
	char extra[64] = "";

	if (s)
		tern_snprintf(extra, sizeof(extra), ", %u skipped", s);
	if (x)
		tern_snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
			      ", %u known failures", x);
	printf("SUMMARY: %u tests, %u failures%s\n", t, f, extra);
	arch_power_off(f == 0);
}

noreturn void abort_test(const char *fmt, ...)
{
	va_list ap;

	__atomic_fetch_add(&tests, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	vreport_line("FAIL", fmt, ap);
	va_end(ap);
	exit_test();
}
