/*
 * SDEI on arm64: entering an event handler and leaving it, per DEN0054
 * section 5 ("Event handler entry" and completion). The state machine is
 * core's (core/event.c, core/fw/sdei.c); this file moves registers.
 *
 * Entry: x0-x17, PC and PSTATE of the interrupted context are saved; the
 * handler starts at the registered address at EL1h with every exception
 * masked, x0 = event number, x1 = the registered argument, x2 = the
 * interrupted PC, x3 = the interrupted PSTATE. Events are delivered
 * whatever the guest's own PSTATE.I says (that is their point); only
 * PE_MASK, or a handler already running, holds them back.
 */
#include <arch/guest.h>
#include <arch/sysreg.h>
#include <tern/arch.h>
#include <tern/event.h>
#include <tern/vm.h>

/* Before each entry to the guest: deliver what is due. */
void arm64_sdei_deliver(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	struct ev_vcpu *c = &v->events;
	const struct ev_event *e;
	int idx;

	if (!ev_maybe_due(c))
		return;
	spin_lock(&c->lock);
	idx = ev_next(c);
	if (idx < 0) {
		spin_unlock(&c->lock);
		return;
	}
	ev_begin(c, (unsigned int)idx);
	e = &c->ev[idx];
	for (unsigned int i = 0; i < 18; i++)
		a->sdei.x[i] = a->regs.x[i];
	a->sdei.pc = a->regs.pc;
	a->sdei.pstate = a->regs.pstate;
	a->regs.x[0] = sdei_event_numbers[idx];
	a->regs.x[1] = e->arg;
	a->regs.x[2] = a->sdei.pc;
	a->regs.x[3] = a->sdei.pstate;
	a->regs.pc = e->entry;
	a->regs.pstate = PSR_MODE_EL1h | PSR_DAIF;
	spin_unlock(&c->lock);
}

/*
 * COMPLETE: the interrupted context comes back as it was. COMPLETE_AND_
 * RESUME: the same registers, but as if an IRQ had been taken from that
 * context to resume_addr: ELR_EL1 and SPSR_EL1 get the interrupted PC and
 * PSTATE, and the guest continues at resume_addr at EL1h, masked. The vCPU
 * is loaded (this runs in its own call), so EL1 registers are live.
 */
void arch_event_return(struct vcpu *v, bool resume, uint64_t resume_addr)
{
	struct arch_vcpu *a = &v->arch;

	for (unsigned int i = 0; i < 18; i++)
		a->regs.x[i] = a->sdei.x[i];
	if (resume) {
		write_sysreg(elr_el1, a->sdei.pc);
		write_sysreg(spsr_el1, a->sdei.pstate);
		a->regs.pc = resume_addr;
		a->regs.pstate = PSR_MODE_EL1h | PSR_DAIF;
	} else {
		a->regs.pc = a->sdei.pc;
		a->regs.pstate = a->sdei.pstate;
	}
	/* The call's results must not land on the restored x0-x3. */
	a->reset_done = true;
}

uint64_t arch_event_saved_reg(const struct vcpu *v, unsigned int n)
{
	return n < 18 ? v->arch.sdei.x[n] : 0;
}
