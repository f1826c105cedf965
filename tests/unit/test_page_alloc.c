/*
 * Host tests of the page allocator (core/page_alloc.c). Pools only do
 * arithmetic on addresses, so most tests use made-up physical ranges; the
 * pages_alloc test backs tern_pool with real host memory.
 */
#include <stdlib.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>
#include "test.h"

#define PAGES(n) ((uint64_t)(n) * PAGE_SIZE)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* The pool's own promises: sorted, page aligned, non-empty, non-touching
 * extents that add up to free_bytes. Returns the number broken. */
static int broken_invariants(const struct page_pool *pool)
{
	uint64_t sum = 0;
	int broken = 0;

	broken += pool->nr_free > POOL_MAX_EXTENTS;
	for (unsigned int i = 0; i < pool->nr_free && i < POOL_MAX_EXTENTS; i++) {
		const struct mem_range *e = &pool->free[i];

		broken += e->size == 0 || !IS_ALIGNED(e->base, PAGE_SIZE) ||
			  !IS_ALIGNED(e->size, PAGE_SIZE) || e->base == 0;
		if (i > 0)
			broken += pool->free[i - 1].base + pool->free[i - 1].size >= e->base;
		sum += e->size;
	}
	broken += sum != pool->free_bytes;
	broken += pool->free_bytes > pool->total;
	return broken;
}

/* A pool with one extent per (base, pages) pair. */
static void pool_with(struct page_pool *pool, paddr_t base, uint64_t pages)
{
	pool_init(pool);
	CHECK_EQ(pool_add(pool, base, PAGES(pages)), 0);
}

TEST(page_alloc_add_aligns_inwards_and_merges)
{
	struct page_pool pool;

	pool_init(&pool);
	CHECK_EQ(pool_add(&pool, 0x80000123, 0x10000), 0);
	CHECK_EQ(pool.nr_free, 1);
	CHECK_EQ(pool.free[0].base, 0x80001000);
	CHECK_EQ(pool.free[0].size, 0xf000);
	CHECK_EQ(pool.total, 0xf000);
	CHECK_EQ(pool.free_bytes, 0xf000);

	/* Less than a whole page: nothing to add, not an error. */
	CHECK_EQ(pool_add(&pool, 0x90000010, 0x100), 0);
	CHECK_EQ(pool_add(&pool, 0x90000000, 0), 0);
	CHECK_EQ(pool.nr_free, 1);

	/* Overlapping free memory is refused; wrapping is a bad argument. */
	CHECK_EQ(pool_add(&pool, 0x80008000, 0x10000), -E_EXIST);
	CHECK_EQ(pool_add(&pool, 0xfffffffffffff000, 0x2000), -E_INVAL);
	CHECK_EQ(pool.total, 0xf000);

	/* Touching on either side: one extent. */
	CHECK_EQ(pool_add(&pool, 0x80010000, 0x1000), 0);
	CHECK_EQ(pool_add(&pool, 0x80000000, 0x1000), 0);
	CHECK_EQ(pool.nr_free, 1);
	CHECK_EQ(pool.free[0].base, 0x80000000);
	CHECK_EQ(pool.free[0].size, 0x11000);
	/* Apart: sorted. */
	CHECK_EQ(pool_add(&pool, 0x40000000, 0x2000), 0);
	CHECK_EQ(pool.nr_free, 2);
	CHECK_EQ(pool.free[0].base, 0x40000000);
	CHECK_EQ(pool.lo, 0x40000000);
	CHECK_EQ(pool.hi, 0x80011000);
	CHECK_EQ(broken_invariants(&pool), 0);
}

TEST(page_alloc_page_zero_never_handed_out)
{
	struct page_pool pool;

	pool_init(&pool);
	CHECK_EQ(pool_add(&pool, 0, PAGES(4)), 0);
	CHECK_EQ(pool.free[0].base, PAGE_SIZE);
	CHECK_EQ(pool.total, PAGES(3));
	CHECK_EQ(pool_alloc(&pool, NULL, PAGES(3), 0), PAGE_SIZE);
	CHECK_EQ(pool_alloc(&pool, NULL, PAGE_SIZE, 0), 0);
	/* A free of 0 is refused, not taken as page 0. */
	pool_free(&pool, NULL, 0, PAGE_SIZE);
	CHECK_EQ(pool.bad_frees, 1);
	CHECK_EQ(pool.free_bytes, 0);
}

TEST(page_alloc_alignment)
{
	struct page_pool pool;
	paddr_t a, b;

	pool_with(&pool, 0x80001000, 2047); /* up to 0x80800000 */
	a = pool_alloc(&pool, NULL, PAGE_SIZE, MiB(2));
	CHECK_EQ(a, 0x80200000);
	CHECK_EQ(pool.nr_free, 2);
	CHECK_EQ(pool.free[0].base, 0x80001000);
	CHECK_EQ(pool.free[0].size, 0x80200000 - 0x80001000);
	CHECK_EQ(pool.free[1].base, 0x80201000);

	/* No alignment, or less than a page: first fit at page alignment. */
	CHECK_EQ(pool_alloc(&pool, NULL, 1, 0), 0x80001000);
	CHECK_EQ(pool_alloc(&pool, NULL, PAGE_SIZE, 16), 0x80002000);
	/* Not a power of two, or nothing aligned enough: 0. */
	CHECK_EQ(pool_alloc(&pool, NULL, PAGE_SIZE, 3 * PAGE_SIZE), 0);
	CHECK_EQ(pool_alloc(&pool, NULL, PAGE_SIZE, GiB(1)), 0);
	CHECK_EQ(pool_alloc(&pool, NULL, 0, 0), 0);
	CHECK_EQ(pool_alloc(&pool, NULL, UINT64_MAX, 0), 0);

	/* A large alignment skips an extent that is too small once aligned. */
	b = pool_alloc(&pool, NULL, MiB(2), MiB(2));
	CHECK_EQ(b, 0x80400000);
	CHECK_EQ(broken_invariants(&pool), 0);
}

TEST(page_alloc_exhaustion_and_coalescing)
{
	static const unsigned int order[16] = { 7, 3, 12, 0, 15, 9, 1, 4, 14, 6, 10, 2, 13, 8, 5, 11 };
	struct page_pool pool;
	struct mem_account acct = { .name = "test" };
	paddr_t pages[16];

	pool_with(&pool, 0x40000000, 16);
	for (unsigned int i = 0; i < 16; i++) {
		pages[i] = pool_alloc(&pool, &acct, PAGE_SIZE, 0);
		CHECK_EQ(pages[i], 0x40000000 + PAGES(i));
	}
	CHECK_EQ(pool_alloc(&pool, &acct, PAGE_SIZE, 0), 0);
	CHECK_EQ(pool.nr_free, 0);
	CHECK_EQ(pool.free_bytes, 0);

	for (unsigned int i = 0; i < 16; i++) {
		pool_free(&pool, &acct, pages[order[i]], PAGE_SIZE);
		CHECK_EQ(broken_invariants(&pool), 0);
	}
	CHECK_EQ(pool.nr_free, 1);
	CHECK_EQ(pool.free[0].base, 0x40000000);
	CHECK_EQ(pool.free[0].size, PAGES(16));
	CHECK_EQ(pool.free_bytes, pool.total);
	CHECK_EQ(acct.used, 0);
	CHECK_EQ(acct.peak, PAGES(16));
	CHECK_EQ(pool.bad_frees, 0);

	/* All of it at once now works again. */
	CHECK_EQ(pool_alloc(&pool, &acct, PAGES(16), 0), 0x40000000);
}

TEST(page_alloc_reserve)
{
	struct page_pool pool;

	pool_init(&pool);
	CHECK_EQ(pool_add(&pool, GiB(1), MiB(16)), 0);
	CHECK_EQ(pool_add(&pool, GiB(2), MiB(16)), 0);

	/* Across the gap, unaligned: aligned outwards, both banks trimmed. */
	CHECK_EQ(pool_reserve(&pool, GiB(1) + MiB(15) + 5, GiB(1) + MiB(1) - MiB(15) - 6), 0);
	CHECK_EQ(pool.nr_free, 2);
	CHECK_EQ(pool.free[0].base, GiB(1));
	CHECK_EQ(pool.free[0].size, MiB(15));
	CHECK_EQ(pool.free[1].base, GiB(2) + MiB(1));
	CHECK_EQ(pool.free[1].size, MiB(15));
	CHECK_EQ(pool.total, MiB(30));
	CHECK_EQ(pool.free_bytes, MiB(30));

	/* In the middle of a bank: split in two. */
	CHECK_EQ(pool_reserve(&pool, GiB(1) + MiB(4) + 1, 1), 0);
	CHECK_EQ(pool.nr_free, 3);
	CHECK_EQ(pool.free[0].size, MiB(4));
	CHECK_EQ(pool.free[1].base, GiB(1) + MiB(4) + PAGE_SIZE);
	CHECK_EQ(pool.free_bytes, MiB(30) - PAGE_SIZE);

	/* Nothing free there: nothing changes. */
	CHECK_EQ(pool_reserve(&pool, GiB(3), MiB(1)), 0);
	CHECK_EQ(pool_reserve(&pool, GiB(1) + MiB(4), PAGE_SIZE), 0);
	CHECK_EQ(pool_reserve(&pool, GiB(1), 0), 0);
	CHECK_EQ(pool.nr_free, 3);

	/* A whole bank and more: it goes. */
	CHECK_EQ(pool_reserve(&pool, GiB(2), GiB(1)), 0);
	CHECK_EQ(pool.nr_free, 2);
	CHECK_EQ(pool.free_bytes, MiB(15) - PAGE_SIZE);
	CHECK_EQ(pool.total, pool.free_bytes);
	CHECK_EQ(pool_reserve(&pool, 0xfffffffffffff000, 0x2000), -E_INVAL);
	/* Up to the very top of the address space. */
	CHECK_EQ(pool_reserve(&pool, GiB(1) + MiB(8), UINT64_MAX - GiB(1) - MiB(8)), 0);
	CHECK_EQ(pool.free_bytes, MiB(8) - PAGE_SIZE);
	CHECK_EQ(broken_invariants(&pool), 0);

	/* Reserved memory is not the pool's to take back. */
	pool_free(&pool, NULL, GiB(2), PAGE_SIZE);
	CHECK_EQ(pool.bad_frees, 1);
	CHECK_EQ(pool.free_bytes, MiB(8) - PAGE_SIZE);
}

/*
 * 128 extents of 4 pages, the first 127 at odd page numbers (an 8 KiB
 * aligned page needs a split there), the last at an 8 KiB aligned base.
 */
static void fill_extents(struct page_pool *pool)
{
	pool_init(pool);
	for (unsigned int i = 0; i < POOL_MAX_EXTENTS; i++) {
		paddr_t base = 0x100000 + i * 0x10000 + (i + 1 < POOL_MAX_EXTENTS ? PAGE_SIZE : 0);

		CHECK_EQ(pool_add(pool, base, PAGES(4)), 0);
	}
	CHECK_EQ(pool->nr_free, POOL_MAX_EXTENTS);
}

TEST(page_alloc_extent_array_full)
{
	struct page_pool pool;
	uint64_t free_bytes, total;
	paddr_t last = 0x100000 + (POOL_MAX_EXTENTS - 1) * 0x10000, a;

	fill_extents(&pool);
	free_bytes = pool.free_bytes;
	total = pool.total;

	/* Only the last extent can give an aligned page without a split. */
	CHECK_EQ(pool_alloc(&pool, NULL, PAGE_SIZE, 2 * PAGE_SIZE), last);
	CHECK_EQ(pool.nr_free, POOL_MAX_EXTENTS);
	/* Now no extent can: a clean failure. */
	CHECK_EQ(pool_alloc(&pool, NULL, PAGE_SIZE, 2 * PAGE_SIZE), 0);
	CHECK_EQ(pool.nr_free, POOL_MAX_EXTENTS);
	CHECK_EQ(pool.free_bytes, free_bytes - PAGE_SIZE);
	CHECK_EQ(broken_invariants(&pool), 0);
	/* Taking the head of an extent needs no slot. */
	a = pool_alloc(&pool, NULL, PAGE_SIZE, 0);
	CHECK_EQ(a, 0x101000);
	pool_free(&pool, NULL, a, PAGE_SIZE);

	/* A reserve that splits an extent: refused, nothing changed. */
	CHECK_EQ(pool_reserve(&pool, 0x103000, PAGE_SIZE), -E_NOMEM);
	CHECK_EQ(pool.free_bytes, free_bytes - PAGE_SIZE);
	CHECK_EQ(pool.total, total);
	/* One that only trims is fine. */
	CHECK_EQ(pool_reserve(&pool, 0x101000, PAGE_SIZE), 0);
	CHECK_EQ(pool.total, total - PAGE_SIZE);

	/* A new extent that touches none: refused. */
	CHECK_EQ(pool_add(&pool, GiB(4), MiB(1)), -E_NOMEM);
	CHECK_EQ(pool.total, total - PAGE_SIZE);
	CHECK_EQ(broken_invariants(&pool), 0);
}

TEST(page_alloc_free_with_no_slot_left)
{
	struct page_pool pool;
	struct mem_account acct = { .name = "test" };
	paddr_t base = 0x40000000;

	/* Hand out 260 pages, give back every other one of the first 256: 128
	 * extents of one page, pages 256..259 still out. */
	pool_with(&pool, base, 260);
	for (unsigned int i = 0; i < 260; i++)
		CHECK_EQ(pool_alloc(&pool, &acct, PAGE_SIZE, 0), base + PAGES(i));
	for (unsigned int i = 0; i < 256; i += 2)
		pool_free(&pool, &acct, base + PAGES(i), PAGE_SIZE);
	CHECK_EQ(pool.nr_free, POOL_MAX_EXTENTS);

	/* Page 258 touches no free page and there is no room: it is lost to the
	 * pool, but the books still balance. */
	pool_free(&pool, &acct, base + PAGES(258), PAGE_SIZE);
	CHECK_EQ(pool.nr_free, POOL_MAX_EXTENTS);
	CHECK_EQ(pool.total, PAGES(259));
	CHECK_EQ(pool.total - pool.free_bytes, acct.used);
	CHECK_EQ(pool.bad_frees, 0);

	/* Page 1 joins its two neighbours: room again. */
	pool_free(&pool, &acct, base + PAGES(1), PAGE_SIZE);
	CHECK_EQ(pool.nr_free, POOL_MAX_EXTENTS - 1);
	CHECK_EQ(pool.free[0].size, PAGES(3));
	CHECK_EQ(pool.total - pool.free_bytes, acct.used);
	CHECK_EQ(broken_invariants(&pool), 0);
}

TEST(page_alloc_bad_frees_are_refused)
{
	struct page_pool pool;
	struct mem_account acct = { .name = "test" };
	paddr_t a, b;

	pool_with(&pool, 0x40000000, 64);
	a = pool_alloc(&pool, &acct, PAGES(2), 0);
	b = pool_alloc(&pool, &acct, PAGES(3), 0);
	CHECK_EQ(acct.used, PAGES(5));

	pool_free(&pool, &acct, a, PAGES(2));
	pool_free(&pool, &acct, a, PAGES(2)); /* double */
	CHECK_EQ(pool.bad_frees, 1);
	CHECK_EQ(acct.used, PAGES(3));
	CHECK_EQ(pool.free_bytes, PAGES(61));

	pool_free(&pool, &acct, b - PAGE_SIZE, PAGES(2)); /* half already free */
	pool_free(&pool, &acct, 0x10000000, PAGE_SIZE);    /* below the pool */
	pool_free(&pool, &acct, 0x40040000, PAGE_SIZE);    /* just past it */
	pool_free(&pool, &acct, b + 1, PAGE_SIZE);         /* unaligned */
	pool_free(&pool, &acct, 0xfffffffffffff000, PAGES(2)); /* wraps */
	pool_free(&pool, &acct, b, UINT64_MAX);
	CHECK_EQ(pool.bad_frees, 7);
	CHECK_EQ(acct.used, PAGES(3));
	CHECK_EQ(pool.free_bytes, PAGES(61));
	CHECK_EQ(broken_invariants(&pool), 0);

	/* Part of an allocation may go back on its own. */
	pool_free(&pool, &acct, b + PAGE_SIZE, PAGE_SIZE);
	pool_free(&pool, &acct, b, PAGE_SIZE);
	pool_free(&pool, &acct, b + PAGES(2), 1); /* rounded up to a page */
	CHECK_EQ(pool.bad_frees, 7);
	CHECK_EQ(pool.nr_free, 1);
	CHECK_EQ(pool.free_bytes, pool.total);
	CHECK_EQ(acct.used, 0);

	/* Everything is free: any further free is more than was handed out. */
	pool_free(&pool, &acct, 0x40000000, PAGE_SIZE);
	pool_free(&pool, &acct, 0x40000000, 0); /* nothing at all */
	CHECK_EQ(pool.bad_frees, 8);
}

TEST(page_alloc_accounting)
{
	struct page_pool pool;
	struct mem_account tern = { .name = "tern" }, vm = { .name = "vm1" };
	paddr_t a, b, c;

	pool_with(&pool, 0x80000000, 256);
	a = pool_alloc(&pool, &tern, PAGES(10), 0);
	b = pool_alloc(&pool, &vm, PAGES(20) - 100, 0); /* rounded up */
	CHECK_EQ(tern.used, PAGES(10));
	CHECK_EQ(vm.used, PAGES(20));
	pool_free(&pool, &vm, b, PAGES(20));
	c = pool_alloc(&pool, &vm, PAGES(5), 0);
	CHECK_EQ(vm.used, PAGES(5));
	CHECK_EQ(vm.peak, PAGES(20));
	CHECK_EQ(tern.peak, PAGES(10));
	CHECK_EQ(pool.total - pool.free_bytes, tern.used + vm.used);

	/* No account: the pool still keeps its books. */
	CHECK(pool_alloc(&pool, NULL, PAGE_SIZE, 0) != 0);
	CHECK_EQ(pool.total - pool.free_bytes, tern.used + vm.used + PAGE_SIZE);

	/* Freeing to the wrong account cannot wrap it below zero. */
	pool_free(&pool, &vm, a, PAGES(10));
	CHECK_EQ(vm.used, 0);
	pool_free(&pool, &tern, c, PAGES(5));
	CHECK_EQ(tern.used, PAGES(5));
}

TEST(page_alloc_pages_alloc_zeroes_host_memory)
{
	size_t span = MiB(4);
	unsigned char *buf = aligned_alloc(MiB(2), span);
	struct mem_account saved = tern_account;
	unsigned char *p, *q;
	size_t nonzero = 0;

	CHECK(buf != NULL);
	if (!buf)
		return;
	memset(buf, 0xa5, span);
	pool_init(&tern_pool);
	tern_account.used = tern_account.peak = 0;
	CHECK_EQ(pool_add(&tern_pool, (paddr_t)(uintptr_t)buf, span), 0);

	p = pages_alloc(PAGES(2) + 1, 0);
	q = pages_alloc(PAGE_SIZE, MiB(1));
	CHECK(p == buf);
	CHECK(q != NULL && (uintptr_t)q % MiB(1) == 0);
	for (size_t i = 0; p && i < PAGES(3); i++)
		nonzero += p[i] != 0;
	for (size_t i = 0; q && i < PAGE_SIZE; i++)
		nonzero += q[i] != 0;
	CHECK_EQ(nonzero, 0);
	CHECK_EQ(tern_account.used, PAGES(4));
	CHECK(pages_alloc(span, 0) == NULL);

	pages_free(p, PAGES(2) + 1);
	pages_free(q, PAGE_SIZE);
	pages_free(NULL, PAGE_SIZE); /* like free(NULL) */
	CHECK_EQ(tern_account.used, 0);
	CHECK_EQ(tern_account.peak, PAGES(4));
	CHECK_EQ(tern_pool.free_bytes, span);
	CHECK_EQ(tern_pool.bad_frees, 0);

	pool_init(&tern_pool);
	tern_account = saved;
	free(buf);
}

/* Random allocations and frees against a map of who owns each page. */
#define RAND_PAGES 1024
#define RAND_LIVE 64

static uint64_t alloc_rng_state = 0x243f6a8885a308d3ULL;


TEST(page_alloc_random_against_model)
{
	static struct page_pool pool;
	struct mem_account acct = { .name = "test" };
	struct { paddr_t pa; uint64_t pages; } live[RAND_LIVE] = { { 0, 0 } };
	unsigned char owned[RAND_PAGES] = { 0 };
	paddr_t base = 0x40000000;
	uint64_t total;
	int bad = 0;

	/* Three banks with holes between them. */
	pool_init(&pool);
	CHECK_EQ(pool_add(&pool, base, PAGES(RAND_PAGES)), 0);
	CHECK_EQ(pool_reserve(&pool, base + PAGES(300), PAGES(20)), 0);
	CHECK_EQ(pool_reserve(&pool, base + PAGES(700), PAGES(1)), 0);
	total = pool.total;

	for (unsigned int iter = 0; iter < 20000; iter++) {
		unsigned int slot = unit_rng(&alloc_rng_state) % RAND_LIVE;

		if (live[slot].pages) {
			pool_free(&pool, &acct, live[slot].pa, PAGES(live[slot].pages));
			memset(&owned[(live[slot].pa - base) / PAGE_SIZE], 0, live[slot].pages);
			live[slot].pages = 0;
		} else {
			uint64_t pages = 1 + unit_rng(&alloc_rng_state) % 16, align = PAGE_SIZE << (unit_rng(&alloc_rng_state) % 5);
			paddr_t pa = pool_alloc(&pool, &acct, PAGES(pages), align);

			if (pa) {
				uint64_t first = (pa - base) / PAGE_SIZE;

				bad += pa % align != 0 || pa < base || first + pages > RAND_PAGES;
				for (uint64_t i = 0; i < pages && first + i < RAND_PAGES; i++) {
					bad += owned[first + i] != 0;
					bad += first + i >= 300 && first + i < 320;
					bad += first + i == 700;
					owned[first + i] = 1;
				}
				live[slot].pa = pa;
				live[slot].pages = pages;
			}
		}
		bad += broken_invariants(&pool);
		bad += pool.total - pool.free_bytes != acct.used;
	}
	CHECK_EQ(bad, 0);
	for (unsigned int slot = 0; slot < RAND_LIVE; slot++)
		if (live[slot].pages)
			pool_free(&pool, &acct, live[slot].pa, PAGES(live[slot].pages));
	CHECK_EQ(pool.nr_free, 3);
	CHECK_EQ(pool.free_bytes, total);
	CHECK_EQ(acct.used, 0);
	CHECK_EQ(pool.bad_frees, 0);
}
