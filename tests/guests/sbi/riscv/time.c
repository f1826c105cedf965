/*
 * TIME (and the legacy set_timer, EID 0x00): a deadline raises the
 * supervisor timer interrupt (sip.STIP, scause = interrupt 5) once time has
 * reached it and not before; a deadline at UINT64_MAX clears it again.
 * Works the same whether OpenSBI drives STIP itself (mtimecmp, -cpu
 * rv64,sstc=off) or through the Sstc stimecmp.
 */
#include "sbi_test.h"

/* 20 ms: long enough that STIP can be seen still clear right after the
 * call, short enough to keep the test quick. */
#define DELTA_MS 20
#define TIMEOUT_MS 2000

static bool stip(void)
{
	return csr_read(sip) & SIP_STIP;
}

static long set_timer(bool legacy, uint64_t deadline)
{
	if (legacy)
		return sbi_legacy(SBI_LEGACY_SET_TIMER, deadline, 0, 0, 0);
	return sbi_call1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline).error;
}

/*
 * A timer interrupt that is pending while sip.STIP reads 0: QEMU 7.2 reads
 * a VS-mode guest's sip through hideleg & vsip_writable_mask, which holds
 * VSSIP alone (target/riscv/csr.c, rmw_vsip64; later QEMU masks with the
 * VS interrupts instead), so under a hypervisor a pending VSTIP reads as
 * clear. Proved, not assumed: enabling the interrupt takes it at once.
 * A check that fails for that reason is a known failure (XFAIL).
 */
static bool stip_pending_unseen(void)
{
	unsigned int before = irq_load(&irqs.sti[env.self]);
	bool taken;

	if (stip() || env.self >= MAX_HARTS)
		return false;
	csr_set(sie, SIP_STIP);
	local_irq_enable();
	taken = spin_until(irq_load(&irqs.sti[env.self]) != before, 10);
	local_irq_disable();
	csr_clear(sie, SIP_STIP);
	return taken;
}

/* With the interrupt masked (sie.STIE clear): the pending bit alone. */
static void check_pending(bool legacy)
{
	uint64_t deadline = timer_now() + timer_freq() * DELTA_MS / 1000;
	uint64_t seen = 0;
	bool early, fired, unseen;
	long r;

	csr_clear(sie, SIP_STIP);
	r = set_timer(legacy, deadline);
	early = stip();
	report(r == SBI_SUCCESS, "set_timer(now + %d ms) = %ld (expected SUCCESS)", DELTA_MS, r);
	report(!early || timer_now() >= deadline, "sip.STIP clear before the deadline");
	fired = spin_until(stip() && (seen = timer_now()), TIMEOUT_MS);
	unseen = !fired && stip_pending_unseen();
	report_xfail(unseen, fired, "sip.STIP set after the deadline%s",
		     unseen ? " (pending, but QEMU 7.2 hides VSTIP from VS-mode sip)" : "");
	report_xfail(unseen, fired && seen >= deadline, "STIP seen at time %llu >= deadline %llu",
		     (unsigned long long)seen, (unsigned long long)deadline);

	r = set_timer(legacy, UINT64_MAX);
	report(r == SBI_SUCCESS && !stip(), "set_timer(UINT64_MAX) = %ld clears sip.STIP (sip 0x%lx)",
	       r, csr_read(sip));

	/* A deadline already passed is pending at once. */
	r = set_timer(legacy, 0);
	fired = spin_until(stip(), TIMEOUT_MS);
	unseen = !fired && stip_pending_unseen();
	report_xfail(unseen, r == SBI_SUCCESS && fired,
		     "set_timer(0) = %ld: sip.STIP set (deadline passed)%s", r,
		     unseen ? " (pending, but QEMU 7.2 hides VSTIP from VS-mode sip)" : "");
	r = set_timer(legacy, UINT64_MAX);
	report(r == SBI_SUCCESS && !stip(), "set_timer(UINT64_MAX) = %ld clears it again", r);
}

/* With the interrupt enabled: taken through stvec, scause = interrupt 5. */
static void check_interrupt(bool legacy)
{
	unsigned long self = env.self;
	unsigned int before = irq_load(&irqs.sti[self]);
	uint64_t deadline = timer_now() + timer_freq() * DELTA_MS / 1000;
	bool taken;
	long r;

	r = set_timer(legacy, deadline);
	csr_set(sie, SIP_STIP);
	local_irq_enable();
	taken = spin_until(irq_load(&irqs.sti[self]) != before, TIMEOUT_MS);
	local_irq_disable();
	csr_clear(sie, SIP_STIP);
	report(r == SBI_SUCCESS && taken, "set_timer(now + %d ms) = %ld: interrupt taken", DELTA_MS,
	       r);
	report(taken && irqs.last_cause == (SCAUSE_INTERRUPT | IRQ_STI),
	       "scause 0x%lx (expected 0x%lx)", irqs.last_cause, SCAUSE_INTERRUPT | IRQ_STI);
	report(taken && irqs.sti_time >= deadline, "taken at time %llu >= deadline %llu",
	       (unsigned long long)irqs.sti_time, (unsigned long long)deadline);
	report(irq_load(&irqs.sti[self]) == before + 1, "taken once (%u)",
	       irq_load(&irqs.sti[self]) - before);
	r = set_timer(legacy, UINT64_MAX);
	report(r == SBI_SUCCESS && !stip(), "set_timer(UINT64_MAX) = %ld: sip.STIP clear", r);
}

void check_time(void)
{
	bool counted = env.self < MAX_HARTS;

	report_prefix_push("time");
	check_pending(false);
	if (counted)
		check_interrupt(false);
	else
		report_skip("timer interrupt: hart id %lu is past the counters", env.self);
	report_prefix_pop();

	report_prefix_push("legacy set_timer");
	if (sbi_probe(SBI_LEGACY_SET_TIMER)) {
		check_pending(true);
		if (counted)
			check_interrupt(true);
	} else {
		report_skip("probe_extension(0x00) = 0: no legacy set_timer");
	}
	report_prefix_pop();
}
