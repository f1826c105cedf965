/*
 * SSE handler entry and the asm helpers of the SSE test guest.
 *
 * sse_entry: the registered ENTRY_PC. a6 = hart id, a7 = ENTRY_ARG, which
 * is a struct sse_ctx: { stack_top, saved_sp }. Saves every register on the
 * context's stack, calls sse_handler(hartid, ctx), restores them and calls
 * SSE COMPLETE (which restores the interrupted a6/a7 and sepc).
 */
#define SSE_EID 0x535345
#define SSE_COMPLETE 6
#define SSE_INJECT 7

	.text
	.balign 4
	.globl sse_entry
sse_entry:
	sd	sp, 8(a7)
	ld	sp, 0(a7)
	addi	sp, sp, -256
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	tp, 16(sp)
	sd	t0, 24(sp)
	sd	t1, 32(sp)
	sd	t2, 40(sp)
	sd	s0, 48(sp)
	sd	s1, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	sd	s2, 128(sp)
	sd	s3, 136(sp)
	sd	s4, 144(sp)
	sd	s5, 152(sp)
	sd	s6, 160(sp)
	sd	s7, 168(sp)
	sd	s8, 176(sp)
	sd	s9, 184(sp)
	sd	s10, 192(sp)
	sd	s11, 200(sp)
	sd	t3, 208(sp)
	sd	t4, 216(sp)
	sd	t5, 224(sp)
	sd	t6, 232(sp)
	mv	a0, a6
	mv	a1, a7
	call	sse_handler
	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	tp, 16(sp)
	ld	t0, 24(sp)
	ld	t1, 32(sp)
	ld	t2, 40(sp)
	ld	s0, 48(sp)
	ld	s1, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	s2, 128(sp)
	ld	s3, 136(sp)
	ld	s4, 144(sp)
	ld	s5, 152(sp)
	ld	s6, 160(sp)
	ld	s7, 168(sp)
	ld	s8, 176(sp)
	ld	s9, 184(sp)
	ld	s10, 192(sp)
	ld	s11, 200(sp)
	ld	t3, 208(sp)
	ld	t4, 216(sp)
	ld	t5, 224(sp)
	ld	t6, 232(sp)
	ld	a7, 120(sp)
	ld	sp, 8(a7)
	li	a6, SSE_COMPLETE
	li	a7, SSE_EID
	ecall
	/* COMPLETE with a handler running does not return here. */
1:	j	1b

/*
 * void sse_wfi(void): one WFI, at an address of its own, so that the event
 * handler can tell it interrupted a hart just before that slept.
 */
	.globl sse_wfi
sse_wfi:
	wfi
	ret

/*
 * long sse_spin_a6a7(volatile long *flag, unsigned long out[2], long loops):
 * spin with a6/a7 holding known values until *flag is set (by a handler
 * that interrupts the loop) or loops run out; store a6/a7 as found to out.
 */
	.globl sse_spin_a6a7
sse_spin_a6a7:
	li	a6, 0x6666
	li	a7, 0x7777
1:	ld	t0, 0(a0)
	bnez	t0, 2f
	addi	a2, a2, -1
	bnez	a2, 1b
2:	sd	a6, 0(a1)
	sd	a7, 8(a1)
	mv	a0, t0
	ret

/*
 * unsigned long sse_inject_bad(unsigned long event, unsigned long hart):
 * with stvec pointed at a local trap stub, inject the event (registered
 * with an ENTRY_PC outside RAM) to this hart. The fetch at ENTRY_PC faults;
 * the stub records scause, points sepc back here and completes the event,
 * which resumes at 1: below. Returns the recorded scause (0: no fault).
 */
	.globl sse_inject_bad
sse_inject_bad:
	addi	sp, sp, -16
	csrr	t0, stvec
	sd	t0, 0(sp)
	la	t0, bad_cause
	sd	zero, 0(t0)
	la	t0, bad_trap
	csrw	stvec, t0
	li	a6, SSE_INJECT
	li	a7, SSE_EID
	ecall
1:	ld	t0, 0(sp)
	csrw	stvec, t0
	addi	sp, sp, 16
	la	t0, bad_cause
	ld	a0, 0(t0)
	ret

	.balign 4
bad_trap:
	csrr	t0, scause
	la	t1, bad_cause
	sd	t0, 0(t1)
	la	t1, 1b
	csrw	sepc, t1
	li	a6, SSE_COMPLETE
	li	a7, SSE_EID
	ecall
2:	j	2b

	.data
	.balign 8
bad_cause:
	.quad	0

/*
 * long sse_inject_ctx(unsigned long event, unsigned long hart,
 *                     unsigned long sepc, unsigned long out[2]):
 * with sepc = the given value and sstatus.SPIE set, inject the event to
 * this hart; the handler runs when the ecall returns. Returns 0 when
 * resumed right after the ecall, 1 when resumed at sse_redirect (the
 * handler set its sepc there); out[] gets sepc and sstatus as found then.
 */
	.text
	.globl sse_inject_ctx
	.globl sse_redirect
sse_inject_ctx:
	mv	t3, a3
	csrw	sepc, a2
	li	t0, 0x20
	csrs	sstatus, t0
	li	a6, SSE_INJECT
	li	a7, SSE_EID
	ecall
	li	a0, 0
	j	1f
sse_redirect:
	li	a0, 1
1:	csrr	t0, sepc
	sd	t0, 0(t3)
	csrr	t0, sstatus
	sd	t0, 8(t3)
	ret

/* s1-s11 to and from the helper's frame at 0(sp)..80(sp). */
	.macro	sregs op
	\op	s1, 0(sp)
	.irp	n, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	\op	s\n, (\n - 1) * 8(sp)
	.endr
	.endm

/*
 * long sse_inject_keep(unsigned long event, unsigned long hart,
 *                      unsigned long out[11]):
 * with s1-s11 = 0x5100 + n (n = 1..11), inject the event to this hart;
 * after the handler(s) completed, store s1-s11 as found to out[] and put
 * the caller's back. The SBI saves only a6/a7 of the interrupted context:
 * the rest must reach the interrupted code as it was.
 */
	.text
	.globl sse_inject_keep
sse_inject_keep:
	addi	sp, sp, -112
	sregs sd
	sd	a2, 88(sp)
	li	s1, 0x5101
	li	s2, 0x5102
	li	s3, 0x5103
	li	s4, 0x5104
	li	s5, 0x5105
	li	s6, 0x5106
	li	s7, 0x5107
	li	s8, 0x5108
	li	s9, 0x5109
	li	s10, 0x510a
	li	s11, 0x510b
	li	a6, SSE_INJECT
	li	a7, SSE_EID
	ecall
	ld	t0, 88(sp)
	sd	s1, 0(t0)
	sd	s2, 8(t0)
	sd	s3, 16(t0)
	sd	s4, 24(t0)
	sd	s5, 32(t0)
	sd	s6, 40(t0)
	sd	s7, 48(t0)
	sd	s8, 56(t0)
	sd	s9, 64(t0)
	sd	s10, 72(t0)
	sd	s11, 80(t0)
	sregs ld
	addi	sp, sp, 112
	ret

/*
 * long sse_inject_clobbered(unsigned long event, unsigned long hart):
 * from a handler: with s1-s11 = 0xbad00 + n, send this hart an IPI (an
 * SBI call a hypervisor must act on before it resumes the caller) and
 * inject the event again (it is running: pending); then clear the IPI and
 * put s1-s11 back. Returns the inject's error.
 */
	.globl sse_inject_clobbered
sse_inject_clobbered:
	addi	sp, sp, -112
	sregs sd
	li	s1, 0xbad01
	li	s2, 0xbad02
	li	s3, 0xbad03
	li	s4, 0xbad04
	li	s5, 0xbad05
	li	s6, 0xbad06
	li	s7, 0xbad07
	li	s8, 0xbad08
	li	s9, 0xbad09
	li	s10, 0xbad0a
	li	s11, 0xbad0b
	sd	a0, 88(sp)
	sd	a1, 104(sp)
	li	a0, 1				/* send_ipi(mask 1, base = hart) */
	li	a6, 0
	li	a7, 0x735049
	ecall
	ld	a0, 88(sp)
	ld	a1, 104(sp)
	li	a6, SSE_INJECT
	li	a7, SSE_EID
	ecall
	li	t0, 2
	csrc	sip, t0
	sregs ld
	addi	sp, sp, 112
	ret
