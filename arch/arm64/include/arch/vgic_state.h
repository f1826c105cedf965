/*
 * The state of a VM's virtual GIC and of its vCPUs' virtual timers, as
 * embedded in struct arch_vm (struct vgic_dist) and struct arch_vcpu
 * (struct vgic_cpu, struct vtimer). Only arch/arm64/vgic*.c and vtimer.c
 * touch these fields; the rest of tern goes through <arch/vgic.h>.
 *
 * Data only: the models (vgic_model.c, vgic_lr.c, vgic_route.c,
 * vgic_regs.c, vgic_v3_regs.c, vgic_v2_regs.c, vtimer_line.c) take these
 * structs and never touch hardware, so the host unit tests build them as
 * they are.
 */
#ifndef ARCH_ARM64_VGIC_STATE_H
#define ARCH_ARM64_VGIC_STATE_H

#include <stdatomic.h>
#include <tern/mmio.h>
#include <tern/spinlock.h>
#include <tern/types.h>

#define VGIC_MAX_VCPUS 16     /* >= VM_MAX_VCPUS (checked in vgic.c) */
#define VGIC_V2_MAX_VCPUS 8   /* GICv2 targets are an 8-bit CPU mask */
#define VGIC_NR_SGIS 16
#define VGIC_NR_PRIVATE 32    /* SGIs and PPIs, banked per vCPU */
#define VGIC_MAX_SPIS 988     /* INTIDs 32..1019: the architectural limit */
#define VGIC_MAX_LRS 16       /* ICH_VTR_EL2.ListRegs / GICH_VTR allow at most 16 (v3) / 64 (v2) */
#define VGIC_NO_TARGET 0xff

/* struct vgic_irq.flags */
#define VGIC_IRQ_ENABLED (1u << 0)
#define VGIC_IRQ_PENDING (1u << 1) /* latched: an edge, a GICD_ISPENDR write, an SGI */
#define VGIC_IRQ_LEVEL (1u << 2)   /* the input line as the device drives it now */
#define VGIC_IRQ_ACTIVE (1u << 3)
#define VGIC_IRQ_GROUP1 (1u << 4)
#define VGIC_IRQ_EDGE (1u << 5)    /* GICD_ICFGR: edge-triggered */
#define VGIC_IRQ_HW (1u << 6)      /* linked to physical INTID hw_intid */
#define VGIC_IRQ_REPEND (1u << 7)  /* became pending again while in a list register */
#define VGIC_IRQ_IRM (1u << 8)     /* v3 IROUTER.IRM: any vCPU may take it */

/*
 * One virtual interrupt. Whether it is pending is derived, never stored:
 * PENDING, or LEVEL for a level-sensitive interrupt (the seed 003 rule:
 * the line is a level the model tracks, not an event it remembers).
 */
struct vgic_irq {
	uint16_t flags;
	uint8_t priority;   /* as written; list registers keep the top bits */
	uint8_t lr_owner;   /* 1 + index of the vCPU holding it in a list register, 0: none */
	uint8_t active_cpu; /* 1 + index of the vCPU where it is active (an SPI must be
	                     * deactivated where it was acknowledged), 0: none */
	uint8_t target;     /* v3 SPI: the vCPU IROUTER names, VGIC_NO_TARGET if none */
	uint8_t targets;    /* v2 SPI: GICD_ITARGETSR byte (a mask of vCPUs) */
	uint8_t sources;    /* v2 SGI: vCPUs it is pending from (GICD_SPENDSGIR) */
	uint16_t hw_intid;  /* physical INTID when VGIC_IRQ_HW */
	uint32_t route;     /* v3 SPI: IROUTER affinity, Aff3..Aff0 in bytes 3..0 */
};

/* A list register in a version-neutral form (vgic_lr_encode_v2/v3). */
struct vgic_lr {
	uint32_t intid;
	uint32_t hw_intid;  /* with hw */
	uint8_t priority;
	uint8_t source;     /* v2 SGI: the sending vCPU */
	bool pending, active, group1, hw;
	bool eoi;           /* ask for an EOI maintenance interrupt (level, not hw) */
};

/* A vCPU's view: its banked interrupts, redistributor, and the saved
 * context of the hardware virtual CPU interface. */
struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE];
	unsigned int id;        /* the vCPU's index in its VM */
	uint64_t mpidr;         /* its virtual MPIDR affinity (GICR_TYPER, IROUTER) */
	uint32_t priv_live;     /* bit per private interrupt that is pending, active
	                         * or in a list register: what a flush looks at */
	bool sleeping;          /* v3 GICR_WAKER.ProcessorSleep */
	/* What the last flush put in the list registers, in LR order. */
	struct vgic_lr lrs[VGIC_MAX_LRS];
	unsigned int lr_used;
	bool underflow;         /* more interrupts queued than list registers */
	/* Virtual CPU interface context while switched out: ICH_VMCR_EL2 /
	 * GICH_VMCR, and the active-priority registers (v2: apr1[0] is GICH_APR). */
	uint32_t vmcr;
	uint32_t apr0[4], apr1[4];
};

/* A VM's distributor, and what the vGIC needs of the VM as a whole. */
struct vgic_dist {
	spinlock_t lock;        /* every struct vgic_irq of the VM, and the fields below */
	unsigned int version;   /* 2 or 3, as the host's GIC */
	unsigned int nr_spis;   /* SPIs exposed: INTIDs 32 .. 32 + nr_spis - 1 */
	unsigned int nr_cpus;
	uint32_t ctlr;          /* GICD_CTLR: group enables (and ARE, DS on v3) */
	struct vgic_cpu *cpus[VGIC_MAX_VCPUS];
	struct vgic_irq spis[VGIC_MAX_SPIS];
	uint32_t spi_live[(VGIC_MAX_SPIS + 31) / 32]; /* as vgic_cpu.priv_live, for SPIs */
	uint32_t spi_live_words; /* bit w: spi_live[w] is not 0 (an entry's check is one load) */
	/* Guest physical addresses and sizes (the host GIC's). */
	paddr_t dist_base;
	paddr_t redist_base;    /* v3: one 128 KiB frame per vCPU */
	paddr_t cpuif_base;     /* v2: where GICV is mapped (the host GICC address) */
	struct mmio_device dist_dev, redist_dev;
};

/* A vCPU's virtual timer (CNTV). */
struct vtimer {
	uint64_t ctl;           /* CNTV_CTL_EL0 while switched out */
	uint64_t cval;          /* CNTV_CVAL_EL0 while switched out */
	bool level;             /* the timer line as the vGIC has it (seed 003): up
	                         * from an injection until the guest deactivates the
	                         * interrupt, or the output is seen to fall first */
};

/* A vCPU's EL1 physical timer (CNTP), emulated by tern (ptimer.c). */
struct ptimer {
	uint64_t ctl;           /* ENABLE and IMASK as written (ISTATUS is computed) */
	uint64_t cval;
	bool level;             /* virtual PPI 30 as tern last set it */
};

#endif
