/*
 * The SDEI handler every event the fuzzer registers gets: it completes at
 * once (EVENT_COMPLETE, status "handled"), through the hvc conduit, which
 * is tern's (QEMU has no SDEI, so natively no event is ever delivered).
 */
	.text
	.balign	4
	.global	fuzz_sdei_entry
fuzz_sdei_entry:
	movz	x0, #0x0025
	movk	x0, #0xc400, lsl #16
	mov	x1, #0
	hvc	#0
1:	b	1b

	.section .note.GNU-stack, "", %progbits
