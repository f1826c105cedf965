/*
 * Guest data aborts as MMIO accesses (see arch/mmio_decode.h). Pure and
 * included by relative path so the host unit tests build it unchanged.
 */
#include "include/arch/mmio_decode.h"

bool s2_fault_is_translation(uint32_t iss)
{
	/* 0b0001LL translation, 0b0010LL access flag, 0b0011LL permission,
	 * LL the level (0-3). */
	unsigned int fsc = DABT_FSC(iss);

	return fsc >= 0x04 && fsc <= 0x0f;
}

paddr_t s2_fault_ipa(uint64_t hpfar, uint64_t far)
{
	/* HPFAR_EL2.FIPA (bits 47:4) holds IPA bits 55:12. */
	uint64_t page = (hpfar >> 4) & ((1ULL << 44) - 1);

	return (page << 12) | (far & 0xfff);
}

bool mmio_decode(uint64_t esr, struct mmio_insn *m)
{
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);

	if (!(iss & DABT_ISV) || (iss & (DABT_S1PTW | DABT_CM)))
		return false;
	m->size = 1u << ((iss >> DABT_SAS_SHIFT) & 3);
	m->reg = (iss >> DABT_SRT_SHIFT) & 0x1f;
	m->write = iss & DABT_WNR;
	m->sign_extend = iss & DABT_SSE;
	m->reg64 = iss & DABT_SF;
	m->acq_rel = iss & DABT_AR;
	return true;
}

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

uint64_t mmio_load_value(const struct mmio_insn *m, uint64_t data)
{
	uint64_t v = data & size_mask(m->size);

	if (m->sign_extend && m->size < 8) {
		uint64_t sign = 1ULL << (m->size * 8 - 1);

		v = (v ^ sign) - sign;
	}
	if (!m->reg64)
		v &= 0xffffffffULL;
	return v;
}

uint64_t mmio_store_value(const struct mmio_insn *m, uint64_t reg)
{
	return reg & size_mask(m->size);
}
