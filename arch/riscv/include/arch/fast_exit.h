/*
 * The fast path of a guest exit (guest_entry.S and exit.c): what
 * riscv_fast_exit answers, and which exits try it. Plain #defines, for
 * the assembler too.
 */
#ifndef ARCH_RISCV_FAST_EXIT_H
#define ARCH_RISCV_FAST_EXIT_H

/* The exceptions that try it, as a mask of bit scause: an ECALL from
 * VS-mode (10, the SBI calls) and the guest-page faults of a fetch (20),
 * load (21) and store (23): first touches and device accesses. */
#define FAST_SCAUSE_MASK ((1 << 10) | (1 << 20) | (1 << 21) | (1 << 23))

#define FAST_DECLINE 0   /* not one for the fast path: the full exit handles it */
#define FAST_REENTER 1   /* handled, nothing else to do: straight back into the guest */
#define FAST_HANDLED 2   /* handled, but the run loop has work (fast_next, entry work) */
#define FAST_REGS_DONE 3 /* handled, and the handler rewrote every register (a reset) */

/* What riscv_guest_enter returns after an exit the fast path handled. */
#define GUEST_EXIT_HANDLED 1

#endif
