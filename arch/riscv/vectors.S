/*
 * The trap vector of HS-mode (stvec, direct mode). Today only tern itself
 * traps here: the frame goes on the current stack (or the emergency stack
 * after an overflow), one C entry decides, and the frame (possibly changed
 * by C) is restored before sret. Guest exits will get their own path, told
 * apart through sscratch (0 while tern runs), once there are guests.
 */
#include <generated/asm-offsets.h>

#define REG(n) (TF_REGS + 8 * (n))

#if TRAP_STACK_LIMIT_KB > 2047 || TRAP_STACK_LIMIT_KB < 1
#error "CONFIG_STACK_SIZE out of the range the overflow check in riscv_trap_vector handles"
#endif

	.section .text.riscv_trap_vector, "ax"
	.balign	4				/* stvec BASE is 4-byte aligned */
	.globl	riscv_trap_vector
riscv_trap_vector:
	/*
	 * A stack overflow faults in the guard page, and pushing a frame onto
	 * that same stack would fault again, forever and silently. So first
	 * check, with t0 parked in sscratch (0 in HS-mode), how much of this
	 * hart's stack is in use; if too little would remain, save the frame
	 * on the hart's emergency stack instead. tp is tern's struct pcpu.
	 */
	csrw	sscratch, t0
	ld	t0, PCPU_STACK_TOP(tp)
	sub	t0, t0, sp			/* bytes in use (huge if sp is elsewhere) */
	srli	t0, t0, 10
	sltiu	t0, t0, TRAP_STACK_LIMIT_KB
	beqz	t0, on_emergency_stack
save_on_this_stack:
	csrrw	t0, sscratch, zero
	addi	sp, sp, -TRAP_FRAME_SIZE
	sd	t0, REG(5)(sp)
	addi	t0, sp, TRAP_FRAME_SIZE		/* sp before the trap */
	sd	t0, REG(2)(sp)
	j	save_registers

on_emergency_stack:
	ld	t0, PCPU_EMERGENCY_SP(tp)
	beqz	t0, save_on_this_stack		/* before arch_cpu_init: nothing better */
	addi	t0, t0, -TRAP_FRAME_SIZE
	sd	sp, REG(2)(t0)
	mv	sp, t0
	csrrw	t0, sscratch, zero
	sd	t0, REG(5)(sp)

save_registers:
	sd	zero, REG(0)(sp)
	sd	x1, REG(1)(sp)
	sd	x3, REG(3)(sp)
	sd	x4, REG(4)(sp)
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

	csrr	t0, sepc
	csrr	t1, sstatus
	csrr	t2, scause
	csrr	t3, stval
	sd	t0, TF_SEPC(sp)
	sd	t1, TF_SSTATUS(sp)
	sd	t2, TF_SCAUSE(sp)
	sd	t3, TF_STVAL(sp)

	/* Link the frame into the frame-pointer chain as if the interrupted
	 * code had called the handler from sepc. */
	sd	s0, TF_RECORD_FP(sp)
	sd	t0, TF_RECORD_RA(sp)
	addi	s0, sp, TRAP_FRAME_SIZE

	mv	a0, sp
	call	riscv_trap_handler

	/* C may have changed sepc (to skip an instruction) or sstatus. */
	ld	t0, TF_SEPC(sp)
	ld	t1, TF_SSTATUS(sp)
	csrw	sepc, t0
	csrw	sstatus, t1

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
	ld	sp, REG(2)(sp)			/* last: it is the base */
	sret
