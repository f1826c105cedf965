/*
 * Parsing of a hart's "riscv,isa" device-tree string. Pure C on
 * <tern/...> headers only, so arch/riscv/isa.c is unit-tested on the host.
 */
#ifndef ARCH_RISCV_ISA_H
#define ARCH_RISCV_ISA_H

#include <tern/types.h>

/* Register width the string names: 32, 64, 128, or 0 if it is no ISA string. */
unsigned int riscv_isa_xlen(const char *isa);

/*
 * Whether the single-letter part of isa (after "rv64", up to the first '_'
 * or multi-letter extension) names extension ext ('h', 'c', ...). Version
 * numbers ("i2p1") are skipped; 'g' stands for "imafd".
 */
bool riscv_isa_has(const char *isa, char ext);

/* Whether isa lists the multi-letter extension name (lower case: "sstc"). */
bool riscv_isa_has_ext(const char *isa, const char *name);

/*
 * The riscv,isa a guest is given: the host's single letters among
 * "imafdc" (never H: guests get no hypervisor extension), the multi-letter
 * extensions whose state needs no switching, and sstc when the guest may
 * program vstimecmp. Returns its length, or -1 when out is too small or
 * host is no ISA string.
 */
int riscv_isa_guest(const char *host, bool sstc, char *out, size_t size);

#endif
