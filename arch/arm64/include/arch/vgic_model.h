/*
 * The virtual GIC as pure data transformations: the interrupt state
 * machine, the choice of what goes in the list registers, list-register
 * encodings, SGI and SPI routing, and the distributor / redistributor
 * register models of both GIC versions. No hardware access and no locking
 * here (callers hold struct vgic_dist.lock), so all of it is unit-tested
 * on the host (tests/unit/test_vgic.c).
 *
 * Functions that change interrupt state return (or accumulate) a mask of
 * vCPU indices that must look again: wake from WFI, or leave the guest so
 * their next flush sees the change. The caller turns it into kicks.
 */
#ifndef ARCH_ARM64_VGIC_MODEL_H
#define ARCH_ARM64_VGIC_MODEL_H

#include "vgic_state.h"

/* GICD_CTLR bits, in the single-security-state view tern's vGIC gives. */
#define GICD_CTLR_ENABLE_G0 (1u << 0)
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)

/* What GICD_IIDR / GICR_IIDR report: Arm's JEP106 code with a product ID of
 * tern's own ('T'), so no Linux erratum workaround keyed on IIDR matches. */
#define VGIC_IIDR 0x5400043bu

/* ---- Set-up ---------------------------------------------------------- */

void vgic_model_init(struct vgic_dist *d, unsigned int version, unsigned int nr_spis);
/* Add vCPU c with index id and virtual MPIDR affinity mpidr (in order). */
void vgic_model_add_cpu(struct vgic_dist *d, struct vgic_cpu *c, unsigned int id,
			uint64_t mpidr);
/* Every interrupt of the VM, and every redistributor, to reset values. */
void vgic_model_reset(struct vgic_dist *d);

/* ---- Interrupt state ----------------------------------------------------- */

/* The interrupt intid as vCPU c sees it (c's banked copy for 0-31; c may be
 * NULL for SPIs). NULL if out of range. */
struct vgic_irq *vgic_get_irq(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid);
bool vgic_irq_is_pending(const struct vgic_irq *irq);
/* Whether the distributor forwards the interrupt's group. */
bool vgic_group_enabled(const struct vgic_dist *d, const struct vgic_irq *irq);
/* Every vCPU of the VM, as a mask. */
uint32_t vgic_all_cpus(const struct vgic_dist *d);
/* The vCPUs an SPI (or c's private interrupt) may be delivered to. */
uint32_t vgic_irq_targets(const struct vgic_dist *d, const struct vgic_cpu *c, uint32_t intid,
			  const struct vgic_irq *irq);
/* After any change to irq: keep the live bitmaps right and return the vCPUs
 * that must look at it. */
uint32_t vgic_irq_changed(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid,
			  struct vgic_irq *irq);

/* Drive an input line; an edge-configured interrupt latches on a rising
 * level. c is the vCPU for 0-31, ignored for SPIs. */
uint32_t vgic_model_set_level(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid, bool level);
/* Make an interrupt pending once (an edge, an SGI from vCPU source). */
uint32_t vgic_model_raise(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid,
			  unsigned int source);
/* Pend a private interrupt linked to physical phys_intid (HW bit). */
uint32_t vgic_model_inject_hw(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid,
			      uint32_t phys_intid);
/* Withdraw the pending state of a HW-linked interrupt the guest has not
 * acknowledged (its source fell before the guest saw it). */
uint32_t vgic_model_retract_hw(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid);
/* Pending, active, or in a list register. */
bool vgic_model_busy(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid);
/* An enabled pending interrupt c could take (what wakes its WFI). */
bool vgic_model_has_pending(struct vgic_dist *d, struct vgic_cpu *c);

/* ---- List registers ------------------------------------------------------ */

/*
 * Choose what c's list registers hold for its next run: every interrupt
 * active on c first (the guest must be able to deactivate it), then pending
 * ones by priority (lower value first), then by INTID. Fills c->lrs and
 * c->lr_used (at most nr_lrs), marks them owned by c, and sets c->underflow
 * when more were eligible than fit: the rest stay queued.
 */
unsigned int vgic_model_flush(struct vgic_dist *d, struct vgic_cpu *c, unsigned int nr_lrs);
/*
 * Fold back the state the hardware left in list register i (lr, decoded)
 * after the guest ran. Returns the vCPUs other than c to kick. *hw_done is
 * set when a HW-linked interrupt left the guest (deactivated).
 */
uint32_t vgic_model_sync_lr(struct vgic_dist *d, struct vgic_cpu *c, unsigned int i,
			    const struct vgic_lr *lr, bool *hw_done);

uint64_t vgic_lr_encode_v3(const struct vgic_lr *lr);
void vgic_lr_decode_v3(uint64_t val, struct vgic_lr *lr);
uint32_t vgic_lr_encode_v2(const struct vgic_lr *lr);
void vgic_lr_decode_v2(uint32_t val, struct vgic_lr *lr);

/* ---- Routing --------------------------------------------------------------- */

/* MPIDR affinity (Aff3..Aff0 anywhere in their MPIDR positions) packed as
 * Aff3:Aff2:Aff1:Aff0 bytes, the form GICR_TYPER and IROUTER compare. */
uint32_t vgic_pack_affinity(uint64_t mpidr);
/* The vCPU whose affinity is aff, VGIC_NO_TARGET if none. */
unsigned int vgic_find_cpu(const struct vgic_dist *d, uint32_t aff);
/* A guest ICC_SGI1R_EL1 value from vCPU sender: the SGI and its targets. */
uint32_t vgic_v3_sgi1r_targets(const struct vgic_dist *d, unsigned int sender, uint64_t val,
			       uint32_t *intid);
/* Send SGI intid from vCPU sender to the vCPUs in mask. */
uint32_t vgic_model_send_sgi(struct vgic_dist *d, unsigned int sender, uint32_t mask,
			     uint32_t intid);

/* ---- Register models ------------------------------------------------------- */

/*
 * One MMIO access to an emulated GIC frame. Every access completes: an
 * unknown offset, a width a register does not allow or a misaligned access
 * reads as zero and ignores writes (the GIC architecture's reserved-register
 * behaviour), so a guest can never stop tern through its GIC.
 */
struct vgic_access {
	struct vgic_dist *d;
	struct vgic_cpu *c;    /* whose banked interrupts 0-31 the registers reach
	                        * (NULL: none, as in a v3 GICD with ARE) */
	struct vgic_cpu *src;  /* the vCPU making the access */
	uint32_t intid;        /* first interrupt a per-interrupt register covers */
	uint32_t off;          /* byte offset into the register */
	unsigned int size;     /* 1, 2, 4 or 8 */
	uint32_t kick;         /* accumulated: vCPUs to wake or kick */
};

/* GICv3 distributor (64 KiB) and one vCPU's redistributor (128 KiB: RD_base
 * then SGI_base). frame is the redistributor's vCPU. */
void vgic_v3_dist_access(struct vgic_access *a, uint64_t offset, bool write, uint64_t *val);
void vgic_v3_redist_access(struct vgic_access *a, uint64_t offset, bool write, uint64_t *val);
/* GICv2 distributor (4 KiB); private registers banked to a->src. */
void vgic_v2_dist_access(struct vgic_access *a, uint64_t offset, bool write, uint64_t *val);

/* A register (or array of per-interrupt registers) of a frame: tables of
 * these, sorted by offset, are the register models. */
#define VGIC_W8 (1u << 1)
#define VGIC_W16 (1u << 2)
#define VGIC_W32 (1u << 4)
#define VGIC_W64 (1u << 8)

struct vgic_reg {
	uint32_t offset;
	uint32_t len;      /* bytes */
	uint8_t bpi;       /* bits per interrupt; 0 for a plain register */
	uint16_t widths;   /* VGIC_W*: access sizes allowed */
	uint64_t (*read)(struct vgic_access *a);
	void (*write)(struct vgic_access *a, uint64_t val);
};

/* Look offset up in table (sorted), check the width, fill a->intid/off and
 * call the handler. */
void vgic_reg_dispatch(const struct vgic_reg *table, unsigned int n, struct vgic_access *a,
		       uint64_t offset, bool write, uint64_t *val);
/* The tables, exported for the unit test that checks they are sorted. */
extern const struct vgic_reg vgic_v3_dist_regs[], vgic_v3_rd_regs[], vgic_v3_sgi_regs[],
	vgic_v2_dist_regs[];
extern const unsigned int vgic_v3_dist_nregs, vgic_v3_rd_nregs, vgic_v3_sgi_nregs,
	vgic_v2_dist_nregs;

/* Per-interrupt register handlers shared by both versions' tables. */
uint64_t vgic_read_group(struct vgic_access *a);
void vgic_write_group(struct vgic_access *a, uint64_t val);
uint64_t vgic_read_enable(struct vgic_access *a);
void vgic_write_set_enable(struct vgic_access *a, uint64_t val);
void vgic_write_clear_enable(struct vgic_access *a, uint64_t val);
uint64_t vgic_read_pending(struct vgic_access *a);
void vgic_write_set_pending(struct vgic_access *a, uint64_t val);
void vgic_write_clear_pending(struct vgic_access *a, uint64_t val);
uint64_t vgic_read_active(struct vgic_access *a);
void vgic_write_set_active(struct vgic_access *a, uint64_t val);
void vgic_write_clear_active(struct vgic_access *a, uint64_t val);
uint64_t vgic_read_priority(struct vgic_access *a);
void vgic_write_priority(struct vgic_access *a, uint64_t val);
uint64_t vgic_read_config(struct vgic_access *a);
void vgic_write_config(struct vgic_access *a, uint64_t val);
uint64_t vgic_read_zero(struct vgic_access *a);
void vgic_write_ignore(struct vgic_access *a, uint64_t val);

/* ---- The virtual timer's output line (seed 003) -------------------------- */

#define VTIMER_CTL_ENABLE (1u << 0)
#define VTIMER_CTL_IMASK (1u << 1)
#define VTIMER_CTL_ISTATUS (1u << 2)

/* The timer's interrupt output: enabled, unmasked, and compare value reached. */
bool vtimer_output(uint64_t ctl, uint64_t cval, uint64_t virtual_count);
/* The physical counter value at which the output rises; UINT64_MAX if the
 * timer is off or masked. */
uint64_t vtimer_deadline_of(uint64_t ctl, uint64_t cval, uint64_t cntvoff);

enum vtimer_action { VTIMER_NONE, VTIMER_INJECT, VTIMER_RETRACT };
/* The output was sampled: act on changes only. A rise injects, a fall
 * withdraws an injection the guest has not taken yet. */
enum vtimer_action vtimer_track(struct vtimer *t, bool output);
/* The guest deactivated the injected interrupt: the line as the vGIC saw
 * it is down, and the physical interrupt samples the output again. */
void vtimer_track_done(struct vtimer *t);

#endif
