/*
 * Host unit tests of the SBI tern offers RISC-V guests (arch/riscv/vsbi/),
 * called through the real firmware-call registry (core/fwcall.c) against a
 * fake VM, as tests/unit/test_fw_psci.c does for PSCI. Built with RISC-V's
 * arch headers and the riscv defconfig's config.h (riscv.mk), so struct vm
 * and struct vcpu are RISC-V's here.
 *
 * What the vsbi files call in the rest of arch/riscv (interrupt lines,
 * fences, the timer, guest virtual memory, the vCPU reset, SSE's return
 * from a handler), the console, the UART's input and tern's own firmware
 * are recording stand-ins (doubles.c): `dbl` holds what they were asked.
 * core's own vCPU, event and registry code is the real one.
 */
#ifndef TERN_UNIT_RISCV_SBI_TEST_H
#define TERN_UNIT_RISCV_SBI_TEST_H

#include <stdatomic.h>
#include <string.h>
#include <arch/sbi.h>
#include <arch/vsbi.h>
#include <tern/cpu.h>
#include <tern/fwcall.h>
#include <tern/vm.h>
#include "../test.h"

/* Codes <tern/fwcall.h> leaves to SSE (SBI v3.0 "Binary Encoding"). */
#define SBI_ERR_INVALID_STATE (-10)
#define SBI_ERR_BAD_RANGE (-11)

/* The fake VM: RAM at the board's RAM base, backed by a host buffer. */
#define RAM_IPA 0x80000000ull
#define RAM_SIZE 0x10000ull

extern struct vm vm;
extern uint8_t vm_ram[RAM_SIZE];

/* A VM of nr vCPUs (hart IDs 0..nr-1, as arch_vcpu_init numbers them),
 * every vCPU reset as vm_boot (core/vm.c) leaves it (events masked, nothing
 * registered), hart 0 ON and running on pcpus[0] (the CPU the tests run
 * on), the others OFF with homes pcpus[i % NR_CPUS]. With v01, the VM has
 * what core/vm.c gives a VM configured with sbi = v0.1: every service but
 * the modern SBI extensions. Clears every double's record. */
void vm_setup(unsigned int nr, bool v01);

/* One ecall from hart `hart`, as arch/riscv/exit.c makes it: the extension
 * ID from a7, the function from a6, a0-a5, results zeroed. */
struct fw_call sbi_call(unsigned int hart, uint64_t eid, uint64_t fid, const uint64_t *args);
#define SBI(hart, eid, fid, ...) \
	sbi_call((hart), (eid), (fid), (const uint64_t[6]){ __VA_ARGS__ })
/* sbiret.error (a0) of a call, signed. */
#define ERR(c) ((int64_t)(c).ret[0])
#define VAL(c) ((c).ret[1])

/* ---- what the doubles recorded ------------------------------------------------ */

#define REC_MAX 64

struct rec_irq {
	struct vcpu *v;
	uint64_t bits;
};

struct rec_fence {
	struct vcpu *target;
	struct riscv_fence_req req;
	unsigned int seq;
};

struct rec_wait {
	struct vcpu *self;
	unsigned int seq[VM_MAX_VCPUS];
};

struct rec_timer {
	struct vcpu *v;
	uint64_t deadline;
};

struct rec_reset {
	struct vcpu *v;
	uint64_t entry, arg;
	enum vcpu_power power; /* the vCPU's state while it was reset */
};

struct rec_event_return {
	struct vcpu *v;
	bool resume;
	uint64_t addr;
};

struct doubles {
	struct rec_irq raised[REC_MAX];   /* riscv_vcpu_raise */
	unsigned int nraised;
	struct rec_irq lowered[REC_MAX];  /* riscv_vcpu_lower */
	unsigned int nlowered;
	struct rec_fence fences[REC_MAX]; /* riscv_vcpu_fence */
	unsigned int nfences;
	unsigned int next_seq;            /* the number the next fence request gets, less 1 */
	struct rec_wait waits[8];         /* riscv_fence_wait */
	unsigned int nwaits;
	struct rec_timer timers[REC_MAX]; /* riscv_vcpu_set_timer */
	unsigned int ntimers;
	struct rec_reset resets[REC_MAX]; /* arch_vcpu_reset */
	unsigned int nresets;
	struct rec_event_return event_returns[8]; /* arch_event_return */
	unsigned int nevent_returns;
	struct pcpu *kicked[REC_MAX];     /* arch_kick_cpu */
	unsigned int nkicked;
	unsigned int wake_all;            /* arch_cpu_wake_all (each spin_unlock) */

	/* The console: what was written, in how many console_write calls,
	 * the longest one, and whether each came with console_lock held. */
	char console[4096];
	size_t console_len;
	unsigned int console_writes;
	size_t console_max_write;
	int console_depth;
	bool console_unlocked_write;

	/* The VM's typed input (vuart_take_input), and what each call asked. */
	uint8_t input[512];
	size_t input_len, input_pos;
	size_t input_asked[REC_MAX];
	unsigned int ninput_calls;

	/* tern's own firmware (sbi_ecall): its BASE answers by FID. */
	struct sbiret fw_base[8];
	struct {
		unsigned long ext, fid;
	} ecalls[16];
	unsigned int necalls;

	/* Guest virtual memory (riscv_guest_read_va): what is mapped, and
	 * every read with its privilege. */
	struct {
		uint64_t va, val;
	} va_map[8];
	unsigned int nva_map;
	struct {
		uint64_t va;
		bool supervisor;
	} va_reads[16];
	unsigned int nva_reads;
};

extern struct doubles dbl;

/* Whether any double recorded a side effect on the VM (a call that must do
 * nothing did nothing). */
bool doubles_untouched(void);
/* Type input for the VM (what DBCN read and legacy getchar take). */
void doubles_type(const char *s, size_t len);
/* Map one 64-bit value at a guest virtual address (legacy hart masks). */
void doubles_map_va(uint64_t va, uint64_t val);

/* The calling vCPU, for checks. */
static inline struct vcpu *hart(unsigned int i)
{
	return &vm.vcpus[i];
}

#endif
