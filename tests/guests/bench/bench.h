/*
 * The benchmark guest (make bench, scripts/bench.sh): the harness in
 * bench.c times operations the per-arch files provide. Every count is in
 * instructions: QEMU runs with -icount shift=0,sleep=off, where the cycle
 * counter advances by one per executed instruction (at every privilege
 * level) and 1 ns of virtual time is one instruction.
 */
#ifndef BENCH_H
#define BENCH_H

#include <guest.h>

/* What an op needs of the machine. */
enum bench_mode {
	MODE_ONE, /* one CPU */
	MODE_IPI, /* two vCPUs on two physical CPUs ("ipi" argument) */
	MODE_SWITCH, /* two vCPUs time-sharing one physical CPU ("switch") */
};

struct bench_op {
	const char *name;
	/* Either call, timed by the harness with the cycle counter around one
	 * call ... */
	void (*call)(void);
	/* ... or sample, which times one operation itself and returns the
	 * delta: cycle-counter units, or timer ticks if time_clock. */
	uint64_t (*sample)(void);
	bool time_clock;
	bool native; /* has a native form (QEMU's PSCI/GIC, OpenSBI) */
	enum bench_mode mode;
	const char *unmeasured; /* non-NULL: cannot be measured, and why */
	/* Optional: NULL if the op can run on this machine, else why not. */
	const char *(*missing)(void);
};

/* stage2_fault: one load from a page of RAM nothing has touched yet (each
 * call the next page of a region in the middle of RAM). Under tern it is
 * the first touch of that page (stage 2 populated on demand); natively a
 * plain load. NULL from stage2_missing when there is no such region. */
void op_stage2_fault(void);
const char *stage2_missing(void);

extern const struct bench_op bench_ops[];
extern const int bench_nr_ops;

/* Set from the command line: "native" (no tern below). */
extern bool bench_native;

uint64_t bench_cycles(void); /* the CPU's cycle counter */
uint64_t bench_ticks(void); /* the shared timer counter */

/* Per arch: counters, the interrupt controller; false with a reason
 * printed if nothing can be measured. */
bool bench_arch_setup(void);
/* Before/after the ops of one mode: start the second CPU etc. */
bool bench_arch_start(enum bench_mode mode);
void bench_arch_stop(enum bench_mode mode);

#endif
