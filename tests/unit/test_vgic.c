/*
 * Host unit tests of the vGIC register models and interrupt state machine
 * (arch/arm64/vgic_model.c, vgic_lr.c, vgic_route.c, vgic_regs.c,
 * vgic_v3_regs.c, vgic_v2_regs.c) and the timer line (vtimer_line.c):
 * register reads after writes, width rules, ID values, routing, SGI
 * decoding, list-register choice and folding back, and the virtual timer's
 * level tracking.
 */
#include <stdlib.h>
#include "test.h"
#include "../../arch/arm64/include/arch/vgic_model.h"

struct fixture {
	struct vgic_dist d;
	struct vgic_cpu c[4];
};

/* vCPU i has the virtual MPIDR tern gives it: Aff0 = i & 0xf, Aff1 = i >> 4. */
static struct fixture *setup(unsigned int version, unsigned int nr_spis, unsigned int ncpu)
{
	struct fixture *f = calloc(1, sizeof(*f));

	vgic_model_init(&f->d, version, nr_spis);
	for (unsigned int i = 0; i < ncpu; i++)
		vgic_model_add_cpu(&f->d, &f->c[i], i, (i & 0xf) | ((uint64_t)(i >> 4) << 8));
	return f;
}

static uint64_t rd(struct fixture *f, int v, unsigned int cpu, uint64_t off, unsigned int size)
{
	struct vgic_access a = { .d = &f->d, .c = &f->c[cpu], .src = &f->c[cpu], .size = size };
	uint64_t val = 0xdeadbeef;

	if (v == 3)
		vgic_v3_dist_access(&a, off, false, &val);
	else if (v == 2)
		vgic_v2_dist_access(&a, off, false, &val);
	else
		vgic_v3_redist_access(&a, off, false, &val);
	return val;
}

/* Returns the kick mask the write produced. */
static uint32_t wr(struct fixture *f, int v, unsigned int cpu, uint64_t off, unsigned int size,
		   uint64_t val)
{
	struct vgic_access a = { .d = &f->d, .c = &f->c[cpu], .src = &f->c[cpu], .size = size };

	if (v == 3)
		vgic_v3_dist_access(&a, off, true, &val);
	else if (v == 2)
		vgic_v2_dist_access(&a, off, true, &val);
	else
		vgic_v3_redist_access(&a, off, true, &val);
	return a.kick;
}

#define GICD 3
#define GICD2 2
#define GICR 0
#define SGI 0x10000

/* Fold list registers back as if the guest had left them in state lrs[]. */
static uint32_t sync_all(struct fixture *f, unsigned int cpu, const struct vgic_lr *lrs,
			 bool *hw_done)
{
	uint32_t kick = 0;

	for (unsigned int i = 0; i < f->c[cpu].lr_used; i++)
		kick |= vgic_model_sync_lr(&f->d, &f->c[cpu], i, &lrs[i], hw_done);
	f->c[cpu].lr_used = 0;
	return kick;
}

/* Give the guest's view back unchanged (nothing acknowledged). */
static void sync_unchanged(struct fixture *f, unsigned int cpu)
{
	struct vgic_lr copy[VGIC_MAX_LRS];

	memcpy(copy, f->c[cpu].lrs, sizeof(copy));
	sync_all(f, cpu, copy, NULL);
}

TEST(vgic_v3_gicd_ids)
{
	struct fixture *f = setup(3, 256, 4);

	/* 288 INTIDs: ITLinesNumber 8; IDbits 9 (10 bits); no LPIS/MBIS. */
	CHECK_EQ(rd(f, GICD, 0, 0x4, 4), 8 | (9u << 19));
	CHECK_EQ(rd(f, GICD, 0, 0x4, 4) & ((1u << 17) | (1u << 16)), 0);
	CHECK_EQ(rd(f, GICD, 0, 0x8, 4), VGIC_IIDR);
	CHECK_EQ(rd(f, GICD, 0, 0xc, 4), 0);        /* TYPER2 */
	CHECK_EQ(rd(f, GICD, 0, 0xffe8, 4) >> 4 & 0xf, 3); /* PIDR2.ArchRev */
	CHECK_EQ(rd(f, GICR, 0, 0xffe8, 4) >> 4 & 0xf, 3);
	CHECK_EQ(rd(f, GICR, 0, 0x4, 4), VGIC_IIDR);
	CHECK_EQ(rd(f, GICD, 0, 0x10, 4), 0);       /* STATUSR RAZ */
	/* Reset CTLR: ARE and DS, groups off. Linux writes ARE_NS|G1A|G1. */
	CHECK_EQ(rd(f, GICD, 0, 0, 4), GICD_CTLR_ARE | GICD_CTLR_DS);
	wr(f, GICD, 0, 0, 4, 0);
	CHECK_EQ(rd(f, GICD, 0, 0, 4), GICD_CTLR_ARE | GICD_CTLR_DS);
	wr(f, GICD, 0, 0, 4, 0x13);
	CHECK_EQ(rd(f, GICD, 0, 0, 4), 0x53);
	CHECK_EQ(rd(f, GICD, 0, 0, 4) >> 31, 0);     /* RWP never busy */
	free(f);
}

TEST(vgic_v3_gicd_enable_pending_active)
{
	struct fixture *f = setup(3, 64, 2);

	/* Word 1 covers SPIs 32-63. */
	wr(f, GICD, 0, 0x104, 4, 0x80000001);
	CHECK_EQ(rd(f, GICD, 0, 0x104, 4), 0x80000001);
	CHECK_EQ(rd(f, GICD, 0, 0x184, 4), 0x80000001);
	wr(f, GICD, 0, 0x184, 4, 0x1);
	CHECK_EQ(rd(f, GICD, 0, 0x104, 4), 0x80000000);
	/* Under ARE the distributor's word 0 (SGIs/PPIs) is RAZ/WI. */
	wr(f, GICD, 0, 0x100, 4, ~0u);
	CHECK_EQ(rd(f, GICD, 0, 0x100, 4), 0);
	CHECK_EQ(f->c[0].priv[5].flags & VGIC_IRQ_ENABLED, 0);
	/* Beyond the SPIs exposed: RAZ/WI. */
	wr(f, GICD, 0, 0x10c, 4, ~0u);
	CHECK_EQ(rd(f, GICD, 0, 0x10c, 4), 0);
	/* Pending and active set/clear. */
	wr(f, GICD, 0, 0x204, 4, 0x6);
	CHECK_EQ(rd(f, GICD, 0, 0x204, 4), 0x6);
	CHECK_EQ(rd(f, GICD, 0, 0x284, 4), 0x6);
	wr(f, GICD, 0, 0x284, 4, 0x2);
	CHECK_EQ(rd(f, GICD, 0, 0x204, 4), 0x4);
	wr(f, GICD, 0, 0x304, 4, 0x10);
	CHECK_EQ(rd(f, GICD, 0, 0x304, 4), 0x10);
	wr(f, GICD, 0, 0x384, 4, 0x10);
	CHECK_EQ(rd(f, GICD, 0, 0x384, 4), 0);
	/* Groups: reset to group 1 on v3; Linux writes ~0 anyway. */
	CHECK_EQ(rd(f, GICD, 0, 0x84, 4), ~0u);
	wr(f, GICD, 0, 0x84, 4, 0xfffffffe);
	CHECK_EQ(rd(f, GICD, 0, 0x84, 4), 0xfffffffe);
	free(f);
}

TEST(vgic_access_widths)
{
	struct fixture *f = setup(3, 64, 1);

	/* IPRIORITYR takes bytes and words; 5 priority bits are kept. */
	wr(f, GICD, 0, 0x420, 4, 0xa0a0a0a0);
	CHECK_EQ(rd(f, GICD, 0, 0x420, 4), 0xa0a0a0a0);
	wr(f, GICD, 0, 0x421, 1, 0x47);
	CHECK_EQ(rd(f, GICD, 0, 0x421, 1), 0x40);
	CHECK_EQ(rd(f, GICD, 0, 0x420, 4), 0xa0a040a0);
	CHECK_EQ(f->d.spis[1].priority, 0x40);
	/* Enable registers are word-only: a byte write is ignored, a byte
	 * read is zero. */
	wr(f, GICD, 0, 0x104, 1, 0xff);
	CHECK_EQ(rd(f, GICD, 0, 0x104, 4), 0);
	wr(f, GICD, 0, 0x104, 4, 0xff);
	CHECK_EQ(rd(f, GICD, 0, 0x104, 1), 0);
	/* Halfwords are never allowed; misaligned words are ignored. */
	wr(f, GICD, 0, 0x420, 2, 0);
	CHECK_EQ(rd(f, GICD, 0, 0x420, 2), 0);
	CHECK_EQ(rd(f, GICD, 0, 0x420, 4), 0xa0a040a0);
	wr(f, GICD, 0, 0x422, 4, 0);
	CHECK_EQ(rd(f, GICD, 0, 0x420, 4), 0xa0a040a0);
	/* Reserved offsets read zero. */
	CHECK_EQ(rd(f, GICD, 0, 0x5000, 4), 0);
	/* ICFGR: SPIs configurable, bit 0 of each field reads 0. */
	wr(f, GICD, 0, 0xc08, 4, 0xffffffff);
	CHECK_EQ(rd(f, GICD, 0, 0xc08, 4), 0xaaaaaaaa);
	CHECK(f->d.spis[0].flags & VGIC_IRQ_EDGE);
	free(f);
}

TEST(vgic_v3_irouter)
{
	struct fixture *f = setup(3, 64, 4);
	uint64_t irouter33 = 0x6000 + 8 * 33;

	/* Reset: vCPU 0. */
	CHECK_EQ(rd(f, GICD, 0, irouter33, 8), 0);
	CHECK_EQ(f->d.spis[1].target, 0);
	wr(f, GICD, 0, irouter33, 8, 2);
	CHECK_EQ(rd(f, GICD, 0, irouter33, 8), 2);
	CHECK_EQ(f->d.spis[1].target, 2);
	/* 32-bit halves. */
	wr(f, GICD, 0, irouter33, 4, 3);
	CHECK_EQ(rd(f, GICD, 0, irouter33, 4), 3);
	CHECK_EQ(f->d.spis[1].target, 3);
	wr(f, GICD, 0, irouter33 + 4, 4, 0x5);   /* Aff3 = 5: nobody */
	CHECK_EQ(rd(f, GICD, 0, irouter33, 8), 0x500000003ULL);
	CHECK_EQ(f->d.spis[1].target, VGIC_NO_TARGET);
	/* IRM: any vCPU. */
	wr(f, GICD, 0, irouter33, 8, 1ULL << 31);
	CHECK_EQ(rd(f, GICD, 0, irouter33, 8), 1ULL << 31);
	CHECK_EQ(vgic_irq_targets(&f->d, NULL, 33, &f->d.spis[1]), 0xf);
	/* IROUTER of a private INTID is reserved under ARE. */
	wr(f, GICD, 0, 0x6000 + 8 * 5, 8, 1);
	CHECK_EQ(rd(f, GICD, 0, 0x6000 + 8 * 5, 8), 0);
	free(f);
}

TEST(vgic_v3_gicr)
{
	struct fixture *f = setup(3, 32, 3);

	/* Affinity in 63:32, processor number, Last only on the last frame. */
	CHECK_EQ(rd(f, GICR, 0, 0x8, 8), 0);
	CHECK_EQ(rd(f, GICR, 1, 0x8, 8), (1ULL << 32) | (1u << 8));
	CHECK_EQ(rd(f, GICR, 2, 0x8, 8), (2ULL << 32) | (2u << 8) | (1u << 4));
	CHECK_EQ(rd(f, GICR, 2, 0xc, 4), 2);          /* upper half alone */
	CHECK_EQ(rd(f, GICR, 2, 0x8, 8) & 1, 0);      /* PLPIS: no LPIs */
	/* WAKER handshake: asleep at reset, awake once asked. */
	CHECK_EQ(rd(f, GICR, 1, 0x14, 4), 6);
	wr(f, GICR, 1, 0x14, 4, 0);
	CHECK_EQ(rd(f, GICR, 1, 0x14, 4), 0);
	CHECK_EQ(rd(f, GICR, 0, 0x14, 4), 6);          /* others untouched */
	/* LPI registers are RAZ/WI. */
	wr(f, GICR, 0, 0x70, 8, 0x12345000);
	CHECK_EQ(rd(f, GICR, 0, 0x70, 8), 0);
	CHECK_EQ(rd(f, GICR, 0, 0x0, 4), 0);
	/* SGI frame: per-vCPU banks. */
	wr(f, GICR, 1, SGI + 0x100, 4, 0x0800ffff);   /* SGIs + PPI 27 */
	CHECK_EQ(rd(f, GICR, 1, SGI + 0x100, 4), 0x0800ffff);
	CHECK_EQ(rd(f, GICR, 0, SGI + 0x100, 4), 0);
	wr(f, GICR, 1, SGI + 0x180, 4, 0xffff0000);
	CHECK_EQ(rd(f, GICR, 1, SGI + 0x100, 4), 0xffff);
	CHECK_EQ(rd(f, GICR, 1, SGI + 0x80, 4), ~0u);
	wr(f, GICR, 1, SGI + 0x41b, 1, 0xa0);
	CHECK_EQ(f->c[1].priv[27].priority, 0xa0);
	CHECK_EQ(rd(f, GICR, 1, SGI + 0x418, 4), 0xa0000000);
	/* SGIs are edge and fixed; PPIs configurable. */
	CHECK_EQ(rd(f, GICR, 1, SGI + 0xc00, 4), 0xaaaaaaaa);
	wr(f, GICR, 1, SGI + 0xc00, 4, 0);
	CHECK_EQ(rd(f, GICR, 1, SGI + 0xc00, 4), 0xaaaaaaaa);
	CHECK_EQ(rd(f, GICR, 1, SGI + 0xc04, 4), 0);
	wr(f, GICR, 1, SGI + 0xc04, 4, 0x2);
	CHECK_EQ(rd(f, GICR, 1, SGI + 0xc04, 4), 0x2);
	/* Pending an SGI through ISPENDR0 works on v3. */
	wr(f, GICR, 2, SGI + 0x200, 4, 0x8);
	CHECK_EQ(rd(f, GICR, 2, SGI + 0x200, 4), 0x8);
	free(f);
}

TEST(vgic_v3_sgi1r_decode)
{
	struct fixture *f = setup(3, 32, 4);
	uint32_t intid;

	/* SGI 3 to Aff0 1 and 3 in cluster 0.0.0. */
	CHECK_EQ(vgic_v3_sgi1r_targets(&f->d, 0, (3ULL << 24) | 0xa, &intid), 0xa);
	CHECK_EQ(intid, 3);
	/* Aff1 = 1: nobody there. */
	CHECK_EQ(vgic_v3_sgi1r_targets(&f->d, 0, (1ULL << 16) | 0xf, &intid), 0);
	/* RS = 1 covers Aff0 16-31: nobody. */
	CHECK_EQ(vgic_v3_sgi1r_targets(&f->d, 0, (1ULL << 44) | 1, &intid), 0);
	/* IRM: all but the sender. */
	CHECK_EQ(vgic_v3_sgi1r_targets(&f->d, 2, (1ULL << 40) | (15ULL << 24), &intid), 0xb);
	CHECK_EQ(intid, 15);
	/* Sending pends the SGI on each target and asks to kick it. */
	CHECK_EQ(vgic_model_send_sgi(&f->d, 0, 0x6, 1), 0);  /* not enabled yet */
	CHECK(vgic_irq_is_pending(&f->c[1].priv[1]));
	CHECK(vgic_irq_is_pending(&f->c[2].priv[1]));
	CHECK(!vgic_irq_is_pending(&f->c[0].priv[1]));
	wr(f, GICD, 0, 0, 4, 0x13);
	wr(f, GICR, 3, SGI + 0x100, 4, 0xffff);
	CHECK_EQ(vgic_model_send_sgi(&f->d, 0, 0x8, 1), 0x8);
	free(f);
}

/* vCPU 0 with SPIs 32.. enabled, group 1, groups on. */
static struct fixture *v3_ready(unsigned int ncpu)
{
	struct fixture *f = setup(3, 64, ncpu);

	wr(f, GICD, 0, 0, 4, 0x13);
	wr(f, GICD, 0, 0x104, 4, ~0u);
	wr(f, GICD, 0, 0x108, 4, ~0u);
	for (unsigned int i = 0; i < ncpu; i++)
		wr(f, GICR, i, SGI + 0x100, 4, ~0u);
	return f;
}

TEST(vgic_flush_priority_and_overflow)
{
	struct fixture *f = v3_ready(1);
	struct vgic_dist *d = &f->d;
	struct vgic_cpu *c = &f->c[0];
	uint8_t prio[6] = { 0xa0, 0x80, 0xa0, 0x40, 0xf0, 0x80 };

	for (unsigned int i = 0; i < 6; i++) {
		wr(f, GICD, 0, 0x400 + 40 + i, 1, prio[i]);
		CHECK_EQ(vgic_model_raise(d, NULL, 40 + i, 0), 1);
	}
	CHECK(vgic_model_has_pending(d, c));
	/* Four list registers: 43 (0x40), then 41 and 45 (0x80, by INTID),
	 * then 40 (0xa0). 42 and 44 stay queued: underflow wanted. */
	CHECK_EQ(vgic_model_flush(d, c, 4), 4);
	CHECK_EQ(c->lrs[0].intid, 43);
	CHECK_EQ(c->lrs[1].intid, 41);
	CHECK_EQ(c->lrs[2].intid, 45);
	CHECK_EQ(c->lrs[3].intid, 40);
	CHECK(c->underflow);
	CHECK(c->lrs[0].pending && !c->lrs[0].active && c->lrs[0].group1);
	CHECK(c->lrs[0].eoi); /* level-sensitive (ICFGR reset): EOI maintenance */
	CHECK_EQ(d->spis[43 - 32].lr_owner, 1);

	/* The guest took all four: 43 still active, the others done. */
	struct vgic_lr back[4];
	memcpy(back, c->lrs, sizeof(back));
	back[0].pending = false;
	back[0].active = true;
	for (unsigned int i = 1; i < 4; i++)
		back[i].pending = back[i].active = false;
	sync_all(f, 0, back, NULL);
	CHECK_EQ(d->spis[43 - 32].lr_owner, 0);
	CHECK(d->spis[43 - 32].flags & VGIC_IRQ_ACTIVE);
	CHECK(!vgic_irq_is_pending(&d->spis[41 - 32]));
	/* Next entry: the active one first, then the queued two. */
	CHECK_EQ(vgic_model_flush(d, c, 4), 3);
	CHECK_EQ(c->lrs[0].intid, 43);
	CHECK(c->lrs[0].active && !c->lrs[0].pending);
	CHECK_EQ(c->lrs[1].intid, 42);
	CHECK_EQ(c->lrs[2].intid, 44);
	CHECK(!c->underflow);
	free(f);
}

TEST(vgic_flush_filters)
{
	struct fixture *f = v3_ready(2);
	struct vgic_dist *d = &f->d;

	/* Disabled, group-disabled and other-vCPU interrupts are not taken. */
	wr(f, GICD, 0, 0x184, 4, 1);                /* disable 32 */
	vgic_model_raise(d, NULL, 32, 0);
	CHECK_EQ(vgic_model_flush(d, &f->c[0], 4), 0);
	CHECK(!vgic_model_has_pending(d, &f->c[0]));
	/* Enabling it asks to kick its target. */
	CHECK_EQ(wr(f, GICD, 0, 0x104, 4, 1), 1);
	CHECK(vgic_model_has_pending(d, &f->c[0]));
	/* Routed to vCPU 1 now: only vCPU 1 takes it. */
	CHECK_EQ(wr(f, GICD, 0, 0x6000 + 8 * 32, 8, 1), 2);
	CHECK_EQ(vgic_model_flush(d, &f->c[0], 4), 0);
	CHECK_EQ(vgic_model_flush(d, &f->c[1], 4), 1);
	/* Group 1 off: nothing is forwarded. */
	sync_unchanged(f, 1);
	wr(f, GICD, 0, 0, 4, 0x1);
	CHECK_EQ(vgic_model_flush(d, &f->c[1], 4), 0);
	free(f);
}

TEST(vgic_level_interrupt_cycle)
{
	struct fixture *f = v3_ready(1);
	struct vgic_dist *d = &f->d;
	struct vgic_cpu *c = &f->c[0];
	struct vgic_lr back;

	CHECK_EQ(vgic_model_set_level(d, NULL, 33, true), 1);
	CHECK_EQ(vgic_model_set_level(d, NULL, 33, true), 0); /* no change, no kick */
	CHECK_EQ(d->spi_live[0], 2);
	CHECK_EQ(d->spi_live_words, 1); /* an entry's one-load check sees it */
	CHECK_EQ(vgic_model_flush(d, c, 4), 1);
	CHECK(c->lrs[0].eoi && c->lrs[0].pending); /* level: EOI maintenance */
	/* Acknowledged; line still high: active and pending next time. */
	back = c->lrs[0];
	back.pending = false;
	back.active = true;
	sync_all(f, 0, &back, NULL);
	CHECK_EQ(vgic_model_flush(d, c, 4), 1);
	CHECK(c->lrs[0].active && c->lrs[0].pending);
	/* The device lowers its line while the guest handles it. */
	sync_unchanged(f, 0);
	vgic_model_set_level(d, NULL, 33, false);
	CHECK_EQ(vgic_model_flush(d, c, 4), 1);
	CHECK(c->lrs[0].active && !c->lrs[0].pending);
	/* EOI: invalid; nothing left, the live bit goes. */
	back = c->lrs[0];
	back.active = false;
	sync_all(f, 0, &back, NULL);
	CHECK_EQ(vgic_model_flush(d, c, 4), 0);
	CHECK_EQ(d->spi_live[0], 0);
	CHECK_EQ(d->spi_live_words, 0);
	CHECK(!vgic_model_busy(d, c, 33));
	/* Words are tracked apart: SPI 80 (word 1) and 33 (word 0). */
	vgic_model_set_level(d, NULL, 80, true);
	CHECK_EQ(d->spi_live_words, 2);
	vgic_model_set_level(d, NULL, 33, true);
	CHECK_EQ(d->spi_live_words, 3);
	vgic_model_set_level(d, NULL, 80, false); /* never taken: not live any more */
	CHECK_EQ(d->spi_live_words, 1);
	free(f);
}

TEST(vgic_edge_raised_again_in_lr)
{
	struct fixture *f = v3_ready(1);
	struct vgic_dist *d = &f->d;
	struct vgic_cpu *c = &f->c[0];
	struct vgic_lr back;

	wr(f, GICD, 0, 0xc10, 4, 0x2); /* SPI 64 edge */
	vgic_model_set_level(d, NULL, 64, true);
	vgic_model_set_level(d, NULL, 64, false);
	CHECK(vgic_irq_is_pending(&d->spis[32]));
	CHECK_EQ(vgic_model_flush(d, c, 4), 1);
	/* A second edge while the first sits in the list register. */
	vgic_model_set_level(d, NULL, 64, true);
	back = c->lrs[0];
	back.pending = false;
	back.active = true;
	sync_all(f, 0, &back, NULL);
	CHECK(vgic_irq_is_pending(&d->spis[32]));   /* not lost */
	CHECK(d->spis[32].flags & VGIC_IRQ_ACTIVE);
	free(f);
}

TEST(vgic_hw_linked)
{
	struct fixture *f = v3_ready(1);
	struct vgic_dist *d = &f->d;
	struct vgic_cpu *c = &f->c[0];
	struct vgic_lr back;
	bool done = false;

	CHECK_EQ(vgic_model_inject_hw(d, c, 27, 27), 1);
	CHECK(vgic_model_busy(d, c, 27));
	CHECK_EQ(vgic_model_flush(d, c, 4), 1);
	CHECK(c->lrs[0].hw && c->lrs[0].hw_intid == 27 && !c->lrs[0].eoi);
	/* Acknowledged: active only, even if raised again (the physical
	 * interrupt keeps the pending state). */
	back = c->lrs[0];
	back.pending = false;
	back.active = true;
	sync_all(f, 0, &back, &done);
	CHECK(!done);
	CHECK_EQ(vgic_model_flush(d, c, 4), 1);
	CHECK(c->lrs[0].active && !c->lrs[0].pending && c->lrs[0].hw);
	/* Deactivated by the guest. */
	back = c->lrs[0];
	back.active = false;
	sync_all(f, 0, &back, &done);
	CHECK(done);
	CHECK(!vgic_model_busy(d, c, 27));
	/* Retract before the guest took it. */
	vgic_model_inject_hw(d, c, 27, 27);
	vgic_model_retract_hw(d, c, 27);
	CHECK(!vgic_model_busy(d, c, 27));
	CHECK(!(c->priv[27].flags & VGIC_IRQ_HW)); /* the link ends with the injection */
	free(f);
}

TEST(vgic_lr_encodings)
{
	struct vgic_lr in = { .intid = 27, .hw_intid = 27, .priority = 0xa0, .pending = true,
			      .group1 = true, .hw = true }, out;

	/* ICH_LR: state 01, HW, group 1, priority, pINTID. */
	CHECK_EQ(vgic_lr_encode_v3(&in),
		 (1ULL << 62) | (1ULL << 61) | (1ULL << 60) | (0xa0ULL << 48) | (27ULL << 32) | 27);
	vgic_lr_decode_v3(vgic_lr_encode_v3(&in), &out);
	CHECK(out.intid == 27 && out.hw && out.hw_intid == 27 && out.pending && !out.active &&
	      out.group1 && out.priority == 0xa0);
	in = (struct vgic_lr){ .intid = 40, .priority = 0x80, .active = true, .pending = true,
			       .eoi = true };
	CHECK_EQ(vgic_lr_encode_v3(&in), (3ULL << 62) | (0x80ULL << 48) | (1ULL << 41) | 40);
	/* GICH_LR: 5-bit priority at 27:23, EOI bit 19, SGI source 12:10. */
	in = (struct vgic_lr){ .intid = 3, .priority = 0xa0, .pending = true, .source = 2 };
	CHECK_EQ(vgic_lr_encode_v2(&in), (1u << 28) | (0x14u << 23) | (2u << 10) | 3);
	vgic_lr_decode_v2(vgic_lr_encode_v2(&in), &out);
	CHECK(out.intid == 3 && out.source == 2 && out.priority == 0xa0 && out.pending);
	in = (struct vgic_lr){ .intid = 27, .hw = true, .hw_intid = 27, .active = true };
	CHECK_EQ(vgic_lr_encode_v2(&in), (1u << 31) | (2u << 28) | (27u << 10) | 27);
}

TEST(vgic_v2_gicd)
{
	struct fixture *f = setup(2, 64, 3);

	CHECK_EQ(rd(f, GICD2, 0, 0x4, 4), 2 | (2u << 5)); /* 96 INTIDs, 3 CPUs */
	CHECK_EQ(rd(f, GICD2, 0, 0x8, 4), VGIC_IIDR);
	CHECK_EQ(rd(f, GICD2, 0, 0xfe8, 4) >> 4 & 0xf, 2);
	/* ITARGETSR0-7 name the reader; byte reads too. */
	CHECK_EQ(rd(f, GICD2, 0, 0x800, 4), 0x01010101);
	CHECK_EQ(rd(f, GICD2, 2, 0x81c, 4), 0x04040404);
	CHECK_EQ(rd(f, GICD2, 1, 0x803, 1), 0x02);
	wr(f, GICD2, 1, 0x800, 4, 0);
	CHECK_EQ(rd(f, GICD2, 1, 0x800, 4), 0x02020202);
	/* SPI targets: bytes, masked to CPUs that exist. */
	wr(f, GICD2, 0, 0x821, 1, 0xff);
	CHECK_EQ(rd(f, GICD2, 0, 0x820, 4), 0x0700);
	CHECK_EQ(f->d.spis[1].targets, 7);
	/* CTLR: group enables only; groups reset to 0. */
	wr(f, GICD2, 0, 0, 4, 0xffffffff);
	CHECK_EQ(rd(f, GICD2, 0, 0, 4), 3);
	CHECK_EQ(rd(f, GICD2, 0, 0x84, 4), 0);
	/* Banked enables: vCPU 1's PPI 27. */
	wr(f, GICD2, 1, 0x100, 4, 1u << 27);
	CHECK(f->c[1].priv[27].flags & VGIC_IRQ_ENABLED);
	CHECK(!(f->c[0].priv[27].flags & VGIC_IRQ_ENABLED));
	/* ISPENDR cannot pend an SGI on v2. */
	wr(f, GICD2, 0, 0x200, 4, 1);
	CHECK_EQ(rd(f, GICD2, 0, 0x200, 4), 0);
	free(f);
}

TEST(vgic_v2_sgir)
{
	struct fixture *f = setup(2, 32, 3);

	wr(f, GICD2, 0, 0, 4, 1);
	/* Target list: vCPUs 1 and 2, SGI 5, from vCPU 0. */
	CHECK_EQ(wr(f, GICD2, 0, 0xf00, 4, (0x6u << 16) | 5), 0x6);
	CHECK_EQ(f->c[1].priv[5].sources, 1);
	CHECK_EQ(f->c[2].priv[5].sources, 1);
	/* All but self, from vCPU 2. */
	CHECK_EQ(wr(f, GICD2, 2, 0xf00, 4, (1u << 24) | 5), 0x3);
	CHECK_EQ(f->c[1].priv[5].sources, 5);
	CHECK_EQ(f->c[0].priv[5].sources, 4);
	/* Self only. */
	wr(f, GICD2, 1, 0xf00, 4, (2u << 24) | 7);
	CHECK_EQ(f->c[1].priv[7].sources, 2);
	/* SPENDSGIR reads per source: SGI 5 is byte 1 of word 1. */
	CHECK_EQ(rd(f, GICD2, 1, 0xf24, 4), 0x02000500);
	CHECK_EQ(rd(f, GICD2, 1, 0xf14, 4), 0x02000500);
	CHECK_EQ(rd(f, GICD2, 1, 0x200, 4), (1u << 5) | (1u << 7));
	/* Taken: the list register carries the lowest source; acknowledging
	 * it leaves the other source pending. */
	CHECK_EQ(vgic_model_flush(&f->d, &f->c[1], 4), 2);
	CHECK_EQ(f->c[1].lrs[0].intid, 5);
	CHECK_EQ(f->c[1].lrs[0].source, 0);
	CHECK(!f->c[1].lrs[0].group1);
	struct vgic_lr back[2];
	memcpy(back, f->c[1].lrs, sizeof(back));
	back[0].pending = false;
	back[0].active = true;
	sync_all(f, 1, back, NULL);
	CHECK_EQ(f->c[1].priv[5].sources, 4);
	CHECK(vgic_irq_is_pending(&f->c[1].priv[5]));
	/* CPENDSGIR clears the remaining source. */
	wr(f, GICD2, 1, 0xf15, 1, 0x4);
	CHECK(!vgic_irq_is_pending(&f->c[1].priv[5]));
	free(f);
}

TEST(vgic_tables_sorted)
{
	const struct vgic_reg *t[] = { vgic_v3_dist_regs, vgic_v3_rd_regs, vgic_v3_sgi_regs,
				       vgic_v2_dist_regs };
	unsigned int n[] = { vgic_v3_dist_nregs, vgic_v3_rd_nregs, vgic_v3_sgi_nregs,
			     vgic_v2_dist_nregs };

	for (unsigned int k = 0; k < 4; k++)
		for (unsigned int i = 1; i < n[k]; i++)
			CHECK(t[k][i - 1].offset + t[k][i - 1].len <= t[k][i].offset);
}

TEST(vtimer_level_tracking)
{
	struct vtimer t = { 0 };

	CHECK(!vtimer_output(0, 0, 100));                         /* off */
	CHECK(!vtimer_output(VTIMER_CTL_ENABLE | VTIMER_CTL_IMASK, 50, 100));
	CHECK(!vtimer_output(VTIMER_CTL_ENABLE, 150, 100));
	CHECK(vtimer_output(VTIMER_CTL_ENABLE, 100, 100));
	CHECK_EQ(vtimer_deadline_of(VTIMER_CTL_ENABLE, 100, 1000), 1100);
	CHECK_EQ(vtimer_deadline_of(VTIMER_CTL_ENABLE | VTIMER_CTL_IMASK, 100, 1000), UINT64_MAX);
	CHECK_EQ(vtimer_deadline_of(0, 100, 1000), UINT64_MAX);
	CHECK_EQ(vtimer_deadline_of(VTIMER_CTL_ENABLE, UINT64_MAX - 5, 1000), UINT64_MAX);
	/* Inject on the rising edge only; a steady high does nothing. */
	CHECK_EQ(vtimer_track(&t, false), VTIMER_NONE);
	CHECK_EQ(vtimer_track(&t, true), VTIMER_INJECT);
	CHECK_EQ(vtimer_track(&t, true), VTIMER_NONE);
	CHECK_EQ(vtimer_track(&t, false), VTIMER_RETRACT);
	CHECK_EQ(vtimer_track(&t, false), VTIMER_NONE);
	CHECK_EQ(vtimer_track(&t, true), VTIMER_INJECT);
	/* Once the guest deactivated it, a still-high output is a new edge
	 * (the physical interrupt fires again). */
	vtimer_track_done(&t);
	CHECK_EQ(vtimer_track(&t, true), VTIMER_INJECT);
}

TEST(vgic_model_reset_clears_state)
{
	struct fixture *f = v3_ready(2);
	struct vgic_dist *d = &f->d;
	struct vgic_lr back;

	/* vCPU 1 stopped inside an SGI handler (Linux's IPI_CPU_STOP), then
	 * the VM resets: nothing may stay active, pending or enabled. */
	vgic_model_send_sgi(d, 0, 0x2, 2);
	CHECK_EQ(vgic_model_flush(d, &f->c[1], 4), 1);
	back = f->c[1].lrs[0];
	back.pending = false;
	back.active = true;
	sync_all(f, 1, &back, NULL);
	wr(f, GICD, 0, 0x6000 + 8 * 40, 8, 1);
	CHECK(f->c[1].priv[2].flags & VGIC_IRQ_ACTIVE);
	vgic_model_reset(d);
	CHECK_EQ(f->c[1].priv[2].flags & (VGIC_IRQ_ACTIVE | VGIC_IRQ_ENABLED), 0);
	CHECK_EQ(f->c[1].priv_live, 0);
	CHECK_EQ(rd(f, GICD, 0, 0, 4), GICD_CTLR_ARE | GICD_CTLR_DS);
	CHECK_EQ(rd(f, GICD, 0, 0x104, 4), 0);
	CHECK_EQ(f->d.spis[8].target, 0);
	/* The vCPUs are still there, with their affinities. */
	CHECK_EQ(f->d.nr_cpus, 2);
	CHECK_EQ(rd(f, GICR, 1, 0x8, 8), (1ULL << 32) | (1u << 8) | (1u << 4));
	CHECK_EQ(rd(f, GICR, 1, 0x14, 4), 6);
	free(f);
}

TEST(vgic_pending_ignores_active_only)
{
	struct fixture *f = v3_ready(1);
	struct vgic_dist *d = &f->d;
	struct vgic_lr back;

	/* An interrupt the guest is handling is no reason to leave WFI. */
	vgic_model_raise(d, NULL, 50, 0);
	CHECK_EQ(vgic_model_flush(d, &f->c[0], 4), 1);
	back = f->c[0].lrs[0];
	back.pending = false;
	back.active = true;
	sync_all(f, 0, &back, NULL);
	CHECK(!vgic_model_has_pending(d, &f->c[0]));
	CHECK(vgic_model_busy(d, &f->c[0], 50));
	/* Raised again while active: that one wakes. */
	vgic_model_raise(d, NULL, 50, 0);
	CHECK(vgic_model_has_pending(d, &f->c[0]));
	free(f);
}

/* Whatever a guest writes wherever, in any width, tern neither crashes nor
 * trips the sanitizers, and the model's invariants hold (deterministic
 * pseudo-random accesses over every frame, both versions). */
TEST(vgic_random_accesses_are_safe)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (int version = 2; version <= 3; version++) {
		struct fixture *f = setup((unsigned int)version, 100, 4);

		for (int i = 0; i < 40000; i++) {
			unsigned int cpu, size, frame;
			uint64_t off, val;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			cpu = (unsigned int)(x & 3);
			size = sizes[(x >> 2) & 3];
			frame = version == 2 ? GICD2 : ((x >> 4) & 1 ? GICD : GICR);
			off = (x >> 8) % (frame == GICR ? 0x20000 : 0x10000);
			if ((x >> 40) & 1)
				off &= ~(uint64_t)(size - 1);
			val = x * 0x2545f4914f6cdd1dULL;
			if ((x >> 41) & 1)
				wr(f, frame, cpu, off, size, val);
			else
				(void)rd(f, frame, cpu, off, size);
			if ((i & 255) == 0) {
				/* Run vCPU `cpu` once: nothing it is given may be
				 * owned by another vCPU's list registers. */
				vgic_model_flush(&f->d, &f->c[cpu], 4);
				for (unsigned int k = 0; k < f->c[cpu].lr_used; k++)
					CHECK_EQ(vgic_get_irq(&f->d, &f->c[cpu], f->c[cpu].lrs[k].intid)
							 ->lr_owner,
						 cpu + 1);
				sync_unchanged(f, cpu);
			}
		}
		free(f);
	}
}
