/*
 * The host arch's fakes, for unit tests: what they record of core's calls
 * and the switches that change their answers. Time is a counter the tests
 * move (and an idle CPU moves to its deadline); a physical CPU is a thread
 * running host_cpu_run.
 */
#ifndef ARCH_HOST_HOST_H
#define ARCH_HOST_HOST_H

#include <stdatomic.h>
#include <arch/vcpu.h>
#include <tern/types.h>

struct pcpu;
struct vm;

/* arch_counter(): moved by tests, and by arch_idle to the deadline it was
 * given (an idle CPU's timer fires). */
extern _Atomic uint64_t host_now;
/* Calls of arch_kick_cpu, arch_idle, arch_system_off, arch_system_reset. */
extern atomic_uint host_kicks, host_idles, host_power_offs, host_machine_resets;
/* The last time slice core asked for (arch_set_slice_timer), in us. */
extern _Atomic uint64_t host_slice_us;

/* arch_vm_init's answer (0: the VM can be made). */
extern int host_vm_init_rc;
/* arch_guest_dt_nodes's answer when not 0; how often it was called. */
extern int host_dt_nodes_rc;
extern unsigned int host_dt_nodes_calls;
/* The guest interrupt controller's phandle in host guest trees. */
#define HOST_INTC_PHANDLE 0x8001

/* The last arch_vm_set_irq. */
struct host_irq_record {
	unsigned int calls;
	struct vm *vm;
	uint32_t line;
	bool level;
};
extern struct host_irq_record host_irq;

/* The guest image rules of arm64 (false, the default) or RISC-V (true):
 * the Linux header magic, default offset and ELF machine. */
void host_image_rules(bool riscv);

/* Give v a script of n exits (at most HOST_SCRIPT_MAX), replayed from the start. */
void host_script(struct vcpu *v, const struct host_exit *exits, unsigned int n);

/*
 * Be physical CPU cpu on this thread and run its scheduler: until the
 * machine powers off (returns true, and sets host_cpus_stop), until
 * host_cpus_stop is set (false), or for max_steps rounds of sched_step
 * (false; 0: no limit).
 */
bool host_cpu_run(struct pcpu *cpu, unsigned int max_steps);
extern atomic_bool host_cpus_stop;

#endif
