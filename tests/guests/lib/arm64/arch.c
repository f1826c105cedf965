/*
 * arm64 runtime: SMCCC/PSCI through the DT's conduit, exception reporting,
 * the generic timer and WFE-based waiting.
 *
 * The guest runs at EL1 with the MMU off, so every data access is Device
 * memory: the build uses -mstrict-align (Device accesses must be aligned)
 * and no FP/SIMD (CPACR_EL1 may trap it and nothing here needs it).
 */
#include <libfdt.h>
#include <string.h>

#include "guest.h"
#include "lib.h"

static enum smccc_conduit conduit;


/* The frame head.S saves: x0..x30, sp, then these four. */
struct arm64_regs {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr, spsr, esr, far;
};

/* Also called from the exception path, so no output here. */
static struct smccc_res call_hvc(uint32_t fid, unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fid;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;

	/* SMCCC 1.0 lets the callee clobber x4..x17 too. */
	__asm__ volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
		       "x15", "x16", "x17", "memory");
	return (struct smccc_res){ x0, x1, x2, x3 };
}

static struct smccc_res call_smc(uint32_t fid, unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fid;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
		       "x15", "x16", "x17", "memory");
	return (struct smccc_res){ x0, x1, x2, x3 };
}

struct smccc_res smccc_call(uint32_t fid, unsigned long a1, unsigned long a2, unsigned long a3)
{
	switch (conduit) {
	case SMCCC_CONDUIT_HVC:
		return call_hvc(fid, a1, a2, a3);
	case SMCCC_CONDUIT_SMC:
		return call_smc(fid, a1, a2, a3);
	case SMCCC_CONDUIT_NONE:
		break;
	}
	return (struct smccc_res){ (unsigned long)SMCCC_RET_NOT_SUPPORTED, 0, 0, 0 };
}

enum smccc_conduit smccc_conduit(void)
{
	return conduit;
}

/* The PSCI conduit is whatever /psci's "method" says: "hvc" when the
 * firmware (QEMU's own PSCI at EL1, or tern) sits at EL2, "smc" for EL3. */
static void find_conduit(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	const char *method;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_path_offset(fdt, "/psci");
	method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;
	if (method && !strcmp(method, "hvc"))
		conduit = SMCCC_CONDUIT_HVC;
	else if (method && !strcmp(method, "smc"))
		conduit = SMCCC_CONDUIT_SMC;
}

void arch_setup(const void *fdt)
{
	find_conduit(fdt);
}

/*
 * WFE waits for an event; SEV from another CPU is one, and so is the
 * generic timer's event stream, enabled here (CNTKCTL_EL1.EVNTEN) so that a
 * missed SEV costs about a hundred microseconds, not a hang: the trigger
 * bit is chosen for a period near 1/8000 s whatever CNTFRQ is.
 */
void arch_cpu_setup(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	unsigned int bit = 0;
	uint64_t kctl;

	while (bit < 63 && (freq >> (bit + 1)))
		bit++;
	bit = bit > 14 ? bit - 14 : 0;
	if (bit > 15)
		bit = 15;
	kctl = read_sysreg(cntkctl_el1);
	kctl &= ~(0xfUL << 4 | 1UL << 3); /* EVNTI, EVNTDIR: on 0->1 */
	kctl |= (uint64_t)bit << 4 | 1UL << 2; /* EVNTEN */
	write_sysreg(cntkctl_el1, kctl);
	__asm__ volatile("isb");
}

uint64_t timer_now(void)
{
	__asm__ volatile("isb"); /* not read ahead of the loop that waits on it */
	return read_sysreg(cntvct_el0);
}

uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

void cpu_wait_event(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

void cpu_wait_done(void)
{
}

void cpu_wake_all(void)
{
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
}

unsigned long this_cpu_hwid(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
}

noreturn void halt_forever(void)
{
	__asm__ volatile("msr daifset, #0xf");
	for (;;)
		__asm__ volatile("wfi");
}

noreturn void arch_power_off(bool pass)
{
	/* PSCI SYSTEM_OFF has no status argument: the SUMMARY line is the
	 * verdict. */
	(void)pass;
	smccc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	printf("PSCI SYSTEM_OFF returned; halting\n");
	halt_forever();
}

long arch_cpu_on(unsigned long hwid, uintptr_t entry, uintptr_t context)
{
	return (long)smccc_call(PSCI_CPU_ON, hwid & MPIDR_AFFINITY_MASK, entry, context).a0;
}

noreturn void arch_cpu_off(void)
{
	smccc_call(PSCI_CPU_OFF, 0, 0, 0);
	/* CPU_OFF only returns on failure (DENIED): nothing left to do. */
	halt_forever();
}

uintptr_t exec_undefined_insn(void)
{
	uintptr_t addr;

	__asm__ volatile("adr %0, 1f\n"
		     "1:\t.inst 0x00000000" /* UDF #0 */
		     : "=r"(addr)
		     :
		     : "memory");
	return addr;
}

void arm64_boot(const void *fdt);
void arm64_boot(const void *fdt)
{
	guest_boot(fdt, this_cpu_hwid());
}

static const char *const vector_names[16] = {
	"sync (EL1t)", "irq (EL1t)", "fiq (EL1t)", "serror (EL1t)",
	"sync",	       "irq",	     "fiq",	   "serror",
	"sync (EL0)",  "irq (EL0)",  "fiq (EL0)",  "serror (EL0)",
	"sync (EL0 32)", "irq (EL0 32)", "fiq (EL0 32)", "serror (EL0 32)",
};

static void (*irq_handler)(void);

void set_irq_handler(void (*handler)(void))
{
	irq_handler = handler;
}

void arm64_exception(struct arm64_regs *regs, unsigned long vector);
void arm64_exception(struct arm64_regs *regs, unsigned long vector)
{
	unsigned long ec = ESR_EC(regs->esr);

	if (vector == 5 && irq_handler) {
		irq_handler();
		return;
	}
	/* Only a synchronous exception at EL1 (SPx) can be one a test asked
	 * for; skip the A64 instruction that raised it. */
	if (vector == 4 && exception_expected(ec, regs->esr, regs->elr)) {
		regs->elr += 4;
		return;
	}
	abort_test("unexpected exception: %s on CPU 0x%lx, ESR 0x%llx (EC 0x%lx), ELR 0x%llx, "
		   "FAR 0x%llx",
		   vector_names[vector & 15], this_cpu_hwid(), (unsigned long long)regs->esr, ec,
		   (unsigned long long)regs->elr, (unsigned long long)regs->far);
}
