/*
 * tern's own hypervisor calls, in the SMCCC "vendor specific hypervisor
 * service" range (owner 6: 0x86000000-0x8600FFFF; 0xC6... for SMC64).
 * Documented in docs/guest-abi/tern-hypercalls.md.
 *   0x86000000 TERN_NULL:  does nothing, returns 0 (the cost of a round trip)
 *   0x8600FF01 CALL_UID:   tern's UUID in x0-x3 (SMCCC's standard query)
 *   0x8600FF03 REVISION:   0.1 (major in x0, minor in x1)
 */
#include <tern/fwcall.h>
#include <tern/vm.h>

#define TERN_NULL 0x86000000u
#define TERN_CALL_UID 0x8600ff01u
#define TERN_REVISION 0x8600ff03u

/* A random UUID, 7e3b1f4a-6f2d-4c1e-9a35-0d8b6c2e71f9, as SMCCC returns it. */
static const uint32_t tern_uid[4] = { 0x4a1f3b7e, 0x1e4c2d6f, 0x8b0d359a, 0xf9712e6c };

static bool tern_probe(struct vcpu *v, uint64_t id)
{
	uint32_t fid = (uint32_t)id & ~SMCCC_CONV_64;

	return fid == TERN_NULL || fid == TERN_CALL_UID || fid == TERN_REVISION;
}

static void tern_call(struct vcpu *v, struct fw_call *c)
{
	switch ((uint32_t)c->id & ~SMCCC_CONV_64) {
	case TERN_NULL:
		c->ret[0] = 0;
		break;
	case TERN_CALL_UID:
		for (int i = 0; i < 4; i++)
			c->ret[i] = tern_uid[i];
		break;
	case TERN_REVISION:
		c->ret[0] = 0;
		c->ret[1] = 1;
		break;
	default:
		c->ret[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
	}
}

FW_SERVICE(tern_vendor_service) = {
	.name = "tern vendor",
	.sid = FW_SVC_TERN,
	.abi = FW_ABI_SMCCC,
	.first = 0x86000000,
	.last = 0x8600ffff,
	.probe = tern_probe,
	.call = tern_call,
};
