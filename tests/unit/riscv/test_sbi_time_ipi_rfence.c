/* SBI TIME, IPI and RFENCE: which vCPU gets the timer, the IPI, the fence. */
#include <arch/guest.h>
#include "sbi_test.h"

TEST(sbi_time_set_timer)
{
	struct fw_call c;

	vm_setup(3, false);
	atomic_store(&hart(2)->power, VCPU_ON);
	c = SBI(0, SBI_EXT_TIME, 0, 0x123456789abcdef0ull);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(c.next, VCPU_NEXT_RUN);
	c = SBI(2, SBI_EXT_TIME, 0, ~0ull); /* "no timer" */
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	c = SBI(2, SBI_EXT_TIME, 0, 0);     /* due at once */
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(dbl.ntimers, 3);
	CHECK(dbl.timers[0].v == hart(0));
	CHECK_EQ(dbl.timers[0].deadline, 0x123456789abcdef0ull);
	CHECK(dbl.timers[1].v == hart(2));
	CHECK_EQ(dbl.timers[1].deadline, ~0ull);
	CHECK(dbl.timers[2].v == hart(2));
	CHECK_EQ(dbl.timers[2].deadline, 0);
	/* Nobody else is touched: no IPI, no kick. */
	CHECK_EQ(dbl.nraised + dbl.nlowered + dbl.nkicked, 0);
}

TEST(sbi_time_unknown_functions)
{
	vm_setup(1, false);
	for (uint64_t fid = 1; fid < 8; fid++) {
		struct fw_call c = SBI(0, SBI_EXT_TIME, fid, 100);

		CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(VAL(c), 0);
	}
	CHECK_EQ(ERR(SBI(0, SBI_EXT_TIME, 1ull << 32, 100)), SBI_ERR_NOT_SUPPORTED);
	CHECK(doubles_untouched());
}

/* The vCPUs that got an IPI, in order, as a bit mask of their indices;
 * every IPI must be the supervisor software interrupt. */
static unsigned int ipi_targets(void)
{
	unsigned int m = 0;

	for (unsigned int i = 0; i < dbl.nraised; i++) {
		CHECK_EQ(dbl.raised[i].bits, HVIP_VSSIP);
		if (i)
			CHECK(dbl.raised[i].v > dbl.raised[i - 1].v);
		m |= 1u << dbl.raised[i].v->id;
	}
	return m;
}

TEST(sbi_ipi_hart_masks)
{
	struct fw_call c;

	vm_setup(4, false);
	c = SBI(0, SBI_EXT_IPI, 0, 0x5, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(dbl.nraised, 2);
	CHECK_EQ(ipi_targets(), 0x5); /* harts 0 (itself) and 2 */

	dbl.nraised = 0;
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0, 0x3, 2)), SBI_SUCCESS);
	CHECK_EQ(dbl.nraised, 2);
	CHECK_EQ(ipi_targets(), 0xc); /* base 2: harts 2 and 3 */

	/* hart_mask_base -1: every hart, whatever the mask. */
	dbl.nraised = 0;
	CHECK_EQ(ERR(SBI(1, SBI_EXT_IPI, 0, 0, -1ull)), SBI_SUCCESS);
	CHECK_EQ(dbl.nraised, 4);
	CHECK_EQ(ipi_targets(), 0xf);
	dbl.nraised = 0;
	CHECK_EQ(ERR(SBI(1, SBI_EXT_IPI, 0, 0x1, -1ull)), SBI_SUCCESS);
	CHECK_EQ(dbl.nraised, 4);

	/* An empty mask names nobody. */
	dbl.nraised = 0;
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0, 0, 0)), SBI_SUCCESS);
	CHECK_EQ(dbl.nraised, 0);
	/* The highest bit of the mask with base 0 is hart 63. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0, 1ull << 63, 0)), SBI_ERR_INVALID_PARAM);
}

TEST(sbi_ipi_bad_masks_do_nothing)
{
	struct fw_call c;

	vm_setup(4, false);
	/* Hart 4 does not exist: nothing at all, not even harts 0-3. */
	c = SBI(0, SBI_EXT_IPI, 0, 0x1f, 0);
	CHECK_EQ(ERR(c), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0, 0x1, 4)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0, 0x1, 1ull << 32)), SBI_ERR_INVALID_PARAM);
	/* base + bit past 2^64 does not wrap around to hart 0 or 1. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0, 0x4, -2ull)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0, 0x8, -3ull)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0, 0x1, -2ull)), SBI_ERR_INVALID_PARAM);
	CHECK(doubles_untouched());
	/* An unknown function. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 1, 0x1, 0)), SBI_ERR_NOT_SUPPORTED);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_IPI, 0x100000000ull, 0x1, 0)), SBI_ERR_NOT_SUPPORTED);
	CHECK(doubles_untouched());
}

/* The vCPUs asked for a fence, as a mask of indices; each got req, and the
 * one wait afterwards waited for exactly the numbers they were given. */
static unsigned int fenced(const struct riscv_fence_req *req, struct vcpu *self)
{
	unsigned int m = 0, seq[VM_MAX_VCPUS] = { 0 };

	for (unsigned int i = 0; i < dbl.nfences; i++) {
		const struct rec_fence *f = &dbl.fences[i];

		CHECK_EQ(f->req.fence_i, req->fence_i);
		CHECK_EQ(f->req.vma_all, req->vma_all);
		CHECK_EQ(f->req.vma_pending, req->vma_pending);
		CHECK_EQ(f->req.vma_has_asid, req->vma_has_asid);
		CHECK_EQ(f->req.vma_start, req->vma_start);
		CHECK_EQ(f->req.vma_size, req->vma_size);
		CHECK_EQ(f->req.vma_asid, req->vma_asid);
		CHECK(!(m & (1u << f->target->id)));
		m |= 1u << f->target->id;
		seq[f->target->id] = f->seq;
	}
	CHECK_EQ(dbl.nwaits, 1);
	if (dbl.nwaits == 1) {
		CHECK(dbl.waits[0].self == self);
		CHECK(memcmp(dbl.waits[0].seq, seq, sizeof(seq[0]) * vm.nr_vcpus) == 0);
	}
	dbl.nfences = dbl.nwaits = 0;
	return m;
}

TEST(sbi_rfence_fence_i)
{
	struct riscv_fence_req fi = { .fence_i = true };
	struct fw_call c;

	vm_setup(4, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	c = SBI(1, SBI_EXT_RFENCE, 0, 0x9, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(c.next, VCPU_NEXT_RUN);
	CHECK_EQ(fenced(&fi, hart(1)), 0x9);
	CHECK_EQ(ERR(SBI(1, SBI_EXT_RFENCE, 0, 0, -1ull)), SBI_SUCCESS);
	CHECK_EQ(fenced(&fi, hart(1)), 0xf); /* itself included */
	/* Nobody named: nothing asked, and the wait has nothing to wait for. */
	CHECK_EQ(ERR(SBI(1, SBI_EXT_RFENCE, 0, 0, 0)), SBI_SUCCESS);
	CHECK_EQ(fenced(&fi, hart(1)), 0);
	CHECK_EQ(dbl.nraised, 0); /* a fence is no IPI */
}

TEST(sbi_rfence_sfence_vma_ranges)
{
	struct riscv_fence_req all = { .vma_all = true };
	struct riscv_fence_req range = { .vma_pending = true, .vma_start = 0x40001000,
					 .vma_size = 0x234 + 0x2000 };

	vm_setup(2, false);
	/* A range from a page offset: from its page, covering the end. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 1, 0x2, 0, 0x40001234, 0x2000)), SBI_SUCCESS);
	CHECK_EQ(fenced(&range, hart(0)), 0x2);
	/* The specification's "everything": start = size = 0, or size -1. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 1, 0x3, 0, 0, 0)), SBI_SUCCESS);
	CHECK_EQ(fenced(&all, hart(0)), 0x3);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 1, 0x3, 0, 0x40000000, -1ull)), SBI_SUCCESS);
	CHECK_EQ(fenced(&all, hart(0)), 0x3);
	/* A range running past the top of the address space: all of it
	 * (from start on), not the few bytes it wraps to. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 1, 0x1, 0, 0xfffffffffffff800ull, -0x400ull)),
		 SBI_SUCCESS);
	CHECK_EQ(fenced(&all, hart(0)), 0x1);
	/* Size 0 at a non-zero start names no address: an empty range. */
	range.vma_start = 0x40000000;
	range.vma_size = 0;
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 1, 0x1, 0, 0x40000000, 0)), SBI_SUCCESS);
	CHECK_EQ(fenced(&range, hart(0)), 0x1);
}

TEST(sbi_rfence_sfence_vma_asid)
{
	struct riscv_fence_req r = { .vma_pending = true, .vma_has_asid = true,
				     .vma_start = 0x10000, .vma_size = 0x3000, .vma_asid = 42 };

	vm_setup(3, false);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 2, 0x6, 0, 0x10000, 0x3000, 42)), SBI_SUCCESS);
	CHECK_EQ(fenced(&r, hart(0)), 0x6);
	/* Every address of one ASID: that ASID's full flush, not the VM's. */
	r.vma_start = 0;
	r.vma_size = -1ull;
	r.vma_asid = 7;
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 2, 0x1, 1, 0, 0, 7)), SBI_SUCCESS);
	CHECK_EQ(fenced(&r, hart(0)), 0x2);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 2, 0x1, 1, 0x5000, -1ull, 7)), SBI_SUCCESS);
	CHECK_EQ(fenced(&r, hart(0)), 0x2);
}

TEST(sbi_rfence_errors)
{
	vm_setup(2, false);
	/* A bad mask: no target asked, no wait. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 0, 0x7, 0)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 1, 0x1, 2, 0, 0)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_RFENCE, 2, 0x2, -2ull, 0, 0, 1)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(dbl.nfences, 0);
	CHECK_EQ(dbl.nwaits, 0);
	/* HFENCE (3-6): the guest has no H extension. Unknown: 7 and up. */
	for (uint64_t fid = 3; fid < 12; fid++) {
		struct fw_call c = SBI(0, SBI_EXT_RFENCE, fid, 0x3, 0, 0, 0, 0);

		CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(VAL(c), 0);
	}
	CHECK(doubles_untouched());
}
