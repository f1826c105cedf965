/*
 * Creating, resetting and stopping VMs. A VM's RAM is one contiguous,
 * 2 MiB aligned range from tern's pool (so stage-2 can use block mappings),
 * mapped at the host's RAM base: guests see the memory map of the board.
 */
#include <string.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/fwcall.h>
#include <tern/guest_loader.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include <tern/vm_start.h>
#include <tern/vuart.h>

#define VM_RAM_ALIGN (2ULL << 20)

struct vm vms[VM_MAX_VMS];
unsigned int nr_vms;

/* Stage-2 tables: pages from the VM's reserve, anything else (a root
 * larger than a page, or before the reserve exists) from the pool. */
static void *s2_alloc_table(void *ctx, size_t size, paddr_t *pa)
{
	struct vm *vm = ctx;
	paddr_t p;

	if (size == PAGE_SIZE && vm->s2_reserve) {
		p = vm->s2_reserve;
		vm->s2_reserve = *(paddr_t *)(uintptr_t)p;
	} else {
		p = pool_alloc(&tern_pool, &vm->acct, size, size);
		if (!p)
			return NULL;
		if (size == PAGE_SIZE)
			vm->s2_reserved++; /* one more page the reserve will keep */
	}
	memset((void *)(uintptr_t)p, 0, size);
	*pa = p;
	return (void *)(uintptr_t)p;
}

/* Pages go back to the reserve (vm_release returns it to the pool). */
static void s2_free_table(void *ctx, void *va, size_t size)
{
	struct vm *vm = ctx;

	if (size == PAGE_SIZE) {
		*(paddr_t *)va = vm->s2_reserve;
		vm->s2_reserve = (uintptr_t)va;
		return;
	}
	pool_free(&tern_pool, &vm->acct, (uintptr_t)va, size);
}

/* Set aside the table pages mapping every page of the VM's RAM can take,
 * and a few for the device pages the arch maps beside it. */
static int s2_reserve(struct vm *vm)
{
	const struct pt_geometry *g = vm->s2.fmt->geo;
	uint64_t n = pt_tables_to_map(g, vm->ram_ipa, vm->ram_size) + 2 * (g->levels - 1);

	for (uint64_t i = 0; i < n; i++) {
		paddr_t p = pool_alloc(&tern_pool, &vm->acct, PAGE_SIZE, PAGE_SIZE);

		if (!p)
			return -E_NOMEM;
		*(paddr_t *)(uintptr_t)p = vm->s2_reserve;
		vm->s2_reserve = p;
		vm->s2_reserved++;
	}
	return 0;
}

static void *s2_phys_to_virt(void *ctx, paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

/* Which firmware services a VM gets: all its arch has, or for sbi = v0.1
 * the legacy SBI calls only (include/tern/fwcall.h). */
static uint32_t vm_services(const struct vm_config *cfg)
{
	return cfg->sbi == SBI_LEVEL_V01 ? FW_SERVICES_SBI_V01 : FW_SERVICES_ALL;
}

/* Load images, reset every vCPU, start vCPU 0. */
static int vm_boot(struct vm *vm, const char **why)
{
	struct guest_layout l;
	int err = guest_load(vm, &l, why);

	if (err)
		return err;
	/* The guest starts with its MMU and caches off: what tern wrote
	 * through its cacheable mapping must reach memory first. */
	arch_guest_image_sync(vm->ram_pa + (l.kernel_start - vm->ram_ipa),
			      l.kernel_end - l.kernel_start);
	if (l.initrd_start)
		arch_guest_image_sync(vm->ram_pa + (l.initrd_start - vm->ram_ipa), l.initrd_size);
	arch_guest_image_sync(vm->ram_pa + (l.dtb - vm->ram_ipa), l.dtb_size);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		atomic_store(&v->power, VCPU_OFF);
		vcpu_events_reset(v);
		atomic_store(&v->wake, false);
		v->blocked = false;
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if (i && !arch_vm_starts_all_vcpus(vm))
			break;
		arch_vcpu_reset(&vm->vcpus[i], l.entry, l.dtb);
		atomic_store(&vm->vcpus[i].power, VCPU_ON_PENDING);
	}
	pr_info("%s: %u vCPU%s, %llu MiB at %#llx, kernel entry %#llx, dtb %#llx\n", vm->name,
		vm->nr_vcpus, vm->nr_vcpus == 1 ? "" : "s",
		(unsigned long long)(vm->ram_size >> 20), (unsigned long long)vm->ram_ipa,
		(unsigned long long)l.entry, (unsigned long long)l.dtb);
	return 0;
}

/* Give back what a VM took from the pool: its stage-2 tables (and their
 * reserve) and its RAM. */
static void vm_release(struct vm *vm)
{
	if (vm->s2.root)
		pt_destroy(&vm->s2);
	while (vm->s2_reserve) {
		paddr_t p = vm->s2_reserve;

		vm->s2_reserve = *(paddr_t *)(uintptr_t)p;
		pool_free(&tern_pool, &vm->acct, p, PAGE_SIZE);
	}
	vm->s2_reserved = 0;
	if (vm->ram_pa)
		pool_free(&tern_pool, &vm->acct, vm->ram_pa, vm->ram_size);
	vm->ram_pa = 0;
}

static int vm_setup(struct vm *vm, const struct vm_config *cfg, const char **why)
{
	const struct platform *p = host_platform;
	int err;

	memset(vm, 0, sizeof(*vm));
	vm->id = (unsigned int)(vm - vms);
	vm->cfg = *cfg;
	vm->name = vm->cfg.name;
	vm->acct.name = vm->cfg.name;
	vm->services = vm_services(cfg);
	if (cfg->vcpus < 1 || cfg->vcpus > VM_MAX_VCPUS) {
		*why = "vcpus must be between 1 and 16";
		return -E_INVAL;
	}
	vm->nr_vcpus = cfg->vcpus;

	vm->ram_size = ALIGN_UP(cfg->mem_size, VM_RAM_ALIGN);
	vm->ram_ipa = p->mem[0].base;
	vm->ram_pa = pool_alloc(&tern_pool, &vm->acct, vm->ram_size, VM_RAM_ALIGN);
	if (!vm->ram_pa) {
		*why = "not enough free memory for the VM's RAM";
		return -E_NOMEM;
	}
	memset((void *)(uintptr_t)vm->ram_pa, 0, vm->ram_size);

	err = arch_vm_init(vm, why);
	if (err)
		return err;
	static const struct pt_mm_ops ops_template = {
		s2_alloc_table, s2_free_table, s2_phys_to_virt, NULL
	};
	vm->s2_ops = ops_template;
	vm->s2_ops.ctx = vm;
	/* Guest RAM is populated on first touch (vm_stage2_populate): the
	 * tables start empty. */
	err = pt_init(&vm->s2, arch_stage2_format(vm), &vm->s2_ops);
	if (err) {
		*why = "cannot build the VM's stage-2 tables";
		return err;
	}
	err = s2_reserve(vm);
	if (err) {
		*why = "not enough free memory for the VM's stage-2 tables";
		return err;
	}
	err = vuart_create(vm, &p->uart, why);
	if (err)
		return err;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->id = i;
		v->vm = vm;
		v->events.lock = (spinlock_t)SPINLOCK_INIT;
		arch_vcpu_init(v);
	}
	err = vm_boot(vm, why);
	if (err)
		return err;
	/* Only a VM that booted joins the run queues: a failed one leaves no
	 * trace there (its slot is reused for the next VM). */
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		sched_assign(&vm->vcpus[i], &pcpus[i % nr_pcpus]);
	return 0;
}

int vm_create(struct vm *vm, const struct vm_config *cfg, const char **why)
{
	int err = vm_setup(vm, cfg, why);

	/* A VM that failed keeps nothing: the VMs after it get its memory. */
	if (err)
		vm_release(vm);
	return err;
}

int vm_stage2_populate(struct vm *vm, paddr_t ipa)
{
	paddr_t page = ALIGN_DOWN(ipa, (paddr_t)PAGE_SIZE);
	int err;

	if (!guest_ram_contains(vm, ipa, 1))
		return -E_NOENT;
	spin_lock(&vm->s2_lock);
	err = pt_map_page(&vm->s2, page, vm->ram_pa + (page - vm->ram_ipa), PT_RWX);
	if (!err)
		vm->s2_populated++;
	spin_unlock(&vm->s2_lock);
	if (err == -E_NOMEM && !vm->s2_nomem_reported) {
		/* Cannot happen with the reserve; say so should it ever. */
		vm->s2_nomem_reported = true;
		pr_err("%s: out of memory for stage-2 tables: its access at %#llx gets an abort\n",
		       vm->name, (unsigned long long)ipa);
	}
	/* Mapped already: another vCPU touched it since this one faulted. */
	return err == -E_EXIST ? 0 : err;
}

int vm_reset(struct vm *vm)
{
	const char *why;
	int err;

	/* A reset starts from the images again in a clean RAM, as a board would. */
	memset((void *)(uintptr_t)vm->ram_pa, 0, vm->ram_size);
	vuart_reset(vm);
	arch_vm_reset(vm);
	err = vm_boot(vm, &why);
	if (err)
		pr_err("%s: reset failed: %s\n", vm->name, why);
	return err;
}

/* Every VM has stopped for good: say what tern and each VM needed (its
 * own peak, and each VM's beyond its RAM, from the page allocator's
 * accounts; make bench reads these) and power the machine off. */
static noreturn void vms_all_stopped(void)
{
	pr_info("tern: peak memory: tern %llu KiB\n", (unsigned long long)(tern_account.peak >> 10));
	for (unsigned int i = 0; i < nr_vms; i++) {
		uint64_t extra = vms[i].acct.peak > vms[i].ram_size ? vms[i].acct.peak - vms[i].ram_size : 0;

		pr_info("tern: peak memory: %s %llu KiB beyond its RAM; %llu KiB of RAM touched\n",
			vms[i].name, (unsigned long long)(extra >> 10),
			(unsigned long long)(vms[i].s2_populated * PAGE_SIZE >> 10));
	}
	if (printk_errors())
		pr_info("tern: %u error messages were printed\n", printk_errors());
	pr_info("tern: every VM has stopped; powering off\n");
	arch_system_off();
}

void vm_stop_finish(struct vm *vm)
{
	unsigned int expected = 0;

	/* Exactly one CPU carries the stop out: the one that wins stop_owner. */
	if (!atomic_compare_exchange_strong(&vm->stop_owner, &expected, 1))
		return;
	/* Bounded: every vCPU of the VM was kicked by vm_request_stop, and
	 * one in the guest leaves it at its next exit. */
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		while (__atomic_load_n(&vm->vcpus[i].running_on, __ATOMIC_ACQUIRE))
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
