/*
 * SBI SSE on RISC-V: entering an event handler and leaving it, per the SBI
 * v3.0 SSE chapter ("Software Event Injection" and "Software Event
 * Completion"), seen from the guest: its S-mode is VS-mode, so the spec's
 * sstatus / sepc are the guest's vsstatus / vsepc (live in hardware while
 * the vCPU is loaded, which it is in both places below), its privilege is
 * regs.sstatus.SPP and its pc regs.sepc. tern gives guests no H extension,
 * Zicfilp or Ssdbltrp, so INTERRUPTED_FLAGS bits 2-5 are always zero. The
 * state machine is core's (core/event.c) and vsbi/sse.c's.
 */
#include <arch/csr.h>
#include <arch/guest.h>
#include <arch/vsbi.h>
#include <tern/arch.h>
#include <tern/event.h>
#include <tern/vm.h>

#define FLAG_SPP 1UL
#define FLAG_SPIE 2UL

/* Lower priority value first, then lower event ID (the spec's order). */
unsigned int riscv_sse_pick(const struct vcpu *v)
{
	const struct ev_vcpu *c = &v->events;
	const struct riscv_sse *s = &v->arch.sse;
	int best = -1;

	for (unsigned int i = 0; i < EV_COUNT; i++) {
		if (c->ev[i].state != EV_ENABLED || !c->ev[i].pending)
			continue;
		if (best < 0 || s->ev[i].priority < s->ev[best].priority ||
		    (s->ev[i].priority == s->ev[best].priority &&
		     vsbi_sse_event_ids[i] < vsbi_sse_event_ids[best]))
			best = (int)i;
	}
	return best < 0 ? 0 : (unsigned int)best;
}

void riscv_sse_deliver(struct vcpu *v)
{
	struct riscv_guest_regs *r = &v->arch.regs;
	struct ev_vcpu *c = &v->events;
	struct riscv_sse_event *s;
	unsigned int idx;
	uint64_t vs, nvs;

	if (!ev_maybe_due(c))
		return;
	spin_lock(&c->lock);
	if (ev_next(c) < 0) {
		spin_unlock(&c->lock);
		return;
	}
	idx = riscv_sse_pick(v);
	ev_begin(c, idx);
	v->arch.sse.active = idx;
	s = &v->arch.sse.ev[idx];
	/* Save the interrupted supervisor state. */
	vs = csr_read(vsstatus);
	s->flags = ((vs & SSTATUS_SPP) ? FLAG_SPP : 0) | ((vs & SSTATUS_SPIE) ? FLAG_SPIE : 0);
	s->sepc = csr_read(vsepc);
	s->a6 = r->x[16];
	s->a7 = r->x[17];
	/* Redirect to the handler: a6 = hart id, a7 = ENTRY_ARG, sepc = the
	 * interrupted pc, SPP = the interrupted privilege, SPIE = SIE, SIE = 0;
	 * then S-mode at ENTRY_PC. */
	r->x[16] = v->hwid;
	r->x[17] = c->ev[idx].arg;
	csr_write(vsepc, r->sepc);
	nvs = vs & ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
	if (r->sstatus & SSTATUS_SPP)
		nvs |= SSTATUS_SPP;
	if (vs & SSTATUS_SIE)
		nvs |= SSTATUS_SPIE;
	csr_write(vsstatus, nvs);
	r->sstatus |= SSTATUS_SPP;
	r->sepc = c->ev[idx].entry;
	spin_unlock(&c->lock);
}

/*
 * COMPLETE (vsbi/sse.c, events.lock held, after ev_complete): back to the
 * interrupted state as the spec's completion steps say: pc = vsepc (or
 * resume_addr when resume is set: SSE itself has no such call, the
 * handler rewrites INTERRUPTED_SEPC instead), privilege = vsstatus.SPP,
 * SIE = SPIE, then SPIE, SPP, a7, a6 and vsepc from the INTERRUPTED_*
 * attributes. The call's own results must not land on a0/a1.
 */
void arch_event_return(struct vcpu *v, bool resume, uint64_t resume_addr)
{
	struct riscv_guest_regs *r = &v->arch.regs;
	const struct riscv_sse_event *s = &v->arch.sse.ev[v->arch.sse.active];
	uint64_t vs = csr_read(vsstatus);
	uint64_t pc = resume ? resume_addr : csr_read(vsepc);

	if (vs & SSTATUS_SPP)
		r->sstatus |= SSTATUS_SPP;
	else
		r->sstatus &= ~SSTATUS_SPP;
	vs &= ~SSTATUS_SIE;
	if (vs & SSTATUS_SPIE)
		vs |= SSTATUS_SIE;
	vs &= ~(SSTATUS_SPIE | SSTATUS_SPP);
	if (s->flags & FLAG_SPIE)
		vs |= SSTATUS_SPIE;
	if (s->flags & FLAG_SPP)
		vs |= SSTATUS_SPP;
	csr_write(vsstatus, vs);
	r->x[17] = s->a7;
	r->x[16] = s->a6;
	csr_write(vsepc, s->sepc);
	r->sepc = pc;
	v->arch.reset_done = true;
}

/* SSE saves only a6 and a7 of the interrupted context (x16, x17); the
 * handler itself keeps the rest. Other numbers read as 0. */
uint64_t arch_event_saved_reg(const struct vcpu *v, unsigned int n)
{
	const struct riscv_sse_event *s = &v->arch.sse.ev[v->arch.sse.active];

	if (n == 16)
		return s->a6;
	if (n == 17)
		return s->a7;
	return 0;
}
