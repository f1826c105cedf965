/*
 * FWFT (firmware features, SBI v3.0 chapter "Firmware Features
 * Extension"): GET and SET of every defined feature, reserved and
 * platform-specific IDs, bad values and flags, and LOCK.
 *
 * No reference implementation on Debian 12 has FWFT (OpenSBI 1.1 and 1.2
 * predate it): natively the checks are skipped, under tern they hold the
 * specification's tables. A feature whose ISA extension the DT's
 * riscv,isa does not name is NOT_SUPPORTED ("missing dependencies").
 */
#include <libfdt.h>
#include <string.h>

#include "sbi_test.h"

#define SBI_EXT_FWFT 0x46574654ul
#define FWFT_SET 0
#define FWFT_GET 1
#define FWFT_LOCK 1ul
#define SBI_ERR_DENIED_LOCKED (-14) /* SBI 3.0 */

static const struct {
	unsigned long id;
	const char *name, *ext; /* the ISA extension it needs, NULL: none */
} features[] = {
	{ 0, "MISALIGNED_EXC_DELEG", NULL },
	{ 1, "LANDING_PAD", "zicfilp" },
	{ 2, "SHADOW_STACK", "zicfiss" },
	{ 3, "DOUBLE_TRAP", "ssdbltrp" },
	{ 4, "PTE_AD_HW_UPDATING", "svadu" },
	{ 5, "POINTER_MASKING_PMLEN", "ssnpm" },
};

/* Reserved local, platform local, reserved global, platform global. */
static const unsigned long undefined_ids[] = { 6, 0x3fffffff, 0x40000000, 0x7fffffff,
					       0x80000000, 0xbfffffff, 0xc0000000, 0xffffffff };

static struct sbiret fwft_get(unsigned long feature)
{
	return sbi_call1(SBI_EXT_FWFT, FWFT_GET, feature);
}

static struct sbiret fwft_set(unsigned long feature, unsigned long value, unsigned long flags)
{
	return sbi_ecall(SBI_EXT_FWFT, FWFT_SET, feature, value, flags, 0, 0, 0);
}

/* Whether the boot hart's riscv,isa names multi-letter extension ext. */
static bool isa_has(const char *ext)
{
	const void *fdt = guest_fdt();
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	size_t n = strlen(ext);

	fdt_for_each_subnode(node, fdt, cpus) {
		const char *isa = fdt_getprop(fdt, node, "riscv,isa", NULL);

		for (const char *p = isa ? strchr(isa, '_') : NULL; p; p = strchr(p + 1, '_'))
			if (!strncmp(p + 1, ext, n) && (p[1 + n] == '_' || !p[1 + n]))
				return true;
		if (fdt_stringlist_search(fdt, node, "riscv,isa-extensions", ext) >= 0)
			return true;
		break; /* the boot hart's is the first /cpus/cpu@ node here */
	}
	return false;
}

static void check_features(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(features); i++) {
		struct sbiret r = fwft_get(features[i].id);
		bool has = !features[i].ext || isa_has(features[i].ext);

		if (has)
			report(r.error == SBI_SUCCESS && (unsigned long)r.value <= (features[i].id == 5 ? 63ul : 1ul),
			       "get(%s) = %ld/%ld (expected SUCCESS)", features[i].name, r.error,
			       r.value);
		else
			report(r.error == SBI_ERR_NOT_SUPPORTED && r.value == 0,
			       "get(%s) = %ld/%ld (expected NOT_SUPPORTED, 0: no %s in riscv,isa)",
			       features[i].name, r.error, r.value, features[i].ext);
		if (!has) {
			r = fwft_set(features[i].id, 1, 0);
			report(r.error == SBI_ERR_NOT_SUPPORTED, "set(%s, 1) = %ld (expected NOT_SUPPORTED)",
			       features[i].name, r.error);
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(undefined_ids); i++) {
		struct sbiret g = fwft_get(undefined_ids[i]), s = fwft_set(undefined_ids[i], 0, 0);

		report(g.error == SBI_ERR_DENIED && g.value == 0 && s.error == SBI_ERR_DENIED,
		       "feature 0x%lx (reserved or platform's): get %ld/%ld, set %ld (expected DENIED)",
		       undefined_ids[i], g.error, g.value, s.error);
	}
}

/* MISALIGNED_EXC_DELEG exists everywhere: its values, flags and LOCK. */
static void check_set_and_lock(void)
{
	struct sbiret r = fwft_get(0);
	unsigned long now = (unsigned long)r.value;

	if (r.error != SBI_SUCCESS)
		return; /* reported by check_features */
	r = fwft_set(0, 2, 0);
	report(r.error == SBI_ERR_INVALID_PARAM, "set(MISALIGNED_EXC_DELEG, 2) = %ld (expected INVALID_PARAM)",
	       r.error);
	r = fwft_set(0, now, 2);
	report(r.error == SBI_ERR_INVALID_PARAM, "set(MISALIGNED_EXC_DELEG, flags 0x2) = %ld (expected INVALID_PARAM)",
	       r.error);
	/* Its current value again: SUCCESS, or DENIED by the implementation. */
	r = fwft_set(0, now, 0);
	report(r.error == SBI_SUCCESS || r.error == SBI_ERR_DENIED,
	       "set(MISALIGNED_EXC_DELEG, %lu) = %ld (expected SUCCESS or DENIED)", now, r.error);
	if (r.error != SBI_SUCCESS)
		return;
	r = fwft_set(0, now, FWFT_LOCK);
	report(r.error == SBI_SUCCESS, "set(MISALIGNED_EXC_DELEG, %lu, LOCK) = %ld (expected SUCCESS)",
	       now, r.error);
	r = fwft_set(0, now, 0);
	report(r.error == SBI_ERR_DENIED_LOCKED, "set once locked = %ld (expected DENIED_LOCKED)",
	       r.error);
	r = fwft_get(0);
	report(r.error == SBI_SUCCESS && (unsigned long)r.value == now,
	       "get once locked = %ld/%ld (expected SUCCESS/%lu)", r.error, r.value, now);
	r = sbi_call0(SBI_EXT_FWFT, 2);
	report(r.error == SBI_ERR_NOT_SUPPORTED, "FWFT function 2 = %ld (expected NOT_SUPPORTED)",
	       r.error);
}

void check_fwft(void)
{
	report_prefix_push("fwft");
	if (!spec_at_least(3, 0) || !sbi_probe(SBI_EXT_FWFT)) {
		report_skip("no FWFT: SBI v%lu.%lu, probe_extension(FWFT) = 0", env.spec_major,
			    env.spec_minor);
		report_prefix_pop();
		return;
	}
	check_features();
	check_set_and_lock();
	report_prefix_pop();
}
