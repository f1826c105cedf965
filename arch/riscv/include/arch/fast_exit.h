/*
 * The fast path of a guest exit (guest_entry.S and exit.c): what
 * riscv_fast_exit answers, and which exits try it. Plain #defines, for
 * the assembler too.
 */
#ifndef ARCH_RISCV_FAST_EXIT_H
#define ARCH_RISCV_FAST_EXIT_H

#define FAST_SCAUSE 10   /* an ECALL from VS-mode: the SBI calls */

#define FAST_DECLINE 0   /* not one for the fast path: the full exit handles it */
#define FAST_REENTER 1   /* handled, nothing else to do: straight back into the guest */
#define FAST_HANDLED 2   /* handled, but the run loop has work (fast_next, entry work) */
#define FAST_REGS_DONE 3 /* handled, and the handler rewrote every register (a reset) */

/* What riscv_guest_enter returns after an exit the fast path handled. */
#define GUEST_EXIT_HANDLED 1

#endif
