/*
 * The benchmark's own EL1 vector table, installed only while interrupts
 * are measured (the runtime's vectors treat every IRQ as fatal). An IRQ
 * reads the cycle counter and the virtual counter first thing, then calls
 * bench_irq(cycles, ticks) with the caller-saved registers kept. Any other
 * exception here is a bug: the CPU stops (wfi loop).
 */
#define FRAME (20 * 8)

.macro vhang
	.balign	128
1:	wfi
	b	1b
.endm

.macro virq
	.balign	128
	sub	sp, sp, #FRAME
	stp	x0, x1, [sp]
	mrs	x0, pmccntr_el0
	mrs	x1, cntvct_el0
	b	bench_irq_common
.endm

	.text
	.balign	2048
	.global	bench_vectors
bench_vectors:
	vhang			/* EL1t */
	vhang
	vhang
	vhang
	vhang			/* EL1h sync */
	virq			/* EL1h irq */
	vhang
	vhang
	vhang			/* lower ELs: never */
	vhang
	vhang
	vhang
	vhang
	vhang
	vhang
	vhang

bench_irq_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x30, [sp, #16 * 9]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #-16]!
	bl	bench_irq
	ldp	x2, x3, [sp], #16
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x30, [sp, #16 * 9]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME
	eret

	.section .note.GNU-stack, "", %progbits
