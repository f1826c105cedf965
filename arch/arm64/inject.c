/*
 * Exceptions tern hands to a guest: what the guest's EL1 would have taken
 * had the hardware raised it there. The vCPU is loaded, so its EL1
 * registers (ELR, SPSR, ESR, FAR, VBAR, SCTLR) are the hardware's.
 */
#include <arch/esr.h>
#include <arch/guest.h>
#include <arch/id_regs.h>
#include <arch/mmio_decode.h>
#include <arch/sysreg.h>
#include <tern/vm.h>

/* VBAR_EL1 offsets by where the exception came from. */
#define VEC_CURRENT_SP0 0x000
#define VEC_CURRENT_SPX 0x200
#define VEC_LOWER_A64 0x400
#define VEC_LOWER_A32 0x600

#define FSC_SYNC_EXTERNAL 0x10

static bool from_el0(const struct vcpu *v)
{
	uint64_t m = v->arch.regs.pstate & PSR_MODE_MASK;

	return (m & PSR_MODE_32BIT) || m == PSR_MODE_EL0t;
}

static unsigned int guest_id_field(const struct vcpu *v, unsigned int idx, unsigned int shift)
{
	return (v->vm->arch.id_regs[idx] >> shift) & 0xf;
}

/*
 * Take a synchronous exception to EL1 as the architecture does: save the
 * return state, then enter the vector at EL1h with D, A, I and F masked,
 * NZCV and DIT kept, PAN set if SCTLR_EL1.SPAN is 0, SSBS from
 * SCTLR_EL1.DSSBS, and SS, IL, BTYPE and UAO cleared.
 */
static void enter_el1(struct vcpu *v, uint64_t esr)
{
	struct arm64_guest_regs *r = &v->arch.regs;
	uint64_t old = r->pstate, m = old & PSR_MODE_MASK;
	uint64_t sctlr = read_sysreg(sctlr_el1);
	uint64_t offset, pstate;

	if (m & PSR_MODE_32BIT)
		offset = VEC_LOWER_A32;
	else if (m == PSR_MODE_EL0t)
		offset = VEC_LOWER_A64;
	else if (m == PSR_MODE_EL1t)
		offset = VEC_CURRENT_SP0;
	else
		offset = VEC_CURRENT_SPX;

	pstate = PSR_MODE_EL1h | PSR_DAIF | (old & PSR_NZCV_MASK);
	if (!(m & PSR_MODE_32BIT))
		pstate |= old & PSR_DIT; /* bit 24 is something else in AArch32 */
	if (guest_id_field(v, ID_AA64MMFR1, 20)) { /* PAN */
		pstate |= old & PSR_PAN;
		if (!(sctlr & SCTLR_EL1_SPAN))
			pstate |= PSR_PAN;
	}
	if (guest_id_field(v, ID_AA64PFR1, 4) && (sctlr & SCTLR_EL1_DSSBS)) /* SSBS */
		pstate |= PSR_SSBS;

	write_sysreg(elr_el1, r->pc);
	write_sysreg(spsr_el1, old);
	write_sysreg(esr_el1, esr);
	r->pc = read_sysreg(vbar_el1) + offset;
	r->pstate = pstate;
}

/* The guest-side syndrome keeps the trapped instruction's length. */
static uint64_t il_of(const struct vcpu *v)
{
	return v->arch.regs.esr & ESR_IL;
}

void guest_inject_undef(struct vcpu *v)
{
	enter_el1(v, ((uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT) | il_of(v));
}

void guest_inject_dabt(struct vcpu *v)
{
	unsigned int ec = from_el0(v) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	uint64_t wnr = v->arch.regs.esr & DABT_WNR;

	write_sysreg(far_el1, v->arch.regs.far);
	enter_el1(v, ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | wnr | FSC_SYNC_EXTERNAL);
}

void guest_inject_iabt(struct vcpu *v)
{
	unsigned int ec = from_el0(v) ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;

	write_sysreg(far_el1, v->arch.regs.far);
	enter_el1(v, ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | FSC_SYNC_EXTERNAL);
}

/* A virtual SError: the guest takes it when its PSTATE.A allows (the
 * hardware clears HCR_EL2.VSE then). */
void guest_inject_serror(struct vcpu *v)
{
	v->arch.hcr |= HCR_VSE;
	write_sysreg(hcr_el2, v->arch.hcr);
}

void guest_skip_insn(struct vcpu *v)
{
	struct arm64_guest_regs *r = &v->arch.regs;

	r->pc += (r->esr & ESR_IL) ? 4 : 2;
	/* The instruction completed and was not a branch. */
	r->pstate &= ~PSR_BTYPE_MASK;
}
