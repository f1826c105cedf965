/*
 * sbi: the SBI as a supervisor sees it (RISC-V SBI specification v2.0),
 * extension by extension, with the exact values the specification requires
 * and the side effects it promises (interrupts raised and cleared, harts
 * started, stopped, suspended and resumed, bytes on the console).
 *
 * Every expectation is proven natively first, in S-mode on QEMU's OpenSBI
 * (v1.1, SBI 1.0) and on Debian's; tern, which implements SBI v2.0 for its
 * guests, must answer the same. Where OpenSBI departs from the
 * specification the check says so and accepts both.
 *
 * This file: the environment the checks share, the interrupt handler,
 * BASE and SRST.
 */
#include <libfdt.h>
#include <string.h>

#include "sbi_test.h"

struct sbi_env env;
struct irq_counts irqs;

/* Outside every range the spec allocates (legacy 0x00-0x0f, the named
 * extensions, experimental 0x08000000-0x08ffffff, vendor 0x09xxxxxx,
 * firmware 0x0axxxxxx). */
#define UNKNOWN_EXT 0x0badc0deul
/* BASE defines function ids 0-6. */
#define UNKNOWN_BASE_FID 0xbadul

bool sbi_probe(unsigned long ext)
{
	struct sbiret r = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext);

	return r.error == SBI_SUCCESS && r.value != 0;
}

const char *sbi_err_name(long code)
{
	static const char *const names[] = {
		"SUCCESS",	 "FAILED",	    "NOT_SUPPORTED",	 "INVALID_PARAM",
		"DENIED",	 "INVALID_ADDRESS", "ALREADY_AVAILABLE", "ALREADY_STARTED",
		"ALREADY_STOPPED", "NO_SHMEM",
	};

	return code <= 0 && -code < (long)ARRAY_SIZE(names) ? names[-code] : "?";
}

bool spec_at_least(unsigned long major, unsigned long minor)
{
	return env.spec_major > major || (env.spec_major == major && env.spec_minor >= minor);
}

bool ram_range(uint64_t addr, uint64_t *base_out, uint64_t *end_out)
{
	const void *fdt = guest_fdt();
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	int node;

	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return false;
	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		int len, cells = ac + sc;

		if (!type || strcmp(type, "memory"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		for (; reg && len >= (int)sizeof(*reg) * cells; len -= sizeof(*reg) * cells) {
			uint64_t base = 0, size = 0;

			for (int i = 0; i < ac; i++)
				base = base << 32 | fdt32_to_cpu(*reg++);
			for (int i = 0; i < sc; i++)
				size = size << 32 | fdt32_to_cpu(*reg++);
			if (addr >= base && addr - base < size) {
				if (base_out)
					*base_out = base;
				if (end_out)
					*end_out = base + size;
				return true;
			}
		}
	}
	return false;
}

void irq_handler(unsigned long scause)
{
	unsigned long hart = this_cpu_hwid();
	unsigned long irq = scause & ~SCAUSE_INTERRUPT;

	irqs.last_cause = scause;
	if (irq == IRQ_SSI) {
		csr_clear(sip, SIP_SSIP);
		if (hart < MAX_HARTS)
			__atomic_fetch_add(&irqs.ssi[hart], 1, __ATOMIC_RELEASE);
	} else if (irq == IRQ_STI) {
		/* STIP is cleared by the next set_timer, which the check
		 * makes itself: mask it until then. */
		irqs.sti_time = timer_now();
		csr_clear(sie, SIP_STIP);
		if (hart < MAX_HARTS)
			__atomic_fetch_add(&irqs.sti[hart], 1, __ATOMIC_RELEASE);
	} else {
		/* Nothing else is enabled: mask everything so it stops. */
		csr_clear(sie, ~0ul);
		__atomic_fetch_add(&irqs.other, 1, __ATOMIC_RELEASE);
	}
}

/* True if every hart's riscv,isa (or riscv,isa-extensions) names H. */
static bool dt_has_h(void)
{
	const void *fdt = guest_fdt();
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node, n = 0;
	bool all = true;

	if (cpus < 0)
		return false;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const char *isa = fdt_getprop(fdt, node, "riscv,isa", NULL);
		bool h = false;

		if (!type || strcmp(type, "cpu"))
			continue;
		n++;
		if (fdt_stringlist_search(fdt, node, "riscv,isa-extensions", "h") >= 0)
			h = true;
		/* "rv64imafdch_zicsr...": single letters up to the first '_'. */
		if (isa && strlen(isa) > 4)
			for (const char *p = isa + 4; *p && *p != '_'; p++)
				if (*p == 'h')
					h = true;
		all = all && h;
	}
	return n > 0 && all;
}

static void find_env(void)
{
	struct sbiret r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
	unsigned long max = 0;

	env.spec_major = ((unsigned long)r.value >> 24) & 0x7f;
	env.spec_minor = (unsigned long)r.value & 0xffffff;
	env.impl_id = (unsigned long)sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID).value;
	env.self = this_cpu_hwid();
	env.other_cpu = -1;
	for (int i = 0; i < cpu_count(); i++) {
		if (cpu_hwid(i) > max)
			max = cpu_hwid(i);
		/* irqs counts per hart id, up to MAX_HARTS. */
		if (i != boot_cpu() && env.other_cpu < 0 && cpu_hwid(i) < MAX_HARTS)
			env.other_cpu = i;
	}
	env.other = env.other_cpu >= 0 ? cpu_hwid(env.other_cpu) : ~0ul;
	env.absent = max + 1;
	env.has_h = dt_has_h();
}

void check_base(void)
{
	static const struct {
		unsigned long id;
		const char *name;
	} exts[] = {
		{ SBI_EXT_BASE, "BASE" }, { SBI_EXT_TIME, "TIME" }, { SBI_EXT_IPI, "IPI" },
		{ SBI_EXT_RFENCE, "RFENCE" }, { SBI_EXT_HSM, "HSM" }, { SBI_EXT_SRST, "SRST" },
	};
	struct sbiret r;

	report_prefix_push("base");
	r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
	report(r.error == SBI_SUCCESS && spec_at_least(0, 2),
	       "get_spec_version = %ld/0x%lx: v%lu.%lu (expected >= 0.2)", r.error, r.value,
	       env.spec_major, env.spec_minor);
	/* Bit 31 is reserved (must be 0), and so is everything above it. */
	report(((unsigned long)r.value >> 31) == 0, "spec version 0x%lx: bits 31 and up are 0",
	       r.value);

	r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID);
	report(r.error == SBI_SUCCESS, "get_impl_id = %ld/%ld (expected SUCCESS)", r.error, r.value);
	r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION);
	report(r.error == SBI_SUCCESS, "get_impl_version = %ld/0x%lx (expected SUCCESS)", r.error,
	       r.value);
	r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID);
	report(r.error == SBI_SUCCESS, "get_mvendorid = %ld/0x%lx (expected SUCCESS)", r.error,
	       r.value);
	r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MARCHID);
	report(r.error == SBI_SUCCESS, "get_marchid = %ld/0x%lx (expected SUCCESS)", r.error,
	       r.value);
	r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MIMPID);
	report(r.error == SBI_SUCCESS, "get_mimpid = %ld/0x%lx (expected SUCCESS)", r.error,
	       r.value);

	for (unsigned int i = 0; i < ARRAY_SIZE(exts); i++) {
		r = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, exts[i].id);
		report(r.error == SBI_SUCCESS && r.value != 0,
		       "probe_extension(%s) = %ld/%ld (expected nonzero)", exts[i].name, r.error,
		       r.value);
	}
	/* DBCN is new in v2.0; tern implements it, OpenSBI 1.1 (SBI 1.0) does not. */
	if (spec_at_least(2, 0)) {
		r = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_DBCN);
		report(r.error == SBI_SUCCESS && r.value != 0,
		       "probe_extension(DBCN) = %ld/%ld (expected nonzero)", r.error, r.value);
	} else {
		report_skip("probe_extension(DBCN): spec v%lu.%lu < 2.0", env.spec_major,
			    env.spec_minor);
	}
	r = sbi_call1(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, UNKNOWN_EXT);
	report(r.error == SBI_SUCCESS && r.value == 0, "probe_extension(0x%lx) = %ld/%ld (expected 0)",
	       UNKNOWN_EXT, r.error, r.value);

	r = sbi_call0(SBI_EXT_BASE, UNKNOWN_BASE_FID);
	report(r.error == SBI_ERR_NOT_SUPPORTED,
	       "BASE function 0x%lx = %ld (expected NOT_SUPPORTED)", UNKNOWN_BASE_FID, r.error);
	r = sbi_call0(UNKNOWN_EXT, 0);
	report(r.error == SBI_ERR_NOT_SUPPORTED, "call to extension 0x%lx = %ld (expected NOT_SUPPORTED)",
	       UNKNOWN_EXT, r.error);
	report_prefix_pop();
}

/*
 * Only calls that must fail: a SRST that succeeded would end the test
 * (without its SUMMARY, which the runner then reports). The shutdown that
 * ends every guest is exit_test()'s.
 */
void check_srst(void)
{
	static const struct {
		unsigned long type, reason;
		const char *what;
	} bad[] = {
		/* 0x3 - 0xefffffff are reserved types. */
		{ 0x3, SBI_SRST_REASON_NONE, "reserved type 0x3" },
		{ 0x10000000, SBI_SRST_REASON_NONE, "reserved type 0x10000000" },
		/* 0x2 - 0xdfffffff are reserved reasons, with a valid type. */
		{ SBI_SRST_TYPE_SHUTDOWN, 0x2, "shutdown, reserved reason 0x2" },
		{ SBI_SRST_TYPE_SHUTDOWN, 0x10000000, "shutdown, reserved reason 0x10000000" },
	};
	struct sbiret r;

	report_prefix_push("srst");
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		r = sbi_call2(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, bad[i].type, bad[i].reason);
		report(r.error == SBI_ERR_INVALID_PARAM,
		       "system_reset(%s) = %ld (expected INVALID_PARAM)", bad[i].what, r.error);
	}
	r = sbi_call0(SBI_EXT_SRST, 1);
	report(r.error == SBI_ERR_NOT_SUPPORTED, "SRST function 1 = %ld (expected NOT_SUPPORTED)",
	       r.error);
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	find_env();
	report_info("sbi on %d hart(s), booted on hart %lu; SBI v%lu.%lu; H in the DT: %s",
		    cpu_count(), env.self, env.spec_major, env.spec_minor,
		    env.has_h ? "yes" : "no");
	report_info("implementation id %ld version 0x%lx",
		    sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID).value,
		    sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION).value);
	report_info("mvendorid 0x%lx marchid 0x%lx mimpid 0x%lx",
		    sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID).value,
		    sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MARCHID).value,
		    sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MIMPID).value);
	set_interrupt_handler(irq_handler);

	check_base();
	check_time();
	check_ipi();
	check_rfence();
	check_hsm();
	check_dbcn();
	check_fwft();
	check_legacy();
	check_srst();

	set_interrupt_handler(NULL);
	return 0;
}
