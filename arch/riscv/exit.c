/*
 * Guest exits on RISC-V: a const table indexed by scause (exceptions and
 * interrupts apart) picks the handler, and the handler says what happens
 * next. Guest mistakes (a device access nobody emulates, an instruction
 * VS-mode may not use) are answered with the exception the guest would
 * get on real hardware; tern never stops for them.
 */
#include <stdatomic.h>
#include <arch/csr.h>
#include <arch/fast_exit.h>
#include <arch/guest.h>
#include <arch/mmio_decode.h>
#include <tern/arch.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/fwcall.h>
#include <tern/mmio.h>
#include <tern/vm.h>

typedef enum vcpu_next (*exit_fn)(struct vcpu *v);

void riscv_inject_exception(struct vcpu *v, uint64_t cause, uint64_t tval)
{
	struct riscv_guest_regs *r = &v->arch.regs;
	uint64_t vs = csr_read(vsstatus);
	bool from_s = r->sstatus & SSTATUS_SPP;

	vs &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
	if (from_s)
		vs |= SSTATUS_SPP;
	if (csr_read(vsstatus) & SSTATUS_SIE)
		vs |= SSTATUS_SPIE;
	csr_write(vsstatus, vs);
	csr_write(vsepc, r->sepc);
	csr_write(vscause, cause);
	csr_write(vstval, tval);
	/* Exceptions always go to the vector base, in either vstvec mode. */
	r->sepc = csr_read(vstvec) & ~3UL;
	r->sstatus |= SSTATUS_SPP;
}

/* SBI: extension in a7, function in a6, arguments a0-a5; error in a0 and
 * value in a1 (the legacy extensions 0x00-0x0F return a0 only). */
static enum vcpu_next exit_ecall(struct vcpu *v)
{
	struct riscv_guest_regs *r = &v->arch.regs;
	struct fw_call c;

	/* Spelled out: an initializer would zero the whole struct. */
	c.id = r->x[17];
	c.fn = r->x[16];
	c.arg = &r->x[10];
	c.ret[0] = c.ret[1] = 0;
	r->sepc += 4;
	fw_dispatch(v, FW_ABI_SBI, &c);
	/* A call that reset this vCPU (HSM non-retentive suspend) set its
	 * registers: the results must not overwrite them. */
	if (!v->arch.reset_done) {
		r->x[10] = c.ret[0];
		if (c.id >= 0x10)
			r->x[11] = c.ret[1];
	}
	return c.next;
}

/* Which of the guest's registers regs holds: all of them, or on the fast
 * path all but s1-s11 (x9, x18-x27), which stay in the registers. */
#define REGS_ALL 0xffffffffu
#define REGS_FAST (~((1u << 9) | (0x3ffu << 18)))

/*
 * A guest-page fault: the first touch of a RAM page (mapped, the access
 * runs again), a device access (emulated on the VM's MMIO bus), or an
 * access nothing backs (an access fault for the guest). -1 with nothing
 * done when the access names a register regs does not hold (`saved`).
 */
static int guest_page_fault(struct vcpu *v, uint32_t saved)
{
	struct riscv_guest_regs *r = &v->arch.regs;
	bool store = (r->scause & ~SCAUSE_INTERRUPT) == EXC_STORE_GUEST_PAGE;
	uint64_t gpa = (r->htval << 2) | (r->stval & 3);
	struct riscv_mmio_insn d;
	uint64_t value = 0;
	uint32_t insn;
	unsigned int len;

	if (guest_ram_contains(v->vm, gpa, 1)) {
		if (riscv_first_touch(v, gpa))
			return 0; /* first touch of a RAM page: mapped, retry */
		goto fault;
	}
	if (riscv_mmio_decode_htinst(r->htinst, &d) != 0) {
		if (riscv_guest_fetch(v, r->sepc, &insn, &len) != 0 ||
		    riscv_mmio_decode(insn, &d) != 0)
			goto fault;
	}
	if (d.store != store)
		goto fault;
	if (!(saved & (1u << d.reg)))
		return -1;
	if (store)
		value = r->x[d.reg];
	if (mmio_access(&v->vm->mmio, v, gpa, d.size, store, &value) != 0)
		goto fault;
	if (!store && d.reg != 0)
		r->x[d.reg] = riscv_mmio_load_value(&d, value);
	r->sepc += d.len;
	return 0;
fault:
	riscv_inject_exception(v, store ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, r->stval);
	return 0;
}

static enum vcpu_next exit_guest_page_fault(struct vcpu *v)
{
	guest_page_fault(v, REGS_ALL);
	return VCPU_NEXT_RUN;
}

static enum vcpu_next exit_fetch_fault(struct vcpu *v)
{
	struct riscv_guest_regs *r = &v->arch.regs;

	if (riscv_first_touch(v, (r->htval << 2) | (r->stval & 3)))
		return VCPU_NEXT_RUN;
	riscv_inject_exception(v, EXC_INSN_ACCESS, r->stval);
	return VCPU_NEXT_RUN;
}

#define INSN_WFI 0x10500073u

/* VS-mode ran an instruction it may not: WFI (hstatus.VTW), or one that
 * needs a CSR or privilege tern does not give. */
static enum vcpu_next exit_virtual_insn(struct vcpu *v)
{
	struct riscv_guest_regs *r = &v->arch.regs;
	uint32_t insn = (uint32_t)r->stval;
	unsigned int len = 4;

	if (!insn && riscv_guest_fetch(v, r->sepc, &insn, &len) != 0)
		insn = 0;
	if (insn == INSN_WFI) {
		r->sepc += 4;
		return VCPU_NEXT_BLOCK;
	}
	riscv_inject_exception(v, EXC_ILLEGAL_INSN, insn);
	return VCPU_NEXT_RUN;
}

/* Anything else the guest raised: what a hart without tern would do is
 * deliver it to the guest's own handler. */
static enum vcpu_next exit_reflect(struct vcpu *v)
{
	struct riscv_guest_regs *r = &v->arch.regs;

	riscv_inject_exception(v, r->scause, r->stval);
	return VCPU_NEXT_RUN;
}

static const exit_fn exception_exits[RISCV_NR_EXCEPTIONS] = {
	[EXC_ECALL_VS] = exit_ecall,
	[EXC_INSN_GUEST_PAGE] = exit_fetch_fault,
	[EXC_LOAD_GUEST_PAGE] = exit_guest_page_fault,
	[EXC_STORE_GUEST_PAGE] = exit_guest_page_fault,
	[EXC_VIRTUAL_INSN] = exit_virtual_insn,
};

/* An IPI: another hart kicked this vCPU or woke it. */
static enum vcpu_next irq_soft(struct vcpu *v)
{
	csr_clear(sip, SIP_SSIP);
	return VCPU_NEXT_RUN;
}

static enum vcpu_next irq_timer(struct vcpu *v)
{
	riscv_timer_expired();
	if (arch_counter() >= riscv_slice_deadline()) {
		riscv_slice_clear();
		return VCPU_NEXT_PREEMPT;
	}
	return VCPU_NEXT_RUN; /* the guest's SBI timer: prepare_entry raises it */
}

static enum vcpu_next irq_ext(struct vcpu *v)
{
	riscv_plic_handle();
	return VCPU_NEXT_RUN;
}

static const exit_fn interrupt_exits[RISCV_NR_INTERRUPTS] = {
	[IRQ_S_SOFT] = irq_soft,
	[IRQ_S_TIMER] = irq_timer,
	[IRQ_S_EXT] = irq_ext,
};

/*
 * The fast path's half in C (guest_entry.S): an SBI call or a guest-page
 * fault (a device access, a first touch), with the caller-saved
 * registers, sp, gp, tp, s0 and the trap CSRs in regs and the guest's
 * s1-s11 still in the registers. It handles the exit as the full path
 * would, and says whether the guest can be entered straight away: not
 * when the run loop has work before the next entry (a stop or kick, an
 * SSE event due, interrupts or fences raised for this vCPU, its SBI timer
 * moved).
 */
/* The fault's CSRs, which the fast path's assembly leaves to C: read
 * before anything (a guest-memory access) can trap in tern. */
static void fault_csrs(struct riscv_guest_regs *regs)
{
	regs->stval = csr_read(stval);
	regs->htval = csr_read(htval);
	regs->htinst = csr_read(htinst);
}

unsigned long riscv_fast_exit(struct riscv_guest_regs *regs)
{
	struct vcpu *v = container_of(regs, struct vcpu, arch.regs);
	struct arch_vcpu *a = &v->arch;
	uint64_t code = regs->scause;
	enum vcpu_next next = VCPU_NEXT_RUN;

	a->reset_done = false;
	a->regs_reset = false;
	switch (code) {
	case EXC_ECALL_VS:
		next = exit_ecall(v);
		break;
	case EXC_LOAD_GUEST_PAGE:
	case EXC_STORE_GUEST_PAGE:
		fault_csrs(regs);
		if (guest_page_fault(v, REGS_FAST) < 0)
			return FAST_DECLINE;
		break;
	case EXC_INSN_GUEST_PAGE:
		fault_csrs(regs);
		next = exit_fetch_fault(v);
		break;
	default:
		return FAST_DECLINE;
	}
	v->exits[code]++;
	/* A reset replaced every register: the live s1-s11 are stale. (An
	 * SSE completion restores a6, a7 and sepc only: the handler kept the
	 * rest, live.) */
	if (a->regs_reset) {
		a->fast_next = next;
		return FAST_REGS_DONE;
	}
	/* A stop kicks every vCPU of the VM: the kick covers it. */
	if (next == VCPU_NEXT_RUN && !atomic_load_explicit(&v->kick, memory_order_relaxed) &&
	    !ev_maybe_due(&v->events) && !a->entry_work &&
	    !atomic_load_explicit(&a->hvip_set, memory_order_relaxed) &&
	    !atomic_load_explicit(&a->hvip_clear, memory_order_relaxed) &&
	    !atomic_load_explicit(&a->fence_any, memory_order_relaxed))
		return FAST_REENTER;
	a->fast_next = next;
	return FAST_HANDLED;
}

enum vcpu_next riscv_handle_exit(struct vcpu *v)
{
	uint64_t cause = v->arch.regs.scause;
	uint64_t code = cause & ~SCAUSE_INTERRUPT;
	exit_fn fn = NULL;

	if (cause & SCAUSE_INTERRUPT) {
		if (code < RISCV_NR_INTERRUPTS)
			fn = interrupt_exits[code];
		/* An interrupt tern did not enable cannot arrive; if one
		 * does, the next entry simply takes it again. */
		return fn ? fn(v) : VCPU_NEXT_RUN;
	}
	if (code < RISCV_NR_EXCEPTIONS) {
		v->exits[code]++;
		fn = exception_exits[code];
	}
	return (fn ? fn : exit_reflect)(v);
}
