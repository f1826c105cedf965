/* SBI FWFT (firmware features): the answers per feature, and LOCK. */
#include "sbi_test.h"

enum { FWFT_SET, FWFT_GET };
#define MISALIGNED_EXC_DELEG 0
#define LOCK 1

static int64_t set(unsigned int hart, uint64_t feature, uint64_t value, uint64_t flags)
{
	struct fw_call c = SBI(hart, SBI_EXT_FWFT, FWFT_SET, feature, value, flags);

	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(c.next, VCPU_NEXT_RUN);
	return ERR(c);
}

/* get's error; its value must be 0 (the value of the one feature tern
 * has, and what the specification has on failure). */
static int64_t get(unsigned int hart, uint64_t feature)
{
	struct fw_call c = SBI(hart, SBI_EXT_FWFT, FWFT_GET, feature);

	CHECK_EQ(VAL(c), 0);
	return ERR(c);
}

TEST(sbi_fwft_misaligned_exc_deleg)
{
	vm_setup(1, false);
	CHECK_EQ(get(0, MISALIGNED_EXC_DELEG), SBI_SUCCESS); /* 0: not delegated */
	CHECK_EQ(set(0, MISALIGNED_EXC_DELEG, 0, 0), SBI_SUCCESS);
	/* Delegating them to the guest is refused (the spec's example). */
	CHECK_EQ(set(0, MISALIGNED_EXC_DELEG, 1, 0), SBI_ERR_DENIED);
	CHECK_EQ(get(0, MISALIGNED_EXC_DELEG), SBI_SUCCESS);
	/* Values other than 0 and 1, flags other than LOCK. */
	CHECK_EQ(set(0, MISALIGNED_EXC_DELEG, 2, 0), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(set(0, MISALIGNED_EXC_DELEG, ~0ull, 0), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(set(0, MISALIGNED_EXC_DELEG, 0, 2), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(set(0, MISALIGNED_EXC_DELEG, 0, 1ull << 63), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(set(0, MISALIGNED_EXC_DELEG, 1, 3), SBI_ERR_INVALID_PARAM);
	/* The feature ID is 32 bits. */
	CHECK_EQ(get(0, 1ull << 32 | MISALIGNED_EXC_DELEG), SBI_SUCCESS);
	CHECK_EQ(hart(0)->arch.fwft_locked, 0);
	CHECK(doubles_untouched());
}

TEST(sbi_fwft_other_features)
{
	/* Defined, but guests have none of Zicfilp, Zicfiss, Ssdbltrp,
	 * Svadu, Ssnpm: NOT_SUPPORTED, whatever the value or flags. */
	static const uint64_t unsupported[] = { 1, 2, 3, 4, 5 };
	/* Reserved (local, global) and platform-specific (local, global). */
	static const uint64_t denied[] = {
		6, 0x3fffffff, 0x40000000, 0x7fffffff, 0x80000000, 0xbfffffff,
		0xc0000000, 0xffffffff,
	};

	vm_setup(1, false);
	for (unsigned int i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		CHECK_EQ(get(0, unsupported[i]), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(set(0, unsupported[i], 0, 0), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(set(0, unsupported[i], 1, LOCK), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(set(0, unsupported[i], 7, 6), SBI_ERR_NOT_SUPPORTED);
	}
	for (unsigned int i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		CHECK_EQ(get(0, denied[i]), SBI_ERR_DENIED);
		CHECK_EQ(set(0, denied[i], 0, 0), SBI_ERR_DENIED);
		CHECK_EQ(set(0, denied[i], 0, LOCK), SBI_ERR_DENIED);
		CHECK_EQ(set(0, denied[i], 9, 9), SBI_ERR_DENIED);
	}
	CHECK_EQ(hart(0)->arch.fwft_locked, 0);
	/* Unknown functions. */
	for (uint64_t fid = 2; fid < 8; fid++) {
		struct fw_call c = SBI(0, SBI_EXT_FWFT, fid, 0, 0, 0);

		CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(VAL(c), 0);
	}
	CHECK(doubles_untouched());
}

TEST(sbi_fwft_lock_until_hart_reset)
{
	vm_setup(2, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, LOCK), SBI_SUCCESS);
	/* Locked: no change, not even to the value it has. */
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, 0), SBI_ERR_DENIED_LOCKED);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, LOCK), SBI_ERR_DENIED_LOCKED);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 1, 0), SBI_ERR_DENIED_LOCKED);
	/* Bad values and flags are still that first. */
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 2, 0), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, 2), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(get(1, MISALIGNED_EXC_DELEG), SBI_SUCCESS);
	/* Per hart: hart 0 is not locked. */
	CHECK_EQ(set(0, MISALIGNED_EXC_DELEG, 0, 0), SBI_SUCCESS);

	/* A non-retentive suspend keeps it (the spec: values are retained). */
	CHECK_EQ(ERR(SBI(1, SBI_EXT_HSM, 3, 0x80000000, RAM_IPA, 0)), SBI_SUCCESS);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, 0), SBI_ERR_DENIED_LOCKED);
	/* So does HART_STOP until the hart is started again ... */
	CHECK_EQ(SBI(1, SBI_EXT_HSM, 1, 0).next, VCPU_NEXT_OFF);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, 0), SBI_ERR_DENIED_LOCKED);
	/* ... and HART_START resets it: unlocked. (The lock is cleared by
	 * arch_vcpu_reset, whose double does what arch/riscv/vcpu.c does.) */
	atomic_store(&hart(1)->power, VCPU_OFF); /* the scheduler took it off */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, 0, 1, RAM_IPA, 0)), SBI_SUCCESS);
	CHECK_EQ(dbl.nresets, 1);
	CHECK(dbl.resets[0].v == hart(1));
	atomic_store(&hart(1)->power, VCPU_ON);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, 0), SBI_SUCCESS);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, LOCK), SBI_SUCCESS);
	CHECK_EQ(set(1, MISALIGNED_EXC_DELEG, 0, 0), SBI_ERR_DENIED_LOCKED);
}
