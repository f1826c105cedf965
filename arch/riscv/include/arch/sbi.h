/*
 * tern as an SBI client of its own firmware (OpenSBI in M-mode): the calls
 * it makes and the spec's error codes. The IDs are usable from assembly.
 */
#ifndef ARCH_RISCV_SBI_H
#define ARCH_RISCV_SBI_H

/* Extension IDs (SBI spec v2.0; SSE from v3.0): those tern calls and those
 * it implements for its guests (arch/riscv/vsbi/). */
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_SSE 0x535345
#define SBI_EXT_FWFT 0x46574654
/* Legacy v0.1 extensions: the function is the extension ID itself. */
#define SBI_LEGACY_PUTCHAR 0x01
#define SBI_LEGACY_SHUTDOWN 0x08

/* BASE functions */
#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_PROBE_EXTENSION 3
/* IPI functions */
#define SBI_IPI_SEND_IPI 0
/* HSM functions */
#define SBI_HSM_HART_START 0
/* SRST */
#define SBI_SRST_RESET 0
#define SBI_SRST_TYPE_SHUTDOWN 0
#define SBI_SRST_REASON_NONE 0
/* DBCN */
#define SBI_DBCN_WRITE_BYTE 2

#ifndef __ASSEMBLY__
#include <tern/types.h>

/* The error codes: <tern/fw_errors.h>. */
#include <tern/fw_errors.h>

struct sbiret {
	long error;
	long value;
};

/* One ecall to firmware: a7 = ext, a6 = fid, a0..a2 = arguments. */
struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2);

/* The firmware's SBI spec version, (major << 24) | minor; 0x1 (v0.1) when it
 * has no BASE extension. */
unsigned long sbi_spec_version(void);
/* Whether the firmware implements an extension (always false on v0.1). */
bool sbi_probe_extension(unsigned long ext);
/* An SBI error code as a negative E_* (include/tern/errno.h). */
int sbi_error_to_errno(long error);

/* Whether firmware can send supervisor software interrupts (IPI extension),
 * and sending one to every hart. */
bool sbi_has_ipi(void);
void sbi_send_ipi_all(void);

#endif /* !__ASSEMBLY__ */
#endif
