/*
 * Guest exits: one const table by ESR_EL2.EC for synchronous exits, and the
 * interrupt and SError paths. Each handler returns what happens next
 * (arch/guest.h): back into the guest at once, or to the scheduler.
 *
 * A guest's misbehaviour never stops tern: an access nothing backs, an
 * instruction tern does not emulate, an exception class it does not
 * expect, all come back to the guest as the exception the architecture
 * would have raised there (inject.c).
 */
#include <stdatomic.h>
#include <string.h>
#include <tern/compiler.h>
#include <arch/esr.h>
#include <arch/guest.h>
#include <arch/mmio_decode.h>
#include <arch/sysreg.h>
#include <arch/vgic.h>
#include <tern/fwcall.h>
#include <tern/mmio.h>
#include <tern/vm.h>

typedef enum vcpu_next (*exit_handler_fn)(struct vcpu *v, uint64_t esr);

/* exits[] slot for physical interrupts taken in the guest: they have no
 * exception class, and 0x3f is one the architecture leaves unallocated. */
#define EXIT_SLOT_IRQ 0x3f

/* --- Firmware calls ----------------------------------------------------------- */

/*
 * An SMCCC call: function ID in w0, arguments in x1-x6, results in x0-x3
 * (SMCCC 1.2+ keeps x4-x17, which tern never touches). Results a service
 * does not set read as 0. A call that reset the vCPU (a powerdown
 * CPU_SUSPEND) leaves its registers as the reset made them.
 */
static enum vcpu_next firmware_call(struct vcpu *v, uint64_t esr, bool skip)
{
	struct arm64_guest_regs *r = &v->arch.regs;
	struct fw_call c;

	/* SMCCC: the HVC/SMC immediate must be 0; other values are not calls
	 * tern defines. */
	if (ESR_ISS(esr) & 0xffff) {
		r->x[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
		if (skip)
			guest_skip_insn(v);
		return VCPU_NEXT_RUN;
	}
	c.id = (uint32_t)r->x[0];
	c.fn = 0;
	c.arg = &r->x[1];
	c.ret[0] = c.ret[1] = c.ret[2] = c.ret[3] = 0;
	v->arch.reset_done = false;
	fw_dispatch(v, FW_ABI_SMCCC, &c);
	if (!v->arch.reset_done) {
		r->x[0] = c.ret[0], r->x[1] = c.ret[1], r->x[2] = c.ret[2], r->x[3] = c.ret[3];
		if (skip)
			guest_skip_insn(v);
	}
	return c.next;
}

/* HVC: ELR_EL2 already points past the instruction. */
static enum vcpu_next exit_hvc(struct vcpu *v, uint64_t esr)
{
	return firmware_call(v, esr, false);
}

/* SMC trapped by HCR_EL2.TSC: ELR_EL2 points at the instruction. */
static enum vcpu_next exit_smc(struct vcpu *v, uint64_t esr)
{
	return firmware_call(v, esr, true);
}

/* --- WFI / WFE ------------------------------------------------------------------ */

static enum vcpu_next exit_wfx(struct vcpu *v, uint64_t esr)
{
	unsigned int ti = ESR_ISS(esr) & 3; /* 0 WFI, 1 WFE, 2 WFIT, 3 WFET */

	guest_skip_insn(v);
	switch (ti) {
	case 0:
		/*
		 * Block only with nothing to wake for: the scheduler then waits
		 * for an interrupt or the vCPU's timer deadline. The vGIC alone
		 * says what is deliverable: a timer whose output is high but
		 * whose interrupt the guest cannot take (disabled, masked by
		 * priority) must not wake it, or the guest spins through WFI.
		 * A timer that fired but whose physical interrupt tern has not
		 * taken yet is caught by the scheduler's deadline check.
		 */
		return vgic_irq_pending(v) ? VCPU_NEXT_RUN : VCPU_NEXT_BLOCK;
	case 1:
		/* Only trapped when vCPUs share this CPU: give way. */
		return VCPU_NEXT_PREEMPT;
	default:
		/* WFIT/WFET (hidden from guests): an early wake-up is allowed. */
		return VCPU_NEXT_RUN;
	}
}

/* --- Aborts ---------------------------------------------------------------------- */

/*
 * A data abort at stage 2. A translation fault in guest RAM is its first
 * touch of a page (also by a stage-1 table walk): map it and retry. One
 * outside RAM is emulated on the VM's MMIO bus when the syndrome describes
 * it (ISV), else the guest gets an external abort.
 */
static enum vcpu_next exit_dabt(struct vcpu *v, uint64_t esr)
{
	struct arm64_guest_regs *r = &v->arch.regs;
	uint32_t iss = ESR_ISS(esr);
	struct mmio_insn m;
	uint64_t value = 0;
	paddr_t ipa;

	if (!s2_fault_is_translation(iss))
		goto abort;
	ipa = s2_fault_ipa(r->hpfar, r->far);
	if (guest_ram_contains(v->vm, ipa, 1)) {
		if (vm_stage2_populate(v->vm, ipa) != 0)
			goto abort;
		return VCPU_NEXT_RUN; /* the access runs again, now mapped */
	}
	if (iss & DABT_S1PTW)
		goto abort; /* the guest's own page tables outside RAM */
	if (iss & DABT_CM) {
		/* Cache maintenance by VA on a device: nothing to maintain. */
		guest_skip_insn(v);
		return VCPU_NEXT_RUN;
	}
	if (!mmio_decode(esr, &m))
		goto abort;
	if (m.write)
		value = mmio_store_value(&m, guest_reg(v, m.reg));
	if (mmio_access(&v->vm->mmio, v, ipa, m.size, m.write, &value))
		goto abort;
	if (!m.write)
		guest_set_reg(v, m.reg, mmio_load_value(&m, value));
	guest_skip_insn(v);
	return VCPU_NEXT_RUN;
abort:
	guest_inject_dabt(v);
	return VCPU_NEXT_RUN;
}

/* An instruction fetch that faulted at stage 2: the first fetch from a
 * page of guest RAM (map it, retry), or one outside RAM (an abort). */
static enum vcpu_next exit_iabt(struct vcpu *v, uint64_t esr)
{
	struct arm64_guest_regs *r = &v->arch.regs;
	paddr_t ipa = s2_fault_ipa(r->hpfar, r->far);

	if (s2_fault_is_translation(ESR_ISS(esr)) && guest_ram_contains(v->vm, ipa, 1) &&
	    vm_stage2_populate(v->vm, ipa) == 0)
		return VCPU_NEXT_RUN;
	guest_inject_iabt(v);
	return VCPU_NEXT_RUN;
}

/* --- Everything else ----------------------------------------------------------------- */

static enum vcpu_next exit_fp(struct vcpu *v, uint64_t esr)
{
	arm64_fp_lazy_load(v);
	return VCPU_NEXT_RUN; /* retry the instruction, now with its registers */
}

/* Classes tern does not emulate (SVE, SME, pointer authentication with
 * the keys not switched, an unknown cause, ...): what a CPU without the
 * feature does. */
static enum vcpu_next exit_undef(struct vcpu *v, uint64_t esr)
{
	guest_inject_undef(v);
	return VCPU_NEXT_RUN;
}

static const exit_handler_fn exit_handlers[ESR_EC_COUNT] = {
	[ESR_EC_WFX] = exit_wfx,
	[ESR_EC_FP_ASIMD] = exit_fp,
	[ESR_EC_HVC64] = exit_hvc,
	[ESR_EC_SMC64] = exit_smc,
	[ESR_EC_SYS64] = arm64_handle_sysreg,
	[ESR_EC_IABT_LOW] = exit_iabt,
	[ESR_EC_DABT_LOW] = exit_dabt,
};

/* A physical interrupt arrived while the guest ran (HCR_EL2.IMO/FMO):
 * take it at EL2, then go back unless it asked this vCPU to leave. */
static enum vcpu_next exit_irq(struct vcpu *v)
{
	v->exits[EXIT_SLOT_IRQ]++;
	gic_handle_irqs();
	if (atomic_load_explicit(&v->kick, memory_order_relaxed) || arm64_slice_expired())
		return VCPU_NEXT_PREEMPT;
	return VCPU_NEXT_RUN;
}

/* x19-x28: in the guest's registers on the fast path, not in regs. */
static bool callee_saved_reg(unsigned int rt)
{
	return rt - 19u <= 28u - 19u;
}

/*
 * The fast path's exits: firmware calls, stage-2 aborts (MMIO, a first
 * touch) and trapped system registers, unless a virtual SError is pending
 * (the full exit reads back whether the guest took it) or the access
 * names a register the fast path left unsaved.
 */
static bool fast_exit_ok(const struct vcpu *v, uint64_t esr)
{
	const struct arch_vcpu *a = &v->arch;

	/* Only the classes of FAST_EC_MASK get here (guest_entry.S checks):
	 * HVC, SMC and IABT name no register. */
	if (ESR_EC(esr) == ESR_EC_DABT_LOW) {
		if ((ESR_ISS(esr) & DABT_ISV) && callee_saved_reg((ESR_ISS(esr) >> DABT_SRT_SHIFT) & 0x1f))
			return false;
	} else if (ESR_EC(esr) == ESR_EC_SYS64) {
		if (callee_saved_reg((ESR_ISS(esr) >> 5) & 0x1f))
			return false;
	}
	return !(a->hcr & HCR_VSE);
}

/* What the guest did with the interrupts it was given (list registers in
 * use, a timer interrupt standing) is folded back first, as the full exit
 * does, so handlers see the model as it is; the list registers are then
 * rebuilt (fast_done). */
static inline __attribute__((always_inline)) void fast_fold(struct vcpu *v)
{
	if (v->arch.vgic.lr_used || v->arch.vtimer.level) {
		vgic_sync(v);
		v->arch.entry_work = true;
	}
}

/* After an exit handled on the fast path: back into the guest at once, or
 * on to the run loop with next. The list registers are rebuilt here, as
 * the entry would, when they were folded back or the vCPU's own interrupts
 * changed (a write of its own, a device line): so they always match the
 * model again, also on the way to the run loop (whose sync after
 * arm64_guest_enter then reads back just what was put in: the guest has
 * not run). Then what the run loop would look at before the next entry: a
 * kick (a stop kicks every vCPU of the VM, an interrupt made live for this
 * vCPU kicks it), an event due. */
static inline __attribute__((always_inline)) unsigned long
fast_done(struct vcpu *v, enum vcpu_next next, unsigned long kind)
{
	if (v->arch.entry_work)
		arm64_entry_flush(v);
	if (next == VCPU_NEXT_RUN && !atomic_load_explicit(&v->kick, memory_order_relaxed) &&
	    !ev_maybe_due(&v->events))
		return FAST_REENTER;
	v->arch.fast_next = next;
	return kind | GUEST_EXIT_HANDLED;
}

/* An interrupt for tern while the guest ran: a timer, an IPI, a device. */
unsigned long arm64_fast_irq(struct arm64_guest_regs *regs)
{
	struct vcpu *v = container_of(regs, struct vcpu, arch.regs);
	enum vcpu_next next;

	if (v->arch.hcr & HCR_VSE)
		return GUEST_EXIT_IRQ; /* the full exit reads back whether it was taken */
	fast_fold(v);
	next = exit_irq(v);
	/* Everything an entry looks at, as the run loop's would: the
	 * interrupt may have been tern's timer for the EL1 physical timer's
	 * compare value (ptimer_entry raises its PPI), or a device's. */
	v->arch.entry_work = true;
	return fast_done(v, next, GUEST_EXIT_IRQ);
}

unsigned long arm64_fast_exit(struct arm64_guest_regs *regs)
{
	struct vcpu *v = container_of(regs, struct vcpu, arch.regs);
	uint64_t esr = regs->esr;
	enum vcpu_next next;

	if (!fast_exit_ok(v, esr))
		return GUEST_EXIT_SYNC;
	fast_fold(v);
	v->exits[ESR_EC(esr)]++;
	v->arch.reset_done = false;
	v->arch.regs_reset = false;
	next = exit_handlers[ESR_EC(esr)](v, esr);
	/* A reset replaced every register: the live x19-x28 are stale. (An
	 * SDEI completion restores x0-x17, PC and PSTATE only: the handler
	 * kept x18-x30, live.) */
	if (v->arch.regs_reset) {
		if (v->arch.entry_work)
			arm64_entry_flush(v);
		v->arch.fast_next = next;
		return GUEST_EXIT_SYNC | GUEST_EXIT_HANDLED | FAST_REGS_DONE;
	}
	return fast_done(v, next, GUEST_EXIT_SYNC);
}

enum vcpu_next arm64_handle_exit(struct vcpu *v, unsigned int kind)
{
	uint64_t esr = v->arch.regs.esr;
	unsigned int ec;
	exit_handler_fn fn;

	/* A virtual SError the guest took clears HCR_EL2.VSE. */
	if (v->arch.hcr & HCR_VSE)
		v->arch.hcr = read_sysreg(hcr_el2);

	switch (kind & 3) {
	case GUEST_EXIT_SYNC:
		ec = ESR_EC(esr);
		v->exits[ec]++;
		fn = exit_handlers[ec];
		return fn ? fn(v, esr) : exit_undef(v, esr);
	case GUEST_EXIT_IRQ:
	case GUEST_EXIT_FIQ:
		return exit_irq(v);
	default:
		/* A physical SError while the guest ran is the guest's (an
		 * access it made faulted asynchronously): it gets a virtual
		 * one, as it would have on bare hardware. */
		v->exits[ESR_EC_SERROR]++;
		guest_inject_serror(v);
		return VCPU_NEXT_RUN;
	}
}
