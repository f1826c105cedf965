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

void sched_step(void)
{
	struct runq *rq = &runqs[this_cpu()->id];
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
	if (!pick)
		arch_idle(deadline);
	else if (vcpu_run(pick, rq->nr > 1 ? SCHED_SLICE_US : 0) == VCPU_NEXT_BLOCK)
		pick->blocked = true;
}

noreturn void sched_run(void)
{
	for (;;)
		sched_step();
}
