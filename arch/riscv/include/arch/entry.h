/* Symbols defined in head.S and vectors.S that C code refers to. */
#ifndef ARCH_RISCV_ENTRY_H
#define ARCH_RISCV_ENTRY_H

#include <tern/types.h>

/* stvec target (direct mode): saves a struct trap_frame, calls C. */
extern char riscv_trap_vector[];
/* Start address handed to SBI HSM HART_START; opaque = struct pcpu *. */
extern char riscv_secondary_entry[];
/* tern's first instruction (the image header's jump to its boot entry). */
extern char riscv_image_header[];
/* The hart arch_start_cpu() is starting (head.S reads it when a hart comes
 * in at the boot entry instead: see there). */
extern struct pcpu *riscv_starting;
/* Load address minus link address, set by head.S before anything else
 * runs: subtract it from a printed address to feed addr2line/gdb. */
extern int64_t riscv_load_offset;

#endif
