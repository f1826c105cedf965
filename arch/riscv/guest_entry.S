/*
 * The world switch between tern (HS-mode) and a guest (VS-mode).
 *
 * riscv_guest_enter(regs) saves tern's callee-saved registers and the CSRs
 * it replaces into regs, points stvec at riscv_guest_exit and sscratch at
 * regs, loads the guest's registers and srets into it (hstatus.SPV = 1).
 * Every trap from the guest lands in riscv_guest_exit, which saves the
 * guest's registers and trap CSRs into the same struct, puts tern's state
 * back, and returns from riscv_guest_enter as if it were a call: C then
 * reads the cause from regs. An SBI call first tries the fast path
 * (riscv_fast_exit, exit.c), which answers it and srets straight back
 * with only the caller-saved registers moved. Offsets come from
 * asm-offsets.c.
 *
 * sstatus.SIE stays 0 throughout: while the guest runs, HS-level
 * interrupts enabled in sie are taken anyway (V = 1), and in tern they are
 * only ever polled.
 */
#include <generated/asm-offsets.h>
#include <arch/fast_exit.h>

#define GX(n) (GR_X + 8 * (n))
#define HC(n) (GR_HOST_CALLEE + 8 * (n))


/*
 * The guest's registers in two groups, to and from its block at a0 (never
 * a0 itself, the base: x10 moves on its own): what the fast path moves
 * (the caller-saved ones, and sp, gp, tp, s0, which tern's C needs for
 * itself), and s1-s11, which C keeps.
 */
	.macro	fast_regs op
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31
	\op	x\n, GX(\n)(a0)
	.endr
	.endm

	.macro	s_regs op
	.irp	n, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
	\op	x\n, GX(\n)(a0)
	.endr
	.endm

	.section .text.riscv_guest_enter, "ax"
	.globl	riscv_guest_enter
riscv_guest_enter:
	sd	ra, HC(0)(a0)
	sd	gp, HC(1)(a0)
	sd	tp, HC(2)(a0)
	sd	s0, HC(3)(a0)
	sd	s1, HC(4)(a0)
	sd	s2, HC(5)(a0)
	sd	s3, HC(6)(a0)
	sd	s4, HC(7)(a0)
	sd	s5, HC(8)(a0)
	sd	s6, HC(9)(a0)
	sd	s7, HC(10)(a0)
	sd	s8, HC(11)(a0)
	sd	s9, HC(12)(a0)
	sd	s10, HC(13)(a0)
	sd	s11, HC(14)(a0)
	sd	sp, GR_HOST_SP(a0)
	csrr	t0, stvec
	sd	t0, GR_HOST_STVEC(a0)
	csrr	t0, sscratch
	sd	t0, GR_HOST_SSCRATCH(a0)
	csrr	t0, sstatus
	sd	t0, GR_HOST_SSTATUS(a0)
	csrr	t0, hstatus
	sd	t0, GR_HOST_HSTATUS(a0)

	la	t0, riscv_guest_exit
	csrw	stvec, t0
	csrw	sscratch, a0
	ld	t0, GR_SEPC(a0)
	csrw	sepc, t0
	ld	t0, GR_SSTATUS(a0)
	csrw	sstatus, t0
	ld	t0, GR_HSTATUS(a0)
	csrw	hstatus, t0

	fast_regs ld
	s_regs ld
	ld	x10, GX(10)(a0)			/* last: it is the base */
	sret

	.section .text.riscv_guest_exit, "ax"
	.balign	4				/* stvec BASE is 4-byte aligned */
riscv_guest_exit:
	csrrw	a0, sscratch, a0		/* a0 = regs, sscratch = guest a0 */
	/* First what a C call may clobber, and the registers C needs for
	 * itself (sp, gp, tp, the frame pointer s0): enough for the fast
	 * path, which answers an SBI call without the rest. */
	fast_regs sd
	csrr	t0, sscratch
	sd	t0, GX(10)(a0)
	csrr	t0, sepc
	sd	t0, GR_SEPC(a0)
	csrr	t0, sstatus
	sd	t0, GR_SSTATUS(a0)
	csrr	t0, hstatus
	sd	t0, GR_HSTATUS(a0)
	csrr	t1, scause
	sd	t1, GR_SCAUSE(a0)
	/* tern's own sp, gp, tp and frame pointer, trap vector and sscratch
	 * (a trap in tern, such as a guest-memory access fault, must reach
	 * tern's handler). */
	ld	sp, GR_HOST_SP(a0)
	ld	gp, HC(1)(a0)
	ld	tp, HC(2)(a0)
	ld	s0, HC(3)(a0)
	ld	t0, GR_HOST_STVEC(a0)
	csrw	stvec, t0
	ld	t0, GR_HOST_SSCRATCH(a0)
	csrw	sscratch, t0
	bltz	t1, 3f				/* an interrupt: the full way at once */
	li	t0, FAST_SCAUSE_MASK
	srl	t0, t0, t1
	andi	t0, t0, 1
	beqz	t0, 3f				/* nor an exception it takes */
	addi	sp, sp, -16
	sd	a0, 0(sp)
	call	riscv_fast_exit
	mv	a1, a0
	ld	a0, 0(sp)
	addi	sp, sp, 16
	li	t0, FAST_REENTER
	bne	a1, t0, 1f

	/* Handled: back into the guest. s1-s11 never left the registers. */
	la	t0, riscv_guest_exit
	csrw	stvec, t0
	csrw	sscratch, a0
	ld	t0, GR_SEPC(a0)
	csrw	sepc, t0
	ld	t0, GR_SSTATUS(a0)
	csrw	sstatus, t0
	ld	t0, GR_HSTATUS(a0)
	csrw	hstatus, t0
	fast_regs ld
	ld	x10, GX(10)(a0)			/* last: it is the base */
	sret

	/* The full exit. Not for the fast path: its trap CSRs too (the fast
	 * path's C reads those it needs itself, before anything in tern can
	 * trap and change them). */
3:	csrr	t0, stval
	sd	t0, GR_STVAL(a0)
	csrr	t0, htval
	sd	t0, GR_HTVAL(a0)
	csrr	t0, htinst
	sd	t0, GR_HTINST(a0)
	li	a1, FAST_DECLINE
	/* a1: what the fast path said. The guest's s1-s11 are still in the
	 * registers, unless the handler rewrote every register (a reset). */
1:	li	t0, FAST_REGS_DONE
	beq	a1, t0, 2f
	s_regs sd
2:	ld	t0, GR_HOST_SSTATUS(a0)
	csrw	sstatus, t0
	ld	t0, GR_HOST_HSTATUS(a0)
	csrw	hstatus, t0

	ld	ra, HC(0)(a0)
	ld	s1, HC(4)(a0)
	ld	s2, HC(5)(a0)
	ld	s3, HC(6)(a0)
	ld	s4, HC(7)(a0)
	ld	s5, HC(8)(a0)
	ld	s6, HC(9)(a0)
	ld	s7, HC(10)(a0)
	ld	s8, HC(11)(a0)
	ld	s9, HC(12)(a0)
	ld	s10, HC(13)(a0)
	ld	s11, HC(14)(a0)
	/* riscv_guest_enter returns GUEST_EXIT_HANDLED when the fast path
	 * did the exit's work, else 0. */
	snez	a0, a1
	ret

/*
 * FP registers of a vCPU (struct riscv_fp_state: f0-f31, then fcsr). tern
 * is built without F/D, so these two are assembled with D enabled; the
 * caller has set sstatus.FS to a non-Off value around the call.
 */
	.option	push
	.option	arch, +d
	.section .text.riscv_fp_save, "ax"
	.globl	riscv_fp_save
riscv_fp_save:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (8 * \n)(a0)
	.endr
	frcsr	t0
	sd	t0, (8 * 32)(a0)
	ret

	.section .text.riscv_fp_load, "ax"
	.globl	riscv_fp_load
riscv_fp_load:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (8 * \n)(a0)
	.endr
	ld	t0, (8 * 32)(a0)
	fscsr	t0
	ret
	.option	pop
