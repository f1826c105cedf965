/*
 * The page allocator for tern's own memory (and later guests' memory).
 * Free memory is a sorted list of extents; allocation is first fit with any
 * power-of-two alignment; frees coalesce. Every allocation is charged to an
 * account, so per-VM use and tern's peak use can be reported.
 */
#ifndef TERN_PAGE_ALLOC_H
#define TERN_PAGE_ALLOC_H

#include <tern/platform.h>
#include <tern/spinlock.h>
#include <tern/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define POOL_MAX_EXTENTS 128

struct mem_account {
	const char *name;
	uint64_t used;
	uint64_t peak;
};

struct page_pool {
	struct mem_range free[POOL_MAX_EXTENTS]; /* sorted, non-adjacent */
	unsigned int nr_free;
	uint64_t total;      /* bytes managed: added, less reserved; total -
	                      * free_bytes is what is allocated right now */
	uint64_t free_bytes;
	paddr_t lo, hi;      /* span of everything added: frees outside it are refused */
	uint64_t bad_frees;  /* frees refused (double, foreign or unaligned) */
	spinlock_t lock;
};

extern struct page_pool tern_pool;     /* all of RAM that tern manages */
extern struct mem_account tern_account; /* tern's own use */

void pool_init(struct page_pool *pool);
int pool_add(struct page_pool *pool, paddr_t base, uint64_t size);     /* page aligned inwards */
int pool_reserve(struct page_pool *pool, paddr_t base, uint64_t size); /* take out, aligned outwards */

/* size is rounded up to pages; align is a power of two >= PAGE_SIZE (or 0).
 * Returns 0 when nothing fits. */
paddr_t pool_alloc(struct page_pool *pool, struct mem_account *acct, uint64_t size, uint64_t align);
void pool_free(struct page_pool *pool, struct mem_account *acct, paddr_t pa, uint64_t size);

/* Convenience for tern's own zeroed memory (tern runs identity mapped). */
void *pages_alloc(uint64_t size, uint64_t align);
void pages_free(void *va, uint64_t size);

#endif
