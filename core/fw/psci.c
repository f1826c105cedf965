/*
 * PSCI 1.1 for guests (Arm DEN0022), function IDs 0x84000000-0x8400001F and
 * their SMC64 forms. Every function tern offers is a row of psci_fns; the
 * rest answer NOT_SUPPORTED, and PSCI_FEATURES reads the same table.
 * Power states follow the vCPU power model in core/vm.h; the arch only puts
 * a vCPU in its reset state (arch_vcpu_reset).
 */
#include <tern/arch.h>
#include <tern/compiler.h>
#include <tern/fwcall.h>
#include <tern/vm.h>

#define PSCI_VERSION_1_1 0x00010001u

enum { AFF_ON = 0, AFF_OFF = 1, AFF_ON_PENDING = 2 };

/* MPIDR affinity fields: Aff3 [39:32], Aff2..Aff0 [23:0]. */
#define MPIDR_AFF_MASK 0xff00ffffffull
/* Original-format power_state: StateID [15:0], StateType [16], AffLevel [25:24]. */
#define PSTATE_TYPE_POWERDOWN (1u << 16)
#define PSTATE_RESERVED 0xfcfe0000u

struct psci_fn {
	uint32_t fid;   /* the SMC32 function ID */
	bool has_64;    /* also callable with the SMC64 ID (fid | bit 30) */
	int64_t (*fn)(struct vcpu *v, struct fw_call *c, bool is64);
};

static uint64_t arg(const struct fw_call *c, int i, bool is64)
{
	/* An SMC32 call passes 32-bit values: the upper halves are not the
	 * caller's to give (SMCCC 1.1, section 3.1). */
	return is64 ? c->arg[i] : (uint32_t)c->arg[i];
}

static int64_t psci_version(struct vcpu *v, struct fw_call *c, bool is64)
{
	return PSCI_VERSION_1_1;
}

/* The entry point of a CPU_ON or powerdown suspend: word aligned, in RAM. */
static bool entry_valid(struct vcpu *v, uint64_t entry)
{
	return (entry & 3) == 0 && guest_ram_contains(v->vm, entry, 4);
}

static int64_t psci_cpu_on(struct vcpu *v, struct fw_call *c, bool is64)
{
	uint64_t mpidr = arg(c, 0, is64), entry = arg(c, 1, is64), ctx = arg(c, 2, is64);
	struct vcpu *t;
	enum vcpu_power was;

	if (mpidr & ~MPIDR_AFF_MASK)
		return PSCI_INVALID_PARAMETERS;
	t = vm_vcpu_by_hwid(v->vm, mpidr);
	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (!entry_valid(v, entry))
		return PSCI_INVALID_ADDRESS;
	was = vcpu_power_on(t, entry, ctx);
	if (was == VCPU_OFF)
		return PSCI_SUCCESS;
	return was == VCPU_ON ? PSCI_ALREADY_ON : PSCI_ON_PENDING;
}

static int64_t psci_cpu_off(struct vcpu *v, struct fw_call *c, bool is64)
{
	/* The scheduler marks it OFF once it is off the physical CPU: a
	 * CPU_ON that saw OFF earlier would reset a vCPU still loaded. */
	c->next = VCPU_NEXT_OFF;
	return PSCI_SUCCESS; /* not seen by the guest: CPU_OFF does not return */
}

static int64_t psci_affinity_info(struct vcpu *v, struct fw_call *c, bool is64)
{
	uint64_t mpidr = arg(c, 0, is64);
	struct vcpu *t;

	/* PSCI 1.0 onwards: only level 0 need be supported (section 5.7.2). */
	if (arg(c, 1, is64) != 0 || (mpidr & ~MPIDR_AFF_MASK))
		return PSCI_INVALID_PARAMETERS;
	t = vm_vcpu_by_hwid(v->vm, mpidr);
	if (!t)
		return PSCI_INVALID_PARAMETERS;
	switch (atomic_load(&t->power)) {
	case VCPU_ON: return AFF_ON;
	case VCPU_STARTING:
	case VCPU_ON_PENDING: return AFF_ON_PENDING;
	default: return AFF_OFF;
	}
}

static int64_t psci_cpu_suspend(struct vcpu *v, struct fw_call *c, bool is64)
{
	uint32_t state = (uint32_t)arg(c, 0, is64);
	uint64_t entry = arg(c, 1, is64), ctx = arg(c, 2, is64);

	if (state & PSTATE_RESERVED)
		return PSCI_INVALID_PARAMETERS;
	if (state & PSTATE_TYPE_POWERDOWN) {
		/* The vCPU loses its context and wakes at entry, as after CPU_ON. */
		if (!entry_valid(v, entry))
			return PSCI_INVALID_ADDRESS;
		arch_vcpu_reset(v, entry, ctx);
	}
	/* Standby: wait for an interrupt, then return SUCCESS. */
	c->next = VCPU_NEXT_BLOCK;
	return PSCI_SUCCESS;
}

static int64_t psci_migrate_info_type(struct vcpu *v, struct fw_call *c, bool is64)
{
	return 2; /* no Trusted OS: migration not needed */
}

static int64_t psci_system_off(struct vcpu *v, struct fw_call *c, bool is64)
{
	vm_request_stop(v->vm, VM_STOP_OFF);
	c->next = VCPU_NEXT_VM_STOP;
	return PSCI_SUCCESS;
}

static int64_t psci_system_reset(struct vcpu *v, struct fw_call *c, bool is64)
{
	vm_request_stop(v->vm, VM_STOP_RESET);
	c->next = VCPU_NEXT_VM_STOP;
	return PSCI_SUCCESS;
}

static int64_t psci_system_reset2(struct vcpu *v, struct fw_call *c, bool is64)
{
	/* Only the architectural SYSTEM_WARM_RESET (0); no vendor resets. */
	if ((uint32_t)arg(c, 0, is64) != 0)
		return PSCI_INVALID_PARAMETERS;
	return psci_system_reset(v, c, is64);
}

static int64_t psci_features(struct vcpu *v, struct fw_call *c, bool is64);

static const struct psci_fn psci_fns[] = {
	{ 0x84000000, false, psci_version },
	{ 0x84000001, true, psci_cpu_suspend },
	{ 0x84000002, false, psci_cpu_off },
	{ 0x84000003, true, psci_cpu_on },
	{ 0x84000004, true, psci_affinity_info },
	{ 0x84000006, false, psci_migrate_info_type },
	{ 0x84000008, false, psci_system_off },
	{ 0x84000009, false, psci_system_reset },
	{ 0x8400000a, false, psci_features },
	{ 0x84000012, true, psci_system_reset2 },
};

static const struct psci_fn *psci_lookup(uint32_t fid, bool *is64)
{
	*is64 = (fid & SMCCC_CONV_64) != 0;
	for (size_t i = 0; i < ARRAY_SIZE(psci_fns); i++) {
		if (psci_fns[i].fid == (fid & ~SMCCC_CONV_64))
			return (!*is64 || psci_fns[i].has_64) ? &psci_fns[i] : NULL;
	}
	return NULL;
}

static bool psci_probe(struct vcpu *v, uint64_t id)
{
	bool is64;

	return psci_lookup((uint32_t)id, &is64) != NULL;
}

static int64_t psci_features(struct vcpu *v, struct fw_call *c, bool is64)
{
	uint32_t fid = (uint32_t)c->arg[0];

	/* Any SMCCC function tern implements (SMCCC_VERSION is how Linux finds
	 * SMCCC 1.1); CPU_SUSPEND's feature flags are 0: original power_state
	 * format, platform-coordinated mode only. */
	return fw_probe(v, FW_ABI_SMCCC, fid) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
}

static void psci_call(struct vcpu *v, struct fw_call *c)
{
	bool is64;
	const struct psci_fn *f = psci_lookup((uint32_t)c->id, &is64);
	int64_t r = f ? f->fn(v, c, is64) : PSCI_NOT_SUPPORTED;

	/* SMC32 results are 32-bit: negative codes sign-extend as SMCCC
	 * requires of w0 only; give the full register the same value. */
	c->ret[0] = (uint64_t)r;
}

FW_SERVICE(psci_service) = {
	.name = "PSCI",
	.sid = FW_SVC_PSCI,
	.abi = FW_ABI_SMCCC,
	.first = 0x84000000,
	.last = 0x8400001f,
	.probe = psci_probe,
	.call = psci_call,
};
