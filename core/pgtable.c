/*
 * The generic page-table walker (see include/tern/pgtable.h).
 *
 * Every change is done in two passes so that a failure leaves translations
 * as they were:
 *   pt_map      plans first (any page already mapped? how many new tables?),
 *               allocates all those tables, and only then writes entries;
 *   pt_unmap,   first split the blocks that straddle the two ends of the
 *   pt_protect  range (the only steps that allocate, and they keep every
 *               translation as it was), then change the leaves inside it.
 *
 * Conventions the formats must follow: an all-zero entry is invalid (tables
 * come zeroed from alloc_table), and fmt->prot() returns every attribute
 * fmt->leaf() encodes, since splitting a block rebuilds its leaves from
 * addr() and prot().
 *
 * Callers serialize changes to one table; lookups may run alongside them.
 * Tables are never freed while linked (pt_destroy aside): the caller's TLB
 * maintenance runs after we return, and a walk cache may still point to a
 * table until then, so a table handed back early could be read as entries
 * after reuse. An emptied table stays linked and later maps reuse it.
 */
#include <stdatomic.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/pgtable.h>

/* --- Geometry ------------------------------------------------------------ */

static unsigned int level_shift(const struct pt_geometry *g, unsigned int level)
{
	return g->page_shift + g->level_bits * (g->levels - 1 - level);
}

/* The root may have more (concatenated) or fewer entries than other levels. */
static unsigned int index_bits(const struct pt_geometry *g, unsigned int level)
{
	return level == 0 ? g->root_bits : g->level_bits;
}

static unsigned int input_bits(const struct pt_geometry *g)
{
	return level_shift(g, 0) + g->root_bits;
}

static size_t table_size(const struct pt_geometry *g, unsigned int level)
{
	return sizeof(pte_t) << index_bits(g, level);
}

static bool is_last(const struct pt_geometry *g, unsigned int level)
{
	return level == g->levels - 1;
}

static size_t pte_index(const struct pt_geometry *g, unsigned int level, uint64_t va)
{
	return (va >> level_shift(g, level)) & ((1ULL << index_bits(g, level)) - 1);
}

uint64_t pt_level_size(const struct pt_geometry *g, unsigned int level)
{
	if (level >= g->levels)
		return 0;
	return 1ULL << level_shift(g, level);
}

uint64_t pt_tables_to_map(const struct pt_geometry *g, uint64_t va, uint64_t size)
{
	uint64_t n = 0;

	if (!size)
		return 0;
	/* A table at level l covers what one entry of level l - 1 maps. */
	for (unsigned int l = 1; l < g->levels; l++) {
		uint64_t cover = pt_level_size(g, l - 1);

		n += (va + size - 1) / cover - va / cover + 1;
	}
	return n;
}

uint64_t pt_input_size(const struct pt_geometry *g)
{
	/* pt_init refuses geometries this cannot express; say "none" for them. */
	if (input_bits(g) >= 64)
		return 0;
	return 1ULL << input_bits(g);
}

size_t pt_root_size(const struct pt_geometry *g)
{
	return table_size(g, 0);
}

/*
 * Limits that keep every shift above defined. level_bits >= 1 also makes a
 * non-root table hold at least two entries, which the table reserve needs.
 */
static bool geometry_ok(const struct pt_geometry *g)
{
	return g->levels >= 1 && g->levels <= 8 && g->page_shift >= 3 &&
	       g->page_shift <= 32 && g->level_bits >= 1 && g->level_bits <= 16 &&
	       g->root_bits >= 1 && g->root_bits <= 24 &&
	       g->page_shift + (uint64_t)g->level_bits * (g->levels - 1) + g->root_bits < 64;
}

/* --- Entries -------------------------------------------------------------- */

/* Volatile so each entry is read and written once, whole: hardware walkers
 * and lockless lookups read the tables while they change. */
static pte_t pte_get(const pte_t *ptep)
{
	return *(const volatile pte_t *)ptep;
}

static void pte_set(pte_t *ptep, pte_t pte)
{
	*(volatile pte_t *)ptep = pte;
}

/* Link a finished table: the fence orders its contents before the entry that
 * points to it, so a concurrent walker sees the old entry or a whole table. */
static void pte_publish(pte_t *ptep, pte_t pte)
{
	atomic_thread_fence(memory_order_release);
	pte_set(ptep, pte);
}

enum entry_kind { ENTRY_NONE, ENTRY_TABLE, ENTRY_LEAF };

static enum entry_kind classify(const struct pgtable *pt, pte_t pte, unsigned int level)
{
	if (!pt->fmt->is_valid(pte))
		return ENTRY_NONE;
	if (pt->fmt->is_table(pte, is_last(pt->fmt->geo, level)))
		return ENTRY_TABLE;
	return ENTRY_LEAF;
}

static pte_t *table_of(const struct pgtable *pt, pte_t pte)
{
	return pt->mm->phys_to_virt(pt->mm->ctx, pt->fmt->addr(pte));
}

/* End of the part of [va, end) that the entry holding va covers. */
static uint64_t chunk_end(const struct pt_geometry *g, unsigned int level, uint64_t va,
			  uint64_t end)
{
	uint64_t size = pt_level_size(g, level);
	uint64_t entry_end = ALIGN_DOWN(va, size) + size; /* <= input size < 2^64 */

	return MIN(entry_end, end);
}

static bool covers_entry(const struct pt_geometry *g, unsigned int level, uint64_t va,
			 uint64_t end)
{
	uint64_t size = pt_level_size(g, level);

	return IS_ALIGNED(va, size) && end - va >= size;
}

/* Whether one leaf at level can map [va, end) from pa onwards. */
static bool leaf_fits(const struct pt_geometry *g, unsigned int level, uint64_t va,
		      uint64_t end, paddr_t pa)
{
	if (!is_last(g, level) && level < g->block_min_level)
		return false;
	return covers_entry(g, level, va, end) && IS_ALIGNED(pa, pt_level_size(g, level));
}

/* --- Arguments ------------------------------------------------------------ */

static int check_range(const struct pgtable *pt, uint64_t va, uint64_t size)
{
	const struct pt_geometry *g = pt->fmt->geo;
	uint64_t page = 1ULL << g->page_shift;

	if (!pt->root || size == 0 || !IS_ALIGNED(va, page) || !IS_ALIGNED(size, page))
		return -E_INVAL;
	if (va + size < va || va + size > pt_input_size(g))
		return -E_INVAL;
	return 0;
}

/*
 * A leaf must grant some access: RISC-V reads R=W=X=0 as a pointer to the
 * next level, so "no access" cannot be a leaf there. Use pt_unmap instead.
 */
static bool prot_ok(unsigned int prot)
{
	return (prot & PT_RWX) != 0;
}

/* --- Life cycle ----------------------------------------------------------- */

int pt_init(struct pgtable *pt, const struct pt_format *fmt, const struct pt_mm_ops *mm)
{
	pt->fmt = fmt;
	pt->mm = mm;
	pt->root = NULL;
	pt->root_pa = 0;
	if (!fmt || !fmt->geo || !mm || !geometry_ok(fmt->geo))
		return -E_INVAL;
	pt->root = mm->alloc_table(mm->ctx, pt_root_size(fmt->geo), &pt->root_pa);
	return pt->root ? 0 : -E_NOMEM;
}

static void free_tables(const struct pgtable *pt, pte_t *table, unsigned int level)
{
	const struct pt_geometry *g = pt->fmt->geo;

	if (!is_last(g, level)) {
		for (size_t i = 0; i < (1ULL << index_bits(g, level)); i++) {
			pte_t pte = pte_get(&table[i]);

			if (classify(pt, pte, level) == ENTRY_TABLE)
				free_tables(pt, table_of(pt, pte), level + 1);
		}
	}
	pt->mm->free_table(pt->mm->ctx, table, table_size(g, level));
}

void pt_destroy(struct pgtable *pt)
{
	if (!pt->root)
		return;
	free_tables(pt, pt->root, 0);
	pt->root = NULL;
	pt->root_pa = 0;
}

/* --- Mapping -------------------------------------------------------------- */

/*
 * Tables for one pt_map, allocated before the tree is touched so that running
 * out of memory changes nothing. They are chained through their first two
 * entries (next table, own physical address), zeroed again when taken.
 */
struct table_reserve {
	pte_t *head;
};

static void reserve_put(struct table_reserve *res, pte_t *table, paddr_t pa)
{
	table[0] = (pte_t)(uintptr_t)res->head;
	table[1] = pa;
	res->head = table;
}

static pte_t *reserve_take(struct table_reserve *res, paddr_t *pa)
{
	pte_t *table = res->head;

	res->head = (pte_t *)(uintptr_t)table[0];
	*pa = table[1];
	table[0] = 0;
	table[1] = 0;
	return table;
}

static void reserve_release(const struct pgtable *pt, struct table_reserve *res)
{
	size_t size = table_size(pt->fmt->geo, 1);
	paddr_t pa;

	while (res->head)
		pt->mm->free_table(pt->mm->ctx, reserve_take(res, &pa), size);
}

static int reserve_fill(const struct pgtable *pt, struct table_reserve *res, size_t count)
{
	size_t size = table_size(pt->fmt->geo, 1);

	for (size_t i = 0; i < count; i++) {
		paddr_t pa;
		pte_t *table = pt->mm->alloc_table(pt->mm->ctx, size, &pa);

		if (!table) {
			reserve_release(pt, res);
			return -E_NOMEM;
		}
		reserve_put(res, table, pa);
	}
	return 0;
}

/*
 * First pass of pt_map: -E_EXIST if any page of [va, end) is mapped, else
 * adds to *need the tables the second pass will allocate. table == NULL is a
 * table that does not exist yet: all its entries are invalid.
 */
static int map_plan(const struct pgtable *pt, const pte_t *table, unsigned int level,
		    uint64_t va, uint64_t end, paddr_t pa, size_t *need)
{
	const struct pt_geometry *g = pt->fmt->geo;

	if (!table && is_last(g, level))
		return 0; /* a new last-level table only holds pages */
	for (uint64_t addr = va, next; addr < end; addr = next) {
		paddr_t out = pa + (addr - va);
		pte_t pte = table ? pte_get(&table[pte_index(g, level, addr)]) : 0;
		enum entry_kind kind = table ? classify(pt, pte, level) : ENTRY_NONE;
		int ret;

		next = chunk_end(g, level, addr, end);
		if (kind == ENTRY_LEAF)
			return -E_EXIST;
		if (kind == ENTRY_TABLE) {
			ret = map_plan(pt, table_of(pt, pte), level + 1, addr, next, out, need);
			if (ret)
				return ret;
		} else if (!leaf_fits(g, level, addr, next, out)) {
			(*need)++;
			map_plan(pt, NULL, level + 1, addr, next, out, need);
		}
	}
	return 0;
}

/* Second pass of pt_map: cannot fail, map_plan checked and counted. New
 * tables are filled before they are linked. */
static void map_fill(const struct pgtable *pt, pte_t *table, unsigned int level, uint64_t va,
		     uint64_t end, paddr_t pa, unsigned int prot, struct table_reserve *res)
{
	const struct pt_geometry *g = pt->fmt->geo;

	for (uint64_t addr = va, next; addr < end; addr = next) {
		pte_t *ptep = &table[pte_index(g, level, addr)];
		pte_t pte = pte_get(ptep);
		paddr_t out = pa + (addr - va);

		next = chunk_end(g, level, addr, end);
		if (classify(pt, pte, level) == ENTRY_TABLE) {
			map_fill(pt, table_of(pt, pte), level + 1, addr, next, out, prot, res);
		} else if (leaf_fits(g, level, addr, next, out)) {
			pte_set(ptep, pt->fmt->leaf(out, prot, is_last(g, level)));
		} else {
			paddr_t table_pa;
			pte_t *child = reserve_take(res, &table_pa);

			map_fill(pt, child, level + 1, addr, next, out, prot, res);
			pte_publish(ptep, pt->fmt->table(table_pa));
		}
	}
}

int pt_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, unsigned int prot)
{
	struct table_reserve res = { NULL };
	size_t need = 0;
	int ret = check_range(pt, va, size);

	if (ret)
		return ret;
	if (!IS_ALIGNED(pa, 1ULL << pt->fmt->geo->page_shift) || pa + size < pa || !prot_ok(prot))
		return -E_INVAL;
	ret = map_plan(pt, pt->root, 0, va, va + size, pa, &need);
	if (ret)
		return ret;
	ret = reserve_fill(pt, &res, need);
	if (ret)
		return ret;
	map_fill(pt, pt->root, 0, va, va + size, pa, prot, &res);
	reserve_release(pt, &res); /* empty unless the plan overcounted */
	return 0;
}

int pt_map_page(struct pgtable *pt, uint64_t va, paddr_t pa, unsigned int prot)
{
	const struct pt_geometry *g = pt->fmt->geo;
	uint64_t page = 1ULL << g->page_shift;
	pte_t *table = pt->root;

	if (!table || !IS_ALIGNED(va, page) || va >= pt_input_size(g) || !IS_ALIGNED(pa, page) ||
	    pa + page < pa || !prot_ok(prot))
		return -E_INVAL;
	for (unsigned int level = 0;; level++) {
		pte_t *ptep = &table[pte_index(g, level, va)];
		pte_t pte = pte_get(ptep);
		paddr_t table_pa;

		if (is_last(g, level)) {
			if (pt->fmt->is_valid(pte))
				return -E_EXIST;
			pte_set(ptep, pt->fmt->leaf(pa, prot, true));
			return 0;
		}
		if (pt->fmt->is_valid(pte)) {
			if (!pt->fmt->is_table(pte, false))
				return -E_EXIST; /* inside a block */
			table = table_of(pt, pte);
			continue;
		}
		/* A new table, zeroed: linked empty, a walker sees nothing
		 * mapped until the leaf below is written. */
		table = pt->mm->alloc_table(pt->mm->ctx, table_size(g, level + 1), &table_pa);
		if (!table)
			return -E_NOMEM;
		pte_publish(ptep, pt->fmt->table(table_pa));
	}
}

/* --- Unmapping and protecting -------------------------------------------- */

/* What pt_unmap or pt_protect does to each leaf in its range. */
struct leaf_op {
	bool unmap;
	unsigned int prot; /* pt_protect: the new PT_RWX bits */
};

static unsigned int protected_prot(const struct pgtable *pt, const struct leaf_op *op,
				   pte_t leaf)
{
	return (pt->fmt->prot(leaf) & ~PT_RWX) | op->prot;
}

static pte_t protected_leaf(const struct pgtable *pt, const struct leaf_op *op, pte_t leaf,
			   unsigned int level)
{
	return pt->fmt->leaf(pt->fmt->addr(leaf), protected_prot(pt, op, leaf),
			     is_last(pt->fmt->geo, level));
}

/*
 * A leaf that pt_protect would not change is left as it is, and so need not
 * be split either. Entries are compared, not PT_* bits: a format may encode
 * two requests alike (arm64 EL2 has no write-only, W reads back as RW).
 */
static bool op_leaves_alone(const struct pgtable *pt, const struct leaf_op *op, pte_t leaf,
			    unsigned int level)
{
	return !op->unmap && protected_leaf(pt, op, leaf, level) == leaf;
}

/*
 * Replace the block at *ptep by a table one level down whose leaves map the
 * same range with the same attributes. Every address translates the same
 * before and after; the caller's TLB maintenance covers the change of leaf
 * size (arm64 break-before-make rules apply to live tables).
 */
static int split_block(const struct pgtable *pt, pte_t *ptep, unsigned int level)
{
	const struct pt_geometry *g = pt->fmt->geo;
	pte_t block = pte_get(ptep);
	paddr_t base = pt->fmt->addr(block);
	unsigned int prot = pt->fmt->prot(block);
	uint64_t step = pt_level_size(g, level + 1);
	bool last = is_last(g, level + 1);
	paddr_t table_pa;
	pte_t *table = pt->mm->alloc_table(pt->mm->ctx, table_size(g, level + 1), &table_pa);

	if (!table)
		return -E_NOMEM;
	for (size_t i = 0; i < (1ULL << g->level_bits); i++)
		table[i] = pt->fmt->leaf(base + i * step, prot, last);
	pte_publish(ptep, pt->fmt->table(table_pa));
	return 0;
}

/*
 * Make b an edge between leaves: split, level by level, the block that maps
 * both b - 1 and b. Allocates at most one table per level and changes no
 * translation, so a failure here leaves the mapping as it was.
 */
static int split_at(const struct pgtable *pt, uint64_t b, const struct leaf_op *op)
{
	const struct pt_geometry *g = pt->fmt->geo;
	pte_t *table = pt->root;

	for (unsigned int level = 0; level < g->levels; level++) {
		pte_t *ptep = &table[pte_index(g, level, b)];
		pte_t pte = pte_get(ptep);
		enum entry_kind kind = classify(pt, pte, level);

		if (IS_ALIGNED(b, pt_level_size(g, level)) || kind == ENTRY_NONE)
			return 0;
		if (kind == ENTRY_LEAF) {
			int ret;

			if (op_leaves_alone(pt, op, pte, level))
				return 0;
			ret = split_block(pt, ptep, level);
			if (ret)
				return ret;
			pte = pte_get(ptep);
		}
		table = table_of(pt, pte);
	}
	return 0;
}

/*
 * Apply op to every leaf in [va, end). After split_at on both ends no leaf
 * sticks out of the range; one that does is split here all the same, so this
 * is correct on its own.
 */
static int apply_range(const struct pgtable *pt, pte_t *table, unsigned int level, uint64_t va,
		       uint64_t end, const struct leaf_op *op)
{
	const struct pt_geometry *g = pt->fmt->geo;

	for (uint64_t addr = va, next; addr < end; addr = next) {
		pte_t *ptep = &table[pte_index(g, level, addr)];
		pte_t pte = pte_get(ptep);
		enum entry_kind kind = classify(pt, pte, level);
		int ret = 0;

		next = chunk_end(g, level, addr, end);
		if (kind == ENTRY_NONE || (kind == ENTRY_LEAF && op_leaves_alone(pt, op, pte, level)))
			continue;
		if (kind == ENTRY_LEAF && !covers_entry(g, level, addr, next)) {
			ret = split_block(pt, ptep, level);
			if (ret)
				return ret;
			pte = pte_get(ptep);
			kind = ENTRY_TABLE;
		}
		if (kind == ENTRY_TABLE)
			ret = apply_range(pt, table_of(pt, pte), level + 1, addr, next, op);
		else if (op->unmap)
			pte_set(ptep, 0);
		else
			pte_set(ptep, protected_leaf(pt, op, pte, level));
		if (ret)
			return ret;
	}
	return 0;
}

static int change_range(struct pgtable *pt, uint64_t va, uint64_t size, const struct leaf_op *op)
{
	int ret = check_range(pt, va, size);

	if (!ret)
		ret = split_at(pt, va, op);
	if (!ret)
		ret = split_at(pt, va + size, op);
	if (!ret)
		ret = apply_range(pt, pt->root, 0, va, va + size, op);
	return ret;
}

int pt_unmap(struct pgtable *pt, uint64_t va, uint64_t size)
{
	const struct leaf_op op = { .unmap = true };

	return change_range(pt, va, size, &op);
}

/* Only the permissions change: the memory type of a live mapping is kept
 * (arm64 needs break-before-make to change it), so prot is PT_RWX bits. */
int pt_protect(struct pgtable *pt, uint64_t va, uint64_t size, unsigned int prot)
{
	const struct leaf_op op = { .unmap = false, .prot = prot };

	if (!prot_ok(prot) || (prot & ~PT_RWX))
		return -E_INVAL;
	return change_range(pt, va, size, &op);
}

/* --- Lookup --------------------------------------------------------------- */

bool pt_lookup(const struct pgtable *pt, uint64_t va, paddr_t *pa, unsigned int *prot,
	       unsigned int *level)
{
	const struct pt_geometry *g = pt->fmt->geo;
	const pte_t *table = pt->root;

	if (!table || va >= pt_input_size(g))
		return false;
	for (unsigned int l = 0; l < g->levels; l++) {
		pte_t pte = pte_get(&table[pte_index(g, l, va)]);

		switch (classify(pt, pte, l)) {
		case ENTRY_NONE:
			return false;
		case ENTRY_TABLE:
			table = table_of(pt, pte);
			continue;
		case ENTRY_LEAF:
			if (pa)
				*pa = pt->fmt->addr(pte) + (va & (pt_level_size(g, l) - 1));
			if (prot)
				*prot = pt->fmt->prot(pte);
			if (level)
				*level = l;
			return true;
		}
	}
	return false;
}
