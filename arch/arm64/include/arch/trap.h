/*
 * The frame the EL2 vectors (vectors.S) save on the stack before calling
 * arm64_trap_entry(), and the vector numbering they pass.
 */
#ifndef ARCH_ARM64_TRAP_H
#define ARCH_ARM64_TRAP_H

#include <tern/types.h>

struct pcpu;

/*
 * The layout is the assembly's (offsets come from asm-offsets.c). fp_rec is an
 * AArch64 frame record {x29, ELR} that the vector links x29 to, so a
 * frame-pointer walk from inside a handler continues through the
 * interrupted code, starting at the trapping instruction.
 */
struct trap_frame {
	uint64_t x[31];      /* x0-x30 at the time of the trap */
	uint64_t sp;         /* SP_EL2 before the trap (tern's own stack) */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t fp_rec[2];
};

/*
 * VBAR_EL2 has 16 entries: four groups (from EL2 with SP_EL0, from EL2 with
 * SP_EL2, from a lower EL in AArch64, from a lower EL in AArch32) of four
 * kinds each (synchronous, IRQ, FIQ, SError). vector = group * 4 + kind.
 */
enum trap_kind { TRAP_SYNC = 0, TRAP_IRQ = 1, TRAP_FIQ = 2, TRAP_SERROR = 3 };
enum trap_group {
	TRAP_FROM_EL2T = 0,
	TRAP_FROM_EL2H = 1,
	TRAP_FROM_LOWER_A64 = 2,
	TRAP_FROM_LOWER_A32 = 3,
};
#define TRAP_VECTORS 16
#define TRAP_KIND(vector) ((enum trap_kind)((vector) & 3))
#define TRAP_GROUP(vector) ((enum trap_group)(((vector) >> 2) & 3))
/* Added to the vector number when the EL2h entry found SP below the
 * stack's limit and moved to the CPU's emergency stack. */
#define TRAP_STACK_OVERFLOW 16

/* Stack left below which an EL2h trap counts as a stack overflow, and the
 * size of each CPU's emergency stack for dumping one. */
#define TRAP_STACK_MARGIN 1024
#define TRAP_OVERFLOW_STACK_SIZE 4096

/* What a handler asks the vector to do next. */
enum trap_action {
	TRAP_RESUME, /* return to ELR as the handler left it */
	TRAP_SKIP,   /* return past the trapping instruction */
};

/* The one C entry of every vector. */
void arm64_trap_entry(struct trap_frame *f, unsigned int vector);

/* Print pc (if not 0) as frame #0, then the frame-pointer chain from fp on
 * this CPU's stack. */
void arm64_print_backtrace(uint64_t pc, uint64_t fp);

/* Set this CPU's stack_limit and overflow_top (cpu.c). */
void arm64_trap_stack_init(struct pcpu *cpu);
/* Per-CPU state written once this CPU's MMU and caches are on (cpu.c). */
void arm64_cpu_mmu_on(struct pcpu *cpu);

/* Walk AArch64 frame records {next fp, lr} starting at fp while each record
 * lies in [lo, hi), is 16-byte aligned and above the previous one; store up
 * to max return addresses in pcs. Returns how many were stored. Pure: it
 * only reads the records, so it can be tested on the host. */
unsigned int arm64_fp_walk(uintptr_t fp, uintptr_t lo, uintptr_t hi, uint64_t *pcs,
			   unsigned int max);

extern char arm64_el2_vectors[];

/* Runtime minus link address of the image, set by head.S (0 when the
 * loader used the link address, as QEMU does). */
extern uint64_t arm64_load_offset;

#endif
