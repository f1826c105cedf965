/*
 * The SSE handler every event the fuzzer registers gets: COMPLETE at once.
 * SSE gives the handler a6 and a7 and restores the interrupted ones on
 * COMPLETE, so nothing else needs saving.
 */
	.text
	.balign	4
	.global	fuzz_sse_entry
fuzz_sse_entry:
	li	a7, 0x535345
	li	a6, 6
	ecall
1:	j	1b

	.section .note.GNU-stack, "", %progbits
