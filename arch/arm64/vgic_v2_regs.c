/*
 * GICv2 distributor register model: what Linux 6.1's irq-gic.c touches,
 * over the state in struct vgic_dist / struct vgic_cpu. The registers of
 * INTIDs 0-31 are banked: an access reaches the accessing vCPU's copy.
 * Pure: unit-tested on the host.
 *
 * The guest sees a GICv2 without the Security Extensions: GICD_CTLR has an
 * enable per group, interrupts reset to group 0 (what Linux uses on such a
 * GIC), and the CPU interface is the hardware's GICV.
 */
#include "include/arch/vgic_model.h"
#include <tern/compiler.h>

#define GICD_TYPER_CPUS_SHIFT 5
#define GICD_SGIR_FILTER_SHIFT 24
#define GICD_SGIR_LIST_SHIFT 16
#define GIC_PIDR2_V2 0x2b /* ArchRev 2 */

static uint32_t cpu_mask(const struct vgic_dist *d)
{
	return (1u << MIN(d->nr_cpus, (unsigned int)VGIC_V2_MAX_VCPUS)) - 1;
}

static uint64_t gicd_read_ctlr(struct vgic_access *a)
{
	return a->d->ctlr;
}

static void gicd_write_ctlr(struct vgic_access *a, uint64_t val)
{
	a->d->ctlr = (uint32_t)val & (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1);
	a->kick |= cpu_mask(a->d);
}

static uint64_t gicd_read_typer(struct vgic_access *a)
{
	unsigned int lines = (VGIC_NR_PRIVATE + a->d->nr_spis + 31) / 32;

	return (lines - 1) | ((MIN(a->d->nr_cpus, 8u) - 1) << GICD_TYPER_CPUS_SHIFT);
}

static uint64_t gicd_read_iidr(struct vgic_access *a)
{
	(void)a;
	return VGIC_IIDR;
}

static uint64_t gicd_read_pidr2(struct vgic_access *a)
{
	(void)a;
	return GIC_PIDR2_V2;
}

/* ITARGETSR: a CPU mask byte per interrupt. For 0-31 it is read-only and
 * names the reading vCPU (Linux learns its CPU interface number there). */
static uint64_t gicd_read_targets(struct vgic_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < a->size; i++) {
		uint32_t intid = a->intid + i;
		struct vgic_irq *irq = vgic_get_irq(a->d, a->c, intid);
		uint32_t t;

		if (!irq)
			continue;
		t = intid < VGIC_NR_PRIVATE ? 1u << a->c->id : irq->targets;
		v |= (uint64_t)(t & 0xff) << (8 * i);
	}
	return v;
}

static void gicd_write_targets(struct vgic_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < a->size; i++) {
		uint32_t intid = a->intid + i;
		struct vgic_irq *irq = vgic_get_irq(a->d, a->c, intid);

		if (!irq || intid < VGIC_NR_PRIVATE)
			continue;
		irq->targets = (uint8_t)((val >> (8 * i)) & cpu_mask(a->d));
		a->kick |= vgic_irq_changed(a->d, a->c, intid, irq);
	}
}

static void gicd_write_sgir(struct vgic_access *a, uint64_t val)
{
	unsigned int self = a->src->id;
	uint32_t mask;

	switch ((val >> GICD_SGIR_FILTER_SHIFT) & 3) {
	case 0:
		mask = (uint32_t)(val >> GICD_SGIR_LIST_SHIFT) & 0xff;
		break;
	case 1:
		mask = cpu_mask(a->d) & ~(1u << self);
		break;
	case 2:
		mask = 1u << self;
		break;
	default:
		return; /* reserved filter: no SGI */
	}
	a->kick |= vgic_model_send_sgi(a->d, self, mask, (uint32_t)val & 0xf);
}

/* [SC]PENDSGIR: a byte per SGI (of the accessing vCPU), one bit per source. */
static uint64_t gicd_read_sgi_pending(struct vgic_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < a->size; i++)
		v |= (uint64_t)a->c->priv[a->intid + i].sources << (8 * i);
	return v;
}

static void write_sgi_pending(struct vgic_access *a, uint64_t val, bool set)
{
	for (unsigned int i = 0; i < a->size; i++) {
		struct vgic_irq *irq = &a->c->priv[a->intid + i];
		uint8_t bits = (uint8_t)((val >> (8 * i)) & cpu_mask(a->d));

		if (!bits)
			continue;
		if (set) {
			irq->sources |= bits;
			irq->flags |= VGIC_IRQ_PENDING;
			if (irq->lr_owner)
				irq->flags |= VGIC_IRQ_REPEND;
		} else {
			irq->sources &= (uint8_t)~bits;
			if (!irq->sources)
				irq->flags &= (uint16_t)~(VGIC_IRQ_PENDING | VGIC_IRQ_REPEND);
		}
		a->kick |= vgic_irq_changed(a->d, a->c, a->intid + i, irq);
	}
}

static void gicd_write_set_sgi_pending(struct vgic_access *a, uint64_t val)
{
	write_sgi_pending(a, val, true);
}

static void gicd_write_clear_sgi_pending(struct vgic_access *a, uint64_t val)
{
	write_sgi_pending(a, val, false);
}

#define W32 VGIC_W32
#define W8_32 (VGIC_W8 | VGIC_W32)

/* Sorted by offset; per-interrupt arrays past the SPIs exposed are RAZ/WI. */
const struct vgic_reg vgic_v2_dist_regs[] = {
	{ 0x000, 4, 0, W32, gicd_read_ctlr, gicd_write_ctlr },
	{ 0x004, 4, 0, W32, gicd_read_typer, NULL },
	{ 0x008, 4, 0, W32, gicd_read_iidr, NULL },
	{ 0x080, 0x80, 1, W32, vgic_read_group, vgic_write_group },
	{ 0x100, 0x80, 1, W32, vgic_read_enable, vgic_write_set_enable },
	{ 0x180, 0x80, 1, W32, vgic_read_enable, vgic_write_clear_enable },
	{ 0x200, 0x80, 1, W32, vgic_read_pending, vgic_write_set_pending },
	{ 0x280, 0x80, 1, W32, vgic_read_pending, vgic_write_clear_pending },
	{ 0x300, 0x80, 1, W32, vgic_read_active, vgic_write_set_active },
	{ 0x380, 0x80, 1, W32, vgic_read_active, vgic_write_clear_active },
	{ 0x400, 0x400, 8, W8_32, vgic_read_priority, vgic_write_priority },
	{ 0x800, 0x400, 8, W8_32, gicd_read_targets, gicd_write_targets },
	{ 0xc00, 0x100, 2, W32, vgic_read_config, vgic_write_config },
	{ 0xf00, 4, 0, W32, NULL, gicd_write_sgir },
	{ 0xf10, 0x10, 8, W8_32, gicd_read_sgi_pending, gicd_write_clear_sgi_pending },
	{ 0xf20, 0x10, 8, W8_32, gicd_read_sgi_pending, gicd_write_set_sgi_pending },
	{ 0xfe8, 4, 0, W32, gicd_read_pidr2, NULL },
};
const unsigned int vgic_v2_dist_nregs = ARRAY_SIZE(vgic_v2_dist_regs);

void vgic_v2_dist_access(struct vgic_access *a, uint64_t offset, bool write, uint64_t *val)
{
	a->c = a->src; /* INTIDs 0-31 are banked per CPU interface */
	/* The registers fill 4 KiB; the rest of a larger host frame is
	 * reserved (RAZ/WI). */
	if (offset >= 0x1000) {
		if (!write)
			*val = 0;
		return;
	}
	vgic_reg_dispatch(vgic_v2_dist_regs, vgic_v2_dist_nregs, a, offset, write, val);
}
