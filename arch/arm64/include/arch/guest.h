/*
 * What the pieces of arm64's guest support share inside arch/arm64: the
 * world switch (guest_entry.S), the vCPU run loop (vcpu.c), the exit table
 * (exit.c) and its handlers (sysreg_trap.c, inject.c). Not part of the arch
 * contract; core/ never includes it.
 *
 * The top half is plain #defines that guest_entry.S and vectors.S use too.
 */
#ifndef ARCH_ARM64_GUEST_H
#define ARCH_ARM64_GUEST_H

/*
 * arm64_guest_enter's frame on tern's stack while the guest runs: the
 * frame record, the callee-saved x19-x28, and the guest's register block.
 * The guest cannot move SP_EL2, so the exit vectors find the block at this
 * fixed offset above SP (after pushing the two registers they free).
 */
#define GE_FRAME_SIZE 112
#define GE_FP 0
#define GE_X19 16
#define GE_REGS 96

/* What arm64_guest_enter returns: the VBAR_EL2 entry the exit came
 * through, counted from the lower-EL AArch64 group (entries 8-15). */
#define GUEST_EXIT_SYNC 0
#define GUEST_EXIT_IRQ 1
#define GUEST_EXIT_FIQ 2
#define GUEST_EXIT_SERROR 3
#define GUEST_EXIT_AARCH32 4 /* added when the guest was in AArch32 (EL0) */
#define GUEST_EXIT_HANDLED 8 /* the fast path handled it: v->arch.fast_next says what next */

/* The exception classes the fast path takes, as a mask of bit EC: HVC64
 * (0x16), SMC64 (0x17), SYS64 (0x18: trapped system registers), IABT_LOW
 * (0x20), DABT_LOW (0x24). */
#define FAST_EC_MASK \
	((1 << 0x16) | (1 << 0x17) | (1 << 0x18) | (1 << 0x20) | (1 << 0x24))

/* What arm64_fast_exit answers the fast path: FAST_REENTER (handled,
 * nothing else to do: straight back into the guest), or the kind for
 * arm64_guest_enter to return, GUEST_EXIT_HANDLED set if the exit was
 * handled (the run loop has work: fast_next, entry work) and
 * FAST_REGS_DONE too if the handler rewrote every register (a reset), so
 * that the live x19-x28 are not saved over them. */
#define FAST_REGS_DONE_BIT 4
#define FAST_REGS_DONE (1 << FAST_REGS_DONE_BIT)
#define FAST_REENTER_BIT 5
#define FAST_REENTER (1 << FAST_REENTER_BIT)

#ifndef __ASSEMBLY__
#include <tern/types.h>
#include <tern/vm.h>

/* guest_entry.S: run the guest from regs until it exits; returns the
 * GUEST_EXIT_* kind, with regs (and its esr/far/hpfar) saved. */
unsigned int arm64_guest_enter(struct arm64_guest_regs *regs);
/* guest_entry.S: this CPU's FP/SIMD registers to and from memory. */
void arm64_fpsimd_save(struct arm64_fpsimd_state *s);
void arm64_fpsimd_load(const struct arm64_fpsimd_state *s);

/* exit.c: handle one exit of a loaded vCPU. */
enum vcpu_next arm64_handle_exit(struct vcpu *v, unsigned int kind);
/* exit.c: the C half of the fast path (guest_entry.S): a synchronous
 * exit, or an IRQ, with x0-x18, x29, x30 and the syndrome in regs,
 * x19-x28 still in the guest's registers. Return FAST_REENTER or a kind
 * (see FAST_REGS_DONE). */
unsigned long arm64_fast_exit(struct arm64_guest_regs *regs);
unsigned long arm64_fast_irq(struct arm64_guest_regs *regs);
/* vcpu.c: what every entry does after delivering a due SDEI event: the
 * EL1 physical timer's level, then the list registers. The fast path runs
 * it when an exit changed the vCPU's own interrupts (entry_work). */
void arm64_entry_flush(struct vcpu *v);
/* sysreg_trap.c: a trapped MSR/MRS/SYS (EC 0x18). */
enum vcpu_next arm64_handle_sysreg(struct vcpu *v, uint64_t esr);
/* sysreg_trap.c: fill vm->arch.id_regs from the host's (needs ipa_bits). */
void arm64_id_regs_init(struct vm *vm);
/* vcpu.c: the FP/SIMD trap: give the guest its FP state on this CPU. */
void arm64_fp_lazy_load(struct vcpu *v);
/* sdei_deliver.c */
void arm64_sdei_deliver(struct vcpu *v);
/* debug_regs.c: the guest's debug registers, switched on first use. */
uint64_t arm64_debug_traps(const struct vcpu *v);
void arm64_debug_lazy_load(struct vcpu *v);
void arm64_debug_put(struct vcpu *v);
/* vcpu.c: the vCPU loaded on this physical CPU, or NULL. */
struct vcpu *arm64_loaded_vcpu(void);
/* idle.c: whether this CPU's time slice (arch_set_slice_timer) is over;
 * a deadline of the running vCPU's own (its emulated timer) for tern's
 * timer to fire at too, UINT64_MAX: none. */
bool arm64_slice_expired(void);
void arm64_guest_timer(uint64_t deadline);
/* ptimer.c: the guest's EL1 physical timer, emulated. The register
 * accessors are the trapped CNTP_CTL/CVAL/TVAL_EL0 (sysreg_trap.c). */
void ptimer_entry(struct vcpu *v);
uint64_t ptimer_deadline(const struct vcpu *v);
void ptimer_reset(struct vcpu *v);
void ptimer_read_ctl(struct vcpu *v, uint64_t *val);
void ptimer_write_ctl(struct vcpu *v, uint64_t val);
void ptimer_read_cval(struct vcpu *v, uint64_t *val);
void ptimer_write_cval(struct vcpu *v, uint64_t val);
void ptimer_read_tval(struct vcpu *v, uint64_t *val);
void ptimer_write_tval(struct vcpu *v, uint64_t val);

/* inject.c: exceptions delivered to the loaded vCPU's EL1, as the
 * architecture would take them, at the instruction that exited. */
void guest_inject_undef(struct vcpu *v);
void guest_inject_dabt(struct vcpu *v); /* synchronous external abort at regs.far */
void guest_inject_iabt(struct vcpu *v);
void guest_inject_serror(struct vcpu *v);
/* Step past the instruction that exited (its length from ESR_EL2.IL). */
void guest_skip_insn(struct vcpu *v);

/* VTTBR_EL2 of a VM: its stage-2 root and VMID. */
static inline uint64_t arm64_vttbr(const struct vm *vm)
{
	return vm->s2.root_pa | ((uint64_t)vm->arch.vmid << 48);
}

/* Register Rt of a trapped instruction: 31 is the zero register in every
 * form tern emulates (loads, stores, MRS, MSR). */
static inline uint64_t guest_reg(const struct vcpu *v, unsigned int rt)
{
	return rt < 31 ? v->arch.regs.x[rt] : 0;
}

static inline void guest_set_reg(struct vcpu *v, unsigned int rt, uint64_t val)
{
	if (rt < 31)
		v->arch.regs.x[rt] = val;
}
#endif

#endif
