/*
 * The whole contract between core/ and an architecture. core/ calls only
 * what is declared here (plus <arch/cpu.h> for struct arch_pcpu); each of
 * arch/arm64, arch/riscv and the C-only arch/host implements all of it.
 *
 * Entry points an arch calls in core/ are at the end.
 */
#ifndef TERN_ARCH_H
#define TERN_ARCH_H

#include <tern/compiler.h>
#include <tern/pgtable.h>
#include <tern/platform.h>
#include <tern/types.h>

struct pcpu;

/* "arm64" or "riscv" (or "host"), and what a CPU's hwid is called there
 * ("MPIDR", "hart"). */
extern const char arch_name[];
extern const char arch_hwid_name[];

/* --- The calling CPU ----------------------------------------------------- */
struct pcpu *arch_this_cpu(void);
void arch_set_this_cpu(struct pcpu *cpu);

/* A hint inside a spin-wait: may sleep until arch_cpu_wake_all() or an
 * interrupt (WFE on arm64). Callers re-check their condition afterwards. */
void arch_cpu_relax(void);
void arch_cpu_wake_all(void);

/* Mask interrupts and stop this CPU in a low-power loop, forever. */
noreturn void arch_cpu_halt(void);

/* --- Boot ----------------------------------------------------------------- */
/*
 * Whether this machine can host guests: NULL if so, else a sentence that
 * says what is missing and what to do ("tern runs at EL2: start QEMU with
 * -M virt,virtualization=on", "hart 0 has no H extension ...").
 */
const char *arch_check_host(const struct platform *p);

/* Per-CPU setup that does not need the MMU: exception vectors, traps. */
void arch_cpu_init(struct pcpu *cpu);

/* The timer frequency when the DT does not give one (arm64: CNTFRQ_EL0). */
uint64_t arch_timer_freq(void);

/* Start a secondary CPU (host PSCI CPU_ON / SBI HSM HART_START). It enters
 * tern_secondary_main(cpu) on cpu->stack_top with arch_this_cpu() == cpu.
 * Returns 0 or a negative E_* code. */
int arch_start_cpu(struct pcpu *cpu, const struct platform *p);

/* Power the machine off through firmware (host PSCI / SBI SRST). */
noreturn void arch_system_off(void);

/* --- tern's own MMU ------------------------------------------------------- */
/*
 * The stage-1 format of tern's own (identity-mapped) tables on this host:
 * the arch picks the geometry (arm64: from PARange; RISC-V: Sv48 when the
 * hart has it, else Sv39). The encoders live in a file without inline
 * assembly (arch/<arch>/pte.c) so they are unit-tested on the host.
 */
const struct pt_format *arch_host_pt_format(const struct platform *p);
/* Turn this CPU's MMU on with root as its translation table (built in the
 * format above); the tables map tern's image at its load address, so
 * execution continues in place. */
void arch_mmu_enable(paddr_t root);
/* Make page-table writes done with the MMU/caches off visible to the walker,
 * and invalidate stale lines over [base, base+size) (no-op where coherent). */
void arch_dcache_clean_inval(uintptr_t base, size_t size);

/* --- Console fallback ----------------------------------------------------- */
/* Print a character through firmware when there is no UART (RISC-V: SBI
 * DBCN or legacy putchar). Returns false if the arch has no such path. */
bool arch_firmware_putc(char c);

/* --- Diagnostics ---------------------------------------------------------- */
/* Print the frame-pointer backtrace of the caller (used by panic()). */
void arch_print_backtrace(void);

/* --- Entry points in core/ ------------------------------------------------ */
/* Boot CPU, MMU off, on cpu_stacks[0], bss zeroed, relocations applied. */
noreturn void tern_main(void *fdt, uint64_t boot_hwid);
/* Secondary CPUs, started by arch_start_cpu. */
noreturn void tern_secondary_main(struct pcpu *cpu);

#endif
