/*
 * From the guest bundle to running VMs. The bundle is tern's initrd (QEMU
 * -initrd, U-Boot booti's second argument): its memory was kept out of the
 * page pool at boot, and VM images point into it for resets.
 */
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/printk.h>
#include <tern/sched.h>
#include <tern/vm.h>
#include <tern/vm_start.h>

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
