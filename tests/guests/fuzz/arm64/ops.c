/*
 * arm64 operations of the fuzzer: SMCCC calls (arch, PSCI, SDEI, tern's
 * vendor calls, and any function ID at all) with six random arguments,
 * loads and stores of every size to the GIC and to unmapped IPA space, and
 * MRS/MSR of the system registers a hypervisor traps, built at run time.
 *
 * Left out because they end or park the calling CPU, or would run code at
 * a random address: SYSTEM_OFF/RESET/RESET2, CPU_OFF, CPU_SUSPEND,
 * CPU_FREEZE, CPU_DEFAULT_SUSPEND, SYSTEM_SUSPEND, and COMPLETE_AND_RESUME;
 * an SDEI handler is always fuzz_sdei_entry. Of the system registers, only
 * ones whose write cannot break the guest's own execution are written.
 */
#include <tern/printk.h>

#include "../fuzz.h"

void fuzz_sdei_entry(void);

struct hvc_res {
	uint64_t x0, x1, x2, x3;
};

static struct hvc_res call(uint64_t fid, const uint64_t a[6])
{
	register uint64_t x0 __asm__("x0") = fid, x1 __asm__("x1") = a[0],
			 x2 __asm__("x2") = a[1], x3 __asm__("x3") = a[2],
			 x4 __asm__("x4") = a[3], x5 __asm__("x5") = a[4],
			 x6 __asm__("x6") = a[5];

	if (smccc_conduit() == SMCCC_CONDUIT_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
				 :
				 : "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
				   "x17", "memory");
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
				 :
				 : "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
				   "x17", "memory");
	return (struct hvc_res){ x0, x1, x2, x3 };
}

static bool excluded(uint32_t fid)
{
	static const uint32_t never[] = {
		0x84000001, 0xc4000001, /* CPU_SUSPEND */
		0x84000002,             /* CPU_OFF */
		0x84000008, 0x84000009, /* SYSTEM_OFF, SYSTEM_RESET */
		0x84000012, 0xc4000012, /* SYSTEM_RESET2 */
		0x8400000b,             /* CPU_FREEZE */
		0x8400000c, 0xc400000c, /* CPU_DEFAULT_SUSPEND */
		0x8400000e, 0xc400000e, /* SYSTEM_SUSPEND */
		0x84000026, 0xc4000026, /* SDEI_EVENT_COMPLETE_AND_RESUME */
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(never); i++)
		if (fid == never[i])
			return true;
	return false;
}

/* A function ID: mostly in the ranges something answers, with either
 * calling convention, sometimes anything. */
static uint32_t function_id(void)
{
	static const uint32_t bases[] = { 0x80000000, 0x84000000, 0x84000020, 0x86000000,
					  0x8600ff00 };
	uint32_t fid;

	do {
		if (fuzz_below(8) == 0)
			fid = (uint32_t)fuzz_next();
		else
			fid = (bases[fuzz_below(ARRAY_SIZE(bases))] + (uint32_t)fuzz_below(0x20)) |
			      (fuzz_below(2) ? 0x40000000u : 0);
	} while (excluded(fid));
	return fid;
}

static void op_smccc(void)
{
	uint32_t fid = function_id();
	uint64_t a[6];

	for (unsigned int i = 0; i < 6; i++)
		a[i] = fuzz_value();
	/* EVENT_REGISTER (either convention): the handler is always ours. */
	if ((fid & ~0x40000000u) == 0x84000021)
		a[1] = (uintptr_t)fuzz_sdei_entry;
	fuzz_trace("fid 0x%x (0x%llx 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx) ", fid,
		   (unsigned long long)a[0], (unsigned long long)a[1], (unsigned long long)a[2],
		   (unsigned long long)a[3], (unsigned long long)a[4], (unsigned long long)a[5]);
	/* QEMU's own PSCI (natively) makes other IDs UNDEFINED: a trap. */
	FUZZ_GUARDED(call(fid, a));
}

/* One access of 1, 2, 4 or 8 bytes, by a plain LDR/STR (no writeback, so
 * a hypervisor has its syndrome). */
static void access(uint64_t addr, unsigned int size, bool write, uint64_t value)
{
	uintptr_t a = (uintptr_t)addr;

	switch (size) {
	case 1:
		if (write)
			__asm__ volatile("strb %w0, [%1]" : : "r"(value), "r"(a) : "memory");
		else
			__asm__ volatile("ldrb %w0, [%1]" : "=r"(value) : "r"(a) : "memory");
		break;
	case 2:
		if (write)
			__asm__ volatile("strh %w0, [%1]" : : "r"(value), "r"(a) : "memory");
		else
			__asm__ volatile("ldrh %w0, [%1]" : "=r"(value) : "r"(a) : "memory");
		break;
	case 4:
		if (write)
			__asm__ volatile("str %w0, [%1]" : : "r"(value), "r"(a) : "memory");
		else
			__asm__ volatile("ldr %w0, [%1]" : "=r"(value) : "r"(a) : "memory");
		break;
	default:
		if (write)
			__asm__ volatile("str %0, [%1]" : : "r"(value), "r"(a) : "memory");
		else
			__asm__ volatile("ldr %0, [%1]" : "=r"(value) : "r"(a) : "memory");
		break;
	}
}

static void op_mmio(void)
{
	uint64_t addr = fuzz_device_address();
	unsigned int size = 1u << fuzz_below(4);
	bool write = fuzz_below(2);
	uint64_t value = fuzz_value();

	/* Aligned mostly; a misaligned device access is the guest's own
	 * alignment fault (the MMU is off: Device memory). */
	if (fuzz_below(8))
		addr &= ~(uint64_t)(size - 1);
	/* Never into the guest's RAM: that is its own memory. */
	if (addr >= fuzz_ram_base - 8 && addr < fuzz_ram_end)
		return;
	fuzz_trace("%s%u 0x%llx = 0x%llx ", write ? "write" : "read", size, (unsigned long long)addr,
		   (unsigned long long)value);
	FUZZ_GUARDED(access(addr, size, write, value));
}

/* The system registers the fuzzer reads, and writes where marked: op0,
 * op1, CRn, a range of CRm and of op2. */
static const struct sysreg_space {
	uint8_t op0, op1, crn, crm_lo, crm_hi, op2_lo, op2_hi;
	bool write;
} spaces[] = {
	{ 3, 0, 0, 0, 7, 0, 7, true },    /* ID registers: read-only (a write is UNDEFINED) */
	{ 3, 0, 11, 0, 15, 0, 7, true },  /* IMPLEMENTATION DEFINED */
	{ 3, 1, 15, 0, 15, 0, 7, true },  /* IMPLEMENTATION DEFINED */
	{ 3, 3, 15, 0, 15, 0, 7, true },  /* IMPLEMENTATION DEFINED */
	{ 2, 1, 0, 0, 15, 0, 7, true },   /* trace unit */
	{ 2, 0, 0, 0, 15, 4, 7, true },   /* breakpoints, watchpoints (MDSCR stays 0) */
	{ 2, 0, 1, 0, 15, 0, 7, false },  /* OS lock and friends: read only */
	{ 2, 3, 0, 1, 5, 0, 0, false },   /* debug communications */
	{ 3, 3, 14, 0, 3, 0, 2, true },   /* the counter and the EL1 timers */
	{ 3, 3, 9, 12, 14, 0, 7, true },  /* PMU controls and counters */
	{ 3, 0, 12, 11, 11, 5, 7, true }, /* GICv3 SGI generation */
	{ 3, 0, 4, 6, 6, 0, 0, false },   /* ICC_PMR_EL1 */
	{ 3, 0, 10, 4, 4, 0, 7, true },   /* LORegions */
	{ 3, 0, 5, 3, 5, 0, 7, true },    /* RAS error records */
	{ 3, 3, 13, 2, 3, 0, 7, true },   /* activity monitors */
	{ 3, 0, 9, 9, 10, 0, 7, true },   /* SPE, TRBE */
};

/* MRS x0, <reg> / MSR <reg>, x0, then RET, in a buffer run as code. */
static uint32_t code[2] __aligned(64);

static void run_code(uint64_t value)
{
	register uint64_t x0 __asm__("x0") = value;
	uintptr_t a = (uintptr_t)code;

	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" : : "r"(a)
			 : "memory");
	__asm__ volatile("blr %1" : "+r"(x0) : "r"(a) : "x30", "memory");
}

static void op_sysreg(void)
{
	const struct sysreg_space *s = &spaces[fuzz_below(ARRAY_SIZE(spaces))];
	unsigned int crm = s->crm_lo + (unsigned int)fuzz_below(s->crm_hi - s->crm_lo + 1u);
	unsigned int op2 = s->op2_lo + (unsigned int)fuzz_below(s->op2_hi - s->op2_lo + 1u);
	bool write = s->write && fuzz_below(2);
	/* MRS/MSR: 0xd5200000 | L (bit 21, 1 = read) | o0 (op0 - 2, bit 19) |
	 * op1 << 16 | CRn << 12 | CRm << 8 | op2 << 5 | Rt. */
	uint32_t insn = 0xd5100000u | (write ? 0 : 1u << 21) | (uint32_t)(s->op0 - 2) << 19 |
			(uint32_t)s->op1 << 16 | (uint32_t)s->crn << 12 | crm << 8 | op2 << 5;

	code[0] = insn;
	code[1] = 0xd65f03c0u; /* ret */
	fuzz_trace("%s S%u_%u_C%u_C%u_%u ", write ? "msr" : "mrs", s->op0, s->op1, s->crn, crm, op2);
	FUZZ_GUARDED(run_code(fuzz_value()));
}

struct fuzz_op fuzz_ops[] = {
	{ .name = "smccc", .run = op_smccc },
	{ .name = "mmio", .run = op_mmio },
	{ .name = "sysreg", .run = op_sysreg },
};
const unsigned int fuzz_nr_ops = ARRAY_SIZE(fuzz_ops);


static unsigned long psci_version;

void fuzz_arch_setup(void)
{
	psci_version = smccc_call(PSCI_VERSION, 0, 0, 0).a0;
}

bool fuzz_arch_still_answers(char *what, size_t size)
{
	unsigned long v = smccc_call(PSCI_VERSION, 0, 0, 0).a0;

	tern_snprintf(what, size, "PSCI_VERSION 0x%lx, as before (0x%lx)", v, psci_version);
	return v == psci_version && v >= 0x10000;
}
