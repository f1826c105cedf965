/*
 * The vGIC interrupt state machine and list-register choice (see
 * include/arch/vgic_model.h). Pure: no hardware, no locks, unit-tested on
 * the host.
 *
 * An interrupt's pending state is derived (a latch, or the line level of a
 * level-sensitive interrupt), so a device that lowers its line retracts the
 * interrupt without anyone remembering that it had been raised (seed 003).
 * tern rebuilds the list registers at every guest entry from this state
 * and folds the hardware's view back at every exit; between the two, the
 * software state is the whole truth.
 */
#include "include/arch/vgic_model.h"
#include <tern/compiler.h>

static inline uint32_t bit32(unsigned int n)
{
	return (uint32_t)1 << n;
}

void vgic_model_init(struct vgic_dist *d, unsigned int version, unsigned int nr_spis)
{
	d->version = version;
	d->nr_spis = MIN(nr_spis, (unsigned int)VGIC_MAX_SPIS);
	d->nr_cpus = 0;
	d->ctlr = version == 3 ? (GICD_CTLR_ARE | GICD_CTLR_DS) : 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(d->spis); i++) {
		struct vgic_irq *irq = &d->spis[i];

		*irq = (struct vgic_irq){ 0 };
		/* A v3 guest is non-secure group 1 by nature (Linux makes every
		 * interrupt group 1 anyway); GICv2's reset value is group 0. */
		if (version == 3)
			irq->flags |= VGIC_IRQ_GROUP1;
		irq->target = 0; /* IROUTER resets to 0: the vCPU with affinity 0 */
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(d->spi_live); i++)
		d->spi_live[i] = 0;
	d->spi_live_words = 0;
}

void vgic_model_add_cpu(struct vgic_dist *d, struct vgic_cpu *c, unsigned int id,
			uint64_t mpidr)
{
	c->id = id;
	c->mpidr = mpidr;
	c->priv_live = 0;
	c->sleeping = true;
	c->lr_used = 0;
	c->underflow = false;
	for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++) {
		struct vgic_irq *irq = &c->priv[i];

		*irq = (struct vgic_irq){ 0 };
		if (d->version == 3)
			irq->flags |= VGIC_IRQ_GROUP1;
		/* SGIs are edge-triggered and cannot be configured otherwise. */
		if (i < VGIC_NR_SGIS)
			irq->flags |= VGIC_IRQ_EDGE | (d->version == 2 ? VGIC_IRQ_ENABLED : 0);
	}
	if (id < VGIC_MAX_VCPUS) {
		d->cpus[id] = c;
		if (id >= d->nr_cpus)
			d->nr_cpus = id + 1;
	}
	/* Re-resolve IROUTER values naming this vCPU's affinity. */
	for (unsigned int i = 0; i < d->nr_spis; i++)
		if (d->spis[i].route == vgic_pack_affinity(mpidr))
			d->spis[i].target = (uint8_t)id;
}

void vgic_model_reset(struct vgic_dist *d)
{
	unsigned int n = d->nr_cpus;

	vgic_model_init(d, d->version, d->nr_spis);
	for (unsigned int i = 0; i < n; i++)
		if (d->cpus[i])
			vgic_model_add_cpu(d, d->cpus[i], i, d->cpus[i]->mpidr);
}

struct vgic_irq *vgic_get_irq(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return c ? &c->priv[intid] : NULL;
	if (intid - VGIC_NR_PRIVATE < d->nr_spis)
		return &d->spis[intid - VGIC_NR_PRIVATE];
	return NULL;
}

bool vgic_irq_is_pending(const struct vgic_irq *irq)
{
	if (irq->flags & VGIC_IRQ_PENDING)
		return true;
	return (irq->flags & (VGIC_IRQ_LEVEL | VGIC_IRQ_EDGE)) == VGIC_IRQ_LEVEL;
}

bool vgic_group_enabled(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	return d->ctlr & ((irq->flags & VGIC_IRQ_GROUP1) ? GICD_CTLR_ENABLE_G1 : GICD_CTLR_ENABLE_G0);
}

uint32_t vgic_all_cpus(const struct vgic_dist *d)
{
	return d->nr_cpus >= 32 ? ~0u : bit32(d->nr_cpus) - 1;
}

uint32_t vgic_irq_targets(const struct vgic_dist *d, const struct vgic_cpu *c, uint32_t intid,
			  const struct vgic_irq *irq)
{
	if (intid < VGIC_NR_PRIVATE)
		return c ? bit32(c->id) : 0;
	if (d->version == 2)
		return irq->targets & vgic_all_cpus(d);
	if (irq->flags & VGIC_IRQ_IRM)
		return vgic_all_cpus(d); /* 1 of N: the first to flush takes it */
	return irq->target < d->nr_cpus ? bit32(irq->target) : 0;
}

static bool irq_live(const struct vgic_irq *irq)
{
	return vgic_irq_is_pending(irq) || (irq->flags & VGIC_IRQ_ACTIVE) || irq->lr_owner;
}

_Static_assert((VGIC_MAX_SPIS + 31) / 32 <= 32, "spi_live_words: a bit per spi_live word");

uint32_t vgic_irq_changed(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid,
			  struct vgic_irq *irq)
{
	uint32_t *word, b, kick = 0, w = 0;

	if (intid < VGIC_NR_PRIVATE) {
		word = &c->priv_live;
		b = bit32(intid);
	} else {
		w = (intid - VGIC_NR_PRIVATE) / 32;
		word = &d->spi_live[w];
		b = bit32((intid - VGIC_NR_PRIVATE) % 32);
	}
	if (!irq_live(irq)) {
		/* A hardware link lasts as long as the injection it came with. */
		irq->flags &= (uint16_t)~VGIC_IRQ_HW;
		*word &= ~b;
		if (intid >= VGIC_NR_PRIVATE && !*word)
			__atomic_store_n(&d->spi_live_words, d->spi_live_words & ~bit32(w),
					 __ATOMIC_RELAXED);
		return 0;
	}
	*word |= b;
	if (intid >= VGIC_NR_PRIVATE)
		__atomic_store_n(&d->spi_live_words, d->spi_live_words | bit32(w), __ATOMIC_RELAXED);
	if (irq->lr_owner)
		kick |= bit32(irq->lr_owner - 1u);
	if (irq->active_cpu)
		kick |= bit32(irq->active_cpu - 1u);
	if (vgic_irq_is_pending(irq) && (irq->flags & VGIC_IRQ_ENABLED) &&
	    vgic_group_enabled(d, irq))
		kick |= vgic_irq_targets(d, c, intid, irq);
	return kick;
}

/* Latch pending; one that is in a list register right now is remembered as
 * pending again, so acknowledging the earlier edge does not consume it. */
static void latch(struct vgic_irq *irq)
{
	irq->flags |= VGIC_IRQ_PENDING;
	if (irq->lr_owner)
		irq->flags |= VGIC_IRQ_REPEND;
}

uint32_t vgic_model_set_level(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid, bool level)
{
	struct vgic_irq *irq = vgic_get_irq(d, c, intid);
	bool was;

	if (!irq || intid < VGIC_NR_SGIS)
		return 0;
	was = irq->flags & VGIC_IRQ_LEVEL;
	if (was == level)
		return 0; /* only changes matter */
	if (level) {
		irq->flags |= VGIC_IRQ_LEVEL;
		if (irq->flags & VGIC_IRQ_EDGE)
			latch(irq);
	} else {
		irq->flags &= ~VGIC_IRQ_LEVEL;
	}
	return vgic_irq_changed(d, c, intid, irq);
}

uint32_t vgic_model_raise(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid,
			  unsigned int source)
{
	struct vgic_irq *irq = vgic_get_irq(d, c, intid);

	if (!irq)
		return 0;
	if (d->version == 2 && intid < VGIC_NR_SGIS) {
		/* A GICv2 SGI is pending per source; the guest reads the
		 * source from GICC_IAR. */
		if (source >= VGIC_V2_MAX_VCPUS)
			return 0;
		irq->sources |= (uint8_t)bit32(source);
	}
	latch(irq);
	return vgic_irq_changed(d, c, intid, irq);
}

uint32_t vgic_model_inject_hw(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid,
			      uint32_t phys_intid)
{
	struct vgic_irq *irq = vgic_get_irq(d, c, intid);

	if (!irq || intid >= VGIC_NR_PRIVATE)
		return 0;
	irq->flags |= VGIC_IRQ_HW;
	irq->hw_intid = (uint16_t)phys_intid;
	latch(irq);
	return vgic_irq_changed(d, c, intid, irq);
}

uint32_t vgic_model_retract_hw(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid)
{
	struct vgic_irq *irq = vgic_get_irq(d, c, intid);

	if (!irq || !(irq->flags & VGIC_IRQ_HW) || (irq->flags & VGIC_IRQ_ACTIVE))
		return 0;
	irq->flags &= (uint16_t)~(VGIC_IRQ_PENDING | VGIC_IRQ_REPEND);
	return vgic_irq_changed(d, c, intid, irq);
}

bool vgic_model_busy(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid)
{
	struct vgic_irq *irq = vgic_get_irq(d, c, intid);

	return irq && irq_live(irq);
}

/* ---- Choosing the list registers ----------------------------------------- */

/* Whether c may hold irq in a list register, and in which state. */
static bool eligible(struct vgic_dist *d, struct vgic_cpu *c, uint32_t intid,
		     const struct vgic_irq *irq, bool *pending, bool *active)
{
	unsigned int me = c->id + 1;

	if (irq->lr_owner && irq->lr_owner != me)
		return false;
	*active = irq->flags & VGIC_IRQ_ACTIVE;
	*pending = vgic_irq_is_pending(irq) && (irq->flags & VGIC_IRQ_ENABLED) &&
		   vgic_group_enabled(d, irq);
	/* An SPI is deactivated where it was acknowledged. */
	if (*active && intid >= VGIC_NR_PRIVATE && irq->active_cpu && irq->active_cpu != me)
		return false;
	if (*pending && !*active && !(vgic_irq_targets(d, c, intid, irq) & bit32(c->id)))
		*pending = false;
	/* A HW interrupt's pending state lives in the physical GIC once it is
	 * active: never pending and active in a list register. */
	if (*active && (irq->flags & VGIC_IRQ_HW))
		*pending = false;
	return *pending || *active;
}

/* Sort key: active first, then priority, then INTID (lower wins). */
static uint64_t lr_key(const struct vgic_irq *irq, bool active, uint32_t intid)
{
	return ((uint64_t)!active << 40) | ((uint64_t)irq->priority << 32) | intid;
}

struct pick {
	uint64_t key;
	uint32_t intid;
	bool pending, active;
};

static void consider(struct pick *best, unsigned int *nbest, unsigned int nr_lrs,
		     unsigned int *total, uint32_t intid, const struct vgic_irq *irq, bool pending,
		     bool active)
{
	uint64_t key = lr_key(irq, active, intid);
	unsigned int i;

	(*total)++;
	if (*nbest == nr_lrs && key >= best[nr_lrs - 1].key)
		return;
	/* Insertion into a small sorted array: nr_lrs is 4 on most GICs. */
	i = *nbest < nr_lrs ? (*nbest)++ : nr_lrs - 1;
	while (i > 0 && best[i - 1].key > key) {
		best[i] = best[i - 1];
		i--;
	}
	best[i] = (struct pick){ key, intid, pending, active };
}

static void scan_word(struct vgic_dist *d, struct vgic_cpu *c, uint32_t live, uint32_t base,
		      struct pick *best, unsigned int *nbest, unsigned int nr_lrs,
		      unsigned int *total)
{
	while (live) {
		uint32_t intid = base + (uint32_t)__builtin_ctz(live);
		struct vgic_irq *irq = vgic_get_irq(d, c, intid);
		bool pending, active;

		live &= live - 1;
		if (irq && eligible(d, c, intid, irq, &pending, &active))
			consider(best, nbest, nr_lrs, total, intid, irq, pending, active);
	}
}

unsigned int vgic_model_flush(struct vgic_dist *d, struct vgic_cpu *c, unsigned int nr_lrs)
{
	struct pick best[VGIC_MAX_LRS];
	unsigned int nbest = 0, total = 0;

	nr_lrs = MIN(nr_lrs, (unsigned int)VGIC_MAX_LRS);
	if (nr_lrs == 0) {
		c->lr_used = 0;
		c->underflow = false;
		return 0;
	}
	scan_word(d, c, c->priv_live, 0, best, &nbest, nr_lrs, &total);
	/* Only the SPI words holding a live interrupt: one bit each in
	 * spi_live_words, so a GIC with 988 SPIs costs no more than one with
	 * 32 when a single interrupt is in flight. */
	for (uint32_t words = d->spi_live_words; words; words &= words - 1) {
		unsigned int w = (unsigned int)__builtin_ctz(words);

		scan_word(d, c, d->spi_live[w], VGIC_NR_PRIVATE + w * 32, best, &nbest, nr_lrs,
			  &total);
	}

	for (unsigned int i = 0; i < nbest; i++) {
		struct vgic_irq *irq = vgic_get_irq(d, c, best[i].intid);
		struct vgic_lr *lr = &c->lrs[i];
		bool hw = irq->flags & VGIC_IRQ_HW;

		*lr = (struct vgic_lr){
			.intid = best[i].intid,
			.hw_intid = hw ? irq->hw_intid : 0,
			.priority = irq->priority,
			.pending = best[i].pending,
			.active = best[i].active,
			.group1 = irq->flags & VGIC_IRQ_GROUP1,
			.hw = hw,
			/* Level interrupts come back at EOI (maintenance), so
			 * tern sees them handled and the line is looked at again. */
			.eoi = !hw && !(irq->flags & VGIC_IRQ_EDGE),
		};
		if (d->version == 2 && best[i].intid < VGIC_NR_SGIS && irq->sources)
			lr->source = (uint8_t)__builtin_ctz(irq->sources);
		irq->lr_owner = (uint8_t)(c->id + 1);
	}
	c->lr_used = nbest;
	c->underflow = total > nbest;
	return nbest;
}

uint32_t vgic_model_sync_lr(struct vgic_dist *d, struct vgic_cpu *c, unsigned int i,
			    const struct vgic_lr *lr, bool *hw_done)
{
	const struct vgic_lr *was = &c->lrs[i];
	struct vgic_irq *irq = vgic_get_irq(d, c, was->intid);
	bool v2_sgi = d->version == 2 && was->intid < VGIC_NR_SGIS;

	if (!irq || irq->lr_owner != c->id + 1)
		return 0;
	irq->lr_owner = 0;
	/* The guest acknowledged it: the pending state it was given is used
	 * up, unless it was raised again meanwhile. */
	if (was->pending && !lr->pending && !(irq->flags & VGIC_IRQ_REPEND)) {
		if (v2_sgi)
			irq->sources &= (uint8_t)~bit32(was->source);
		if (!v2_sgi || !irq->sources)
			irq->flags &= ~VGIC_IRQ_PENDING;
	}
	irq->flags &= ~VGIC_IRQ_REPEND;
	if (lr->active) {
		irq->flags |= VGIC_IRQ_ACTIVE;
		irq->active_cpu = (uint8_t)(c->id + 1);
	} else {
		irq->flags &= ~VGIC_IRQ_ACTIVE;
		irq->active_cpu = 0;
	}
	if (was->hw && !lr->active && !lr->pending) {
		/* Deactivated by the guest, and with it the physical
		 * interrupt: the physical GIC holds its state from now on. */
		irq->flags &= (uint16_t)~(VGIC_IRQ_HW | VGIC_IRQ_PENDING);
		if (hw_done)
			*hw_done = true;
	}
	return vgic_irq_changed(d, c, was->intid, irq) & ~bit32(c->id);
}

bool vgic_model_has_pending(struct vgic_dist *d, struct vgic_cpu *c)
{
	uint32_t live = c->priv_live;

	while (live) {
		uint32_t intid = (uint32_t)__builtin_ctz(live);
		bool pending, active;

		live &= live - 1;
		if (eligible(d, c, intid, &c->priv[intid], &pending, &active) && pending)
			return true;
	}
	for (uint32_t words = d->spi_live_words; words; words &= words - 1) {
		unsigned int w = (unsigned int)__builtin_ctz(words);

		live = d->spi_live[w];
		while (live) {
			uint32_t intid = VGIC_NR_PRIVATE + w * 32 + (uint32_t)__builtin_ctz(live);
			bool pending, active;

			live &= live - 1;
			if (eligible(d, c, intid, vgic_get_irq(d, c, intid), &pending, &active) &&
			    pending)
				return true;
		}
	}
	return false;
}
