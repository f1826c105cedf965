/*
 * The world switch: from tern at EL2 into a guest at EL1 and back.
 *
 * Only the general registers, SP_EL0, PC and PSTATE move here, on every
 * exit; the EL1 system registers stay in hardware while a vCPU is loaded
 * (vcpu.c), so the exits tern handles in place (hypercalls, MMIO, system
 * registers) cost one register block each way.
 *
 * unsigned int arm64_guest_enter(struct arm64_guest_regs *regs)
 *   Saves tern's callee-saved registers in a frame on its stack, loads the
 *   guest's and ERETs. The next exception from a lower EL (every one is
 *   the guest's: nothing else runs below EL2) comes back through the
 *   vectors into arm64_guest_exit, which saves the guest's registers and
 *   the exit syndrome into regs and returns the GUEST_EXIT_* kind.
 */
#include <generated/asm-offsets.h>
#include <arch/guest.h>

/*
 * The guest's general registers in groups, to and from its block at \r:
 * x4-x17 (with x0-x3 and x18, what a C call may clobber; x2/x3 are the
 * exit path's scratch, moved on their own), x19-x28 (what C keeps).
 */
	.macro	caller_regs_x4 op, r
	\op	x4, x5, [\r, #GR_X0 + 4 * 8]
	\op	x6, x7, [\r, #GR_X0 + 6 * 8]
	\op	x8, x9, [\r, #GR_X0 + 8 * 8]
	\op	x10, x11, [\r, #GR_X0 + 10 * 8]
	\op	x12, x13, [\r, #GR_X0 + 12 * 8]
	\op	x14, x15, [\r, #GR_X0 + 14 * 8]
	\op	x16, x17, [\r, #GR_X0 + 16 * 8]
	.endm

	.macro	callee_regs op, r
	\op	x19, x20, [\r, #GR_X0 + 19 * 8]
	\op	x21, x22, [\r, #GR_X0 + 21 * 8]
	\op	x23, x24, [\r, #GR_X0 + 23 * 8]
	\op	x25, x26, [\r, #GR_X0 + 25 * 8]
	\op	x27, x28, [\r, #GR_X0 + 27 * 8]
	.endm

	.text
	.globl	arm64_guest_enter
arm64_guest_enter:
	sub	sp, sp, #GE_FRAME_SIZE
	stp	x29, x30, [sp, #GE_FP]
	add	x29, sp, #GE_FP
	stp	x19, x20, [sp, #GE_X19]
	stp	x21, x22, [sp, #GE_X19 + 16]
	stp	x23, x24, [sp, #GE_X19 + 32]
	stp	x25, x26, [sp, #GE_X19 + 48]
	stp	x27, x28, [sp, #GE_X19 + 64]
	str	x0, [sp, #GE_REGS]

	/* SP_EL0 is the EL2h vectors' scratch register, so it is the guest's
	 * only from here to the ERET. */
	ldr	x1, [x0, #GR_SP_EL0]
	msr	sp_el0, x1
	ldp	x1, x2, [x0, #GR_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #GR_X0 + 2 * 8]
	caller_regs_x4 ldp, x0
	ldr	x18, [x0, #GR_X0 + 18 * 8]
	callee_regs ldp, x0
	ldp	x29, x30, [x0, #GR_X0 + 29 * 8]
	ldp	x0, x1, [x0, #GR_X0]
	eret
	/* No speculation past ERET into whatever follows. */
	dsb	nsh
	isb

/*
 * Entered from the lower-EL vectors (vectors.S) with the guest's x0 and x1
 * pushed, x0 = regs (read from arm64_guest_enter's frame) and x1 = kind.
 */
	.globl	arm64_guest_exit
arm64_guest_exit:
	stp	x2, x3, [x0, #GR_X0 + 2 * 8]
guest_exit_from_x4:
	caller_regs_x4 stp, x0
	str	x18, [x0, #GR_X0 + 18 * 8]
	callee_regs stp, x0
	stp	x29, x30, [x0, #GR_X0 + 29 * 8]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #GR_X0]
	mrs	x2, sp_el0
	str	x2, [x0, #GR_SP_EL0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #GR_PC]
	/* The syndrome now, before anything at EL2 can fault and change it. */
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #GR_ESR]
	mrs	x2, hpfar_el2
	str	x2, [x0, #GR_HPFAR]

	mov	x0, x1
guest_exit_return:
	ldp	x19, x20, [sp, #GE_X19]
	ldp	x21, x22, [sp, #GE_X19 + 16]
	ldp	x23, x24, [sp, #GE_X19 + 32]
	ldp	x25, x26, [sp, #GE_X19 + 48]
	ldp	x27, x28, [sp, #GE_X19 + 64]
	ldp	x29, x30, [sp, #GE_FP]
	add	sp, sp, #GE_FRAME_SIZE
	ret

/*
 * The fast path of a synchronous exit or an IRQ from AArch64, entered
 * from the vector with the guest's x0 and x1 pushed and x0 = regs. It
 * saves only what a C call may clobber (x0-x18, x30, and x29, which the
 * handler's frame record uses) with the exit's syndrome, and lets
 * arm64_fast_exit (exit.c) answer: a hypercall, an MMIO access, a first
 * touch, a trapped system register or an interrupt for tern usually goes
 * straight back into the guest from here, without tern's own registers or
 * the run loop. The guest's x19-x28 stay in the registers meanwhile (the
 * C code preserves them); an exit that goes on to the full path saves
 * them then, unless the handler rewrote every register.
 */
/* x0-x18, x29, x30 (x0 and x1 from the vector's push), SP_EL0, PC,
 * PSTATE and the syndrome into regs at x0, for a C call. */
	.macro	fast_save
	caller_regs_x4 stp, x0
	str	x18, [x0, #GR_X0 + 18 * 8]
	stp	x29, x30, [x0, #GR_X0 + 29 * 8]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #GR_X0]
	mrs	x2, sp_el0
	str	x2, [x0, #GR_SP_EL0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #GR_PC]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #GR_ESR]
	mrs	x2, hpfar_el2
	str	x2, [x0, #GR_HPFAR]
	/* A backtrace from the handler goes on into the run loop. */
	add	x29, sp, #GE_FP
	.endm

	.globl	arm64_guest_exit_sync
arm64_guest_exit_sync:
	stp	x2, x3, [x0, #GR_X0 + 2 * 8]
	/* Only the exception classes arm64_fast_exit can take come this way
	 * (FAST_EC_MASK); the others go the full way at once. */
	mrs	x2, esr_el2
	lsr	x2, x2, #26
	ldr	x3, =FAST_EC_MASK
	lsr	x3, x3, x2
	mov	x1, #GUEST_EXIT_SYNC
	tbz	x3, #0, guest_exit_from_x4
	fast_save
	bl	arm64_fast_exit
	/* What the C half answered (FAST_REENTER or a kind) in x0. */
guest_exit_fast_return:
	ldr	x1, [sp, #GE_REGS]
	tbz	x0, #FAST_REENTER_BIT, 1f
	ldr	x2, [x1, #GR_SP_EL0]
	msr	sp_el0, x2
	ldp	x2, x3, [x1, #GR_PC]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x1, #GR_X0 + 2 * 8]
	caller_regs_x4 ldp, x1
	ldr	x18, [x1, #GR_X0 + 18 * 8]
	ldp	x29, x30, [x1, #GR_X0 + 29 * 8]
	ldp	x0, x1, [x1, #GR_X0]
	eret
	dsb	nsh
	isb
1:	tbnz	x0, #FAST_REGS_DONE_BIT, 2f
	callee_regs stp, x1
2:	and	x0, x0, #(FAST_REGS_DONE - 1)	/* the kind, HANDLED included */
	b	guest_exit_return

	/* An IRQ from AArch64: arm64_fast_irq answers it the same way. */
	.globl	arm64_guest_exit_irq
arm64_guest_exit_irq:
	stp	x2, x3, [x0, #GR_X0 + 2 * 8]
	fast_save
	bl	arm64_fast_irq
	b	guest_exit_fast_return
	.ltorg

/*
 * void arm64_fpsimd_save(struct arm64_fpsimd_state *s)
 * void arm64_fpsimd_load(const struct arm64_fpsimd_state *s)
 * The only code in tern that touches FP/SIMD registers (C is built with
 * -mgeneral-regs-only), run with CPTR_EL2.TFP clear.
 */
	.arch_extension fp
	.arch_extension simd

	.globl	arm64_fpsimd_save
arm64_fpsimd_save:
	stp	q0, q1, [x0, #FP_V0 + 0 * 16]
	stp	q2, q3, [x0, #FP_V0 + 2 * 16]
	stp	q4, q5, [x0, #FP_V0 + 4 * 16]
	stp	q6, q7, [x0, #FP_V0 + 6 * 16]
	stp	q8, q9, [x0, #FP_V0 + 8 * 16]
	stp	q10, q11, [x0, #FP_V0 + 10 * 16]
	stp	q12, q13, [x0, #FP_V0 + 12 * 16]
	stp	q14, q15, [x0, #FP_V0 + 14 * 16]
	stp	q16, q17, [x0, #FP_V0 + 16 * 16]
	stp	q18, q19, [x0, #FP_V0 + 18 * 16]
	stp	q20, q21, [x0, #FP_V0 + 20 * 16]
	stp	q22, q23, [x0, #FP_V0 + 22 * 16]
	stp	q24, q25, [x0, #FP_V0 + 24 * 16]
	stp	q26, q27, [x0, #FP_V0 + 26 * 16]
	stp	q28, q29, [x0, #FP_V0 + 28 * 16]
	stp	q30, q31, [x0, #FP_V0 + 30 * 16]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #FP_FPSR	/* beyond a 64-bit pair's reach */
	stp	x1, x2, [x0]
	ret

	.globl	arm64_fpsimd_load
arm64_fpsimd_load:
	ldp	q0, q1, [x0, #FP_V0 + 0 * 16]
	ldp	q2, q3, [x0, #FP_V0 + 2 * 16]
	ldp	q4, q5, [x0, #FP_V0 + 4 * 16]
	ldp	q6, q7, [x0, #FP_V0 + 6 * 16]
	ldp	q8, q9, [x0, #FP_V0 + 8 * 16]
	ldp	q10, q11, [x0, #FP_V0 + 10 * 16]
	ldp	q12, q13, [x0, #FP_V0 + 12 * 16]
	ldp	q14, q15, [x0, #FP_V0 + 14 * 16]
	ldp	q16, q17, [x0, #FP_V0 + 16 * 16]
	ldp	q18, q19, [x0, #FP_V0 + 18 * 16]
	ldp	q20, q21, [x0, #FP_V0 + 20 * 16]
	ldp	q22, q23, [x0, #FP_V0 + 22 * 16]
	ldp	q24, q25, [x0, #FP_V0 + 24 * 16]
	ldp	q26, q27, [x0, #FP_V0 + 26 * 16]
	ldp	q28, q29, [x0, #FP_V0 + 28 * 16]
	ldp	q30, q31, [x0, #FP_V0 + 30 * 16]
	add	x0, x0, #FP_FPSR
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
