/*
 * Host tests of the generic page-table walker (core/pgtable.c) on a fake
 * entry format and three real geometries: arm64 4K with four levels, Sv39,
 * and Sv39x4 with its 16 KiB concatenated root. Tables are host memory
 * (physical address == host pointer), so ASan sees every table the walker
 * touches, leaks, or frees twice. Here: the shared fixture, geometry,
 * mapping and the RISC-V roots; unmapping and protecting in
 * test_pgtable_unmap.c, random operations against a model in
 * test_pgtable_model.c.
 */
#include <stdlib.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/pgtable.h>
#include "pgtable_test.h"
#include "test.h"

/* --- The fake entry format (pgtable_test.h) ------------------------------- */

pte_t fake_table(paddr_t next)
{
	return (next & F_ADDR_MASK) | F_TABLE | F_VALID;
}

pte_t fake_leaf(paddr_t pa, unsigned int prot, bool last_level)
{
	return (pa & F_ADDR_MASK) | ((pte_t)(prot & F_PROT_MASK) << F_PROT_SHIFT) |
	       (last_level ? F_TABLE : 0) | F_VALID;
}

bool fake_is_valid(pte_t pte)
{
	return pte & F_VALID;
}

bool fake_is_table(pte_t pte, bool last_level)
{
	return (pte & F_VALID) && (pte & F_TABLE) && !last_level;
}

paddr_t fake_addr(pte_t pte)
{
	return pte & F_ADDR_MASK;
}

unsigned int fake_prot(pte_t pte)
{
	return (pte >> F_PROT_SHIFT) & F_PROT_MASK;
}

const struct pt_geometry geo_arm64_4k = {
	.levels = 4, .page_shift = 12, .level_bits = 9, .root_bits = 9, .block_min_level = 1,
};
const struct pt_geometry geo_sv39 = {
	.levels = 3, .page_shift = 12, .level_bits = 9, .root_bits = 9, .block_min_level = 0,
};
const struct pt_geometry geo_sv39x4 = {
	.levels = 3, .page_shift = 12, .level_bits = 9, .root_bits = 11, .block_min_level = 0,
};


const struct pt_format fmt_arm64 = FAKE_FORMAT(&geo_arm64_4k);
const struct pt_format fmt_sv39 = FAKE_FORMAT(&geo_sv39);
const struct pt_format fmt_sv39x4 = FAKE_FORMAT(&geo_sv39x4);

/* --- Tables in host memory, with a budget to simulate running out --------- */

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


void setup(struct fixture *f, const struct pt_format *fmt)
{
	memset(f, 0, sizeof(*f));
	f->mm.fail_after = -1;
	f->ops.alloc_table = fake_alloc_table;
	f->ops.free_table = fake_free_table;
	f->ops.phys_to_virt = fake_phys_to_virt;
	f->ops.ctx = &f->mm;
	CHECK_EQ(pt_init(&f->pt, fmt, &f->ops), 0);
}

void teardown(struct fixture *f)
{
	pt_destroy(&f->pt);
	CHECK_EQ(f->mm.live, 0);
	CHECK_EQ(f->mm.bytes, 0);
	CHECK_EQ(f->mm.misaligned, 0);
}

/* Pages of [va, va + size) (every step bytes) that do not translate to
 * pa + offset with prot. */
uint64_t mismatches(const struct pgtable *pt, uint64_t va, uint64_t size, paddr_t pa,
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
uint64_t mapped_pages(const struct pgtable *pt, uint64_t va, uint64_t size)
{
	uint64_t n = 0;

	for (uint64_t off = 0; off < size; off += KiB(4))
		n += pt_lookup(pt, va + off, NULL, NULL, NULL);
	return n;
}

unsigned int level_of(const struct pgtable *pt, uint64_t va)
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
