/*
 * SBI DBCN (debug console) and the legacy v0.1 calls: bytes to and from
 * the console, legacy hart masks read from guest virtual memory.
 */
#include <arch/guest.h>
#include "sbi_test.h"

enum { DBCN_WRITE, DBCN_READ, DBCN_WRITE_BYTE };

TEST(sbi_dbcn_write)
{
	static const char msg[] = "hello, world\n";
	struct fw_call c;

	vm_setup(1, false);
	memcpy(vm_ram + 0x100, msg, sizeof(msg) - 1);
	/* RV64: base_addr_lo is the whole address, base_addr_hi 0. */
	c = SBI(0, SBI_EXT_DBCN, DBCN_WRITE, sizeof(msg) - 1, RAM_IPA + 0x100, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), sizeof(msg) - 1);
	CHECK_EQ(c.next, VCPU_NEXT_RUN);
	CHECK_EQ(dbl.console_len, sizeof(msg) - 1);
	CHECK(memcmp(dbl.console, msg, sizeof(msg) - 1) == 0);
	/* Written as the guest's UART output is: under the console lock. */
	CHECK(!dbl.console_unlocked_write);
	CHECK_EQ(dbl.console_depth, 0);

	/* Nothing to write, at the start or the very end of RAM. */
	c = SBI(0, SBI_EXT_DBCN, DBCN_WRITE, 0, RAM_IPA, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_DBCN, DBCN_WRITE, 0, RAM_IPA + RAM_SIZE, 0)), SBI_SUCCESS);
	/* The last byte of RAM. */
	vm_ram[RAM_SIZE - 1] = '!';
	c = SBI(0, SBI_EXT_DBCN, DBCN_WRITE, 1, RAM_IPA + RAM_SIZE - 1, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 1);
	CHECK_EQ(dbl.console_len, sizeof(msg));
	CHECK_EQ(dbl.console[dbl.console_len - 1], '!');
	CHECK_EQ(dbl.ninput_calls, 0);
}

TEST(sbi_dbcn_write_at_most_256_bytes_a_call)
{
	uint64_t off = 0;
	unsigned int calls = 0;
	struct fw_call c;

	vm_setup(1, false);
	for (unsigned int i = 0; i < 1000; i++)
		vm_ram[0x1000 + i] = (uint8_t)('a' + i % 26);
	c = SBI(0, SBI_EXT_DBCN, DBCN_WRITE, 1000, RAM_IPA + 0x1000, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 256);
	CHECK_EQ(dbl.console_len, 256);
	CHECK(memcmp(dbl.console, vm_ram + 0x1000, 256) == 0);
	CHECK(dbl.console_max_write <= 256);

	/* The guest writes the rest with further calls, as the spec has it. */
	vm_setup(1, false);
	for (unsigned int i = 0; i < 1000; i++)
		vm_ram[0x1000 + i] = (uint8_t)('a' + i % 26);
	while (off < 1000 && calls < 100) {
		c = SBI(0, SBI_EXT_DBCN, DBCN_WRITE, 1000 - off, RAM_IPA + 0x1000 + off, 0);
		CHECK_EQ(ERR(c), SBI_SUCCESS);
		CHECK(VAL(c) > 0 && VAL(c) <= 256);
		off += VAL(c);
		calls++;
	}
	CHECK_EQ(off, 1000);
	CHECK_EQ(calls, 4);
	CHECK_EQ(dbl.console_len, 1000);
	CHECK(memcmp(dbl.console, vm_ram + 0x1000, 1000) == 0);

	/* All of RAM at once: still 256. */
	vm_setup(1, false);
	c = SBI(0, SBI_EXT_DBCN, DBCN_WRITE, RAM_SIZE, RAM_IPA, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 256);
	CHECK_EQ(dbl.console_len, 256);
}

TEST(sbi_dbcn_buffers_outside_ram)
{
	static const struct {
		uint64_t len, lo, hi;
	} bad[] = {
		{ 1, 0, 0 },
		{ 2, RAM_IPA - 1, 0 },                /* starts below RAM */
		{ 5, RAM_IPA + RAM_SIZE - 4, 0 },     /* ends past it */
		{ 1, RAM_IPA + RAM_SIZE, 0 },
		{ RAM_SIZE + 1, RAM_IPA, 0 },
		{ ~0ull, RAM_IPA, 0 },
		{ 16, ~0ull - 7, 0 },                 /* wraps */
		/* base_addr_hi set: above 2^64 (or 2^32: outside RAM either way). */
		{ 1, RAM_IPA, 1 },
		{ 1, RAM_IPA, ~0ull },
		/* RV64: base_addr_lo is the whole address, not its low 32 bits
		 * (these once reached the RAM at their low halves). */
		{ 8, 0xffffffff00000000ull | RAM_IPA, 0 },
		{ 8, 0x1234567800000000ull | RAM_IPA, 0 },
	};

	vm_setup(1, false);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fw_call c = SBI(0, SBI_EXT_DBCN, DBCN_WRITE, bad[i].len, bad[i].lo, bad[i].hi);

		CHECK_EQ(ERR(c), SBI_ERR_INVALID_PARAM);
		CHECK_EQ(VAL(c), 0);
		c = SBI(0, SBI_EXT_DBCN, DBCN_READ, bad[i].len, bad[i].lo, bad[i].hi);
		CHECK_EQ(ERR(c), SBI_ERR_INVALID_PARAM);
		CHECK_EQ(VAL(c), 0);
	}
	/* Nothing written, and no typed input taken (it would be lost). */
	CHECK(doubles_untouched());
}

TEST(sbi_dbcn_read)
{
	uint8_t got[300];
	size_t n = 0;
	unsigned int calls = 0;
	struct fw_call c;

	vm_setup(1, false);
	memset(vm_ram + 0x200, 0xee, 16);
	/* Nothing typed: 0 bytes, RAM untouched. */
	c = SBI(0, SBI_EXT_DBCN, DBCN_READ, 10, RAM_IPA + 0x200, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(vm_ram[0x200], 0xee);

	doubles_type("abc", 3);
	c = SBI(0, SBI_EXT_DBCN, DBCN_READ, 10, RAM_IPA + 0x200, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 3);
	CHECK(memcmp(vm_ram + 0x200, "abc", 3) == 0);
	CHECK_EQ(vm_ram[0x203], 0xee);
	c = SBI(0, SBI_EXT_DBCN, DBCN_READ, 10, RAM_IPA + 0x200, 0);
	CHECK_EQ(VAL(c), 0);

	/* Never more taken from the UART than the guest has room for. */
	doubles_type("xyz", 3);
	c = SBI(0, SBI_EXT_DBCN, DBCN_READ, 2, RAM_IPA + 0x200, 0);
	CHECK_EQ(VAL(c), 2);
	CHECK(memcmp(vm_ram + 0x200, "xyc", 3) == 0);
	c = SBI(0, SBI_EXT_DBCN, DBCN_READ, 0, RAM_IPA + 0x200, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	c = SBI(0, SBI_EXT_DBCN, DBCN_READ, 1, RAM_IPA + 0x200, 0);
	CHECK_EQ(VAL(c), 1);
	CHECK_EQ(vm_ram[0x200], 'z');

	/* Much typed, a large buffer: read in as many calls as it takes. */
	for (unsigned int i = 0; i < sizeof(got); i++) {
		char ch = (char)('A' + i % 26);

		doubles_type(&ch, 1);
	}
	while (n < sizeof(got) && calls < 100) {
		c = SBI(0, SBI_EXT_DBCN, DBCN_READ, 1000, RAM_IPA + 0x1000, 0);
		CHECK_EQ(ERR(c), SBI_SUCCESS);
		CHECK(VAL(c) > 0 && VAL(c) <= sizeof(got) - n);
		if (VAL(c) == 0 || VAL(c) > sizeof(got) - n)
			break;
		memcpy(got + n, vm_ram + 0x1000, VAL(c));
		n += VAL(c);
		calls++;
	}
	CHECK_EQ(n, sizeof(got));
	for (unsigned int i = 0; i < n; i++)
		CHECK_EQ(got[i], 'A' + i % 26);
	for (unsigned int i = 0; i < dbl.ninput_calls; i++)
		CHECK(dbl.input_asked[i] <= 1000);
	CHECK_EQ(dbl.console_len, 0);
}

TEST(sbi_dbcn_write_byte_and_unknown_functions)
{
	struct fw_call c;

	vm_setup(1, false);
	c = SBI(0, SBI_EXT_DBCN, DBCN_WRITE_BYTE, 'x');
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	/* The low 8 bits of a0. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_DBCN, DBCN_WRITE_BYTE, 0x141)), SBI_SUCCESS);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_DBCN, DBCN_WRITE_BYTE, 0xffffffffffffff00ull)), SBI_SUCCESS);
	CHECK_EQ(dbl.console_len, 3);
	CHECK(memcmp(dbl.console, "xA\0", 3) == 0);
	CHECK(!dbl.console_unlocked_write);

	vm_setup(1, false);
	memcpy(vm_ram, "abc", 3);
	for (uint64_t fid = 3; fid < 10; fid++) {
		c = SBI(0, SBI_EXT_DBCN, fid, 3, RAM_IPA, 0);
		CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(VAL(c), 0);
	}
	CHECK(doubles_untouched());
}

/* ---- legacy v0.1 ---------------------------------------------------------------- */

enum {
	LEGACY_SET_TIMER, LEGACY_PUTCHAR, LEGACY_GETCHAR, LEGACY_CLEAR_IPI, LEGACY_SEND_IPI,
	LEGACY_FENCE_I, LEGACY_SFENCE_VMA, LEGACY_SFENCE_VMA_ASID, LEGACY_SHUTDOWN,
};

/* A legacy call: the extension is the function, a6 is not looked at. */
#define LEGACY(hart, eid, ...) SBI((hart), (eid), 0x5a5a, __VA_ARGS__)

TEST(sbi_legacy_timer_and_console)
{
	vm_setup(2, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	CHECK_EQ(ERR(LEGACY(1, LEGACY_SET_TIMER, 0xabcdef)), 0);
	CHECK_EQ(dbl.ntimers, 1);
	CHECK(dbl.timers[0].v == hart(1));
	CHECK_EQ(dbl.timers[0].deadline, 0xabcdef);

	CHECK_EQ(ERR(LEGACY(0, LEGACY_PUTCHAR, 'h')), 0);
	CHECK_EQ(ERR(LEGACY(1, LEGACY_PUTCHAR, 0x169)), 0); /* 'i', the low byte */
	CHECK_EQ(dbl.console_len, 2);
	CHECK(memcmp(dbl.console, "hi", 2) == 0);
	CHECK(!dbl.console_unlocked_write);

	/* getchar: the byte (0xff is a byte, not the -1 of "nothing"). */
	doubles_type("q\xff", 2);
	CHECK_EQ(ERR(LEGACY(0, LEGACY_GETCHAR, 0)), 'q');
	CHECK_EQ(ERR(LEGACY(0, LEGACY_GETCHAR, 0)), 0xff);
	CHECK_EQ(ERR(LEGACY(0, LEGACY_GETCHAR, 0)), -1);
	for (unsigned int i = 0; i < dbl.ninput_calls; i++)
		CHECK_EQ(dbl.input_asked[i], 1);
}

TEST(sbi_legacy_ipis)
{
	vm_setup(3, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	/* clear_ipi: the caller's own software interrupt. */
	CHECK_EQ(ERR(LEGACY(1, LEGACY_CLEAR_IPI, 0)), 0);
	CHECK_EQ(dbl.nlowered, 1);
	CHECK(dbl.lowered[0].v == hart(1));
	CHECK_EQ(dbl.lowered[0].bits, HVIP_VSSIP);

	/* send_ipi: the mask is read from the guest's virtual memory, as its
	 * S-mode would read it. */
	doubles_map_va(0x7000, 0x6);
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SEND_IPI, 0x7000)), 0);
	CHECK_EQ(dbl.nva_reads, 1);
	CHECK_EQ(dbl.va_reads[0].va, 0x7000);
	CHECK(dbl.va_reads[0].supervisor);
	CHECK_EQ(dbl.nraised, 2);
	CHECK(dbl.raised[0].v == hart(1) && dbl.raised[1].v == hart(2));
	CHECK_EQ(dbl.raised[0].bits, HVIP_VSSIP);
	CHECK_EQ(dbl.raised[1].bits, HVIP_VSSIP);

	/* NULL: every hart (as OpenSBI and KVM read it), nothing read. */
	dbl.nraised = dbl.nva_reads = 0;
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SEND_IPI, 0)), 0);
	CHECK_EQ(dbl.nraised, 3);
	CHECK_EQ(dbl.nva_reads, 0);

	/* A pointer the guest cannot read; a mask naming no hart of the VM. */
	dbl.nraised = 0;
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SEND_IPI, 0x8000)), SBI_ERR_INVALID_ADDRESS);
	doubles_map_va(0x7008, 0x9);
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SEND_IPI, 0x7008)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbl.nraised, 0);
	CHECK_EQ(dbl.nkicked + dbl.nfences, 0);
}

TEST(sbi_legacy_remote_fences)
{
	vm_setup(3, false);
	doubles_map_va(0x7000, 0x5);
	CHECK_EQ(ERR(LEGACY(1, LEGACY_FENCE_I, 0x7000)), 0);
	CHECK_EQ(dbl.nfences, 2);
	CHECK(dbl.fences[0].target == hart(0) && dbl.fences[1].target == hart(2));
	CHECK(dbl.fences[0].req.fence_i && !dbl.fences[0].req.vma_pending &&
	      !dbl.fences[0].req.vma_all);
	CHECK_EQ(dbl.nwaits, 1);
	CHECK(dbl.waits[0].self == hart(1));
	CHECK_EQ(dbl.waits[0].seq[0], dbl.fences[0].seq);
	CHECK_EQ(dbl.waits[0].seq[1], 0);
	CHECK_EQ(dbl.waits[0].seq[2], dbl.fences[1].seq);

	/* remote_sfence_vma(mask, start, size). */
	dbl.nfences = dbl.nwaits = 0;
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SFENCE_VMA, 0x7000, 0x40002010, 0x10)), 0);
	CHECK_EQ(dbl.nfences, 2);
	CHECK(!dbl.fences[0].req.fence_i && dbl.fences[0].req.vma_pending);
	CHECK(!dbl.fences[0].req.vma_has_asid);
	CHECK_EQ(dbl.fences[0].req.vma_start, 0x40002000);
	CHECK_EQ(dbl.fences[0].req.vma_size, 0x20);
	CHECK_EQ(dbl.nwaits, 1);
	/* remote_sfence_vma_asid(mask, start, size, asid), every hart. */
	dbl.nfences = dbl.nwaits = 0;
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SFENCE_VMA_ASID, 0, 0x1000, 0x1000, 9)), 0);
	CHECK_EQ(dbl.nfences, 3);
	CHECK(dbl.fences[2].req.vma_pending && dbl.fences[2].req.vma_has_asid);
	CHECK_EQ(dbl.fences[2].req.vma_asid, 9);
	CHECK_EQ(dbl.fences[2].req.vma_start, 0x1000);
	CHECK_EQ(dbl.fences[2].req.vma_size, 0x1000);
	/* ... and the whole address space, start = size = 0. */
	dbl.nfences = dbl.nwaits = 0;
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SFENCE_VMA, 0, 0, 0)), 0);
	CHECK_EQ(dbl.nfences, 3);
	CHECK(dbl.fences[0].req.vma_all);

	/* A bad pointer or mask: no fence asked, no wait. */
	dbl.nfences = dbl.nwaits = 0;
	doubles_map_va(0x7010, 0x8);
	CHECK_EQ(ERR(LEGACY(0, LEGACY_FENCE_I, 0x9000)), SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SFENCE_VMA, 0x9000, 0, 0)), SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(ERR(LEGACY(0, LEGACY_SFENCE_VMA_ASID, 0x7010, 0, 0, 1)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbl.nfences, 0);
	CHECK_EQ(dbl.nwaits, 0);
}

TEST(sbi_legacy_shutdown_and_unknown)
{
	struct fw_call c;

	vm_setup(2, false);
	for (uint64_t eid = 0x09; eid <= 0x0f; eid++) {
		c = LEGACY(0, eid, 0);
		CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(c.next, VCPU_NEXT_RUN);
	}
	CHECK(doubles_untouched());
	c = LEGACY(0, LEGACY_SHUTDOWN, 0);
	CHECK_EQ(ERR(c), 0);
	CHECK_EQ(c.next, VCPU_NEXT_VM_STOP);
	CHECK_EQ(atomic_load(&vm.stop), VM_STOP_OFF);
	CHECK(atomic_load(&hart(1)->kick));
}
