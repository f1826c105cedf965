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

/*
 * Stage-2 descriptors (guests' IPA -> PA, VTTBR_EL2), 4 KiB granule. The
 * attributes are in the descriptor itself rather than behind a MAIR:
 * MemAttr[3:0] (bits 5:2) is outer[3:2] and inner[1:0] cacheability for
 * Normal memory, or 00xx for Device memory. S2AP (bits 7:6) are separate
 * read and write permissions, and XN (bit 54) forbids execution at EL1/EL0.
 */
#define S2_MEMATTR(a) ((uint64_t)(a) << 2)
#define S2_MEMATTR_MASK (0xfULL << 2)
#define S2_MEMATTR_NORMAL_WB 0xfULL    /* outer and inner write-back */
#define S2_MEMATTR_DEVICE_nGnRE 0x1ULL
#define S2_AP_R (1ULL << 6)
#define S2_AP_W (1ULL << 7)
#define S2_XN (1ULL << 54)

/* ID_AA64MMFR0_EL1.PARange <-> physical address bits. 52 needs LPA/LPA2
 * descriptors, which tern's 4 KiB formats do not use: it reads as 48. An
 * unlisted size encodes as the largest listed one below it. */
unsigned int arm64_parange_bits(unsigned int parange);
unsigned int arm64_parange_encode(unsigned int bits);

/* The smallest and largest IPA sizes a stage-2 geometry is made for. */
#define ARM64_S2_IPA_MIN 32
#define ARM64_S2_IPA_MAX 48

/*
 * The stage-2 geometry for an IPA size: 3 levels from L1 up to 43 bits
 * (the root is up to 16 concatenated L1 tables, so no fourth level is
 * walked), 4 levels from L0 above. Returns false for sizes outside
 * [ARM64_S2_IPA_MIN, ARM64_S2_IPA_MAX].
 */
bool arm64_s2_geometry(unsigned int ipa_bits, struct pt_geometry *geo);
/* The stage-2 entry format with geometry geo (which must outlive it). */
void arm64_s2_format(struct pt_format *fmt, const struct pt_geometry *geo);

/* VTCR_EL2 fields (4 KiB granule). */
#define VTCR_T0SZ(bits) (64ULL - (bits))
#define VTCR_SL0_SHIFT 6              /* 0: start at L2, 1: L1, 2: L0 */
#define VTCR_IRGN0_WBWA (1ULL << 8)
#define VTCR_ORGN0_WBWA (1ULL << 10)
#define VTCR_SH0_INNER (3ULL << 12)
#define VTCR_TG0_4K (0ULL << 14)
#define VTCR_PS_SHIFT 16
#define VTCR_RES1 (1ULL << 31)

/* VTCR_EL2 for a geometry made by arm64_s2_geometry(ipa_bits) and the
 * host's PARange encoding (the output size): table walks cacheable and
 * inner shareable like tern's own, 8-bit VMIDs. */
uint64_t arm64_s2_vtcr(const struct pt_geometry *geo, unsigned int ipa_bits, unsigned int ps);

#endif
