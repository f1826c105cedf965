/*
 * VMIDs on RISC-V. Their width (VMIDLEN) is the hart's choice, possibly
 * zero: it is found by writing ones to hgatp.VMID and reading back which
 * stayed. A VM uses its slot number + 1 (0 is what hgatp holds with no
 * guest loaded), so a slot reused after a failed VM never needs a new one.
 * Past what the hart implements, VMs share VMID 0 and their hart flushes
 * every guest translation whenever it switches between VMs (vcpu.c): two
 * VMs then never hit each other's TLB entries. Pure logic, unit-tested.
 */
#include "include/arch/vmid.h"

unsigned int riscv_vmid_bits(uint64_t hgatp_readback)
{
	uint64_t vmid = (hgatp_readback >> HGATP_VMID_SHIFT) & ((1ULL << HGATP_VMID_BITS) - 1);
	unsigned int bits = 0;

	/* The implemented bits are the low VMIDLEN ones (the spec's WARL). */
	while (bits < HGATP_VMID_BITS && (vmid & (1ULL << bits)))
		bits++;
	return bits;
}

unsigned int riscv_vmid_for(unsigned int vm_id, unsigned int vmid_bits)
{
	unsigned int vmid = vm_id + 1;

	return vmid_bits < HGATP_VMID_BITS && vmid >= (1u << vmid_bits) ? RISCV_VMID_SHARED : vmid;
}
