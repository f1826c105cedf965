/*
 * The sdei guest's assembly: what C cannot do with registers it does not
 * own.
 *
 *  - sdei_entry: the SDEI handler's entry point. It saves every register
 *    as the handler found them (x0-x3 from tern, x4-x30 and SP from the
 *    interrupted context) plus DAIF, CurrentEL, SPSel and NZCV, lets
 *    sdei_handler() (sdei.c) look at them, and ends with the completion
 *    call that C chose. A handler cannot return: COMPLETE and
 *    COMPLETE_AND_RESUME do not come back unless tern refuses them.
 *  - sdei_resume_target: where COMPLETE_AND_RESUME is sent. Entered as an
 *    IRQ vector would be, it records ELR_EL1, SPSR_EL1, PSTATE and x0-x17,
 *    then ERETs to the interrupted context.
 *  - sentinel_call: one HVC with every register x0-x30, DAIF and NZCV set
 *    to known values, and everything recorded right after it, so that the
 *    context an event interrupts (and what COMPLETE restores) is known
 *    exactly.
 */
#include "sdei_asm.h"

.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

	.text
	.balign	4
	.global	sdei_entry
sdei_entry:
	sub	sp, sp, #HF_SIZE
	stp	x0, x1, [sp, #HF_X + 16 * 0]
	stp	x2, x3, [sp, #HF_X + 16 * 1]
	stp	x4, x5, [sp, #HF_X + 16 * 2]
	stp	x6, x7, [sp, #HF_X + 16 * 3]
	stp	x8, x9, [sp, #HF_X + 16 * 4]
	stp	x10, x11, [sp, #HF_X + 16 * 5]
	stp	x12, x13, [sp, #HF_X + 16 * 6]
	stp	x14, x15, [sp, #HF_X + 16 * 7]
	stp	x16, x17, [sp, #HF_X + 16 * 8]
	stp	x18, x19, [sp, #HF_X + 16 * 9]
	stp	x20, x21, [sp, #HF_X + 16 * 10]
	stp	x22, x23, [sp, #HF_X + 16 * 11]
	stp	x24, x25, [sp, #HF_X + 16 * 12]
	stp	x26, x27, [sp, #HF_X + 16 * 13]
	stp	x28, x29, [sp, #HF_X + 16 * 14]
	str	x30, [sp, #HF_X + 8 * 30]
	mrs	x0, nzcv		/* before anything sets the flags */
	str	x0, [sp, #HF_NZCV]
	add	x0, sp, #HF_SIZE
	str	x0, [sp, #HF_SP]
	mrs	x0, daif
	str	x0, [sp, #HF_DAIF]
	mrs	x0, CurrentEL
	str	x0, [sp, #HF_CUREL]
	mrs	x0, SPSel
	str	x0, [sp, #HF_SPSEL]
	mov	x0, sp
	bl	sdei_handler		/* returns x0 = completion function, x1 = its argument */
	/* C kept x19-x29 and SP; x18 and x30 come back from the frame, so the
	 * interrupted context gets all of x18-x30 back with x0-x17 from tern.
	 * x2-x17 get values of the handler's own, so that what the
	 * completion restores is seen to be restored. */
	ldr	x18, [sp, #HF_X + 8 * 18]
	ldr	x30, [sp, #HF_X + 8 * 30]
	add	sp, sp, #HF_SIZE
	.irp	n, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
	movz	x\n, #0xbad0, lsl #48
	movk	x\n, #\n
	.endr
	hvc	#0
	/* Only a refused completion returns: x0 is tern's answer. */
	bl	sdei_completion_refused	/* does not return */
1:	wfi
	b	1b

	.balign	4
	.global	sdei_resume_target
sdei_resume_target:
	sub	sp, sp, #32
	stp	x0, x1, [sp]
	stp	x2, x3, [sp, #16]
	adr_l	x0, resume_record
	ldr	x1, [x0, #RR_COUNT]
	add	x1, x1, #1
	str	x1, [x0, #RR_COUNT]
	mrs	x1, elr_el1
	str	x1, [x0, #RR_ELR]
	mrs	x1, spsr_el1
	str	x1, [x0, #RR_SPSR]
	mrs	x1, daif
	str	x1, [x0, #RR_DAIF]
	mrs	x1, CurrentEL
	str	x1, [x0, #RR_CUREL]
	mrs	x1, SPSel
	str	x1, [x0, #RR_SPSEL]
	add	x1, sp, #32
	str	x1, [x0, #RR_SP]
	ldp	x2, x3, [sp]
	stp	x2, x3, [x0, #RR_X + 16 * 0]
	ldp	x2, x3, [sp, #16]
	stp	x2, x3, [x0, #RR_X + 16 * 1]
	stp	x4, x5, [x0, #RR_X + 16 * 2]
	stp	x6, x7, [x0, #RR_X + 16 * 3]
	stp	x8, x9, [x0, #RR_X + 16 * 4]
	stp	x10, x11, [x0, #RR_X + 16 * 5]
	stp	x12, x13, [x0, #RR_X + 16 * 6]
	stp	x14, x15, [x0, #RR_X + 16 * 7]
	stp	x16, x17, [x0, #RR_X + 16 * 8]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp]
	add	sp, sp, #32
	eret

/*
 * void sentinel_call(struct sentinel_call *s): x0-x30 = s->in[], DAIF and
 * NZCV as asked, HVC #0, then s->out[] = x0-x30 and PSTATE as they came
 * back. s->pc is the address right after the HVC: the PC an event
 * delivered on the way back from the call interrupts.
 *
 * Stack: [sp] x29, x30; [16..95] x19-x28; [96] s; [104] the caller's DAIF;
 * [112] scratch for x30 after the call.
 */
	.balign	4
	.global	sentinel_call
sentinel_call:
	stp	x29, x30, [sp, #-128]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x1, daif
	stp	x0, x1, [sp, #96]
	mov	x1, sp
	str	x1, [x0, #SC_SP_IN]
	adr	x1, 2f
	str	x1, [x0, #SC_PC]
	ldr	x1, [x0, #SC_DAIF_IN]
	msr	daif, x1
	ldr	x1, [x0, #SC_NZCV_IN]
	msr	nzcv, x1		/* nothing below sets flags */
	ldp	x2, x3, [x0, #SC_IN + 16 * 1]
	ldp	x4, x5, [x0, #SC_IN + 16 * 2]
	ldp	x6, x7, [x0, #SC_IN + 16 * 3]
	ldp	x8, x9, [x0, #SC_IN + 16 * 4]
	ldp	x10, x11, [x0, #SC_IN + 16 * 5]
	ldp	x12, x13, [x0, #SC_IN + 16 * 6]
	ldp	x14, x15, [x0, #SC_IN + 16 * 7]
	ldp	x16, x17, [x0, #SC_IN + 16 * 8]
	ldp	x18, x19, [x0, #SC_IN + 16 * 9]
	ldp	x20, x21, [x0, #SC_IN + 16 * 10]
	ldp	x22, x23, [x0, #SC_IN + 16 * 11]
	ldp	x24, x25, [x0, #SC_IN + 16 * 12]
	ldp	x26, x27, [x0, #SC_IN + 16 * 13]
	ldp	x28, x29, [x0, #SC_IN + 16 * 14]
	ldr	x30, [x0, #SC_IN + 8 * 30]
	ldp	x0, x1, [x0, #SC_IN]	/* the base last */
	hvc	#0
2:	str	x30, [sp, #112]
	ldr	x30, [sp, #96]
	stp	x0, x1, [x30, #SC_OUT + 16 * 0]
	stp	x2, x3, [x30, #SC_OUT + 16 * 1]
	stp	x4, x5, [x30, #SC_OUT + 16 * 2]
	stp	x6, x7, [x30, #SC_OUT + 16 * 3]
	stp	x8, x9, [x30, #SC_OUT + 16 * 4]
	stp	x10, x11, [x30, #SC_OUT + 16 * 5]
	stp	x12, x13, [x30, #SC_OUT + 16 * 6]
	stp	x14, x15, [x30, #SC_OUT + 16 * 7]
	stp	x16, x17, [x30, #SC_OUT + 16 * 8]
	stp	x18, x19, [x30, #SC_OUT + 16 * 9]
	stp	x20, x21, [x30, #SC_OUT + 16 * 10]
	stp	x22, x23, [x30, #SC_OUT + 16 * 11]
	stp	x24, x25, [x30, #SC_OUT + 16 * 12]
	stp	x26, x27, [x30, #SC_OUT + 16 * 13]
	stp	x28, x29, [x30, #SC_OUT + 16 * 14]
	ldr	x0, [sp, #112]
	str	x0, [x30, #SC_OUT + 8 * 30]
	mrs	x0, nzcv
	str	x0, [x30, #SC_NZCV_OUT]
	mrs	x0, daif
	str	x0, [x30, #SC_DAIF_OUT]
	mov	x0, sp
	str	x0, [x30, #SC_SP_OUT]
	ldr	x0, [sp, #104]
	msr	daif, x0
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #128
	ret

/*
 * long signal_x19_changed(unsigned long fid, unsigned long a1,
 *                         unsigned long a2): HVC fid(a1, a2) with x19-x28
 * = 0xbad0000 + n around it, the caller's put back after. Returns x0.
 */
	.balign	4
	.global	signal_x19_changed
signal_x19_changed:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	.irp	n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28
	movz	x\n, #0xbad, lsl #16
	movk	x\n, #\n
	.endr
	hvc	#0
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	.bss
	.balign	8
	.global	resume_record
resume_record:
	.skip	RR_X + 18 * 8

	.section .note.GNU-stack, "", %progbits
