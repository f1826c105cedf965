/*
 * PSCI as the guest sees it (Arm DEN0022, PSCI 1.1; SMCCC DEN0028). The
 * expected values are the specification's, checked first against QEMU's
 * built-in PSCI; tern must answer the same.
 */
#include <guest.h>

#include "../selftest.h"

/* Not allocated in the Standard Secure Service range (owner 4): neither
 * PSCI (0x00-0x1f), SDEI (0x20-0x3f) nor TRNG (0x50-0x5f). */
#define UNKNOWN_STD_FID 0x8400ff00u

static long psci(uint32_t fid, unsigned long a1, unsigned long a2, unsigned long a3)
{
	return (long)smccc_call(fid, a1, a2, a3).a0;
}

static void check_version(void)
{
	long v = psci(PSCI_VERSION, 0, 0, 0);
	unsigned long major = (unsigned long)v >> 16, minor = (unsigned long)v & 0xffff;

	report(v >= 0 && major >= 1, "PSCI_VERSION %lu.%lu >= 1.0", major, minor);
}

static void check_features(void)
{
	long r;

	r = psci(PSCI_FEATURES, PSCI_VERSION, 0, 0);
	report(r == 0, "PSCI_FEATURES(PSCI_VERSION) = %ld (expected 0)", r);
	r = psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0);
	report(r == 0, "PSCI_FEATURES(CPU_ON) = %ld (expected 0)", r);
	r = psci(PSCI_FEATURES, UNKNOWN_STD_FID, 0, 0);
	report(r == PSCI_RET_NOT_SUPPORTED, "PSCI_FEATURES(0x%x) = %ld (expected NOT_SUPPORTED)",
	       UNKNOWN_STD_FID, r);
	r = psci(UNKNOWN_STD_FID, 0, 0, 0);
	report(r == SMCCC_RET_NOT_SUPPORTED, "unknown function 0x%x returns %ld (expected -1)",
	       UNKNOWN_STD_FID, r);
}

/* An MPIDR no CPU has: QEMU numbers Aff0 within clusters of at most 16. */
static unsigned long absent_mpidr(void)
{
	unsigned long candidate = 0xfe;

	for (int i = 0; i < cpu_count(); i++)
		if (cpu_hwid(i) == candidate)
			candidate += 0x100;
	return candidate;
}

static void check_boot_cpu(void)
{
	unsigned long self = this_cpu_hwid();
	unsigned long absent = absent_mpidr();
	long r;

	r = psci(PSCI_AFFINITY_INFO, self, 0, 0);
	report(r == PSCI_AFFINITY_ON, "AFFINITY_INFO(boot CPU 0x%lx) = %ld (expected ON)", self, r);
	r = psci(PSCI_CPU_ON, self, (uintptr_t)secondary_entry, 0);
	report(r == PSCI_RET_ALREADY_ON, "CPU_ON(boot CPU) = %ld (expected ALREADY_ON)", r);
	r = psci(PSCI_CPU_ON, absent, (uintptr_t)secondary_entry, 0);
	report(r == PSCI_RET_INVALID_PARAMETERS,
	       "CPU_ON(absent MPIDR 0x%lx) = %ld (expected INVALID_PARAMETERS)", absent, r);
}

/* What the second CPU saw; written there, read here after it signalled. */
static unsigned int runs;
static unsigned long seen_mpidr;
static void *seen_arg;

static void secondary(void *arg)
{
	seen_mpidr = this_cpu_hwid();
	seen_arg = arg;
	__atomic_fetch_add(&runs, 1, __ATOMIC_SEQ_CST);
	cpu_wake_all();
	/* Returning powers this CPU off through CPU_OFF. */
}

/* Starts the CPU, sees it run and power itself off. A second round checks
 * that a CPU that was turned off can be turned on again. */
static void check_secondary(void)
{
	int target = -1;
	unsigned long mpidr;
	static int token;
	long r;

	for (int i = 0; i < cpu_count() && target < 0; i++)
		if (i != boot_cpu())
			target = i;
	if (target < 0) {
		report_skip("CPU_ON of a second CPU: the DT lists one CPU");
		return;
	}
	mpidr = cpu_hwid(target);
	r = psci(PSCI_AFFINITY_INFO, mpidr, 0, 0);
	report(r == PSCI_AFFINITY_OFF, "AFFINITY_INFO(0x%lx) before CPU_ON = %ld (expected OFF)",
	       mpidr, r);
	for (unsigned int round = 1; round <= 2; round++) {
		seen_mpidr = ~0UL;
		seen_arg = NULL;
		r = cpu_start(target, secondary, &token);
		report(r == PSCI_RET_SUCCESS, "round %u: CPU_ON(0x%lx) = %ld (expected SUCCESS)",
		       round, mpidr, r);
		if (r != PSCI_RET_SUCCESS)
			return;
		report(wait_until(__atomic_load_n(&runs, __ATOMIC_ACQUIRE) == round, 2000),
		       "round %u: CPU 0x%lx ran", round, mpidr);
		report(seen_mpidr == mpidr && seen_arg == &token,
		       "round %u: it saw MPIDR 0x%lx and its argument", round, seen_mpidr);
		report(wait_until(psci(PSCI_AFFINITY_INFO, mpidr, 0, 0) == PSCI_AFFINITY_OFF, 2000),
		       "round %u: AFFINITY_INFO(0x%lx) reaches OFF after CPU_OFF", round, mpidr);
	}
}

void check_firmware(void)
{
	report_prefix_push("psci");
	report_info("conduit %s", smccc_conduit() == SMCCC_CONDUIT_HVC   ? "hvc"
				  : smccc_conduit() == SMCCC_CONDUIT_SMC ? "smc"
									 : "none");
	check_version();
	check_features();
	check_boot_cpu();
	check_secondary();
	report_prefix_pop();
}
