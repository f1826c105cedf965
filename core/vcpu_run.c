/*
 * The run loop, one for every arch: a vCPU stays in the guest for as long
 * as its exits can be handled in place (arch_vcpu_enter answers
 * VCPU_NEXT_RUN), and leaves it for a stop of its VM, a kick, or what an
 * exit handler asked for. The scheduler (core/sched.c) picks the vCPU;
 * VM stops and resets are core/vm.c's.
 */
#include <stdatomic.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/vm.h>

static bool vm_running(const struct vcpu *v)
{
	return atomic_load_explicit(&v->vm->stop, memory_order_relaxed) == VM_RUNNING;
}

static enum vcpu_next run_guest(struct vcpu *v)
{
	enum vcpu_next next;

	arch_vcpu_load(v);
	do {
		/* A stop or kick that lands after these checks finds the guest
		 * running: its IPI makes it exit at once. */
		if (!vm_running(v))
			next = VCPU_NEXT_VM_STOP;
		else if (atomic_load_explicit(&v->kick, memory_order_relaxed))
			next = VCPU_NEXT_PREEMPT;
		else
			next = arch_vcpu_enter(v);
	} while (next == VCPU_NEXT_RUN);
	arch_vcpu_put(v);
	return next;
}

enum vcpu_next vcpu_run(struct vcpu *v, uint64_t slice_us)
{
	enum vcpu_power on_pending = VCPU_ON_PENDING;
	enum vcpu_next next;

	atomic_compare_exchange_strong(&v->power, &on_pending, VCPU_ON);
	atomic_store(&v->wake, false);
	atomic_store(&v->kick, false);
	__atomic_store_n(&v->running_on, this_cpu(), __ATOMIC_RELEASE);
	atomic_thread_fence(memory_order_seq_cst);
	/* A stop requested between the scheduler's pick and here kicked no
	 * one in the guest: look again now that running_on is visible. */
	if (!vm_running(v)) {
		next = VCPU_NEXT_VM_STOP;
	} else {
		arch_set_slice_timer(slice_us);
		next = run_guest(v);
	}
	__atomic_store_n(&v->running_on, NULL, __ATOMIC_RELEASE);
	arch_cpu_wake_all(); /* a CPU finishing a stop may wait for running_on */

	/* Now, not in the CPU_OFF / HART_STOP call: until here the vCPU was
	 * loaded, and a CPU_ON that saw OFF would have reset it under us. */
	if (next == VCPU_NEXT_OFF)
		atomic_store(&v->power, VCPU_OFF);
	if (next == VCPU_NEXT_VM_STOP || !vm_running(v)) {
		vm_stop_finish(v->vm);
		next = VCPU_NEXT_VM_STOP;
	}
	return next;
}
