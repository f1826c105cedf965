/*
 * The virtual timer's output line as pure functions (seed 003): when the
 * output is high, when it will rise, and what a sampled level means for
 * the vGIC. vtimer.c applies them to the hardware; the host unit tests
 * check them.
 */
#include "include/arch/vgic_model.h"

bool vtimer_output(uint64_t ctl, uint64_t cval, uint64_t virtual_count)
{
	return (ctl & VTIMER_CTL_ENABLE) && !(ctl & VTIMER_CTL_IMASK) && virtual_count >= cval;
}

uint64_t vtimer_deadline_of(uint64_t ctl, uint64_t cval, uint64_t cntvoff)
{
	if (!(ctl & VTIMER_CTL_ENABLE) || (ctl & VTIMER_CTL_IMASK))
		return UINT64_MAX;
	/* virtual = physical - cntvoff; a compare value so far ahead that the
	 * sum wraps is as good as never. */
	if (cval > UINT64_MAX - cntvoff)
		return UINT64_MAX;
	return cval + cntvoff;
}

enum vtimer_action vtimer_track(struct vtimer *t, bool output)
{
	if (output == t->level)
		return VTIMER_NONE;
	t->level = output;
	return output ? VTIMER_INJECT : VTIMER_RETRACT;
}

void vtimer_track_done(struct vtimer *t)
{
	t->level = false;
}
