/*
 * Trapped system-register accesses (EC 0x18): a table of the registers tern
 * emulates, the ID registers (HCR_EL2.TID3) from the VM's sanitised copy,
 * and UNDEFINED for everything else, as on a CPU without the register.
 *
 * What traps here: ID registers (TID3), ACTLR_EL1 (TACR), GICv3 SGI
 * generation (always, with IMO/FMO), implementation-defined registers
 * (TIDCP), LORegions (TLOR), RAS error records (TERR), the EL1 physical
 * timer (CNTHCTL_EL2.EL1PCEN; emulated by ptimer.c), trace, AMU, SPE, MTE
 * and pointer-authentication key registers.
 */
#include <arch/esr.h>
#include <arch/guest.h>
#include <arch/id_regs.h>
#include <arch/pte.h>
#include <arch/sysreg.h>
#include <arch/vgic.h>
#include <tern/compiler.h>
#include <tern/printk.h>
#include <tern/vm.h>

/* The ISS of EC 0x18: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10],
 * Rt [9:5], CRm [4:1], Direction [0] (1: read). */
#define SYS_KEY(op0, op1, crn, crm, op2) \
	(((uint32_t)(op0) << 20) | ((uint32_t)(op2) << 17) | ((uint32_t)(op1) << 14) | \
	 ((uint32_t)(crn) << 10) | ((uint32_t)(crm) << 1))
#define SYS_KEY_MASK SYS_KEY(3, 7, 15, 15, 7)
#define SYS_RT(iss) (((iss) >> 5) & 0x1f)
#define SYS_IS_READ(iss) ((iss) & 1)
#define SYS_OP0(iss) (((iss) >> 20) & 3)
#define SYS_OP2(iss) (((iss) >> 17) & 7)
#define SYS_OP1(iss) (((iss) >> 14) & 7)
#define SYS_CRN(iss) (((iss) >> 10) & 0xf)
#define SYS_CRM(iss) (((iss) >> 1) & 0xf)

_Static_assert(ARM64_ID_REGS == ID_REG_COUNT, "vm->arch.id_regs covers the TID3 space");

struct sysreg_emul {
	uint32_t key;
	const char *name;
	/* NULL: that direction is UNDEFINED (a write-only register). */
	void (*read)(struct vcpu *v, uint64_t *val);
	void (*write)(struct vcpu *v, uint64_t val);
};

static void read_zero(struct vcpu *v, uint64_t *val)
{
	*val = 0;
}

static void write_ignore(struct vcpu *v, uint64_t val)
{
}

static void write_sgi1r(struct vcpu *v, uint64_t val)
{
	vgic_v3_write_sgi1r(v, val);
}

static const struct sysreg_emul sysregs[] = {
	{ SYS_KEY(3, 0, 12, 11, 5), "ICC_SGI1R_EL1", NULL, write_sgi1r },
	/* Group 0 and other-security-state SGIs: a guest has neither. */
	{ SYS_KEY(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1", NULL, write_ignore },
	{ SYS_KEY(3, 0, 12, 11, 7), "ICC_SGI0R_EL1", NULL, write_ignore },
	/* IMPLEMENTATION DEFINED controls stay the host's: reads as 0. */
	{ SYS_KEY(3, 0, 1, 0, 1), "ACTLR_EL1", read_zero, write_ignore },
	/* The EL1 physical timer, emulated (ptimer.c). */
	{ SYS_KEY(3, 3, 14, 2, 0), "CNTP_TVAL_EL0", ptimer_read_tval, ptimer_write_tval },
	{ SYS_KEY(3, 3, 14, 2, 1), "CNTP_CTL_EL0", ptimer_read_ctl, ptimer_write_ctl },
	{ SYS_KEY(3, 3, 14, 2, 2), "CNTP_CVAL_EL0", ptimer_read_cval, ptimer_write_cval },
};

static bool is_id_reg(uint32_t iss)
{
	return SYS_OP0(iss) == 3 && SYS_OP1(iss) == 0 && SYS_CRN(iss) == 0 &&
	       SYS_CRM(iss) >= 1 && SYS_CRM(iss) <= 7;
}

enum vcpu_next arm64_handle_sysreg(struct vcpu *v, uint64_t esr)
{
	uint32_t iss = ESR_ISS(esr), key = iss & SYS_KEY_MASK;
	unsigned int rt = SYS_RT(iss);
	bool read = SYS_IS_READ(iss);
	uint64_t val;

	/* op0 = 2 is the debug register space: trapped only until the vCPU
	 * first uses it in a run; then its own state goes in and the access
	 * runs again, untrapped. Trace-unit registers there are UNDEFINED. */
	if (SYS_OP0(iss) == 2) {
		if (arm64_debug_trap_kind(iss, v->arch.debug.loaded) == ARM64_DEBUG_UNDEF)
			goto undef;
		arm64_debug_lazy_load(v);
		return VCPU_NEXT_RUN;
	}
	if (is_id_reg(iss)) {
		if (!read)
			goto undef; /* ID registers are read-only */
		guest_set_reg(v, rt, v->vm->arch.id_regs[ID_REG_IDX(SYS_CRM(iss), SYS_OP2(iss))]);
		guest_skip_insn(v);
		return VCPU_NEXT_RUN;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(sysregs); i++) {
		const struct sysreg_emul *s = &sysregs[i];

		if (s->key != key)
			continue;
		if (read && s->read) {
			s->read(v, &val);
			guest_set_reg(v, rt, val);
		} else if (!read && s->write) {
			s->write(v, guest_reg(v, rt));
		} else {
			goto undef;
		}
		guest_skip_insn(v);
		return VCPU_NEXT_RUN;
	}
undef:
	pr_debug("%s: vCPU %u: %s of S%u_%u_C%u_C%u_%u at %#llx: UNDEFINED\n", v->vm->name,
		 v->id, read ? "read" : "write", SYS_OP0(iss), SYS_OP1(iss), SYS_CRN(iss),
		 SYS_CRM(iss), SYS_OP2(iss), (unsigned long long)v->arch.regs.pc);
	guest_inject_undef(v);
	return VCPU_NEXT_RUN;
}

/* The host's value of an ID register the guest sees part of. Encodings
 * are generic so any assembler accepts the newer ones; unallocated ID
 * encodings read as zero on every CPU. */
static uint64_t host_id_reg(unsigned int idx)
{
	switch (idx) {
	case ID_AA64PFR0: return read_sysreg(S3_0_C0_C4_0);
	case ID_AA64PFR1: return read_sysreg(S3_0_C0_C4_1);
	case ID_AA64DFR0: return read_sysreg(S3_0_C0_C5_0);
	case ID_AA64ISAR0: return read_sysreg(S3_0_C0_C6_0);
	case ID_AA64ISAR1: return read_sysreg(S3_0_C0_C6_1);
	case ID_AA64ISAR2: return read_sysreg(S3_0_C0_C6_2);
	case ID_AA64MMFR0: return read_sysreg(S3_0_C0_C7_0);
	case ID_AA64MMFR1: return read_sysreg(S3_0_C0_C7_1);
	case ID_AA64MMFR2: return read_sysreg(S3_0_C0_C7_2);
	default: return 0;
	}
}

void arm64_id_regs_init(struct vm *vm)
{
	struct id_reg_ctx ctx = {
		.gic_v3 = gic_version() == 3,
		.parange = arm64_parange_encode(vm->arch.ipa_bits),
	};

	for (unsigned int i = 0; i < ID_REG_COUNT; i++)
		vm->arch.id_regs[i] = id_reg_sanitise(i, host_id_reg(i), &ctx);
}
