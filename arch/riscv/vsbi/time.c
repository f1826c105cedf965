/*
 * SBI TIME: set_timer(stime_value). With Sstc the value goes to the
 * guest's vstimecmp; without, tern keeps the deadline and raises the
 * guest's timer interrupt (hvip.VSTIP) when it passes. Either way the
 * call clears a pending timer interrupt, as the specification says.
 */
#include <arch/guest.h>
#include <arch/vsbi.h>
#include <tern/vm.h>

static void time_call(struct vcpu *v, struct fw_call *c)
{
	if (c->fn != 0) {
		c->ret[0] = (uint64_t)SBI_ERR_NOT_SUPPORTED;
		return;
	}
	riscv_vcpu_set_timer(v, c->arg[0]);
	c->ret[0] = SBI_SUCCESS;
	c->ret[1] = 0;
}

FW_SERVICE(vsbi_time_service) = {
	.name = "SBI TIME",
	.sid = FW_SVC_SBI_TIME,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_TIME,
	.last = SBI_EXT_TIME,
	.call = time_call,
};
