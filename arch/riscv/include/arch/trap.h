/*
 * The frame vectors.S saves on every trap into HS-mode, and the C entry it
 * calls. Its layout is exported to assembly by arch/riscv/asm-offsets.c.
 */
#ifndef ARCH_RISCV_TRAP_H
#define ARCH_RISCV_TRAP_H

#include <tern/types.h>

struct trap_frame {
	/* x0..x31 indexed by register number, so an instruction decoder can
	 * use rs/rd fields directly; regs[0] is stored as zero and regs[2]
	 * holds sp as it was before the trap. */
	uint64_t regs[32];
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
	/* Filled in by C, and only on harts with the H extension: reading
	 * them in the vector would itself trap on a hart without it. */
	uint64_t hstatus;
	uint64_t htval;
	uint64_t htinst;
	uint64_t pad;
	/* A frame record {fp, ra = sepc} at the top of the frame, with s0
	 * pointing just above it, so a backtrace taken inside the handler
	 * continues into the interrupted code. */
	uint64_t record_fp;
	uint64_t record_ra;
};

_Static_assert(sizeof(struct trap_frame) % 16 == 0, "the trap frame keeps sp 16-byte aligned");

/* Called by riscv_trap_vector with the frame it saved. When it returns,
 * the vector restores the (possibly modified) frame and executes sret. */
void riscv_trap_handler(struct trap_frame *f);

/* Top of CPU id's emergency stack (see struct arch_pcpu). */
uintptr_t riscv_emergency_stack_top(unsigned int id);

/*
 * Read a CSR that may not exist on this hart (an H-extension CSR on a hart
 * without H): *ok says whether the read worked. Needs stvec and tp set up.
 */
#define csr_read_probe(csr, ok)                                        \
	__extension__({                                                \
		struct pcpu *__cpu = riscv_csr_probe_begin();          \
		unsigned long __val = csr_read(csr);                   \
		riscv_csr_probe_end(__cpu, __val, (ok));               \
	})

struct pcpu;
struct pcpu *riscv_csr_probe_begin(void);
unsigned long riscv_csr_probe_end(struct pcpu *cpu, unsigned long val, bool *ok);

#endif
