/*
 * The legacy SBI v0.1 calls (extensions 0x00-0x08, the function being the
 * extension itself), with real semantics: a VM configured with sbi = v0.1
 * has only these. Hart masks are pointers into the guest's virtual memory,
 * read through the accessor that survives faults: a bad pointer gets
 * SBI_ERR_INVALID_ADDRESS, never a trap in tern; a NULL pointer names
 * every hart (as OpenSBI and KVM read it). Results are in a0 only.
 */
#include <arch/guest.h>
#include <arch/vsbi.h>
#include <tern/errno.h>
#include <tern/vm.h>

enum {
	LEGACY_SET_TIMER, LEGACY_CONSOLE_PUTCHAR, LEGACY_CONSOLE_GETCHAR, LEGACY_CLEAR_IPI,
	LEGACY_SEND_IPI, LEGACY_REMOTE_FENCE_I, LEGACY_REMOTE_SFENCE_VMA,
	LEGACY_REMOTE_SFENCE_VMA_ASID, LEGACY_SHUTDOWN, LEGACY_COUNT,
};

static bool legacy_probe(struct vcpu *v, uint64_t id)
{
	return id < LEGACY_COUNT;
}

/* The mask a v0.1 call names: one unsigned long of harts 0-63 (tern's
 * VMs have at most 16), read as the guest's S-mode reads it. */
static long read_mask(struct vcpu *v, uint64_t ptr, unsigned long *mask)
{
	uint64_t m;

	if (riscv_guest_read_va(v, ptr, &m, true) != 0)
		return SBI_ERR_INVALID_ADDRESS;
	*mask = m;
	return SBI_SUCCESS;
}

/* The mask and base a v0.1 mask pointer means for vsbi_for_each_hart. */
static long masked(struct vcpu *v, uint64_t ptr, unsigned long *mask, unsigned long *base)
{
	*mask = 0;
	*base = -1UL;
	if (ptr == 0)
		return SBI_SUCCESS;
	*base = 0;
	return read_mask(v, ptr, mask);
}

static long send_ipis(struct vcpu *v, uint64_t ptr)
{
	unsigned long mask, base;
	long err = masked(v, ptr, &mask, &base);

	return err ? err : vsbi_for_each_hart(v, mask, base, vsbi_send_ipi, NULL);
}

static long fence(struct vcpu *v, uint64_t ptr, const struct riscv_fence_req *req)
{
	unsigned long mask, base;
	long err = masked(v, ptr, &mask, &base);

	return err ? err : vsbi_remote_fence(v, mask, base, req);
}

static void legacy_call(struct vcpu *v, struct fw_call *c)
{
	struct riscv_fence_req req = { 0 };
	long r = SBI_SUCCESS;
	char ch;

	switch (c->id) {
	case LEGACY_SET_TIMER:
		riscv_vcpu_set_timer(v, c->arg[0]);
		break;
	case LEGACY_CONSOLE_PUTCHAR:
		ch = (char)c->arg[0];
		vsbi_console_write(v, &ch, 1);
		break;
	case LEGACY_CONSOLE_GETCHAR:
		r = vsbi_console_getchar(v);
		break;
	case LEGACY_CLEAR_IPI:
		riscv_vcpu_lower(v, HVIP_VSSIP);
		break;
	case LEGACY_SEND_IPI:
		r = send_ipis(v, c->arg[0]);
		break;
	case LEGACY_REMOTE_FENCE_I:
		req.fence_i = true;
		r = fence(v, c->arg[0], &req);
		break;
	case LEGACY_REMOTE_SFENCE_VMA:
		vsbi_fence_vma_req(&req, c->arg[1], c->arg[2], false, 0);
		r = fence(v, c->arg[0], &req);
		break;
	case LEGACY_REMOTE_SFENCE_VMA_ASID:
		vsbi_fence_vma_req(&req, c->arg[1], c->arg[2], true, c->arg[3]);
		r = fence(v, c->arg[0], &req);
		break;
	case LEGACY_SHUTDOWN:
		vm_request_stop(v->vm, VM_STOP_OFF);
		c->next = VCPU_NEXT_VM_STOP;
		break;
	default:
		r = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	c->ret[0] = (uint64_t)r;
}

FW_SERVICE(vsbi_legacy_service) = {
	.name = "SBI v0.1",
	.sid = FW_SVC_SBI_LEGACY,
	.abi = FW_ABI_SBI,
	.first = 0x00,
	.last = 0x0f,
	.probe = legacy_probe,
	.call = legacy_call,
};
