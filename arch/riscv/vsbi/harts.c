/*
 * Hart masks (SBI v0.2+ "hart_mask, hart_mask_base"), the actions the IPI,
 * RFENCE and legacy calls share, and the firmware console of guests.
 */
#include <arch/guest.h>
#include <arch/vsbi.h>
#include <tern/console.h>
#include <tern/vm.h>
#include <tern/vuart.h>

long vsbi_for_each_hart(struct vcpu *v, unsigned long mask, unsigned long base,
			void (*fn)(struct vcpu *self, struct vcpu *target, void *arg), void *arg)
{
	struct vm *vm = v->vm;

	if (base == -1UL) {
		for (unsigned int i = 0; i < vm->nr_vcpus; i++)
			fn(v, &vm->vcpus[i], arg);
		return SBI_SUCCESS;
	}
	/* Check every named hart first: a bad mask does nothing at all. */
	for (unsigned int bit = 0; bit < 64; bit++) {
		if (!(mask & (1UL << bit)))
			continue;
		if (base + bit < base || !vm_vcpu_by_hwid(vm, base + bit))
			return SBI_ERR_INVALID_PARAM;
	}
	for (unsigned int bit = 0; bit < 64; bit++)
		if (mask & (1UL << bit))
			fn(v, vm_vcpu_by_hwid(vm, base + bit), arg);
	return SBI_SUCCESS;
}

void vsbi_send_ipi(struct vcpu *self, struct vcpu *target, void *arg)
{
	riscv_vcpu_raise(target, HVIP_VSSIP);
}

struct fence_batch {
	const struct riscv_fence_req *req;
	unsigned int seq[VM_MAX_VCPUS];
};

static void fence_one(struct vcpu *self, struct vcpu *target, void *arg)
{
	struct fence_batch *b = arg;

	b->seq[target->id] = riscv_vcpu_fence(target, b->req);
}

long vsbi_remote_fence(struct vcpu *v, unsigned long mask, unsigned long base,
		       const struct riscv_fence_req *req)
{
	struct fence_batch b = { .req = req };
	long err = vsbi_for_each_hart(v, mask, base, fence_one, &b);

	if (err == SBI_SUCCESS)
		riscv_fence_wait(v, b.seq);
	return err;
}

void vsbi_fence_vma_req(struct riscv_fence_req *req, unsigned long start, unsigned long size,
			bool has_asid, unsigned long asid)
{
	*req = (struct riscv_fence_req){ 0 };
	/* A range that runs past the end of the address space (its size
	 * would wrap once the start's page offset is added) is everything
	 * from start on: flushed as all, not as the wrapped few bytes. */
	if ((start == 0 && size == 0) || size == -1UL || size > -1UL - (start & 0xfffUL)) {
		req->vma_all = !has_asid;
		if (has_asid) {
			/* Every address of one ASID: a range the size of the
			 * address space, which the vCPU flushes by ASID. */
			req->vma_pending = true;
			req->vma_has_asid = true;
			req->vma_asid = asid;
			req->vma_size = -1UL;
		}
		return;
	}
	req->vma_pending = true;
	req->vma_start = start & ~0xfffUL;
	req->vma_size = (start & 0xfffUL) + size;
	req->vma_has_asid = has_asid;
	req->vma_asid = asid;
}

void vsbi_console_write(struct vcpu *v, const char *buf, size_t len)
{
	console_lock();
	console_write(buf, len);
	console_unlock();
}

long vsbi_console_getchar(struct vcpu *v)
{
	uint8_t c;

	return vuart_take_input(v->vm, &c, 1) ? c : -1;
}
