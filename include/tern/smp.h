/* Bringing up the other physical CPUs. */
#ifndef TERN_SMP_H
#define TERN_SMP_H

#include <tern/platform.h>

/* Start every CPU the platform lists (up to NR_CPUS), one at a time, and
 * wait for each to come online. Returns how many CPUs are online. */
unsigned int smp_boot(const struct platform *p);

#endif
