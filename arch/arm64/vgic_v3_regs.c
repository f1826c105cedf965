/*
 * GICv3 distributor and redistributor register models: what Linux 6.1's
 * irq-gic-v3.c reads and writes at boot and at run time, over the state in
 * struct vgic_dist / struct vgic_cpu. Pure: unit-tested on the host.
 *
 * The guest sees a GIC with one security state (GICD_CTLR.DS = 1),
 * affinity routing always on (ARE = 1), no LPIs, ITS or MBIs, and 5
 * priority bits. Registers not in these tables, such as GICD_STATUSR,
 * SETSPI_*, IGRPMODR, NSACR, GICR_CTLR (EnableLPIs), STATUSR, PROPBASER,
 * PENDBASER and the LPI invalidation registers, are RAZ/WI, which is what
 * the architecture asks of them without LPIs.
 */
#include "include/arch/vgic_model.h"
#include <tern/compiler.h>

#define GICD_TYPER_IDBITS_SHIFT 19  /* INTID bits - 1 */
#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_TYPER_PROCNUM_SHIFT 8
#define GICR_TYPER_AFF_SHIFT 32
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000
#define IROUTER_IRM (1ULL << 31)
/* PIDR2 ArchRev 3 in bits 7:4, with the JEDEC-assigned bit pattern. */
#define GIC_PIDR2_V3 0x3b

/* The part of a 64-bit register one (possibly 32-bit) access reaches. */
static uint64_t read_part(const struct vgic_access *a, uint64_t full)
{
	return full >> (8 * (a->off & 7));
}

static uint64_t write_part(const struct vgic_access *a, uint64_t old, uint64_t val)
{
	unsigned int shift = 8 * (a->off & 7);
	uint64_t mask = (a->size >= 8 ? ~0ULL : (1ULL << (a->size * 8)) - 1) << shift;

	return (old & ~mask) | ((val << shift) & mask);
}

/* ---- Distributor ------------------------------------------------------------ */

static uint64_t gicd_read_ctlr(struct vgic_access *a)
{
	return a->d->ctlr;
}

static void gicd_write_ctlr(struct vgic_access *a, uint64_t val)
{
	struct vgic_dist *d = a->d;

	/* ARE and DS are RAO/WI; RWP reads 0: writes take effect at once. */
	d->ctlr = ((uint32_t)val & (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1)) |
		  GICD_CTLR_ARE | GICD_CTLR_DS;
	/* A group just enabled may release interrupts on any vCPU. */
	a->kick |= d->nr_cpus >= 32 ? ~0u : (1u << d->nr_cpus) - 1;
}

static uint64_t gicd_read_typer(struct vgic_access *a)
{
	unsigned int lines = (VGIC_NR_PRIVATE + a->d->nr_spis + 31) / 32;

	/* ITLinesNumber, 10 INTID bits (no LPIs), LPIS/MBIS/SecurityExtn 0. */
	return (lines - 1) | (9u << GICD_TYPER_IDBITS_SHIFT);
}

static uint64_t gicd_read_iidr(struct vgic_access *a)
{
	(void)a;
	return VGIC_IIDR;
}

static uint64_t gic_read_pidr2(struct vgic_access *a)
{
	(void)a;
	return GIC_PIDR2_V3;
}

static uint64_t irouter_value(const struct vgic_irq *irq)
{
	uint64_t v = (irq->route & 0xffffff) | ((uint64_t)(irq->route >> 24) << 32);

	return (irq->flags & VGIC_IRQ_IRM) ? v | IROUTER_IRM : v;
}

static uint64_t gicd_read_irouter(struct vgic_access *a)
{
	struct vgic_irq *irq = vgic_get_irq(a->d, NULL, a->intid);

	return irq ? read_part(a, irouter_value(irq)) : 0;
}

static void gicd_write_irouter(struct vgic_access *a, uint64_t val)
{
	struct vgic_irq *irq = vgic_get_irq(a->d, NULL, a->intid);
	uint64_t v;

	if (!irq)
		return;
	v = write_part(a, irouter_value(irq), val);
	irq->route = vgic_pack_affinity(v);
	if (v & IROUTER_IRM)
		irq->flags |= VGIC_IRQ_IRM;
	else
		irq->flags &= (uint16_t)~VGIC_IRQ_IRM;
	/* Resolved now, so delivery does not search vCPUs. */
	irq->target = (uint8_t)vgic_find_cpu(a->d, irq->route);
	a->kick |= vgic_irq_changed(a->d, NULL, a->intid, irq);
}

#define W32 VGIC_W32
#define W8_32 (VGIC_W8 | VGIC_W32)
#define W32_64 (VGIC_W32 | VGIC_W64)

/* Sorted by offset. The per-interrupt arrays span all 1024 INTIDs; the
 * first 32 (private, in the redistributors under ARE) and those past the
 * SPIs exposed are RAZ/WI because they name no interrupt here. */
const struct vgic_reg vgic_v3_dist_regs[] = {
	{ 0x0000, 4, 0, W32, gicd_read_ctlr, gicd_write_ctlr },
	{ 0x0004, 4, 0, W32, gicd_read_typer, NULL },
	{ 0x0008, 4, 0, W32, gicd_read_iidr, NULL },
	/* 0x000c TYPER2: RAZ (no vPEs, no extended SPIs) */
	{ 0x0080, 0x80, 1, W32, vgic_read_group, vgic_write_group },
	{ 0x0100, 0x80, 1, W32, vgic_read_enable, vgic_write_set_enable },
	{ 0x0180, 0x80, 1, W32, vgic_read_enable, vgic_write_clear_enable },
	{ 0x0200, 0x80, 1, W32, vgic_read_pending, vgic_write_set_pending },
	{ 0x0280, 0x80, 1, W32, vgic_read_pending, vgic_write_clear_pending },
	{ 0x0300, 0x80, 1, W32, vgic_read_active, vgic_write_set_active },
	{ 0x0380, 0x80, 1, W32, vgic_read_active, vgic_write_clear_active },
	{ 0x0400, 0x400, 8, W8_32, vgic_read_priority, vgic_write_priority },
	{ 0x0c00, 0x100, 2, W32, vgic_read_config, vgic_write_config },
	{ 0x6000, 0x2000, 64, W32_64, gicd_read_irouter, gicd_write_irouter },
	{ 0xffe8, 4, 0, W32, gic_read_pidr2, NULL },
};
const unsigned int vgic_v3_dist_nregs = ARRAY_SIZE(vgic_v3_dist_regs);

void vgic_v3_dist_access(struct vgic_access *a, uint64_t offset, bool write, uint64_t *val)
{
	a->c = NULL; /* ARE: SGIs and PPIs live in the redistributors */
	vgic_reg_dispatch(vgic_v3_dist_regs, vgic_v3_dist_nregs, a, offset, write, val);
}

/* ---- Redistributor ------------------------------------------------------ */

static uint64_t gicr_read_typer(struct vgic_access *a)
{
	const struct vgic_cpu *c = a->c;
	uint64_t v = (uint64_t)vgic_pack_affinity(c->mpidr) << GICR_TYPER_AFF_SHIFT;

	v |= (uint64_t)c->id << GICR_TYPER_PROCNUM_SHIFT;
	/* The last frame of the region: Linux stops its scan here. */
	if (c->id + 1 == a->d->nr_cpus)
		v |= GICR_TYPER_LAST;
	return read_part(a, v);
}

static uint64_t gicr_read_waker(struct vgic_access *a)
{
	/* The children are asleep exactly when the processor said it sleeps:
	 * nothing to wait for, so the guest's handshake ends at once. */
	return a->c->sleeping ? GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
}

static void gicr_write_waker(struct vgic_access *a, uint64_t val)
{
	a->c->sleeping = val & GICR_WAKER_PROCESSOR_SLEEP;
}

const struct vgic_reg vgic_v3_rd_regs[] = {
	/* 0x0000 CTLR: RAZ/WI (no LPIs; RWP/UWP never busy) */
	{ 0x0004, 4, 0, W32, gicd_read_iidr, NULL },
	{ 0x0008, 8, 0, W32_64, gicr_read_typer, NULL },
	{ 0x0014, 4, 0, W32, gicr_read_waker, gicr_write_waker },
	{ 0xffe8, 4, 0, W32, gic_read_pidr2, NULL },
};
const unsigned int vgic_v3_rd_nregs = ARRAY_SIZE(vgic_v3_rd_regs);

/* The SGI frame: the per-interrupt registers for INTIDs 0-31. */
const struct vgic_reg vgic_v3_sgi_regs[] = {
	{ 0x0080, 4, 1, W32, vgic_read_group, vgic_write_group },
	{ 0x0100, 4, 1, W32, vgic_read_enable, vgic_write_set_enable },
	{ 0x0180, 4, 1, W32, vgic_read_enable, vgic_write_clear_enable },
	{ 0x0200, 4, 1, W32, vgic_read_pending, vgic_write_set_pending },
	{ 0x0280, 4, 1, W32, vgic_read_pending, vgic_write_clear_pending },
	{ 0x0300, 4, 1, W32, vgic_read_active, vgic_write_set_active },
	{ 0x0380, 4, 1, W32, vgic_read_active, vgic_write_clear_active },
	{ 0x0400, 0x20, 8, W8_32, vgic_read_priority, vgic_write_priority },
	{ 0x0c00, 8, 2, W32, vgic_read_config, vgic_write_config },
	/* 0x0d00 IGRPMODR0, 0x0e00 NSACR: RAZ/WI with one security state */
};
const unsigned int vgic_v3_sgi_nregs = ARRAY_SIZE(vgic_v3_sgi_regs);

void vgic_v3_redist_access(struct vgic_access *a, uint64_t offset, bool write, uint64_t *val)
{
	if (offset < GICR_SGI_BASE)
		vgic_reg_dispatch(vgic_v3_rd_regs, vgic_v3_rd_nregs, a, offset, write, val);
	else
		vgic_reg_dispatch(vgic_v3_sgi_regs, vgic_v3_sgi_nregs, a, offset - GICR_SGI_BASE,
				  write, val);
}
