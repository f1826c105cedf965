/*
 * Printing frame-pointer backtraces of tern's own code, on this CPU's
 * stack (the walk itself is frame_walk.c).
 */
#include <arch/trap.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/host_mmu.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>

#define BACKTRACE_MAX 32

/* This CPU's stack bounds, from cpu_stacks[] rather than pcpu.stack_top
 * (core sets the boot CPU's, possibly after an early trap), less the
 * unmapped guard page at the bottom: reading it would fault again. */
static bool this_stack(uintptr_t *lo, uintptr_t *hi)
{
	struct pcpu *cpu = arch_this_cpu();

	if (!cpu || cpu < &pcpus[0] || cpu >= &pcpus[NR_CPUS] || cpu->id >= NR_CPUS)
		return false;
	*lo = host_stack_guard(cpu->id) + PAGE_SIZE;
	*hi = (uintptr_t)&cpu_stacks[cpu->id][0] + STACK_SIZE;
	return true;
}

static void print_frame(unsigned int i, uint64_t pc)
{
	/* Loaded away from the link address, also give the address tern.elf
	 * (and addr2line) knows. */
	if (arm64_load_offset)
		printk(LOG_ERR, "  #%-2u 0x%016lx (tern.elf 0x%016lx)\n", i, (unsigned long)pc,
		       (unsigned long)(pc - arm64_load_offset));
	else
		printk(LOG_ERR, "  #%-2u 0x%016lx\n", i, (unsigned long)pc);
}

void arm64_print_backtrace(uint64_t pc, uint64_t fp)
{
	uint64_t pcs[BACKTRACE_MAX];
	uintptr_t lo, hi;
	unsigned int n = 0, i, first = pc ? 1 : 0;

	if (pc)
		pcs[0] = pc;
	if (this_stack(&lo, &hi))
		n = arm64_fp_walk((uintptr_t)fp, lo, hi, pcs + first, BACKTRACE_MAX - first);
	n += first;
	printk(LOG_ERR, "Backtrace (addr2line -e tern.elf):\n");
	for (i = 0; i < n; i++) {
		unsigned int same = 0;

		print_frame(i, pcs[i]);
		/* Runaway recursion fills the walk with one address: say so once. */
		while (i + 1 < n && pcs[i + 1] == pcs[i]) {
			same++;
			i++;
		}
		if (same)
			printk(LOG_ERR, "  ... and %u more frame%s at the same address\n", same,
			       same == 1 ? "" : "s");
	}
	if (n == BACKTRACE_MAX)
		printk(LOG_ERR, "  (stopped after %u frames)\n", BACKTRACE_MAX);
}

void arch_print_backtrace(void)
{
	/* Our own record holds the return address into the caller (panic()),
	 * which is the first line worth printing. */
	arm64_print_backtrace(0, (uint64_t)(uintptr_t)__builtin_frame_address(0));
}
