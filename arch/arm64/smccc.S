/*
 * SMC Calling Convention calls to firmware (host PSCI). Kept in assembly
 * rather than inline asm so the register contract is plain: x0-x3 in,
 * x0 out, and the firmware may clobber x0-x17 (SMCCC v1.0), which the
 * AAPCS already lets a callee clobber.
 *
 * uint64_t arm64_smc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
 * uint64_t arm64_hvc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
 */
	.text
	.globl	arm64_smc_call
arm64_smc_call:
	smc	#0
	ret

	.globl	arm64_hvc_call
arm64_hvc_call:
	hvc	#0
	ret
