/*
 * A C-only architecture so that core/ links and runs on the build machine
 * under ASan and UBSan. Nothing here touches hardware: waiting is a no-op,
 * stopping a CPU aborts the test program, and the MMU calls are unused.
 * Its guests, scripted, are in guest.c.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <tern/arch.h>
#include <tern/errno.h>

const char arch_name[] = "host";
const char arch_hwid_name[] = "cpu";

static _Thread_local struct pcpu *current_cpu;


struct pcpu *arch_this_cpu(void)
{
	return current_cpu;
}

void arch_set_this_cpu(struct pcpu *cpu)
{
	current_cpu = cpu;
}

/* A spinning CPU is a thread: let the one it waits for run. */
void arch_cpu_relax(void)
{
	sched_yield();
}

void arch_cpu_wake_all(void)
{
}

noreturn void arch_cpu_halt(void)
{
	fprintf(stderr, "arch_cpu_halt() on the host\n");
	abort();
}

const char *arch_check_host(const struct platform *p)
{
	return NULL;
}

void arch_cpu_init(struct pcpu *cpu)
{
}

uint64_t arch_timer_freq(void)
{
	return 0;
}

int arch_start_cpu(struct pcpu *cpu, const struct platform *p)
{
	return -E_NOTSUP; /* the host has no CPUs to start */
}


const struct pt_format *arch_host_pt_format(const struct platform *p)
{
	return NULL;
}

void arch_mmu_enable(paddr_t root)
{
}

void arch_dcache_clean_inval(uintptr_t base, size_t size)
{
}

bool arch_firmware_putc(char c)
{
	return fputc(c, stdout) != EOF;
}

void arch_print_backtrace(void)
{
}

int arch_irq_init(const struct platform *p, const char **why)
{
	return 0;
}

void arch_irq_cpu_init(void)
{
}
