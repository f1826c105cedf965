/* The RISC-V part of struct pcpu (include/tern/cpu.h), and the calling
 * hart's pointer. Host builds (tests, fuzzers) parse this too: the one
 * inline assembly here is compiled only by a RISC-V compiler. */
#ifndef ARCH_RISCV_CPU_H
#define ARCH_RISCV_CPU_H

#include <tern/types.h>

struct arch_pcpu {
	/* Top of this hart's emergency stack: the trap vector switches to it
	 * when the fault is a stack overflow (no room left above the guard
	 * page), so even that is reported. 0 until arch_cpu_init. */
	uintptr_t emergency_sp;
	/* Whether this hart implements the H extension, probed by
	 * arch_cpu_init: the trap path only reads H CSRs where they exist,
	 * so a hart without H still gets a readable dump. */
	bool has_h;
	/* Set around an access to a CSR that may not exist; the trap handler
	 * then skips the faulting instruction and sets csr_probe_faulted
	 * instead of treating the trap as unexpected. */
	volatile bool csr_probe;
	volatile bool csr_probe_faulted;
	/* Set around a read of guest memory through HLV/HLVX
	 * (arch/riscv/guest_mem.c): a fault then sets guest_access_faulted
	 * and skips the access instead of stopping tern. */
	volatile bool guest_access;
	volatile bool guest_access_faulted;
	/* The guest physical address of such a fault when it was a G-stage
	 * one (a page not mapped yet), else ~0. */
	volatile uint64_t guest_access_gpa;
	/* Traps being handled on this hart: a fault inside the handler must
	 * not recurse forever. */
	unsigned int trap_depth;
};

#ifdef __riscv
struct pcpu;
/* In HS-mode tp is tern's: it holds the hart's struct pcpu (set by head.S
 * before any C runs; guests get their own tp back on entry). Inline, as
 * nearly every path asks; <tern/cpu.h>'s this_cpu() is this. */
#define ARCH_THIS_CPU_INLINE 1
static inline struct pcpu *arch_this_cpu_inline(void)
{
	struct pcpu *cpu;

	__asm__ volatile("mv %0, tp" : "=r"(cpu));
	return cpu;
}
#endif

#endif
