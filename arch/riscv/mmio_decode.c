/*
 * Loads and stores a guest may use on a device register (see
 * <arch/mmio_decode.h>). Anything else on an emulated device (an AMO, an FP
 * load, LR/SC) is refused, and the guest gets an access fault for it.
 */
#include <tern/errno.h>
#include "include/arch/mmio_decode.h"

#define OP_LOAD 0x03
#define OP_STORE 0x23

static int decode32(uint32_t insn, struct riscv_mmio_insn *d)
{
	uint32_t f3 = (insn >> 12) & 7;

	d->len = 4;
	switch (insn & 0x7f) {
	case OP_LOAD:
		if (f3 == 7)
			return -E_NOTSUP;
		d->store = false;
		d->size = 1u << (f3 & 3);
		d->sign_extend = f3 < 4 && f3 != 3;
		d->reg = (insn >> 7) & 0x1f;
		return 0;
	case OP_STORE:
		if (f3 > 3)
			return -E_NOTSUP;
		d->store = true;
		d->size = 1u << f3;
		d->sign_extend = false;
		d->reg = (insn >> 20) & 0x1f;
		return 0;
	default:
		return -E_NOTSUP;
	}
}

/* C.LW/C.LD/C.SW/C.SD (quadrant 0, registers x8-x15) and their
 * stack-pointer forms (quadrant 2). */
static int decode16(uint32_t insn, struct riscv_mmio_insn *d)
{
	uint32_t f3 = (insn >> 13) & 7, quadrant = insn & 3;

	d->len = 2;
	d->sign_extend = false;
	if (quadrant == 0) {
		unsigned int reg = 8 + ((insn >> 2) & 7);

		switch (f3) {
		case 2: d->store = false; d->size = 4; d->sign_extend = true; break;
		case 3: d->store = false; d->size = 8; break;
		case 6: d->store = true; d->size = 4; break;
		case 7: d->store = true; d->size = 8; break;
		default: return -E_NOTSUP;
		}
		d->reg = reg;
		return 0;
	}
	if (quadrant == 2) {
		switch (f3) {
		case 2: d->store = false; d->size = 4; d->sign_extend = true; break;
		case 3: d->store = false; d->size = 8; break;
		case 6: d->store = true; d->size = 4; break;
		case 7: d->store = true; d->size = 8; break;
		default: return -E_NOTSUP;
		}
		d->reg = d->store ? (insn >> 2) & 0x1f : (insn >> 7) & 0x1f;
		/* C.LWSP/C.LDSP with rd = 0 are reserved encodings. */
		if (!d->store && d->reg == 0)
			return -E_NOTSUP;
		return 0;
	}
	return -E_NOTSUP;
}

int riscv_mmio_decode(uint32_t insn, struct riscv_mmio_insn *out)
{
	return riscv_insn_len(insn) == 4 ? decode32(insn, out) : decode16(insn & 0xffff, out);
}

int riscv_mmio_decode_htinst(uint64_t htinst, struct riscv_mmio_insn *out)
{
	int err;

	if (!(htinst & 1))
		return -E_NOTSUP;
	/* The transformed form is always the 32-bit encoding (rs1 and the
	 * offset zeroed); only its bit 1 says how long the original was. */
	err = decode32((uint32_t)htinst | 2, out);
	if (!err)
		out->len = (htinst & 2) ? 4 : 2;
	return err;
}

uint64_t riscv_mmio_load_value(const struct riscv_mmio_insn *d, uint64_t raw)
{
	unsigned int bits = d->size * 8;

	if (bits == 64)
		return raw;
	raw &= (1ULL << bits) - 1;
	if (d->sign_extend && (raw >> (bits - 1)) & 1)
		raw |= ~0ULL << bits;
	return raw;
}
