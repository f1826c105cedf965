/*
 * tern's first instructions: the arm64 Linux Image header, so QEMU's
 * -kernel and U-Boot's booti load tern like a kernel and pass x0 = DTB,
 * then the primary and secondary entry paths up to core C.
 *
 * Both paths run with the MMU and data cache off until core builds tern's
 * tables and calls arch_mmu_enable(); nothing here depends on the link
 * address, so the image may be loaded anywhere (header flag bit 3).
 */
#include <generated/asm-offsets.h>
#include <arch/sysreg.h>

#define R_AARCH64_RELATIVE 1027

	.section .head.text, "ax"
	.globl	arm64_image_header
arm64_image_header:
	/* Image header, Documentation/arm64/booting.rst in Linux. */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: load at a 2 MiB boundary */
	/* image_size covers bss, so a loader keeps that memory free. It is
	 * split into 32-bit halves because a 64-bit absolute reference would
	 * become a dynamic relocation in a PIE and read as 0 in the file. */
	.long	__image_size_lo32
	.long	__image_size_hi32
	.quad	0xa			/* flags: LE, 4 KiB pages, anywhere in RAM */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE/COFF header */

	.text
primary_entry:
	mov	x19, x0			/* the DTB, for tern_main */
	msr	daifset, #0xf

	/* At EL2 reset what the loader may have left (el2_reset_state). At
	 * EL1 (QEMU without virtualization=on) leave every EL2 register
	 * alone: they would UNDEF with no vectors to catch it, and core must
	 * still get to print arch_check_host()'s explanation. */
	mrs	x20, CurrentEL
	cmp	x20, #CURRENTEL_EL2
	b.ne	1f
	bl	el2_reset_state
1:
	bl	apply_relocations
	bl	zero_bss
	bl	invalidate_image

	/* The boot CPU runs on cpu_stacks[0]; core sets pcpus[0].stack_top. */
	adrp	x1, cpu_stacks
	add	x1, x1, :lo12:cpu_stacks
	ldr	x2, =CPU_STACK_SIZE
	add	sp, x1, x2

	cmp	x20, #CURRENTEL_EL2
	b.ne	2f
	adrp	x1, pcpus
	add	x1, x1, :lo12:pcpus
	msr	tpidr_el2, x1
	adrp	x1, arm64_el2_vectors
	add	x1, x1, :lo12:arm64_el2_vectors
	msr	vbar_el2, x1
	isb
2:
	/* x29 = 0 ends every frame-pointer chain. */
	mov	x29, xzr
	mov	x0, x19
	mrs	x1, mpidr_el1
	ldr	x2, =MPIDR_HWID_MASK
	and	x1, x1, x2
	bl	tern_main
	b	arm64_park

/*
 * Secondary CPUs come here from PSCI CPU_ON at EL2 with the MMU off and
 * x0 = their struct pcpu (the context_id arch_start_cpu() passed).
 */
	.globl	arm64_secondary_entry
arm64_secondary_entry:
	msr	daifset, #0xf
	bl	el2_reset_state
	ldr	x1, [x0, #PCPU_STACK_TOP]
	mov	sp, x1
	msr	tpidr_el2, x0
	adrp	x1, arm64_el2_vectors
	add	x1, x1, :lo12:arm64_el2_vectors
	msr	vbar_el2, x1
	isb
	mov	x29, xzr
	bl	tern_secondary_main
	b	arm64_park

/*
 * EL2 as tern expects it, whatever the loader left: HCR_EL2.E2H = 0 first,
 * since it decides the layout of SCTLR_EL2 and friends (non-VHE), then
 * SCTLR_EL2 with only its RES1 bits (MMU and caches off, little endian).
 * Clobbers x1.
 */
el2_reset_state:
	ldr	x1, =HCR_RW
	msr	hcr_el2, x1
	isb
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb
	ret

/*
 * tern is linked -pie: every absolute address in data is an
 * R_AARCH64_RELATIVE entry in .rela.dyn whose addend is a link-time
 * address. Add the load offset (runtime minus link address of the image
 * start) to each, so tern runs wherever it was loaded. -z text keeps text
 * free of relocations; other types cannot occur in a static PIE and are
 * skipped (R_AARCH64_NONE).
 */
apply_relocations:
	adrp	x1, __image_start
	add	x1, x1, :lo12:__image_start
	ldr	x2, link_base
	sub	x9, x1, x2		/* load offset */
	adrp	x1, arm64_load_offset
	str	x9, [x1, :lo12:arm64_load_offset]	/* for backtraces */
	adrp	x3, __rela_start
	add	x3, x3, :lo12:__rela_start
	adrp	x4, __rela_end
	add	x4, x4, :lo12:__rela_end
3:	cmp	x3, x4
	b.hs	4f
	ldp	x5, x6, [x3], #16	/* r_offset, r_info */
	ldr	x7, [x3], #8		/* r_addend */
	cmp	w6, #R_AARCH64_RELATIVE
	b.ne	3b
	add	x7, x7, x9
	str	x7, [x5, x9]
	b	3b
4:	ret

	/* The link address of __image_start, as an absolute (not relocated)
	 * value for the same reason as image_size above. */
	.balign	8
link_base:
	.long	__link_base_lo32
	.long	__link_base_hi32

zero_bss:
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
5:	cmp	x1, x2
	b.hs	6f
	stp	xzr, xzr, [x1], #16	/* bss is 16-byte aligned and sized */
	b	5b
6:	ret

/*
 * Everything above wrote memory with the data cache off. Lines the loader
 * left in the caches for this range would be stale once core turns caching
 * on: invalidate them (not clean: a write-back would undo our writes).
 */
invalidate_image:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2 of words per line */
	mov	x2, #4
	lsl	x2, x2, x3		/* smallest D-cache line in bytes */
	adrp	x0, __image_start
	add	x0, x0, :lo12:__image_start
	adrp	x1, __image_end
	add	x1, x1, :lo12:__image_end
7:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	7b
	dsb	sy
	ic	iallu			/* the loader's stale instructions, too */
	dsb	nsh
	isb
	ret

	.data
	.balign	8
	.globl	arm64_load_offset
arm64_load_offset:
	.quad	0

	.text
	.globl	arm64_park
arm64_park:
	msr	daifset, #0xf
8:	wfi
	b	8b
