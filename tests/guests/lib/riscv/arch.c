/*
 * RISC-V runtime: SBI calls, trap reporting, the time CSR and WFI-based
 * waiting. The guest runs in S-mode with satp = 0 (VS-mode under tern).
 */
#include <libfdt.h>

#include "guest.h"
#include "lib.h"

#define SIE_STIE (1ul << 5)

/* The frame head.S saves: x0 (unused slot; x2 holds sp), x1..x31, then
 * these four. */
struct riscv_regs {
	uint64_t x[32];
	uint64_t sepc, sstatus, scause, stval;
};

static uint64_t timebase;
/* Read by the trap handler on any hart. */
static void (*volatile interrupt_handler)(unsigned long scause);

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
			unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r5 __asm__("a5") = a5;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
		     : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

/* The time CSR counts at /cpus "timebase-frequency"; RISC-V has no CSR
 * that says so. */
void arch_setup(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int len;
	const fdt32_t *p = cpus >= 0 ? fdt_getprop(fdt, cpus, "timebase-frequency", &len) : NULL;

	if (p && len == 4)
		timebase = fdt32_to_cpu(*p);
	else if (p && len == 8)
		timebase = fdt64_ld((const fdt64_t *)p); /* only 4-byte aligned */
	if (!timebase)
		timebase = 10000000; /* QEMU virt's, so waits still end */
}

void arch_cpu_setup(void)
{
}

uint64_t timer_now(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

uint64_t timer_freq(void)
{
	return timebase;
}

/*
 * WFI only returns for an interrupt that is pending and enabled in sie
 * (sstatus.SIE may stay clear: nothing is taken, the hart just wakes). A
 * short SBI timer provides one, about 100 us from now, so a waiter re-checks
 * its condition often without spinning.
 */
void cpu_wait_event(void)
{
	sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, timer_now() + timebase / 10000, 0, 0, 0, 0, 0);
	__asm__ volatile("csrs sie, %0" ::"r"(SIE_STIE));
	__asm__ volatile("wfi" ::: "memory");
}

/* Leave no timer interrupt pending behind a wait. */
void cpu_wait_done(void)
{
	__asm__ volatile("csrc sie, %0" ::"r"(SIE_STIE));
	sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0ul, 0, 0, 0, 0, 0);
}

/* Waiters wake on their own timer; this only orders the caller's writes. */
void cpu_wake_all(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
}

unsigned long this_cpu_hwid(void)
{
	unsigned long id;

	__asm__ volatile("mv %0, tp" : "=r"(id));
	return id;
}

noreturn void halt_forever(void)
{
	__asm__ volatile("csrw sie, zero\n\tcsrci sstatus, 2");
	for (;;)
		__asm__ volatile("wfi");
}

noreturn void arch_power_off(bool pass)
{
	sbi_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_SHUTDOWN,
		  pass ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_SYSTEM_FAILURE, 0, 0, 0, 0);
	/* Firmware older than SBI 0.3 has no SRST: the legacy call. */
	sbi_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0, 0, 0);
	printf("SBI shutdown returned; halting\n");
	halt_forever();
}

long arch_cpu_on(unsigned long hwid, uintptr_t entry, uintptr_t context)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hwid, entry, context, 0, 0, 0).error;
}

noreturn void arch_cpu_off(void)
{
	sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0, 0);
	halt_forever();
}

void set_interrupt_handler(void (*handler)(unsigned long scause))
{
	interrupt_handler = handler;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

uintptr_t exec_undefined_insn(void)
{
	uintptr_t addr;

	__asm__ volatile("lla %0, 1f\n"
		     "1:\t.4byte 0xc0001073" /* csrrw zero, cycle, zero */
		     : "=r"(addr)
		     :
		     : "memory");
	return addr;
}

/* 2 or 4: the low two bits of every RISC-V encoding say which. */
static unsigned int insn_length(uintptr_t pc)
{
	return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

static const char *cause_name(unsigned long cause)
{
	static const char *const names[] = {
		"instruction misaligned", "instruction access fault", "illegal instruction",
		"breakpoint",		  "load misaligned",	      "load access fault",
		"store misaligned",	  "store access fault",	      "ecall from U",
		"ecall from S",		  "",			      "",
		"instruction page fault", "load page fault",	      "",
		"store page fault",
	};

	if (cause & SCAUSE_INTERRUPT)
		return "interrupt";
	return cause < ARRAY_SIZE(names) && names[cause][0] ? names[cause] : "exception";
}

void riscv_exception(struct riscv_regs *regs);
void riscv_exception(struct riscv_regs *regs)
{
	void (*irq)(unsigned long scause) = interrupt_handler;

	if ((regs->scause & SCAUSE_INTERRUPT) && irq) {
		irq(regs->scause);
		return;
	}
	if (!(regs->scause & SCAUSE_INTERRUPT) &&
	    exception_expected(regs->scause, regs->stval, regs->sepc)) {
		regs->sepc += insn_length(regs->sepc);
		return;
	}
	abort_test("unexpected trap: %s on hart %lu, scause 0x%llx, sepc 0x%llx, stval 0x%llx",
		   cause_name(regs->scause), this_cpu_hwid(), (unsigned long long)regs->scause,
		   (unsigned long long)regs->sepc, (unsigned long long)regs->stval);
}
