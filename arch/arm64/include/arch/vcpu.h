/*
 * The arm64 parts of struct vcpu and struct vm (<tern/vm.h> embeds them).
 * core/ includes this header, so it holds data only: no inline assembly.
 *
 * A vCPU's state lives in three places depending on where it is:
 *   - its general registers, PC and PSTATE (struct arm64_guest_regs) are
 *     saved and restored by the world switch (guest_entry.S) on every exit;
 *   - its EL1 system registers, PMU controls and virtual CPU interface are
 *     in hardware while it is loaded on a physical CPU (arch_vcpu_load to arch_vcpu_put) and
 *     in sys[] / the vGIC's structs otherwise;
 *   - its FP/SIMD registers are in hardware only from its first FP use in
 *     a run (a CPTR_EL2.TFP trap) until it leaves the physical CPU.
 */
#ifndef ARCH_ARM64_VCPU_H
#define ARCH_ARM64_VCPU_H

#include <arch/vgic_state.h>
#include <tern/pgtable.h>
#include <tern/types.h>

/*
 * The guest's general-purpose frame. guest_entry.S reads and writes it at
 * offsets generated from this definition (asm-offsets.c); the fault
 * registers of the last exit are captured there too, before any C runs.
 */
struct arm64_guest_regs {
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t pc;     /* ELR_EL2: where the guest resumes */
	uint64_t pstate; /* SPSR_EL2: the guest's PSTATE */
	uint64_t esr;    /* ESR_EL2, FAR_EL2, HPFAR_EL2 at the last exit */
	uint64_t far;
	uint64_t hpfar;
};

/*
 * EL1 (and EL0) system registers switched with the vCPU, as one list so the
 * enum, the save and the restore (vcpu.c) cannot disagree. Registers that
 * trap to tern instead (ACTLR_EL1, ID registers, ...) are not here.
 */
#define ARM64_GUEST_SYSREGS(X) \
	X(sctlr_el1) X(cpacr_el1) X(ttbr0_el1) X(ttbr1_el1) X(tcr_el1) X(mair_el1) \
	X(amair_el1) X(vbar_el1) X(contextidr_el1) X(tpidr_el0) X(tpidrro_el0) X(tpidr_el1) \
	X(sp_el1) X(elr_el1) X(spsr_el1) X(esr_el1) X(far_el1) X(afsr0_el1) X(afsr1_el1) \
	X(par_el1) X(cntkctl_el1) X(mdscr_el1) X(csselr_el1)

#define ARM64_SYSREG_ENUM(name) GSR_##name,
enum arm64_guest_sysreg { ARM64_GUEST_SYSREGS(ARM64_SYSREG_ENUM) GSR_COUNT };
#undef ARM64_SYSREG_ENUM

/* Event counters a PMU may have (PMCR_EL0.N is at most 31). */
#define ARM64_PMU_MAX_EVENTS 31

/* The PMU controls a guest may change without trapping (DESIGN
 * "Measuring"), switched so one VM's counting never leaks into another's. */
struct arm64_pmu_state {
	uint64_t pmcr;      /* only the writable control bits */
	uint64_t cntenset;
	uint64_t ccfiltr;
	uint64_t userenr;
	uint64_t selr;
	uint64_t ccntr;
	/* The event counters, their types, and the overflow and interrupt
	 * enable bits of every counter, so no count crosses between VMs. */
	uint64_t evcntr[ARM64_PMU_MAX_EVENTS];
	uint64_t evtyper[ARM64_PMU_MAX_EVENTS];
	uint64_t intenset;
	uint64_t ovsset;
};


/* Self-hosted debug state (debug_regs.c), in hardware only while loaded. */
struct arm64_debug_state {
	uint64_t bvr[16], bcr[16], wvr[16], wcr[16];
	uint64_t mdccint;
	uint64_t oslk;  /* the OS lock: 1 locked, as OSLSR_EL1.OSLK */
	bool loaded;    /* in this CPU's registers (the traps are off) */
};

/* V0-V31 as pairs of 64-bit halves (tern is built without FP types). */
struct arm64_fpsimd_state {
	uint64_t v[64];
	uint64_t fpsr;
	uint64_t fpcr;
} __attribute__((aligned(16)));

/* What an SDEI handler interrupted (sdei_deliver.c). */
struct arm64_sdei_ctx {
	uint64_t x[18];
	uint64_t pc;
	uint64_t pstate;
};

struct arch_vcpu {
	struct arm64_guest_regs regs;
	uint64_t sys[GSR_COUNT];
	struct arm64_pmu_state pmu;
	struct arm64_fpsimd_state fp;
	struct arm64_debug_state debug;
	struct arm64_sdei_ctx sdei;
	bool fp_loaded;   /* fp is live in this physical CPU's registers */
	bool reset_done;  /* the exit's results must not land in x0-x3: a reset or an SDEI completion */
	bool regs_reset;  /* every register was reset during the current exit (fast path) */
	unsigned int fast_next; /* enum vcpu_next of an exit the fast path handled */
	bool entry_work;  /* its own exit changed its virtual interrupts: flush first */
	uint64_t hcr;     /* HCR_EL2 while this vCPU runs */
	uint64_t vmpidr;  /* VMPIDR_EL2: the MPIDR_EL1 the guest reads */
	uint64_t irq_exits; /* physical interrupts taken while in the guest */
	struct vgic_cpu vgic;
	struct vtimer vtimer;
	struct ptimer ptimer;
};

/* ID_AA64* and AArch32 ID registers (op0 3, op1 0, CRn 0, CRm 1-7): the
 * values the guest reads, indexed (CRm - 1) * 8 + op2. */
#define ARM64_ID_REGS 56

struct arch_vm {
	unsigned int vmid;
	unsigned int ipa_bits;
	uint64_t vtcr;            /* VTCR_EL2 for this VM's stage-2 */
	struct pt_geometry s2_geo;
	struct pt_format s2_fmt;  /* arm64_s2_format with s2_geo */
	uint64_t id_regs[ARM64_ID_REGS];
	struct vgic_dist vgic;
	/* The VM's virtual counter offset (CNTVOFF_EL2), the virtual timer's
	 * (vtimer.c): 0, as QEMU 7.2's timer loops forever when CVAL plus the
	 * offset wraps. */
	uint64_t cntvoff;
};

#endif
