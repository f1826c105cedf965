/* The host arch's vCPU and VM parts: a register file, so core firmware
 * services (PSCI, ...) can be unit-tested against a fake vCPU. */
#ifndef ARCH_HOST_VCPU_H
#define ARCH_HOST_VCPU_H

#include <tern/types.h>

struct arch_vcpu {
	uint64_t pc;
	uint64_t regs[32];
	uint64_t reset_entry, reset_arg; /* last arch_vcpu_reset() */
	unsigned int resets;
	bool startable_in_reset;         /* the scheduler could load it mid-reset */
};

struct arch_vm {
	int unused;
};

#endif
