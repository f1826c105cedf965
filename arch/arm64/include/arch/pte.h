/*
 * arm64 translation table descriptor formats for the generic walker
 * (<tern/pgtable.h>). pte.c has no inline assembly so these encoders are
 * unit-tested on the host; this header stays free of it too (pte.c
 * includes it by relative path, so a host build needs no arm64 -I).
 */
#ifndef ARCH_ARM64_PTE_H
#define ARCH_ARM64_PTE_H

#include <tern/pgtable.h>

/* MAIR_EL2 slots the descriptors' AttrIndx points at (set by mmu.c). */
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_ATTR_NORMAL_WB 0xffULL     /* inner+outer write-back, RW-allocate */
#define MAIR_ATTR_DEVICE_nGnRE 0x04ULL
#define MAIR_EL2_VALUE \
	((MAIR_ATTR_NORMAL_WB << (8 * MAIR_IDX_NORMAL)) | \
	 (MAIR_ATTR_DEVICE_nGnRE << (8 * MAIR_IDX_DEVICE)))

/* Descriptor bits (VMSAv8-64, 4 KiB granule, 48-bit output addresses). */
#define PTE_VALID (1ULL << 0)
#define PTE_TYPE_TABLE (1ULL << 1) /* table above the last level, page at it */
#define PTE_ATTRINDX(i) ((uint64_t)(i) << 2)
#define PTE_ATTRINDX_MASK (7ULL << 2)
#define PTE_AP1 (1ULL << 6)        /* RES1 in the EL2 (one-EL) regime */
#define PTE_AP2_RO (1ULL << 7)     /* AP[2]: read-only */
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF (1ULL << 10)
#define PTE_XN (1ULL << 54)        /* XN in the EL2 regime (UXN elsewhere) */
#define PTE_ADDR_MASK 0x0000fffffffff000ULL

/* tern's own EL2 stage-1 tables: 39-bit VA from an L1 root (3 levels) and
 * 48-bit VA from an L0 root (4 levels). */
extern const struct pt_geometry arm64_s1_4k_l3_geo;
extern const struct pt_geometry arm64_s1_4k_l4_geo;
extern const struct pt_format arm64_s1_4k_l3_format;
extern const struct pt_format arm64_s1_4k_l4_format;

/* Input address bits a stage-1 geometry covers (39 or 48): TCR_EL2.T0SZ. */
unsigned int arm64_s1_va_bits(const struct pt_geometry *g);

#endif
