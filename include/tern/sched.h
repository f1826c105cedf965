/*
 * The vCPU scheduler: each vCPU has a home physical CPU (round robin at VM
 * creation); a physical CPU runs its runnable vCPUs in turn, with a time
 * slice when it has more than one, and waits for an interrupt when none is
 * runnable. A vCPU only ever blocks in the scheduler, between guest runs.
 */
#ifndef TERN_SCHED_H
#define TERN_SCHED_H

#include <tern/compiler.h>

struct vcpu;
struct pcpu;

#define SCHED_SLICE_US 10000 /* time slice when vCPUs share a physical CPU */

void sched_assign(struct vcpu *v, struct pcpu *home);
/* This physical CPU's loop: never returns. */
noreturn void sched_run(void);
/* One round of it: run the next runnable vCPU of this CPU (until it
 * leaves the guest), or wait for an interrupt or the earliest timer of a
 * blocked one when none is runnable. */
void sched_step(void);
/* How many vCPUs have this physical CPU as home (more than one: time slices). */
unsigned int sched_load(const struct pcpu *p);

#endif
