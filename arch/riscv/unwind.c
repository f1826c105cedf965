/*
 * The frame-pointer walk behind every backtrace tern prints. Pure C over
 * explicit bounds, so it is unit-tested on the host with a fake stack, and
 * it never reads outside the stack it was given: a corrupt chain ends the
 * walk instead of faulting inside a fault handler.
 */
#include <tern/types.h>
#include "include/arch/unwind.h"

static bool in_range(uintptr_t v, uintptr_t lo, uintptr_t hi)
{
	return v >= lo && v < hi;
}

/* A frame record is 16 bytes just below fp, inside the stack; fp itself
 * is the caller's sp, 16-byte aligned by the psABI. */
static bool frame_ok(const struct riscv_unwind_bounds *b, uintptr_t fp)
{
	return (fp & 15) == 0 && fp >= b->stack_lo + 16 && fp <= b->stack_hi;
}

unsigned int riscv_unwind(const struct riscv_unwind_bounds *b, uintptr_t fp, uintptr_t leaf_ra,
			  uintptr_t *pcs, unsigned int max)
{
	unsigned int n = 0;
	bool first = true;

	while (n < max && frame_ok(b, fp)) {
		uintptr_t ra = ((const uintptr_t *)fp)[-1];
		uintptr_t prev = ((const uintptr_t *)fp)[-2];

		/* A GCC leaf frame holds only the caller's fp, at fp - 8: that
		 * slot then points into the stack above us, not into text, and
		 * the return address is still in the ra register. */
		if (first && leaf_ra && !in_range(ra, b->text_lo, b->text_hi) &&
		    frame_ok(b, ra) && ra > fp) {
			prev = ra;
			ra = leaf_ra;
		}
		first = false;
		if (!in_range(ra, b->text_lo, b->text_hi))
			break;
		pcs[n++] = ra;
		/* Callers' frames are higher up: anything else is a loop. */
		if (prev <= fp)
			break;
		fp = prev;
	}
	return n;
}
