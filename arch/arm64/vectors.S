/*
 * The EL2 exception vectors (VBAR_EL2). Every entry for tern's own code
 * saves the same frame (struct trap_frame, arch/trap.h) and calls
 * arm64_trap_entry(frame, vector): one C entry, so dispatch lives in C
 * tables and not in assembly. Entries from a lower EL are guest exits:
 * they return from arm64_guest_enter (guest_entry.S) to the vCPU's run
 * loop, which dispatches by exception class in C as well.
 */
#include <generated/asm-offsets.h>
#include <arch/guest.h>

	/* Each entry has 128 bytes: save what the common path needs to free
	 * two registers, then branch there with the vector number in x1. */
	.macro vector_entry index
	.balign 0x80
	sub	sp, sp, #TRAP_FRAME_SIZE
	stp	x0, x1, [sp, #TF_X0]
	mov	x1, #\index
	b	trap_common
	.endm

	/*
	 * Traps taken at EL2 with SP_EL2 run on tern's own stack, which may be
	 * the very thing that failed: pushing a frame into the guard page
	 * below it would fault again, forever. So first compare SP with this
	 * CPU's stack_limit, without touching memory through SP. SP_EL0 is
	 * the one scratch register: tern never runs on it, and the guest's
	 * SP_EL0 is saved before tern's own code runs (a world-switch rule).
	 */
	.macro vector_entry_el2h index
	.balign 0x80
	msr	sp_el0, x0
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_STACK_LIMIT]
	cmp	sp, x0
	mrs	x0, sp_el0
	b.lo	9f
	sub	sp, sp, #TRAP_FRAME_SIZE
	stp	x0, x1, [sp, #TF_X0]
	mov	x1, #\index
	b	trap_common
	/* Overflow: swap SP with the emergency stack's top using only x0
	 * (three add/sub, no memory), save the broken SP in the frame and
	 * go on as usual; the C side reports it and never returns. */
9:	msr	sp_el0, x0
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_OVERFLOW_TOP]
	add	sp, sp, x0
	sub	x0, sp, x0		/* x0 = the broken SP */
	sub	sp, sp, x0		/* SP = emergency stack top */
	sub	sp, sp, #TRAP_FRAME_SIZE
	stp	x30, x0, [sp, #TF_X30]	/* x30 and SP */
	mrs	x0, sp_el0
	stp	x0, x1, [sp, #TF_X0]
	mov	x1, #(\index + TRAP_STACK_OVERFLOW_FLAG)
	b	trap_save_rest
	.endm

	/*
	 * A guest exit. Nothing but a guest runs below EL2, and the guest
	 * cannot move SP_EL2, so SP is where arm64_guest_enter left it: free
	 * two registers on the stack, find the guest's register block in
	 * that frame, and let the common path save the rest.
	 */
	.macro vector_entry_guest kind
	.balign 0x80
	stp	x0, x1, [sp, #-16]!
	ldr	x0, [sp, #16 + GE_REGS]
	mov	x1, #\kind
	b	arm64_guest_exit
	.endm

	/* A synchronous exit or an IRQ from AArch64: the fast path tries it
	 * first. */
	.macro vector_entry_guest_fast target
	.balign 0x80
	stp	x0, x1, [sp, #-16]!
	ldr	x0, [sp, #16 + GE_REGS]
	b	\target
	.endm

	.section .text.vectors, "ax"
	.balign 0x800			/* VBAR_EL2 ignores bits [10:0] */
	.globl	arm64_el2_vectors
arm64_el2_vectors:
	vector_entry 0			/* EL2t: tern never runs on SP_EL0 */
	vector_entry 1
	vector_entry 2
	vector_entry 3
	vector_entry_el2h 4		/* EL2h: tern's own code */
	vector_entry_el2h 5
	vector_entry_el2h 6
	vector_entry_el2h 7
	vector_entry_guest_fast arm64_guest_exit_sync	/* lower EL, AArch64 */
	vector_entry_guest_fast arm64_guest_exit_irq
	vector_entry_guest GUEST_EXIT_FIQ
	vector_entry_guest GUEST_EXIT_SERROR
	vector_entry_guest (GUEST_EXIT_AARCH32 + GUEST_EXIT_SYNC)	/* lower EL, AArch32 */
	vector_entry_guest (GUEST_EXIT_AARCH32 + GUEST_EXIT_IRQ)
	vector_entry_guest (GUEST_EXIT_AARCH32 + GUEST_EXIT_FIQ)
	vector_entry_guest (GUEST_EXIT_AARCH32 + GUEST_EXIT_SERROR)

trap_common:
	add	x0, sp, #TRAP_FRAME_SIZE	/* SP before the vector took its frame */
	stp	x30, x0, [sp, #TF_X30]
trap_save_rest:
	stp	x2, x3, [sp, #TF_X0 + 2 * 8]
	stp	x4, x5, [sp, #TF_X0 + 4 * 8]
	stp	x6, x7, [sp, #TF_X0 + 6 * 8]
	stp	x8, x9, [sp, #TF_X0 + 8 * 8]
	stp	x10, x11, [sp, #TF_X0 + 10 * 8]
	stp	x12, x13, [sp, #TF_X0 + 12 * 8]
	stp	x14, x15, [sp, #TF_X0 + 14 * 8]
	stp	x16, x17, [sp, #TF_X0 + 16 * 8]
	stp	x18, x19, [sp, #TF_X0 + 18 * 8]
	stp	x20, x21, [sp, #TF_X0 + 20 * 8]
	stp	x22, x23, [sp, #TF_X0 + 22 * 8]
	stp	x24, x25, [sp, #TF_X0 + 24 * 8]
	stp	x26, x27, [sp, #TF_X0 + 26 * 8]
	stp	x28, x29, [sp, #TF_X0 + 28 * 8]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #TF_ELR]
	mrs	x4, esr_el2
	mrs	x5, far_el2
	stp	x4, x5, [sp, #TF_ESR]
	/* A frame record {x29, ELR} makes backtraces continue through the trap. */
	stp	x29, x2, [sp, #TF_FP_REC]
	add	x29, sp, #TF_FP_REC

	mov	x0, sp
	bl	arm64_trap_entry

	/* The handler may have changed ELR/SPSR or registers: restore them all. */
	ldp	x2, x3, [sp, #TF_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x0, x1, [sp, #TF_X0]
	ldp	x2, x3, [sp, #TF_X0 + 2 * 8]
	ldp	x4, x5, [sp, #TF_X0 + 4 * 8]
	ldp	x6, x7, [sp, #TF_X0 + 6 * 8]
	ldp	x8, x9, [sp, #TF_X0 + 8 * 8]
	ldp	x10, x11, [sp, #TF_X0 + 10 * 8]
	ldp	x12, x13, [sp, #TF_X0 + 12 * 8]
	ldp	x14, x15, [sp, #TF_X0 + 14 * 8]
	ldp	x16, x17, [sp, #TF_X0 + 16 * 8]
	ldp	x18, x19, [sp, #TF_X0 + 18 * 8]
	ldp	x20, x21, [sp, #TF_X0 + 20 * 8]
	ldp	x22, x23, [sp, #TF_X0 + 22 * 8]
	ldp	x24, x25, [sp, #TF_X0 + 24 * 8]
	ldp	x26, x27, [sp, #TF_X0 + 26 * 8]
	ldp	x28, x29, [sp, #TF_X0 + 28 * 8]
	ldr	x30, [sp, #TF_X30]
	add	sp, sp, #TRAP_FRAME_SIZE
	eret
	/* No speculation past ERET into whatever follows. */
	dsb	nsh
	isb
