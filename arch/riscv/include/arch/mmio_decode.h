/*
 * Decoding the load or store that faulted on an emulated device: from
 * htinst when the hart reports a transformed instruction, otherwise from
 * the instruction itself as read from guest memory. Pure C on <tern/...>
 * headers only, unit-tested on the host.
 */
#ifndef ARCH_RISCV_MMIO_DECODE_H
#define ARCH_RISCV_MMIO_DECODE_H

#include <tern/types.h>

struct riscv_mmio_insn {
	bool store;
	bool sign_extend;   /* loads narrower than 64 bits, except LBU/LHU/LWU */
	unsigned int size;  /* bytes: 1, 2, 4, 8 */
	unsigned int reg;   /* rd of a load, rs2 of a store */
	unsigned int len;   /* of the trapping instruction: 2 or 4 */
};

/* Length of the instruction whose low 16 bits are lo: 2 (compressed) or 4. */
static inline unsigned int riscv_insn_len(uint32_t lo)
{
	return (lo & 3) == 3 ? 4 : 2;
}

/* insn is the instruction (a 16-bit one in the low half). 0, or -E_NOTSUP
 * for anything that is not a plain integer load or store. */
int riscv_mmio_decode(uint32_t insn, struct riscv_mmio_insn *out);
/* The same from htinst (a transformed instruction, bit 0 set; bit 1 clear
 * when the original was compressed). -E_NOTSUP when htinst says nothing. */
int riscv_mmio_decode_htinst(uint64_t htinst, struct riscv_mmio_insn *out);
/* A loaded value as the register receives it. */
uint64_t riscv_mmio_load_value(const struct riscv_mmio_insn *d, uint64_t raw);

#endif
