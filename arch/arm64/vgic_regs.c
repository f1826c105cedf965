/*
 * The register-model machinery both vGIC versions share: lookup of an
 * offset in a sorted table of registers, the access-width rules, and the
 * per-interrupt registers (IGROUPR, I[SC]ENABLER, I[SC]PENDR, I[SC]ACTIVER,
 * IPRIORITYR, ICFGR) that GICD (v2, v3) and the v3 redistributor's SGI
 * frame lay out the same way. Pure: unit-tested on the host.
 */
#include "include/arch/vgic_model.h"
#include <tern/compiler.h>

static const struct vgic_reg *find_reg(const struct vgic_reg *t, unsigned int n, uint64_t off)
{
	unsigned int lo = 0, hi = n;

	/* The last register starting at or below off. */
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (t[mid].offset <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || off >= (uint64_t)t[lo - 1].offset + t[lo - 1].len)
		return NULL;
	return &t[lo - 1];
}

void vgic_reg_dispatch(const struct vgic_reg *table, unsigned int n, struct vgic_access *a,
		       uint64_t offset, bool write, uint64_t *val)
{
	const struct vgic_reg *r = find_reg(table, n, offset);
	uint64_t mask = a->size >= 8 ? ~0ULL : (1ULL << (a->size * 8)) - 1;

	if (!write)
		*val = 0;
	/* Reserved offsets, wrong widths and misaligned accesses are RAZ/WI. */
	if (!r || a->size > 8 || !(r->widths & (1u << a->size)) || (offset & (a->size - 1)))
		return;
	a->off = (uint32_t)(offset - r->offset);
	a->intid = r->bpi ? a->off * 8 / r->bpi : 0;
	if (write) {
		if (r->write)
			r->write(a, *val & mask);
	} else if (r->read) {
		*val = r->read(a) & mask;
	}
}

uint64_t vgic_read_zero(struct vgic_access *a)
{
	(void)a;
	return 0;
}

void vgic_write_ignore(struct vgic_access *a, uint64_t val)
{
	(void)a;
	(void)val;
}

/* ---- Per-interrupt registers ------------------------------------------------ */

/* The interrupts one access covers at bpi bits each. */
static unsigned int irqs_covered(const struct vgic_access *a, unsigned int bpi)
{
	return a->size * 8 / bpi;
}

static struct vgic_irq *irq_at(struct vgic_access *a, unsigned int i)
{
	return vgic_get_irq(a->d, a->c, a->intid + i);
}

static void changed(struct vgic_access *a, unsigned int i, struct vgic_irq *irq)
{
	a->kick |= vgic_irq_changed(a->d, a->c, a->intid + i, irq);
}

static uint64_t read_flag(struct vgic_access *a, uint16_t flag)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < irqs_covered(a, 1); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (irq && (irq->flags & flag))
			v |= 1ULL << i;
	}
	return v;
}

/* A set-/clear-register write: act on the interrupts whose bit is 1. */
static void write_flag(struct vgic_access *a, uint64_t val, uint16_t flag, bool set)
{
	for (unsigned int i = 0; i < irqs_covered(a, 1); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (!irq || !(val & (1ULL << i)))
			continue;
		if (set)
			irq->flags |= flag;
		else
			irq->flags &= (uint16_t)~flag;
		changed(a, i, irq);
	}
}

uint64_t vgic_read_group(struct vgic_access *a)
{
	return read_flag(a, VGIC_IRQ_GROUP1);
}

void vgic_write_group(struct vgic_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < irqs_covered(a, 1); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (!irq)
			continue;
		if (val & (1ULL << i))
			irq->flags |= VGIC_IRQ_GROUP1;
		else
			irq->flags &= (uint16_t)~VGIC_IRQ_GROUP1;
		changed(a, i, irq);
	}
}

uint64_t vgic_read_enable(struct vgic_access *a)
{
	return read_flag(a, VGIC_IRQ_ENABLED);
}

void vgic_write_set_enable(struct vgic_access *a, uint64_t val)
{
	write_flag(a, val, VGIC_IRQ_ENABLED, true);
}

void vgic_write_clear_enable(struct vgic_access *a, uint64_t val)
{
	write_flag(a, val, VGIC_IRQ_ENABLED, false);
}

uint64_t vgic_read_pending(struct vgic_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < irqs_covered(a, 1); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (irq && vgic_irq_is_pending(irq))
			v |= 1ULL << i;
	}
	return v;
}

/* GICv2 SGIs are pended and cleared per source, through [SC]PENDSGIR only. */
static bool v2_sgi(const struct vgic_access *a, unsigned int i)
{
	return a->d->version == 2 && a->intid + i < VGIC_NR_SGIS;
}

void vgic_write_set_pending(struct vgic_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < irqs_covered(a, 1); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (!irq || !(val & (1ULL << i)) || v2_sgi(a, i))
			continue;
		irq->flags |= VGIC_IRQ_PENDING;
		if (irq->lr_owner)
			irq->flags |= VGIC_IRQ_REPEND;
		changed(a, i, irq);
	}
}

void vgic_write_clear_pending(struct vgic_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < irqs_covered(a, 1); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (!irq || !(val & (1ULL << i)) || v2_sgi(a, i))
			continue;
		/* A level interrupt whose line is high stays pending. */
		irq->flags &= (uint16_t)~(VGIC_IRQ_PENDING | VGIC_IRQ_REPEND);
		changed(a, i, irq);
	}
}

uint64_t vgic_read_active(struct vgic_access *a)
{
	return read_flag(a, VGIC_IRQ_ACTIVE);
}

void vgic_write_set_active(struct vgic_access *a, uint64_t val)
{
	write_flag(a, val, VGIC_IRQ_ACTIVE, true);
}

void vgic_write_clear_active(struct vgic_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < irqs_covered(a, 1); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (!irq || !(val & (1ULL << i)))
			continue;
		irq->flags &= (uint16_t)~VGIC_IRQ_ACTIVE;
		irq->active_cpu = 0;
		changed(a, i, irq);
	}
}

/* Priorities keep 5 bits (32 levels), as list registers (v2) and most
 * GICs do; the low bits read as zero, which tells the guest so. */
#define VGIC_PRIO_MASK 0xf8

uint64_t vgic_read_priority(struct vgic_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < irqs_covered(a, 8); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (irq)
			v |= (uint64_t)irq->priority << (8 * i);
	}
	return v;
}

void vgic_write_priority(struct vgic_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < irqs_covered(a, 8); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (!irq)
			continue;
		irq->priority = (uint8_t)(val >> (8 * i)) & VGIC_PRIO_MASK;
		changed(a, i, irq);
	}
}

/* ICFGR: two bits per interrupt, bit 1 set for edge-triggered. */
uint64_t vgic_read_config(struct vgic_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < irqs_covered(a, 2); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		if (irq && (irq->flags & VGIC_IRQ_EDGE))
			v |= 2ULL << (2 * i);
	}
	return v;
}

void vgic_write_config(struct vgic_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < irqs_covered(a, 2); i++) {
		struct vgic_irq *irq = irq_at(a, i);

		/* SGIs are always edge-triggered. */
		if (!irq || a->intid + i < VGIC_NR_SGIS)
			continue;
		if (val & (2ULL << (2 * i)))
			irq->flags |= VGIC_IRQ_EDGE;
		else
			irq->flags &= (uint16_t)~VGIC_IRQ_EDGE;
		changed(a, i, irq);
	}
}
