/*
 * Printing backtraces: arch_print_backtrace() for panic(), and the walk
 * from a trap frame for the trap dump. The stack a walk may read is the
 * cpu_stacks[] slot that holds its starting fp, found from the address
 * itself rather than from tp, which a broken tern may have clobbered.
 */
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/sections.h>
#include <arch/entry.h>
#include <arch/unwind.h>

static bool stack_bounds(uintptr_t addr, struct riscv_unwind_bounds *b)
{
	uintptr_t base = (uintptr_t)cpu_stacks;
	uintptr_t slot;

	/* fp may equal the very top of a stack (an empty frame). */
	if (addr <= base || addr > base + sizeof(cpu_stacks))
		return false;
	slot = (addr - base - 1) / STACK_SIZE;
	/* The lowest page of each stack is its unmapped guard
	 * (core/host_mmu.c): no frame can live there, and reading it faults. */
	b->stack_lo = base + slot * STACK_SIZE + PAGE_SIZE;
	b->stack_hi = base + (slot + 1) * STACK_SIZE;
	b->text_lo = (uintptr_t)__text_start;
	b->text_hi = (uintptr_t)__text_end;
	return true;
}

static void print_frame(unsigned int i, uintptr_t pc)
{
	/* Relocated images print link addresses too, for addr2line and gdb. */
	if (riscv_load_offset)
		printk(LOG_ERR, "  #%-2u 0x%016lx (link 0x%016lx)\n", i, (unsigned long)pc,
		       (unsigned long)(pc - (uintptr_t)riscv_load_offset));
	else
		printk(LOG_ERR, "  #%-2u 0x%016lx\n", i, (unsigned long)pc);
}

void riscv_print_backtrace_from(uintptr_t first, uintptr_t fp, uintptr_t leaf_ra)
{
	struct riscv_unwind_bounds b;
	uintptr_t pcs[RISCV_UNWIND_MAX];
	unsigned int n = 0, i = 0;

	printk(LOG_ERR, "Backtrace:\n");
	if (first)
		print_frame(i++, first);
	if (stack_bounds(fp, &b))
		n = riscv_unwind(&b, fp, leaf_ra, pcs, RISCV_UNWIND_MAX);
	for (unsigned int k = 0; k < n; k++)
		print_frame(i++, pcs[k]);
	if (!n)
		printk(LOG_ERR, "  (no frame records: fp 0x%016lx is not on a tern stack)\n",
		       (unsigned long)fp);
}

void arch_print_backtrace(void)
{
	riscv_print_backtrace_from(0, (uintptr_t)__builtin_frame_address(0), 0);
}
