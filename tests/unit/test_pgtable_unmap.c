/*
 * The page-table walker's unmap and protect (core/pgtable.c): splitting
 * blocks, holes, protections compared as encoded, and running out of table
 * memory midway changing nothing.
 */
#include <tern/errno.h>
#include "pgtable_test.h"
#include "test.h"

/* --- Unmapping and protecting --------------------------------------------- */

TEST(pgtable_unmap_splits_block)
{
	struct fixture f;
	uint64_t hole = GiB(1) + MiB(3) + KiB(4);
	paddr_t pa;
	unsigned int prot;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, GiB(1), GiB(5), GiB(1), PT_RW | PT_DEVICE), 0);
	CHECK_EQ(pt_unmap(&f.pt, hole, KiB(8)), 0);
	CHECK_EQ(f.mm.allocs, 2 + 2); /* one level-2 and one level-3 table */

	CHECK(!pt_lookup(&f.pt, hole, NULL, NULL, NULL));
	CHECK(!pt_lookup(&f.pt, hole + KiB(4), NULL, NULL, NULL));
	CHECK(pt_lookup(&f.pt, hole - 1, &pa, &prot, NULL));
	CHECK_EQ(pa, GiB(5) + MiB(3) + KiB(4) - 1);
	CHECK_EQ(prot, PT_RW | PT_DEVICE);
	CHECK(pt_lookup(&f.pt, hole + KiB(8), &pa, NULL, NULL));
	CHECK_EQ(pa, GiB(5) + MiB(3) + KiB(12));
	/* Everything else still translates as before, in the largest leaves
	 * the split allows. */
	CHECK_EQ(mismatches(&f.pt, GiB(1), hole - GiB(1), GiB(5), PT_RW | PT_DEVICE, KiB(4)), 0);
	CHECK_EQ(mismatches(&f.pt, hole + KiB(8), GiB(2) - hole - KiB(8), GiB(5) + MiB(3) + KiB(12),
			    PT_RW | PT_DEVICE, KiB(4)), 0);
	CHECK_EQ(level_of(&f.pt, GiB(1)), 2);
	CHECK_EQ(level_of(&f.pt, GiB(1) + MiB(2)), 3);
	CHECK_EQ(level_of(&f.pt, GiB(1) + MiB(4)), 2);
	CHECK_EQ(level_of(&f.pt, GiB(2) - 1), 2);
	teardown(&f);
}

TEST(pgtable_unmap_across_block_edges)
{
	struct fixture f;
	uint64_t lo = GiB(1) + MiB(100) - KiB(4), hi = GiB(2) + MiB(300) + KiB(4);

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, GiB(1), GiB(1), GiB(2), PT_RW), 0);
	CHECK_EQ(pt_unmap(&f.pt, lo, hi - lo), 0);
	CHECK_EQ(mismatches(&f.pt, GiB(1), lo - GiB(1), GiB(1), PT_RW, KiB(4)), 0);
	CHECK_EQ(mismatches(&f.pt, hi, GiB(3) - hi, hi, PT_RW, KiB(4)), 0);
	CHECK_EQ(mapped_pages(&f.pt, lo, hi - lo), 0);
	CHECK_EQ(level_of(&f.pt, lo - KiB(4)), 3);
	CHECK_EQ(level_of(&f.pt, lo - MiB(2)), 2);
	CHECK_EQ(level_of(&f.pt, hi), 3);
	CHECK_EQ(level_of(&f.pt, hi + MiB(2)), 2);
	teardown(&f);
}

TEST(pgtable_unmap_holes)
{
	struct fixture f;

	setup(&f, &fmt_arm64);
	/* Nothing mapped at all. */
	CHECK_EQ(pt_unmap(&f.pt, 0, GiB(4)), 0);
	CHECK_EQ(f.mm.allocs, 1);

	CHECK_EQ(pt_map(&f.pt, KiB(4), KiB(4), KiB(4), PT_RW), 0);
	CHECK_EQ(pt_map(&f.pt, MiB(2), MiB(2), MiB(2), PT_RW), 0);
	CHECK_EQ(pt_map(&f.pt, GiB(1), GiB(1), GiB(1), PT_RW), 0);
	CHECK_EQ(pt_map(&f.pt, GiB(7) + KiB(8), 0, KiB(4), PT_R), 0);
	CHECK_EQ(pt_unmap(&f.pt, 0, GiB(3)), 0);
	CHECK_EQ(mapped_pages(&f.pt, 0, MiB(8)), 0);
	CHECK(!pt_lookup(&f.pt, GiB(1), NULL, NULL, NULL));
	CHECK(!pt_lookup(&f.pt, GiB(2) - 1, NULL, NULL, NULL));
	CHECK(pt_lookup(&f.pt, GiB(7) + KiB(8), NULL, NULL, NULL));

	/* Unmapped again: still fine. */
	CHECK_EQ(pt_unmap(&f.pt, 0, GiB(3)), 0);
	teardown(&f);
}

TEST(pgtable_protect_part_of_block)
{
	struct fixture f;
	uint64_t va = MiB(2) + KiB(4);
	unsigned int prot;
	paddr_t pa;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, MiB(2), GiB(3) + MiB(2), MiB(2), PT_RW), 0);
	CHECK_EQ(pt_protect(&f.pt, va, KiB(8), PT_R), 0);
	CHECK_EQ(mismatches(&f.pt, va, KiB(8), GiB(3) + va, PT_R, KiB(4)), 0);
	CHECK_EQ(mismatches(&f.pt, MiB(2), KiB(4), GiB(3) + MiB(2), PT_RW, KiB(4)), 0);
	CHECK_EQ(mismatches(&f.pt, va + KiB(8), MiB(2) - KiB(12), GiB(3) + va + KiB(8), PT_RW,
			    KiB(4)), 0);
	CHECK_EQ(level_of(&f.pt, va), 3);

	/* The memory type stays: only permissions change. */
	CHECK_EQ(pt_map(&f.pt, GiB(1), GiB(1), GiB(1), PT_RW | PT_DEVICE), 0);
	CHECK_EQ(pt_protect(&f.pt, GiB(1), MiB(4), PT_R), 0);
	CHECK(pt_lookup(&f.pt, GiB(1) + MiB(1), &pa, &prot, NULL));
	CHECK_EQ(pa, GiB(1) + MiB(1));
	CHECK_EQ(prot, PT_R | PT_DEVICE);
	CHECK(pt_lookup(&f.pt, GiB(1) + MiB(4), NULL, &prot, NULL));
	CHECK_EQ(prot, PT_RW | PT_DEVICE);
	CHECK_EQ(level_of(&f.pt, GiB(1)), 2);
	teardown(&f);
}

TEST(pgtable_protect_same_prot_keeps_block)
{
	struct fixture f;
	long allocs;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, GiB(1), GiB(1), GiB(1), PT_RW), 0);
	allocs = f.mm.allocs;
	CHECK_EQ(pt_protect(&f.pt, GiB(1) + KiB(4), KiB(4), PT_RW), 0);
	CHECK_EQ(f.mm.allocs, allocs);
	CHECK_EQ(level_of(&f.pt, GiB(1)), 1);

	/* Whole block: rewritten in place, no split. */
	CHECK_EQ(pt_protect(&f.pt, GiB(1), GiB(1), PT_RX), 0);
	CHECK_EQ(f.mm.allocs, allocs);
	CHECK_EQ(mismatches(&f.pt, GiB(1), GiB(1), GiB(1), PT_RX, MiB(2)), 0);
	teardown(&f);
}

/* Like arm64 at EL2: no write-only, so W is encoded as RW. */
static pte_t fake_leaf_w_implies_r(paddr_t pa, unsigned int prot, bool last_level)
{
	return fake_leaf(pa, prot & PT_W ? prot | PT_R : prot, last_level);
}

TEST(pgtable_protect_compares_encoded_entries)
{
	struct pt_format fmt = FAKE_FORMAT(&geo_arm64_4k);
	struct fixture f;
	long allocs;

	fmt.leaf = fake_leaf_w_implies_r;
	setup(&f, &fmt);
	CHECK_EQ(pt_map(&f.pt, MiB(2), MiB(2), MiB(2), PT_RW), 0);
	allocs = f.mm.allocs;
	/* W alone encodes as the block already is: no split, no change. */
	CHECK_EQ(pt_protect(&f.pt, MiB(2) + KiB(4), KiB(4), PT_W), 0);
	CHECK_EQ(f.mm.allocs, allocs);
	CHECK_EQ(level_of(&f.pt, MiB(2)), 2);
	CHECK_EQ(mismatches(&f.pt, MiB(2), MiB(2), MiB(2), PT_RW, KiB(4)), 0);
	teardown(&f);
}

TEST(pgtable_protect_skips_holes)
{
	struct fixture f;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, KiB(4), KiB(4), KiB(4), PT_RW), 0);
	CHECK_EQ(pt_map(&f.pt, KiB(16), KiB(16), KiB(4), PT_RW), 0);
	CHECK_EQ(pt_protect(&f.pt, 0, MiB(4), PT_R), 0);
	CHECK_EQ(mapped_pages(&f.pt, 0, MiB(4)), 2);
	CHECK_EQ(mismatches(&f.pt, KiB(4), KiB(4), KiB(4), PT_R, KiB(4)), 0);
	CHECK_EQ(mismatches(&f.pt, KiB(16), KiB(4), KiB(16), PT_R, KiB(4)), 0);
	CHECK_EQ(pt_protect(&f.pt, GiB(100), GiB(1), PT_R), 0);
	teardown(&f);
}

TEST(pgtable_remap_after_unmap)
{
	struct fixture f;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, MiB(2), MiB(2), MiB(2), PT_RW), 0);
	CHECK_EQ(pt_unmap(&f.pt, MiB(2), MiB(2)), 0);
	CHECK(!pt_lookup(&f.pt, MiB(2), NULL, NULL, NULL));
	CHECK_EQ(pt_map(&f.pt, MiB(2), MiB(4), MiB(2), PT_R), 0);
	CHECK_EQ(level_of(&f.pt, MiB(2)), 2);
	CHECK_EQ(mismatches(&f.pt, MiB(2), MiB(2), MiB(4), PT_R, KiB(4)), 0);

	/* After a split the emptied table stays linked and is used again. */
	CHECK_EQ(pt_unmap(&f.pt, MiB(2), KiB(4)), 0);
	CHECK_EQ(pt_unmap(&f.pt, MiB(2), MiB(2)), 0);
	CHECK_EQ(mapped_pages(&f.pt, MiB(2), MiB(2)), 0);
	CHECK_EQ(pt_map(&f.pt, MiB(2), MiB(2), MiB(2), PT_RW), 0);
	CHECK_EQ(mismatches(&f.pt, MiB(2), MiB(2), MiB(2), PT_RW, KiB(4)), 0);
	teardown(&f);
}

/* --- Running out of memory ------------------------------------------------ */

TEST(pgtable_map_out_of_memory_changes_nothing)
{
	uint64_t va = GiB(1) - MiB(2) - KiB(8), end = GiB(2) + MiB(2) + KiB(12);
	long budget;

	for (budget = 0; budget < 10; budget++) {
		struct fixture f;
		int ret;

		setup(&f, &fmt_arm64);
		/* Shares the level-1 table with the range below, nothing else. */
		CHECK_EQ(pt_map(&f.pt, GiB(100), 0, KiB(4), PT_RW), 0);
		f.mm.fail_after = f.mm.allocs + budget;
		ret = pt_map(&f.pt, va, va, end - va, PT_RW);
		if (ret == 0) {
			teardown(&f);
			break;
		}
		CHECK_EQ(ret, -E_NOMEM);
		CHECK_EQ(f.mm.live, 4); /* what was taken is given back */
		CHECK_EQ(mapped_pages(&f.pt, va, MiB(4)), 0);
		CHECK_EQ(mapped_pages(&f.pt, GiB(2), MiB(4)), 0);
		CHECK(!pt_lookup(&f.pt, GiB(1), NULL, NULL, NULL));
		CHECK_EQ(mapped_pages(&f.pt, GiB(100), KiB(4)), 1);
		teardown(&f);
	}
	/* Level 2 + level 3 below 1 GiB, level 2 + level 3 above 2 GiB. */
	CHECK_EQ(budget, 4);
}

TEST(pgtable_unmap_and_protect_out_of_memory)
{
	struct fixture f;
	uint64_t page = GiB(1) + MiB(7) + KiB(4);

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, GiB(1), GiB(1), GiB(1), PT_RW), 0);

	/* Splitting down to one page needs two tables; with one, nothing is
	 * unmapped (the 1 GiB block may have been split into 2 MiB ones). */
	f.mm.fail_after = f.mm.allocs + 1;
	CHECK_EQ(pt_unmap(&f.pt, page, KiB(4)), -E_NOMEM);
	CHECK_EQ(mismatches(&f.pt, GiB(1), GiB(1), GiB(1), PT_RW, KiB(4)), 0);
	CHECK_EQ(pt_protect(&f.pt, page, KiB(4), PT_R), -E_NOMEM);
	CHECK_EQ(mismatches(&f.pt, GiB(1), GiB(1), GiB(1), PT_RW, KiB(4)), 0);

	/* A range whose two ends need splits in different blocks: the first
	 * split succeeds, the second fails, the middle must stay mapped. */
	f.mm.fail_after = f.mm.allocs + 1;
	CHECK_EQ(pt_unmap(&f.pt, GiB(1) + MiB(20) + KiB(4), MiB(40)), -E_NOMEM);
	CHECK_EQ(mismatches(&f.pt, GiB(1), GiB(1), GiB(1), PT_RW, KiB(4)), 0);

	f.mm.fail_after = -1;
	CHECK_EQ(pt_unmap(&f.pt, page, KiB(4)), 0);
	CHECK(!pt_lookup(&f.pt, page, NULL, NULL, NULL));
	CHECK_EQ(mapped_pages(&f.pt, GiB(1) + MiB(6), MiB(2)), 511);
	teardown(&f);
}
