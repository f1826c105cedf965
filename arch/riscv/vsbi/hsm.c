/*
 * SBI HSM: hart_start, hart_stop, hart_get_status and hart_suspend over
 * the vCPU power model of core (OFF, ON_PENDING, ON). A started hart
 * enters at start_addr in S-mode with a0 = its hart id, a1 = opaque, the
 * MMU off and interrupts disabled. A suspended hart blocks until an
 * interrupt it enabled is pending; after a non-retentive suspend it
 * resumes at resume_addr as if started there.
 */
#include <stdatomic.h>
#include <arch/vsbi.h>
#include <tern/arch.h>
#include <tern/vm.h>

enum { HSM_START, HSM_STOP, HSM_GET_STATUS, HSM_SUSPEND };
enum { HSM_STARTED, HSM_STOPPED, HSM_START_PENDING, HSM_STOP_PENDING, HSM_SUSPENDED };

#define SUSPEND_RETENTIVE 0x00000000UL
#define SUSPEND_NON_RETENTIVE 0x80000000UL

static long hsm_start(struct vcpu *v, uint64_t hart, uint64_t entry, uint64_t opaque)
{
	struct vcpu *t = vm_vcpu_by_hwid(v->vm, hart);

	if (!t)
		return SBI_ERR_INVALID_PARAM;
	if (!guest_ram_contains(v->vm, entry, 2))
		return SBI_ERR_INVALID_ADDRESS;
	return vcpu_power_on(t, entry, opaque) == VCPU_OFF ? SBI_SUCCESS
							    : SBI_ERR_ALREADY_AVAILABLE;
}

static long hsm_status(struct vcpu *v, uint64_t hart, uint64_t *state)
{
	struct vcpu *t = vm_vcpu_by_hwid(v->vm, hart);

	if (!t)
		return SBI_ERR_INVALID_PARAM;
	switch (atomic_load(&t->power)) {
	case VCPU_ON:
		*state = t->arch.hsm_suspended ? HSM_SUSPENDED : HSM_STARTED;
		break;
	case VCPU_STARTING:
	case VCPU_ON_PENDING: *state = HSM_START_PENDING; break;
	default: *state = HSM_STOPPED; break;
	}
	return SBI_SUCCESS;
}

static long hsm_suspend(struct vcpu *v, struct fw_call *c)
{
	uint64_t type = (uint32_t)c->arg[0], resume = c->arg[1];
	bool nonret = type & SUSPEND_NON_RETENTIVE;
	uint64_t kind = type & ~SUSPEND_NON_RETENTIVE;

	/* Reserved types, and platform-specific ones (tern has none), are
	 * INVALID_PARAM: the specification's "reserved or platform-specific
	 * and unimplemented". */
	if (kind != 0)
		return SBI_ERR_INVALID_PARAM;
	if (nonret && !guest_ram_contains(v->vm, resume, 2))
		return SBI_ERR_INVALID_ADDRESS;
	/* The reset of a non-retentive suspend happens at wake-up (vcpu.c):
	 * until then the interrupts the guest enabled decide when it wakes. */
	v->arch.suspend_nonret = nonret;
	v->arch.resume_addr = resume;
	v->arch.resume_opaque = c->arg[2];
	v->arch.hsm_suspended = true;
	c->next = VCPU_NEXT_BLOCK;
	return SBI_SUCCESS;
}

static void hsm_call(struct vcpu *v, struct fw_call *c)
{
	uint64_t value = 0;
	long err;

	switch (c->fn) {
	case HSM_START:
		err = hsm_start(v, c->arg[0], c->arg[1], c->arg[2]);
		break;
	case HSM_STOP:
		/* The scheduler marks it STOPPED once it is off the hart. */
		c->next = VCPU_NEXT_OFF;
		err = SBI_SUCCESS;
		break;
	case HSM_GET_STATUS:
		err = hsm_status(v, c->arg[0], &value);
		break;
	case HSM_SUSPEND:
		err = hsm_suspend(v, c);
		break;
	default:
		err = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	c->ret[0] = (uint64_t)err;
	c->ret[1] = value;
}

FW_SERVICE(vsbi_hsm_service) = {
	.name = "SBI HSM",
	.sid = FW_SVC_SBI_HSM,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_HSM,
	.last = SBI_EXT_HSM,
	.call = hsm_call,
};
