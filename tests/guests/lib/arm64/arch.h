/*
 * arm64 pieces of the guest runtime: SMCCC calls (the conduit comes from the
 * DT's /psci "method"), PSCI function ids and return codes, and ESR classes.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include <stdbool.h>
#include <stdint.h>

/* SMCCC: x0..x3 on return. */
struct smccc_res {
	unsigned long a0, a1, a2, a3;
};

/* One call through the DT's conduit (hvc or smc). Without a /psci node there
 * is no known conduit: returns SMCCC_RET_NOT_SUPPORTED without trapping. */
struct smccc_res smccc_call(uint32_t fid, unsigned long a1, unsigned long a2, unsigned long a3);

enum smccc_conduit { SMCCC_CONDUIT_NONE, SMCCC_CONDUIT_HVC, SMCCC_CONDUIT_SMC };
enum smccc_conduit smccc_conduit(void);

#define SMCCC_RET_NOT_SUPPORTED (-1L)

/* PSCI (Arm DEN0022) function ids: 32-bit ones, and SMC64 ones for calls
 * that take addresses or MPIDRs. */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_FEATURES 0x8400000au

#define PSCI_RET_SUCCESS 0L
#define PSCI_RET_NOT_SUPPORTED (-1L)
#define PSCI_RET_INVALID_PARAMETERS (-2L)
#define PSCI_RET_DENIED (-3L)
#define PSCI_RET_ALREADY_ON (-4L)
#define PSCI_RET_ON_PENDING (-5L)

#define PSCI_AFFINITY_ON 0L
#define PSCI_AFFINITY_OFF 1L
#define PSCI_AFFINITY_ON_PENDING 2L

/* The MPIDR bits PSCI takes as a target: Aff3 and Aff2..Aff0 (QEMU 7.2
 * rejects a target with bit 31, RES1 in MPIDR_EL1, set). */
#define MPIDR_AFFINITY_MASK 0xff00ffffffUL

/* ESR_ELx.EC values the runtime and tests name. */
#define ESR_EC_UNKNOWN 0x00u
#define ESR_EC_SVC64 0x15u
#define ESR_EC_HVC64 0x16u
#define ESR_EC_SMC64 0x17u
#define ESR_EC_IABT_CUR 0x21u
#define ESR_EC_DABT_CUR 0x25u
#define ESR_EC_BRK64 0x3cu
#define ESR_EC(esr) (((esr) >> 26) & 0x3fu)

/* The cause exception_result() reports for an undefined instruction. */
#define EXC_CAUSE_UNDEF ESR_EC_UNKNOWN

/* System registers by name ("cntp_ctl_el0", "s3_0_c12_c12_0"); the memory
 * clobbers keep them in program order with the accesses around them. */
#define read_sysreg(r)                                                 \
	({                                                             \
		uint64_t __v;                                          \
		__asm__ volatile("mrs %0, " #r : "=r"(__v)::"memory"); \
		__v;                                                   \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")

/* 32-bit device accesses, as single LDR/STR without writeback: a
 * post-indexed form (which the compiler picks in a loop) leaves no
 * syndrome for a hypervisor to emulate the access from. */
static inline uint32_t mmio_read32(uintptr_t a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

/* gic.c: the GIC from the DT, for this CPU's SGIs and PPIs. */
struct gic {
	bool v3;
	uintptr_t dist;
	uintptr_t cpu; /* GICv3: the redistributors; GICv2: the CPU interface */
};
extern struct gic gic;
bool gic_find(void);
/* The calling CPU's redistributor frame (GICv3), 0 if there is none. */
uintptr_t gic_my_redist(void);
/* Enable the private interrupts in mask (bit n: INTID n) at priority 0x80
 * and this CPU's interface; false without a redistributor for it. */
bool gic_cpu_enable(uint32_t private_mask);
/* Make a PPI of the calling CPU pending through the GIC (ISPENDR0). */
void gic_set_pending(uint32_t intid);
uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);

/* An IRQ taken at EL1 (SPx) calls handler, then returns to where it hit;
 * NULL (the default): an IRQ is an unexpected exception. */
void set_irq_handler(void (*handler)(void));

/* Executes a permanently undefined instruction (UDF #0) and returns its
 * address; an exception must be expected (expect_exception()). */
uintptr_t exec_undefined_insn(void);

#endif
