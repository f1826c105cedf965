/*
 * Names and field decoding for RISC-V trap CSRs, used by the trap dump.
 * Pure C on <tern/...> headers only (arch/riscv/trap_decode.c is built on
 * the host for unit tests).
 */
#ifndef ARCH_RISCV_TRAP_DECODE_H
#define ARCH_RISCV_TRAP_DECODE_H

#include <tern/types.h>

/* Exception codes of the privileged spec (scause with the top bit clear). */
enum riscv_exception {
	EXC_INSN_MISALIGNED = 0,
	EXC_INSN_ACCESS = 1,
	EXC_ILLEGAL_INSN = 2,
	EXC_BREAKPOINT = 3,
	EXC_LOAD_MISALIGNED = 4,
	EXC_LOAD_ACCESS = 5,
	EXC_STORE_MISALIGNED = 6,
	EXC_STORE_ACCESS = 7,
	EXC_ECALL_U = 8,   /* from U-mode or VU-mode */
	EXC_ECALL_HS = 9,  /* from HS-mode */
	EXC_ECALL_VS = 10,
	EXC_ECALL_M = 11,
	EXC_INSN_PAGE = 12,
	EXC_LOAD_PAGE = 13,
	EXC_STORE_PAGE = 15,
	EXC_SOFTWARE_CHECK = 18,
	EXC_HARDWARE_ERROR = 19,
	EXC_INSN_GUEST_PAGE = 20,
	EXC_LOAD_GUEST_PAGE = 21,
	EXC_VIRTUAL_INSN = 22,
	EXC_STORE_GUEST_PAGE = 23,
	RISCV_NR_EXCEPTIONS = 24,
};

/* Interrupt codes (scause with the top bit set). */
enum riscv_interrupt {
	IRQ_S_SOFT = 1,
	IRQ_VS_SOFT = 2,
	IRQ_M_SOFT = 3,
	IRQ_S_TIMER = 5,
	IRQ_VS_TIMER = 6,
	IRQ_M_TIMER = 7,
	IRQ_S_EXT = 9,
	IRQ_VS_EXT = 10,
	IRQ_M_EXT = 11,
	IRQ_S_GEXT = 12,
	IRQ_COUNTER_OVERFLOW = 13,
	RISCV_NR_INTERRUPTS = 14,
};

#define RISCV_SCAUSE_INTERRUPT (1ULL << 63)

/* The spec's name of an exception or interrupt code; NULL if reserved or
 * custom. */
const char *riscv_exception_name(uint64_t code);
const char *riscv_interrupt_name(uint64_t code);
/* A name for any scause value, never NULL ("Reserved exception 17", ...):
 * buf (size bytes) holds the text when no fixed name exists. */
const char *riscv_cause_name(uint64_t scause, char *buf, size_t size);

/* Whether the exception writes a guest physical address to htval. */
bool riscv_cause_is_guest_page_fault(uint64_t scause);

/* ABI names of x0..x31 ("zero", "ra", "sp", ..., "t6"). */
extern const char *const riscv_reg_names[32];

/* "[SPIE SPP SUM UXL=2]": the set fields of sstatus / hstatus, truncated to
 * fit buf (size > 0 for any output). Returns the length written. */
size_t riscv_format_sstatus(char *buf, size_t size, uint64_t sstatus);
size_t riscv_format_hstatus(char *buf, size_t size, uint64_t hstatus);

#endif
