/*
 * Host unit tests of the guest PLIC model (arch/riscv/vplic_model.c): the
 * register map and its width rules, priority and threshold masking, claim
 * order, per-context enables, level-triggered gateway semantics and the
 * changed-output masks the caller turns into hvip.VSEIP updates.
 */
#include "test.h"
#include <tern/errno.h>
#include "../../arch/riscv/include/arch/vplic_model.h"

#define PRIO(s) (VPLIC_PRIORITY + 4u * (s))
#define PENDING(w) (VPLIC_PENDING + 4u * (w))
#define ENABLE(c, w) (VPLIC_ENABLE + VPLIC_ENABLE_STRIDE * (c) + 4u * (w))
#define THRESHOLD(c) (VPLIC_CONTEXT + VPLIC_CONTEXT_STRIDE * (c) + VPLIC_THRESHOLD)
#define CLAIM(c) (VPLIC_CONTEXT + VPLIC_CONTEXT_STRIDE * (c) + VPLIC_CLAIM)

static struct vplic_model plic;

/* QEMU virt's PLIC (riscv,ndev 95) with three contexts. */
static struct vplic_model *setup(void)
{
	CHECK_EQ(vplic_model_init(&plic, 96, 3), 0);
	return &plic;
}

static uint32_t rd(struct vplic_model *p, uint64_t off)
{
	uint32_t v = 0xdeadbeef, changed = 0xdeadbeef;

	CHECK_EQ(vplic_mmio_read(p, off, 4, &v, &changed), 0);
	return v;
}

/* A read that may change outputs (a claim), with the mask it reported. */
static uint32_t rd_fx(struct vplic_model *p, uint64_t off, uint32_t *changed)
{
	uint32_t v = 0xdeadbeef;

	CHECK_EQ(vplic_mmio_read(p, off, 4, &v, changed), 0);
	return v;
}

/* The contexts whose output changed. */
static uint32_t wr(struct vplic_model *p, uint64_t off, uint32_t val)
{
	uint32_t changed = 0xdeadbeef;

	CHECK_EQ(vplic_mmio_write(p, off, 4, val, &changed), 0);
	return changed;
}

static void enable(struct vplic_model *p, unsigned int ctx, unsigned int src)
{
	wr(p, ENABLE(ctx, src / 32), rd(p, ENABLE(ctx, src / 32)) | 1u << (src % 32));
}

TEST(vplic_init_bounds)
{
	struct vplic_model *p = &plic, copy;

	CHECK_EQ(vplic_model_init(p, 2, 1), 0);
	CHECK_EQ(vplic_model_init(p, VPLIC_MAX_SOURCES, VPLIC_MAX_CONTEXTS), 0);
	copy = *p;
	CHECK_EQ(vplic_model_init(p, 1, 1), -E_INVAL);
	CHECK_EQ(vplic_model_init(p, 0, 1), -E_INVAL);
	CHECK_EQ(vplic_model_init(p, VPLIC_MAX_SOURCES + 1, 1), -E_INVAL);
	CHECK_EQ(vplic_model_init(p, 96, 0), -E_INVAL);
	CHECK_EQ(vplic_model_init(p, 96, VPLIC_MAX_CONTEXTS + 1), -E_INVAL);
	CHECK(memcmp(&copy, p, sizeof(copy)) == 0);

	/* Everything starts quiet, with the last source and context usable. */
	CHECK_EQ(vplic_model_init(p, VPLIC_MAX_SOURCES, VPLIC_MAX_CONTEXTS), 0);
	for (unsigned int c = 0; c < VPLIC_MAX_CONTEXTS; c++)
		CHECK(!vplic_ctx_irq(p, c));
	CHECK(!vplic_ctx_irq(p, VPLIC_MAX_CONTEXTS));
	wr(p, PRIO(1023), 1);
	enable(p, 15, 1023);
	CHECK_EQ(vplic_set_level(p, 1023, true), 1u << 15);
	CHECK_EQ(rd(p, PENDING(31)), 1u << 31);
	CHECK_EQ(rd(p, CLAIM(15)), 1023);
	CHECK_EQ(vplic_window_size(16), 0x210000);
}

TEST(vplic_priority_threshold_masking)
{
	struct vplic_model *p = setup();

	CHECK_EQ(rd(p, PRIO(1)), 0);
	wr(p, PRIO(1), 0xff);
	CHECK_EQ(rd(p, PRIO(1)), 7);
	wr(p, PRIO(1), 8);
	CHECK_EQ(rd(p, PRIO(1)), 0);
	wr(p, PRIO(95), 5);
	CHECK_EQ(rd(p, PRIO(95)), 5);
	wr(p, THRESHOLD(2), 0xffffffff);
	CHECK_EQ(rd(p, THRESHOLD(2)), 7);
	wr(p, THRESHOLD(2), 0x0a);
	CHECK_EQ(rd(p, THRESHOLD(2)), 2);
	CHECK_EQ(rd(p, THRESHOLD(1)), 0);

	/* Past nr_sources the arrays read as zero and keep nothing. */
	wr(p, PRIO(96), 7);
	CHECK_EQ(rd(p, PRIO(96)), 0);
	CHECK_EQ(rd(p, PRIO(1023)), 0);
	wr(p, ENABLE(0, 2), 0xffffffff);
	CHECK_EQ(rd(p, ENABLE(0, 2)), 0xffffffff); /* sources 64-95 */
	wr(p, ENABLE(0, 3), 0xffffffff);
	CHECK_EQ(rd(p, ENABLE(0, 3)), 0);
	CHECK_EQ(rd(p, ENABLE(0, 31)), 0);
	CHECK_EQ(rd(p, PENDING(3)), 0);
}

TEST(vplic_source0_does_not_exist)
{
	struct vplic_model *p = setup();

	wr(p, PRIO(0), 7);
	CHECK_EQ(rd(p, PRIO(0)), 0);
	wr(p, ENABLE(0, 0), 0xffffffff);
	CHECK_EQ(rd(p, ENABLE(0, 0)), 0xfffffffe);
	CHECK_EQ(vplic_set_level(p, 0, true), 0);
	CHECK_EQ(vplic_set_level(p, 96, true), 0);
	CHECK_EQ(vplic_set_level(p, 100000, true), 0);
	CHECK_EQ(rd(p, PENDING(0)), 0);
	CHECK_EQ(rd(p, CLAIM(0)), 0);
	CHECK_EQ(wr(p, CLAIM(0), 0), 0);
	CHECK(!vplic_ctx_irq(p, 0));
}

TEST(vplic_claim_order_priority_then_id)
{
	struct vplic_model *p = setup();
	static const struct {
		unsigned int src, prio;
	} srcs[] = { { 3, 2 }, { 7, 5 }, { 5, 5 }, { 40, 7 }, { 90, 1 }, { 33, 5 } };

	for (unsigned int i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		wr(p, PRIO(srcs[i].src), srcs[i].prio);
		enable(p, 0, srcs[i].src);
		vplic_set_level(p, srcs[i].src, true);
	}
	CHECK_EQ(rd(p, PENDING(0)), 1u << 3 | 1u << 5 | 1u << 7);
	CHECK_EQ(rd(p, PENDING(1)), 1u << (33 - 32) | 1u << (40 - 32));
	CHECK_EQ(rd(p, CLAIM(0)), 40);
	CHECK_EQ(rd(p, CLAIM(0)), 5);
	CHECK_EQ(rd(p, CLAIM(0)), 7);
	CHECK_EQ(rd(p, CLAIM(0)), 33);
	CHECK_EQ(rd(p, CLAIM(0)), 3);
	CHECK(vplic_ctx_irq(p, 0));
	CHECK_EQ(rd(p, CLAIM(0)), 90);
	CHECK(!vplic_ctx_irq(p, 0));
	CHECK_EQ(rd(p, CLAIM(0)), 0);
	CHECK_EQ(rd(p, PENDING(0)) | rd(p, PENDING(1)) | rd(p, PENDING(2)), 0);
}

TEST(vplic_threshold_filtering)
{
	struct vplic_model *p = setup();

	enable(p, 0, 4);
	enable(p, 0, 6);
	wr(p, PRIO(4), 3);
	vplic_set_level(p, 4, true);
	vplic_set_level(p, 6, true); /* priority 0: pending, never delivered */
	CHECK_EQ(rd(p, PENDING(0)), 1u << 4 | 1u << 6);
	CHECK(vplic_ctx_irq(p, 0));
	wr(p, THRESHOLD(0), 3); /* masks priorities <= 3 */
	CHECK(!vplic_ctx_irq(p, 0));
	CHECK_EQ(rd(p, CLAIM(0)), 0);
	CHECK_EQ(rd(p, PENDING(0)), 1u << 4 | 1u << 6);
	wr(p, THRESHOLD(0), 2);
	CHECK(vplic_ctx_irq(p, 0));
	CHECK_EQ(rd(p, CLAIM(0)), 4);
	wr(p, THRESHOLD(0), 0);
	CHECK(!vplic_ctx_irq(p, 0));
	CHECK_EQ(rd(p, CLAIM(0)), 0);
}

TEST(vplic_enable_per_context)
{
	struct vplic_model *p = setup();
	uint32_t changed;

	wr(p, PRIO(10), 1);
	wr(p, PRIO(11), 1);
	enable(p, 0, 10);
	enable(p, 1, 10);
	enable(p, 1, 11);
	CHECK_EQ(vplic_set_level(p, 10, true), 1u << 0 | 1u << 1);
	CHECK_EQ(vplic_set_level(p, 11, true), 0);
	CHECK(!vplic_ctx_irq(p, 2));
	CHECK_EQ(rd(p, CLAIM(2)), 0);

	/* Context 0's claim takes 10 from context 1 as well. */
	CHECK_EQ(rd_fx(p, CLAIM(0), &changed), 10);
	CHECK_EQ(changed, 1u << 0);
	CHECK(vplic_ctx_irq(p, 1));
	CHECK_EQ(rd_fx(p, CLAIM(1), &changed), 11);
	CHECK_EQ(changed, 1u << 1);

	/* Context 2 does not enable 10: its completion is ignored. Context 1
	 * does, and the spec lets any such context complete it. */
	CHECK_EQ(wr(p, CLAIM(2), 10), 0);
	CHECK_EQ(rd(p, PENDING(0)), 0);
	CHECK_EQ(wr(p, CLAIM(1), 10), 1u << 0 | 1u << 1);
	CHECK_EQ(rd(p, PENDING(0)), 1u << 10);

	/* Disabling withdraws the output, not the pending bit. */
	CHECK_EQ(wr(p, ENABLE(0, 0), 0), 1u << 0);
	CHECK_EQ(wr(p, ENABLE(1, 0), 0), 1u << 1);
	CHECK_EQ(rd(p, PENDING(0)), 1u << 10);
}

TEST(vplic_level_semantics)
{
	struct vplic_model *p = setup();

	wr(p, PRIO(8), 1);
	enable(p, 0, 8);

	/* A line dropped before the claim withdraws the request. */
	vplic_set_level(p, 8, true);
	CHECK_EQ(rd(p, PENDING(0)), 1u << 8);
	vplic_set_level(p, 8, false);
	CHECK_EQ(rd(p, PENDING(0)), 0);
	CHECK_EQ(rd(p, CLAIM(0)), 0);

	/* In flight it stays out, however the line moves... */
	vplic_set_level(p, 8, true);
	CHECK_EQ(rd(p, CLAIM(0)), 8);
	CHECK_EQ(rd(p, PENDING(0)), 0);
	CHECK_EQ(vplic_set_level(p, 8, false), 0);
	CHECK_EQ(vplic_set_level(p, 8, true), 0);
	CHECK_EQ(rd(p, PENDING(0)), 0);
	CHECK_EQ(rd(p, CLAIM(0)), 0);
	CHECK(!vplic_ctx_irq(p, 0));

	/* ...and comes back on completion while the line is still high. */
	CHECK_EQ(wr(p, CLAIM(0), 8), 1u << 0);
	CHECK_EQ(rd(p, PENDING(0)), 1u << 8);
	CHECK_EQ(rd(p, CLAIM(0)), 8);

	/* Dropped during the flight: completion leaves nothing pending. */
	vplic_set_level(p, 8, false);
	CHECK_EQ(wr(p, CLAIM(0), 8), 0);
	CHECK_EQ(rd(p, PENDING(0)), 0);
	CHECK_EQ(rd(p, CLAIM(0)), 0);
	vplic_set_level(p, 8, true);
	CHECK_EQ(rd(p, CLAIM(0)), 8);
}

TEST(vplic_complete_wrong_id_ignored)
{
	struct vplic_model *p = setup();

	wr(p, PRIO(20), 1);
	wr(p, PRIO(21), 1);
	enable(p, 0, 20);
	enable(p, 0, 21);
	vplic_set_level(p, 20, true);
	CHECK_EQ(rd(p, CLAIM(0)), 20);
	vplic_set_level(p, 21, true);
	CHECK_EQ(rd(p, CLAIM(0)), 21);

	/* Not in flight, not a source, out of range: nothing ends. */
	CHECK_EQ(wr(p, CLAIM(0), 22), 0);
	CHECK_EQ(wr(p, CLAIM(0), 0), 0);
	CHECK_EQ(wr(p, CLAIM(0), 96), 0);
	CHECK_EQ(wr(p, CLAIM(0), 20 + 32), 0);
	CHECK_EQ(wr(p, CLAIM(0), 0xffffffff), 0);
	CHECK_EQ(rd(p, PENDING(0)), 0);
	CHECK(!vplic_ctx_irq(p, 0));

	/* Completing one leaves the other in flight. */
	CHECK_EQ(wr(p, CLAIM(0), 21), 1u << 0);
	CHECK_EQ(rd(p, PENDING(0)), 1u << 21);
	CHECK_EQ(wr(p, CLAIM(0), 21), 0); /* twice: already over */
}

TEST(vplic_changed_mask)
{
	struct vplic_model *p = setup();
	uint32_t changed, v;

	wr(p, PRIO(30), 2);
	enable(p, 0, 30);
	enable(p, 2, 30);
	CHECK_EQ(vplic_set_level(p, 30, true), 1u << 0 | 1u << 2);
	CHECK_EQ(vplic_set_level(p, 30, true), 0);
	CHECK_EQ(vplic_set_level(p, 30, false), 1u << 0 | 1u << 2);
	CHECK_EQ(vplic_set_level(p, 30, true), 1u << 0 | 1u << 2);

	/* priority */
	CHECK_EQ(wr(p, PRIO(30), 0), 1u << 0 | 1u << 2);
	CHECK_EQ(wr(p, PRIO(30), 3), 1u << 0 | 1u << 2);
	CHECK_EQ(wr(p, PRIO(30), 4), 0);
	/* threshold, enable */
	CHECK_EQ(wr(p, THRESHOLD(2), 4), 1u << 2);
	CHECK_EQ(wr(p, THRESHOLD(2), 3), 1u << 2);
	CHECK_EQ(wr(p, ENABLE(1, 0), 1u << 30), 1u << 1);
	CHECK_EQ(wr(p, ENABLE(1, 0), 1u << 30), 0);
	/* plain reads move nothing */
	CHECK_EQ(vplic_mmio_read(p, PENDING(0), 4, &v, &changed), 0);
	CHECK_EQ(changed, 0);
	CHECK_EQ(vplic_mmio_read(p, PRIO(30), 4, &v, NULL), 0);
	/* claim, complete */
	CHECK_EQ(rd_fx(p, CLAIM(1), &changed), 30);
	CHECK_EQ(changed, 1u << 0 | 1u << 1 | 1u << 2);
	CHECK_EQ(rd_fx(p, CLAIM(1), &changed), 0);
	CHECK_EQ(changed, 0);
	CHECK_EQ(wr(p, CLAIM(1), 30), 1u << 0 | 1u << 1 | 1u << 2);
	CHECK_EQ(vplic_mmio_write(p, CLAIM(1), 4, 30, NULL), 0);
	/* reset: outputs fall, the line stays high */
	CHECK_EQ(vplic_model_reset(p), 1u << 0 | 1u << 1 | 1u << 2);
	CHECK_EQ(vplic_model_reset(p), 0);
	CHECK_EQ(rd(p, PENDING(0)), 1u << 30);
}

TEST(vplic_reset_ends_flights)
{
	struct vplic_model *p = setup();

	wr(p, PRIO(50), 1);
	enable(p, 1, 50);
	vplic_set_level(p, 50, true);
	CHECK_EQ(rd(p, CLAIM(1)), 50);
	wr(p, THRESHOLD(1), 6);
	vplic_model_reset(p);
	CHECK_EQ(rd(p, PRIO(50)), 0);
	CHECK_EQ(rd(p, ENABLE(1, 1)), 0);
	CHECK_EQ(rd(p, THRESHOLD(1)), 0);
	CHECK_EQ(rd(p, PENDING(1)), 1u << (50 - 32));
	wr(p, PRIO(50), 1);
	CHECK_EQ(wr(p, ENABLE(1, 1), 1u << (50 - 32)), 1u << 1);
	CHECK_EQ(rd(p, CLAIM(1)), 50);
}

TEST(vplic_bad_accesses)
{
	struct vplic_model *p = setup();
	static const uint64_t bad[] = {
		0x1080,	       /* after the pending array */
		0x1ffc,
		ENABLE(3, 0),  /* contexts past nr_contexts */
		ENABLE(15, 31),
		0x1ffffc,      /* the end of the enable area */
		THRESHOLD(3),
		CLAIM(3),
		THRESHOLD(3) + 0xffc,
		0x3fffffc,     /* the end of the spec's window */
		0x4000000,
		~0ull - 3,
	};
	uint32_t v, changed;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 0x1234;
		changed = 0x5678;
		CHECK_EQ(vplic_mmio_read(p, bad[i], 4, &v, &changed), -E_INVAL);
		CHECK_EQ(v, 0x1234);
		CHECK_EQ(changed, 0);
		CHECK_EQ(vplic_mmio_write(p, bad[i], 4, 1, NULL), -E_INVAL);
	}
	/* Wrong sizes and alignment, even at a real register. */
	wr(p, PRIO(1), 1);
	enable(p, 0, 1);
	vplic_set_level(p, 1, true);
	static const struct {
		uint64_t off;
		unsigned int size;
	} width[] = { { PRIO(1), 1 }, { PRIO(1), 2 }, { PRIO(1), 8 }, { PRIO(1), 0 },
		      { PRIO(1) + 2, 4 }, { PRIO(1) + 1, 1 }, { CLAIM(0), 8 }, { CLAIM(0), 2 },
		      { CLAIM(0) - 4, 8 } };
	for (unsigned int i = 0; i < sizeof(width) / sizeof(width[0]); i++) {
		CHECK_EQ(vplic_mmio_read(p, width[i].off, width[i].size, &v, NULL), -E_INVAL);
		CHECK_EQ(vplic_mmio_write(p, width[i].off, width[i].size, 0, NULL), -E_INVAL);
	}
	CHECK_EQ(rd(p, PRIO(1)), 1);
	CHECK(vplic_ctx_irq(p, 0)); /* the claim-sized 8-byte read claimed nothing */

	/* Reserved words inside a real context block read as zero. */
	wr(p, THRESHOLD(2) + 8, 0xffffffff);
	CHECK_EQ(rd(p, THRESHOLD(2) + 8), 0);
	CHECK_EQ(rd(p, THRESHOLD(2) + 0xffc), 0);
	CHECK_EQ(rd(p, ENABLE(2, 31)), 0);
	CHECK_EQ(vplic_window_size(3), THRESHOLD(3));
}

TEST(vplic_pending_read_only)
{
	struct vplic_model *p = setup();

	wr(p, PRIO(2), 1);
	enable(p, 0, 2);
	CHECK_EQ(wr(p, PENDING(0), 0xffffffff), 0);
	CHECK_EQ(rd(p, PENDING(0)), 0);
	CHECK(!vplic_ctx_irq(p, 0));
	vplic_set_level(p, 2, true);
	vplic_set_level(p, 65, true);
	CHECK_EQ(wr(p, PENDING(0), 0), 0);
	CHECK_EQ(rd(p, PENDING(0)), 1u << 2);
	CHECK_EQ(rd(p, PENDING(2)), 1u << 1);
	CHECK(vplic_ctx_irq(p, 0));
}

/* The lock-free read answers exactly the registers that are one stored
 * value, with what the locked read gives; pending words and claims (and
 * bad widths or offsets) are left to the locked path. */
TEST(vplic_read_stored_agrees_with_read)
{
	struct vplic_model *p = setup();
	unsigned int answered = 0;

	wr(p, PRIO(5), 3);
	wr(p, PRIO(95), 7);
	wr(p, THRESHOLD(2), 1);
	enable(p, 1, 5);
	enable(p, 2, 64);
	vplic_set_level(p, 5, true);
	for (uint64_t off = 0; off < vplic_window_size(3); off += 4) {
		uint32_t fast = 0xdeadbeef, slow = 0xdeadbeef, changed;
		struct vplic_model copy = *p;

		if (!vplic_mmio_read_stored(p, off, 4, &fast)) {
			/* Only pending words and claims need the lock; else the
			 * offset is no register at all. */
			CHECK((off >= VPLIC_PENDING && off < VPLIC_PENDING + VPLIC_WORDS * 4) ||
			      (off >= VPLIC_CONTEXT && (off - VPLIC_CONTEXT) % VPLIC_CONTEXT_STRIDE ==
							       VPLIC_CLAIM) ||
			      vplic_mmio_read(&copy, off, 4, &slow, &changed) == -E_INVAL);
			continue;
		}
		answered++;
		CHECK_EQ(vplic_mmio_read(&copy, off, 4, &slow, &changed), 0);
		CHECK_EQ(fast, slow);
		CHECK_EQ(changed, 0);
	}
	CHECK(answered > 96 + 3);
	{
		uint32_t v;

		CHECK(!vplic_mmio_read_stored(p, PRIO(5), 2, &v)); /* width */
		CHECK(!vplic_mmio_read_stored(p, PRIO(5) + 1, 4, &v)); /* alignment */
		CHECK(!vplic_mmio_read_stored(p, vplic_window_size(3), 4, &v)); /* past the end */
	}
}

/* The best source is kept incrementally: every way the best can stop being
 * one (priority lowered, disabled, line down, claimed) hands the claim to
 * the next, and every way a source can overtake it (priority raised,
 * enabled, line up, completed) takes it over. */
TEST(vplic_best_follows_every_change)
{
	struct vplic_model *p = setup();

	wr(p, PRIO(10), 3);
	wr(p, PRIO(20), 2);
	wr(p, PRIO(70), 1);
	enable(p, 0, 10);
	enable(p, 0, 20);
	enable(p, 0, 70);
	vplic_set_level(p, 10, true);
	vplic_set_level(p, 20, true);
	vplic_set_level(p, 70, true);
	CHECK_EQ(p->best[0], 10);
	wr(p, PRIO(10), 1); /* the best's priority lowered: 20 leads */
	CHECK_EQ(p->best[0], 20);
	wr(p, PRIO(70), 4); /* another's raised: it overtakes */
	CHECK_EQ(p->best[0], 70);
	wr(p, ENABLE(0, 2), 0); /* the best disabled (word 2 holds 70) */
	CHECK_EQ(p->best[0], 20);
	wr(p, ENABLE(0, 2), 1u << (70 - 64)); /* enabled again: back on top */
	CHECK_EQ(p->best[0], 70);
	vplic_set_level(p, 70, false); /* its line drops */
	CHECK_EQ(p->best[0], 20);
	vplic_set_level(p, 70, true);
	CHECK_EQ(rd(p, CLAIM(0)), 70); /* claimed: no longer pending */
	CHECK_EQ(p->best[0], 20);
	wr(p, PRIO(10), 5);
	CHECK_EQ(p->best[0], 10);
	wr(p, CLAIM(0), 70); /* completed with its line high: pends again */
	CHECK_EQ(p->best[0], 10);
	wr(p, PRIO(70), 6);
	CHECK_EQ(p->best[0], 70);
	wr(p, PRIO(70), 0); /* priority 0 never interrupts */
	CHECK_EQ(p->best[0], 10);
	wr(p, THRESHOLD(0), 5); /* the threshold hides it but does not move it */
	CHECK_EQ(p->best[0], 10);
	CHECK(!vplic_ctx_irq(p, 0));
	CHECK_EQ(rd(p, CLAIM(0)), 0);
	wr(p, THRESHOLD(0), 4);
	CHECK(vplic_ctx_irq(p, 0));
	CHECK_EQ(rd(p, CLAIM(0)), 10);
}
