/*
 * SMCCC Arm Architecture calls (function IDs 0x80000000-0x8000FFFF):
 * SMCCC_VERSION and SMCCC_ARCH_FEATURES, which answers from the registry so
 * it can never disagree with what is callable. tern implements none of the
 * CPU-erratum workaround calls, and says so (NOT_SUPPORTED).
 */
#include <tern/fwcall.h>
#include <tern/vm.h>

#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_VERSION_1_1 0x10001u

static bool smccc_arch_probe(struct vcpu *v, uint64_t id)
{
	uint32_t fid = (uint32_t)id;

	return fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES;
}

static void smccc_arch_call(struct vcpu *v, struct fw_call *c)
{
	switch ((uint32_t)c->id) {
	case SMCCC_VERSION:
		c->ret[0] = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES: {
		/* The queried ID is a 32-bit function ID in w1. */
		uint32_t fid = (uint32_t)c->arg[0];
		bool known = fid != SMCCC_VERSION && fw_probe(v, FW_ABI_SMCCC, fid);
		c->ret[0] = known ? SMCCC_RET_SUCCESS : (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
		break;
	}
	default:
		c->ret[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
	}
}

FW_SERVICE(smccc_arch_service) = {
	.name = "SMCCC arch",
	.sid = FW_SVC_SMCCC_ARCH,
	.abi = FW_ABI_SMCCC,
	.first = 0x80000000,
	.last = 0x8000ffff,
	.probe = smccc_arch_probe,
	.call = smccc_arch_call,
};
