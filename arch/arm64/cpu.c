/*
 * The calling CPU: per-CPU pointer, waiting, stopping, and the EL2 setup
 * every CPU needs before it can take traps or host guests.
 */
#include <arch/psci.h>
#include <arch/sysreg.h>
#include <arch/trap.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/host_mmu.h>
#include <tern/page_alloc.h>

const char arch_name[] = "arm64";
const char arch_hwid_name[] = "MPIDR";

/*
 * tern's per-CPU pointer lives in TPIDR_EL2, which no guest can see or
 * change. Entered at EL1 (a misconfigured QEMU), that register would UNDEF,
 * so the boot CPU's pointer is kept here just long enough for core to
 * report arch_check_host()'s message.
 */
struct pcpu *arm64_el1_this_cpu = &pcpus[0];

struct pcpu *arch_this_cpu(void)
{
	return arch_this_cpu_inline();
}

void arch_set_this_cpu(struct pcpu *cpu)
{
	if (unlikely(!arm64_at_el2())) {
		arm64_el1_this_cpu = cpu;
		return;
	}
	write_sysreg(tpidr_el2, cpu);
}

void arch_cpu_relax(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

void arch_cpu_wake_all(void)
{
	/* The waiters' condition must be visible before they wake to see it. */
	dsb(ish);
	__asm__ volatile("sev" : : : "memory");
}

noreturn void arch_cpu_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	for (;;)
		__asm__ volatile("wfi" : : : "memory");
}

const char *arch_check_host(const struct platform *p)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);

	/* Even when tern cannot run, core may power off through PSCI. */
	if (p)
		arm64_psci_init(p);
	if (!arm64_at_el2())
		return "tern runs at EL2, but was entered at EL1: start QEMU with "
		       "-M virt,virtualization=on (or boot it from EL2 firmware)";
	/* Guests run AArch64 at EL1. */
	if (ID_AA64PFR0_EL1(pfr0) == 0)
		return "this CPU cannot run AArch64 at EL1, so tern cannot host arm64 guests";
	return NULL;
}

/* MDCR_EL2: give guests every PMU counter (HPMN = PMCR_EL0.N) and trap
 * nothing, so benchmarks can read the cycle counter (DESIGN "Measuring");
 * HPMD and HCCD stay 0 so PMCCFILTR_EL0.NSH can count EL2 too. */
static uint64_t mdcr_el2_value(void)
{
	unsigned int pmuver = ID_AA64DFR0_PMUVER(read_sysreg(id_aa64dfr0_el1));

	/* 0: no PMU; 0xf: an IMPLEMENTATION DEFINED one, PMCR_EL0 may UNDEF. */
	if (pmuver == 0 || pmuver == 0xf)
		return 0;
	return PMCR_N(read_sysreg(pmcr_el0));
}

/* Where a CPU dumps a trap taken on an overflowed stack: the EL2h vectors
 * cannot push a frame below the guard page, so they move here first. */
static uint8_t overflow_stacks[NR_CPUS][TRAP_OVERFLOW_STACK_SIZE] __aligned(16);

void arm64_trap_stack_init(struct pcpu *cpu)
{
	/* core leaves the lowest page of every stack unmapped as a guard. A
	 * trap with less than the margin left above it is treated as an
	 * overflow: its frame and the C dump would run into the guard. */
	cpu->arch.overflow_top = (uintptr_t)overflow_stacks[cpu->id] + TRAP_OVERFLOW_STACK_SIZE;
	cpu->arch.stack_limit = host_stack_guard(cpu->id) + PAGE_SIZE + TRAP_STACK_MARGIN;
}

void arch_cpu_init(struct pcpu *cpu)
{
	(void)cpu; /* its arch fields are written in arm64_cpu_mmu_on() */
	if (!arm64_at_el2())
		return; /* arch_check_host() has said why: touch nothing */

	write_sysreg(vbar_el2, arm64_el2_vectors);
	/* No guest yet: EL1 is AArch64, nothing is virtualized or routed to
	 * EL2 (no IMO/FMO/AMO, no stage 2), and E2H = 0: tern is a non-VHE
	 * hypervisor, so its registers have the same layout on every CPU. */
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(cptr_el2, CPTR_EL2_DEFAULT);
	write_sysreg(mdcr_el2, mdcr_el2_value());
	write_sysreg(hstr_el2, 0);
	write_sysreg(vttbr_el2, 0);
	/*
	 * EL1 may use the physical counter and timer until vCPUs exist. The
	 * event stream (a WFE wake-up every 2^(EVNTI+1) counter ticks, ~65 us
	 * at 62.5 MHz) bounds how long arch_cpu_relax() can sleep if a wake-up
	 * is ever missed, on hardware where WFE really sleeps.
	 */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EVNTEN |
					  (11UL << CNTHCTL_EVNTI_SHIFT));
	isb();
}

/*
 * The arch part of struct pcpu is written only once this CPU's caches are
 * on (from arch_mmu_enable()): a secondary's caches-off store would go
 * around a stale copy of the line another CPU may hold, and be lost.
 * Until then stack_limit is 0, which turns the overflow check off; no
 * guard page exists before the MMU is on anyway.
 */
void arm64_cpu_mmu_on(struct pcpu *cpu)
{
	cpu->arch.mpidr = read_sysreg(mpidr_el1);
	arm64_trap_stack_init(cpu);
}

uint64_t arch_timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

bool arch_firmware_putc(char c)
{
	(void)c;
	return false; /* arm64 firmware (PSCI) has no console call */
}
