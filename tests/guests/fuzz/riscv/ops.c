/*
 * RISC-V operations of the fuzzer: SBI calls of every extension (the
 * legacy ones, BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN, SSE, FWFT, and
 * any EID at all) with random arguments, loads and stores of every size
 * to the PLIC and to unmapped guest-physical space, and CSR accesses built
 * at run time.
 *
 * Left out because they end or park the calling hart or run code at a
 * random address: the legacy shutdown, HSM hart_stop and hart_suspend,
 * and SRST with a valid type; an SSE handler is always fuzz_sse_entry.
 * Console output is kept printable. Of the CSRs, only ones whose write
 * cannot break the guest's own execution are written: S-mode's own are
 * read, and so are the H extension's (natively the guest runs in HS-mode,
 * where a write to hstatus would change what its sret does).
 */
#include <tern/printk.h>

#include "../fuzz.h"

#define EID_LEGACY_SHUTDOWN 0x08ul
#define EID_HSM 0x48534dul
#define EID_SRST 0x53525354ul
#define EID_DBCN 0x4442434eul
#define EID_SSE 0x535345ul

void fuzz_sse_entry(void);

static const unsigned long eids[] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, /* legacy, less shutdown */
	0x10, 0x54494d45, 0x735049, 0x52464e43, EID_HSM, EID_SRST, EID_DBCN, EID_SSE,
	0x46574654, 0x535441, 0x4e41434c, 0x09, 0x0f, 0x08000000, 0x0a000000,
};
/* Not PMU (0x504d55): tern has none, and OpenSBI 1.1, the native
 * reference, takes an access fault in M-mode on a PMU call with a bad
 * counter address (fid 5) and hangs the hart. */

static const char printable[] = "fuzz-dbcn-output-is-kept-printable\n";

static void op_sbi(void)
{
	unsigned long eid = fuzz_below(16) ? eids[fuzz_below(ARRAY_SIZE(eids))] : fuzz_next();
	unsigned long fid = fuzz_below(8) ? fuzz_below(12) : fuzz_next();
	unsigned long a[6];

	for (unsigned int i = 0; i < 6; i++)
		a[i] = fuzz_value();
	if (eid == EID_LEGACY_SHUTDOWN)
		return;
	if (eid == EID_HSM && (fid == 1 || fid == 3))
		return; /* hart_stop, hart_suspend */
	if (eid == EID_SRST && fid == 0 && (uint32_t)a[0] <= 2)
		a[0] = 3 + fuzz_below(0xeffffffc); /* a reserved type: refused */
	if (eid == 0x01 || (eid == EID_DBCN && fid == 2))
		a[0] = printable[fuzz_below(sizeof(printable) - 1)];
	if (eid == EID_DBCN && fid == 0) {
		/* Bytes to write: printable ones, or a bad address. */
		if (a[1] >= (uintptr_t)fuzz_scratch && a[1] < (uintptr_t)fuzz_scratch + FUZZ_SCRATCH_SIZE) {
			a[1] = (uintptr_t)printable;
			a[0] = fuzz_below(sizeof(printable));
		}
		a[2] = fuzz_below(4) ? 0 : a[2];
	}
	if (eid == EID_SSE && fid == 2)
		a[1] = (uintptr_t)fuzz_sse_entry; /* REGISTER: our handler */
	fuzz_trace("eid 0x%lx fid 0x%lx (0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx) ", eid, fid, a[0], a[1],
		   a[2], a[3], a[4], a[5]);
	FUZZ_GUARDED(sbi_ecall(eid, fid, a[0], a[1], a[2], a[3], a[4], a[5]));
}

static void access(uint64_t addr, unsigned int size, bool write, uint64_t value)
{
	uintptr_t a = (uintptr_t)addr;

	switch (size) {
	case 1:
		if (write)
			__asm__ volatile("sb %0, 0(%1)" : : "r"(value), "r"(a) : "memory");
		else
			__asm__ volatile("lb %0, 0(%1)" : "=r"(value) : "r"(a) : "memory");
		break;
	case 2:
		if (write)
			__asm__ volatile("sh %0, 0(%1)" : : "r"(value), "r"(a) : "memory");
		else
			__asm__ volatile("lh %0, 0(%1)" : "=r"(value) : "r"(a) : "memory");
		break;
	case 4:
		if (write)
			__asm__ volatile("sw %0, 0(%1)" : : "r"(value), "r"(a) : "memory");
		else
			__asm__ volatile("lw %0, 0(%1)" : "=r"(value) : "r"(a) : "memory");
		break;
	default:
		if (write)
			__asm__ volatile("sd %0, 0(%1)" : : "r"(value), "r"(a) : "memory");
		else
			__asm__ volatile("ld %0, 0(%1)" : "=r"(value) : "r"(a) : "memory");
		break;
	}
}

static void op_mmio(void)
{
	unsigned int size = 1u << fuzz_below(4);
	uint64_t addr = fuzz_device_address() & ~(uint64_t)(size - 1);

	/* Never into the guest's RAM: that is its own memory. */
	if (addr >= fuzz_ram_base - 8 && addr < fuzz_ram_end)
		return;
	bool write = fuzz_below(2);
	uint64_t value = fuzz_value();

	fuzz_trace("%s%u 0x%llx = 0x%llx ", write ? "write" : "read", size, (unsigned long long)addr,
		   (unsigned long long)value);
	FUZZ_GUARDED(access(addr, size, write, value));
}

/* CSR ranges: numbers from lo to hi, written too where marked. */
static const struct csr_space {
	uint16_t lo, hi;
	bool write;
} spaces[] = {
	{ 0x000, 0x0ff, false }, /* unprivileged (FP off: fflags and friends trap) */
	{ 0x100, 0x1ff, false }, /* supervisor's own */
	{ 0x5a8, 0x5bf, false }, /* supervisor custom and debug-ish */
	{ 0x600, 0x6ff, false }, /* hypervisor */
	{ 0x200, 0x2ff, true },  /* virtual supervisor (VS-mode: illegal) */
	{ 0x300, 0x3ff, true },  /* machine */
	{ 0x7a0, 0x7bf, true },  /* debug / trace triggers */
	{ 0xb00, 0xbff, true },  /* machine counters */
	{ 0xc00, 0xcff, true },  /* counters: read-only, a write traps */
	{ 0xda0, 0xdbf, false }, /* supervisor read-only (scountovf, stopi) */
	{ 0xe00, 0xeff, false }, /* hypervisor read-only */
	{ 0xf00, 0xfff, true },  /* machine read-only: a write traps */
};

/* CSRRW a0, csr, a0 (or CSRRS a0, csr, x0 to read), then RET. */
static uint32_t code[2] __aligned(64);

static void run_code(unsigned long value)
{
	register unsigned long a0 __asm__("a0") = value;
	uintptr_t a = (uintptr_t)code;

	__asm__ volatile("fence.i" ::: "memory");
	__asm__ volatile("jalr ra, 0(%1)" : "+r"(a0) : "r"(a) : "ra", "memory");
}

static void op_csr(void)
{
	const struct csr_space *s = &spaces[fuzz_below(ARRAY_SIZE(spaces))];
	uint32_t csr = s->lo + (uint32_t)fuzz_below(s->hi - s->lo + 1u);
	bool write = s->write && fuzz_below(2);

	/* csrrw a0, csr, a0: csr << 20 | rs1 a0 (10) << 15 | funct3 1 << 12 |
	 * rd a0 << 7 | 0x73; csrrs a0, csr, x0: funct3 2, rs1 0. */
	code[0] = csr << 20 | (write ? 10u << 15 | 1u << 12 : 2u << 12) | 10u << 7 | 0x73;
	code[1] = 0x00008067u; /* ret */
	fuzz_trace("csr%s 0x%x ", write ? "w" : "r", csr);
	FUZZ_GUARDED(run_code(fuzz_value()));
}

struct fuzz_op fuzz_ops[] = {
	{ .name = "sbi", .run = op_sbi },
	{ .name = "mmio", .run = op_mmio },
	{ .name = "csr", .run = op_csr },
};
const unsigned int fuzz_nr_ops = ARRAY_SIZE(fuzz_ops);


static long spec_version, probe_ipi;

void fuzz_arch_setup(void)
{
	spec_version = sbi_ecall(0x10, 0, 0, 0, 0, 0, 0, 0).value;
	probe_ipi = sbi_ecall(0x10, 3, 0x735049, 0, 0, 0, 0, 0).value;
}

bool fuzz_arch_still_answers(char *what, size_t size)
{
	long v = sbi_ecall(0x10, 0, 0, 0, 0, 0, 0, 0).value;
	long p = sbi_ecall(0x10, 3, 0x735049, 0, 0, 0, 0, 0).value;

	tern_snprintf(what, size, "spec version 0x%lx and probe(IPI) %ld, as before (0x%lx, %ld)",
		      v, p, spec_version, probe_ipi);
	return v == spec_version && p == probe_ipi && p != 0;
}
