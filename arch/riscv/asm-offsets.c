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

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(PCPU_STACK_TOP, offsetof(struct pcpu, stack_top));
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
}
