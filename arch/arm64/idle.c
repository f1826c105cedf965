/*
 * Time and waiting for the scheduler: the counter, the per-CPU time slice,
 * idling until an interrupt or a deadline, and kicking another CPU.
 * tern's own timer is the EL2 physical timer (CNTHP, hyp_timer.c), one per
 * CPU, serving both the slice and the idle deadline.
 */
#include <arch/guest.h>
#include <arch/sysreg.h>
#include <arch/vgic.h>
#include <tern/arch.h>
#include <tern/cpu.h>

/* When this CPU's current slice ends (counter ticks), UINT64_MAX: none. */
static uint64_t slice_end[NR_CPUS];

uint64_t arch_counter(void)
{
	/* Not read ahead of the code that asked for it. */
	isb();
	return read_sysreg(cntpct_el0);
}

void arch_set_slice_timer(uint64_t us)
{
	uint64_t end = UINT64_MAX;

	if (us) {
		uint64_t freq = arch_timer_freq();

		end = arch_counter() + us * (freq / 1000000) + us * (freq % 1000000) / 1000000;
	}
	slice_end[this_cpu()->id] = end;
	hyp_timer_set(end, UINT64_MAX);
}

void arm64_guest_timer(uint64_t deadline)
{
	hyp_timer_set(slice_end[this_cpu()->id], deadline);
}

bool arm64_slice_expired(void)
{
	uint64_t end = slice_end[this_cpu()->id];

	return end != UINT64_MAX && arch_counter() >= end;
}

/*
 * WFI with interrupts still masked at EL2: a pending physical interrupt
 * wakes the CPU whatever PSTATE.I says, and taking it here (rather than
 * through the EL2 IRQ vector) means no interrupt can ever land in the
 * middle of tern's own code.
 */
void arch_idle(uint64_t deadline)
{
	slice_end[this_cpu()->id] = UINT64_MAX;
	hyp_timer_set(UINT64_MAX, deadline);
	dsb(sy);
	__asm__ volatile("wfi" : : : "memory");
	gic_handle_irqs();
}

void arch_kick_cpu(struct pcpu *target)
{
	gic_send_sgi(target, GIC_SGI_KICK);
}
