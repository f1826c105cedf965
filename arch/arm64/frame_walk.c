/*
 * Walking AArch64 frame records. tern is built with
 * -fno-omit-frame-pointer, so x29 always points at a record {caller's x29,
 * return address}; head.S ends the chain with x29 = 0, and a trap frame
 * carries its own record {interrupted x29, ELR}. No inline assembly and
 * its header included by relative path: unit-tested on the host.
 */
#include "include/arch/trap.h"

unsigned int arm64_fp_walk(uintptr_t fp, uintptr_t lo, uintptr_t hi, uint64_t *pcs,
			   unsigned int max)
{
	unsigned int n = 0;

	/* Every check guards against a corrupted chain: stay inside the
	 * stack, stay aligned, and move strictly up so the walk ends. */
	while (n < max && fp && (fp & 15) == 0 && fp >= lo && fp <= hi - 16) {
		const uint64_t *rec = (const uint64_t *)fp;
		uintptr_t next = (uintptr_t)rec[0];

		if (rec[1] == 0)
			break;
		pcs[n++] = rec[1];
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}
