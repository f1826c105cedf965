/*
 * arm64 vCPUs: their reset state, switching their EL1 context in and out of
 * a physical CPU, and one guest entry (arch_vcpu_enter); core's run loop
 * (core/vcpu_run.c) keeps a vCPU in the guest for as long as its exits can
 * be handled in place.
 *
 * A run is bracketed by arch_vcpu_load() and arch_vcpu_put(): in between,
 * the vCPU's EL1 system registers, PMU controls, virtual CPU interface and
 * timer are in hardware, so the hot exits (hypercalls, MMIO, system
 * registers, interrupts for another vCPU) switch only the general registers.
 */
#include <stdatomic.h>
#include <string.h>
#include <arch/guest.h>
#include <arch/sysreg.h>
#include <arch/vgic.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/sched.h>
#include <tern/vm.h>

/* The vCPU whose state is in each physical CPU's registers. */
static struct vcpu *loaded[NR_CPUS];

/* What the host had in the EL2 controls a run changes, per physical CPU. */
struct host_el2 {
	uint64_t mdcr;
	uint64_t cnthctl;
};
static struct host_el2 host_el2[NR_CPUS];

struct vcpu *arm64_loaded_vcpu(void)
{
	return loaded[this_cpu()->id];
}

/* --- EL1 system registers -------------------------------------------------- */

static void sysregs_save(uint64_t *sys)
{
#define SAVE(name) sys[GSR_##name] = read_sysreg(name);
	ARM64_GUEST_SYSREGS(SAVE)
#undef SAVE
}

static void sysregs_restore(const uint64_t *sys)
{
#define RESTORE(name) write_sysreg(name, sys[GSR_##name]);
	ARM64_GUEST_SYSREGS(RESTORE)
#undef RESTORE
}

/* --- PMU --------------------------------------------------------------------- */

/* PMUv3 present: its controls are EL0 registers a guest writes directly. */
static bool has_pmuv3(void)
{
	unsigned int v = ID_AA64DFR0_PMUVER(read_sysreg(id_aa64dfr0_el1));

	return v != 0 && v != 0xf;
}

/* Event counters the guest can reach: PMCR_EL0.N (HPMN as the host set it). */
static unsigned int pmu_nr_events(void)
{
	unsigned int n = (read_sysreg(pmcr_el0) >> 11) & 0x1f;

	return n < ARM64_PMU_MAX_EVENTS ? n : ARM64_PMU_MAX_EVENTS;
}

static void pmu_save(struct arm64_pmu_state *p)
{
	if (!has_pmuv3())
		return;
	p->pmcr = read_sysreg(pmcr_el0) & PMCR_SWITCHED;
	p->cntenset = read_sysreg(pmcntenset_el0);
	p->ccfiltr = read_sysreg(pmccfiltr_el0);
	p->userenr = read_sysreg(pmuserenr_el0);
	p->selr = read_sysreg(pmselr_el0);
	p->ccntr = read_sysreg(pmccntr_el0);
	p->intenset = read_sysreg(pmintenset_el1);
	p->ovsset = read_sysreg(pmovsset_el0);
	for (unsigned int i = 0; i < pmu_nr_events(); i++) {
		write_sysreg(pmselr_el0, i);
		isb();
		p->evcntr[i] = read_sysreg(pmxevcntr_el0);
		p->evtyper[i] = read_sysreg(pmxevtyper_el0);
	}
	/* Nothing counts for a vCPU that is not running. */
	write_sysreg(pmcr_el0, 0);
}

static void pmu_restore(const struct arm64_pmu_state *p)
{
	if (!has_pmuv3())
		return;
	write_sysreg(pmcntenclr_el0, ~p->cntenset);
	write_sysreg(pmcntenset_el0, p->cntenset);
	write_sysreg(pmintenclr_el1, ~p->intenset);
	write_sysreg(pmintenset_el1, p->intenset);
	write_sysreg(pmovsclr_el0, ~p->ovsset);
	write_sysreg(pmovsset_el0, p->ovsset);
	for (unsigned int i = 0; i < pmu_nr_events(); i++) {
		write_sysreg(pmselr_el0, i);
		isb();
		write_sysreg(pmxevtyper_el0, p->evtyper[i]);
		write_sysreg(pmxevcntr_el0, p->evcntr[i]);
	}
	write_sysreg(pmccfiltr_el0, p->ccfiltr);
	write_sysreg(pmuserenr_el0, p->userenr);
	write_sysreg(pmselr_el0, p->selr);
	write_sysreg(pmccntr_el0, p->ccntr);
	write_sysreg(pmcr_el0, p->pmcr);
}

/* --- FP/SIMD ------------------------------------------------------------------ */

/* The guest's FP registers come in on its first FP instruction of a run
 * (the CPTR_EL2.TFP trap), so a run that never uses FP never moves them. */
void arm64_fp_lazy_load(struct vcpu *v)
{
	write_sysreg(cptr_el2, CPTR_EL2_DEFAULT | CPTR_TTA | CPTR_TAM);
	isb();
	arm64_fpsimd_load(&v->arch.fp);
	v->arch.fp_loaded = true;
}

/* --- Controls --------------------------------------------------------------------- */

/*
 * HCR_EL2 for a guest: stage 2, physical interrupts and SErrors to EL2
 * (virtual ones to the guest), and traps for what the guest must not
 * reach: SMC (firmware calls go through tern), WFI (block instead of
 * spinning a physical CPU), ID registers (sanitised, id_regs.c),
 * implementation-defined registers and ACTLR_EL1, LORegions and RAS error
 * records (hidden). TLB and barrier operations are widened to the inner
 * shareable domain because a vCPU may run on any CPU of it; a guest's
 * set/way invalidation cleans too (SWIO), so it cannot discard data that
 * is not its own. WFE traps only when vCPUs share this physical CPU: then
 * a spinning vCPU should give way to the one it waits for (QEMU's TCG
 * never takes this trap; the time slice still rotates the vCPUs there).
 */
static uint64_t guest_hcr(const struct vcpu *v)
{
	uint64_t hcr = HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB |
		       HCR_BSU_IS | HCR_TWI | HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TACR |
		       HCR_RW | HCR_TLOR;

	if ((read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf)
		hcr |= HCR_TERR; /* RAS error records exist: keep them from the guest */
	if (v->home && sched_load(v->home) > 1)
		hcr |= HCR_TWE;
	return hcr;
}

/* The guest reads the host's MIDR (errata workarounds must match the real
 * CPU) and its own virtual MPIDR. */
void arch_vcpu_load(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	struct host_el2 *h = &host_el2[this_cpu()->id];

	loaded[this_cpu()->id] = v;
	sysregs_restore(a->sys);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, a->vmpidr);
	write_sysreg(vtcr_el2, v->vm->arch.vtcr);
	write_sysreg(vttbr_el2, arm64_vttbr(v->vm));
	a->hcr = guest_hcr(v);
	write_sysreg(hcr_el2, a->hcr);
	/* FP traps until first use; trace and activity monitors always. */
	write_sysreg(cptr_el2, CPTR_EL2_DEFAULT | CPTR_TFP | CPTR_TTA | CPTR_TAM);
	a->fp_loaded = false;
	/* PMU counters stay the guest's (HPMN as the host set it, no TPM);
	 * SPE and trace filter controls trap. */
	h->mdcr = read_sysreg(mdcr_el2);
	write_sysreg(mdcr_el2, h->mdcr | MDCR_TPMS | MDCR_TTRF | arm64_debug_traps(v));
	/* The guest reads the physical counter directly; the EL1 physical
	 * timer's registers trap and tern emulates them (ptimer.c). */
	h->cnthctl = read_sysreg(cnthctl_el2);
	write_sysreg(cnthctl_el2, (h->cnthctl | CNTHCTL_EL1PCTEN) & ~CNTHCTL_EL1PCEN);
	pmu_restore(&a->pmu);
	vgic_load(v);
	vtimer_load(v);
	isb();
}

void arch_vcpu_put(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	struct host_el2 *h = &host_el2[this_cpu()->id];

	vtimer_put(v);
	vgic_put(v);
	pmu_save(&a->pmu);
	sysregs_save(a->sys);
	arm64_debug_put(v);
	if (a->fp_loaded) {
		arm64_fpsimd_save(&a->fp);
		a->fp_loaded = false;
	}
	/* Back to tern's own EL2 controls: nothing virtualized, nothing trapped. */
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(cptr_el2, CPTR_EL2_DEFAULT);
	write_sysreg(mdcr_el2, h->mdcr);
	write_sysreg(cnthctl_el2, h->cnthctl);
	isb();
	loaded[this_cpu()->id] = NULL;
}

/* --- The contract ------------------------------------------------------------------ */

void arch_vcpu_init(struct vcpu *v)
{
	/* Aff0 counts within a cluster of 16 as QEMU's virt board numbers
	 * CPUs (and as GICv3 target lists address them), Aff1 the cluster. */
	v->hwid = ((uint64_t)(v->id >> 4) << 8) | (v->id & 0xf);
	/* Bit 31 is RES1; U (bit 30) = 0: part of a multiprocessor. */
	v->arch.vmpidr = v->hwid | (1ULL << 31);
	vgic_vcpu_init(v);
	vtimer_vcpu_init(v);
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	struct arch_vcpu *a = &v->arch;

	memset(&a->regs, 0, sizeof(a->regs));
	a->regs.x[0] = arg;
	a->regs.pc = entry;
	a->regs.pstate = PSR_MODE_EL1h | PSR_DAIF;
	memset(a->sys, 0, sizeof(a->sys));
	a->sys[GSR_sctlr_el1] = SCTLR_EL1_RESET;
	memset(&a->pmu, 0, sizeof(a->pmu));
	memset(&a->fp, 0, sizeof(a->fp));
	if (!a->debug.loaded) {
		memset(&a->debug, 0, sizeof(a->debug));
		a->debug.oslk = 1; /* the OS lock is set at cold reset */
	}
	/* The exit handler must not then write the call's results over the
	 * new x0, or step the new PC past an instruction. */
	a->reset_done = true;
	a->regs_reset = true;
	ptimer_reset(v);

	/* A vCPU resetting itself (a powerdown CPU_SUSPEND) is loaded here:
	 * its hardware registers are what it will resume with. */
	if (arm64_loaded_vcpu() == v) {
		sysregs_restore(a->sys);
		pmu_restore(&a->pmu);
		if (a->fp_loaded)
			arm64_fpsimd_load(&a->fp);
		isb();
	}
}

/* The emulated timer and the vGIC's list registers, before an entry (the
 * fast path's too). */
void arm64_entry_flush(struct vcpu *v)
{
	v->arch.entry_work = false;
	ptimer_entry(v);
	vgic_flush(v);
}

/* One guest entry: a due SDEI event first, the emulated timer and the
 * vGIC's list registers, then the guest until it exits, and the exit. */
enum vcpu_next arch_vcpu_enter(struct vcpu *v)
{
	unsigned int kind;

	arm64_sdei_deliver(v);
	arm64_entry_flush(v);
	kind = arm64_guest_enter(&v->arch.regs);
	vgic_sync(v);
	if (kind & GUEST_EXIT_HANDLED)
		return v->arch.fast_next; /* the fast path did the exit's work */
	return arm64_handle_exit(v, kind);
}

bool arch_vcpu_irq_pending(struct vcpu *v)
{
	/* An SDEI event due wakes a vCPU from WFI as an interrupt would. */
	return vgic_irq_pending(v) || vcpu_event_due(v);
}

uint64_t arch_vcpu_timer_deadline(struct vcpu *v)
{
	uint64_t vt = vtimer_deadline(v), pt = ptimer_deadline(v);

	return vt < pt ? vt : pt;
}

void arch_vm_reset(struct vm *vm)
{
	/* Distributor, redistributors, CPU interfaces and the vCPUs'
	 * timers start over, as on a board coming out of reset. */
	vgic_vm_reset(vm);
}

bool arch_vm_starts_all_vcpus(const struct vm *vm)
{
	return false; /* PSCI CPU_ON starts the others */
}
