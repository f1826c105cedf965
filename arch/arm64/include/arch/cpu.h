/*
 * arm64 part of struct pcpu. core/ includes this through <tern/cpu.h>, so it
 * holds data only: no inline assembly, nothing a host build could not parse.
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

#endif
