/* The firmware registry, SMCCC arch calls and PSCI against a fake VM. */
#include <string.h>
#include <tern/errno.h>
#include <tern/fwcall.h>
#include <tern/vm.h>
#include "test.h"

static struct vm vm;

static void setup(unsigned int nr)
{
	memset(&vm, 0, sizeof(vm));
	vm.nr_vcpus = nr;
	vm.ram_ipa = 0x40000000;
	vm.ram_size = 16 << 20;
	vm.services = (1u << FW_SVC_COUNT) - 1;
	for (unsigned int i = 0; i < nr; i++) {
		vm.vcpus[i].id = i;
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].hwid = i < 16 ? i : (uint64_t)(i >> 4) << 8 | (i & 15);
	}
	atomic_store(&vm.vcpus[0].power, VCPU_ON);
}

static int64_t call(unsigned int vcpu, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
		    enum vcpu_next *next)
{
	struct fw_call c = { .id = fid, .arg = (const uint64_t[6]){ a1, a2, a3 } };

	fw_dispatch(&vm.vcpus[vcpu], FW_ABI_SMCCC, &c);
	if (next)
		*next = c.next;
	return (int64_t)c.ret[0];
}

#define PSCI_VERSION 0x84000000
#define CPU_SUSPEND 0x84000001
#define CPU_OFF 0x84000002
#define CPU_ON 0x84000003
#define CPU_ON64 0xc4000003
#define AFFINITY_INFO 0x84000004
#define MIGRATE 0x84000005
#define MIGRATE_INFO_TYPE 0x84000006
#define SYSTEM_OFF 0x84000008
#define SYSTEM_RESET 0x84000009
#define PSCI_FEATURES 0x8400000a
#define SYSTEM_RESET2 0xc4000012

TEST(fw_registry_has_no_overlaps)
{
	const char *why = NULL;

	CHECK_EQ(fw_check_services(__start_fw_services, __stop_fw_services, &why), 0);
	CHECK(__stop_fw_services - __start_fw_services >= 3);
}

static void ignore_call(struct vcpu *v, struct fw_call *c)
{
}

TEST(fw_registry_detects_overlap)
{
	struct fw_service s[2] = {
		{ "a", FW_SVC_PSCI, FW_ABI_SMCCC, 0x84000000, 0x8400001f, NULL, ignore_call },
		{ "b", FW_SVC_TERN, FW_ABI_SMCCC, 0x84000010, 0x84000020, NULL, ignore_call },
	};
	const char *why = NULL;

	CHECK_EQ(fw_check_services(s, s + 2, &why), -E_EXIST);
	CHECK_STR(why, "b");
	s[1].abi = FW_ABI_SBI; /* the same numbers in another ABI are no clash */
	CHECK_EQ(fw_check_services(s, s + 2, &why), 0);
}

/* Every ID of every SMCCC service, in both calling conventions, finds its
 * service through the index; IDs around them find nothing. */
TEST(fw_registry_index_finds_every_smccc_service)
{
	const char *why = NULL;

	setup(1);
	CHECK_EQ(fw_registry_init(&why), 0);
	for (const struct fw_service *s = __start_fw_services; s < __stop_fw_services; s++) {
		uint64_t ids[] = { s->first, s->last, s->first + (s->last - s->first) / 2 };

		if (s->abi != FW_ABI_SMCCC)
			continue;
		for (unsigned int i = 0; i < 3; i++) {
			CHECK(fw_find(&vm.vcpus[0], FW_ABI_SMCCC, ids[i]) == s);
			CHECK(fw_find(&vm.vcpus[0], FW_ABI_SMCCC, ids[i] | SMCCC_CONV_64) == s);
			/* Only the low 32 bits are the function ID. */
			CHECK(fw_find(&vm.vcpus[0], FW_ABI_SMCCC, ids[i] | 0xffffffff00000000ull) == s);
		}
	}
	CHECK(fw_find(&vm.vcpus[0], FW_ABI_SMCCC, 0x84000040) == NULL); /* after SDEI */
	CHECK(fw_find(&vm.vcpus[0], FW_ABI_SMCCC, 0x80010000) == NULL); /* after the arch calls */
	CHECK(fw_find(&vm.vcpus[0], FW_ABI_SMCCC, 0x85000000) == NULL); /* owner 5: none */
	CHECK(fw_find(&vm.vcpus[0], FW_ABI_SMCCC, 0x04000000) == NULL); /* a yielding call */
	/* A service the VM was not given is not found. */
	vm.services &= ~(1u << FW_SVC_TERN);
	CHECK(fw_find(&vm.vcpus[0], FW_ABI_SMCCC, 0x86000000) == NULL);
}

/* What the index cannot hold is refused by name, at boot. */
TEST(fw_registry_index_refusals)
{
	struct fw_service s[2] = {
		{ "spans-owners", FW_SVC_TERN, FW_ABI_SMCCC, 0x86000000, 0x87000000, NULL, ignore_call },
		{ "wide-sbi", FW_SVC_SBI_BASE, FW_ABI_SBI, 0x100, 0x1ff, NULL, ignore_call },
	};
	const char *why = NULL;

	CHECK_EQ(fw_index_build(s, s + 1, &why), -E_RANGE);
	CHECK_STR(why, "spans-owners");
	CHECK_EQ(fw_index_build(s + 1, s + 2, &why), -E_RANGE);
	CHECK_STR(why, "wide-sbi");
	CHECK_EQ(fw_registry_init(&why), 0); /* the real one again */
}

TEST(smccc_version_and_features)
{
	setup(1);
	CHECK_EQ(call(0, 0x80000000, 0, 0, 0, NULL), 0x10001);
	CHECK_EQ(call(0, 0x80000001, PSCI_VERSION, 0, 0, NULL), 0);
	CHECK_EQ(call(0, 0x80000001, 0x86000000, 0, 0, NULL), 0);
	/* Erratum workarounds (WORKAROUND_1 = 0x80008000) are not implemented. */
	CHECK_EQ(call(0, 0x80000001, 0x80008000, 0, 0, NULL), -1);
	CHECK_EQ(call(0, 0x80000001, 0x84000005, 0, 0, NULL), -1); /* MIGRATE */
	CHECK_EQ(call(0, 0x80000002, 0, 0, 0, NULL), -1);           /* SOC_ID */
}

TEST(smccc_unknown_ids_are_not_supported)
{
	setup(1);
	CHECK_EQ(call(0, 0x82000000, 0, 0, 0, NULL), -1); /* SiP service */
	CHECK_EQ(call(0, 0xc5000000, 0, 0, 0, NULL), -1); /* OEM service */
	CHECK_EQ(call(0, 0xffffffff, 0, 0, 0, NULL), -1);
	CHECK_EQ(call(0, 0x8400001f, 0, 0, 0, NULL), -1); /* PSCI range, no function */
}

TEST(fw_services_follow_the_vm_config)
{
	setup(1);
	vm.services &= ~(1u << FW_SVC_PSCI);
	CHECK_EQ(call(0, PSCI_VERSION, 0, 0, 0, NULL), -1);
	CHECK_EQ(call(0, 0x80000001, PSCI_VERSION, 0, 0, NULL), -1);
}

TEST(tern_vendor_calls)
{
	struct fw_call c = { .id = 0x8600ff01, .arg = (const uint64_t[6]){ 0 } };

	setup(1);
	CHECK_EQ(call(0, 0x86000000, 0, 0, 0, NULL), 0);
	CHECK_EQ(call(0, 0xc6000000, 0, 0, 0, NULL), 0);
	fw_dispatch(&vm.vcpus[0], FW_ABI_SMCCC, &c);
	CHECK_EQ(c.ret[0], 0x4a1f3b7e);
	CHECK_EQ(call(0, 0x86000001, 0, 0, 0, NULL), -1);
}

TEST(psci_version_features_migrate)
{
	setup(2);
	CHECK_EQ(call(0, PSCI_VERSION, 0, 0, 0, NULL), 0x10001);
	CHECK_EQ(call(0, PSCI_FEATURES, CPU_ON, 0, 0, NULL), 0);
	CHECK_EQ(call(0, PSCI_FEATURES, CPU_ON64, 0, 0, NULL), 0);
	CHECK_EQ(call(0, PSCI_FEATURES, CPU_SUSPEND, 0, 0, NULL), 0);
	CHECK_EQ(call(0, PSCI_FEATURES, 0x80000000, 0, 0, NULL), 0); /* SMCCC_VERSION */
	CHECK_EQ(call(0, PSCI_FEATURES, MIGRATE, 0, 0, NULL), -1);
	CHECK_EQ(call(0, PSCI_FEATURES, 0xc4000008, 0, 0, NULL), -1); /* no SMC64 SYSTEM_OFF */
	CHECK_EQ(call(0, PSCI_FEATURES, 0x12345678, 0, 0, NULL), -1);
	CHECK_EQ(call(0, MIGRATE_INFO_TYPE, 0, 0, 0, NULL), 2);
	CHECK_EQ(call(0, MIGRATE, 0, 0, 0, NULL), -1);
	CHECK_EQ(call(0, 0xc4000000, 0, 0, 0, NULL), -1); /* PSCI_VERSION has no SMC64 form */
}

TEST(psci_cpu_on_states_and_errors)
{
	enum vcpu_next next;

	setup(4);
	/* Already running, unknown MPIDR, bits outside the affinity fields. */
	CHECK_EQ(call(0, CPU_ON64, 0, 0x40001000, 7, NULL), -4);
	CHECK_EQ(call(0, CPU_ON64, 4, 0x40001000, 7, NULL), -2);
	CHECK_EQ(call(0, CPU_ON64, 0x80000001, 0x40001000, 7, NULL), -2);
	CHECK_EQ(call(0, CPU_ON64, 0x100, 0x40001000, 7, NULL), -2);
	/* Entry points outside RAM or misaligned. */
	CHECK_EQ(call(0, CPU_ON64, 1, 0x1000, 7, NULL), -9);
	CHECK_EQ(call(0, CPU_ON64, 1, 0x40001002, 7, NULL), -9);
	CHECK_EQ(call(0, CPU_ON64, 1, 0x40000000 + (16 << 20), 7, NULL), -9);
	CHECK_EQ(atomic_load(&vm.vcpus[1].power), VCPU_OFF);
	CHECK_EQ(call(0, AFFINITY_INFO, 1, 0, 0, NULL), 1);

	CHECK_EQ(call(0, CPU_ON64, 1, 0x40001000, 0x1234, &next), 0);
	CHECK_EQ(next, VCPU_NEXT_RUN);
	CHECK_EQ(vm.vcpus[1].arch.reset_entry, 0x40001000);
	CHECK_EQ(vm.vcpus[1].arch.reset_arg, 0x1234);
	/* Published to the scheduler only after its reset (a home CPU that
	 * loaded it half-reset entered at PC 0 or with x0 = 0). */
	CHECK(!vm.vcpus[1].arch.startable_in_reset);
	CHECK(vcpu_startable(&vm.vcpus[1]));
	CHECK(atomic_load(&vm.vcpus[1].wake));
	CHECK_EQ(call(0, AFFINITY_INFO, 1, 0, 0, NULL), 2);      /* ON_PENDING */
	CHECK_EQ(call(0, CPU_ON64, 1, 0x40001000, 0, NULL), -5); /* ON_PENDING */
	atomic_store(&vm.vcpus[1].power, VCPU_ON);               /* it ran */
	CHECK_EQ(call(0, CPU_ON64, 1, 0x40001000, 0, NULL), -4);
	CHECK_EQ(call(0, AFFINITY_INFO, 1, 0, 0, NULL), 0);
	/* Claimed by another CPU_ON that is still resetting it. */
	atomic_store(&vm.vcpus[3].power, VCPU_STARTING);
	CHECK_EQ(call(0, AFFINITY_INFO, 3, 0, 0, NULL), 2);
	CHECK_EQ(call(0, CPU_ON64, 3, 0x40001000, 0, NULL), -5);
	CHECK(!vcpu_startable(&vm.vcpus[3]));

	/* The SMC32 form sees only the low 32 bits of each argument. */
	CHECK_EQ(call(0, CPU_ON, 0xffffffff00000002ull, 0xffffffff40002000ull, 5, NULL), 0);
	CHECK_EQ(vm.vcpus[2].arch.reset_entry, 0x40002000);
}

TEST(psci_affinity_info_errors)
{
	setup(2);
	CHECK_EQ(call(0, AFFINITY_INFO, 0, 0, 0, NULL), 0);
	CHECK_EQ(call(0, AFFINITY_INFO, 0, 1, 0, NULL), -2); /* only level 0 */
	CHECK_EQ(call(0, AFFINITY_INFO, 9, 0, 0, NULL), -2);
	CHECK_EQ(call(0, 0xc4000004, 1ull << 40, 0, 0, NULL), -2);
}

TEST(psci_cpu_off_and_suspend)
{
	enum vcpu_next next;

	setup(2);
	atomic_store(&vm.vcpus[1].power, VCPU_ON);
	call(1, CPU_OFF, 0, 0, 0, &next);
	CHECK_EQ(next, VCPU_NEXT_OFF);
	/* Still ON until the scheduler has taken it off its CPU: a CPU_ON
	 * now must not reset a loaded vCPU. */
	CHECK_EQ(atomic_load(&vm.vcpus[1].power), VCPU_ON);
	CHECK_EQ(call(0, CPU_ON, 1, 0x40001000, 0, NULL), -4);

	/* Standby: block, return SUCCESS, no reset. */
	CHECK_EQ(call(0, CPU_SUSPEND, 0, 0, 0, &next), 0);
	CHECK_EQ(next, VCPU_NEXT_BLOCK);
	CHECK_EQ(vm.vcpus[0].arch.resets, 0);
	/* Powerdown: wakes at the entry point with the context id. */
	CHECK_EQ(call(0, 0xc4000001, 1u << 16, 0x40003000, 42, &next), 0);
	CHECK_EQ(next, VCPU_NEXT_BLOCK);
	CHECK_EQ(vm.vcpus[0].arch.reset_entry, 0x40003000);
	CHECK_EQ(vm.vcpus[0].arch.reset_arg, 42);
	CHECK_EQ(call(0, 0xc4000001, 1u << 16, 0x10, 42, &next), -9);
	CHECK_EQ(next, VCPU_NEXT_RUN);
	CHECK_EQ(call(0, CPU_SUSPEND, 1u << 20, 0, 0, &next), -2); /* reserved bits */
}

TEST(psci_system_off_and_reset)
{
	enum vcpu_next next;

	setup(2);
	CHECK_EQ(call(0, SYSTEM_RESET2, 1, 0, 0, &next), -2);
	CHECK_EQ(call(0, SYSTEM_RESET2, 0x80000000, 0, 0, &next), -2);
	CHECK_EQ(atomic_load(&vm.stop), VM_RUNNING);
	call(0, SYSTEM_OFF, 0, 0, 0, &next);
	CHECK_EQ(next, VCPU_NEXT_VM_STOP);
	CHECK_EQ(atomic_load(&vm.stop), VM_STOP_OFF);
	CHECK(atomic_load(&vm.vcpus[1].kick));
	/* The first request wins. */
	call(0, SYSTEM_RESET, 0, 0, 0, &next);
	CHECK_EQ(atomic_load(&vm.stop), VM_STOP_OFF);

	setup(1);
	call(0, SYSTEM_RESET2, 0, 0, 0, &next);
	CHECK_EQ(next, VCPU_NEXT_VM_STOP);
	CHECK_EQ(atomic_load(&vm.stop), VM_STOP_RESET);
}

TEST(guest_memory_accessors_check_bounds)
{
	uint8_t ram[64], buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	setup(1);
	vm.ram_pa = (uintptr_t)ram;
	vm.ram_size = sizeof(ram);
	CHECK_EQ(guest_write(&vm, 0x40000000 + 56, buf, 8), 0);
	CHECK_EQ(ram[63], 8);
	CHECK_EQ(guest_write(&vm, 0x40000000 + 57, buf, 8), -E_FAULT);
	CHECK_EQ(guest_read(&vm, 0x3fffffff, buf, 2), -E_FAULT);
	CHECK_EQ(guest_read(&vm, 0x40000000, buf, ~(size_t)0), -E_FAULT);
	CHECK_EQ(guest_read(&vm, ~0ull - 2, buf, 8), -E_FAULT);
	CHECK(guest_ram_contains(&vm, 0x40000000, 64));
	CHECK(!guest_ram_contains(&vm, 0x40000001, 64));
}
