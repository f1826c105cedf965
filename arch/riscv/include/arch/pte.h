/*
 * Sv39 and Sv48 stage-1 formats for tern's own tables, consumed by the
 * generic walker (include/tern/pgtable.h). Only <tern/...> headers here:
 * arch/riscv/pte.c is compiled on the host for unit tests.
 */
#ifndef ARCH_RISCV_PTE_H
#define ARCH_RISCV_PTE_H

#include <tern/pgtable.h>

/* PTE bits (privileged spec, "Sv32"/"Sv39" page-table entry). */
#define RISCV_PTE_V (1ULL << 0)
#define RISCV_PTE_R (1ULL << 1)
#define RISCV_PTE_W (1ULL << 2)
#define RISCV_PTE_X (1ULL << 3)
#define RISCV_PTE_U (1ULL << 4)
#define RISCV_PTE_G (1ULL << 5)
#define RISCV_PTE_A (1ULL << 6)
#define RISCV_PTE_D (1ULL << 7)
#define RISCV_PTE_PPN_SHIFT 10
#define RISCV_PTE_PPN_BITS 44

extern const struct pt_geometry riscv_sv39_geometry;
extern const struct pt_geometry riscv_sv48_geometry;
extern const struct pt_format riscv_sv39_format;
extern const struct pt_format riscv_sv48_format;
/* G-stage formats for guests (hgatp MODE 8 and 9). */
extern const struct pt_geometry riscv_sv39x4_geometry;
extern const struct pt_geometry riscv_sv48x4_geometry;
extern const struct pt_format riscv_sv39x4_format;
extern const struct pt_format riscv_sv48x4_format;

#endif
