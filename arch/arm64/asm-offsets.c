/*
 * Structure offsets and sizes the arm64 assembly needs, generated from the C
 * definitions (scripts/asm-offsets.sh) so the two cannot drift apart.
 */
#include <arch/trap.h>
#include <arch/vcpu.h>
#include <tern/asm-offsets-gen.h>
#include <tern/cpu.h>

/* vectors.S stores x30 and SP with one stp, and ELR/SPSR, ESR/FAR as pairs. */
_Static_assert(__builtin_offsetof(struct trap_frame, sp) ==
		       __builtin_offsetof(struct trap_frame, x[30]) + 8,
	       "trap_frame: sp must follow x30");
_Static_assert(__builtin_offsetof(struct trap_frame, spsr) ==
		       __builtin_offsetof(struct trap_frame, elr) + 8,
	       "trap_frame: spsr must follow elr");
_Static_assert(__builtin_offsetof(struct trap_frame, far) ==
		       __builtin_offsetof(struct trap_frame, esr) + 8,
	       "trap_frame: far must follow esr");
/* SP stays 16-byte aligned (SCTLR_EL2.SA) with a frame on the stack. */
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "trap_frame size must keep SP aligned");
_Static_assert(__builtin_offsetof(struct pcpu, stack_top) == 0, "stack_top must stay first");

/* guest_entry.S moves these in pairs. */
_Static_assert(__builtin_offsetof(struct arm64_guest_regs, pstate) ==
		       __builtin_offsetof(struct arm64_guest_regs, pc) + 8,
	       "guest regs: pstate must follow pc");
_Static_assert(__builtin_offsetof(struct arm64_guest_regs, far) ==
		       __builtin_offsetof(struct arm64_guest_regs, esr) + 8,
	       "guest regs: far must follow esr");
_Static_assert(__builtin_offsetof(struct arm64_fpsimd_state, fpcr) ==
		       __builtin_offsetof(struct arm64_fpsimd_state, fpsr) + 8,
	       "fpsimd: fpcr must follow fpsr");

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(PCPU_STACK_TOP, __builtin_offsetof(struct pcpu, stack_top));
	DEFINE(CPU_STACK_SIZE, STACK_SIZE);
	DEFINE(TRAP_FRAME_SIZE, sizeof(struct trap_frame));
	DEFINE(PCPU_STACK_LIMIT, __builtin_offsetof(struct pcpu, arch.stack_limit));
	DEFINE(PCPU_OVERFLOW_TOP, __builtin_offsetof(struct pcpu, arch.overflow_top));
	DEFINE(TRAP_STACK_OVERFLOW_FLAG, TRAP_STACK_OVERFLOW);
	DEFINE(TF_X0, __builtin_offsetof(struct trap_frame, x));
	DEFINE(TF_X30, __builtin_offsetof(struct trap_frame, x[30]));
	DEFINE(TF_ELR, __builtin_offsetof(struct trap_frame, elr));
	DEFINE(TF_ESR, __builtin_offsetof(struct trap_frame, esr));
	DEFINE(TF_FP_REC, __builtin_offsetof(struct trap_frame, fp_rec));
	DEFINE(GR_X0, __builtin_offsetof(struct arm64_guest_regs, x));
	DEFINE(GR_SP_EL0, __builtin_offsetof(struct arm64_guest_regs, sp_el0));
	DEFINE(GR_PC, __builtin_offsetof(struct arm64_guest_regs, pc));
	DEFINE(GR_ESR, __builtin_offsetof(struct arm64_guest_regs, esr));
	DEFINE(GR_HPFAR, __builtin_offsetof(struct arm64_guest_regs, hpfar));
	DEFINE(FP_V0, __builtin_offsetof(struct arm64_fpsimd_state, v));
	DEFINE(FP_FPSR, __builtin_offsetof(struct arm64_fpsimd_state, fpsr));
}
