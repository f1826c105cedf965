/*
 * tern's own timer: the EL2 physical timer (CNTHP_*_EL2, PPI 26), one per
 * CPU, armed for the earlier of the current time slice's end and an idle
 * deadline (idle.c decides both). Guests cannot reach it.
 *
 * Firing only has to interrupt: a guest that was running exits with an
 * IRQ, and the run loop then asks arm64_slice_expired(); an idle CPU
 * leaves WFI and its scheduler looks at the clock. The output is a level,
 * so the handler turns the timer off until it is armed again.
 */
#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <tern/compiler.h>
#include <tern/cpu.h>

#define CNTHP_CTL_ENABLE (1u << 0)

/* What each CPU's timer is armed for (UINT64_MAX: off), so that arming it
 * again for the same time (every guest entry with an emulated timer
 * running) costs no register writes. */
static uint64_t armed[NR_CPUS];

void hyp_timer_set(uint64_t slice_deadline, uint64_t idle_deadline)
{
	uint64_t when = MIN(slice_deadline, idle_deadline);
	uint64_t *now = &armed[this_cpu()->id];

	if (when == *now)
		return;
	*now = when;
	if (when == UINT64_MAX) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, when);
		write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	}
	isb();
}

bool hyp_timer_irq(uint32_t intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	armed[this_cpu()->id] = UINT64_MAX;
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
	return false;
}

void hyp_timer_cpu_init(void)
{
	armed[this_cpu()->id] = UINT64_MAX; /* nothing armed */
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}
