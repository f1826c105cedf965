/*
 * The ID registers a guest reads, as tables: for each register tern lets
 * through, the 4-bit fields it keeps and the largest value each may show.
 * A field not listed reads as 0, so a feature added by a newer CPU stays
 * hidden until tern learns to switch its state: that is what makes a guest
 * on `-cpu max` safe. What is hidden and why:
 *   - SVE, SME: their registers are not switched (CPTR_EL2.TZ/TSM trap them);
 *   - MTE, pointer authentication: tag and key state not switched (the
 *     HCR_EL2.ATA/API/APK traps stay set);
 *   - SPE, TRBE, trace, BRBE: the profiling and trace buffers belong to EL2
 *     (MDCR_EL2 traps their controls);
 *   - AMU, MPAM, RAS error records, LORegions, TME, MOPS, WFxT, LS64, NMI,
 *     GCS, the XS attribute: state or traps tern does not provide;
 *   - EL2 features (VH, NV, FGT, ECV, HCX, TWED, FWB, EVT, XNX): the guest
 *     runs at EL1, and AArch32 everywhere (guests are AArch64 only);
 *   - CSV2 is capped at 1 so SCXTNUM_ELx (CSV2_2) is never advertised.
 * Everything else (instruction set extensions, PSTATE bits such as BTI,
 * SSBS, DIT, PAN, UAO, the PMU and debug resources) is the host's.
 */
#include "include/arch/id_regs.h"
#include <tern/compiler.h>

#define KEEP 0xf       /* the host's value, whatever it is */
#define CAP_GIC 0x10   /* from ctx->gic_v3 */
#define CAP_PARANGE 0x11 /* at most ctx->parange */

struct id_field {
	uint8_t shift;
	uint8_t cap;   /* the largest value shown (fields are unsigned here) */
};

struct id_reg_desc {
	const char *name;
	const struct id_field *fields;
	unsigned int nr;
};

static const struct id_field pfr0[] = {
	{ 0, 1 },      /* EL0: AArch64 only */
	{ 4, 1 },      /* EL1: AArch64 only */
	{ 12, KEEP },  /* EL3 */
	{ 16, KEEP },  /* FP */
	{ 20, KEEP },  /* AdvSIMD */
	{ 24, CAP_GIC },
	{ 48, KEEP },  /* DIT */
	{ 56, 1 },     /* CSV2 */
	{ 60, KEEP },  /* CSV3 */
};

static const struct id_field pfr1[] = {
	{ 0, KEEP },   /* BT */
	{ 4, KEEP },   /* SSBS */
	{ 32, 1 },     /* CSV2_frac: not 2, which brings SCXTNUM_ELx */
};

static const struct id_field dfr0[] = {
	{ 0, KEEP },   /* DebugVer */
	{ 8, KEEP },   /* PMUVer: the PMU is not trapped */
	{ 12, KEEP },  /* BRPs */
	{ 20, KEEP },  /* WRPs */
	{ 28, KEEP },  /* CTX_CMPs */
	{ 36, KEEP },  /* DoubleLock */
	{ 48, KEEP },  /* MTPMU */
};

static const struct id_field isar0[] = {
	{ 4, KEEP },  { 8, KEEP },  { 12, KEEP }, { 16, KEEP }, /* AES SHA1 SHA2 CRC32 */
	{ 20, KEEP }, { 28, KEEP }, { 32, KEEP }, { 36, KEEP }, /* Atomic RDM SHA3 SM3 */
	{ 40, KEEP }, { 44, KEEP }, { 48, KEEP }, { 52, KEEP }, /* SM4 DP FHM TS */
	{ 56, KEEP }, { 60, KEEP },                             /* TLB RNDR */
};

static const struct id_field isar1[] = {
	{ 0, KEEP },  /* DPB */
	{ 12, KEEP }, /* JSCVT */
	{ 16, KEEP }, /* FCMA */
	{ 20, KEEP }, /* LRCPC */
	{ 32, KEEP }, /* FRINTTS */
	{ 36, KEEP }, /* SB */
	{ 40, KEEP }, /* SPECRES */
	{ 44, KEEP }, /* BF16 */
	{ 48, KEEP }, /* DGH */
	{ 52, KEEP }, /* I8MM */
};

static const struct id_field isar2[] = {
	{ 4, KEEP },  /* RPRES */
	{ 20, KEEP }, /* BC */
	{ 28, KEEP }, /* CLRBHB */
};

static const struct id_field mmfr0[] = {
	{ 0, CAP_PARANGE },
	{ 4, KEEP },  /* ASIDBits */
	{ 8, KEEP },  /* BigEnd */
	{ 12, KEEP }, /* SNSMem */
	{ 16, KEEP }, /* BigEndEL0 */
	{ 20, KEEP }, /* TGran16 */
	{ 24, KEEP }, /* TGran64 */
	{ 28, KEEP }, /* TGran4 */
	{ 32, KEEP }, /* TGran16_2 */
	{ 36, KEEP }, /* TGran64_2 */
	{ 40, KEEP }, /* TGran4_2 */
	{ 44, KEEP }, /* ExS */
};

static const struct id_field mmfr1[] = {
	{ 0, KEEP },  /* HAFDBS */
	{ 12, KEEP }, /* HPDS */
	{ 20, KEEP }, /* PAN */
	{ 24, KEEP }, /* SpecSEI */
	{ 36, KEEP }, /* ETS */
	{ 44, KEEP }, /* AFP */
	{ 48, KEEP }, /* nTLBPA */
	{ 56, KEEP }, /* CMOW */
	{ 60, KEEP }, /* ECBHB */
};

static const struct id_field mmfr2[] = {
	{ 0, KEEP },  /* CnP */
	{ 4, KEEP },  /* UAO */
	{ 8, KEEP },  /* LSM */
	{ 12, KEEP }, /* IESB */
	{ 16, KEEP }, /* VARange */
	{ 20, KEEP }, /* CCIDX */
	{ 28, KEEP }, /* ST */
	{ 32, KEEP }, /* AT */
	{ 36, KEEP }, /* IDS */
	{ 48, KEEP }, /* TTL */
	{ 52, KEEP }, /* BBM */
	{ 60, KEEP }, /* E0PD */
};

#define DESC(reg, f) { reg, f, ARRAY_SIZE(f) }

/* Registers not listed (the AArch32 ones, ZFR0, SMFR0, DFR1, AFR0/1,
 * MMFR3/4, and every unallocated encoding) read as zero. */
static const struct id_reg_desc id_regs[ID_REG_COUNT] = {
	[ID_AA64PFR0] = DESC("ID_AA64PFR0_EL1", pfr0),
	[ID_AA64PFR1] = DESC("ID_AA64PFR1_EL1", pfr1),
	[ID_AA64DFR0] = DESC("ID_AA64DFR0_EL1", dfr0),
	[ID_AA64ISAR0] = DESC("ID_AA64ISAR0_EL1", isar0),
	[ID_AA64ISAR1] = DESC("ID_AA64ISAR1_EL1", isar1),
	[ID_AA64ISAR2] = DESC("ID_AA64ISAR2_EL1", isar2),
	[ID_AA64MMFR0] = DESC("ID_AA64MMFR0_EL1", mmfr0),
	[ID_AA64MMFR1] = DESC("ID_AA64MMFR1_EL1", mmfr1),
	[ID_AA64MMFR2] = DESC("ID_AA64MMFR2_EL1", mmfr2),
};

bool id_reg_passed(unsigned int idx)
{
	return idx < ID_REG_COUNT && id_regs[idx].nr;
}

const char *id_reg_name(unsigned int idx)
{
	return id_reg_passed(idx) ? id_regs[idx].name : NULL;
}

static unsigned int field_cap(uint8_t cap, const struct id_reg_ctx *ctx)
{
	switch (cap) {
	case CAP_GIC:
		return ctx->gic_v3 ? 1 : 0;
	case CAP_PARANGE:
		return ctx->parange;
	default:
		return cap;
	}
}

uint64_t id_reg_sanitise(unsigned int idx, uint64_t host, const struct id_reg_ctx *ctx)
{
	const struct id_reg_desc *d;
	uint64_t out = 0;

	if (!id_reg_passed(idx))
		return 0;
	d = &id_regs[idx];
	for (unsigned int i = 0; i < d->nr; i++) {
		const struct id_field *f = &d->fields[i];
		unsigned int host_val = (host >> f->shift) & 0xf;
		unsigned int cap = field_cap(f->cap, ctx);

		/* The GIC field says what the guest's interrupt controller is,
		 * not what the host's is: it is set, not capped. */
		if (f->cap == CAP_GIC)
			host_val = cap;
		out |= (uint64_t)MIN(host_val, cap) << f->shift;
	}
	return out;
}
