/*
 * RISC-V operations: SBI calls (answered by tern, or natively by OpenSBI
 * in M-mode), emulated PLIC accesses, the SBI timer's interrupt and SBI
 * IPIs between two harts.
 *
 * Counting: the cycle CSR (tern sets hcounteren.CY; OpenSBI mcounteren);
 * under -icount every instruction at every privilege level advances it.
 */
#include <libfdt.h>

#include "../bench.h"

#define SIE_SSIE (1ul << 1)
#define SIE_STIE (1ul << 5)
#define SIP_SSIP (1ul << 1)
#define SSTATUS_SIE (1ul << 1)

static uintptr_t plic;
static uint32_t prio_saved;

static volatile uint64_t irq_cycles[2], irq_ticks[2];
static volatile unsigned int irq_count[2];
static volatile bool pong, stop_secondary, secondary_ready;
static unsigned long hart[2];

uint64_t bench_cycles(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, cycle" : "=r"(v)::"memory");
	return v;
}

uint64_t bench_ticks(void)
{
	uint64_t v;

	__asm__ volatile("csrr %0, time" : "=r"(v)::"memory");
	return v;
}

static unsigned int cpu_index(void)
{
	return this_cpu_hwid() == hart[1] ? 1 : 0;
}

/* One ecall, arguments in a0..a1, everything else left alone. */
static inline void ecall0(unsigned long ext, unsigned long fid)
{
	register unsigned long a0 __asm__("a0") = 0;
	register unsigned long a1 __asm__("a1") = 0;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
}

static void op_null_hypercall(void)
{
	ecall0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION);
}

static void op_firmware_version(void)
{
	ecall0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
}

static volatile uint32_t sink;

/* Priority of source 1; the value read at setup is written back. */
static void op_mmio_read(void)
{
	sink = *(volatile uint32_t *)(plic + 4);
}

static void op_mmio_write(void)
{
	*(volatile uint32_t *)(plic + 4) = prio_saved;
}

static void send_ipi(unsigned int cpu)
{
	sbi_ecall(SBI_EXT_IPI, 0, 1, hart[cpu], 0, 0, 0, 0);
}

static void irq_handler(unsigned long scause)
{
	uint64_t c = bench_cycles(), t = bench_ticks();
	unsigned int me = cpu_index();
	unsigned long code = scause & ~SCAUSE_INTERRUPT;

	irq_cycles[me] = c;
	irq_ticks[me] = t;
	if (code == 5) { /* supervisor timer */
		sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0ul, 0, 0, 0, 0, 0);
	} else if (code == 1) { /* supervisor software */
		__asm__ volatile("csrc sip, %0" ::"r"(SIP_SSIP));
		if (me == 1 && pong && !stop_secondary)
			send_ipi(0);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	irq_count[me]++;
}

/* WFI with sstatus.SIE clear wakes on a pending enabled interrupt; SIE
 * is then opened to take it. No lost wake-up. */
static void wait_irq(unsigned int me, unsigned int before)
{
	while (irq_count[me] == before) {
		__asm__ volatile("wfi" ::: "memory");
		__asm__ volatile("csrs sstatus, %0\n\tcsrc sstatus, %0" ::"r"(SSTATUS_SIE) : "memory");
	}
}

/* set_timer(now) until the handler runs (after the runtime's trap entry,
 * which saves the registers: the same code natively and under tern). */
static uint64_t sample_virq_timer(void)
{
	unsigned int before = irq_count[0];
	uint64_t t0;

	__asm__ volatile("csrs sie, %0" ::"r"(SIE_STIE));
	__asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_SIE));
	t0 = bench_cycles();
	sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, bench_ticks(), 0, 0, 0, 0, 0);
	while (irq_count[0] == before)
		;
	__asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_SIE));
	__asm__ volatile("csrc sie, %0" ::"r"(SIE_STIE));
	return irq_cycles[0] - t0;
}

static uint64_t sample_ipi(void)
{
	unsigned int before = irq_count[1];
	uint64_t t0 = bench_ticks();

	send_ipi(1);
	if (!wait_until(irq_count[1] != before, 1000))
		abort_test("ipi: hart 1 took no IPI");
	return irq_ticks[1] - t0;
}

static uint64_t sample_switch(void)
{
	unsigned int before = irq_count[0];
	uint64_t t0 = bench_ticks();

	send_ipi(1);
	wait_irq(0, before);
	return (irq_ticks[0] - t0) / 2;
}

static const char *need_plic(void)
{
	return plic ? NULL : "no PLIC in the DT";
}

static void secondary(void *arg)
{
	(void)arg;
	__asm__ volatile("csrs sie, %0" ::"r"(SIE_SSIE));
	secondary_ready = true;
	cpu_wake_all();
	while (!stop_secondary)
		wait_irq(1, irq_count[1]);
	__asm__ volatile("csrc sie, %0" ::"r"(SIE_SSIE));
}

bool bench_arch_setup(void)
{
	const void *fdt = guest_fdt();
	int node = fdt_node_offset_by_compatible(fdt, -1, "sifive,plic-1.0.0");
	uint64_t a = bench_cycles(), b = bench_cycles();

	if (a == b) {
		printf("bench: the cycle CSR does not count\n");
		return false;
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
	if (node >= 0) {
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

		/* /soc has 2 address cells on the virt board. */
		if (reg && len >= 8)
			plic = (uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
					   fdt32_to_cpu(reg[1]));
	}
	if (plic)
		prio_saved = *(volatile uint32_t *)(plic + 4);
	else
		report_info("no PLIC in the DT");
	hart[0] = this_cpu_hwid();
	hart[1] = cpu_count() > 1 ? cpu_hwid(boot_cpu() == 0 ? 1 : 0) : ~0ul;
	set_interrupt_handler(irq_handler);
	return true;
}

bool bench_arch_start(enum bench_mode mode)
{
	int other = boot_cpu() == 0 ? 1 : 0;

	if (mode == MODE_ONE)
		return true;
	pong = mode == MODE_SWITCH;
	__asm__ volatile("csrs sie, %0" ::"r"(SIE_SSIE));
	if (cpu_start(other, secondary, NULL)) {
		report(false, "cpu_start(%d) failed", other);
		return false;
	}
	if (!wait_until(secondary_ready, 5000)) {
		report(false, "hart %lu did not come up", hart[1]);
		return false;
	}
	return true;
}

void bench_arch_stop(enum bench_mode mode)
{
	if (mode != MODE_ONE) {
		stop_secondary = true;
		send_ipi(1);
		wait_until(false, 1); /* let it leave */
	}
	__asm__ volatile("csrc sie, %0" ::"r"(SIE_SSIE | SIE_STIE));
	set_interrupt_handler(NULL);
}

const struct bench_op bench_ops[] = {
	{ .name = "null_hypercall", .call = op_null_hypercall, .native = true },
	{ .name = "firmware_version", .call = op_firmware_version, .native = true },
	{ .name = "mmio_read", .call = op_mmio_read, .native = true, .missing = need_plic },
	{ .name = "mmio_write", .call = op_mmio_write, .native = true, .missing = need_plic },
	{ .name = "virq_timer", .sample = sample_virq_timer, .native = true },
	{ .name = "stage2_fault", .call = op_stage2_fault, .native = true, .missing = stage2_missing },
	{ .name = "ipi", .sample = sample_ipi, .time_clock = true, .native = true, .mode = MODE_IPI },
	{ .name = "vcpu_switch", .sample = sample_switch, .time_clock = true, .mode = MODE_SWITCH },
};
const int bench_nr_ops = ARRAY_SIZE(bench_ops);
