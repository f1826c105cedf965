/*
 * The scheduler (core/sched.c), the run loop (core/vcpu_run.c) and the VM
 * lifecycle (core/vm.c) on the host arch: real VMs made by vm_create from
 * a config, whose guests are scripts of exits (arch/host/guest.c) and
 * whose firmware calls reach the real PSCI. Physical CPUs are threads
 * (host_cpu_run), or are stepped one round at a time from the test.
 *
 * Each test runs in a child process of its own: tern's VM table, run
 * queues and page pool are globals that a test leaves in whatever state
 * its machine ended in, as tern itself does.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arch/host.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/fwcall.h>
#include <tern/page_alloc.h>
#include <tern/platform.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include "test.h"

#define MiB (1ull << 20)
#define RAM_BASE 0x40000000ull

#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON64 0xc4000003
#define PSCI_AFFINITY_INFO64 0xc4000004
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)

static struct platform plat;
static uint8_t kernel[256]; /* a raw binary: loaded as it is */

/* Run fn in a child process; its CHECK failures count here. */
static void isolated(void (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		unit_failures = 0;
		fn();
		fflush(stdout);
		_exit(unit_failures > 100 ? 100 : unit_failures);
	}
	CHECK(pid > 0);
	if (pid <= 0 || waitpid(pid, &status, 0) != pid) {
		unit_failures++;
		return;
	}
	if (!WIFEXITED(status)) {
		printf("  the test's process died (signal %d)\n",
		       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		unit_failures++;
		return;
	}
	unit_failures += WEXITSTATUS(status);
}

/* A machine of nr_cpus physical CPUs with 64 MiB for tern. */
static void machine(unsigned int nr_cpus)
{
	void *mem = aligned_alloc(2 * MiB, 64 * MiB);

	pool_init(&tern_pool);
	pool_add(&tern_pool, (paddr_t)(uintptr_t)mem, 64 * MiB);
	memset(&plat, 0, sizeof(plat));
	plat.mem[0].base = RAM_BASE;
	plat.mem[0].size = 1024 * MiB;
	plat.nr_mem = 1;
	plat.uart.kind = UART_NONE;
	host_platform = &plat;
	nr_pcpus = nr_cpus;
	for (unsigned int i = 0; i < nr_cpus; i++) {
		pcpus[i].id = i;
		atomic_store(&pcpus[i].online, true);
	}
	arch_set_this_cpu(&pcpus[0]);
}

/* A VM as vms_start makes it: its vCPUs go round the CPUs from CPU 0. */
static struct vm *make_vm(const char *name, unsigned int vcpus)
{
	struct vm_config cfg = { .vcpus = vcpus, .mem_size = 4 * MiB };
	struct vm *vm = &vms[nr_vms];
	const char *why = "";

	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	cfg.kernel.data = kernel;
	cfg.kernel.size = sizeof(kernel);
	CHECK_EQ(vm_create(vm, &cfg, &why), 0);
	if (*why)
		printf("  vm_create: %s\n", why);
	nr_vms++;
	return vm;
}

static struct host_exit smccc(uint64_t id, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return (struct host_exit){ .kind = HOST_EXIT_SMCCC, .id = id, .arg = { a1, a2, a3 } };
}

static const struct host_exit RUN = { .kind = HOST_EXIT_RUN };
static const struct host_exit WFI = { .kind = HOST_EXIT_WFI };
static const struct host_exit SLICE = { .kind = HOST_EXIT_SLICE };

/* Step CPU cpu through n rounds of its scheduler on this thread; whether
 * the machine powered off in them. */
static bool steps(unsigned int cpu, unsigned int n)
{
	return host_cpu_run(&pcpus[cpu], n);
}

/* --- Block, wake, timers ------------------------------------------------------ */

static void block_and_wake(void)
{
	machine(1);
	struct vm *vm = make_vm("a", 1);
	struct vcpu *v = &vm->vcpus[0];
	struct host_exit s[] = { RUN, RUN, WFI, RUN, WFI };
	unsigned int idles;

	host_script(v, s, 5);
	CHECK_EQ(atomic_load(&v->power), VCPU_ON_PENDING);
	CHECK_EQ(v->arch.reset_entry, RAM_BASE + 0x80000); /* a raw kernel at the default offset */
	/* One round: the exits handled in place stay in the loop, the WFI
	 * with nothing pending blocks; one load and one put around it. */
	CHECK(!steps(0, 1));
	CHECK_EQ(v->arch.entries, 3);
	CHECK_EQ(v->arch.loads, 1);
	CHECK_EQ(v->arch.puts, 1);
	CHECK(!v->arch.loaded);
	CHECK(v->blocked);
	CHECK_EQ(atomic_load(&v->power), VCPU_ON);
	CHECK_EQ(atomic_load(&host_slice_us), 0); /* alone on its CPU: no time slice */
	/* Blocked with no timer: the CPU idles and the vCPU does not run. */
	idles = atomic_load(&host_idles);
	CHECK(!steps(0, 3));
	CHECK_EQ(atomic_load(&host_idles), idles + 3);
	CHECK_EQ(v->arch.entries, 3);
	/* A wake from elsewhere (an interrupt for it) makes it run again. */
	vcpu_wake(v);
	CHECK(!steps(0, 1));
	CHECK_EQ(v->arch.entries, 5);
	CHECK(v->blocked);
	/* A WFI with an interrupt pending does not block. */
	struct host_exit t[] = { WFI, WFI, SLICE };
	host_script(v, t, 3);
	v->arch.irq_pending = true;
	CHECK(!steps(0, 1));
	CHECK_EQ(v->arch.entries, 8);
	CHECK(!v->blocked); /* preempted by the slice, not blocked */
}

TEST(sched_block_and_wake)
{
	isolated(block_and_wake);
}

static void timer_wakes_once(void)
{
	machine(1);
	struct vm *vm = make_vm("a", 1);
	struct vcpu *v = &vm->vcpus[0];
	struct host_exit s[] = { WFI, WFI, WFI };

	host_script(v, s, 3);
	atomic_store(&host_now, 10);
	v->arch.timer_deadline = 500;
	CHECK(!steps(0, 1));
	CHECK(v->blocked);
	/* Idle until the vCPU's deadline: the idle CPU's time reaches it. */
	CHECK(!steps(0, 1));
	CHECK_EQ(atomic_load(&host_now), 500);
	CHECK_EQ(v->arch.entries, 1);
	CHECK(!steps(0, 1)); /* the deadline woke it: it ran, and blocked again */
	CHECK_EQ(v->arch.entries, 2);
	CHECK(v->blocked);
	/* The same deadline does not wake it twice (its interrupt may be one
	 * it cannot take: it would spin through WFI). */
	CHECK(!steps(0, 5));
	CHECK_EQ(v->arch.entries, 2);
	/* A new deadline does. */
	v->arch.timer_deadline = 900;
	CHECK(!steps(0, 2));
	CHECK_EQ(atomic_load(&host_now), 900);
	CHECK_EQ(v->arch.entries, 3);
}

TEST(sched_timer_deadline_wakes_once)
{
	isolated(timer_wakes_once);
}

/* --- Time slices ---------------------------------------------------------------- */

static void time_slices(void)
{
	machine(1);
	struct vm *a = make_vm("a", 1), *b = make_vm("b", 1);
	struct vcpu *va = &a->vcpus[0], *vb = &b->vcpus[0];
	struct host_exit sa[] = { RUN, SLICE, RUN, RUN, SLICE, WFI };
	struct host_exit sb[] = { SLICE, RUN, SLICE, WFI };

	host_script(va, sa, 6);
	host_script(vb, sb, 4);
	/* Two vCPUs on one CPU: each run has a slice, and they take turns. */
	CHECK(!steps(0, 1));
	CHECK_EQ(atomic_load(&host_slice_us), SCHED_SLICE_US);
	CHECK_EQ(va->arch.entries, 2);
	CHECK_EQ(vb->arch.entries, 0);
	CHECK(!steps(0, 1));
	CHECK_EQ(va->arch.entries, 2);
	CHECK_EQ(vb->arch.entries, 1);
	CHECK(!steps(0, 1));
	CHECK_EQ(va->arch.entries, 5);
	CHECK(!steps(0, 1));
	CHECK_EQ(vb->arch.entries, 3);
	/* Each blocks in the end; then the CPU idles. */
	CHECK(!steps(0, 2));
	CHECK(va->blocked && vb->blocked);
	CHECK_EQ(va->arch.entries, 6);
	CHECK_EQ(vb->arch.entries, 4);
	CHECK_EQ(va->arch.loads, 3);
	CHECK_EQ(vb->arch.loads, 3);
}

TEST(sched_time_slices_take_turns)
{
	isolated(time_slices);
}

/* --- CPU_ON and CPU_OFF ----------------------------------------------------------- */

static void cpu_on_then_off(void)
{
	machine(2);
	struct vm *vm = make_vm("a", 2);
	struct vcpu *v0 = &vm->vcpus[0], *v1 = &vm->vcpus[1];
	struct host_exit s0[] = { smccc(PSCI_CPU_ON64, 1, RAM_BASE + 0x1000, 77), WFI,
				  smccc(PSCI_AFFINITY_INFO64, 1, 0, 0), WFI };
	struct host_exit s1[] = { RUN, smccc(PSCI_CPU_OFF, 0, 0, 0) };
	unsigned int kicks = atomic_load(&host_kicks);

	host_script(v0, s0, 4);
	host_script(v1, s1, 2);
	CHECK_EQ(atomic_load(&v1->power), VCPU_OFF);
	/* CPU 1 has nothing to run before the CPU_ON. */
	CHECK(!steps(1, 1));
	CHECK_EQ(v1->arch.entries, 0);
	/* vCPU 0 starts vCPU 1 (its home is CPU 1, which is kicked) and blocks. */
	CHECK(!steps(0, 1));
	CHECK_EQ(v0->arch.regs[0], 0);
	CHECK_EQ(atomic_load(&v1->power), VCPU_ON_PENDING);
	CHECK(atomic_load(&host_kicks) > kicks);
	CHECK_EQ(v1->arch.reset_entry, RAM_BASE + 0x1000);
	CHECK_EQ(v1->arch.regs[0], 77); /* x0: the context ID */
	/* vCPU 1 runs and turns itself off: OFF only once it left the guest. */
	CHECK(!steps(1, 1));
	CHECK_EQ(v1->arch.entries, 2);
	CHECK_EQ(atomic_load(&v1->power), VCPU_OFF);
	CHECK(!steps(1, 2));
	CHECK_EQ(v1->arch.entries, 2);
	/* vCPU 0, woken, sees it off (AFFINITY_INFO 1). */
	vcpu_wake(v0);
	CHECK(!steps(0, 1));
	CHECK_EQ(v0->arch.regs[0], 1);
	CHECK_EQ(v0->arch.bad_loads + v1->arch.bad_loads, 0);
}

TEST(sched_cpu_on_then_cpu_off)
{
	isolated(cpu_on_then_off);
}

/* --- Races, on two threads ------------------------------------------------------- */

struct cpu_thread {
	pthread_t t;
	unsigned int cpu;
	bool powered_off;
};

static void *cpu_thread_main(void *arg)
{
	struct cpu_thread *c = arg;

	c->powered_off = host_cpu_run(&pcpus[c->cpu], 0);
	return NULL;
}

/* Run CPUs 0 and 1 on threads until the machine powers off; how many of
 * them saw the power-off. */
static unsigned int run_two_cpus(void)
{
	struct cpu_thread c[2] = { { .cpu = 0 }, { .cpu = 1 } };

	atomic_store(&host_cpus_stop, false);
	for (int i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&c[i].t, NULL, cpu_thread_main, &c[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(c[i].t, NULL);
	return c[0].powered_off + c[1].powered_off;
}

static atomic_uint on_answers[8];

/* vCPU 0's guest: CPU_ON vCPU 1 again and again, counting the answers. */
static enum vcpu_next cpu_on_again(struct vcpu *v)
{
	struct fw_call c = { .id = PSCI_CPU_ON64, .arg = (const uint64_t[6]){ 1, RAM_BASE + 0x2000, 5 } };

	fw_dispatch(v, FW_ABI_SMCCC, &c);
	atomic_fetch_add(&on_answers[-(int64_t)c.ret[0] & 7], 1);
	return c.next;
}

static void cpu_on_races_reset(void)
{
	machine(2);
	struct vm *vm = make_vm("a", 2);
	struct vcpu *v0 = &vm->vcpus[0], *v1 = &vm->vcpus[1];
	struct host_exit s0[] = { { .kind = HOST_EXIT_FN, .fn = cpu_on_again, .repeat = 3000 },
				  smccc(PSCI_SYSTEM_OFF, 0, 0, 0) };
	struct host_exit s1[] = { { .kind = HOST_EXIT_SMCCC, .id = PSCI_CPU_OFF, .repeat = 100000 } };

	host_script(v0, s0, 2);
	host_script(v1, s1, 1);
	CHECK_EQ(run_two_cpus(), 1);
	CHECK_EQ(atomic_load(&host_power_offs), 1);
	/* However the CPU_ONs and the target's own CPU_OFFs interleaved, it
	 * was never loaded before its reset was done nor reset while loaded. */
	CHECK_EQ(v1->arch.bad_loads, 0);
	CHECK_EQ(v1->arch.bad_resets, 0);
	CHECK_EQ(v0->arch.bad_loads, 0);
	/* Every CPU_ON got an architected answer: SUCCESS (0), ALREADY_ON
	 * (-4) or ON_PENDING (-5); each SUCCESS reset and started it once. */
	unsigned int ok = atomic_load(&on_answers[0]);
	CHECK_EQ(ok + atomic_load(&on_answers[4]) + atomic_load(&on_answers[5]), 3001);
	CHECK(ok >= 1);
	CHECK_EQ(v1->arch.resets, ok);
	CHECK_EQ(v1->arch.loads, v1->arch.puts);
	CHECK(v1->arch.loads <= ok);
	CHECK_EQ(atomic_load(&vm->stop), VM_STOP_OFF);
}

TEST(sched_cpu_on_races_the_targets_reset)
{
	isolated(cpu_on_races_reset);
}

/*
 * SYSTEM_OFF on one vCPU while another asks for SYSTEM_RESET: the first
 * request wins, exactly one CPU carries it out once both vCPUs are out of
 * the guest, and a reset VM boots again (and then powers off). Both are
 * asked from inside the guest, on two CPUs at once.
 */
enum race_order { RACE_ANY, RACE_OFF_FIRST, RACE_RESET_FIRST };
static enum race_order race_order;

static enum vcpu_next psci_call(struct vcpu *v, uint64_t id)
{
	struct fw_call c = { .id = id, .arg = (const uint64_t[6]){ 0 } };

	fw_dispatch(v, FW_ABI_SMCCC, &c);
	return c.next;
}

static void wait_stop(struct vm *vm, enum vm_stop why)
{
	while (atomic_load(&vm->stop) != why)
		sched_yield();
}

/* vCPU 0: once vCPU 1 is in the guest (or has asked), SYSTEM_RESET. */
static enum vcpu_next v0_reset(struct vcpu *v)
{
	struct vcpu *v1 = &v->vm->vcpus[1];

	while (!__atomic_load_n(&v1->arch.entries, __ATOMIC_ACQUIRE))
		sched_yield();
	if (race_order == RACE_OFF_FIRST)
		wait_stop(v->vm, VM_STOP_OFF);
	return psci_call(v, PSCI_SYSTEM_RESET);
}

static enum vcpu_next v1_off(struct vcpu *v)
{
	if (race_order == RACE_RESET_FIRST)
		wait_stop(v->vm, VM_STOP_RESET);
	return psci_call(v, PSCI_SYSTEM_OFF);
}

static void off_races_reset(void)
{
	machine(2);
	struct vm *vm = make_vm("a", 2);
	struct vcpu *v0 = &vm->vcpus[0], *v1 = &vm->vcpus[1];
	struct host_exit s0[] = { smccc(PSCI_CPU_ON64, 1, RAM_BASE + 0x1000, 0),
				  { .kind = HOST_EXIT_FN, .fn = v0_reset },
				  smccc(PSCI_SYSTEM_OFF, 0, 0, 0) };
	struct host_exit s1[] = { { .kind = HOST_EXIT_FN, .fn = v1_off } };

	host_script(v0, s0, 3);
	host_script(v1, s1, 1);
	CHECK_EQ(run_two_cpus(), 1);
	CHECK_EQ(atomic_load(&host_power_offs), 1);
	CHECK_EQ(atomic_load(&vm->stop), VM_STOP_OFF);
	/* Reset at most once: by then vCPU 0's next call is SYSTEM_OFF. */
	CHECK(vm->arch.resets <= 1);
	if (race_order == RACE_OFF_FIRST)
		CHECK_EQ(vm->arch.resets, 0);
	if (race_order == RACE_RESET_FIRST)
		CHECK_EQ(vm->arch.resets, 1);
	/* A reset booted vCPU 0 again: a second reset of it. */
	CHECK_EQ(v0->arch.resets, 1 + vm->arch.resets);
	CHECK(!v0->arch.loaded && !v1->arch.loaded);
	CHECK(!v0->running_on && !v1->running_on);
	CHECK_EQ(v0->arch.bad_loads + v1->arch.bad_loads + v1->arch.bad_resets, 0);
}

TEST(sched_system_off_races_system_reset)
{
	race_order = RACE_OFF_FIRST;
	isolated(off_races_reset);
	race_order = RACE_RESET_FIRST;
	isolated(off_races_reset);
	/* Asked at the same time: whichever wins, the same rules hold. */
	race_order = RACE_ANY;
	for (int i = 0; i < 6; i++)
		isolated(off_races_reset);
}

/* --- The last VM stopping ------------------------------------------------------------ */

static void last_vm_powers_off(void)
{
	machine(1);
	struct vm *a = make_vm("a", 1), *b = make_vm("b", 1);
	struct host_exit sa[] = { smccc(PSCI_SYSTEM_OFF, 0, 0, 0) };
	struct host_exit sb[] = { RUN, RUN, SLICE, smccc(PSCI_SYSTEM_RESET, 0, 0, 0),
				  smccc(PSCI_SYSTEM_OFF, 0, 0, 0) };

	host_script(&a->vcpus[0], sa, 1);
	host_script(&b->vcpus[0], sb, 5);
	/* VM a stops; the machine stays on for b. */
	CHECK(!steps(0, 1));
	CHECK_EQ(atomic_load(&a->stop), VM_STOP_OFF);
	CHECK_EQ(atomic_load(&host_power_offs), 0);
	/* b runs alone now: its preemption does not bring a back. */
	CHECK(!steps(0, 2));
	CHECK_EQ(a->vcpus[0].arch.entries, 1);
	CHECK_EQ(b->vcpus[0].arch.entries, 4);
	/* b reset itself: its RAM is clean again and it boots from its image. */
	CHECK_EQ(b->arch.resets, 1);
	CHECK_EQ(atomic_load(&b->stop), VM_RUNNING);
	CHECK_EQ(atomic_load(&b->vcpus[0].power), VCPU_ON_PENDING);
	CHECK_EQ(b->vcpus[0].arch.resets, 2);
	/* The last vCPU of the last VM stops: the machine powers off. */
	CHECK(steps(0, 5));
	CHECK_EQ(atomic_load(&host_power_offs), 1);
	CHECK_EQ(atomic_load(&b->stop), VM_STOP_OFF);
}

TEST(sched_last_vm_stopping_powers_off)
{
	isolated(last_vm_powers_off);
}

/* A stop asked while the vCPU is blocked on another CPU: it is carried out
 * without the blocked vCPU ever running again. */
static void stop_while_blocked(void)
{
	machine(2);
	struct vm *vm = make_vm("a", 2);
	struct vcpu *v0 = &vm->vcpus[0], *v1 = &vm->vcpus[1];
	struct host_exit s0[] = { smccc(PSCI_CPU_ON64, 1, RAM_BASE, 0), WFI,
				  smccc(PSCI_SYSTEM_OFF, 0, 0, 0) };
	struct host_exit s1[] = { WFI, RUN };

	host_script(v0, s0, 3);
	host_script(v1, s1, 2);
	CHECK(!steps(0, 1));
	CHECK(!steps(1, 1));
	CHECK(v0->blocked && v1->blocked);
	vcpu_wake(v0);
	CHECK(steps(0, 1));
	CHECK_EQ(v1->arch.entries, 1);
	CHECK_EQ(atomic_load(&vm->stop), VM_STOP_OFF);
}

TEST(sched_stop_while_another_vcpu_is_blocked)
{
	isolated(stop_while_blocked);
}

/* A VM that cannot be made gives back what it took and joins no run queue. */
static void failed_vm_leaves_nothing(void)
{
	machine(1);
	uint64_t free_before = tern_pool.free_bytes;
	struct vm_config cfg = { .vcpus = 1, .mem_size = 4 * MiB, .name = "bad" };
	const char *why = NULL;

	cfg.kernel.data = kernel;
	cfg.kernel.size = sizeof(kernel);
	host_vm_init_rc = -1;
	CHECK(vm_create(&vms[0], &cfg, &why) != 0);
	CHECK_STR(why, "the host arch was told to refuse this VM");
	host_vm_init_rc = 0;
	CHECK_EQ(tern_pool.free_bytes, free_before);
	CHECK_EQ(sched_load(&pcpus[0]), 0);
	cfg.mem_size = 128 * MiB; /* more than the 64 MiB machine has */
	CHECK(vm_create(&vms[0], &cfg, &why) != 0);
	CHECK_STR(why, "not enough free memory for the VM's RAM");
	CHECK_EQ(tern_pool.free_bytes, free_before);
	CHECK_EQ(sched_load(&pcpus[0]), 0);
}

TEST(vm_create_failure_leaves_nothing)
{
	isolated(failed_vm_leaves_nothing);
}
