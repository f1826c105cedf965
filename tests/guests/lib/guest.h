/*
 * The runtime every tern test guest links against, in the manner of
 * kvm-unit-tests: a guest is a main() that calls report() for each check and
 * returns; the runtime prints a SUMMARY line and powers the machine off.
 *
 * The runtime owns boot (Linux Image header, relocation, stack, bss), the
 * exception vectors, the console (found from the DTB's /chosen/stdout-path)
 * and starting/stopping secondary CPUs through the firmware (PSCI or SBI HSM).
 * Firmware-call helpers are in <arch.h> (smccc_call / sbi_ecall).
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <tern/compiler.h>

#include <arch.h>

/* Every guest provides this. argv[0] is "guest"; the rest comes from
 * /chosen/bootargs (QEMU's -append), split at spaces. */
int main(int argc, char **argv);

/* --- Output --------------------------------------------------------------- */
int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
void puts(const char *s); /* no newline added */

/* --- Checks ---------------------------------------------------------------- */
/* Prints "PASS: <prefix><text>" or "FAIL: <prefix><text>" and counts it. */
void report(bool pass, const char *fmt, ...) __printf(2, 3);
/* A check that fails for a known fault outside the code under test (the
 * emulator's), which the caller has proved is present (known): "XFAIL:",
 * counted as a test and as a known failure, not as a failure. Without
 * known, or when pass, it is report(). */
void report_xfail(bool known, bool pass, const char *fmt, ...) __printf(3, 4);
/* Prints "SKIP: <prefix><text>": a check that could not run here. */
void report_skip(const char *fmt, ...) __printf(1, 2);
/* Prints "INFO: <prefix><text>": context for a reader, not a check. */
void report_info(const char *fmt, ...) __printf(1, 2);
/* Prefixes ("psci: ") nest, so helpers can be reused under several names. */
void report_prefix_push(const char *prefix);
void report_prefix_pop(void);
/* Prints "SUMMARY: N tests, M failures" and powers off; pass iff M == 0.
 * The runner judges from that line: a power-off carries no exit code. */
noreturn void exit_test(void);
/* A failure after which the guest cannot go on (an unexpected exception):
 * reports it as FAIL and ends the test. */
noreturn void abort_test(const char *fmt, ...) __printf(1, 2);

/* --- Exceptions ------------------------------------------------------------- */
/*
 * Arm the next synchronous exception (on any CPU) as expected: the handler
 * records it and returns past the faulting instruction instead of failing
 * the test. One-shot; exception_seen() tells what happened.
 */
struct exception_record {
	bool seen;
	unsigned long cause; /* arm64: ESR_EL1.EC; riscv: scause */
	unsigned long syndrome; /* arm64: ESR_EL1; riscv: stval */
	uintptr_t pc; /* address of the faulting instruction */
};
void expect_exception(void);
/* Disarms and returns what the handler saw (seen == false if nothing). */
struct exception_record exception_result(void);

/* --- CPUs ------------------------------------------------------------------- */
#define MAX_CPUS 8

/* CPUs listed in the DT (/cpus, device_type "cpu", not disabled), in DT
 * order. hwid is the MPIDR affinity (arm64) or the hart id (riscv). */
int cpu_count(void);
unsigned long cpu_hwid(int cpu);
/* Index of the CPU the guest booted on, and of the caller. */
int boot_cpu(void);
unsigned long this_cpu_hwid(void);
/*
 * Start CPU number cpu (an index above) running fn(arg) on its own stack,
 * through PSCI CPU_ON / SBI HART_START. Returns the firmware's status as is
 * (PSCI or SBI error code; 0 is success), or -1 for an index not in the DT.
 * When fn returns, the CPU stops itself (cpu_stop()).
 */
long cpu_start(int cpu, void (*fn)(void *), void *arg);
/* Where cpu_start() has the firmware enter a CPU (lib/<arch>/head.S); a
 * valid entry point for tests that make the firmware call themselves. It
 * expects a struct cpu_boot, so such calls must not succeed. */
void secondary_entry(void);
/* Stop the calling CPU through PSCI CPU_OFF / SBI HART_STOP. */
noreturn void cpu_stop(void);

/* --- Time and waiting --------------------------------------------------------- */
uint64_t timer_now(void); /* arm64: CNTVCT_EL0; riscv: time */
uint64_t timer_freq(void); /* ticks per second */

/*
 * Wait until cond holds or timeout_ms passes; evaluates to cond's last
 * value. Between checks the CPU waits for an event (arm64 WFE, riscv WFI on
 * a short SBI timer) rather than spinning: under QEMU -icount all vCPUs run
 * round-robin on one thread and a spinning vCPU starves the one it waits
 * for. A CPU that changes what others wait on calls cpu_wake_all().
 */
#define wait_until(cond, timeout_ms)                                           \
	({                                                                     \
		uint64_t __deadline = timer_now() + timer_freq() * (timeout_ms) / 1000; \
		bool __ok;                                                     \
		while (!(__ok = (cond)) && timer_now() < __deadline)          \
			cpu_wait_event();                                      \
		cpu_wait_done();                                               \
		__ok;                                                          \
	})
void cpu_wait_event(void);
void cpu_wait_done(void);
void cpu_wake_all(void);

/* --- The device tree --------------------------------------------------------- */
/* The DTB the guest was booted with (validated). */
const void *guest_fdt(void);

/* --- Arch hooks the shared runtime calls (lib/<arch>/arch.c) -------------------- */
void arch_setup(const void *fdt); /* before the console: conduit, timer */
void arch_cpu_setup(void); /* every CPU: vectors are live, event stream */
noreturn void arch_power_off(bool pass);
long arch_cpu_on(unsigned long hwid, uintptr_t entry, uintptr_t context);
noreturn void arch_cpu_off(void);
/* Called by the arch exception code for a synchronous exception: true if it
 * was expected (and recorded), so the arch skips the instruction. */
bool exception_expected(unsigned long cause, unsigned long syndrome, uintptr_t pc);

/* Boot glue (lib/setup.c), entered from the arch's C boot code. */
noreturn void guest_boot(const void *fdt, unsigned long boot_hwid);
struct cpu_boot;
noreturn void guest_secondary(struct cpu_boot *boot);

#endif
