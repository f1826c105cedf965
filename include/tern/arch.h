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

/* The host interrupt controller, once MMU is on: arch_irq_init on the boot
 * CPU (e.g. the GIC distributor), arch_irq_cpu_init on every CPU. */
int arch_irq_init(const struct platform *p, const char **why);
void arch_irq_cpu_init(void);

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

/* --- Guests (arches that select CONFIG_ARCH_HAS_GUESTS) -------------------- */
struct vm;
struct vcpu;
enum vcpu_next;

/* The Linux image header of this arch: magic at offset 56 ("ARM\x64",
 * "RSC\x05"), and where a kernel goes in guest RAM when its header gives no
 * text_offset (and for raw binaries). */
extern const char arch_image_magic[4];
extern const uint64_t arch_image_default_offset;
/* The ELF e_machine of this arch's guests (EM_AARCH64 183, EM_RISCV 243):
 * an ELF kernel for another machine is refused with a message. */
extern const uint16_t arch_elf_machine;

/* Per-VM setup: VMID, stage-2 geometry (IPA size), the interrupt controller
 * model and its MMIO devices. 0 or a negative E_* with *why set. */
int arch_vm_init(struct vm *vm, const char **why);
/* The stage-2 (G-stage) format this VM's tables use (fixed by arch_vm_init). */
const struct pt_format *arch_stage2_format(const struct vm *vm);
/* Invalidate this VM's stage-2 TLB entries on every CPU (after unmapping or
 * changing entries). */
void arch_stage2_flush(struct vm *vm);
/* Add the arch's nodes to a guest device tree being built with libfdt's
 * sequential-write API inside the root node: cpus (with each vCPU's hwid),
 * the interrupt controller, timer and firmware nodes (psci / sbi). */
int arch_guest_dt_nodes(struct vm *vm, void *fdt);
/* The guest's interrupt-controller phandle for devices tern adds (UART). */
uint32_t arch_guest_dt_intc_phandle(const struct vm *vm);
/* Whether the root node names it as everyone's interrupt-parent (arm64, as
 * QEMU's virt board does). Not on RISC-V: the harts' own interrupt
 * controllers must have no parent, or Linux finds no root controller. */
bool arch_guest_dt_root_intc(const struct vm *vm);
/* Interrupt specifier cells (#interrupt-cells of the guest intc) for a
 * device interrupt line `line` (an SPI number on arm64, a source on RISC-V). */
int arch_guest_dt_irq_cells(const struct vm *vm, uint32_t line, uint32_t *cells, int max);

/* Per-vCPU setup once: its hwid (virtual MPIDR / hart id) and the arch's
 * per-vCPU devices (GIC redistributor, timer). */
void arch_vcpu_init(struct vcpu *v);
/* Put a VM's own devices (interrupt controller, timers) back in their reset
 * state, before its images are loaded again (SYSTEM_RESET, SRST reboot). */
void arch_vm_reset(struct vm *vm);
/* Make freshly written guest images visible to a guest that starts with
 * its MMU and caches off: clean the data cache to the point of coherency
 * over [base, base+size) (host addresses) and drop stale instructions. */
void arch_guest_image_sync(uintptr_t base, size_t size);
/* Whether every vCPU starts at the kernel entry at boot, not only vCPU 0:
 * a RISC-V VM with only SBI v0.1 has no HSM, and its kernel brings its
 * harts up by the "spinwait" protocol, all of them entering at once. */
bool arch_vm_starts_all_vcpus(const struct vm *vm);
/* Put a vCPU in its architected reset state entering at `entry` with `arg`
 * (x0 / a1) as the boot protocol or PSCI CPU_ON / HSM start says: EL1h or
 * VS-mode, MMU off, interrupts masked. */
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg);
/* Firmware events (SDEI / SSE, core/event.c): the handler that runs on v
 * returns, to the context it interrupted (resume false) or, for SDEI's
 * COMPLETE_AND_RESUME, to resume_addr as if an IRQ had been taken there;
 * the call's results then must not overwrite the restored registers. And a
 * general register of the interrupted context (SDEI EVENT_CONTEXT). */
void arch_event_return(struct vcpu *v, bool resume, uint64_t resume_addr);
uint64_t arch_event_saved_reg(const struct vcpu *v, unsigned int n);
/*
 * A vCPU's run on this physical CPU (core/vcpu_run.c): arch_vcpu_load puts
 * its state in the hardware, arch_vcpu_enter runs one guest entry (deliver
 * a firmware event that is due, bring interrupts up to date, enter the
 * guest, handle the exit through the arch's exit table) and says what is
 * next, as often as that is VCPU_NEXT_RUN and no stop or kick is pending;
 * arch_vcpu_put saves its state.
 */
void arch_vcpu_load(struct vcpu *v);
enum vcpu_next arch_vcpu_enter(struct vcpu *v);
void arch_vcpu_put(struct vcpu *v);
/* Whether a blocked vCPU has an interrupt it can take (wakes it). */
bool arch_vcpu_irq_pending(struct vcpu *v);
/* Assert or deassert a level-triggered virtual device interrupt line (an
 * SPI on arm64, a PLIC source on RISC-V) of a VM. */
void arch_vm_set_irq(struct vm *vm, uint32_t line, bool level);
/* Take a host device's interrupt (its device-tree "interrupts" cells):
 * handler runs on the calling CPU in interrupt context. 0 or -E_*. */
int arch_host_irq_request(const uint32_t *dt_cells, int n, void (*handler)(void *ctx),
			  void *ctx);
/* Interrupt another physical CPU so it re-runs its scheduler (a vCPU of
 * its was woken, or must leave the guest). */
void arch_kick_cpu(struct pcpu *target);
/* When a blocked vCPU's own timer fires, in counter ticks (UINT64_MAX:
 * no timer armed): the scheduler must wake it then even with no other
 * interrupt. */
uint64_t arch_vcpu_timer_deadline(struct vcpu *v);
/* Wait for an interrupt, or until the counter reaches deadline, with
 * nothing to run; handles pending physical interrupts before returning. */
void arch_idle(uint64_t deadline);
/* The system counter, in ticks of arch_timer_freq() / platform timer_freq. */
uint64_t arch_counter(void);
/* Start the per-CPU scheduler tick: a timer interrupt after `us`
 * microseconds makes the running vCPU exit with VCPU_NEXT_PREEMPT. 0 stops it. */
void arch_set_slice_timer(uint64_t us);
/* Power the machine off / reset it through firmware (the last VM stopped). */
noreturn void arch_system_reset(void);

/* --- Entry points in core/ ------------------------------------------------ */
/* Boot CPU, MMU off, on cpu_stacks[0], bss zeroed, relocations applied. */
noreturn void tern_main(void *fdt, uint64_t boot_hwid);
/* Secondary CPUs, started by arch_start_cpu. */
noreturn void tern_secondary_main(struct pcpu *cpu);

#endif
