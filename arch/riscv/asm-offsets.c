/*
 * Structure layouts the assembly needs, generated from C so they cannot
 * drift (scripts/asm-offsets.sh turns the markers into
 * <generated/asm-offsets.h>).
 */
#include <stddef.h>
#include <tern/asm-offsets-gen.h>
#include <tern/cpu.h>
#include <tern/page_alloc.h>
#include <arch/trap.h>
#include <arch/vcpu.h>

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(PCPU_STACK_TOP, offsetof(struct pcpu, stack_top));
	DEFINE(PCPU_HWID, offsetof(struct pcpu, hwid));
	DEFINE(PCPU_ONLINE, offsetof(struct pcpu, online));
	DEFINE(PCPUS_SIZE, sizeof(pcpus));
	DEFINE(CPU_STACK_SIZE, STACK_SIZE);
	DEFINE(PCPU_EMERGENCY_SP, offsetof(struct pcpu, arch.emergency_sp));
	/*
	 * The trap vector treats a trap as a stack overflow, and moves to the
	 * emergency stack, when less than 2 KiB would be left above the guard
	 * page (the lowest page of every stack, core/host_mmu.c): in KiB of
	 * stack used, so the check needs no large immediate.
	 */
	DEFINE(TRAP_STACK_LIMIT_KB, (STACK_SIZE - PAGE_SIZE) / 1024 - 2);

	DEFINE(TF_REGS, offsetof(struct trap_frame, regs));
	DEFINE(TF_SEPC, offsetof(struct trap_frame, sepc));
	DEFINE(TF_SSTATUS, offsetof(struct trap_frame, sstatus));
	DEFINE(TF_SCAUSE, offsetof(struct trap_frame, scause));
	DEFINE(TF_STVAL, offsetof(struct trap_frame, stval));
	DEFINE(TF_RECORD_FP, offsetof(struct trap_frame, record_fp));
	DEFINE(TF_RECORD_RA, offsetof(struct trap_frame, record_ra));
	DEFINE(TRAP_FRAME_SIZE, sizeof(struct trap_frame));

	DEFINE(GR_X, offsetof(struct riscv_guest_regs, x));
	DEFINE(GR_SEPC, offsetof(struct riscv_guest_regs, sepc));
	DEFINE(GR_SSTATUS, offsetof(struct riscv_guest_regs, sstatus));
	DEFINE(GR_HSTATUS, offsetof(struct riscv_guest_regs, hstatus));
	DEFINE(GR_SCAUSE, offsetof(struct riscv_guest_regs, scause));
	DEFINE(GR_STVAL, offsetof(struct riscv_guest_regs, stval));
	DEFINE(GR_HTVAL, offsetof(struct riscv_guest_regs, htval));
	DEFINE(GR_HTINST, offsetof(struct riscv_guest_regs, htinst));
	DEFINE(GR_HOST_SP, offsetof(struct riscv_guest_regs, host_sp));
	DEFINE(GR_HOST_STVEC, offsetof(struct riscv_guest_regs, host_stvec));
	DEFINE(GR_HOST_SSCRATCH, offsetof(struct riscv_guest_regs, host_sscratch));
	DEFINE(GR_HOST_SSTATUS, offsetof(struct riscv_guest_regs, host_sstatus));
	DEFINE(GR_HOST_HSTATUS, offsetof(struct riscv_guest_regs, host_hstatus));
	DEFINE(GR_HOST_CALLEE, offsetof(struct riscv_guest_regs, host_callee));
}
