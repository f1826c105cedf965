/*
 * The EL1 physical timer (CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0 and
 * its PPI, INTID 30), as the Arm ARM (D11, "The Generic Timer") describes
 * it: registers that read back what was written, TVAL as the signed
 * distance to CVAL, ISTATUS once the physical count reaches CVAL (whatever
 * IMASK says), the interrupt while ENABLE is set, IMASK clear and the
 * condition met, gone once IMASK is set. Natively on QEMU's own timer
 * first, the reference, then under tern, which emulates it.
 */
#include "guest.h"

#define CTL_ENABLE 1ul
#define CTL_IMASK 2ul
#define CTL_ISTATUS 4ul
#define PPI_PTIMER 30u
#define DELTA_MS 20
#define TIMEOUT_MS 2000

#define PPI_SELF 23u /* a PPI nothing else raises (QEMU virt's PMU, unused here) */

static volatile unsigned int irqs_taken, irqs_other, irqs_self;
static volatile uint64_t irq_count_at;

static uint64_t count(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static uint64_t ms_ticks(unsigned int ms)
{
	return timer_freq() * ms / 1000;
}

static void irq(void)
{
	uint32_t intid = gic_ack();

	if (intid == PPI_SELF) {
		irqs_self++;
	} else if (intid == PPI_PTIMER) {
		irq_count_at = count();
		/* Masked, so it is no longer pending when the handler ends. */
		write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
		isb();
		irqs_taken++;
	} else {
		irqs_other++;
	}
	if (intid < 1020)
		gic_eoi(intid);
}

static void check_registers(void)
{
	uint64_t before, after, cval, tval;

	write_sysreg(cntp_ctl_el0, 0);
	isb();
	report((read_sysreg(cntp_ctl_el0) & (CTL_ENABLE | CTL_IMASK)) == 0,
	       "CNTP_CTL_EL0 written 0 reads ENABLE = IMASK = 0 (0x%lx)",
	       (unsigned long)read_sysreg(cntp_ctl_el0));
	write_sysreg(cntp_ctl_el0, CTL_IMASK);
	isb();
	report((read_sysreg(cntp_ctl_el0) & (CTL_ENABLE | CTL_IMASK)) == CTL_IMASK,
	       "CNTP_CTL_EL0 written IMASK reads it back (0x%lx)",
	       (unsigned long)read_sysreg(cntp_ctl_el0));
	write_sysreg(cntp_cval_el0, 0x123456789abcdefull);
	isb();
	cval = read_sysreg(cntp_cval_el0);
	report(cval == 0x123456789abcdefull, "CNTP_CVAL_EL0 reads back 0x%llx",
	       (unsigned long long)cval);

	/* TVAL writes CVAL = count + signed TVAL. */
	before = count();
	write_sysreg(cntp_tval_el0, ms_ticks(1000));
	isb();
	after = count();
	cval = read_sysreg(cntp_cval_el0);
	report(cval >= before + ms_ticks(1000) && cval <= after + ms_ticks(1000),
	       "CNTP_TVAL_EL0 = 1 s sets CVAL to count + 1 s (%llu in [%llu, %llu])",
	       (unsigned long long)cval, (unsigned long long)(before + ms_ticks(1000)),
	       (unsigned long long)(after + ms_ticks(1000)));
	tval = read_sysreg(cntp_tval_el0);
	report(tval <= ms_ticks(1000) && tval > ms_ticks(500),
	       "CNTP_TVAL_EL0 reads the ticks left (%llu of %llu)", (unsigned long long)tval,
	       (unsigned long long)ms_ticks(1000));
	write_sysreg(cntp_tval_el0, (uint32_t)-(int32_t)ms_ticks(10));
	isb();
	after = count();
	cval = read_sysreg(cntp_cval_el0);
	report((int64_t)(after - cval) >= (int64_t)ms_ticks(10) &&
		       (int64_t)(after - cval) < (int64_t)ms_ticks(100),
	       "a negative CNTP_TVAL_EL0 puts CVAL in the past (%llu, count %llu)",
	       (unsigned long long)cval, (unsigned long long)after);
	tval = read_sysreg(cntp_tval_el0) & 0xffffffffu;
	report(tval & 0x80000000u, "CNTP_TVAL_EL0 then reads negative (0x%llx)",
	       (unsigned long long)tval);
}

/* ISTATUS by polling, the interrupt masked (IMASK). */
static void check_status(void)
{
	uint64_t cval = count() + ms_ticks(DELTA_MS), seen = 0;
	bool early, set;

	write_sysreg(cntp_cval_el0, cval);
	write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
	isb();
	early = read_sysreg(cntp_ctl_el0) & CTL_ISTATUS;
	report(!early || count() >= cval, "ISTATUS clear before CVAL");
	set = wait_until((read_sysreg(cntp_ctl_el0) & CTL_ISTATUS) && (seen = count()), TIMEOUT_MS);
	report(set && seen >= cval, "ISTATUS set once the count reaches CVAL (%llu >= %llu)",
	       (unsigned long long)seen, (unsigned long long)cval);
	write_sysreg(cntp_cval_el0, count() + ms_ticks(10000));
	isb();
	report(!(read_sysreg(cntp_ctl_el0) & CTL_ISTATUS), "ISTATUS clear again after CVAL moves on");
	write_sysreg(cntp_ctl_el0, 0);
	isb();
}

/* PPI 30, taken through the GIC. */
static void check_interrupt(void)
{
	unsigned int before;
	uint64_t cval;
	bool taken;

	if (!gic_find() || !gic_cpu_enable(1u << PPI_PTIMER)) {
		report(false, "a GIC for this CPU in the DT");
		return;
	}
	set_irq_handler(irq);
	before = irqs_taken;
	cval = count() + ms_ticks(DELTA_MS);
	write_sysreg(cntp_cval_el0, cval);
	write_sysreg(cntp_ctl_el0, CTL_ENABLE);
	isb();
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	taken = wait_until(irqs_taken != before, TIMEOUT_MS);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	report(taken, "PPI 30 taken (%u)", irqs_taken - before);
	report(taken && irq_count_at >= cval, "not before CVAL (%llu >= %llu)",
	       (unsigned long long)irq_count_at, (unsigned long long)cval);
	report(irqs_taken == before + 1 && irqs_other == 0, "once, and nothing else (%u, %u others)",
	       irqs_taken - before, irqs_other);

	/* Condition met but IMASK set: nothing until it is cleared. */
	before = irqs_taken;
	write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
	write_sysreg(cntp_cval_el0, 0);
	isb();
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	taken = wait_until(irqs_taken != before, 50);
	report(!taken, "masked by IMASK: not taken");
	write_sysreg(cntp_ctl_el0, CTL_ENABLE);
	isb();
	taken = wait_until(irqs_taken != before, TIMEOUT_MS);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	report(taken, "taken once IMASK is cleared");

	/* Disabled: ENABLE clear keeps it quiet though CVAL passed. */
	before = irqs_taken;
	write_sysreg(cntp_ctl_el0, 0);
	isb();
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	taken = wait_until(irqs_taken != before, 50);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	report(!taken, "ENABLE clear: not taken");
	set_irq_handler(NULL);
}

/* WFI with the timer as the only thing to wake for. */
static void check_wfi(void)
{
	unsigned int before = irqs_taken;
	uint64_t cval = count() + ms_ticks(DELTA_MS);

	set_irq_handler(irq);
	write_sysreg(cntp_cval_el0, cval);
	write_sysreg(cntp_ctl_el0, CTL_ENABLE);
	isb();
	while (irqs_taken == before && count() < cval + ms_ticks(TIMEOUT_MS)) {
		__asm__ volatile("wfi" ::: "memory");
		__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
	}
	report(irqs_taken == before + 1 && irq_count_at >= cval,
	       "WFI wakes for it (%u taken at %llu, CVAL %llu)", irqs_taken - before,
	       (unsigned long long)irq_count_at, (unsigned long long)cval);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
	set_irq_handler(NULL);
}

/*
 * Not the timer's, but the GIC's, which this guest drives anyway: a PPI
 * the CPU makes pending itself, through the GIC's registers, is taken at
 * once with interrupts unmasked (GIC v3 12.9.x GICR_ISPENDR0, v2 4.3.7
 * GICD_ISPENDRn). A spin of plain instructions (no trap) bounds "at once":
 * a hypervisor that answers the store without looking at its virtual
 * interrupts again would leave it pending until something else exits.
 */
static void check_self_pending(void)
{
	unsigned int spins = 0;

	if (!gic_find() || !gic_cpu_enable((1u << PPI_PTIMER) | (1u << PPI_SELF))) {
		report(false, "a GIC for this CPU in the DT");
		return;
	}
	set_irq_handler(irq);
	irqs_self = 0;
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	gic_set_pending(PPI_SELF);
	while (!irqs_self && spins < 100000)
		spins++;
	__asm__ volatile("msr daifset, #2" ::: "memory");
	report(irqs_self == 1 && spins < 100,
	       "a PPI made pending by its own ISPENDR0 write is taken at once (%u, after %u spins)",
	       irqs_self, spins);
	set_irq_handler(NULL);
}

int main(int argc, char **argv)
{
	report_prefix_push("ptimer");
	check_registers();
	check_status();
	check_interrupt();
	check_wfi();
	report_prefix_pop();
	report_prefix_push("gic");
	check_self_pending();
	report_prefix_pop();
	return 0;
}
