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
#define HCR_VM (UL(1) << 0)     /* stage-2 translation for EL1&0 */
#define HCR_SWIO (UL(1) << 1)   /* DC ISW by EL1 cleans too */
#define HCR_PTW (UL(1) << 2)    /* stage-1 walks into Device memory fault */
#define HCR_FMO (UL(1) << 3)
#define HCR_IMO (UL(1) << 4)
#define HCR_AMO (UL(1) << 5)
#define HCR_VSE (UL(1) << 8)    /* a virtual SError is pending */
#define HCR_FB (UL(1) << 9)     /* EL1 TLB and I-cache maintenance broadcast */
#define HCR_BSU_IS (UL(1) << 10) /* barriers at least inner shareable */
#define HCR_TWI (UL(1) << 13)
#define HCR_TWE (UL(1) << 14)
#define HCR_TID3 (UL(1) << 18)
#define HCR_TSC (UL(1) << 19)
#define HCR_TIDCP (UL(1) << 20)
#define HCR_TACR (UL(1) << 21)
#define HCR_RW (UL(1) << 31) /* EL1 is AArch64 */
#define HCR_TLOR (UL(1) << 35)
#define HCR_TERR (UL(1) << 36)

/* CPTR_EL2 with E2H == 0: bits 13:12, 9 and 7:0 are RES1 (bit 12 is TSM
 * and bit 8 is TZ when SME/SVE exist: both trap, which is what tern wants
 * until it switches that state for guests). */
#define CPTR_EL2_DEFAULT UL(0x33ff)
#define CPTR_TFP (UL(1) << 10)  /* FP/SIMD */
#define CPTR_TTA (UL(1) << 20)  /* trace registers */
#define CPTR_TAM (UL(1) << 30)  /* activity monitors */

/* MDCR_EL2 */
#define MDCR_HPMN_MASK UL(0x1f)
#define MDCR_TPMS (UL(1) << 14) /* SPE profiling controls */
#define MDCR_TTRF (UL(1) << 19) /* trace filter controls */

/* CNTHCTL_EL2 with E2H == 0 */
#define CNTHCTL_EL1PCTEN (UL(1) << 0)
#define CNTHCTL_EL1PCEN (UL(1) << 1)
#define CNTHCTL_EVNTEN (UL(1) << 2)
#define CNTHCTL_EVNTI_SHIFT 4

/* PSTATE as saved in SPSR_ELx (AArch64 layout) */
#define PSR_MODE_MASK UL(0x1f)  /* M[4] (AArch32) and M[3:0] */
#define PSR_MODE_EL0t UL(0x0)
#define PSR_MODE_EL1t UL(0x4)
#define PSR_MODE_EL1h UL(0x5)
#define PSR_MODE_32BIT (UL(1) << 4)
#define PSR_F (UL(1) << 6)
#define PSR_I (UL(1) << 7)
#define PSR_A (UL(1) << 8)
#define PSR_D (UL(1) << 9)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_BTYPE_MASK (UL(3) << 10)
#define PSR_SSBS (UL(1) << 12)
#define PSR_PAN (UL(1) << 22)
#define PSR_DIT (UL(1) << 24)
#define PSR_NZCV_MASK (UL(0xf) << 28)

/* SCTLR_EL1: the value out of reset with every RES1 bit of later
 * architecture versions set (MMU, caches and alignment checks off, little
 * endian), and the bits exception entry reads. */
#define SCTLR_EL1_RESET UL(0x30d00800)
#define SCTLR_EL1_SPAN (UL(1) << 23)
#define SCTLR_EL1_DSSBS (UL(1) << 44)

/* PMCR_EL0 bits a guest's setting keeps (E, D, X, DP, LC, LP): P and C
 * only act when written as 1, N is read-only. */
#define PMCR_SWITCHED UL(0xf9)

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
		uint64_t __wval = (uint64_t)(val); \
		__asm__ volatile("msr " #reg ", %x0" : : "rZ"(__wval)); \
	} while (0)

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

static inline bool arm64_at_el2(void)
{
	return read_sysreg(CurrentEL) == CURRENTEL_EL2;
}
#endif

#endif
