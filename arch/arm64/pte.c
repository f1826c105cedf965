/*
 * EL2 stage-1 descriptors (HCR_EL2.E2H == 0) with the 4 KiB granule: what
 * tern's own identity map is built from. MAIR_EL2 (mmu.c) gives AttrIndx 0
 * = Normal write-back and 1 = Device-nGnRE.
 */
#include "include/arch/pte.h"

/* Level 0 of the 4-level walk cannot hold a block with the 4 KiB granule;
 * L1 (1 GiB) and L2 (2 MiB) can. block_min_level counts from the root. */
const struct pt_geometry arm64_s1_4k_l3_geo = {
	.levels = 3, .page_shift = 12, .level_bits = 9, .root_bits = 9, .block_min_level = 0,
};

const struct pt_geometry arm64_s1_4k_l4_geo = {
	.levels = 4, .page_shift = 12, .level_bits = 9, .root_bits = 9, .block_min_level = 1,
};

unsigned int arm64_s1_va_bits(const struct pt_geometry *g)
{
	return g->page_shift + g->root_bits + (g->levels - 1) * g->level_bits;
}

static pte_t s1_table(paddr_t next)
{
	return (next & PTE_ADDR_MASK) | PTE_TYPE_TABLE | PTE_VALID;
}

static pte_t s1_leaf(paddr_t pa, unsigned int prot, bool last_level)
{
	/* AF set up front: tern does not track access, and a clear AF would
	 * fault on first touch. EL2 stage 1 has no EL0, so AP[1] is RES1 and
	 * only AP[2] (read-only) carries meaning. */
	pte_t pte = (pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF | PTE_AP1;

	if (last_level)
		pte |= PTE_TYPE_TABLE; /* page descriptor, 0b11 */
	if (prot & PT_DEVICE)
		/* Never execute from a device: a speculative fetch could touch it. */
		pte |= PTE_ATTRINDX(MAIR_IDX_DEVICE) | PTE_XN;
	else
		pte |= PTE_ATTRINDX(MAIR_IDX_NORMAL) | PTE_SH_INNER;
	if (!(prot & PT_W))
		pte |= PTE_AP2_RO;
	if (!(prot & PT_X))
		pte |= PTE_XN;
	return pte;
}

static bool s1_is_valid(pte_t pte)
{
	return pte & PTE_VALID;
}

static bool s1_is_table(pte_t pte, bool last_level)
{
	/* At the last level 0b11 means a page, not a table. */
	return !last_level && (pte & (PTE_VALID | PTE_TYPE_TABLE)) == (PTE_VALID | PTE_TYPE_TABLE);
}

static paddr_t s1_addr(pte_t pte)
{
	return pte & PTE_ADDR_MASK;
}

static unsigned int s1_prot(pte_t pte)
{
	unsigned int prot = PT_R; /* stage 1 at EL2 cannot express write-only */

	if (!(pte & PTE_AP2_RO))
		prot |= PT_W;
	if (!(pte & PTE_XN))
		prot |= PT_X;
	if ((pte & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MAIR_IDX_DEVICE))
		prot |= PT_DEVICE;
	return prot;
}

const struct pt_format arm64_s1_4k_l3_format = {
	.geo = &arm64_s1_4k_l3_geo,
	.table = s1_table,
	.leaf = s1_leaf,
	.is_valid = s1_is_valid,
	.is_table = s1_is_table,
	.addr = s1_addr,
	.prot = s1_prot,
};

const struct pt_format arm64_s1_4k_l4_format = {
	.geo = &arm64_s1_4k_l4_geo,
	.table = s1_table,
	.leaf = s1_leaf,
	.is_valid = s1_is_valid,
	.is_table = s1_is_table,
	.addr = s1_addr,
	.prot = s1_prot,
};
