/*
 * RISC-V guest entry. The image starts with a Linux RISC-V Image header so
 * that it is loaded like a kernel: SBI firmware enters it in S-mode (VS-mode
 * under tern) with a0 = hart id, a1 = DTB, satp = 0.
 *
 * The image is position independent: it is linked at 0 and applies its own
 * R_RISCV_RELATIVE relocations for the load address before any C runs.
 * Everything here addresses through lla (PC-relative, never the GOT).
 */

#define R_RISCV_RELATIVE 3
#define SSTATUS_SIE 0x2

	.section .head.start, "ax"
	.global _start
_start:
	.option push
	.option norvc			/* code0 must be exactly 4 bytes */
	j	primary_entry		/* code0 */
	.option pop
	.word	0			/* code1 */
	.dword	0x200000		/* text_offset: 2 MiB past RAM, where
					   OpenSBI and Linux expect a kernel */
	/* image_size (file plus bss) comes from the linker script */
	.section .head, "ax"
	.dword	0			/* flags: little endian */
	.word	2			/* header version 0.2 */
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic (deprecated, still checked
					   by some loaders) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* res3: no PE/COFF header */

	.text
primary_entry:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	mv	s0, a0			/* hart id */
	mv	s1, a1			/* DTB */
	lla	s2, _start		/* load address: the relocation base */

	/* bss first: the stack lives there. The loader only copied the file. */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b

	/* Elf64_Rela {offset, info, addend}; the build rejects other types. */
2:	lla	t0, __rela_start
	lla	t1, __rela_end
	li	t5, R_RISCV_RELATIVE
3:	bgeu	t0, t1, 5f
	ld	t2, 0(t0)
	ld	t3, 8(t0)
	ld	t4, 16(t0)
	addi	t0, t0, 24
	bne	t3, t5, 3b
	add	t4, t4, s2
	add	t2, t2, s2
	sd	t4, 0(t2)
	j	3b

5:	fence.i
	lla	sp, boot_stack_top
	lla	t0, trap_entry
	csrw	stvec, t0
	mv	tp, s0			/* tp holds the hart id: S-mode cannot
					   read mhartid */
	mv	a0, s1
	mv	a1, s0
	call	guest_boot		/* does not return */
6:	wfi
	j	6b

/*
 * SBI HART_START enters here in S-mode with a0 = hart id, a1 = opaque: a
 * struct cpu_boot whose first word is this hart's stack top.
 */
	.global secondary_entry
secondary_entry:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	ld	sp, 0(a1)
	lla	t0, trap_entry
	csrw	stvec, t0
	mv	tp, a0
	mv	a0, a1
	call	guest_secondary		/* no return */
7:	wfi
	j	7b

/*
 * Traps: there is no lower privilege to come from, so the current sp is
 * good. Saves the full frame (struct riscv_regs in arch.c) and calls
 * riscv_exception(regs); a handled trap returns with the (possibly
 * advanced) sepc.
 */
#define FRAME_SIZE (36 * 8)
#define REG(n) ((n) * 8)

	.balign	4
trap_entry:
	addi	sp, sp, -FRAME_SIZE
	sd	x1, REG(1)(sp)
	sd	x3, REG(3)(sp)
	sd	x4, REG(4)(sp)
	sd	x5, REG(5)(sp)
	sd	x6, REG(6)(sp)
	sd	x7, REG(7)(sp)
	sd	x8, REG(8)(sp)
	sd	x9, REG(9)(sp)
	sd	x10, REG(10)(sp)
	sd	x11, REG(11)(sp)
	sd	x12, REG(12)(sp)
	sd	x13, REG(13)(sp)
	sd	x14, REG(14)(sp)
	sd	x15, REG(15)(sp)
	sd	x16, REG(16)(sp)
	sd	x17, REG(17)(sp)
	sd	x18, REG(18)(sp)
	sd	x19, REG(19)(sp)
	sd	x20, REG(20)(sp)
	sd	x21, REG(21)(sp)
	sd	x22, REG(22)(sp)
	sd	x23, REG(23)(sp)
	sd	x24, REG(24)(sp)
	sd	x25, REG(25)(sp)
	sd	x26, REG(26)(sp)
	sd	x27, REG(27)(sp)
	sd	x28, REG(28)(sp)
	sd	x29, REG(29)(sp)
	sd	x30, REG(30)(sp)
	sd	x31, REG(31)(sp)
	addi	t0, sp, FRAME_SIZE	/* the interrupted code's sp */
	sd	t0, REG(2)(sp)
	csrr	t0, sepc
	sd	t0, REG(32)(sp)
	csrr	t0, sstatus
	sd	t0, REG(33)(sp)
	csrr	t0, scause
	sd	t0, REG(34)(sp)
	csrr	t0, stval
	sd	t0, REG(35)(sp)
	mv	a0, sp
	call	riscv_exception
	ld	t0, REG(32)(sp)
	csrw	sepc, t0
	ld	t0, REG(33)(sp)
	csrw	sstatus, t0
	ld	x1, REG(1)(sp)
	ld	x3, REG(3)(sp)
	ld	x4, REG(4)(sp)
	ld	x5, REG(5)(sp)
	ld	x6, REG(6)(sp)
	ld	x7, REG(7)(sp)
	ld	x8, REG(8)(sp)
	ld	x9, REG(9)(sp)
	ld	x10, REG(10)(sp)
	ld	x11, REG(11)(sp)
	ld	x12, REG(12)(sp)
	ld	x13, REG(13)(sp)
	ld	x14, REG(14)(sp)
	ld	x15, REG(15)(sp)
	ld	x16, REG(16)(sp)
	ld	x17, REG(17)(sp)
	ld	x18, REG(18)(sp)
	ld	x19, REG(19)(sp)
	ld	x20, REG(20)(sp)
	ld	x21, REG(21)(sp)
	ld	x22, REG(22)(sp)
	ld	x23, REG(23)(sp)
	ld	x24, REG(24)(sp)
	ld	x25, REG(25)(sp)
	ld	x26, REG(26)(sp)
	ld	x27, REG(27)(sp)
	ld	x28, REG(28)(sp)
	ld	x29, REG(29)(sp)
	ld	x30, REG(30)(sp)
	ld	x31, REG(31)(sp)
	addi	sp, sp, FRAME_SIZE
	sret

/* The boot hart's stack; secondaries get theirs from lib/setup.c. */
	.bss
	.balign	16
boot_stack:
	.skip	16384
boot_stack_top:

	.section .note.GNU-stack, "", %progbits
