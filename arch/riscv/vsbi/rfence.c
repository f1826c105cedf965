/*
 * SBI RFENCE: remote FENCE.I and SFENCE.VMA (whole, ranged, by ASID). Each
 * target vCPU carries the fence out on its own hart before it next runs
 * (vcpu.c), since the guest translations it drops live there, and the call
 * returns once every target has (or is out of the guest until it has). The HFENCE
 * functions are for a guest hypervisor; tern's guests have no H extension,
 * so they are not supported, as the specification words it.
 */
#include <arch/vsbi.h>
#include <tern/vm.h>

enum {
	RFENCE_FENCE_I, RFENCE_SFENCE_VMA, RFENCE_SFENCE_VMA_ASID, RFENCE_HFENCE_GVMA_VMID,
	RFENCE_HFENCE_GVMA, RFENCE_HFENCE_VVMA_ASID, RFENCE_HFENCE_VVMA,
};

static void rfence_call(struct vcpu *v, struct fw_call *c)
{
	struct riscv_fence_req req = { 0 };
	long err;

	switch (c->fn) {
	case RFENCE_FENCE_I:
		req.fence_i = true;
		break;
	case RFENCE_SFENCE_VMA:
		vsbi_fence_vma_req(&req, c->arg[2], c->arg[3], false, 0);
		break;
	case RFENCE_SFENCE_VMA_ASID:
		vsbi_fence_vma_req(&req, c->arg[2], c->arg[3], true, c->arg[4]);
		break;
	default:
		c->ret[0] = (uint64_t)SBI_ERR_NOT_SUPPORTED;
		return;
	}
	err = vsbi_remote_fence(v, c->arg[0], c->arg[1], &req);
	c->ret[0] = (uint64_t)err;
	c->ret[1] = 0;
}

FW_SERVICE(vsbi_rfence_service) = {
	.name = "SBI RFENCE",
	.sid = FW_SVC_SBI_RFENCE,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_RFENCE,
	.last = SBI_EXT_RFENCE,
	.call = rfence_call,
};
