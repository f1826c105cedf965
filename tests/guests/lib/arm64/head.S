/*
 * arm64 guest entry. The image starts with a Linux arm64 Image header so
 * that QEMU's -kernel (and tern, which loads guests the same way) treats it
 * like a kernel: entered at EL1 with the MMU off and x0 = DTB.
 *
 * The image is position independent: it is linked at 0, and before any C
 * runs this code applies its R_AARCH64_RELATIVE relocations for the address
 * it was actually loaded at, so a loader may place it anywhere (2 MiB
 * aligned, as the Image format promises).
 */

#define R_AARCH64_RELATIVE 1027

/* The address of sym at run time: PC-relative, so right before and after
 * relocation, with the MMU off (then it is the physical address). */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

	.section .head.start, "ax"
	.global _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: none, see flags bit 3 */
	/* image_size (file plus bss) comes from the linker script */
	.section .head, "ax"
	.quad	0x8			/* flags: little endian, any page size,
					   loadable anywhere in RAM (bit 3) */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE/COFF header */

	.text
primary_entry:
	msr	daifset, #0xf		/* no interrupt before vectors exist */
	mov	x19, x0			/* DTB */
	adr_l	x20, _start		/* load address: the relocation base */

	/* bss first: the stack lives there. The loader only copied the file. */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b

	/* Then the relocations: each Elf64_Rela is {offset, info, addend}.
	 * The build rejects any other type, so others are not expected. */
2:	adr_l	x0, __rela_start
	adr_l	x1, __rela_end
3:	cmp	x0, x1
	b.hs	5f
	ldp	x2, x3, [x0], #16
	ldr	x4, [x0], #8
	cmp	x3, #R_AARCH64_RELATIVE
	b.ne	3b
	add	x4, x4, x20
	str	x4, [x20, x2]
	b	3b

5:	adr_l	x0, boot_stack_top
	mov	sp, x0
	adr_l	x0, vectors
	msr	vbar_el1, x0
	isb
	mov	x0, x19
	bl	arm64_boot		/* does not return */
6:	wfi
	b	6b

/*
 * PSCI CPU_ON enters here at EL1, MMU off, with x0 = the context id: a
 * struct cpu_boot whose first word is this CPU's stack top. The primary has
 * already relocated the image.
 */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	ldr	x1, [x0]
	mov	sp, x1
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb
	bl	guest_secondary		/* x0 = struct cpu_boot *; no return */
7:	wfi
	b	7b

/*
 * Exception vectors: 16 entries of 128 bytes, 2 KiB aligned. Every entry
 * saves the full frame (struct arm64_regs in arch.c) and calls
 * arm64_exception(regs, vector number); a handled exception returns with
 * the (possibly advanced) ELR.
 */
#define FRAME_SIZE (36 * 8)

.macro ventry num
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\num
	b	exception_common
.endm

	.balign	2048
vectors:
	ventry	0	/* current EL, SP0: sync, irq, fiq, serror */
	ventry	1
	ventry	2
	ventry	3
	ventry	4	/* current EL, SPx */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64 */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15

exception_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x2, sp, #FRAME_SIZE	/* the interrupted code's sp */
	stp	x30, x2, [sp, #16 * 15]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #16 * 16]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #16 * 17]
	mov	x0, sp
	bl	arm64_exception
	/* The handler may have moved ELR (skipping an instruction). */
	ldp	x2, x3, [sp, #16 * 16]
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
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #16 * 15]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret

/* The boot CPU's stack; secondaries get theirs from lib/setup.c. */
	.bss
	.balign	16
boot_stack:
	.skip	16384
boot_stack_top:

	.section .note.GNU-stack, "", %progbits
