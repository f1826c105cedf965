/*
 * tern's first instructions on RISC-V, for the boot hart and for every
 * hart started later through SBI HSM.
 *
 * The firmware (OpenSBI) enters in HS-mode with the MMU off (satp = 0):
 *   boot hart:  a0 = hart id, a1 = physical address of the DTB
 *   HART_START: a0 = hart id, a1 = opaque (tern passes its struct pcpu *)
 * Nothing here may use an absolute address before the relocations are
 * applied: tern is a static PIE and may be loaded anywhere (QEMU -kernel
 * puts it at its link address, fw_jump or U-Boot may not), so every symbol
 * is reached PC-relatively with lla.
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <generated/asm-offsets.h>

/* The only relocation type of a static PIE (RISC-V ELF psABI). */
#define R_RISCV_RELATIVE 3

	.section .head.text, "ax"

/*
 * The RISC-V Linux image header (Documentation/riscv/boot-image-header.rst
 * in Linux): QEMU's -kernel and U-Boot's booti recognise a raw image by it
 * and learn how much memory it needs (image_size includes bss).
 * Assembled without compressed instructions so code0/code1 are exactly two
 * 32-bit words.
 */
	.option push
	.option norvc
	.globl riscv_image_header
riscv_image_header:
	j	primary_entry			/* code0 */
	.word	0				/* code1 */
	/* text_offset: where in RAM a loader should put the image, relative
	 * to the start of RAM; the same 2 MiB as Linux, which leaves room for
	 * the firmware below and matches the link address. */
	.dword	0x200000
	/* image_size: a label difference is resolved by the linker (an
	 * ADD64/SUB64 pair), so it needs no run-time relocation. */
	.dword	__image_end - riscv_image_header
	.dword	0				/* flags: bit 0 clear = little endian */
	.word	(0 << 16) | 2			/* header version 0.2 */
	.word	0				/* res1 */
	.dword	0				/* res2 */
	.ascii	"RISCV\0\0\0"			/* magic (deprecated, still checked) */
	.ascii	"RSC\x05"			/* magic2 */
	.word	0				/* res3: PE/COFF header offset, none */
	.option pop

/*
 * tern's link address. A plain ".dword riscv_image_header" would need a
 * run-time relocation, and read-only text must carry none (-z text); an
 * ADD64 relocation is resolved by the linker itself to the symbol's link
 * address.
 */
	.balign	8
link_address:
	.reloc	., R_RISCV_ADD64, riscv_image_header
	.dword	0

primary_entry:
	/* No interrupt may arrive before tern has a vector and a stack. */
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE

	/*
	 * A hart tern is starting that the firmware sent here rather than to
	 * the HART_START address (QEMU 7.2's OpenSBI 1.1 marks a hart started
	 * before it writes its start address, and under host load the hart
	 * can leave with the previous one, the kernel entry): running the boot
	 * again would clear tern's bss under the harts already running. It is
	 * the one riscv_starting names (a struct pcpu inside pcpus[], with its
	 * hart id and not online yet), so it goes where HART_START would have
	 * sent it. On the first boot riscv_starting is 0 (bss as loaded); only
	 * plain loads, checked before each, so nothing here can fault.
	 */
	lla	t0, riscv_starting
	ld	t1, 0(t0)
	lla	t2, pcpus
	bltu	t1, t2, 6f
	li	t3, PCPUS_SIZE
	add	t3, t2, t3
	bgeu	t1, t3, 6f
	andi	t3, t1, 7
	bnez	t3, 6f
	ld	t3, PCPU_HWID(t1)
	bne	t3, a0, 6f
	lbu	t3, PCPU_ONLINE(t1)
	bnez	t3, 6f
	mv	a1, t1
	j	riscv_secondary_entry
6:
	mv	s1, a0				/* hart id */
	mv	s2, a1				/* DTB */

	/* Until tp and a stack are set up, the real vector cannot run: a
	 * trap this early says so through firmware and stops. */
	lla	t0, early_trap
	csrw	stvec, t0

	/*
	 * Apply R_RISCV_RELATIVE relocations: *(offset + delta) = addend +
	 * delta, where delta = load address - link address. A static PIE
	 * linked with -z text has no other kind; anything else means a broken
	 * build, reported through the firmware console (there is no other
	 * console yet) before stopping.
	 */
	lla	t0, riscv_image_header
	ld	t1, link_address
	sub	s3, t0, t1			/* delta */
	lla	t0, __rela_start
	lla	t1, __rela_end
	li	t4, R_RISCV_RELATIVE
1:	bgeu	t0, t1, 2f
	ld	t2, 8(t0)			/* r_info */
	bne	t2, t4, bad_relocation
	ld	t2, 0(t0)			/* r_offset */
	ld	t3, 16(t0)			/* r_addend */
	add	t2, t2, s3
	add	t3, t3, s3
	sd	t3, 0(t2)
	addi	t0, t0, 24
	j	1b
2:	lla	t0, riscv_load_offset
	sd	s3, 0(t0)

	/* bss: page aligned at both ends by the linker script. */
	lla	t0, __bss_start
	lla	t1, __bss_end
3:	bgeu	t0, t1, 4f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	3b
4:
	/* The boot hart is logical CPU 0: the top of cpu_stacks[0], kept
	 * 16-byte aligned as the psABI requires. */
	lla	sp, cpu_stacks
	li	t0, CPU_STACK_SIZE
	add	sp, sp, t0
	andi	sp, sp, -16
	/* tp is tern's per-CPU pointer in HS-mode. */
	lla	tp, pcpus
	lla	t0, riscv_trap_vector
	csrw	stvec, t0
	/* fp = ra = 0 ends every backtrace here. */
	li	s0, 0
	li	ra, 0
	mv	a0, s2
	mv	a1, s1
	call	tern_main
	j	riscv_halt_here

/*
 * Entry of a hart started by arch_start_cpu() through SBI HSM HART_START,
 * MMU off: a1 is its struct pcpu, whose first field is its stack top.
 */
	.balign	4
	.globl	riscv_secondary_entry
riscv_secondary_entry:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	ld	sp, PCPU_STACK_TOP(a1)
	andi	sp, sp, -16
	mv	tp, a1
	/* The vector needs tp and a stack, so it comes after them. */
	lla	t0, riscv_trap_vector
	csrw	stvec, t0
	li	s0, 0
	li	ra, 0
	mv	a0, a1
	call	tern_secondary_main
	j	riscv_halt_here

bad_relocation:
	lla	s4, bad_relocation_msg
	j	5f

	.balign	4				/* stvec BASE is 4-byte aligned */
early_trap:
	lla	s4, early_trap_msg
5:	lbu	a0, 0(s4)
	beqz	a0, riscv_halt_here
	li	a7, SBI_LEGACY_PUTCHAR
	ecall
	addi	s4, s4, 1
	j	5b

riscv_halt_here:
	csrci	sstatus, SSTATUS_SIE
6:	wfi
	j	6b

	.section .rodata.head, "a"
bad_relocation_msg:
	.asciz	"tern: unsupported relocation type in .rela.dyn (the build is broken)\r\n"
early_trap_msg:
	.asciz	"tern: trap before the trap vector was set up: stopped\r\n"

	.data
	.balign	8
	.globl	riscv_load_offset
riscv_load_offset:
	.dword	0
