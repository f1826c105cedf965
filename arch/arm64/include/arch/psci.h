/* Host PSCI and SMCCC plumbing shared inside arch/arm64. */
#ifndef ARCH_ARM64_PSCI_H
#define ARCH_ARM64_PSCI_H

#include <tern/platform.h>
#include <tern/types.h>

/* smccc.S: one SMCCC call, x0-x3 in, x0 out. */
uint64_t arm64_smc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t arm64_hvc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* Remember the host's PSCI conduit for calls that get no platform. */
void arm64_psci_init(const struct platform *p);

/* head.S: where PSCI CPU_ON starts a secondary CPU. */
extern char arm64_secondary_entry[];

#endif
