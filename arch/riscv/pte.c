/*
 * Sv39 and Sv48 page-table entries for tern's own (stage-1, HS-mode)
 * tables. No inline assembly and only <tern/...> headers: this file is
 * compiled on the host for unit tests. (The quoted include below resolves
 * next to this file on every build, so the host's <arch/...> never
 * shadows it.)
 */
#include <tern/compiler.h>
#include <tern/pgtable.h>
#include "include/arch/pte.h"

#define PTE_PERM (RISCV_PTE_R | RISCV_PTE_W | RISCV_PTE_X)
#define PPN_MASK ((1ULL << RISCV_PTE_PPN_BITS) - 1)

/* Leaves are allowed at every level: 1 GiB gigapages in Sv39, 512 GiB
 * terapages at the Sv48 root (the walker uses them only when aligned). */
const struct pt_geometry riscv_sv39_geometry = {
	.levels = 3,
	.page_shift = 12,
	.level_bits = 9,
	.root_bits = 9,
	.block_min_level = 0,
};

const struct pt_geometry riscv_sv48_geometry = {
	.levels = 4,
	.page_shift = 12,
	.level_bits = 9,
	.root_bits = 9,
	.block_min_level = 0,
};

static pte_t pa_to_ppn_field(paddr_t pa)
{
	return ((pa >> 12) & PPN_MASK) << RISCV_PTE_PPN_SHIFT;
}

/* A pointer to the next level is V alone: R = W = X = 0 is what makes it a
 * pointer, and A/D/U/G are reserved for software or must be zero there. */
static pte_t sv_table(paddr_t next)
{
	return pa_to_ppn_field(next) | RISCV_PTE_V;
}

/*
 * A leaf. A and D are always set: with them clear, a hart without Svadu
 * raises a page fault on first access (or write), and tern would have to
 * handle its own accessed/dirty tracking. G because tern's mappings are the
 * same in every address space of the hart.
 *
 * Two PT_* combinations have no RISC-V encoding:
 *  - W without R is reserved: W implies R.
 *  - no permission at all would read as a pointer to a table, so it is
 *    returned as an invalid entry (nothing mapped).
 * PT_DEVICE has no encoding either without Svpbmt, which tern does not
 * assume: the platform's PMAs already make device regions I/O (uncached,
 * strongly ordered), so it is simply dropped.
 */
static pte_t sv_leaf(paddr_t pa, unsigned int prot, bool last_level)
{
	pte_t pte = pa_to_ppn_field(pa) | RISCV_PTE_V | RISCV_PTE_A | RISCV_PTE_D | RISCV_PTE_G;

	if (prot & (PT_R | PT_W))
		pte |= RISCV_PTE_R;
	if (prot & PT_W)
		pte |= RISCV_PTE_W;
	if (prot & PT_X)
		pte |= RISCV_PTE_X;
	if (!(pte & PTE_PERM))
		return 0;
	return pte;
}

static bool sv_is_valid(pte_t pte)
{
	return pte & RISCV_PTE_V;
}

/* At the last level a V entry without permissions is reserved, not a table. */
static bool sv_is_table(pte_t pte, bool last_level)
{
	return !last_level && (pte & RISCV_PTE_V) && !(pte & PTE_PERM);
}

/* Bits above the PPN (Svpbmt, Svnapot, reserved) are not part of it. */
static paddr_t sv_addr(pte_t pte)
{
	return ((pte >> RISCV_PTE_PPN_SHIFT) & PPN_MASK) << 12;
}

static unsigned int sv_prot(pte_t pte)
{
	unsigned int prot = 0;

	if (pte & RISCV_PTE_R)
		prot |= PT_R;
	if (pte & RISCV_PTE_W)
		prot |= PT_W;
	if (pte & RISCV_PTE_X)
		prot |= PT_X;
	return prot;
}

/* Every RISC-V format: the Sv entry encoders, a geometry and a leaf encoder. */
#define SV_FORMAT(name, geometry, leaf_fn) \
	const struct pt_format name = { \
		.geo = &(geometry), \
		.table = sv_table, \
		.leaf = (leaf_fn), \
		.is_valid = sv_is_valid, \
		.is_table = sv_is_table, \
		.addr = sv_addr, \
		.prot = sv_prot, \
	}

SV_FORMAT(riscv_sv39_format, riscv_sv39_geometry, sv_leaf);
SV_FORMAT(riscv_sv48_format, riscv_sv48_geometry, sv_leaf);

/*
 * G-stage (guest physical to host physical) tables: Sv39x4 and Sv48x4,
 * the Sv39/Sv48 entry format with a root four times as large (2 more
 * index bits, 16 KiB, 16 KiB aligned) for a 41- or 50-bit guest physical
 * address space. G-stage accesses are all checked as U-mode ones, so every
 * leaf has U set; G has no meaning there and stays clear.
 */
const struct pt_geometry riscv_sv39x4_geometry = {
	.levels = 3,
	.page_shift = 12,
	.level_bits = 9,
	.root_bits = 11,
	.block_min_level = 0,
};

const struct pt_geometry riscv_sv48x4_geometry = {
	.levels = 4,
	.page_shift = 12,
	.level_bits = 9,
	.root_bits = 11,
	.block_min_level = 0,
};

static pte_t gstage_leaf(paddr_t pa, unsigned int prot, bool last_level)
{
	pte_t pte = sv_leaf(pa, prot, last_level);

	return pte ? (pte & ~RISCV_PTE_G) | RISCV_PTE_U : 0;
}

SV_FORMAT(riscv_sv39x4_format, riscv_sv39x4_geometry, gstage_leaf);
SV_FORMAT(riscv_sv48x4_format, riscv_sv48x4_geometry, gstage_leaf);
