/*
 * The host arch's vCPU and VM parts. A host "guest" is a script: each
 * entry of a vCPU replays its next exit (arch/host/guest.c), so core's run
 * loop, scheduler and VM lifecycle are unit-tested on the build machine
 * with the real firmware services answering the calls. The counters say
 * what core asked of the arch, for the tests to check.
 */
#ifndef ARCH_HOST_VCPU_H
#define ARCH_HOST_VCPU_H

#include <tern/types.h>
#include <tern/vcpu_next.h>

struct vcpu;

/* One exit of a scripted guest. */
enum host_exit_kind {
	HOST_EXIT_END,   /* the script is over: the guest waits in WFI from now on */
	HOST_EXIT_RUN,   /* an exit handled in place (an MMIO access, a sysreg) */
	HOST_EXIT_WFI,   /* WFI: blocks unless an interrupt is pending */
	HOST_EXIT_SMCCC, /* a firmware call (id, arg[]): the registry answers it */
	HOST_EXIT_SLICE, /* tern's timer interrupt: the time slice is over */
	HOST_EXIT_FN,    /* a test's own handler: fn(v) says what is next */
};

struct host_exit {
	enum host_exit_kind kind;
	uint64_t id;
	uint64_t arg[3];
	enum vcpu_next (*fn)(struct vcpu *v);
	unsigned int repeat; /* replayed this many more times before the next */
};

#define HOST_SCRIPT_MAX 16

struct arch_vcpu {
	uint64_t pc;
	uint64_t regs[32];               /* x0-x3: the last call's results */
	uint64_t reset_entry, reset_arg; /* last arch_vcpu_reset() */
	unsigned int resets;
	bool startable_in_reset;         /* the scheduler could load it mid-reset */
	struct host_exit script[HOST_SCRIPT_MAX];
	unsigned int script_len, script_pos, script_rep;
	unsigned int loads, puts, entries;
	bool loaded;                     /* between arch_vcpu_load and arch_vcpu_put */
	bool irq_pending;                /* what arch_vcpu_irq_pending answers */
	uint64_t timer_deadline;         /* its timer, UINT64_MAX: none (arch_vcpu_init) */
	bool in_reset;                   /* inside arch_vcpu_reset */
	unsigned int bad_loads;          /* loaded while not powered on, or mid-reset */
	unsigned int bad_resets;         /* reset by another CPU while loaded */
};

struct arch_vm {
	unsigned int resets;             /* arch_vm_reset calls */
};

#endif
