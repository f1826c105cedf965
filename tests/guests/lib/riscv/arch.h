/*
 * RISC-V pieces of the guest runtime: SBI calls (the guest runs in S-mode,
 * or VS-mode under tern), extension ids, error codes and scause values.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include <stdint.h>

struct sbiret {
	long error;
	long value;
};

/* 32-bit device accesses (LW/SW, which a hypervisor decodes from htinst
 * or the instruction). */
static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/* One SBI call: a7 = ext, a6 = fid, a0..a5 = arguments. */
struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);

/* Extension ids (SBI spec v2.0, chapter 3 onwards). */
#define SBI_EXT_LEGACY_SHUTDOWN 0x08ul
#define SBI_EXT_BASE 0x10ul
#define SBI_EXT_TIME 0x54494d45ul
#define SBI_EXT_IPI 0x735049ul
#define SBI_EXT_RFENCE 0x52464e43ul
#define SBI_EXT_HSM 0x48534dul
#define SBI_EXT_SRST 0x53525354ul

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_GET_IMPL_VERSION 2
#define SBI_BASE_PROBE_EXTENSION 3

#define SBI_TIME_SET_TIMER 0

#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2

#define SBI_HSM_STATE_STARTED 0L
#define SBI_HSM_STATE_STOPPED 1L
#define SBI_HSM_STATE_START_PENDING 2L
#define SBI_HSM_STATE_STOP_PENDING 3L

#define SBI_SRST_SYSTEM_RESET 0
#define SBI_SRST_TYPE_SHUTDOWN 0
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_SYSTEM_FAILURE 1

#define SBI_SUCCESS 0L
#define SBI_ERR_FAILED (-1L)
#define SBI_ERR_NOT_SUPPORTED (-2L)
#define SBI_ERR_INVALID_PARAM (-3L)
#define SBI_ERR_DENIED (-4L)
#define SBI_ERR_INVALID_ADDRESS (-5L)
#define SBI_ERR_ALREADY_AVAILABLE (-6L)

/* scause values (exceptions; interrupts have the top bit set). */
#define SCAUSE_INTERRUPT (1ul << 63)
#define SCAUSE_ILLEGAL_INSN 2ul
#define SCAUSE_BREAKPOINT 3ul
#define SCAUSE_ECALL_S 9ul

/* The cause exception_result() reports for an undefined instruction. */
#define EXC_CAUSE_UNDEF SCAUSE_ILLEGAL_INSN

/*
 * Interrupts. By default any interrupt ends the test as unexpected. A guest
 * that takes interrupts on purpose (it sets sstatus.SIE and the sie bits
 * itself) installs a handler first: it runs on the hart that took the
 * interrupt, with its scause, and must leave that interrupt no longer
 * pending, or disabled in sie, before it returns. NULL restores the default.
 */
void set_interrupt_handler(void (*handler)(unsigned long scause));

/* Executes an illegal instruction (a write to the read-only cycle CSR, illegal
 * in every mode) and returns its address; an exception must be expected. */
uintptr_t exec_undefined_insn(void);

#endif
