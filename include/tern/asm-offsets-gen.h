/* Used only by arch/<arch>/asm-offsets.c: emits "->NAME value" markers
 * into the compiler's assembly output for scripts/asm-offsets.sh. */
#ifndef TERN_ASM_OFFSETS_GEN_H
#define TERN_ASM_OFFSETS_GEN_H
#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#endif
