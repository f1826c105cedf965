/*
 * Where the hsm checks have SBI start (HART_START) and resume (non-retentive
 * HART_SUSPEND) the second hart: S-mode, a0 = hart id, a1 = opaque, which
 * they make a struct hsm_ctx (hsm.c) whose first two words are the stack
 * top and the trap vector. sstatus and satp are passed on as they came,
 * before anything here changes them, for the checks of the entry state.
 */
#define SSTATUS_SIE 0x2

	.text
	.balign	4
	.global	hsm_entry
hsm_entry:
	csrr	a2, sstatus
	csrr	a3, satp
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	ld	sp, 0(a1)
	ld	t0, 8(a1)
	csrw	stvec, t0
	mv	tp, a0			/* this_cpu_hwid() */
	call	hsm_secondary		/* (hartid, ctx, sstatus, satp): no return */
1:	wfi
	j	1b

	.section .note.GNU-stack, "", %progbits
