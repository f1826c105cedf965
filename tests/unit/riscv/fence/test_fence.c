/*
 * The remote-fence protocol of arch/riscv/fence.c on real threads: a
 * vCPU's remote fence returns only once every target that is in the guest
 * has carried out its request, at once for one that is not, and two vCPUs
 * fencing each other both go on. Each "hart" is a thread; carrying a fence
 * out (riscv_fences_apply, vcpu.c on a hart) takes the request and, after
 * a delay, marks it done, as the target's hart would after its HFENCEs.
 * A third host binary beside unit-tests-sbi, whose SBI tests keep
 * recording stand-ins of these functions.
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <arch/guest.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/vm.h>
#include "../../test.h"

struct pcpu pcpus[NR_CPUS];
static struct vm vm;
static atomic_uint kicks, applied;
static atomic_bool stop;

/* ---- what fence.c calls ---------------------------------------------------- */

void arch_cpu_relax(void)
{
	sched_yield();
}

void arch_cpu_wake_all(void)
{
}

/* The target's hart is another thread: nothing is loaded "here". */
struct vcpu *riscv_loaded_vcpu(void)
{
	return NULL;
}

void vcpu_kick(struct vcpu *v)
{
	atomic_fetch_add(&kicks, 1);
}

static void delay_us(long us)
{
	struct timespec t = { 0, us * 1000 };

	nanosleep(&t, NULL);
}

void riscv_fences_apply(struct vcpu *v)
{
	struct riscv_fence_req f;
	unsigned int seq;

	if (!riscv_fences_take(v, &f, &seq))
		return;
	delay_us(2000); /* the HFENCEs take a while: a caller must wait */
	atomic_fetch_add(&applied, 1);
	riscv_fences_done(v, seq);
}

/* ---- the fake VM and its harts ---------------------------------------------- */

static void vm_setup(unsigned int nr)
{
	memset(&vm, 0, sizeof(vm));
	vm.nr_vcpus = nr;
	for (unsigned int i = 0; i < nr; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		vm.vcpus[i].arch.fence_lock = (spinlock_t)SPINLOCK_INIT;
	}
	atomic_store(&kicks, 0);
	atomic_store(&applied, 0);
	atomic_store(&stop, false);
}

/* A hart running a vCPU in the guest: it exits now and then (as a kick
 * makes it) and carries out what was asked of it. */
static void *hart(void *arg)
{
	struct vcpu *v = arg;

	__atomic_store_n(&v->running_on, &pcpus[1 + v->id % (NR_CPUS - 1)], __ATOMIC_RELEASE);
	while (!atomic_load(&stop)) {
		riscv_fences_apply(v);
		delay_us(100);
	}
	return NULL;
}

static const struct riscv_fence_req vma_all = { .vma_all = true };

static bool done_for(const struct vcpu *t, unsigned int seq)
{
	return (int)(atomic_load(&t->arch.fence_done) - seq) >= 0;
}

TEST(fence_waits_for_a_target_in_the_guest)
{
	unsigned int seq[VM_MAX_VCPUS] = { 0 };
	pthread_t th;

	vm_setup(2);
	CHECK_EQ(pthread_create(&th, NULL, hart, &vm.vcpus[1]), 0);
	while (!__atomic_load_n(&vm.vcpus[1].running_on, __ATOMIC_ACQUIRE))
		sched_yield();
	for (unsigned int round = 0; round < 20; round++) {
		seq[1] = riscv_vcpu_fence(&vm.vcpus[1], &vma_all);
		CHECK(seq[1] != 0);
		riscv_fence_wait(&vm.vcpus[0], seq);
		/* Back only once the target did it, never before. */
		CHECK(done_for(&vm.vcpus[1], seq[1]));
	}
	CHECK_EQ(atomic_load(&kicks), 20);
	atomic_store(&stop, true);
	pthread_join(th, NULL);
}

TEST(fence_does_not_wait_for_a_target_out_of_the_guest)
{
	unsigned int seq[VM_MAX_VCPUS] = { 0 };

	vm_setup(3);
	/* vCPU 2 is not running: it fences before it next enters, so the
	 * caller goes on with its request still pending. */
	seq[2] = riscv_vcpu_fence(&vm.vcpus[2], &vma_all);
	riscv_fence_wait(&vm.vcpus[0], seq);
	CHECK(!done_for(&vm.vcpus[2], seq[2]));
	CHECK(atomic_load(&vm.vcpus[2].arch.fence_any));
	CHECK_EQ(atomic_load(&applied), 0);
}

/* Requests numbered per target, never 0; what is pending merges. */
TEST(fence_requests_numbered_and_merged)
{
	struct riscv_fence_req r1 = { .vma_pending = true, .vma_start = 0x1000, .vma_size = 0x2000 };
	struct riscv_fence_req r2 = { .vma_pending = true, .vma_start = 0x8000, .vma_size = 0x1000 };
	struct riscv_fence_req fi = { .fence_i = true }, got;
	unsigned int s1, s2, s3, seq;

	vm_setup(2);
	vm.vcpus[1].arch.fence_seq = ~0u; /* the next number wraps past 0 */
	s1 = riscv_vcpu_fence(&vm.vcpus[1], &r1);
	CHECK_EQ(s1, 1);
	s2 = riscv_vcpu_fence(&vm.vcpus[1], &fi);
	s3 = riscv_vcpu_fence(&vm.vcpus[1], &r2);
	CHECK(s1 < s2 && s2 < s3);
	CHECK(riscv_fences_take(&vm.vcpus[1], &got, &seq));
	CHECK_EQ(seq, s3);
	CHECK(got.fence_i);
	CHECK(got.vma_all); /* two ranges at once: one full flush covers both */
	CHECK(!riscv_fences_take(&vm.vcpus[1], &got, &seq));
}

/* Two vCPUs fencing each other at once both return: each carries out what
 * the other asked while it waits. */
struct crossing {
	struct vcpu *self, *other;
	unsigned int rounds_done;
};

static void *cross(void *arg)
{
	struct crossing *c = arg;
	unsigned int seq[VM_MAX_VCPUS] = { 0 };

	__atomic_store_n(&c->self->running_on, &pcpus[1 + c->self->id], __ATOMIC_RELEASE);
	for (unsigned int round = 0; round < 20; round++) {
		seq[c->other->id] = riscv_vcpu_fence(c->other, &vma_all);
		riscv_fence_wait(c->self, seq);
		if (done_for(c->other, seq[c->other->id]))
			c->rounds_done++;
	}
	/* Out of the guest: the other no longer waits for this one. */
	__atomic_store_n(&c->self->running_on, NULL, __ATOMIC_RELEASE);
	return NULL;
}

TEST(fence_two_vcpus_fencing_each_other)
{
	struct crossing a, b;
	pthread_t ta, tb;

	vm_setup(2);
	a = (struct crossing){ &vm.vcpus[0], &vm.vcpus[1], 0 };
	b = (struct crossing){ &vm.vcpus[1], &vm.vcpus[0], 0 };
	__atomic_store_n(&vm.vcpus[0].running_on, &pcpus[1], __ATOMIC_RELEASE);
	__atomic_store_n(&vm.vcpus[1].running_on, &pcpus[2], __ATOMIC_RELEASE);
	CHECK_EQ(pthread_create(&ta, NULL, cross, &a), 0);
	CHECK_EQ(pthread_create(&tb, NULL, cross, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	/* Every round returned; a round's request was done unless the other
	 * had already left the guest (its last rounds). */
	CHECK(a.rounds_done + b.rounds_done >= 20);
}
