/*
 * The calling hart: tern's per-CPU pointer, waiting, halting, the host
 * capability check, and per-hart trap setup.
 */
#include <stdatomic.h>
#include <string.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/printk.h>
#include <arch/csr.h>
#include <arch/entry.h>
#include <arch/isa.h>
#include <arch/sbi.h>
#include <arch/trap.h>

const char arch_name[] = "riscv";
const char arch_hwid_name[] = "hart";

struct pcpu *arch_this_cpu(void)
{
	return arch_this_cpu_inline();
}

void arch_set_this_cpu(struct pcpu *cpu)
{
	__asm__ volatile("mv tp, %0" : : "r"(cpu) : "memory");
}

/* Zihintpause's pause, spelled as the fence it is encoded as (fence w, 0)
 * so that it assembles without the extension and is a harmless fence on
 * harts without it. */
static inline void pause_hint(void)
{
	__asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" : : : "memory");
}

/*
 * A spin-wait that sleeps. A pure pause loop is wrong under QEMU -icount,
 * where all harts share one thread and the spinning hart keeps it (the
 * hart it waits for never runs), and it wastes power on hardware. RISC-V
 * has no WFE/SEV, so the waiter sleeps in WFI with only the supervisor
 * software interrupt enabled (sstatus.SIE stays 0: it wakes WFI but is
 * never taken) and arch_cpu_wake_all() sends an SBI IPI.
 *
 * To never miss a wake-up, the calls alternate: the first only arms this
 * hart (relax_armed) and returns, so the caller re-checks its condition
 * after arming (the fences pair with the waker's: either the waiter sees
 * the new value or the waker sees it armed); the second sleeps. The waker
 * disarms each armed hart as it sends it an IPI, so a hart that armed and
 * then found its condition true costs at most one IPI later, never one
 * per unlock forever. An IPI that arrives before the WFI leaves SSIP
 * pending, so the WFI returns at once.
 */
/* The harts armed to sleep in arch_cpu_relax, one bit each (CONFIG_NR_CPUS
 * is at most 64): a wake-up with none armed, the common case on every
 * spin_unlock, is one load. */
static _Atomic uint64_t relax_armed;
_Static_assert(NR_CPUS <= 64, "relax_armed has one bit per hart");

void arch_cpu_relax(void)
{
	struct pcpu *cpu = arch_this_cpu();
	uint64_t me = 1ull << cpu->id;

	if (!sbi_has_ipi()) {
		pause_hint();
		return;
	}
	if (!(atomic_load_explicit(&relax_armed, memory_order_relaxed) & me)) {
		atomic_fetch_or_explicit(&relax_armed, me, memory_order_relaxed);
		atomic_thread_fence(memory_order_seq_cst);
		return;
	}
	csr_set(sie, SIE_SSIE);
	__asm__ volatile("wfi" : : : "memory");
	csr_clear(sie, SIE_SSIE);
	csr_clear(sip, SIP_SSIP);
	atomic_fetch_and_explicit(&relax_armed, ~me, memory_order_relaxed);
}

/* Only to harts that armed: an IPI costs a trip through firmware, and
 * every spin_unlock() calls this. */
void arch_cpu_wake_all(void)
{
	uint64_t armed;

	atomic_thread_fence(memory_order_seq_cst);
	if (!atomic_load_explicit(&relax_armed, memory_order_relaxed))
		return;
	armed = atomic_exchange(&relax_armed, 0);
	for (unsigned int i = 0; armed; i++, armed >>= 1)
		if (armed & 1)
			sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, (unsigned long)pcpus[i].hwid, 0);
}

noreturn void arch_cpu_halt(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
	for (;;)
		__asm__ volatile("wfi" : : : "memory");
}

/*
 * Every hart the DT lists must be rv64 with the H extension: tern puts
 * guests' vCPUs on any of them. The DT is checked rather than the hart
 * because it covers harts that are not running yet.
 */
/* The firmware calls tern itself depends on: its timer, IPIs to kick
 * harts, HSM to start them. */
static const struct {
	unsigned long ext;
	const char *name;
} firmware_needs[] = {
	{ SBI_EXT_TIME, "TIME" },
	{ SBI_EXT_IPI, "IPI" },
	{ SBI_EXT_HSM, "HSM" },
};

const char *arch_check_host(const struct platform *p)
{
	static char why[256];
	unsigned long version = sbi_spec_version();

	if (version < 0x2) {
		tern_snprintf(why, sizeof(why),
			      "the firmware implements only SBI v0.1: tern needs SBI v0.2 or later "
			      "with the TIME, IPI and HSM extensions (OpenSBI has them)");
		return why;
	}
	for (size_t i = 0; i < ARRAY_SIZE(firmware_needs); i++) {
		if (!sbi_probe_extension(firmware_needs[i].ext)) {
			tern_snprintf(why, sizeof(why),
				      "the firmware (SBI v%lu.%lu) has no SBI %s extension, which tern "
				      "needs: use OpenSBI v0.9 or later",
				      version >> 24, version & 0xffffff, firmware_needs[i].name);
			return why;
		}
	}

	for (unsigned int i = 0; i < p->nr_cpus; i++) {
		const struct plat_cpu *c = &p->cpus[i];
		unsigned long hart = (unsigned long)c->hwid;
		/* Long ISA strings are cut to keep the sentence readable. */
		const char *more = c->isa && strlen(c->isa) > 64 ? "..." : "";

		if (!c->isa) {
			tern_snprintf(why, sizeof(why),
				      "hart %lu has no riscv,isa property in the device tree: "
				      "tern cannot tell whether it has the H extension",
				      hart);
			return why;
		}
		if (riscv_isa_xlen(c->isa) != 64) {
			tern_snprintf(why, sizeof(why),
				      "hart %lu is not rv64 (riscv,isa = %.64s%s): tern runs on "
				      "64-bit RISC-V harts only",
				      hart, c->isa, more);
			return why;
		}
		if (!riscv_isa_has(c->isa, 'h')) {
			tern_snprintf(why, sizeof(why),
				      "hart %lu has no H extension (riscv,isa = %.64s%s): tern "
				      "needs the hypervisor extension: use QEMU -cpu rv64 (h=on) "
				      "or a CPU with H",
				      hart, c->isa, more);
			return why;
		}
	}
	return NULL;
}

void arch_cpu_init(struct pcpu *cpu)
{
	bool has_h;

	csr_write(stvec, riscv_trap_vector);
	csr_write(sie, 0);
	cpu->arch.emergency_sp = riscv_emergency_stack_top(cpu->id);
	/* sscratch = 0 will mean "trapped from HS-mode" once guests run. */
	csr_write(sscratch, 0);
	/* tern has no FP or vector code: with FS/VS Off, a stray FP
	 * instruction traps instead of corrupting a guest's registers, and
	 * the lazy FP switch for guests starts from a known state. */
	csr_clear(sstatus, SSTATUS_FS | SSTATUS_VS);

	/* Probed rather than assumed: core may run this before
	 * arch_check_host() has refused a hart without H, and touching an H
	 * CSR there would be a fatal illegal instruction instead of that
	 * clear message. */
	csr_read_probe(hstatus, &has_h);
	cpu->arch.has_h = has_h;
	if (!has_h)
		return;

	/* No guest yet: every guest trap comes to HS-mode, none is delegated
	 * to VS-mode. */
	csr_write(hedeleg, 0);
	csr_write(hideleg, 0);
	/* Let guests read cycle, time and instret directly: a guest's rdcycle
	 * must not become a virtual-instruction trap, and benchmarks under
	 * -icount read cycle/instret (DESIGN "Measuring"). */
	csr_write(hcounteren, HCOUNTEREN_CY | HCOUNTEREN_TM | HCOUNTEREN_IR);
}

/* The DT's timebase-frequency is authoritative on RISC-V: no CSR says it. */
uint64_t arch_timer_freq(void)
{
	return 0;
}
