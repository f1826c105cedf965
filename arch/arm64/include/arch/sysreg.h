/*
 * System register accessors and the bits tern sets in them. Used by
 * arch/arm64 C files and assembly; never included from core/ (it carries
 * inline assembly).
 */
#ifndef ARCH_ARM64_SYSREG_H
#define ARCH_ARM64_SYSREG_H

#ifdef __ASSEMBLY__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#define CURRENTEL_EL1 UL(0x4)
#define CURRENTEL_EL2 UL(0x8)

/* MPIDR_EL1 affinity fields Aff3 | Aff2 | Aff1 | Aff0 (no MT/U bits). */
#define MPIDR_HWID_MASK UL(0xff00ffffff)

/*
 * SCTLR_EL2 with HCR_EL2.E2H == 0. The RES1 bits must be written as ones;
 * the value with only them set is "MMU off, caches off, little endian".
 */
#define SCTLR_EL2_RES1 UL(0x30c50830)
#define SCTLR_M (UL(1) << 0)
#define SCTLR_C (UL(1) << 2)
#define SCTLR_SA (UL(1) << 3)
#define SCTLR_I (UL(1) << 12)
#define SCTLR_WXN (UL(1) << 19)
#define SCTLR_EE (UL(1) << 25)

/* HCR_EL2 */
#define HCR_RW (UL(1) << 31) /* EL1 is AArch64 */

/* CPTR_EL2 with E2H == 0: bits 13:12, 9 and 7:0 are RES1 (bit 12 is TSM
 * and bit 8 is TZ when SME/SVE exist: both trap, which is what tern wants
 * until it switches that state for guests). */
#define CPTR_EL2_DEFAULT UL(0x33ff)

/* CNTHCTL_EL2 with E2H == 0 */
#define CNTHCTL_EL1PCTEN (UL(1) << 0)
#define CNTHCTL_EL1PCEN (UL(1) << 1)
#define CNTHCTL_EVNTEN (UL(1) << 2)
#define CNTHCTL_EVNTI_SHIFT 4

/* TCR_EL2 with E2H == 0 */
#define TCR_EL2_RES1 ((UL(1) << 31) | (UL(1) << 23))
#define TCR_T0SZ(bits) (UL(64) - (bits))
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_PS_SHIFT 16

/* ID registers */
#define ID_AA64MMFR0_PARANGE(v) ((v) & 0xf)
#define ID_AA64PFR0_EL1(v) (((v) >> 4) & 0xf) /* 1: AArch64, 2: also AArch32 */
#define ID_AA64DFR0_PMUVER(v) (((v) >> 8) & 0xf)
#define PMCR_N(v) (((v) >> 11) & 0x1f)

#define CTR_DMINLINE(v) (((v) >> 16) & 0xf) /* log2 of words in the smallest D line */

#ifndef __ASSEMBLY__
#include <tern/types.h>

#define read_sysreg(reg) \
	({ \
		uint64_t __val; \
		__asm__ volatile("mrs %0, " #reg : "=r"(__val)); \
		__val; \
	})

#define write_sysreg(reg, val) \
	do { \
		uint64_t __val = (uint64_t)(val); \
		__asm__ volatile("msr " #reg ", %x0" : : "rZ"(__val)); \
	} while (0)

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

static inline bool arm64_at_el2(void)
{
	return read_sysreg(CurrentEL) == CURRENTEL_EL2;
}
#endif

#endif
