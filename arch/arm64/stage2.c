/*
 * A VM's stage-2 translation on arm64: its IPA size and table geometry,
 * its VMID, and the TLB maintenance core asks for after changing entries.
 * The descriptors themselves are in pte.c and the walker in core/.
 */
#include <stdatomic.h>
#include <arch/guest.h>
#include <arch/pte.h>
#include <arch/sysreg.h>
#include <arch/vgic.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/vm.h>

/* 8-bit VMIDs, which every CPU has (VTCR_EL2.VS = 0). 0 is never a
 * guest's: it is what VTTBR_EL2 holds while no guest is loaded. A VM keeps
 * its VMID for good (tern has no VM teardown), so no reuse is needed. */
#define VMID_MAX 255
static atomic_uint vmid_next = 1;

static int vmid_alloc(struct vm *vm, const char **why)
{
	unsigned int id;

	if (vm->arch.vmid)
		return 0;
	id = atomic_fetch_add(&vmid_next, 1);
	if (id > VMID_MAX) {
		*why = "no VMID left for the VM";
		return -E_NOMEM;
	}
	vm->arch.vmid = id;
	return 0;
}

int arch_vm_init(struct vm *vm, const char **why)
{
	struct arch_vm *a = &vm->arch;
	unsigned int ps = ID_AA64MMFR0_PARANGE(read_sysreg(id_aa64mmfr0_el1));
	int err;

	/*
	 * The IPA space is as large as the host's physical one (the guest
	 * sees the board's memory map, RAM and devices where they really are),
	 * up to the 48 bits tern's descriptors carry. ps caps the output size
	 * the same way.
	 */
	if (ps > 5)
		ps = 5;
	a->ipa_bits = arm64_parange_bits(ps);
	if (!arm64_s2_geometry(a->ipa_bits, &a->s2_geo)) {
		*why = "the CPU's physical address size is too small for a stage-2 table";
		return -E_NOTSUP;
	}
	arm64_s2_format(&a->s2_fmt, &a->s2_geo);
	a->vtcr = arm64_s2_vtcr(&a->s2_geo, a->ipa_bits, ps);
	err = vmid_alloc(vm, why);
	if (err)
		return err;
	arm64_id_regs_init(vm);
	/* Whatever ran before tern (firmware, a previous boot) may have left
	 * TLB entries tagged with this VMID. */
	arch_stage2_flush(vm);
	return vgic_vm_init(vm, why);
}

const struct pt_format *arch_stage2_format(const struct vm *vm)
{
	return &vm->arch.s2_fmt;
}

/*
 * TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2, so VTTBR_EL2 is pointed
 * at this VM's for the instruction, then put back: the flush may come from
 * a CPU running another VM's vCPU (or none). Interrupts are masked at EL2,
 * so nothing runs a guest in between.
 */
void arch_stage2_flush(struct vm *vm)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	/* The table writes must be visible to every walker first. */
	dsb(ishst);
	write_sysreg(vttbr_el2, arm64_vttbr(vm));
	isb();
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, saved);
	isb();
}
