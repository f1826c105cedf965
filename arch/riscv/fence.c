/*
 * Remote fences between the vCPUs of a VM (SBI RFENCE and the legacy
 * remote SFENCE.VMA / FENCE.I): the requests, their numbers and the wait,
 * with no instruction of a hart's own, so it is unit-tested on the host
 * (tests/unit/riscv-fence/). The fences themselves are carried out by the
 * target's hart, before its vCPU next runs (riscv_fences_apply, vcpu.c):
 * the guest TLB entries live in that hart only.
 *
 * Each request to a target gets a number (never 0: "no request" to a
 * waiter); the target records the last number it carried out, and a
 * caller waits for the numbers it was given, or for the target to be out
 * of the guest (it fences before it enters again).
 */
#include <stdatomic.h>
#include <string.h>
#include <arch/guest.h>
#include <tern/arch.h>
#include <tern/vm.h>

unsigned int riscv_vcpu_fence(struct vcpu *t, const struct riscv_fence_req *req)
{
	struct riscv_fence_req *f = &t->arch.fence;
	unsigned int seq;

	spin_lock(&t->arch.fence_lock);
	seq = ++t->arch.fence_seq;
	if (!seq)
		seq = ++t->arch.fence_seq; /* 0 means "no request" to a waiter */
	f->fence_i |= req->fence_i;
	if (req->vma_all || (req->vma_pending && f->vma_pending)) {
		/* Two ranges pending at once: one full flush covers both. */
		f->vma_all = true;
		f->vma_pending = false;
	} else if (req->vma_pending && !f->vma_all) {
		f->vma_pending = true;
		f->vma_has_asid = req->vma_has_asid;
		f->vma_start = req->vma_start;
		f->vma_size = req->vma_size;
		f->vma_asid = req->vma_asid;
	}
	atomic_store(&t->arch.fence_any, 1);
	spin_unlock(&t->arch.fence_lock);
	if (riscv_loaded_vcpu() != t)
		vcpu_kick(t);
	return seq;
}

bool riscv_fences_take(struct vcpu *v, struct riscv_fence_req *req, unsigned int *seq)
{
	if (!atomic_load_explicit(&v->arch.fence_any, memory_order_acquire))
		return false;
	spin_lock(&v->arch.fence_lock);
	atomic_store(&v->arch.fence_any, 0);
	*req = v->arch.fence;
	*seq = v->arch.fence_seq;
	memset(&v->arch.fence, 0, sizeof(v->arch.fence));
	spin_unlock(&v->arch.fence_lock);
	return true;
}

void riscv_fences_done(struct vcpu *v, unsigned int seq)
{
	/* Done: a vCPU waiting in riscv_fence_wait may go on. */
	atomic_store_explicit(&v->arch.fence_done, seq, memory_order_release);
	arch_cpu_wake_all();
}

void riscv_fence_wait(struct vcpu *self, const unsigned int *seq)
{
	struct vm *vm = self->vm;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *t = &vm->vcpus[i];

		if (!seq[i] || t == self)
			continue; /* self fences before it re-enters the guest */
		for (;;) {
			unsigned int done = atomic_load_explicit(&t->arch.fence_done,
								 memory_order_acquire);

			if ((int)(done - seq[i]) >= 0 || !__atomic_load_n(&t->running_on, __ATOMIC_ACQUIRE))
				break;
			riscv_fences_apply(self);
			arch_cpu_relax();
		}
	}
}
