/*
 * What the page-table walker's unit tests share (test_pgtable*.c): a fake
 * entry format on three real geometries, tables in host memory with a
 * budget, and checks of what a range translates to. Defined in
 * test_pgtable.c.
 */
#ifndef TESTS_UNIT_PGTABLE_TEST_H
#define TESTS_UNIT_PGTABLE_TEST_H

#include <tern/compiler.h>
#include <tern/pgtable.h>

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* The fake format: bit 0 valid; bit 1 table above the last level, page at
 * it (as on arm64); bits 2..5 the PT_* bits; bits 12..47 the address. */
#define F_VALID BIT(0)
#define F_TABLE BIT(1)
#define F_PROT_SHIFT 2
#define F_PROT_MASK 0xfULL
#define F_ADDR_MASK 0x0000fffffffff000ULL

pte_t fake_table(paddr_t next);
pte_t fake_leaf(paddr_t pa, unsigned int prot, bool last_level);
bool fake_is_valid(pte_t pte);
bool fake_is_table(pte_t pte, bool last_level);
paddr_t fake_addr(pte_t pte);
unsigned int fake_prot(pte_t pte);

extern const struct pt_geometry geo_arm64_4k, geo_sv39, geo_sv39x4;
#define FAKE_FORMAT(g)                                                              \
	{ .geo = (g), .table = fake_table, .leaf = fake_leaf, .is_valid = fake_is_valid, \
	  .is_table = fake_is_table, .addr = fake_addr, .prot = fake_prot }
extern const struct pt_format fmt_arm64, fmt_sv39, fmt_sv39x4;

/* Tables in host memory, with a budget to simulate running out. */
struct fake_mm {
	long allocs;     /* successful allocations so far */
	long live;       /* tables allocated and not freed */
	int64_t bytes;   /* bytes allocated and not freed: catches size mismatches */
	long fail_after; /* allocations that succeed before they fail; -1: never */
	long misaligned; /* frees of a pointer not aligned to the size given */
};

struct fixture {
	struct fake_mm mm;
	struct pt_mm_ops ops;
	struct pgtable pt;
};

/* A walker on fmt with unlimited tables; teardown checks none leaked. */
void setup(struct fixture *f, const struct pt_format *fmt);
void teardown(struct fixture *f);
/* Pages of [va, va + size) (every step bytes) that do not translate to
 * pa + offset with prot. */
uint64_t mismatches(const struct pgtable *pt, uint64_t va, uint64_t size, paddr_t pa,
		    unsigned int prot, uint64_t step);
/* Pages of [va, va + size) that translate at all. */
uint64_t mapped_pages(const struct pgtable *pt, uint64_t va, uint64_t size);
/* The level va's entry is at (99: none). */
unsigned int level_of(const struct pgtable *pt, uint64_t va);

#endif
