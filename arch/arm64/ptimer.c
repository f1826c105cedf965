/*
 * The guest's EL1 physical timer (CNTP_CTL_EL0, CNTP_CVAL_EL0,
 * CNTP_TVAL_EL0 and its PPI 30), emulated as the architecture describes it:
 * CNTHCTL_EL2.EL1PCEN = 0 traps the registers (sysreg_trap.c), tern keeps
 * them per vCPU and compares against the physical count the guest reads
 * directly (CNTPCT_EL0, EL1PCTEN). The hardware's own EL1 physical timer is
 * never the guest's, so one guest cannot arm it for another.
 *
 * Seed 003: the output is a level, and virtual PPI 30 follows it; tern
 * looks when the guest writes a register and before each entry while the
 * timer is enabled. tern's own timer (CNTHP) is armed for the compare value
 * too while the vCPU runs, so the rise is seen on time, and a blocked vCPU
 * wakes at it (arch_vcpu_timer_deadline).
 */
#include <arch/guest.h>
#include <arch/vgic.h>
#include <arch/vgic_model.h>
#include <tern/arch.h>
#include <tern/vm.h>

#define GIC_PPI_PTIMER 30 /* the DT's "non-secure physical" timer PPI 14 */
#define CTL_RW (VTIMER_CTL_ENABLE | VTIMER_CTL_IMASK)

/* Raise or lower PPI 30 to the output's level, and have tern's own timer
 * fire at the compare value while the output is still low. */
static void update(struct vcpu *v)
{
	struct ptimer *t = &v->arch.ptimer;
	bool level = vtimer_output(t->ctl, t->cval, arch_counter());

	if (level != t->level) {
		t->level = level;
		vgic_set_level(v->vm, v, GIC_PPI_PTIMER, level);
	}
	if (arm64_loaded_vcpu() == v)
		arm64_guest_timer(level ? UINT64_MAX : ptimer_deadline(v));
}

void ptimer_entry(struct vcpu *v)
{
	if (v->arch.ptimer.ctl & VTIMER_CTL_ENABLE)
		update(v);
}

uint64_t ptimer_deadline(const struct vcpu *v)
{
	return vtimer_deadline_of(v->arch.ptimer.ctl, v->arch.ptimer.cval, 0);
}

void ptimer_reset(struct vcpu *v)
{
	bool was_high = v->arch.ptimer.level;

	v->arch.ptimer = (struct ptimer){ 0 };
	if (was_high)
		vgic_set_level(v->vm, v, GIC_PPI_PTIMER, false);
}

void ptimer_read_ctl(struct vcpu *v, uint64_t *val)
{
	const struct ptimer *t = &v->arch.ptimer;

	/* ISTATUS: the condition is met, whatever IMASK says. */
	*val = t->ctl;
	if ((t->ctl & VTIMER_CTL_ENABLE) && arch_counter() >= t->cval)
		*val |= VTIMER_CTL_ISTATUS;
}

void ptimer_write_ctl(struct vcpu *v, uint64_t val)
{
	v->arch.ptimer.ctl = val & CTL_RW; /* ISTATUS is read-only */
	update(v);
}

void ptimer_read_cval(struct vcpu *v, uint64_t *val)
{
	*val = v->arch.ptimer.cval;
}

void ptimer_write_cval(struct vcpu *v, uint64_t val)
{
	v->arch.ptimer.cval = val;
	update(v);
}

/* TVAL: the compare value less the count, as a signed 32-bit value. */
void ptimer_read_tval(struct vcpu *v, uint64_t *val)
{
	*val = (uint32_t)(v->arch.ptimer.cval - arch_counter());
}

void ptimer_write_tval(struct vcpu *v, uint64_t val)
{
	v->arch.ptimer.cval = arch_counter() + (uint64_t)(int64_t)(int32_t)val;
	update(v);
}
