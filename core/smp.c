/*
 * Secondary CPU bring-up. CPUs are started one at a time, in device-tree
 * order, so their "online" lines come out in a stable order. Waiting uses
 * arch_cpu_relax() (WFE on arm64): the starting CPU signals with
 * arch_cpu_wake_all() once it is online.
 */
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/host_mmu.h>
#include <tern/printk.h>
#include <tern/smp.h>
#include <tern/vm_start.h>
#include <generated/config.h>

unsigned int smp_boot(const struct platform *p)
{
	unsigned int left_off = 0;

	for (unsigned int i = 0; i < p->nr_cpus; i++) {
		uint64_t hwid = p->cpus[i].hwid;

		if (hwid == pcpus[0].hwid)
			continue;
		if (nr_pcpus == NR_CPUS) {
			left_off++;
			continue;
		}
		struct pcpu *c = &pcpus[nr_pcpus];
		c->id = nr_pcpus;
		c->hwid = hwid;
		c->stack_top = (uintptr_t)cpu_stacks[c->id] + STACK_SIZE;
		atomic_store(&c->online, false);

		int err = arch_start_cpu(c, p);
		if (err) {
			pr_warn("tern: %s %#llx did not start: %s\n", arch_hwid_name,
				(unsigned long long)hwid, tern_strerror(err));
			continue;
		}
		nr_pcpus++;
		while (!atomic_load(&c->online))
			arch_cpu_relax();
	}
	if (left_off)
		pr_warn("tern: %u CPUs left off: CONFIG_NR_CPUS is %u\n", left_off, NR_CPUS);
	return nr_pcpus;
}

noreturn void tern_secondary_main(struct pcpu *cpu)
{
	arch_set_this_cpu(cpu);
	arch_cpu_init(cpu);
	host_mmu_enable_secondary();
	arch_irq_cpu_init();
	pr_info("CPU %u online (%s %#llx)\n", cpu->id, arch_hwid_name,
		(unsigned long long)cpu->hwid);
	atomic_store(&cpu->online, true);
	arch_cpu_wake_all();
#if CONFIG_ARCH_HAS_GUESTS
	vms_secondary_enter();
#else
	arch_cpu_halt();
#endif
}
