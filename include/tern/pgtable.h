/*
 * One generic page-table walker for every translation tern builds: its own
 * stage-1 tables and, later, guests' stage-2 tables. The level geometry is
 * data (struct pt_geometry), the entry format is a small set of encoders per
 * architecture and stage (struct pt_format), and memory comes from injected
 * operations (struct pt_mm_ops), so the walker is unit-tested on the host.
 *
 * TLB maintenance is the caller's: only it knows which regime and VMID a
 * table belongs to.
 */
#ifndef TERN_PGTABLE_H
#define TERN_PGTABLE_H

#include <tern/types.h>

typedef uint64_t pte_t;

/* Arch-neutral permissions and attributes of a leaf. */
#define PT_R (1u << 0)
#define PT_W (1u << 1)
#define PT_X (1u << 2)
#define PT_DEVICE (1u << 3) /* device memory: uncached, no speculation */
#define PT_RW (PT_R | PT_W)
#define PT_RX (PT_R | PT_X)
#define PT_RWX (PT_R | PT_W | PT_X)

struct pt_geometry {
	unsigned int levels;          /* levels walked, index 0 is the root */
	unsigned int page_shift;      /* log2 of the smallest page (12) */
	unsigned int level_bits;      /* index bits of every non-root level (9) */
	unsigned int root_bits;       /* index bits of the root: more than
	                               * level_bits for concatenated roots (Sv39x4: 11) */
	unsigned int block_min_level; /* shallowest level that may hold a leaf */
};

/*
 * An all-zero entry must be invalid (tables come zeroed). Splitting a block
 * rebuilds its leaves as leaf(addr(block), prot(block)), so prot() must
 * report every attribute leaf() encodes.
 */
struct pt_format {
	const struct pt_geometry *geo;
	pte_t (*table)(paddr_t next);                         /* table descriptor */
	pte_t (*leaf)(paddr_t pa, unsigned int prot, bool last_level);
	bool (*is_valid)(pte_t pte);
	bool (*is_table)(pte_t pte, bool last_level);         /* valid and points to a table */
	paddr_t (*addr)(pte_t pte);                           /* output address */
	unsigned int (*prot)(pte_t pte);                      /* PT_* of a leaf */
};

struct pt_mm_ops {
	/* A zeroed table of size bytes aligned to size; NULL when out of memory. */
	void *(*alloc_table)(void *ctx, size_t size, paddr_t *pa);
	void (*free_table)(void *ctx, void *va, size_t size);
	void *(*phys_to_virt)(void *ctx, paddr_t pa);
	void *ctx;
};

struct pgtable {
	const struct pt_format *fmt;
	const struct pt_mm_ops *mm;
	pte_t *root;
	paddr_t root_pa;
};

/* Bytes one entry at a level maps, and the size of the whole input space. */
uint64_t pt_level_size(const struct pt_geometry *g, unsigned int level);
uint64_t pt_input_size(const struct pt_geometry *g);
size_t pt_root_size(const struct pt_geometry *g);

/* How many tables below the root mapping [va, va + size) page by page can
 * need at most: what to set aside so that the range always maps. */
uint64_t pt_tables_to_map(const struct pt_geometry *g, uint64_t va, uint64_t size);

int pt_init(struct pgtable *pt, const struct pt_format *fmt, const struct pt_mm_ops *mm);
void pt_destroy(struct pgtable *pt); /* frees every table, root included */

/*
 * Map [va, va + size) to pa with prot, using the largest leaves alignment
 * allows. All three must be page aligned, and prot must include one of
 * PT_RWX. Fails with -E_EXIST, changing nothing, when any page of the range
 * is already mapped (even identically); with -E_NOMEM, changing nothing.
 */
int pt_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, unsigned int prot);
/* The same for one page (the first touch of guest RAM: every stage-2
 * fault), by one walk down instead of pt_map's plan and fill. The same
 * answers, except that on -E_NOMEM tables it made on the way may stay
 * linked, empty. */
int pt_map_page(struct pgtable *pt, uint64_t va, paddr_t pa, unsigned int prot);

/* Remove every mapping in the range; blocks that straddle its ends are split.
 * On -E_NOMEM nothing is unmapped (a block may have become equivalent smaller
 * leaves). Emptied tables stay linked until pt_destroy. */
int pt_unmap(struct pgtable *pt, uint64_t va, uint64_t size);

/* Change the permissions of mapped pages in the range (splitting blocks);
 * holes are left as they are. prot is PT_RWX bits only (not none): the
 * memory type (PT_DEVICE) of each page is kept. -E_NOMEM as pt_unmap. */
int pt_protect(struct pgtable *pt, uint64_t va, uint64_t size, unsigned int prot);

/* Translate va. Returns false if unmapped; else the output address of va, the
 * leaf's PT_* and the level of the leaf (any of the out pointers may be NULL). */
bool pt_lookup(const struct pgtable *pt, uint64_t va, paddr_t *pa, unsigned int *prot,
	       unsigned int *level);

#endif
