/* SBI IPI: send_ipi(hart_mask, hart_mask_base) raises the targets'
 * supervisor software interrupt (hvip.VSSIP). */
#include <arch/vsbi.h>
#include <tern/vm.h>

static void ipi_call(struct vcpu *v, struct fw_call *c)
{
	if (c->fn != 0) {
		c->ret[0] = (uint64_t)SBI_ERR_NOT_SUPPORTED;
		return;
	}
	c->ret[0] = (uint64_t)vsbi_for_each_hart(v, c->arg[0], c->arg[1], vsbi_send_ipi, NULL);
	c->ret[1] = 0;
}

FW_SERVICE(vsbi_ipi_service) = {
	.name = "SBI IPI",
	.sid = FW_SVC_SBI_IPI,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_IPI,
	.last = SBI_EXT_IPI,
	.call = ipi_call,
};
