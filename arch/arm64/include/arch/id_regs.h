/*
 * What a guest reads from the ID registers (HCR_EL2.TID3 traps them all):
 * the host's values with every feature tern does not switch for guests
 * hidden. Pure (id_regs.c has no inline assembly) so the tables are
 * unit-tested on the host; included there by relative path.
 */
#ifndef ARCH_ARM64_ID_REGS_H
#define ARCH_ARM64_ID_REGS_H

#include <tern/types.h>

/* The ID register space TID3 traps: op0 3, op1 0, CRn 0, CRm 1-7, op2 0-7. */
#define ID_REG_IDX(crm, op2) (((crm) - 1) * 8 + (op2))
#define ID_REG_COUNT 56

#define ID_AA64PFR0 ID_REG_IDX(4, 0)
#define ID_AA64PFR1 ID_REG_IDX(4, 1)
#define ID_AA64ZFR0 ID_REG_IDX(4, 4)
#define ID_AA64SMFR0 ID_REG_IDX(4, 5)
#define ID_AA64DFR0 ID_REG_IDX(5, 0)
#define ID_AA64DFR1 ID_REG_IDX(5, 1)
#define ID_AA64ISAR0 ID_REG_IDX(6, 0)
#define ID_AA64ISAR1 ID_REG_IDX(6, 1)
#define ID_AA64ISAR2 ID_REG_IDX(6, 2)
#define ID_AA64MMFR0 ID_REG_IDX(7, 0)
#define ID_AA64MMFR1 ID_REG_IDX(7, 1)
#define ID_AA64MMFR2 ID_REG_IDX(7, 2)

/* What the sanitised values depend on besides the host's. */
struct id_reg_ctx {
	unsigned int gic_v3;  /* 1: the guest has a GICv3 system-register CPU interface */
	unsigned int parange; /* ID_AA64MMFR0.PARange encoding of the VM's IPA size */
};

/* Whether the guest sees anything of the register at idx: if not it reads
 * as zero and the host's value need not even be read. */
bool id_reg_passed(unsigned int idx);
/* The guest's value of the register at idx, from the host's. */
uint64_t id_reg_sanitise(unsigned int idx, uint64_t host, const struct id_reg_ctx *ctx);
/* "ID_AA64PFR0_EL1", or NULL for a register tern hides entirely. */
const char *id_reg_name(unsigned int idx);

#endif
