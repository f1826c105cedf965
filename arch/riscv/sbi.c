/*
 * tern as an SBI client of the M-mode firmware: spec version and probing
 * (BASE), starting harts (HSM), power off (SRST) and the firmware console
 * (DBCN, or the legacy putchar of SBI v0.1) when there is no UART.
 */
#include <stdatomic.h>
#include <string.h>
#include <generated/config.h>
#include <tern/arch.h>
#include <tern/bootargs.h>
#include <tern/compiler.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <arch/entry.h>
#include <arch/sbi.h>

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	/* "memory": firmware may read buffers tern passes (DBCN, HSM
	 * opaque data) and must see every store before the call. */
	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a6), "r"(a7)
			 : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

/* Legacy v0.1 calls return only a0, and firmware may clobber a1. */
static long sbi_legacy(unsigned long ext, unsigned long arg0)
{
	return sbi_ecall(ext, 0, arg0, 0, 0).error;
}

unsigned long sbi_spec_version(void)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0);

	/* Firmware without BASE (v0.1) answers with an error, not a version. */
	return r.error ? 0x1 : (unsigned long)r.value;
}

bool sbi_probe_extension(unsigned long ext)
{
	struct sbiret r;

	if (sbi_spec_version() < 0x2) /* probing needs v0.2 */
		return false;
	r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0, 0);
	return !r.error && r.value != 0;
}

static const struct {
	long sbi;
	int err;
} sbi_errors[] = {
	{ SBI_ERR_FAILED, E_IO },
	{ SBI_ERR_NOT_SUPPORTED, E_NOTSUP },
	{ SBI_ERR_INVALID_PARAM, E_INVAL },
	{ SBI_ERR_DENIED, E_NOTSUP },
	{ SBI_ERR_INVALID_ADDRESS, E_FAULT },
	{ SBI_ERR_ALREADY_AVAILABLE, E_BUSY },
	{ SBI_ERR_ALREADY_STARTED, E_BUSY },
	{ SBI_ERR_ALREADY_STOPPED, E_BUSY },
	{ SBI_ERR_NO_SHMEM, E_NOMEM },
};

int sbi_error_to_errno(long error)
{
	if (error == SBI_SUCCESS)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(sbi_errors); i++)
		if (sbi_errors[i].sbi == error)
			return -sbi_errors[i].err;
	return -E_IO; /* an error code from a newer spec */
}

/* Probed once, on first use; harts racing here all compute the same. */
enum probe_state { PROBE_UNKNOWN, PROBE_ABSENT, PROBE_PRESENT };

static bool probed(atomic_int *state, unsigned long ext)
{
	int s = atomic_load_explicit(state, memory_order_relaxed);

	if (s == PROBE_UNKNOWN) {
		s = sbi_probe_extension(ext) ? PROBE_PRESENT : PROBE_ABSENT;
		atomic_store_explicit(state, s, memory_order_relaxed);
	}
	return s == PROBE_PRESENT;
}

static atomic_int hsm_state, srst_state, dbcn_state, ipi_state;

bool sbi_has_ipi(void)
{
	return probed(&ipi_state, SBI_EXT_IPI);
}

void sbi_send_ipi_all(void)
{
	/* hart_mask_base = -1: every hart, whatever the mask says. */
	sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0, -1UL, 0);
}

struct pcpu *riscv_starting;

int arch_start_cpu(struct pcpu *cpu, const struct platform *p)
{
	char arg[8];
	uintptr_t entry = (uintptr_t)riscv_secondary_entry;
	struct sbiret r;

	if (!probed(&hsm_state, SBI_EXT_HSM))
		return -E_NOTSUP;
	/* tern.hart_entry=image: start it at tern's own first instruction,
	 * as firmware does that sends a started hart to the kernel's entry
	 * (QEMU 7.2's OpenSBI 1.1 can, under host load): head.S must then
	 * still take it to its secondary entry. For testing that path. */
	if (bootarg_get(p->bootargs, "tern.hart_entry", arg, sizeof(arg)) && !strcmp(arg, "image"))
		entry = (uintptr_t)riscv_image_header;
	/* CPUs start one at a time (core/smp.c waits for each). */
	riscv_starting = cpu;
	/* The new hart reads cpu (its stack_top) with its MMU off, through
	 * whatever the firmware does in between: publish every store first.
	 * tern runs identity mapped, so the entry's address is physical. */
	atomic_thread_fence(memory_order_seq_cst);
	r = sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, (unsigned long)cpu->hwid, entry,
		      (unsigned long)cpu);
	return sbi_error_to_errno(r.error);
}

noreturn void arch_system_off(void)
{
	if (probed(&srst_state, SBI_EXT_SRST))
		sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN,
			  SBI_SRST_REASON_NONE, 0);
	/* Still here: firmware without SRST, or it failed. */
	sbi_legacy(SBI_LEGACY_SHUTDOWN, 0);
	arch_cpu_halt();
}

bool arch_firmware_putc(char c)
{
#ifdef CONFIG_RISCV_SBI_CONSOLE_FALLBACK
	if (probed(&dbcn_state, SBI_EXT_DBCN))
		return !sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (unsigned char)c, 0, 0).error;
	/* Firmware may have dropped the legacy extensions (they are optional
	 * since SBI v0.2): then there is no firmware console at all. */
	return sbi_legacy(SBI_LEGACY_PUTCHAR, (unsigned char)c) != SBI_ERR_NOT_SUPPORTED;
#else
	(void)c;
	return false;
#endif
}
