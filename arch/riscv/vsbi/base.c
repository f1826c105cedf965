/*
 * SBI BASE (extension 0x10): the specification version tern implements,
 * its implementation ID, probe_extension answered from the firmware-call
 * registry (so a probe never disagrees with a call), and the machine ID
 * registers as tern's own firmware reports them.
 */
#include <arch/sbi.h>
#include <arch/vsbi.h>
#include <tern/vm.h>

enum {
	BASE_GET_SPEC_VERSION, BASE_GET_IMPL_ID, BASE_GET_IMPL_VERSION, BASE_PROBE_EXTENSION,
	BASE_GET_MVENDORID, BASE_GET_MARCHID, BASE_GET_MIMPID,
};

/* mvendorid, marchid and mimpid are M-mode CSRs: only firmware can read
 * them. 0 (always a legal value) when it cannot say. */
static unsigned long firmware_id(unsigned long fid)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, fid, 0, 0, 0);

	return r.error ? 0 : (unsigned long)r.value;
}

static void base_call(struct vcpu *v, struct fw_call *c)
{
	long err = SBI_SUCCESS;
	uint64_t val = 0;

	switch (c->fn) {
	case BASE_GET_SPEC_VERSION: val = VSBI_SPEC_VERSION; break;
	case BASE_GET_IMPL_ID: val = VSBI_IMPL_ID; break;
	case BASE_GET_IMPL_VERSION: val = VSBI_IMPL_VERSION; break;
	case BASE_PROBE_EXTENSION: val = fw_probe(v, FW_ABI_SBI, c->arg[0]) ? 1 : 0; break;
	case BASE_GET_MVENDORID:
	case BASE_GET_MARCHID:
	case BASE_GET_MIMPID: val = firmware_id(c->fn); break;
	default: err = SBI_ERR_NOT_SUPPORTED; break;
	}
	c->ret[0] = (uint64_t)err;
	c->ret[1] = val;
}

FW_SERVICE(vsbi_base_service) = {
	.name = "SBI BASE",
	.sid = FW_SVC_SBI_BASE,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_BASE,
	.last = SBI_EXT_BASE,
	.call = base_call,
};
