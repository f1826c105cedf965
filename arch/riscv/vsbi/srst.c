/*
 * SBI SRST: system_reset(type, reason). Shutdown stops the VM (tern powers
 * the machine off after the last one); cold and warm reboot restart it
 * from its images. Reserved types and reasons are INVALID_PARAM; types in
 * the vendor range are valid but not implemented: NOT_SUPPORTED.
 */
#include <arch/vsbi.h>
#include <tern/vm.h>

enum { SRST_SHUTDOWN, SRST_COLD_REBOOT, SRST_WARM_REBOOT };
#define SRST_TYPE_VENDOR 0xf0000000UL
#define SRST_REASON_RESERVED_END 0xe0000000UL /* 2..0xdfffffff are reserved */

static void srst_call(struct vcpu *v, struct fw_call *c)
{
	uint64_t type = (uint32_t)c->arg[0], reason = (uint32_t)c->arg[1];

	c->ret[1] = 0;
	if (c->fn != 0) {
		c->ret[0] = (uint64_t)SBI_ERR_NOT_SUPPORTED;
		return;
	}
	if (reason > 1 && reason < SRST_REASON_RESERVED_END) {
		c->ret[0] = (uint64_t)SBI_ERR_INVALID_PARAM;
		return;
	}
	if (type > SRST_WARM_REBOOT) {
		c->ret[0] = (uint64_t)(type >= SRST_TYPE_VENDOR ? SBI_ERR_NOT_SUPPORTED
							       : SBI_ERR_INVALID_PARAM);
		return;
	}
	vm_request_stop(v->vm, type == SRST_SHUTDOWN ? VM_STOP_OFF : VM_STOP_RESET);
	c->next = VCPU_NEXT_VM_STOP;
	c->ret[0] = SBI_SUCCESS;
}

FW_SERVICE(vsbi_srst_service) = {
	.name = "SBI SRST",
	.sid = FW_SVC_SBI_SRST,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_SRST,
	.last = SBI_EXT_SRST,
	.call = srst_call,
};
