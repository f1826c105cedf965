/*
 * arm64 part of struct pcpu. core/ includes this through <tern/cpu.h>, so it
 * holds data only: no inline assembly, nothing a host build could not parse.
 */
#ifndef ARCH_ARM64_CPU_H
#define ARCH_ARM64_CPU_H

#include <tern/types.h>

struct arch_pcpu {
	uint64_t mpidr;          /* MPIDR_EL1 as read by arch_cpu_init() */
	unsigned int trap_depth; /* nested unexpected traps: a fault inside the
	                          * dump must not recurse forever */
};

#endif
