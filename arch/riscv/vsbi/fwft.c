/*
 * SBI FWFT (firmware features, SBI v3.0, EID 0x46574654): SET and GET of
 * the per-hart features the specification defines, for guests that have
 * none of the extensions behind most of them.
 *
 * - MISALIGNED_EXC_DELEG reads 0: misaligned loads and stores are not
 *   delegated to the guest, the firmware below tern emulates them. Setting
 *   0 succeeds; setting 1 is DENIED (tern cannot have them delegated: the
 *   specification's own example of a hypervisor refusing the change).
 * - LANDING_PAD, SHADOW_STACK, DOUBLE_TRAP, PTE_AD_HW_UPDATING and
 *   POINTER_MASKING_PMLEN are NOT_SUPPORTED: guests have no Zicfilp,
 *   Zicfiss, Ssdbltrp, Svadu or Ssnpm.
 * - Reserved and platform-specific feature IDs are DENIED.
 * LOCK (flags bit 0) freezes a feature until the hart is reset (HART_START,
 * a VM reset): a SET then answers DENIED_LOCKED (SBI 3.0's code for it); a
 * non-retentive suspend keeps the lock, as the spec requires.
 */
#include <arch/vsbi.h>
#include <tern/vm.h>

enum { FWFT_SET, FWFT_GET };
enum {
	FEAT_MISALIGNED_EXC_DELEG, FEAT_LANDING_PAD, FEAT_SHADOW_STACK, FEAT_DOUBLE_TRAP,
	FEAT_PTE_AD_HW_UPDATING, FEAT_POINTER_MASKING_PMLEN, FEAT_DEFINED,
};
#define FLAG_LOCK 1UL

/* The feature's state: 0, or the error every call about it gets. */
static long feature_check(uint32_t feature)
{
	if (feature == FEAT_MISALIGNED_EXC_DELEG)
		return SBI_SUCCESS;
	if (feature < FEAT_DEFINED)
		return SBI_ERR_NOT_SUPPORTED;
	return SBI_ERR_DENIED; /* reserved, or platform-specific (tern has none) */
}

static long fwft_set(struct vcpu *v, uint32_t feature, uint64_t value, uint64_t flags)
{
	long err = feature_check(feature);

	if (err)
		return err;
	if ((flags & ~FLAG_LOCK) || value > 1)
		return SBI_ERR_INVALID_PARAM;
	if (v->arch.fwft_locked & (1u << feature))
		return SBI_ERR_DENIED_LOCKED;
	if (value != 0)
		return SBI_ERR_DENIED;
	if (flags & FLAG_LOCK)
		v->arch.fwft_locked |= 1u << feature;
	return SBI_SUCCESS;
}

static void fwft_call(struct vcpu *v, struct fw_call *c)
{
	uint32_t feature = (uint32_t)c->arg[0];
	long err;

	switch (c->fn) {
	case FWFT_SET:
		err = fwft_set(v, feature, c->arg[1], c->arg[2]);
		break;
	case FWFT_GET:
		err = feature_check(feature); /* the value: 0 (not delegated) */
		break;
	default:
		err = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	c->ret[0] = (uint64_t)err;
	c->ret[1] = 0;
}

FW_SERVICE(vsbi_fwft_service) = {
	.name = "SBI FWFT",
	.sid = FW_SVC_SBI_FWFT,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_FWFT,
	.last = SBI_EXT_FWFT,
	.call = fwft_call,
};
