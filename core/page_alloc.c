/*
 * The page allocator (see include/tern/page_alloc.h).
 *
 * A pool's free memory is a fixed array of extents, sorted by address, page
 * aligned, never empty, never touching (touching extents are merged). The
 * array has no dynamic metadata, so every operation that could need one more
 * extent than fits checks first and fails cleanly instead.
 *
 * Accounting invariant: pool->total - pool->free_bytes is the memory handed
 * out and not yet given back. Accounts are updated under the pool's lock.
 *
 * Physical page 0 is never handed out: 0 is pool_alloc's "nothing fits".
 */
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/page_alloc.h>

struct page_pool tern_pool; /* zeroed: empty and unlocked */
struct mem_account tern_account = { .name = "tern" };

/* The last page-aligned address: extents end at or below it. */
#define TOP_PAGE ALIGN_DOWN(UINT64_MAX, PAGE_SIZE)

static paddr_t ext_end(const struct mem_range *e)
{
	return e->base + e->size;
}

/* --- The extent array ----------------------------------------------------- */

static void remove_at(struct page_pool *pool, unsigned int i)
{
	memmove(&pool->free[i], &pool->free[i + 1],
		(pool->nr_free - i - 1) * sizeof(pool->free[0]));
	pool->nr_free--;
}

/* The caller checked that there is room. */
static void insert_at(struct page_pool *pool, unsigned int i, paddr_t base, uint64_t size)
{
	memmove(&pool->free[i + 1], &pool->free[i], (pool->nr_free - i) * sizeof(pool->free[0]));
	pool->free[i].base = base;
	pool->free[i].size = size;
	pool->nr_free++;
}

static bool overlaps_free(const struct page_pool *pool, paddr_t start, paddr_t end)
{
	for (unsigned int i = 0; i < pool->nr_free; i++) {
		const struct mem_range *e = &pool->free[i];

		if (e->base < end && start < ext_end(e))
			return true;
	}
	return false;
}

/*
 * Put [start, end), which overlaps no free extent, back in the array, merging
 * with the neighbours it touches. False, and nothing changed, when it touches
 * none and the array is full.
 */
static bool insert_free(struct page_pool *pool, paddr_t start, paddr_t end)
{
	unsigned int i = 0;
	bool join_prev, join_next;

	while (i < pool->nr_free && pool->free[i].base < start)
		i++;
	join_prev = i > 0 && ext_end(&pool->free[i - 1]) == start;
	join_next = i < pool->nr_free && pool->free[i].base == end;
	if (join_prev && join_next) {
		pool->free[i - 1].size += (end - start) + pool->free[i].size;
		remove_at(pool, i);
	} else if (join_prev) {
		pool->free[i - 1].size += end - start;
	} else if (join_next) {
		pool->free[i].base = start;
		pool->free[i].size += end - start;
	} else if (pool->nr_free < POOL_MAX_EXTENTS) {
		insert_at(pool, i, start, end - start);
	} else {
		return false;
	}
	pool->free_bytes += end - start;
	return true;
}

/*
 * Take [start, end) out of extent i, which holds all of it. Fails, changing
 * nothing, only when that leaves free memory on both sides and the array has
 * no room for the second piece.
 */
static bool carve(struct page_pool *pool, unsigned int i, paddr_t start, paddr_t end)
{
	struct mem_range *e = &pool->free[i];
	paddr_t e_end = ext_end(e);
	bool head = e->base < start, tail = end < e_end;

	if (head && tail) {
		if (pool->nr_free == POOL_MAX_EXTENTS)
			return false;
		insert_at(pool, i + 1, end, e_end - end);
		e->size = start - e->base;
	} else if (head) {
		e->size = start - e->base;
	} else if (tail) {
		e->base = end;
		e->size = e_end - end;
	} else {
		remove_at(pool, i);
	}
	pool->free_bytes -= end - start;
	return true;
}

/* --- Accounts ------------------------------------------------------------- */

static void charge(struct mem_account *acct, uint64_t size)
{
	if (!acct)
		return;
	acct->used += size;
	acct->peak = MAX(acct->peak, acct->used);
}

static void uncharge(struct mem_account *acct, uint64_t size)
{
	if (acct)
		acct->used -= MIN(acct->used, size); /* a wrong account must not wrap */
}

/* --- Pools ---------------------------------------------------------------- */

void pool_init(struct page_pool *pool)
{
	memset(pool, 0, sizeof(*pool)); /* an all-zero spinlock is unlocked */
}

int pool_add(struct page_pool *pool, paddr_t base, uint64_t size)
{
	paddr_t start, end;
	int ret = 0;

	if (base + size < base)
		return -E_INVAL;
	if (base > TOP_PAGE)
		return 0; /* no whole page above base */
	start = MAX(ALIGN_UP(base, PAGE_SIZE), PAGE_SIZE);
	end = ALIGN_DOWN(base + size, PAGE_SIZE);
	if (start >= end)
		return 0; /* no whole page inside: nothing to add */

	spin_lock(&pool->lock);
	if (overlaps_free(pool, start, end)) {
		ret = -E_EXIST;
	} else if (!insert_free(pool, start, end)) {
		ret = -E_NOMEM;
	} else {
		bool empty = pool->lo == pool->hi;

		pool->total += end - start;
		pool->lo = empty ? start : MIN(pool->lo, start);
		pool->hi = empty ? end : MAX(pool->hi, end);
	}
	spin_unlock(&pool->lock);
	return ret;
}

/* Whether taking [start, end) out would split an extent with no room left. */
static bool reserve_needs_room(const struct page_pool *pool, paddr_t start, paddr_t end)
{
	if (pool->nr_free < POOL_MAX_EXTENTS)
		return false;
	for (unsigned int i = 0; i < pool->nr_free; i++) {
		const struct mem_range *e = &pool->free[i];

		if (e->base < start && end < ext_end(e))
			return true;
	}
	return false;
}

int pool_reserve(struct page_pool *pool, paddr_t base, uint64_t size)
{
	paddr_t start = ALIGN_DOWN(base, PAGE_SIZE), end;
	uint64_t before;

	if (base + size < base)
		return -E_INVAL;
	/* Free memory ends at TOP_PAGE at the latest, so clamping there is exact. */
	end = base + size > TOP_PAGE ? TOP_PAGE : ALIGN_UP(base + size, PAGE_SIZE);
	if (start >= end)
		return 0;

	spin_lock(&pool->lock);
	if (reserve_needs_room(pool, start, end)) {
		spin_unlock(&pool->lock);
		return -E_NOMEM;
	}
	before = pool->free_bytes;
	/* Backwards, so removing or inserting at i leaves the extents below i. */
	for (unsigned int i = pool->nr_free; i-- > 0;) {
		struct mem_range *e = &pool->free[i];

		if (e->base < end && start < ext_end(e))
			carve(pool, i, MAX(start, e->base), MIN(end, ext_end(e)));
	}
	pool->total -= before - pool->free_bytes;
	spin_unlock(&pool->lock);
	return 0;
}

/* The first address at or above base aligned to align, or 0 if none is. */
static paddr_t align_up_checked(paddr_t base, uint64_t align)
{
	if (base > UINT64_MAX - (align - 1))
		return 0;
	return ALIGN_UP(base, align);
}

paddr_t pool_alloc(struct page_pool *pool, struct mem_account *acct, uint64_t size, uint64_t align)
{
	paddr_t found = 0;

	if (size == 0 || size > TOP_PAGE)
		return 0;
	size = ALIGN_UP(size, PAGE_SIZE);
	if (align & (align - 1))
		return 0;
	align = MAX(align, PAGE_SIZE);

	spin_lock(&pool->lock);
	for (unsigned int i = 0; i < pool->nr_free && !found; i++) {
		const struct mem_range *e = &pool->free[i];
		paddr_t start = align_up_checked(e->base, align);

		if (!start || start >= ext_end(e) || ext_end(e) - start < size)
			continue;
		/* A full array only refuses a split; a later extent may not need one. */
		if (carve(pool, i, start, start + size))
			found = start;
	}
	if (found)
		charge(acct, size);
	spin_unlock(&pool->lock);
	return found;
}

/*
 * A free that does not match an allocation (unaligned, outside the pool,
 * overlapping free memory, or more than is handed out) is refused whole and
 * counted: the pool and the account stay as they were, so the worst outcome
 * is a leak, never the same page handed out twice.
 */
void pool_free(struct page_pool *pool, struct mem_account *acct, paddr_t pa, uint64_t size)
{
	paddr_t end;

	if (size == 0)
		return;
	spin_lock(&pool->lock);
	if (!IS_ALIGNED(pa, PAGE_SIZE) || size > TOP_PAGE)
		goto refuse;
	size = ALIGN_UP(size, PAGE_SIZE);
	end = pa + size;
	if (end < pa || pa < pool->lo || end > pool->hi || size > pool->total - pool->free_bytes ||
	    overlaps_free(pool, pa, end))
		goto refuse;
	if (!insert_free(pool, pa, end)) {
		/* No room to record it: the pages leave the pool for good, which
		 * keeps total - free_bytes equal to what is handed out. */
		pool->total -= size;
	}
	uncharge(acct, size);
	spin_unlock(&pool->lock);
	return;
refuse:
	pool->bad_frees++;
	spin_unlock(&pool->lock);
}

/* --- tern's own memory ---------------------------------------------------- */

void *pages_alloc(uint64_t size, uint64_t align)
{
	paddr_t pa = pool_alloc(&tern_pool, &tern_account, size, align);
	void *va = (void *)(uintptr_t)pa; /* tern runs identity mapped */

	if (!pa)
		return NULL;
	memset(va, 0, ALIGN_UP(size, PAGE_SIZE));
	return va;
}

void pages_free(void *va, uint64_t size)
{
	if (va)
		pool_free(&tern_pool, &tern_account, (paddr_t)(uintptr_t)va, size);
}
