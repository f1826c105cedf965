/*
 * Exception syndrome decoding: ESR_ELx fields, the architected exception
 * classes and human-readable descriptions for trap dumps. The decoder
 * (esr_decode.c) has no inline assembly so it is unit-tested on the host.
 */
#ifndef ARCH_ARM64_ESR_H
#define ARCH_ARM64_ESR_H

#include <tern/types.h>

#define ESR_EC_SHIFT 26
#define ESR_EC_COUNT 64
#define ESR_EC(esr) ((unsigned int)(((esr) >> ESR_EC_SHIFT) & 0x3f))
#define ESR_IL (1UL << 25) /* 32-bit instruction (or not instruction-specific) */
#define ESR_ISS(esr) ((uint32_t)((esr) & 0x1ffffff))
#define ESR_ISS2(esr) ((uint32_t)(((esr) >> 32) & 0xffffff))

/* Exception classes (ESR_ELx.EC), as named in the Arm ARM. */
enum esr_ec {
	ESR_EC_UNKNOWN = 0x00,
	ESR_EC_WFX = 0x01,
	ESR_EC_CP15_32 = 0x03,
	ESR_EC_CP15_64 = 0x04,
	ESR_EC_CP14_32 = 0x05,
	ESR_EC_CP14_LS = 0x06,
	ESR_EC_FP_ASIMD = 0x07,
	ESR_EC_CP10_ID = 0x08,
	ESR_EC_PAC = 0x09,
	ESR_EC_LS64 = 0x0a,
	ESR_EC_CP14_64 = 0x0c,
	ESR_EC_BTI = 0x0d,
	ESR_EC_ILL = 0x0e,
	ESR_EC_SVC32 = 0x11,
	ESR_EC_HVC32 = 0x12,
	ESR_EC_SMC32 = 0x13,
	ESR_EC_SYS128 = 0x14,
	ESR_EC_SVC64 = 0x15,
	ESR_EC_HVC64 = 0x16,
	ESR_EC_SMC64 = 0x17,
	ESR_EC_SYS64 = 0x18,
	ESR_EC_SVE = 0x19,
	ESR_EC_ERET = 0x1a,
	ESR_EC_TSTART = 0x1b,
	ESR_EC_FPAC = 0x1c,
	ESR_EC_SME = 0x1d,
	ESR_EC_GPC = 0x1e,
	ESR_EC_IMP_DEF = 0x1f,
	ESR_EC_IABT_LOW = 0x20,
	ESR_EC_IABT_CUR = 0x21,
	ESR_EC_PC_ALIGN = 0x22,
	ESR_EC_DABT_LOW = 0x24,
	ESR_EC_DABT_CUR = 0x25,
	ESR_EC_SP_ALIGN = 0x26,
	ESR_EC_MOPS = 0x27,
	ESR_EC_FP_EXC32 = 0x28,
	ESR_EC_FP_EXC64 = 0x2c,
	ESR_EC_GCS = 0x2d,
	ESR_EC_SERROR = 0x2f,
	ESR_EC_BREAKPT_LOW = 0x30,
	ESR_EC_BREAKPT_CUR = 0x31,
	ESR_EC_SOFTSTP_LOW = 0x32,
	ESR_EC_SOFTSTP_CUR = 0x33,
	ESR_EC_WATCHPT_LOW = 0x34,
	ESR_EC_WATCHPT_CUR = 0x35,
	ESR_EC_BKPT32 = 0x38,
	ESR_EC_VECTOR32 = 0x3a,
	ESR_EC_BRK64 = 0x3c,
};

/* The exception class's name ("Data Abort from current EL"); unallocated
 * classes get "Unallocated exception class". Never NULL. */
const char *esr_ec_name(unsigned int ec);

/* "Synchronous from EL2h" etc. for a VBAR_EL2 entry 0..15. Never NULL. */
const char *trap_vector_name(unsigned int vector);

/* The ISS decoded for the classes where it is worth it (aborts, system
 * register traps, HVC/SMC/SVC/BRK immediates, WFx); otherwise "ISS 0x...".
 * Returns the length the output would have had, like snprintf. */
int esr_describe_iss(char *buf, size_t size, uint64_t esr);

/* A saved PSTATE: "EL2h, AArch64, NZCV=0110, DAIF=1111". */
int spsr_describe(char *buf, size_t size, uint64_t spsr);

/*
 * A trapped access (EC 0x18) in the op0 = 2 space, what tern does with it:
 * the lazy switch of the debug registers (MDCR_EL2.TDA/TDOSA/TDRA trap
 * until a vCPU first uses them), or UNDEFINED. Trace-unit registers
 * (op1 = 1, trapped by CPTR_EL2.TTA for good: guests get no trace unit)
 * are UNDEFINED, and so is anything that traps once the vCPU's debug state
 * is loaded: re-running it would only trap again, forever.
 */
enum arm64_debug_trap { ARM64_DEBUG_LAZY_LOAD, ARM64_DEBUG_UNDEF };
enum arm64_debug_trap arm64_debug_trap_kind(uint32_t iss, bool debug_loaded);

/* The Data/Instruction Fault Status Code's meaning ("translation fault,
 * level 3"). Never NULL. */
const char *esr_fsc_name(unsigned int fsc, unsigned int *level);

#endif
