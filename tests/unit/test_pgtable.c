/*
 * Host tests of the generic page-table walker (core/pgtable.c) on a fake
 * entry format and three real geometries: arm64 4K with four levels, Sv39,
 * and Sv39x4 with its 16 KiB concatenated root. Tables are host memory
 * (physical address == host pointer), so ASan sees every table the walker
 * touches, leaks, or frees twice.
 */
#include <stdlib.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/pgtable.h>
#include "test.h"

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* --- A fake entry format ---------------------------------------------------
 * bit 0 valid; bit 1 table above the last level, page at it (as on arm64);
 * bits 2..5 the PT_* bits; bits 12..47 the address. */
#define F_VALID BIT(0)
#define F_TABLE BIT(1)
#define F_PROT_SHIFT 2
#define F_PROT_MASK 0xfULL
#define F_ADDR_MASK 0x0000fffffffff000ULL

static pte_t fake_table(paddr_t next)
{
	return (next & F_ADDR_MASK) | F_TABLE | F_VALID;
}

static pte_t fake_leaf(paddr_t pa, unsigned int prot, bool last_level)
{
	return (pa & F_ADDR_MASK) | ((pte_t)(prot & F_PROT_MASK) << F_PROT_SHIFT) |
	       (last_level ? F_TABLE : 0) | F_VALID;
}

static bool fake_is_valid(pte_t pte)
{
	return pte & F_VALID;
}

static bool fake_is_table(pte_t pte, bool last_level)
{
	return (pte & F_VALID) && (pte & F_TABLE) && !last_level;
}

static paddr_t fake_addr(pte_t pte)
{
	return pte & F_ADDR_MASK;
}

static unsigned int fake_prot(pte_t pte)
{
	return (pte >> F_PROT_SHIFT) & F_PROT_MASK;
}

static const struct pt_geometry geo_arm64_4k = {
	.levels = 4, .page_shift = 12, .level_bits = 9, .root_bits = 9, .block_min_level = 1,
};
static const struct pt_geometry geo_sv39 = {
	.levels = 3, .page_shift = 12, .level_bits = 9, .root_bits = 9, .block_min_level = 0,
};
static const struct pt_geometry geo_sv39x4 = {
	.levels = 3, .page_shift = 12, .level_bits = 9, .root_bits = 11, .block_min_level = 0,
};

#define FAKE_FORMAT(g)                                                              \
	{ .geo = (g), .table = fake_table, .leaf = fake_leaf, .is_valid = fake_is_valid, \
	  .is_table = fake_is_table, .addr = fake_addr, .prot = fake_prot }

static const struct pt_format fmt_arm64 = FAKE_FORMAT(&geo_arm64_4k);
static const struct pt_format fmt_sv39 = FAKE_FORMAT(&geo_sv39);
static const struct pt_format fmt_sv39x4 = FAKE_FORMAT(&geo_sv39x4);

/* --- Tables in host memory, with a budget to simulate running out --------- */
struct fake_mm {
	long allocs;     /* successful allocations so far */
	long live;       /* tables allocated and not freed */
	int64_t bytes;   /* bytes allocated and not freed: catches size mismatches */
	long fail_after; /* allocations that succeed before they fail; -1: never */
	long misaligned; /* frees of a pointer not aligned to the size given */
};

static void *fake_alloc_table(void *ctx, size_t size, paddr_t *pa)
{
	struct fake_mm *m = ctx;
	void *p;

	if (m->fail_after >= 0 && m->allocs >= m->fail_after)
		return NULL;
	p = aligned_alloc(size, size);
	if (!p)
		return NULL;
	memset(p, 0, size);
	m->allocs++;
	m->live++;
	m->bytes += size;
	*pa = (paddr_t)(uintptr_t)p;
	return p;
}

static void fake_free_table(void *ctx, void *va, size_t size)
{
	struct fake_mm *m = ctx;

	if ((uintptr_t)va % size)
		m->misaligned++;
	m->live--;
	m->bytes -= size;
	free(va);
}

static void *fake_phys_to_virt(void *ctx __unused, paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

struct fixture {
	struct fake_mm mm;
	struct pt_mm_ops ops;
	struct pgtable pt;
};

static void setup(struct fixture *f, const struct pt_format *fmt)
{
	memset(f, 0, sizeof(*f));
	f->mm.fail_after = -1;
	f->ops.alloc_table = fake_alloc_table;
	f->ops.free_table = fake_free_table;
	f->ops.phys_to_virt = fake_phys_to_virt;
	f->ops.ctx = &f->mm;
	CHECK_EQ(pt_init(&f->pt, fmt, &f->ops), 0);
}

static void teardown(struct fixture *f)
{
	pt_destroy(&f->pt);
	CHECK_EQ(f->mm.live, 0);
	CHECK_EQ(f->mm.bytes, 0);
	CHECK_EQ(f->mm.misaligned, 0);
}

/* Pages of [va, va + size) (every step bytes) that do not translate to
 * pa + offset with prot. */
static uint64_t mismatches(const struct pgtable *pt, uint64_t va, uint64_t size, paddr_t pa,
			   unsigned int prot, uint64_t step)
{
	uint64_t bad = 0;

	for (uint64_t off = 0; off < size; off += step) {
		paddr_t out;
		unsigned int p;

		if (!pt_lookup(pt, va + off + 0x10, &out, &p, NULL) || out != pa + off + 0x10 ||
		    p != prot)
			bad++;
	}
	return bad;
}

/* Pages of [va, va + size) that translate at all. */
static uint64_t mapped_pages(const struct pgtable *pt, uint64_t va, uint64_t size)
{
	uint64_t n = 0;

	for (uint64_t off = 0; off < size; off += KiB(4))
		n += pt_lookup(pt, va + off, NULL, NULL, NULL);
	return n;
}

static unsigned int level_of(const struct pgtable *pt, uint64_t va)
{
	unsigned int level = 99;

	pt_lookup(pt, va, NULL, NULL, &level);
	return level;
}

/* --- Geometry ------------------------------------------------------------- */

TEST(pgtable_geometry_sizes)
{
	struct pt_geometry bad = geo_arm64_4k;
	struct fixture f;

	CHECK_EQ(pt_level_size(&geo_arm64_4k, 0), GiB(512));
	CHECK_EQ(pt_level_size(&geo_arm64_4k, 1), GiB(1));
	CHECK_EQ(pt_level_size(&geo_arm64_4k, 2), MiB(2));
	CHECK_EQ(pt_level_size(&geo_arm64_4k, 3), KiB(4));
	CHECK_EQ(pt_level_size(&geo_arm64_4k, 4), 0);
	CHECK_EQ(pt_input_size(&geo_arm64_4k), 1ULL << 48);
	CHECK_EQ(pt_root_size(&geo_arm64_4k), KiB(4));

	CHECK_EQ(pt_level_size(&geo_sv39, 0), GiB(1));
	CHECK_EQ(pt_input_size(&geo_sv39), 1ULL << 39);
	CHECK_EQ(pt_root_size(&geo_sv39), KiB(4));

	CHECK_EQ(pt_level_size(&geo_sv39x4, 0), GiB(1));
	CHECK_EQ(pt_input_size(&geo_sv39x4), 1ULL << 41);
	CHECK_EQ(pt_root_size(&geo_sv39x4), KiB(16));

	/* Geometries whose input space does not fit in 64 bits are refused. */
	bad.levels = 7;
	CHECK_EQ(pt_input_size(&bad), 0);
	{
		const struct pt_format fmt_bad = FAKE_FORMAT(&bad);

		memset(&f, 0, sizeof(f));
		f.ops.alloc_table = fake_alloc_table;
		f.ops.free_table = fake_free_table;
		f.ops.phys_to_virt = fake_phys_to_virt;
		f.ops.ctx = &f.mm;
		CHECK_EQ(pt_init(&f.pt, &fmt_bad, &f.ops), -E_INVAL);
		CHECK(f.pt.root == NULL);
		CHECK_EQ(f.mm.live, 0);
	}
}

TEST(pgtable_init_out_of_memory)
{
	struct fixture f;

	memset(&f, 0, sizeof(f));
	f.ops.alloc_table = fake_alloc_table;
	f.ops.free_table = fake_free_table;
	f.ops.phys_to_virt = fake_phys_to_virt;
	f.ops.ctx = &f.mm;
	f.mm.fail_after = 0;
	CHECK_EQ(pt_init(&f.pt, &fmt_arm64, &f.ops), -E_NOMEM);
	CHECK(f.pt.root == NULL);
	CHECK(!pt_lookup(&f.pt, 0, NULL, NULL, NULL));
	CHECK_EQ(pt_map(&f.pt, 0, 0, KiB(4), PT_RW), -E_INVAL);
	pt_destroy(&f.pt); /* harmless on a table that never was */
}

/* --- Mapping -------------------------------------------------------------- */

TEST(pgtable_map_pages_and_lookup)
{
	struct fixture f;
	paddr_t pa = 0;
	unsigned int prot = 0, level = 0;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, 0x1000, 0x80001000, KiB(12), PT_RW), 0);
	CHECK(pt_lookup(&f.pt, 0x2123, &pa, &prot, &level));
	CHECK_EQ(pa, 0x80002123);
	CHECK_EQ(prot, PT_RW);
	CHECK_EQ(level, 3);
	CHECK_EQ(mismatches(&f.pt, 0x1000, KiB(12), 0x80001000, PT_RW, KiB(4)), 0);
	CHECK(!pt_lookup(&f.pt, 0x0fff, NULL, NULL, NULL));
	CHECK(!pt_lookup(&f.pt, 0x4000, NULL, NULL, NULL));
	CHECK(!pt_lookup(&f.pt, 1ULL << 48, NULL, NULL, NULL));
	/* Null out pointers are allowed. */
	CHECK(pt_lookup(&f.pt, 0x1000, NULL, NULL, NULL));
	/* Root, then one table per level below it. */
	CHECK_EQ(f.mm.allocs, 4);

	/* A device page keeps its attribute. */
	CHECK_EQ(pt_map(&f.pt, 0x9000000, 0x9000000, KiB(4), PT_RW | PT_DEVICE), 0);
	CHECK(pt_lookup(&f.pt, 0x9000000, NULL, &prot, NULL));
	CHECK_EQ(prot, PT_RW | PT_DEVICE);
	teardown(&f);
}

TEST(pgtable_blocks_when_aligned)
{
	struct fixture f;

	setup(&f, &fmt_arm64);
	/* 2 MiB aligned on both sides: one block at level 2. */
	CHECK_EQ(pt_map(&f.pt, 0x40200000, 0x80200000, MiB(2), PT_RW), 0);
	CHECK_EQ(level_of(&f.pt, 0x40200000), 2);
	CHECK_EQ(level_of(&f.pt, 0x403fffff), 2);
	CHECK_EQ(mismatches(&f.pt, 0x40200000, MiB(2), 0x80200000, PT_RW, KiB(4)), 0);
	CHECK_EQ(f.mm.allocs, 3); /* root, level 1, level 2 */

	/* 1 GiB aligned: one block at level 1, no new table. */
	CHECK_EQ(pt_map(&f.pt, GiB(2), GiB(5), GiB(1), PT_RX), 0);
	CHECK_EQ(level_of(&f.pt, GiB(2)), 1);
	CHECK_EQ(level_of(&f.pt, GiB(3) - 1), 1);
	CHECK_EQ(mismatches(&f.pt, GiB(2), GiB(1), GiB(5), PT_RX, MiB(1)), 0);
	CHECK_EQ(f.mm.allocs, 3);

	/* The root level of this geometry holds no blocks: 512 GiB is made of
	 * 1 GiB blocks in one new level-1 table. */
	CHECK_EQ(pt_map(&f.pt, GiB(512), GiB(1024), GiB(512), PT_R), 0);
	CHECK_EQ(level_of(&f.pt, GiB(512)), 1);
	CHECK_EQ(level_of(&f.pt, GiB(1023)), 1);
	CHECK_EQ(mismatches(&f.pt, GiB(512), GiB(512), GiB(1024), PT_R, GiB(1)), 0);
	CHECK_EQ(f.mm.allocs, 4);
	teardown(&f);
}

TEST(pgtable_no_block_when_unaligned)
{
	struct fixture f;

	setup(&f, &fmt_arm64);
	/* va 2 MiB aligned but pa only 4 KiB aligned: pages. */
	CHECK_EQ(pt_map(&f.pt, MiB(2), 0x80001000, MiB(2), PT_RW), 0);
	CHECK_EQ(level_of(&f.pt, MiB(2)), 3);
	CHECK_EQ(level_of(&f.pt, MiB(4) - 1), 3);
	CHECK_EQ(mismatches(&f.pt, MiB(2), MiB(2), 0x80001000, PT_RW, KiB(4)), 0);

	/* Both aligned, but the size is one page short: pages. */
	CHECK_EQ(pt_map(&f.pt, MiB(6), MiB(6), MiB(2) - KiB(4), PT_RW), 0);
	CHECK_EQ(level_of(&f.pt, MiB(6)), 3);
	CHECK(!pt_lookup(&f.pt, MiB(8) - KiB(4), NULL, NULL, NULL));

	/* 1 GiB worth with pa only 2 MiB aligned: 2 MiB blocks, no 1 GiB one. */
	CHECK_EQ(pt_map(&f.pt, GiB(1), GiB(4) + MiB(2), GiB(1), PT_RW), 0);
	CHECK_EQ(level_of(&f.pt, GiB(1)), 2);
	CHECK_EQ(level_of(&f.pt, GiB(2) - 1), 2);
	CHECK_EQ(mismatches(&f.pt, GiB(1), GiB(1), GiB(4) + MiB(2), PT_RW, MiB(2)), 0);
	teardown(&f);
}

TEST(pgtable_mixed_alignment_range)
{
	struct fixture f;
	uint64_t va = GiB(1) - MiB(2) - KiB(8), end = GiB(2) + MiB(2) + KiB(12);
	paddr_t pa = va + GiB(4);

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, va, pa, end - va, PT_RWX), 0);
	CHECK_EQ(level_of(&f.pt, va), 3);
	CHECK_EQ(level_of(&f.pt, GiB(1) - MiB(2)), 2);
	CHECK_EQ(level_of(&f.pt, GiB(1)), 1);
	CHECK_EQ(level_of(&f.pt, GiB(2)), 2);
	CHECK_EQ(level_of(&f.pt, GiB(2) + MiB(2)), 3);
	CHECK_EQ(level_of(&f.pt, end - 1), 3);
	CHECK_EQ(mismatches(&f.pt, va, end - va, pa, PT_RWX, KiB(4)), 0);
	CHECK(!pt_lookup(&f.pt, va - 1, NULL, NULL, NULL));
	CHECK(!pt_lookup(&f.pt, end, NULL, NULL, NULL));
	/* root, level 1, level 2 + level 3 below 1 GiB, level 2 + level 3 above 2 GiB */
	CHECK_EQ(f.mm.allocs, 6);
	teardown(&f);
}

TEST(pgtable_exist_changes_nothing)
{
	struct fixture f;
	long allocs;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, MiB(2), GiB(1), KiB(8), PT_RW), 0);
	allocs = f.mm.allocs;

	/* Overlapping the mapped pages at either end or in the middle. */
	CHECK_EQ(pt_map(&f.pt, 0, GiB(2), MiB(4), PT_RW), -E_EXIST);
	CHECK_EQ(pt_map(&f.pt, MiB(2) + KiB(4), GiB(2), MiB(2), PT_RW), -E_EXIST);
	CHECK_EQ(pt_map(&f.pt, MiB(1), GiB(2), MiB(1) + KiB(4), PT_RW), -E_EXIST);
	/* The same mapping again is not special. */
	CHECK_EQ(pt_map(&f.pt, MiB(2), GiB(1), KiB(8), PT_RW), -E_EXIST);
	/* A range that would be a 1 GiB block. */
	CHECK_EQ(pt_map(&f.pt, 0, 0, GiB(1), PT_RW), -E_EXIST);

	CHECK_EQ(f.mm.allocs, allocs);
	CHECK_EQ(mapped_pages(&f.pt, 0, MiB(8)), 2);
	CHECK_EQ(mismatches(&f.pt, MiB(2), KiB(8), GiB(1), PT_RW, KiB(4)), 0);

	/* A page inside an existing block. */
	CHECK_EQ(pt_map(&f.pt, GiB(3), GiB(3), GiB(1), PT_R), 0);
	CHECK_EQ(pt_map(&f.pt, GiB(3) + MiB(5), 0, KiB(4), PT_RW), -E_EXIST);
	CHECK_EQ(level_of(&f.pt, GiB(3) + MiB(5)), 1);
	teardown(&f);
}

TEST(pgtable_bad_arguments)
{
	struct fixture f;
	uint64_t top = 1ULL << 48;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, 0x1001, 0x1000, KiB(4), PT_RW), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, 0x1000, 0x1001, KiB(4), PT_RW), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, 0x1000, 0x1000, KiB(4) + 1, PT_RW), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, 0x1000, 0x1000, 0, PT_RW), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, 0x1000, 0x1000, KiB(4), 0), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, top, 0, KiB(4), PT_RW), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, top - KiB(4), 0, KiB(8), PT_RW), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, 0xfffffffffffff000, 0, KiB(8), PT_RW), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, 0x1000, 0xfffffffffffff000, KiB(8), PT_RW), -E_INVAL);

	CHECK_EQ(pt_unmap(&f.pt, 0x1800, KiB(4)), -E_INVAL);
	CHECK_EQ(pt_unmap(&f.pt, 0x1000, 0), -E_INVAL);
	CHECK_EQ(pt_unmap(&f.pt, top - KiB(4), KiB(8)), -E_INVAL);
	CHECK_EQ(pt_unmap(&f.pt, 0xfffffffffffff000, KiB(8)), -E_INVAL);
	CHECK_EQ(pt_protect(&f.pt, 0x1000, KiB(4), 0), -E_INVAL);
	CHECK_EQ(pt_protect(&f.pt, 0x1000, KiB(4), PT_R | PT_DEVICE), -E_INVAL);
	CHECK_EQ(pt_protect(&f.pt, 0x1000, KiB(6), PT_R), -E_INVAL);
	CHECK_EQ(f.mm.allocs, 1);

	/* The last page of the space is fine. */
	CHECK_EQ(pt_map(&f.pt, top - KiB(4), 0x5000, KiB(4), PT_RW), 0);
	CHECK_EQ(mismatches(&f.pt, top - KiB(4), KiB(4), 0x5000, PT_RW, KiB(4)), 0);
	CHECK_EQ(pt_unmap(&f.pt, top - KiB(4), KiB(4)), 0);
	CHECK(!pt_lookup(&f.pt, top - KiB(4), NULL, NULL, NULL));
	teardown(&f);
}

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

/* --- RISC-V geometries ---------------------------------------------------- */

TEST(pgtable_sv39_gigapage_at_root)
{
	struct fixture f;

	setup(&f, &fmt_sv39);
	CHECK_EQ(pt_map(&f.pt, 0, GiB(2), GiB(1), PT_RWX), 0);
	CHECK_EQ(level_of(&f.pt, 0), 0);
	CHECK_EQ(f.mm.allocs, 1);
	CHECK_EQ(pt_unmap(&f.pt, MiB(2) + KiB(4), KiB(4)), 0);
	CHECK_EQ(level_of(&f.pt, 0), 1);
	CHECK_EQ(level_of(&f.pt, MiB(2)), 2);
	CHECK(!pt_lookup(&f.pt, MiB(2) + KiB(4), NULL, NULL, NULL));
	CHECK_EQ(mismatches(&f.pt, MiB(2) + KiB(8), GiB(1) - MiB(2) - KiB(8), GiB(2) + MiB(2) + KiB(8),
			    PT_RWX, KiB(4)), 0);
	CHECK_EQ(pt_map(&f.pt, 1ULL << 39, 0, KiB(4), PT_RW), -E_INVAL);
	CHECK(!pt_lookup(&f.pt, 1ULL << 39, NULL, NULL, NULL));
	teardown(&f);
}

TEST(pgtable_sv39x4_concatenated_root)
{
	struct fixture f;
	uint64_t top = 1ULL << 41;
	const pte_t *root;

	setup(&f, &fmt_sv39x4);
	CHECK_EQ(f.mm.bytes, KiB(16));
	CHECK_EQ(f.pt.root_pa % KiB(16), 0);
	root = f.pt.root;

	/* The last gigapage of the 41-bit space is the root's last entry. */
	CHECK_EQ(pt_map(&f.pt, top - GiB(1), GiB(8), GiB(1), PT_RW), 0);
	CHECK(fake_is_valid(root[2047]));
	CHECK_EQ(level_of(&f.pt, top - 1), 0);
	CHECK_EQ(mismatches(&f.pt, top - GiB(1), GiB(1), GiB(8), PT_RW, MiB(2)), 0);

	/* Just past what Sv39 reaches: entry 512, pages below it. */
	CHECK_EQ(pt_map(&f.pt, 1ULL << 39, 0x80000000, KiB(8), PT_R), 0);
	CHECK(fake_is_table(root[512], false));
	CHECK_EQ(mismatches(&f.pt, 1ULL << 39, KiB(8), 0x80000000, PT_R, KiB(4)), 0);
	CHECK(!pt_lookup(&f.pt, 0, NULL, NULL, NULL)); /* entry 0 untouched */

	CHECK_EQ(pt_map(&f.pt, top, 0, KiB(4), PT_RW), -E_INVAL);
	CHECK_EQ(pt_map(&f.pt, top - KiB(4), 0, KiB(8), PT_RW), -E_INVAL);
	CHECK(!pt_lookup(&f.pt, top, NULL, NULL, NULL));

	CHECK_EQ(pt_unmap(&f.pt, top - MiB(2), MiB(1)), 0);
	CHECK_EQ(mismatches(&f.pt, top - GiB(1), GiB(1) - MiB(2), GiB(8), PT_RW, KiB(4)), 0);
	CHECK_EQ(mapped_pages(&f.pt, top - MiB(2), MiB(2)), 256);
	teardown(&f);
}

TEST(pgtable_destroy_frees_everything)
{
	struct fixture f;

	setup(&f, &fmt_arm64);
	CHECK_EQ(pt_map(&f.pt, KiB(4), KiB(4), GiB(3), PT_RW), 0);
	CHECK_EQ(pt_map(&f.pt, GiB(600), 0, MiB(6) + KiB(4), PT_R), 0);
	CHECK_EQ(pt_unmap(&f.pt, GiB(1) + KiB(12), KiB(4)), 0);
	CHECK(f.mm.live > 5);
	pt_destroy(&f.pt);
	CHECK_EQ(f.mm.live, 0);
	CHECK_EQ(f.mm.bytes, 0);
	CHECK(f.pt.root == NULL);
	CHECK(!pt_lookup(&f.pt, KiB(4), NULL, NULL, NULL));
	pt_destroy(&f.pt); /* twice is harmless */
	teardown(&f);
}

/* --- Random operations against a model, with memory running out ---------- */

#define MODEL_SPAN GiB(2)
#define MODEL_PAGES (MODEL_SPAN >> 12)

struct model {
	paddr_t pa[MODEL_PAGES];
	uint8_t prot[MODEL_PAGES]; /* 0: unmapped */
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/*
 * A range made of 4 KiB, 2 MiB and 1 GiB pieces, so that blocks form; or,
 * to poke into blocks and split them, a short one from a mapped page.
 */
static void random_range(const struct model *m, bool poke, uint64_t *va, uint64_t *size)
{
	static const uint64_t grains[] = { KiB(4), MiB(2), GiB(1) };
	uint64_t start_grain = grains[rng() % 3], len = 0;

	if (poke) {
		uint64_t page = rng() % MODEL_PAGES;

		for (uint64_t n = 0; n < MODEL_PAGES && !m->prot[page]; n++)
			page = (page + 1) % MODEL_PAGES;
		*va = page << 12;
		*size = MIN((1 + rng() % 1024) << 12, MODEL_SPAN - *va);
		return;
	}
	*va = (rng() % (MODEL_SPAN / start_grain)) * start_grain;
	if (rng() % 2 == 0)
		*va += (rng() % 512) * KiB(4);
	for (unsigned int n = 1 + rng() % 3; n; n--)
		len += grains[rng() % 8 ? rng() % 2 : 2] * (1 + rng() % 3);
	if (*va >= MODEL_SPAN)
		*va = MODEL_SPAN - KiB(4);
	*size = MIN(len, MODEL_SPAN - *va);
}

/* 0 map (half the time, so there is something to split), 1 unmap, 2 protect. */
static unsigned int random_op(void)
{
	unsigned int r = rng() % 4;

	return r < 2 ? 0 : r - 1;
}

/* Pages of [va, va + size), every step bytes, where the tables and the
 * model disagree. */
static uint64_t model_mismatches(const struct pgtable *pt, const struct model *m, uint64_t va,
				 uint64_t size, uint64_t step)
{
	uint64_t bad = 0;

	for (uint64_t page = va >> 12; page < (va + size) >> 12; page += step >> 12) {
		paddr_t pa;
		unsigned int prot;
		bool mapped = pt_lookup(pt, page << 12, &pa, &prot, NULL);

		if (mapped != (m->prot[page] != 0) ||
		    (mapped && (pa != m->pa[page] || prot != m->prot[page])))
			bad++;
	}
	return bad;
}

static int model_apply(struct fixture *f, struct model *m, unsigned int op, uint64_t va,
		       uint64_t size, paddr_t pa, unsigned int prot)
{
	uint64_t first = va >> 12, n = size >> 12, i;
	int ret;

	switch (op) {
	case 0:
		ret = pt_map(&f->pt, va, pa, size, prot);
		for (i = 0; i < n && !m->prot[first + i]; i++)
			;
		if (i < n) {
			CHECK_EQ(ret, -E_EXIST);
			return ret;
		}
		if (ret)
			return ret;
		for (i = 0; i < n; i++) {
			m->pa[first + i] = pa + (i << 12);
			m->prot[first + i] = prot;
		}
		return 0;
	case 1:
		ret = pt_unmap(&f->pt, va, size);
		if (!ret)
			memset(&m->prot[first], 0, n);
		return ret;
	default:
		ret = pt_protect(&f->pt, va, size, prot);
		for (i = 0; !ret && i < n; i++)
			if (m->prot[first + i])
				m->prot[first + i] = prot;
		return ret;
	}
}

TEST(pgtable_random_against_model)
{
	static const unsigned int prots[] = { PT_R, PT_RW, PT_RX, PT_RWX };
	struct model *m = calloc(1, sizeof(*m));
	struct fixture f;
	unsigned int ooms = 0;

	setup(&f, &fmt_arm64);
	for (unsigned int iter = 0; iter < 400 && m; iter++) {
		unsigned int op = random_op(), prot = prots[rng() % 4];
		uint64_t va, size, lo, hi;
		/* Mostly keep pa congruent to va modulo 1 GiB, so blocks form. */
		paddr_t pa = rng() % 4 ? GiB(1 + rng() % 8) : (1 + rng() % 100000) * KiB(4);
		int ret;

		/* Tables are never freed while linked, so start afresh now and
		 * then, or everything ends up split into pages. */
		if (iter % 40 == 0) {
			teardown(&f);
			setup(&f, &fmt_arm64);
			memset(m, 0, sizeof(*m));
		}
		random_range(m, op != 0 && rng() % 2, &va, &size);
		pa += va;
		f.mm.fail_after = rng() % 3 == 0 ? f.mm.allocs + (long)(rng() % 3) : -1;
		ret = model_apply(&f, m, op, va, size, pa, prot);
		CHECK(ret == 0 || ret == -E_NOMEM || ret == -E_EXIST);
		ooms += ret == -E_NOMEM;
		/* Every page near both ends of the range, a sample of the rest;
		 * every page of the span before starting afresh. */
		lo = va >= MiB(4) ? va - MiB(4) : 0;
		hi = MIN(va + MiB(4), MODEL_SPAN);
		CHECK_EQ(model_mismatches(&f.pt, m, lo, hi - lo, KiB(4)), 0);
		lo = va + size >= MiB(4) ? va + size - MiB(4) : 0;
		hi = MIN(va + size + MiB(4), MODEL_SPAN);
		CHECK_EQ(model_mismatches(&f.pt, m, lo, hi - lo, KiB(4)), 0);
		CHECK_EQ(model_mismatches(&f.pt, m, 0, MODEL_SPAN, KiB(4) * 61), 0);
		if (iter % 40 == 39)
			CHECK_EQ(model_mismatches(&f.pt, m, 0, MODEL_SPAN, KiB(4)), 0);
	}
	CHECK(ooms > 0); /* the failure paths were taken */
	teardown(&f);
	free(m);
}

/* The tables set aside for a range (pt_tables_to_map) are exactly what
 * mapping it page by page takes, wherever the range sits. */
/* pt_map_page gives what pt_map of one page gives: the same entries, the
 * same tables, the same refusals. */
TEST(pgtable_map_page_is_pt_map_of_a_page)
{
	static const struct pt_format *fmts[] = { &fmt_arm64, &fmt_sv39, &fmt_sv39x4 };

	for (unsigned int k = 0; k < 3; k++) {
		struct fixture a, b;
		uint64_t seed = 12345 + k;

		setup(&a, fmts[k]);
		setup(&b, fmts[k]);
		/* A 2 MiB block in both, to fault into. */
		CHECK_EQ(pt_map(&a.pt, 0x40000000, 0x80000000, 2 << 20, PT_R), 0);
		CHECK_EQ(pt_map(&b.pt, 0x40000000, 0x80000000, 2 << 20, PT_R), 0);
		for (int i = 0; i < 300; i++) {
			uint64_t va, pa;
			unsigned int prot = (i % 3 == 0) ? PT_RWX : PT_R | PT_W;
			int ra, rb;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			/* Pages in a few 1 GiB windows, some repeated, some in the block. */
			va = ((seed >> 33) % 4) * 0x40000000 + ((seed >> 20) % 700) * 0x1000;
			pa = 0x100000000ull + ((seed >> 12) % 5000) * 0x1000;
			ra = pt_map(&a.pt, va, pa, 0x1000, prot);
			rb = pt_map_page(&b.pt, va, pa, prot);
			CHECK_EQ(ra, rb);
		}
		for (uint64_t w = 0; w < 4; w++) {
			for (uint64_t va = w << 30; va < (w << 30) + (4 << 20); va += 0x1000) {
				paddr_t pa_a = 0, pa_b = 0;
				unsigned int pr_a = 0, pr_b = 0, lv_a = 0, lv_b = 0;
				bool ma = pt_lookup(&a.pt, va, &pa_a, &pr_a, &lv_a);
				bool mb = pt_lookup(&b.pt, va, &pa_b, &pr_b, &lv_b);

				CHECK(ma == mb && pa_a == pa_b && pr_a == pr_b && lv_a == lv_b);
			}
		}
		CHECK_EQ(a.mm.allocs, b.mm.allocs);
		/* The refusals. */
		CHECK_EQ(pt_map_page(&b.pt, 0x40001000, 0x1000, PT_R), -E_EXIST); /* in the block */
		CHECK_EQ(pt_map_page(&b.pt, 0x123, 0x1000, PT_R), -E_INVAL);
		CHECK_EQ(pt_map_page(&b.pt, 0x1000, 0x123, PT_R), -E_INVAL);
		CHECK_EQ(pt_map_page(&b.pt, 0x1000, 0x1000, 0), -E_INVAL);
		CHECK_EQ(pt_map_page(&b.pt, pt_input_size(fmts[k]->geo), 0x1000, PT_R), -E_INVAL);
		/* Out of tables: a page in a 2 MiB region with no table yet. */
		b.mm.fail_after = b.mm.allocs;
		CHECK_EQ(pt_map_page(&b.pt, 0xe0000000, 0x1000, PT_R), -E_NOMEM);
		CHECK(!pt_lookup(&b.pt, 0xe0000000, NULL, NULL, NULL));
		b.mm.fail_after = -1;
		teardown(&a);
		teardown(&b);
	}
}

TEST(pgtable_tables_to_map_is_what_mapping_takes)
{
	static const struct {
		const struct pt_format *fmt;
		uint64_t va, size;
		uint64_t want;
	} cases[] = {
		/* Sv39: one L1 table covers 1 GiB, one L2 table 2 MiB. */
		{ &fmt_sv39, GiB(2), MiB(64), 1 + 32 },
		{ &fmt_sv39, GiB(1) - MiB(2), MiB(4), 2 + 2 },
		{ &fmt_sv39, GiB(2) + KiB(4), KiB(8), 1 + 1 },
		{ &fmt_sv39x4, GiB(2) - MiB(1), MiB(4), 2 + 3 },
		{ &fmt_arm64, GiB(1) - KiB(4), MiB(2) + KiB(8), 1 + 2 + 3 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fixture f;
		uint64_t want = pt_tables_to_map(cases[i].fmt->geo, cases[i].va, cases[i].size);

		CHECK_EQ(want, cases[i].want);
		setup(&f, cases[i].fmt);
		for (uint64_t off = 0; off < cases[i].size; off += KiB(4))
			CHECK_EQ(pt_map(&f.pt, cases[i].va + off, GiB(8) + off, KiB(4), PT_RW), 0);
		CHECK_EQ((uint64_t)f.mm.allocs - 1, want); /* less the root */
		teardown(&f);
	}
	CHECK_EQ(pt_tables_to_map(&geo_sv39, GiB(2), 0), 0);
}
