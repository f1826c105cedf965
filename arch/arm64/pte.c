/*
 * arm64 descriptor formats with the 4 KiB granule: EL2 stage 1
 * (HCR_EL2.E2H == 0), what tern's own identity map is built from, where
 * MAIR_EL2 (mmu.c) gives AttrIndx 0 = Normal write-back and 1 =
 * Device-nGnRE; and stage 2, what guests' IPA spaces are built from.
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

/* --- Stage 2 ----------------------------------------------------------------- */

static const unsigned char parange_sizes[] = { 32, 36, 40, 42, 44, 48 };

unsigned int arm64_parange_bits(unsigned int parange)
{
	return parange < sizeof(parange_sizes) ? parange_sizes[parange] : 48;
}

unsigned int arm64_parange_encode(unsigned int bits)
{
	unsigned int enc = 0;

	for (unsigned int i = 0; i < sizeof(parange_sizes); i++)
		if (bits >= parange_sizes[i])
			enc = i;
	return enc;
}

bool arm64_s2_geometry(unsigned int ipa_bits, struct pt_geometry *geo)
{
	if (ipa_bits < ARM64_S2_IPA_MIN || ipa_bits > ARM64_S2_IPA_MAX)
		return false;
	geo->page_shift = 12;
	geo->level_bits = 9;
	if (ipa_bits <= 43) {
		/* L1 root: 1 GiB blocks there already. */
		geo->levels = 3;
		geo->root_bits = ipa_bits - 30;
		geo->block_min_level = 0;
	} else {
		/* L0 root, which cannot hold blocks with this granule. */
		geo->levels = 4;
		geo->root_bits = ipa_bits - 39;
		geo->block_min_level = 1;
	}
	return true;
}

uint64_t arm64_s2_vtcr(const struct pt_geometry *geo, unsigned int ipa_bits, unsigned int ps)
{
	/* SL0 counts the starting level up from L2: 3 levels start at L1. */
	uint64_t sl0 = geo->levels - 2;

	return VTCR_RES1 | VTCR_T0SZ(ipa_bits) | (sl0 << VTCR_SL0_SHIFT) | VTCR_IRGN0_WBWA |
	       VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K | ((uint64_t)ps << VTCR_PS_SHIFT);
}

static pte_t s2_leaf(paddr_t pa, unsigned int prot, bool last_level)
{
	/* AF set: tern does not age guest pages, and a clear AF would make
	 * every first touch an access-flag fault at EL2. Shareability is
	 * inner for everything (it is ignored for Device memory), so guest
	 * RAM stays coherent with tern's own inner-shareable mapping of it. */
	pte_t pte = (pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF | PTE_SH_INNER;

	if (last_level)
		pte |= PTE_TYPE_TABLE; /* page descriptor, 0b11 */
	if (prot & PT_R)
		pte |= S2_AP_R;
	if (prot & PT_W)
		pte |= S2_AP_W;
	if (prot & PT_DEVICE)
		/* A speculative instruction fetch must never reach a device. */
		pte |= S2_MEMATTR(S2_MEMATTR_DEVICE_nGnRE) | S2_XN;
	else
		pte |= S2_MEMATTR(S2_MEMATTR_NORMAL_WB);
	if (!(prot & PT_X))
		pte |= S2_XN;
	return pte;
}

static unsigned int s2_prot(pte_t pte)
{
	unsigned int prot = 0;

	if (pte & S2_AP_R)
		prot |= PT_R;
	if (pte & S2_AP_W)
		prot |= PT_W;
	if (!(pte & S2_XN))
		prot |= PT_X;
	if ((pte & S2_MEMATTR_MASK) == S2_MEMATTR(S2_MEMATTR_DEVICE_nGnRE))
		prot |= PT_DEVICE;
	return prot;
}

/* Table descriptors and validity read the same at both stages. */
void arm64_s2_format(struct pt_format *fmt, const struct pt_geometry *geo)
{
	*fmt = (struct pt_format){
		.geo = geo,
		.table = s1_table,
		.leaf = s2_leaf,
		.is_valid = s1_is_valid,
		.is_table = s1_is_table,
		.addr = s1_addr,
		.prot = s2_prot,
	};
}
