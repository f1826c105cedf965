/*
 * The host arch's guests: scripted fakes of the whole guest half of the
 * arch contract. A vCPU's guest is a list of exits (arch/vcpu.h) that
 * arch_vcpu_enter replays one per entry; its firmware calls go to the real
 * registry and services. Time is host_now, moved by the tests and by an
 * idle CPU to the deadline it waits for; a physical CPU is a thread in
 * host_cpu_run, which a power-off ends (arch_system_off jumps back to it).
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <sched.h>
#include <arch/host.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/fwcall.h>
#include <tern/sched.h>
#include <tern/vm.h>

_Atomic uint64_t host_now;
atomic_uint host_kicks, host_idles, host_power_offs, host_machine_resets;
_Atomic uint64_t host_slice_us;
int host_vm_init_rc;
int host_dt_nodes_rc;
unsigned int host_dt_nodes_calls;
struct host_irq_record host_irq;
atomic_bool host_cpus_stop;

/* Where host_cpu_run waits for a power-off on this thread. */
static _Thread_local jmp_buf *cpu_exit;

/* --- Time, idling, the machine --------------------------------------------- */

uint64_t arch_counter(void)
{
	return atomic_load(&host_now);
}

void arch_set_slice_timer(uint64_t us)
{
	atomic_store(&host_slice_us, us);
}

/* Nothing to run: the deadline comes (time moves to it), or another CPU's
 * thread gets a turn to wake this one. */
void arch_idle(uint64_t deadline)
{
	uint64_t now = atomic_load(&host_now);

	atomic_fetch_add(&host_idles, 1);
	while (deadline != UINT64_MAX && now < deadline &&
	       !atomic_compare_exchange_weak(&host_now, &now, deadline))
		;
	sched_yield();
}

/* The machine stops: count it, and end host_cpu_run on this thread. */
static noreturn void machine_stop(atomic_uint *count, const char *what)
{
	atomic_fetch_add(count, 1);
	if (cpu_exit)
		longjmp(*cpu_exit, 1);
	fprintf(stderr, "%s() outside host_cpu_run\n", what);
	abort();
}

noreturn void arch_system_off(void)
{
	machine_stop(&host_power_offs, "arch_system_off");
}

noreturn void arch_system_reset(void)
{
	machine_stop(&host_machine_resets, "arch_system_reset");
}

bool host_cpu_run(struct pcpu *cpu, unsigned int max_steps)
{
	jmp_buf here;
	volatile unsigned int steps = 0;
	int why;

	arch_set_this_cpu(cpu);
	cpu_exit = &here;
	why = setjmp(here);
	if (why) {
		atomic_store(&host_cpus_stop, true); /* the machine is off: every CPU stops */
	} else {
		while (!atomic_load(&host_cpus_stop) && (!max_steps || steps < max_steps)) {
			sched_step();
			steps++;
		}
	}
	cpu_exit = NULL;
	return why == 1;
}

void arch_kick_cpu(struct pcpu *target)
{
	atomic_fetch_add(&host_kicks, 1);
}

int arch_host_irq_request(const uint32_t *dt_cells, int n, void (*handler)(void *ctx), void *ctx)
{
	return -E_NOTSUP; /* the host has no devices */
}

/* --- VMs --------------------------------------------------------------------- */

/* Stage 2 on the host: a 39-bit, 3-level 4 KiB table with a plain encoding
 * (address | prot << 2 | table << 1 | valid). */
static const struct pt_geometry s2_geo = {
	.levels = 3, .page_shift = 12, .level_bits = 9, .root_bits = 9, .block_min_level = 1,
};
#define S2_VALID 1ull
#define S2_TABLE 2ull
#define S2_ADDR (((1ull << 48) - 1) & ~0xfffull)

static pte_t s2_table(paddr_t next)
{
	return next | S2_TABLE | S2_VALID;
}

static pte_t s2_leaf(paddr_t pa, unsigned int prot, bool last_level)
{
	return pa | ((pte_t)prot << 2) | (last_level ? S2_TABLE : 0) | S2_VALID;
}

static bool s2_is_valid(pte_t pte)
{
	return pte & S2_VALID;
}

static bool s2_is_table(pte_t pte, bool last_level)
{
	return (pte & S2_VALID) && (pte & S2_TABLE) && !last_level;
}

static paddr_t s2_addr(pte_t pte)
{
	return pte & S2_ADDR;
}

static unsigned int s2_prot(pte_t pte)
{
	return (pte >> 2) & 0x3ff;
}

static const struct pt_format s2_format = {
	.geo = &s2_geo, .table = s2_table, .leaf = s2_leaf, .is_valid = s2_is_valid,
	.is_table = s2_is_table, .addr = s2_addr, .prot = s2_prot,
};

int arch_vm_init(struct vm *vm, const char **why)
{
	if (host_vm_init_rc)
		*why = "the host arch was told to refuse this VM";
	return host_vm_init_rc;
}

const struct pt_format *arch_stage2_format(const struct vm *vm)
{
	return &s2_format;
}

void arch_stage2_flush(struct vm *vm)
{
}

void arch_vm_reset(struct vm *vm)
{
	vm->arch.resets++;
}

bool arch_vm_starts_all_vcpus(const struct vm *vm)
{
	return false;
}

void arch_guest_image_sync(uintptr_t base, size_t size)
{
}

void arch_vm_set_irq(struct vm *vm, uint32_t line, bool level)
{
	host_irq.calls++;
	host_irq.vm = vm;
	host_irq.line = line;
	host_irq.level = level;
}

/* --- The guest device tree: a /cpus node and an interrupt controller ------- */

int arch_guest_dt_nodes(struct vm *vm, void *fdt)
{
	int rc;

	host_dt_nodes_calls++;
	if (host_dt_nodes_rc)
		return host_dt_nodes_rc;
	rc = fdt_begin_node(fdt, "cpus");
	if (!rc)
		rc = fdt_property_u32(fdt, "#address-cells", 1);
	if (!rc)
		rc = fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned int i = 0; i < vm->cfg.vcpus && !rc; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		rc = fdt_begin_node(fdt, name);
		if (!rc)
			rc = fdt_property_string(fdt, "device_type", "cpu");
		if (!rc)
			rc = fdt_property_u32(fdt, "reg", i);
		if (!rc)
			rc = fdt_end_node(fdt);
	}
	if (!rc)
		rc = fdt_end_node(fdt);
	if (!rc)
		rc = fdt_begin_node(fdt, "intc");
	if (!rc)
		rc = fdt_property(fdt, "interrupt-controller", "", 0);
	if (!rc)
		rc = fdt_property_u32(fdt, "phandle", HOST_INTC_PHANDLE);
	if (!rc)
		rc = fdt_end_node(fdt);
	return rc ? -E_NOMEM : 0;
}

uint32_t arch_guest_dt_intc_phandle(const struct vm *vm)
{
	return HOST_INTC_PHANDLE;
}

bool arch_guest_dt_root_intc(const struct vm *vm)
{
	return true;
}

/* GIC-style cells for a small line number, PLIC-style (one cell) above. */
int arch_guest_dt_irq_cells(const struct vm *vm, uint32_t line, uint32_t *cells, int max)
{
	if (line >= 8) {
		cells[0] = line;
		return 1;
	}
	if (max < 3)
		return -E_RANGE;
	cells[0] = 0;
	cells[1] = line;
	cells[2] = 4;
	return 3;
}

/* --- vCPUs ---------------------------------------------------------------------- */

void arch_vcpu_init(struct vcpu *v)
{
	v->hwid = v->id;
	v->arch.timer_deadline = UINT64_MAX;
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	if (v->arch.loaded && __atomic_load_n(&v->running_on, __ATOMIC_ACQUIRE) != this_cpu())
		v->arch.bad_resets++;
	/* A reset takes a while (on hardware: every register of the vCPU):
	 * another CPU that loads the vCPU meanwhile would run it half reset. */
	__atomic_store_n(&v->arch.in_reset, true, __ATOMIC_RELEASE);
	v->arch.reset_entry = entry;
	v->arch.reset_arg = arg;
	v->arch.startable_in_reset = vcpu_startable(v);
	for (int i = 0; i < 3; i++)
		sched_yield();
	v->arch.pc = entry;
	v->arch.regs[0] = arg;
	v->arch.resets++;
	__atomic_store_n(&v->arch.in_reset, false, __ATOMIC_RELEASE);
}

void host_script(struct vcpu *v, const struct host_exit *exits, unsigned int n)
{
	if (n > HOST_SCRIPT_MAX) {
		fprintf(stderr, "host_script: %u exits, at most %u\n", n, HOST_SCRIPT_MAX);
		abort();
	}
	memcpy(v->arch.script, exits, n * sizeof(*exits));
	v->arch.script_len = n;
	v->arch.script_pos = 0;
	v->arch.script_rep = 0;
}

void arch_vcpu_load(struct vcpu *v)
{
	if (v->arch.loaded) {
		fprintf(stderr, "vCPU %u of %s loaded twice\n", v->id, v->vm->name);
		abort();
	}
	if (atomic_load(&v->power) != VCPU_ON || __atomic_load_n(&v->arch.in_reset, __ATOMIC_ACQUIRE))
		v->arch.bad_loads++;
	v->arch.loaded = true;
	v->arch.loads++;
}

void arch_vcpu_put(struct vcpu *v)
{
	v->arch.loaded = false;
	v->arch.puts++;
}

/* A firmware call as arm64 makes it: function ID in x0, results in x0-x3. */
static enum vcpu_next firmware_call(struct vcpu *v, const struct host_exit *e)
{
	const uint64_t args[6] = { e->arg[0], e->arg[1], e->arg[2] };
	struct fw_call c = { .id = e->id, .arg = args };
	unsigned int resets = v->arch.resets;

	fw_dispatch(v, FW_ABI_SMCCC, &c);
	if (v->arch.resets == resets)
		memcpy(v->arch.regs, c.ret, sizeof(c.ret));
	return c.next;
}

enum vcpu_next arch_vcpu_enter(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	const struct host_exit *e;

	a->entries++;
	if (a->script_pos >= a->script_len)
		return arch_vcpu_irq_pending(v) ? VCPU_NEXT_PREEMPT : VCPU_NEXT_BLOCK;
	e = &a->script[a->script_pos];
	if (a->script_rep < e->repeat) {
		a->script_rep++;
	} else {
		a->script_pos++;
		a->script_rep = 0;
	}
	switch (e->kind) {
	case HOST_EXIT_RUN:
		return VCPU_NEXT_RUN;
	case HOST_EXIT_WFI:
		return arch_vcpu_irq_pending(v) ? VCPU_NEXT_RUN : VCPU_NEXT_BLOCK;
	case HOST_EXIT_SMCCC:
		return firmware_call(v, e);
	case HOST_EXIT_SLICE:
		return VCPU_NEXT_PREEMPT;
	case HOST_EXIT_FN:
		return e->fn(v);
	default:
		a->script_pos = a->script_len;
		return VCPU_NEXT_BLOCK;
	}
}

bool arch_vcpu_irq_pending(struct vcpu *v)
{
	return v->arch.irq_pending || vcpu_event_due(v);
}

uint64_t arch_vcpu_timer_deadline(struct vcpu *v)
{
	return v->arch.timer_deadline;
}

/* --- Firmware events ------------------------------------------------------------ */

void arch_event_return(struct vcpu *v, bool resume, uint64_t resume_addr)
{
}

uint64_t arch_event_saved_reg(const struct vcpu *v, unsigned int n)
{
	return 0;
}
