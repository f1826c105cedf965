/*
 * Decoding a guest's stage-2 data abort into an MMIO access: which bytes,
 * which register, load or store, and how a load's value is extended. Pure
 * (mmio_decode.c has no inline assembly) so it is unit-tested on the host;
 * included by relative path there, hence only <tern/...> includes here.
 */
#ifndef ARCH_ARM64_MMIO_DECODE_H
#define ARCH_ARM64_MMIO_DECODE_H

#include <tern/types.h>

/* Data Abort ISS fields (ESR_ELx.EC 0x24/0x25). */
#define DABT_ISV (1u << 24)    /* bits 23:14 below are valid */
#define DABT_SAS_SHIFT 22      /* access size: 1 << SAS bytes */
#define DABT_SSE (1u << 21)    /* a load sign-extends */
#define DABT_SRT_SHIFT 16      /* the transfer register */
#define DABT_SF (1u << 15)     /* the register is 64-bit (Xt, not Wt) */
#define DABT_AR (1u << 14)     /* acquire/release semantics */
#define DABT_FNV (1u << 10)    /* FAR is not valid */
#define DABT_EA (1u << 9)
#define DABT_CM (1u << 8)      /* a cache maintenance instruction */
#define DABT_S1PTW (1u << 7)   /* during a stage-1 table walk */
#define DABT_WNR (1u << 6)     /* a write */
#define DABT_FSC(iss) ((iss) & 0x3fu)

/* A decoded MMIO access. */
struct mmio_insn {
	unsigned int size;  /* bytes: 1, 2, 4 or 8 */
	unsigned int reg;   /* Rt; 31 is XZR/WZR (reads 0, writes discarded) */
	bool write;
	bool sign_extend;   /* a load sign-extends to the register's width */
	bool reg64;         /* the register is Xt; Wt zeroes bits 63:32 */
	bool acq_rel;
};

/* Whether the fault status code of a data or instruction abort is a stage-2
 * translation, access flag or permission fault: one the MMIO bus (or later
 * the pager) may handle. Everything else is a real abort. */
bool s2_fault_is_translation(uint32_t iss);

/* The faulting IPA of a stage-2 abort: the page from HPFAR_EL2.FIPA, the
 * offset in it from FAR_EL2. */
paddr_t s2_fault_ipa(uint64_t hpfar, uint64_t far);

/* Decode a data abort's syndrome. false when the access cannot be emulated
 * from the syndrome alone: ISV clear (load/store pair, writeback, SIMD,
 * exclusives, ...), a stage-1 walk, or a cache maintenance instruction. */
bool mmio_decode(uint64_t esr, struct mmio_insn *m);

/* The value a load leaves in its register, from the size bytes read. */
uint64_t mmio_load_value(const struct mmio_insn *m, uint64_t data);
/* The bytes a store writes, from its register's value. */
uint64_t mmio_store_value(const struct mmio_insn *m, uint64_t reg);

#endif
