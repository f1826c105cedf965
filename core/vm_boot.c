/*
 * From the guest bundle to running VMs. The bundle is tern's initrd (QEMU
 * -initrd, U-Boot booti's second argument): its memory was kept out of the
 * page pool at boot, and VM images point into it for resets.
 */
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include <tern/vm_boot.h>

const struct platform *host_platform;
static atomic_bool vms_ready;

/* A bundle was given and nothing of it can run: idling would leave the
 * user a board that looks alive and does nothing. */
static noreturn void no_vm_started(void)
{
	pr_err("tern: no VM could be started; powering off\n");
	arch_system_off();
}

void vms_start(const struct platform *p)
{
	static struct vm_config cfgs[BUNDLE_MAX_VMS];
	struct bundle_error err;
	int n;

	host_platform = p;
	if (!p->initrd_start) {
		pr_info("tern: no guest bundle (boot tern with one as its initrd: see "
			"docs/user-guide.md)\n");
		return;
	}
	n = bundle_parse((const void *)(uintptr_t)p->initrd_start,
			 p->initrd_end - p->initrd_start, cfgs, BUNDLE_MAX_VMS, &err);
	if (n < 0) {
		pr_err("tern: the guest bundle is not valid: %s\n", err.msg);
		no_vm_started();
	}
	for (int i = 0; i < n && nr_vms < VM_MAX_VMS; i++) {
		const char *why = "";
		struct vm *vm = &vms[nr_vms];
		int e = vm_create(vm, &cfgs[i], &why);

		if (e) {
			/* One bad VM does not keep the others from running. */
			pr_err("tern: %s not started: %s\n", cfgs[i].name, why);
			continue;
		}
		nr_vms++;
	}
	if (nr_vms == 0)
		no_vm_started();
	atomic_store(&vms_ready, true);
	arch_cpu_wake_all();
	sched_run();
}

noreturn void vms_secondary_enter(void)
{
	while (!atomic_load(&vms_ready))
		arch_cpu_relax();
	sched_run();
}

noreturn void vms_all_stopped(void)
{
	/* What tern needed: its own peak, and each VM's beyond its RAM (its
	 * stage-2 tables), from the page allocator's accounts (make bench). */
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
