/*
 * Virtual machines and virtual CPUs. A VM owns its guest memory, its
 * stage-2 table, its emulated devices (an MMIO bus) and its vCPUs; the arch
 * parts are embedded (struct arch_vm, struct arch_vcpu from <arch/vcpu.h>),
 * so core code never needs an #ifdef to reach them.
 */
#ifndef TERN_VM_H
#define TERN_VM_H

#include <stdatomic.h>
#include <arch/vcpu.h>
#include <tern/event.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/pgtable.h>
#include <tern/spinlock.h>
#include <tern/types.h>
#include <tern/vcpu_next.h>
#include <tern/vm_config.h>

#define VM_MAX_VCPUS 16
#define VM_MAX_VMS 4

struct pcpu;
struct vm;

/* PSCI / SBI HSM power state of a vCPU, as the guest sees it. */
enum vcpu_power {
	VCPU_OFF,        /* never started, or turned itself off */
	VCPU_STARTING,   /* claimed by a CPU_ON / HART_START, being reset: not runnable */
	VCPU_ON_PENDING, /* started by another vCPU, reset done, not yet run */
	VCPU_ON,
};

struct vcpu {
	unsigned int id;          /* index in the VM, 0 is the boot vCPU */
	uint64_t hwid;            /* virtual MPIDR affinity (arm64) or hart id (RISC-V) */
	struct vm *vm;
	_Atomic enum vcpu_power power;
	/* Flags as words, for RISC-V has no byte-sized atomic exchange. */
	atomic_uint wake;         /* an interrupt or event arrived while it was blocked */
	atomic_uint kick;         /* asked to leave the guest (PREEMPT) at its next chance */
	bool blocked;             /* waiting for an interrupt (WFI, suspend); home CPU only */
	uint64_t timer_woken;     /* the timer deadline that last woke it (home CPU only) */
	struct pcpu *home;        /* the physical CPU that runs it */
	struct pcpu *running_on;  /* where it runs right now, NULL when not in the guest */
	uint64_t exits[64];       /* exit counts by arch cause (ESR EC / scause), for reports */
	struct ev_vcpu events;    /* its firmware events (SDEI / SSE), under events.lock */
	struct arch_vcpu arch;
};

enum vm_stop { VM_RUNNING, VM_STOP_OFF, VM_STOP_RESET };

struct vm {
	unsigned int id;
	const char *name;
	struct vm_config cfg;     /* what the guest was built from (images stay in the bundle) */
	paddr_t ram_ipa;          /* guest RAM: one region, contiguous in host memory */
	paddr_t ram_pa;
	uint64_t ram_size;
	struct pgtable s2;        /* stage-2 (G-stage) translation */
	struct pt_mm_ops s2_ops;  /* its tables come from the pool, charged to acct */
	spinlock_t s2_lock;       /* serialises changes to s2 */
	uint64_t s2_populated;    /* pages mapped on first touch */
	/* Stage-2 table pages set aside when the VM was made, enough to map
	 * all of its RAM (pt_tables_to_map): free pages linked through their
	 * first word. First touches take from here, never from the pool, so
	 * another VM's growth cannot leave this one unable to map a page. */
	paddr_t s2_reserve;
	uint64_t s2_reserved;     /* pages set aside, free or in use */
	bool s2_nomem_reported;
	struct mmio_bus mmio;
	struct mem_account acct;  /* host memory this VM uses */
	uint32_t services;        /* BIT(enum fw_service_id) for each firmware service it has */
	unsigned int nr_vcpus;
	struct vcpu vcpus[VM_MAX_VCPUS];
	_Atomic enum vm_stop stop;
	/* A CPU is carrying out the stop (core/sched.c): a word, as RISC-V has
	 * no byte-sized compare-and-swap. */
	atomic_uint stop_owner;
	struct arch_vm arch;
};

extern struct vm vms[VM_MAX_VMS];
extern unsigned int nr_vms;

/*
 * Create a VM from a configuration: allocate and map its RAM, load its
 * images, build its device tree, create its vCPUs (only vCPU 0 on). Returns
 * 0 or a negative E_* code with *why naming the problem; a VM that failed
 * has given back all the memory it took.
 */
int vm_create(struct vm *vm, const struct vm_config *cfg, const char **why);
/* A guest touched RAM at ipa that stage 2 does not map yet: map its page
 * (guest RAM is populated on first touch). 0 when it is mapped now (or was
 * already, by another vCPU); -E_NOENT when ipa is not RAM; -E_NOMEM. */
int vm_stage2_populate(struct vm *vm, paddr_t ipa);
/* Put the VM back in its boot state, reloading its images (SYSTEM_RESET). */
int vm_reset(struct vm *vm);
/* Ask every vCPU of the VM to leave the guest and stop (SYSTEM_OFF / RESET). */
void vm_request_stop(struct vm *vm, enum vm_stop why);
/* Carry out the stop once the VM's vCPUs are out of the guest: a reset
 * boots it again, an off is final and, for the last VM, powers the machine
 * off. Called by every CPU whose vCPU saw the stop; one of them does it. */
void vm_stop_finish(struct vm *vm);

struct vcpu *vm_vcpu_by_hwid(struct vm *vm, uint64_t hwid);

/* Guest memory: the one way tern reads or writes a guest's RAM by IPA.
 * Returns 0, or -E_FAULT when any byte is outside the guest's RAM. */
int guest_read(struct vm *vm, paddr_t ipa, void *buf, size_t len);
int guest_write(struct vm *vm, paddr_t ipa, const void *buf, size_t len);
/* Whether [ipa, ipa+len) is guest RAM (e.g. a valid entry point). */
bool guest_ram_contains(const struct vm *vm, paddr_t ipa, uint64_t len);

/* A vCPU powers on (boot, PSCI CPU_ON, SBI HSM start): its firmware
 * events start over, masked and unregistered. */
void vcpu_events_reset(struct vcpu *v);
/* Whether a firmware event is to be delivered to it now (it wakes a vCPU
 * blocked in WFI as an interrupt would). */
bool vcpu_event_due(struct vcpu *v);

/* Whether the scheduler may load v: its reset is complete (a vCPU being
 * started is published as ON_PENDING only once arch_vcpu_reset is done). */
static inline bool vcpu_startable(struct vcpu *v)
{
	enum vcpu_power p = atomic_load(&v->power);

	return p == VCPU_ON_PENDING || p == VCPU_ON;
}

/*
 * Power on a vCPU that is OFF, as PSCI CPU_ON and SBI HART_START do: claim
 * it, reset it to enter at entry with arg, reset its events, and only then
 * publish it to the scheduler and wake it. Returns the state it was found
 * in when that was not OFF (nothing done then), else VCPU_OFF.
 */
enum vcpu_power vcpu_power_on(struct vcpu *t, uint64_t entry, uint64_t arg);

/*
 * Run v on this physical CPU (its home) until the scheduler must act, with
 * a time slice of slice_us microseconds (0: none): the run loop of every
 * arch (core/vcpu_run.c). It carries out what the vCPU's last exit asked
 * for that is not the scheduler's (power off, the VM's stop) and returns
 * it; VCPU_NEXT_BLOCK and VCPU_NEXT_PREEMPT are for the scheduler.
 */
enum vcpu_next vcpu_run(struct vcpu *v, uint64_t slice_us);

/* Make a vCPU runnable (PSCI CPU_ON, an interrupt for a blocked vCPU), and
 * make a running one leave the guest soon. Safe from any physical CPU. */
void vcpu_wake(struct vcpu *v);
void vcpu_kick(struct vcpu *v);
/* Both at once, with at most one IPI: something for v to take now (an
 * interrupt, an event) wherever it is, blocked or in the guest. */
void vcpu_notify(struct vcpu *v);

#endif
