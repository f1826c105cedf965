/*
 * The vCPU scheduler (see include/tern/sched.h). Each physical CPU owns a
 * run queue of the vCPUs whose home it is and only it touches their
 * `blocked` state, so the common path takes no lock: other CPUs talk to a
 * vCPU through its atomic wake/kick flags and an IPI (vcpu_wake/vcpu_kick).
 */
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include <tern/vm_boot.h>

#define RUNQ_MAX (VM_MAX_VMS * VM_MAX_VCPUS)

struct runq {
	struct vcpu *v[RUNQ_MAX];
	unsigned int nr;
	unsigned int next; /* round-robin position */
};

static struct runq runqs[NR_CPUS];
static spinlock_t assign_lock = SPINLOCK_INIT;

void sched_assign(struct vcpu *v, struct pcpu *home)
{
	struct runq *rq = &runqs[home->id];

	spin_lock(&assign_lock);
	if (rq->nr < RUNQ_MAX) {
		v->home = home;
		rq->v[rq->nr++] = v;
	}
	spin_unlock(&assign_lock);
}

unsigned int sched_load(const struct pcpu *p)
{
	return runqs[p->id].nr;
}

static bool vm_running(const struct vcpu *v)
{
	return atomic_load(&v->vm->stop) == VM_RUNNING;
}

/* Whether v may run now; unblocks it when it has a reason to wake. */
static bool vcpu_runnable(struct vcpu *v, uint64_t now)
{
	if (!vm_running(v) || !vcpu_startable(v))
		return false;
	if (v->blocked) {
		uint64_t d = arch_vcpu_timer_deadline(v);

		/* A deadline wakes the vCPU once: if its interrupt then cannot
		 * be taken (disabled, masked by priority), the vCPU waits in
		 * WFI again and only a real interrupt may wake it, or it would
		 * spin through WFI. */
		if (!atomic_exchange(&v->wake, false) && !arch_vcpu_irq_pending(v) &&
		    (now < d || d == v->timer_woken))
			return false;
		if (now >= d)
			v->timer_woken = d;
		v->blocked = false;
	}
	return true;
}

/* The deadline a blocked vCPU still waits for, UINT64_MAX if none. */
static uint64_t wake_deadline(struct vcpu *v)
{
	uint64_t d = arch_vcpu_timer_deadline(v);

	return d == v->timer_woken ? UINT64_MAX : d;
}

/*
 * Carry out a VM's SYSTEM_OFF or SYSTEM_RESET once none of its vCPUs is in
 * the guest. Exactly one CPU does it: the one that wins stop_owner.
 */
static void vm_stop_process(struct vm *vm)
{
	unsigned int expected = 0;

	if (!atomic_compare_exchange_strong(&vm->stop_owner, &expected, 1))
		return;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		while (vm->vcpus[i].running_on)
			arch_cpu_relax();

	if (atomic_load(&vm->stop) == VM_STOP_RESET && vm_reset(vm) == 0) {
		pr_info("%s: reset\n", vm->name);
		atomic_store(&vm->stop, VM_RUNNING);
		atomic_store(&vm->stop_owner, 0);
		for (unsigned int i = 0; i < vm->nr_vcpus; i++)
			if (atomic_load(&vm->vcpus[i].power) != VCPU_OFF)
				vcpu_wake(&vm->vcpus[i]);
		return;
	}
	pr_info("%s: powered off\n", vm->name);
	atomic_store(&vm->stop, VM_STOP_OFF);
	for (unsigned int i = 0; i < nr_vms; i++)
		if (atomic_load(&vms[i].stop) != VM_STOP_OFF)
			return;
	vms_all_stopped();
}

static void run_one(struct pcpu *me, struct vcpu *v, bool shared)
{
	enum vcpu_exit e;
	enum vcpu_power on_pending = VCPU_ON_PENDING;

	atomic_compare_exchange_strong(&v->power, &on_pending, VCPU_ON);
	atomic_store(&v->wake, false);
	atomic_store(&v->kick, false);
	v->running_on = me;
	atomic_thread_fence(memory_order_seq_cst);
	/* A stop requested between the run-queue scan and here kicked nobody
	 * that was in the guest: look again now that running_on is visible. */
	if (!vm_running(v)) {
		e = VCPU_EXIT_VM_STOP;
	} else {
		arch_set_slice_timer(shared ? SCHED_SLICE_US : 0);
		e = arch_vcpu_run(v);
	}
	v->running_on = NULL;
	arch_cpu_wake_all(); /* a stopping CPU may wait for running_on */

	if (e == VCPU_EXIT_BLOCK)
		v->blocked = true;
	/* Now, not in the CPU_OFF / HART_STOP call: until here the vCPU was
	 * loaded, and a CPU_ON that saw OFF would have reset it under us. */
	if (e == VCPU_EXIT_OFF)
		atomic_store(&v->power, VCPU_OFF);
	if (e == VCPU_EXIT_VM_STOP || !vm_running(v))
		vm_stop_process(v->vm);
}

noreturn void sched_run(void)
{
	struct pcpu *me = this_cpu();
	struct runq *rq = &runqs[me->id];

	for (;;) {
		uint64_t now = arch_counter(), deadline = UINT64_MAX;
		struct vcpu *pick = NULL;

		for (unsigned int k = 0; k < rq->nr && !pick; k++) {
			unsigned int i = (rq->next + k) % rq->nr;
			struct vcpu *v = rq->v[i];

			if (vcpu_runnable(v, now)) {
				pick = v;
				rq->next = (i + 1) % rq->nr;
			} else if (v->blocked) {
				uint64_t d = wake_deadline(v);
				deadline = d < deadline ? d : deadline;
			}
		}
		if (pick)
			run_one(me, pick, rq->nr > 1);
		else
			arch_idle(deadline);
	}
}
