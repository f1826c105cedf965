/*
 * DBCN (debug console, SBI v2.0): bytes written from guest memory appear
 * on the console (the e2e test looks for the marker lines DBCN-WRITE-OK and
 * DBCN-BYTE-OK), reads with no input pending return 0 bytes, and memory
 * outside RAM is refused. The guest runs with satp = 0: the physical
 * addresses the calls take are the buffers' own.
 *
 * OpenSBI 1.1 (SBI 1.0) has no DBCN: natively these checks are skipped, so
 * they hold the specification's values.
 */
#include <string.h>

#include "sbi_test.h"

static const char write_marker[] = "DBCN-WRITE-OK\n";
static const char byte_marker[] = "DBCN-BYTE-OK\n";

static struct sbiret dbcn(unsigned long fid, unsigned long num, uint64_t addr)
{
	/* RV64: the address fits base_addr_lo; base_addr_hi is 0. */
	return sbi_ecall(SBI_EXT_DBCN, fid, num, addr, 0, 0, 0, 0);
}

/*
 * Invalid memory for DBCN: v2.0's DBCN tables say INVALID_PARAM ("does not
 * satisfy the requirements described in the shared memory physical address
 * range"); the later text of that section says INVALID_ADDRESS for
 * addresses that are not accessible. Both are the specification's.
 */
static bool bad_memory_code(long e)
{
	return e == SBI_ERR_INVALID_PARAM || e == SBI_ERR_INVALID_ADDRESS;
}

static void check_write(void)
{
	size_t len = strlen(write_marker), done = 0;
	unsigned int calls = 0;
	struct sbiret r = { 0, 0 };

	/* Non-blocking: it may write part of it; the rest goes again. */
	while (done < len && calls++ < 1000) {
		r = dbcn(SBI_DBCN_WRITE, len - done, (uintptr_t)(write_marker + done));
		if (r.error != SBI_SUCCESS || r.value < 0 || (size_t)r.value > len - done)
			break;
		done += (size_t)r.value;
	}
	report(r.error == SBI_SUCCESS && done == len,
	       "console_write(\"DBCN-WRITE-OK\\n\") = %ld: %zu of %zu bytes in %u call(s)",
	       r.error, done, len, calls);

	r = dbcn(SBI_DBCN_WRITE, 0, (uintptr_t)write_marker);
	report(r.error == SBI_SUCCESS && r.value == 0, "console_write(0 bytes) = %ld/%ld (expected 0/0)",
	       r.error, r.value);
}

/*
 * A write far larger than a console line: the call may take part of it
 * (the specification's non-blocking write) and the guest loops. The first
 * call's count is printed for the e2e test, which holds tern to its bound
 * on the work one call may do.
 */
static void check_write_bulk(void)
{
	static char bulk[4096];
	size_t done = 0, first = 0;
	unsigned int calls = 0;
	struct sbiret r = { 0, 0 };

	for (size_t i = 0; i < sizeof(bulk); i++)
		bulk[i] = i % 64 == 63 ? '\n' : i % 64 < 10 ? "DBCN-BULK "[i % 64] : '.';
	while (done < sizeof(bulk) && calls++ < 10000) {
		r = dbcn(SBI_DBCN_WRITE, sizeof(bulk) - done, (uintptr_t)(bulk + done));
		if (r.error != SBI_SUCCESS || r.value <= 0 || (size_t)r.value > sizeof(bulk) - done)
			break;
		if (!done)
			first = (size_t)r.value;
		done += (size_t)r.value;
	}
	report(r.error == SBI_SUCCESS && done == sizeof(bulk),
	       "console_write(%zu bytes) = %ld: %zu bytes in %u call(s), the first call wrote %zu bytes",
	       sizeof(bulk), r.error, done, calls, first);
}

static void check_write_byte(void)
{
	bool ok = true;
	struct sbiret r = { 0, 0 };

	for (const char *p = byte_marker; *p && ok; p++) {
		r = sbi_call1(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (unsigned char)*p);
		ok = r.error == SBI_SUCCESS && r.value == 0;
	}
	report(ok, "console_write_byte() of \"DBCN-BYTE-OK\\n\": each %ld/%ld (expected 0/0)",
	       r.error, r.value);
}

static void check_read(void)
{
	static char buf[16];
	struct sbiret r;

	r = dbcn(SBI_DBCN_READ, 0, (uintptr_t)buf);
	report(r.error == SBI_SUCCESS && r.value == 0, "console_read(0 bytes) = %ld/%ld (expected 0/0)",
	       r.error, r.value);
	/* No input is given: 0 bytes, but any count up to the size is right. */
	r = dbcn(SBI_DBCN_READ, sizeof(buf), (uintptr_t)buf);
	report(r.error == SBI_SUCCESS && r.value >= 0 && (size_t)r.value <= sizeof(buf),
	       "console_read(%zu bytes) = %ld/%ld (expected SUCCESS, 0..%zu)", sizeof(buf), r.error,
	       r.value, sizeof(buf));
}

static void check_bad_memory(void)
{
	uint64_t base, end;
	struct sbiret r;

	if (!ram_range((uintptr_t)write_marker, &base, &end)) {
		report_skip("console_write outside RAM: the guest is not in a /memory range");
		return;
	}
	if (ram_range(end, NULL, NULL)) {
		report_skip("console_write outside RAM: RAM continues at 0x%llx",
			    (unsigned long long)end);
		return;
	}
	r = dbcn(SBI_DBCN_WRITE, 8, end);
	report(bad_memory_code(r.error),
	       "console_write(8 bytes at 0x%llx, past RAM) = %ld (expected INVALID_PARAM or INVALID_ADDRESS)",
	       (unsigned long long)end, r.error);
	/* In RAM at first, then past its end: the whole range counts. */
	r = dbcn(SBI_DBCN_WRITE, 8, end - 4);
	report(bad_memory_code(r.error),
	       "console_write(8 bytes at 0x%llx, across RAM's end) = %ld (expected INVALID_PARAM or INVALID_ADDRESS)",
	       (unsigned long long)(end - 4), r.error);
	r = dbcn(SBI_DBCN_READ, 8, end);
	report(bad_memory_code(r.error),
	       "console_read(8 bytes into 0x%llx, past RAM) = %ld (expected INVALID_PARAM or INVALID_ADDRESS)",
	       (unsigned long long)end, r.error);
}

void check_dbcn(void)
{
	struct sbiret r;

	report_prefix_push("dbcn");
	if (!spec_at_least(2, 0) || !sbi_probe(SBI_EXT_DBCN)) {
		report_skip("no DBCN: SBI v%lu.%lu, probe_extension(DBCN) = 0", env.spec_major,
			    env.spec_minor);
		report_prefix_pop();
		return;
	}
	check_write();
	check_write_bulk();
	check_write_byte();
	check_read();
	check_bad_memory();
	r = sbi_call0(SBI_EXT_DBCN, 3);
	report(r.error == SBI_ERR_NOT_SUPPORTED, "DBCN function 3 = %ld (expected NOT_SUPPORTED)",
	       r.error);
	report_prefix_pop();
}
