/*
 * The legacy (v0.1) extensions, EIDs 0x01-0x07 (0x00, set_timer, is in
 * time.c; 0x08, shutdown, would end the test). Each is checked only if
 * probe_extension() says it exists. They return one value, in a0, and take
 * hart masks as a pointer to memory: a virtual address, the physical one
 * here (satp = 0).
 */
#include "sbi_test.h"

#define TIMEOUT_MS 2000

static const char putchar_marker[] = "LEGACY-PUTCHAR-OK\n";

/* A legacy call whose ecall address is reported back, for the faults the
 * firmware takes on the caller's behalf. */
static long legacy_at(unsigned long ext, unsigned long a0, uintptr_t *ecall_pc)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r7 __asm__("a7") = ext;
	uintptr_t pc;

	__asm__ volatile("lla %1, 1f\n"
			 "1:\tecall"
			 : "+r"(r0), "=&r"(pc)
			 : "r"(r7)
			 : "memory", "a1");
	*ecall_pc = pc;
	return (long)r0;
}

static bool have(unsigned long ext, const char *name)
{
	if (sbi_probe(ext))
		return true;
	report_skip("%s: probe_extension(0x%02lx) = 0", name, ext);
	return false;
}

static bool ssip(void)
{
	return csr_read(sip) & SIP_SSIP;
}

static void check_console(void)
{
	long r = 0;
	bool ok = true;

	if (have(SBI_LEGACY_PUTCHAR, "console_putchar")) {
		for (const char *p = putchar_marker; *p && ok; p++) {
			r = sbi_legacy(SBI_LEGACY_PUTCHAR, (unsigned char)*p, 0, 0, 0);
			ok = r == 0;
		}
		report(ok, "console_putchar() of \"LEGACY-PUTCHAR-OK\\n\": each %ld (expected 0)", r);
	}
	/* No input is given: -1. */
	if (have(SBI_LEGACY_GETCHAR, "console_getchar")) {
		r = sbi_legacy(SBI_LEGACY_GETCHAR, 0, 0, 0, 0);
		report(r == -1, "console_getchar() = %ld (expected -1: no input)", r);
	}
}

static void check_ipi_self(void)
{
	static unsigned long mask;
	long r;

	if (!have(SBI_LEGACY_SEND_IPI, "send_ipi") || !have(SBI_LEGACY_CLEAR_IPI, "clear_ipi"))
		return;
	if (env.self >= 64) {
		report_skip("send_ipi: hart %lu is past the first mask word", env.self);
		return;
	}
	csr_clear(sip, SIP_SSIP);
	r = sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0, 0);
	report(r == 0, "clear_ipi() with none pending = %ld (expected 0)", r);
	mask = 1ul << env.self;
	r = sbi_legacy(SBI_LEGACY_SEND_IPI, (uintptr_t)&mask, 0, 0, 0);
	report(r == 0, "send_ipi(&0x%lx: self) = %ld (expected 0)", mask, r);
	report(spin_until(ssip(), TIMEOUT_MS), "sip.SSIP set on self");
	/* 0, or an implementation-specific positive value: one was pending. */
	r = sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0, 0);
	report(r >= 0 && !ssip(), "clear_ipi() = %ld (expected >= 0) clears sip.SSIP (sip 0x%lx)",
	       r, csr_read(sip));
}

static void check_ipi_other(void)
{
	static unsigned long mask;
	unsigned long other = env.other;
	unsigned int n = irq_load(&irqs.ssi[other]);
	long r;

	if (!sbi_probe(SBI_LEGACY_SEND_IPI))
		return;
	mask = 1ul << other;
	r = sbi_legacy(SBI_LEGACY_SEND_IPI, (uintptr_t)&mask, 0, 0, 0);
	report(r == 0, "send_ipi(&0x%lx: hart %lu) = %ld (expected 0)", mask, other, r);
	report(wait_until(irq_load(&irqs.ssi[other]) == n + 1, TIMEOUT_MS),
	       "hart %lu took the IPI (%u)", other, irq_load(&irqs.ssi[other]) - n);
	report(!ssip(), "the boot hart got none");
}

/* A NULL mask pointer names every hart (OpenSBI: every started one). */
static void check_ipi_all(void)
{
	unsigned long other = env.other;
	unsigned int n = irq_load(&irqs.ssi[other]);
	long r;

	if (!sbi_probe(SBI_LEGACY_SEND_IPI) || !sbi_probe(SBI_LEGACY_CLEAR_IPI))
		return;
	csr_clear(sip, SIP_SSIP);
	r = sbi_legacy(SBI_LEGACY_SEND_IPI, 0, 0, 0, 0);
	report(r == 0, "send_ipi(NULL: every hart) = %ld (expected 0)", r);
	report(spin_until(ssip(), TIMEOUT_MS), "send_ipi(NULL): sip.SSIP set on self");
	report(wait_until(irq_load(&irqs.ssi[other]) == n + 1, TIMEOUT_MS),
	       "send_ipi(NULL): hart %lu took the IPI (%u)", other, irq_load(&irqs.ssi[other]) - n);
	sbi_legacy(SBI_LEGACY_CLEAR_IPI, 0, 0, 0, 0);
	csr_clear(sip, SIP_SSIP);
}

/*
 * A mask in RAM the guest has never touched: it reads as 0 (no harts), as
 * any access to it would. A hypervisor that populates guest memory on
 * first touch must do so for its own reads too.
 */
static void check_mask_untouched(void)
{
	uint64_t base, end, at;
	long r;

	if (!sbi_probe(SBI_LEGACY_SEND_IPI))
		return;
	if (!ram_range((uintptr_t)putchar_marker, &base, &end)) {
		report_skip("send_ipi with a mask in untouched RAM: RAM's range not known");
		return;
	}
	/* Halfway between the image (at RAM's start) and the DTB (its end). */
	at = (base + (end - base) / 2) & ~0xfffull;
	csr_clear(sip, SIP_SSIP);
	r = sbi_legacy(SBI_LEGACY_SEND_IPI, at, 0, 0, 0);
	report(r == 0 && !ssip(),
	       "send_ipi(mask at 0x%llx, RAM not touched yet) = %ld (expected 0, no IPI; sip 0x%lx)",
	       (unsigned long long)at, r, csr_read(sip));
}

static void check_fences(void)
{
	static unsigned long mask;
	static const struct {
		unsigned long ext;
		const char *name;
		unsigned long start, size, asid;
	} fences[] = {
		{ SBI_LEGACY_FENCE_I, "remote_fence_i", 0, 0, 0 },
		{ SBI_LEGACY_SFENCE_VMA, "remote_sfence_vma(all)", 0, 0, 0 },
		{ SBI_LEGACY_SFENCE_VMA, "remote_sfence_vma(size -1)", 0, ~0ul, 0 },
		{ SBI_LEGACY_SFENCE_VMA, "remote_sfence_vma(range)", 0x80200000, 0x3000, 0 },
		{ SBI_LEGACY_SFENCE_VMA_ASID, "remote_sfence_vma_asid(all, asid 1)", 0, 0, 1 },
		{ SBI_LEGACY_SFENCE_VMA_ASID, "remote_sfence_vma_asid(range, asid 1)", 0x80200000,
		  0x1000, 1 },
	};
	long r;

	mask = 1ul << env.self;
	if (env.other_cpu >= 0 && env.other < 64)
		mask |= 1ul << env.other;
	for (unsigned int i = 0; i < ARRAY_SIZE(fences); i++) {
		if (!have(fences[i].ext, fences[i].name))
			continue;
		r = sbi_legacy(fences[i].ext, (uintptr_t)&mask, fences[i].start, fences[i].size,
			       fences[i].asid);
		report(r == 0, "%s(&0x%lx) = %ld (expected 0)", fences[i].name, mask, r);
	}
}

/*
 * A hart mask the firmware cannot read. The specification (legacy chapter)
 * and OpenSBI: the access fault the firmware takes is the caller's,
 * "redirected back to the supervisor with sepc pointing to the faulting
 * ECALL instruction" (a load access fault, scause 5). tern's guest ABI
 * (docs/guest-abi/sbi.md) instead returns INVALID_ADDRESS without a trap.
 * Either is accepted, and said which.
 */
static void check_mask_fault(void)
{
	struct exception_record rec;
	uint64_t base, end;
	uintptr_t pc;
	long r;

	if (!sbi_probe(SBI_LEGACY_SEND_IPI))
		return;
	if (!ram_range((uintptr_t)putchar_marker, &base, &end) || ram_range(end, NULL, NULL)) {
		report_skip("send_ipi with a mask past RAM: RAM's end not known");
		return;
	}
	expect_exception();
	r = legacy_at(SBI_LEGACY_SEND_IPI, end, &pc);
	rec = exception_result();
	if (rec.seen)
		report(rec.cause == 5 && rec.pc == pc,
		       "send_ipi(mask at 0x%llx, past RAM): load access fault redirected (scause %lu, expected 5) at the ecall (0x%lx, expected 0x%lx)",
		       (unsigned long long)end, rec.cause, (unsigned long)rec.pc, (unsigned long)pc);
	else
		report(r == SBI_ERR_INVALID_ADDRESS,
		       "send_ipi(mask at 0x%llx, past RAM) = %ld without a fault (expected INVALID_ADDRESS, or a redirected fault)",
		       (unsigned long long)end, r);
	csr_clear(sip, SIP_SSIP);
}

/* 0x09-0x0f are reserved in the legacy range. */
static void check_reserved(void)
{
	static const unsigned long eids[] = { 0x09, 0x0f };

	for (unsigned int i = 0; i < ARRAY_SIZE(eids); i++) {
		long r = sbi_call0(eids[i], 0).error;

		report(r == SBI_ERR_NOT_SUPPORTED, "call to reserved EID 0x%02lx = %ld (expected NOT_SUPPORTED)",
		       eids[i], r);
	}
}

void check_legacy(void)
{
	bool receiver;

	report_prefix_push("legacy");
	check_console();
	check_ipi_self();
	receiver = env.other_cpu >= 0 && env.other < 64 && ipi_receiver_start();
	if (receiver) {
		check_ipi_other();
		check_ipi_all();
		ipi_receiver_spin(true);
	}
	check_fences();
	if (receiver)
		ipi_receiver_stop();
	check_mask_untouched();
	check_mask_fault();
	check_reserved();
	report_prefix_pop();
}
