/*
 * SBI HSM (hart states over core's vcpu_power_on) and SRST (the VM's stop
 * request).
 */
#include "sbi_test.h"

enum { HSM_START, HSM_STOP, HSM_GET_STATUS, HSM_SUSPEND };
enum { STARTED, STOPPED, START_PENDING, STOP_PENDING, SUSPENDED };

static uint64_t status(unsigned int caller, uint64_t hartid)
{
	struct fw_call c = SBI(caller, SBI_EXT_HSM, HSM_GET_STATUS, hartid);

	CHECK_EQ(ERR(c), SBI_SUCCESS);
	return VAL(c);
}

TEST(sbi_hsm_start_a_stopped_hart)
{
	struct fw_call c;

	vm_setup(4, false);
	CHECK_EQ(status(0, 2), STOPPED);
	CHECK_EQ(status(0, 0), STARTED);
	/* What the hart had before its start is gone afterwards. */
	hart(2)->events.masked = false;
	hart(2)->events.ev[EV_SOFTWARE].state = EV_ENABLED;
	hart(2)->arch.fwft_locked = 1;

	c = SBI(0, SBI_EXT_HSM, HSM_START, 2, RAM_IPA + 0x1000, 0x5555);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(c.next, VCPU_NEXT_RUN); /* the caller goes on */
	/* Reset (entry, opaque) while claimed, not yet runnable ... */
	CHECK_EQ(dbl.nresets, 1);
	CHECK(dbl.resets[0].v == hart(2));
	CHECK_EQ(dbl.resets[0].entry, RAM_IPA + 0x1000);
	CHECK_EQ(dbl.resets[0].arg, 0x5555);
	CHECK_EQ(dbl.resets[0].power, VCPU_STARTING);
	/* ... then published and woken: its home CPU is interrupted. */
	CHECK_EQ(atomic_load(&hart(2)->power), VCPU_ON_PENDING);
	CHECK(atomic_load(&hart(2)->wake));
	CHECK_EQ(dbl.nkicked, 1);
	CHECK(dbl.kicked[0] == &pcpus[2]);
	/* Its events start over: masked, nothing registered. */
	CHECK(hart(2)->events.masked);
	CHECK_EQ(hart(2)->events.ev[EV_SOFTWARE].state, EV_UNREGISTERED);
	CHECK_EQ(hart(2)->arch.fwft_locked, 0);
	CHECK_EQ(status(0, 2), START_PENDING);
	CHECK_EQ(status(3, 2), START_PENDING);
	/* Nobody else was touched. */
	CHECK_EQ(atomic_load(&hart(1)->power), VCPU_OFF);
	CHECK_EQ(atomic_load(&hart(3)->power), VCPU_OFF);
	CHECK(!atomic_load(&hart(1)->wake));

	/* Started already (pending, or running): nothing done again. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 2, RAM_IPA, 0)), SBI_ERR_ALREADY_AVAILABLE);
	atomic_store(&hart(2)->power, VCPU_ON); /* it ran */
	CHECK_EQ(status(0, 2), STARTED);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 2, RAM_IPA, 0)), SBI_ERR_ALREADY_AVAILABLE);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 0, RAM_IPA, 0)), SBI_ERR_ALREADY_AVAILABLE);
	/* Claimed by another HART_START that is still resetting it. */
	atomic_store(&hart(3)->power, VCPU_STARTING);
	CHECK_EQ(status(0, 3), START_PENDING);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 3, RAM_IPA, 0)), SBI_ERR_ALREADY_AVAILABLE);
	CHECK_EQ(dbl.nresets, 1);

	/* Started by a hart that is not hart 0; hart 1's home is pcpus[1]. */
	CHECK_EQ(ERR(SBI(2, SBI_EXT_HSM, HSM_START, 1, RAM_IPA + RAM_SIZE - 2, 0)), SBI_SUCCESS);
	CHECK_EQ(dbl.nresets, 2);
	CHECK(dbl.resets[1].v == hart(1));
	CHECK_EQ(dbl.resets[1].entry, RAM_IPA + RAM_SIZE - 2);
	CHECK(dbl.kicked[dbl.nkicked - 1] == &pcpus[1]);
}

TEST(sbi_hsm_start_errors)
{
	static const uint64_t bad_entries[] = {
		0, RAM_IPA - 2, RAM_IPA - 1, RAM_IPA + RAM_SIZE - 1, RAM_IPA + RAM_SIZE,
		RAM_IPA + (1ull << 32), ~0ull, ~0ull - 1,
	};
	struct fw_call c;

	vm_setup(2, false);
	/* No such hart. */
	c = SBI(0, SBI_EXT_HSM, HSM_START, 2, RAM_IPA, 0);
	CHECK_EQ(ERR(c), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 1ull << 32 | 1, RAM_IPA, 0)),
		 SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, -1ull, RAM_IPA, 0)), SBI_ERR_INVALID_PARAM);
	/* ... answered before the address. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 5, 0, 0)), SBI_ERR_INVALID_PARAM);
	/* An entry whose instruction is not in the VM's RAM. */
	for (unsigned int i = 0; i < sizeof(bad_entries) / sizeof(bad_entries[0]); i++) {
		c = SBI(0, SBI_EXT_HSM, HSM_START, 1, bad_entries[i], 0);
		CHECK_EQ(ERR(c), SBI_ERR_INVALID_ADDRESS);
		CHECK_EQ(VAL(c), 0);
	}
	/* ... answered before the state: hart 0 is started. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 0, 0, 0)), SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(atomic_load(&hart(1)->power), VCPU_OFF);
	CHECK(doubles_untouched());
}

TEST(sbi_hsm_get_status_errors)
{
	struct fw_call c;

	vm_setup(2, false);
	c = SBI(0, SBI_EXT_HSM, HSM_GET_STATUS, 2);
	CHECK_EQ(ERR(c), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_GET_STATUS, 1ull << 32)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_GET_STATUS, -1ull)), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(status(0, 1), STOPPED);
	CHECK_EQ(status(1, 1), STOPPED);
	CHECK(doubles_untouched());
}

TEST(sbi_hsm_stop)
{
	struct fw_call c;

	vm_setup(2, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	c = SBI(1, SBI_EXT_HSM, HSM_STOP, 0);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(c.next, VCPU_NEXT_OFF);
	/* The scheduler marks it stopped once it is off its CPU: until then a
	 * HART_START must not reset a loaded vCPU. */
	CHECK_EQ(atomic_load(&hart(1)->power), VCPU_ON);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 1, RAM_IPA, 0)), SBI_ERR_ALREADY_AVAILABLE);
	CHECK(doubles_untouched());
	atomic_store(&hart(1)->power, VCPU_OFF); /* the scheduler did */
	CHECK_EQ(status(0, 1), STOPPED);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 1, RAM_IPA + 0x100, 3)), SBI_SUCCESS);
	CHECK_EQ(dbl.nresets, 1);
}

TEST(sbi_hsm_suspend_retentive)
{
	struct fw_call c;

	vm_setup(2, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	/* resume_addr is unused: any value. The type is 32 bits. */
	c = SBI(1, SBI_EXT_HSM, HSM_SUSPEND, 0xffffffff00000000ull, 0x3, 0x77);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(c.next, VCPU_NEXT_BLOCK);
	CHECK(hart(1)->arch.hsm_suspended);
	CHECK(!hart(1)->arch.suspend_nonret);
	CHECK_EQ(status(0, 1), SUSPENDED);
	CHECK_EQ(status(0, 0), STARTED);
	/* Suspended is started: no HART_START. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_START, 1, RAM_IPA, 0)), SBI_ERR_ALREADY_AVAILABLE);
	CHECK(doubles_untouched());
}

TEST(sbi_hsm_suspend_non_retentive)
{
	struct fw_call c;

	vm_setup(2, false);
	c = SBI(0, SBI_EXT_HSM, HSM_SUSPEND, 0x80000000, RAM_IPA + 0x2000, 0x99);
	CHECK_EQ(ERR(c), SBI_SUCCESS);
	CHECK_EQ(c.next, VCPU_NEXT_BLOCK);
	CHECK(hart(0)->arch.hsm_suspended);
	CHECK(hart(0)->arch.suspend_nonret);
	CHECK_EQ(hart(0)->arch.resume_addr, RAM_IPA + 0x2000);
	CHECK_EQ(hart(0)->arch.resume_opaque, 0x99);
	CHECK_EQ(status(1, 0), SUSPENDED);
	/* The reset happens at wake-up (arch/riscv/vcpu.c), not here. */
	CHECK_EQ(dbl.nresets, 0);

	/* A resume address outside RAM: nothing changes. */
	vm_setup(2, false);
	c = SBI(0, SBI_EXT_HSM, HSM_SUSPEND, 0x80000000, RAM_IPA + RAM_SIZE - 1, 0x99);
	CHECK_EQ(ERR(c), SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(c.next, VCPU_NEXT_RUN);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_SUSPEND, 0x80000000, 0, 0)), SBI_ERR_INVALID_ADDRESS);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, HSM_SUSPEND, 0x80000000, -2ull, 0)),
		 SBI_ERR_INVALID_ADDRESS);
	CHECK(!hart(0)->arch.hsm_suspended);
	CHECK(!hart(0)->arch.suspend_nonret);
	CHECK_EQ(hart(0)->arch.resume_addr, 0);
	CHECK_EQ(status(1, 0), STARTED);
	CHECK(doubles_untouched());
}

TEST(sbi_hsm_suspend_types)
{
	/* Reserved types. */
	static const uint64_t reserved[] = { 1, 0x0fffffff, 0x80000001, 0x8fffffff };
	/* Platform-specific types tern has none of: INVALID_PARAM, the SBI
	 * specification's "platform-specific and unimplemented". */
	static const uint64_t platform[] = { 0x10000000, 0x7fffffff, 0x90000000, 0xffffffff };

	vm_setup(1, false);
	for (unsigned int i = 0; i < 4; i++) {
		struct fw_call c = SBI(0, SBI_EXT_HSM, HSM_SUSPEND, reserved[i], RAM_IPA, 0);

		CHECK_EQ(ERR(c), SBI_ERR_INVALID_PARAM);
		CHECK_EQ(c.next, VCPU_NEXT_RUN);
		c = SBI(0, SBI_EXT_HSM, HSM_SUSPEND, platform[i], RAM_IPA, 0);
		CHECK_EQ(ERR(c), SBI_ERR_INVALID_PARAM);
		CHECK_EQ(c.next, VCPU_NEXT_RUN);
	}
	CHECK(!hart(0)->arch.hsm_suspended);
	CHECK(doubles_untouched());
}

TEST(sbi_hsm_unknown_functions)
{
	vm_setup(2, false);
	for (uint64_t fid = 4; fid < 10; fid++) {
		struct fw_call c = SBI(0, SBI_EXT_HSM, fid, 1, RAM_IPA, 0);

		CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(VAL(c), 0);
		CHECK_EQ(c.next, VCPU_NEXT_RUN);
	}
	CHECK(doubles_untouched());
	CHECK_EQ(atomic_load(&hart(1)->power), VCPU_OFF);
}

/* ---- SRST ----------------------------------------------------------------------- */

TEST(sbi_srst_shutdown_and_reboots)
{
	static const struct {
		uint64_t type, reason;
		enum vm_stop stop;
	} ok[] = {
		{ 0, 0, VM_STOP_OFF },
		{ 0, 1, VM_STOP_OFF },                 /* system failure */
		{ 1, 0, VM_STOP_RESET },               /* cold reboot */
		{ 2, 0, VM_STOP_RESET },               /* warm reboot */
		{ 2, 0xe0000000, VM_STOP_RESET },      /* SBI implementation's reason */
		{ 1, 0xefffffff, VM_STOP_RESET },
		{ 0, 0xf0000000, VM_STOP_OFF },        /* vendor reason */
		{ 0, 0xffffffff, VM_STOP_OFF },
		/* Both are 32 bits: what is above is not looked at. */
		{ 1ull << 32, 0, VM_STOP_OFF },
		{ 0xffffffff00000001ull, 0xffffffff00000000ull, VM_STOP_RESET },
	};

	for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct fw_call c;

		vm_setup(3, false);
		atomic_store(&hart(2)->power, VCPU_ON);
		c = SBI(0, SBI_EXT_SRST, 0, ok[i].type, ok[i].reason);
		CHECK_EQ(ERR(c), SBI_SUCCESS);
		CHECK_EQ(c.next, VCPU_NEXT_VM_STOP);
		CHECK_EQ(atomic_load(&vm.stop), ok[i].stop);
		/* Every vCPU is asked to leave the guest. */
		for (unsigned int h = 0; h < 3; h++)
			CHECK(atomic_load(&hart(h)->kick));
		/* The others' CPUs are interrupted; the caller's is this one. */
		CHECK_EQ(dbl.nkicked, 2);
		CHECK(dbl.kicked[0] == &pcpus[1] && dbl.kicked[1] == &pcpus[2]);
	}
	/* The first request wins. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_SRST, 0, 0, 0)), SBI_SUCCESS);
	CHECK_EQ(atomic_load(&vm.stop), VM_STOP_RESET);
}

TEST(sbi_srst_errors)
{
	static const struct {
		uint64_t type, reason;
		int64_t err;
	} bad[] = {
		{ 3, 0, SBI_ERR_INVALID_PARAM },              /* reserved types */
		{ 0xefffffff, 0, SBI_ERR_INVALID_PARAM },
		{ 0xf0000000, 0, SBI_ERR_NOT_SUPPORTED },     /* vendor types: valid, not implemented */
		{ 0xffffffff, 1, SBI_ERR_NOT_SUPPORTED },
		{ 0, 2, SBI_ERR_INVALID_PARAM },              /* reserved reasons */
		{ 1, 0xdfffffff, SBI_ERR_INVALID_PARAM },
		{ 0xf0000000, 2, SBI_ERR_INVALID_PARAM },     /* the reason is looked at first */
	};

	vm_setup(2, false);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fw_call c = SBI(0, SBI_EXT_SRST, 0, bad[i].type, bad[i].reason);

		CHECK_EQ(ERR(c), bad[i].err);
		CHECK_EQ(VAL(c), 0);
		CHECK_EQ(c.next, VCPU_NEXT_RUN);
	}
	/* Unknown functions, even with a valid shutdown's arguments. */
	for (uint64_t fid = 1; fid < 5; fid++) {
		struct fw_call c = SBI(0, SBI_EXT_SRST, fid, 0, 0);

		CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
		CHECK_EQ(VAL(c), 0);
		CHECK_EQ(c.next, VCPU_NEXT_RUN);
	}
	CHECK(doubles_untouched());
}
