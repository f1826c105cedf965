/* The host arch: enough of the arch contract for core/ to link in unit tests. */
#ifndef ARCH_HOST_CPU_H
#define ARCH_HOST_CPU_H

struct arch_pcpu {
	int unused;
};

#endif
