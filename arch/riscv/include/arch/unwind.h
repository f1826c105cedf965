/*
 * Frame-pointer unwinding (tern is built with -fno-omit-frame-pointer).
 * Pure C: the walker (arch/riscv/unwind.c) is unit-tested on the host with
 * a fake stack.
 */
#ifndef ARCH_RISCV_UNWIND_H
#define ARCH_RISCV_UNWIND_H

#include <tern/types.h>

#define RISCV_UNWIND_MAX 32

struct riscv_unwind_bounds {
	uintptr_t stack_lo, stack_hi; /* the stack the walk may read: [lo, hi) */
	uintptr_t text_lo, text_hi;   /* where return addresses may point */
};

/*
 * Walk the frame records from fp, writing up to max return addresses to pcs.
 * On RISC-V, fp (s0) points just above the saved ra (fp - 8) and the caller's
 * fp (fp - 16). A leaf function compiled by GCC saves only fp, at fp - 8: if
 * leaf_ra is not 0 and the first frame looks like that, leaf_ra (the
 * interrupted ra register) is used as its return address.
 * Returns the number of addresses written.
 */
unsigned int riscv_unwind(const struct riscv_unwind_bounds *b, uintptr_t fp, uintptr_t leaf_ra,
			  uintptr_t *pcs, unsigned int max);

/* Print the backtrace of frames starting at fp, on the stack holding fp,
 * with first (if not 0) shown as frame #0. */
void riscv_print_backtrace_from(uintptr_t first, uintptr_t fp, uintptr_t leaf_ra);

#endif
