/*
 * arm64 part of struct pcpu, and the calling CPU's pointer. core/ includes
 * this through <tern/cpu.h>, and host builds (tests, fuzzers) parse it:
 * the one inline assembly here is compiled only by an arm64 compiler.
 */
#ifndef ARCH_ARM64_CPU_H
#define ARCH_ARM64_CPU_H

#include <tern/types.h>

struct arch_pcpu {
	/* Read by the EL2h vectors (vectors.S) before they touch the stack: a
	 * trap with SP below stack_limit is a stack overflow, handled on the
	 * emergency stack whose top is overflow_top. 0 disables the check. */
	uintptr_t stack_limit;
	uintptr_t overflow_top;
	uint64_t mpidr;          /* MPIDR_EL1 as read by arch_cpu_init() */
	unsigned int trap_depth; /* nested unexpected traps: a fault inside the
	                          * dump must not recurse forever */
};

#ifdef __aarch64__
#include <arch/sysreg.h>

struct pcpu;
/* Entered at EL1 (a misconfigured QEMU) TPIDR_EL2 would UNDEF: until
 * core reports that, the boot CPU's pointer is here (cpu.c). */
extern struct pcpu *arm64_el1_this_cpu;

/* The calling CPU: TPIDR_EL2, which no guest can see or change. Inline,
 * as nearly every path asks; <tern/cpu.h>'s this_cpu() is this. */
#define ARCH_THIS_CPU_INLINE 1
static inline struct pcpu *arch_this_cpu_inline(void)
{
	if (__builtin_expect(!arm64_at_el2(), 0))
		return arm64_el1_this_cpu;
	return (struct pcpu *)read_sysreg(tpidr_el2);
}
#endif

#endif
