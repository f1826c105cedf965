/*
 * SBI as the guest sees it (RISC-V SBI specification v2.0): BASE, probing
 * and HSM. The expected values are the specification's, checked first
 * against OpenSBI; tern must answer the same.
 */
#include <guest.h>

#include "../selftest.h"

/* Outside every range the spec allocates (legacy 0x00-0x0f, the named
 * extensions, experimental 0x08000000-0x08ffffff, vendor 0x09xxxxxx,
 * firmware 0x0axxxxxx). */
#define UNKNOWN_EXT 0x0badc0deul

static struct sbiret sbi0(unsigned long ext, unsigned long fid, unsigned long a0)
{
	return sbi_ecall(ext, fid, a0, 0, 0, 0, 0, 0);
}

static void check_base(void)
{
	struct sbiret r = sbi0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0);
	unsigned long major = ((unsigned long)r.value >> 24) & 0x7f;
	unsigned long minor = (unsigned long)r.value & 0xffffff;
	struct sbiret impl = sbi0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0);
	struct sbiret implv = sbi0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0);

	report_info("implementation id %ld version 0x%lx", impl.value, implv.value);
	report(r.error == SBI_SUCCESS && (major > 0 || minor >= 2), "spec version %lu.%lu >= 0.2",
	       major, minor);
}

static void check_probe(void)
{
	static const struct {
		unsigned long id;
		const char *name;
	} exts[] = {
		{ SBI_EXT_TIME, "TIME" }, { SBI_EXT_IPI, "IPI" }, { SBI_EXT_RFENCE, "RFENCE" },
		{ SBI_EXT_HSM, "HSM" },	  { SBI_EXT_SRST, "SRST" },
	};
	struct sbiret r;

	for (unsigned int i = 0; i < ARRAY_SIZE(exts); i++) {
		r = sbi0(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, exts[i].id);
		report(r.error == SBI_SUCCESS && r.value != 0, "probe %s = %ld (expected nonzero)",
		       exts[i].name, r.value);
	}
	r = sbi0(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, UNKNOWN_EXT);
	report(r.error == SBI_SUCCESS && r.value == 0, "probe 0x%lx = %ld (expected 0)", UNKNOWN_EXT,
	       r.value);
	r = sbi0(UNKNOWN_EXT, 0, 0);
	report(r.error == SBI_ERR_NOT_SUPPORTED, "call to 0x%lx = %ld (expected NOT_SUPPORTED)",
	       UNKNOWN_EXT, r.error);
}

/* A hart id the DT does not list. */
static unsigned long absent_hart(void)
{
	unsigned long max = 0;

	for (int i = 0; i < cpu_count(); i++)
		if (cpu_hwid(i) > max)
			max = cpu_hwid(i);
	return max + 1;
}

static void check_boot_hart(void)
{
	unsigned long self = this_cpu_hwid();
	unsigned long absent = absent_hart();
	struct sbiret r;

	r = sbi0(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, self);
	report(r.error == SBI_SUCCESS && r.value == SBI_HSM_STATE_STARTED,
	       "hart_get_status(boot hart %lu) = %ld/%ld (expected STARTED)", self, r.error,
	       r.value);
	r = sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, self, (uintptr_t)secondary_entry, 0, 0, 0, 0);
	report(r.error == SBI_ERR_ALREADY_AVAILABLE,
	       "hart_start(boot hart) = %ld (expected ALREADY_AVAILABLE)", r.error);
	r = sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, absent, (uintptr_t)secondary_entry, 0, 0, 0,
		      0);
	report(r.error == SBI_ERR_INVALID_PARAM,
	       "hart_start(absent hart %lu) = %ld (expected INVALID_PARAM)", absent, r.error);
}

/* What the second hart saw; written there, read here after it signalled. */
static unsigned int runs;
static unsigned long seen_hart;
static void *seen_arg;

static void secondary(void *arg)
{
	seen_hart = this_cpu_hwid();
	seen_arg = arg;
	__atomic_fetch_add(&runs, 1, __ATOMIC_SEQ_CST);
	cpu_wake_all();
	/* Returning stops this hart through HART_STOP. */
}

static long hart_status(unsigned long hart)
{
	struct sbiret r = sbi0(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hart);

	return r.error ? r.error : r.value;
}

static void check_sie_per_hart(int target);

/* Starts the hart, sees it run and stop itself; twice, so that a stopped
 * hart is shown to start again; then the harts' own interrupt enables. */
static void check_secondary(void)
{
	int target = -1;
	unsigned long hart;
	static int token;
	long r;

	for (int i = 0; i < cpu_count() && target < 0; i++)
		if (i != boot_cpu())
			target = i;
	if (target < 0) {
		report_skip("hart_start of a second hart: the DT lists one hart");
		return;
	}
	hart = cpu_hwid(target);
	r = hart_status(hart);
	report(r == SBI_HSM_STATE_STOPPED, "hart_get_status(%lu) before start = %ld (expected STOPPED)",
	       hart, r);
	for (unsigned int round = 1; round <= 2; round++) {
		seen_hart = ~0UL;
		seen_arg = NULL;
		r = cpu_start(target, secondary, &token);
		report(r == SBI_SUCCESS, "round %u: hart_start(%lu) = %ld (expected SUCCESS)", round,
		       hart, r);
		if (r != SBI_SUCCESS)
			return;
		report(wait_until(__atomic_load_n(&runs, __ATOMIC_ACQUIRE) == round, 2000),
		       "round %u: hart %lu ran", round, hart);
		report(seen_hart == hart && seen_arg == &token,
		       "round %u: it saw hart id %lu and its argument", round, seen_hart);
		report(wait_until(hart_status(hart) == SBI_HSM_STATE_STOPPED, 2000),
		       "round %u: hart_get_status(%lu) reaches STOPPED after hart_stop", round, hart);
	}
	check_sie_per_hart(target);
}

/*
 * Each hart's interrupt enables (sie) are its own: the boot hart and the
 * second one set different bits and check them while taking turns. Under
 * tern with two vCPUs on one hart, every turn is a vCPU switch: vsie must
 * come back as that vCPU left it, not as the other one did. (Bits of
 * interrupts nothing raises here, with sstatus.SIE clear.)
 */
#define SIE_SSIE (1ul << 1)
#define SIE_SEIE (1ul << 9)
#define SIE_TURNS 10

static unsigned int sie_turn;          /* odd: the second hart's turn */
static unsigned int sie_ok_secondary;
static unsigned long sie_bad_value;

static unsigned long sie_get(void)
{
	unsigned long v;

	__asm__ volatile("csrr %0, sie" : "=r"(v));
	return v;
}

static void sie_set(unsigned long v)
{
	__asm__ volatile("csrw sie, %0" : : "r"(v) : "memory");
}

static void sie_secondary(void *arg)
{
	(void)arg;
	sie_set(SIE_SSIE);
	for (unsigned int t = 1; t < 2 * SIE_TURNS; t += 2) {
		if (!wait_until(__atomic_load_n(&sie_turn, __ATOMIC_ACQUIRE) == t, 2000))
			break;
		if (sie_get() == SIE_SSIE)
			sie_ok_secondary++;
		else
			sie_bad_value = sie_get();
		__atomic_store_n(&sie_turn, t + 1, __ATOMIC_RELEASE);
		cpu_wake_all();
	}
	sie_set(0);
}

static void check_sie_per_hart(int target)
{
	unsigned long hart = cpu_hwid(target), bad = 0;
	unsigned int ok = 0;
	long r;

	sie_set(SIE_SEIE);
	r = cpu_start(target, sie_secondary, NULL);
	for (unsigned int t = 0; r == SBI_SUCCESS && t < 2 * SIE_TURNS; t += 2) {
		if (sie_get() == SIE_SEIE)
			ok++;
		else
			bad = sie_get();
		__atomic_store_n(&sie_turn, t + 1, __ATOMIC_RELEASE);
		cpu_wake_all();
		if (!wait_until(__atomic_load_n(&sie_turn, __ATOMIC_ACQUIRE) == t + 2, 2000))
			break;
	}
	sie_set(0);
	wait_until(hart_status(hart) == SBI_HSM_STATE_STOPPED, 2000);
	report(r == SBI_SUCCESS && ok == SIE_TURNS && sie_ok_secondary == SIE_TURNS,
	       "sie: each hart keeps its own enables across %u turns (boot hart %u, hart %lu %u; "
	       "other values seen: 0x%lx, 0x%lx)",
	       SIE_TURNS, ok, hart, sie_ok_secondary, bad, sie_bad_value);
}

void check_firmware(void)
{
	report_prefix_push("sbi");
	check_base();
	check_probe();
	check_boot_hart();
	check_secondary();
	report_prefix_pop();
}
