/* Physical CPUs as tern sees them. */
#ifndef TERN_CPU_H
#define TERN_CPU_H

#include <stdatomic.h>
#include <arch/cpu.h>
#include <generated/config.h>
#include <tern/types.h>

struct pcpu {
	uintptr_t stack_top;  /* stays first: entry code loads it from offset 0 */
	unsigned int id;      /* logical index; the boot CPU is 0 */
	uint64_t hwid;        /* MPIDR affinity (arm64) or hart id (RISC-V) */
	atomic_bool online;
	struct arch_pcpu arch;
};

#define STACK_SIZE CONFIG_STACK_SIZE
#define NR_CPUS CONFIG_NR_CPUS

extern struct pcpu pcpus[NR_CPUS];
extern unsigned int nr_pcpus;           /* CPUs tern uses */
extern uint8_t cpu_stacks[NR_CPUS][STACK_SIZE];

/* The calling CPU (the arch keeps the pointer: TPIDR_EL2, tp). Inline, as
 * nearly every path asks: the arch's own inline read where <arch/cpu.h>
 * has one (arm64 and RISC-V builds), else its function (the host arch,
 * and host builds of an arch's headers). */
struct pcpu *arch_this_cpu(void);
static inline struct pcpu *this_cpu(void)
{
#ifdef ARCH_THIS_CPU_INLINE
	return arch_this_cpu_inline();
#else
	return arch_this_cpu();
#endif
}

#endif
