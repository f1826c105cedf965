/* VMIDs on RISC-V (vmid.c): pure logic, unit-tested on the host. */
#ifndef ARCH_RISCV_VMID_H
#define ARCH_RISCV_VMID_H

#include <tern/types.h>

#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_BITS 14

/* vmid.c: VMIDLEN from hgatp read back after ones were written to its
 * VMID field; the VMID of VM slot vm_id with that many bits, or
 * RISCV_VMID_SHARED when there are too few (the hart then flushes guest
 * translations on every switch between such VMs). */
#define RISCV_VMID_SHARED 0u
unsigned int riscv_vmid_bits(uint64_t hgatp_readback);
unsigned int riscv_vmid_for(unsigned int vm_id, unsigned int vmid_bits);

#endif
