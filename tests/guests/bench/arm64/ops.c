/*
 * arm64 operations: hypercalls (HVC), emulated GIC distributor accesses,
 * and, with a GICv3 CPU interface (ICC_* system registers), the virtual
 * timer's PPI 27 and SGIs between two CPUs.
 *
 * Counting: PMCCNTR_EL0 with PMCCFILTR_EL0.NSH set, so that instructions
 * tern runs at EL2 on the guest's behalf are counted too.
 */
#include <libfdt.h>
#include <string.h>

#include "../bench.h"


/* GICv3 CPU interface, by encoding (binutils may lack the names). */
#define ICC_SGI1R_EL1 s3_0_c12_c11_5

#define TERN_NULL 0x86000000u
#define PPI_VTIMER 27u
#define SGI_BENCH 0u

static uint32_t prio_saved;

extern char bench_vectors[];
static uint64_t saved_vbar;

/* Written by bench_irq on the CPU that took the IRQ (index by Aff0). */
static volatile uint64_t irq_cycles[2], irq_ticks[2];
static volatile unsigned int irq_count[2];
static volatile bool pong; /* switch mode: CPU 1 answers an SGI with one */
static volatile bool stop_secondary;
static volatile bool secondary_ready;

uint64_t bench_cycles(void)
{
	isb();
	return read_sysreg(pmccntr_el0);
}

uint64_t bench_ticks(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static unsigned int cpu_index(void)
{
	return read_sysreg(mpidr_el1) & 1;
}

static void op_null_hypercall(void)
{
	register unsigned long x0 __asm__("x0") = TERN_NULL;

	__asm__ volatile("hvc #0"
			 : "+r"(x0)
			 :
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			   "x13", "x14", "x15", "x16", "x17", "memory");
}

static void op_firmware_version(void)
{
	register unsigned long x0 __asm__("x0") = PSCI_VERSION;

	__asm__ volatile("hvc #0"
			 : "+r"(x0)
			 :
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			   "x13", "x14", "x15", "x16", "x17", "memory");
}

static volatile uint32_t sink;

static void op_mmio_read(void)
{
	sink = mmio_read32(gic.dist + 0x4); /* GICD_TYPER */
}

/* GICD_IPRIORITYR8: SPIs 32-35, which nothing here uses; the value read
 * at setup is written back. */
static void op_mmio_write(void)
{
	mmio_write32(gic.dist + 0x420, prio_saved);
}

/* This CPU's GICv3 interface and redistributor: PPI 27 and SGI 0 enabled,
 * group 1, priority 0x80; the bench vectors installed. */
static bool gic_cpu_setup(void)
{
	if (!gic_cpu_enable((1u << PPI_VTIMER) | (1u << SGI_BENCH)))
		return false;
	write_sysreg(vbar_el1, (uintptr_t)bench_vectors);
	isb();
	return true;
}

static void send_sgi(unsigned int cpu)
{
	/* Aff3..1 = 0, TargetList = cpu (Aff0 < 16), INTID. */
	write_sysreg(ICC_SGI1R_EL1, (uint64_t)SGI_BENCH << 24 | 1u << cpu);
	isb();
}

void bench_irq(uint64_t cycles, uint64_t ticks);
void bench_irq(uint64_t cycles, uint64_t ticks)
{
	unsigned int me = cpu_index();
	uint32_t intid = gic_ack();

	irq_cycles[me] = cycles;
	irq_ticks[me] = ticks;
	if (intid == PPI_VTIMER)
		write_sysreg(cntv_ctl_el0, 0); /* no longer pending */
	if (intid == SGI_BENCH && me == 1 && pong && !stop_secondary)
		send_sgi(0);
	gic_eoi(intid);
	irq_count[me]++;
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
}

/* Wait (WFI with IRQs masked, then let it in) until irq_count[me] moves. */
static void wait_irq(unsigned int me, unsigned int before)
{
	while (irq_count[me] == before) {
		__asm__ volatile("wfi" ::: "memory");
		__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
	}
}

/* Timer set to fire now (TVAL 0) until the handler's first instruction. */
static uint64_t sample_virq_timer(void)
{
	unsigned int before = irq_count[0];
	uint64_t t0;

	__asm__ volatile("msr daifclr, #2" ::: "memory");
	t0 = bench_cycles();
	write_sysreg(cntv_tval_el0, 0);
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	while (irq_count[0] == before)
		;
	__asm__ volatile("msr daifset, #2" ::: "memory");
	return irq_cycles[0] - t0;
}

/* SGI write on CPU 0 until CPU 1's handler, on the shared virtual counter. */
static uint64_t sample_ipi(void)
{
	unsigned int before = irq_count[1];
	uint64_t t0 = bench_ticks();

	send_sgi(1);
	if (!wait_until(irq_count[1] != before, 1000))
		abort_test("ipi: CPU 1 took no SGI");
	return irq_ticks[1] - t0;
}

/* Ping-pong: CPU 0 sends an SGI and waits; CPU 1 (same physical CPU)
 * answers with one. Half the round trip: one SGI and one vCPU switch. */
static uint64_t sample_switch(void)
{
	unsigned int before = irq_count[0];
	uint64_t t0 = bench_ticks();

	send_sgi(1);
	wait_irq(0, before);
	return (irq_ticks[0] - t0) / 2;
}

static bool irq_ready;

static const char *need_gicd(void)
{
	return gic.dist ? NULL : "no GIC in the DT";
}

static const char *need_gicv3(void)
{
	return irq_ready ? NULL : "needs a GICv3 CPU interface (-M virt,gic-version=3)";
}

static void secondary(void *arg)
{
	(void)arg;
	if (!gic_cpu_setup()) {
		report(false, "CPU 1: no redistributor frame");
		return;
	}
	secondary_ready = true;
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
	while (!stop_secondary)
		wait_irq(1, irq_count[1]);
	write_sysreg(vbar_el1, saved_vbar);
}

bool bench_arch_setup(void)
{
	uint64_t a, b;

	write_sysreg(pmccfiltr_el0, 1ul << 27); /* NSH: count EL2 too */
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | 1 | 4); /* E, reset C */
	write_sysreg(pmcntenset_el0, 1ul << 31);
	isb();
	a = bench_cycles();
	b = bench_cycles();
	if (b == a) {
		printf("bench: PMCCNTR_EL0 does not count\n");
		return false;
	}
	if (!gic_find())
		report_info("no GIC in the DT: MMIO and interrupt ops cannot run");
	else
		prio_saved = mmio_read32(gic.dist + 0x420);
	saved_vbar = read_sysreg(vbar_el1);
	return true;
}

bool bench_arch_start(enum bench_mode mode)
{
	if (!gic.dist) {
		report_skip("no GIC");
		return mode == MODE_ONE;
	}
	if (!gic.v3) {
		report_info("GICv2: interrupt ops need GICv3 (gic-version=3)");
		return mode == MODE_ONE;
	}
	if (!gic_cpu_setup()) {
		report(false, "CPU 0: no redistributor frame");
		return false;
	}
	irq_ready = true;
	if (mode == MODE_ONE)
		return true;
	pong = mode == MODE_SWITCH;
	if (cpu_start(1, secondary, NULL)) {
		report(false, "cpu_start(1) failed");
		return false;
	}
	if (!wait_until(secondary_ready, 5000)) {
		report(false, "CPU 1 did not come up");
		return false;
	}
	return true;
}

void bench_arch_stop(enum bench_mode mode)
{
	if (mode != MODE_ONE) {
		stop_secondary = true;
		send_sgi(1);
	}
	write_sysreg(vbar_el1, saved_vbar);
	isb();
}

const struct bench_op bench_ops[] = {
	{ .name = "null_hypercall", .call = op_null_hypercall },
	{ .name = "firmware_version", .call = op_firmware_version, .native = true },
	{ .name = "mmio_read", .call = op_mmio_read, .native = true, .missing = need_gicd },
	{ .name = "mmio_write", .call = op_mmio_write, .native = true, .missing = need_gicd },
	{ .name = "virq_timer", .sample = sample_virq_timer, .native = true, .missing = need_gicv3 },
	{ .name = "stage2_fault", .call = op_stage2_fault, .native = true, .missing = stage2_missing },
	{ .name = "ipi", .sample = sample_ipi, .time_clock = true, .native = true, .mode = MODE_IPI },
	{ .name = "vcpu_switch", .sample = sample_switch, .time_clock = true, .mode = MODE_SWITCH },
};
const int bench_nr_ops = ARRAY_SIZE(bench_ops);
