/*
 * The boot CPU's path from entry to idle: read the device tree, bring up the
 * console, check the CPU can host guests, take over memory, turn the MMU on,
 * start the other CPUs. Every failure here is reported on whatever output
 * exists and ends in a low-power stop, never a silent spin.
 */
#include <string.h>
#include <generated/config.h>
#include <tern/arch.h>
#include <tern/bootargs.h>
#include <tern/console.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/fwcall.h>
#include <tern/host_mmu.h>
#include <tern/page_alloc.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/sections.h>
#include <tern/smp.h>
#include <tern/vm_start.h>

#ifndef TERN_VERSION
#define TERN_VERSION "0.1"
#endif

static struct platform plat;

static noreturn void boot_failed(const char *why)
{
	pr_err("tern: cannot boot: %s\n", why);
	pr_err("tern: stopped\n");
	arch_cpu_halt();
}

static void print_range(const char *label, const struct mem_range *r)
{
	bool mib = (r->size & ((1ULL << 20) - 1)) == 0;

	pr_info("  %-10s [%#llx-%#llx] %llu %s\n", label, (unsigned long long)r->base,
		(unsigned long long)(r->base + r->size - 1),
		(unsigned long long)(r->size >> (mib ? 20 : 10)), mib ? "MiB" : "KiB");
}

static void banner(void)
{
	const struct plat_uart *u = &plat.uart;

	pr_info("\ntern %s (%s) on %s\n", TERN_VERSION, arch_name,
		plat.model ? plat.model : "an unnamed board");
	pr_info("  cpus:      %u in the device tree, tern uses up to %u\n", plat.nr_cpus,
		plat.nr_cpus < NR_CPUS ? plat.nr_cpus : NR_CPUS);
	pr_info("  memory:    %llu MiB in %u bank%s\n",
		(unsigned long long)(platform_mem_total(&plat) >> 20), plat.nr_mem,
		plat.nr_mem == 1 ? "" : "s");
	for (unsigned int i = 0; i < plat.nr_mem; i++)
		print_range("  bank", &plat.mem[i]);
	for (unsigned int i = 0; i < plat.nr_resv; i++)
		print_range("  reserved", &plat.resv[i]);
	pr_info("  console:   %s at %#llx (%s)\n", uart_kind_name(u->kind),
		(unsigned long long)u->base, u->path ? u->path : "?");
	if (plat.intc.kind != INTC_NONE) {
		pr_info("  irqchip:   %s (%s) at %#llx\n", intc_kind_name(plat.intc.kind),
			plat.intc.compatible, (unsigned long long)plat.intc.regs[0].base);
	} else {
		pr_info("  irqchip:   none found\n");
	}
	pr_info("  timer:     %llu Hz\n", (unsigned long long)plat.timer_freq);
	pr_info("  image:     [%#lx-%#lx]\n", (unsigned long)(uintptr_t)__image_start,
		(unsigned long)(uintptr_t)__image_end - 1);
}

/* RAM becomes tern's pool, less its own image, the DTB and reservations. */
static void memory_init(void)
{
	pool_init(&tern_pool);
	for (unsigned int i = 0; i < plat.nr_mem; i++)
		pool_add(&tern_pool, plat.mem[i].base, plat.mem[i].size);
	pool_reserve(&tern_pool, (uintptr_t)__image_start,
		     (uint64_t)(__image_end - __image_start));
	pool_reserve(&tern_pool, plat.fdt_base, plat.fdt_size);
	if (plat.initrd_end > plat.initrd_start) /* the guest bundle */
		pool_reserve(&tern_pool, plat.initrd_start, plat.initrd_end - plat.initrd_start);
	for (unsigned int i = 0; i < plat.nr_resv; i++)
		pool_reserve(&tern_pool, plat.resv[i].base, plat.resv[i].size);
}

/*
 * tern.selftest=guard reads CPU 0's stack guard page once boot is done, so
 * tests can check that tern's own faults are reported in full.
 */
static void run_selftest(void)
{
	char what[16];

	if (!bootarg_get(plat.bootargs, "tern.selftest", what, sizeof(what)))
		return;
	if (strcmp(what, "guard") == 0) {
		volatile uint64_t *guard = (volatile uint64_t *)host_stack_guard(0);

		pr_info("tern: selftest: reading the stack guard page at %p\n", (void *)guard);
		(void)*guard;
		pr_err("tern: selftest: the guard page was readable\n");
	} else {
		pr_warn("tern: unknown tern.selftest=%s (known: guard)\n", what);
	}
}

noreturn void tern_main(void *fdt, uint64_t boot_hwid)
{
	struct pcpu *cpu = &pcpus[0];
	const char *why;
	int err;

	cpu->id = 0;
	cpu->hwid = boot_hwid;
	cpu->stack_top = (uintptr_t)cpu_stacks[0] + STACK_SIZE;
	arch_set_this_cpu(cpu);
	arch_cpu_init(cpu);

	err = platform_parse(fdt, &plat, &why);
	host_platform = &plat;
	if (plat.uart.kind != UART_NONE && console_init(&plat.uart) != 0)
		pr_err("tern: the %s UART at %#llx did not initialise\n",
		       uart_kind_name(plat.uart.kind), (unsigned long long)plat.uart.base);
	if (err)
		boot_failed(why);
	if (!console_has_uart()) {
		/* Only firmware output (if the arch has any) can say this. */
		boot_failed(plat.uart.path
				    ? "/chosen/stdout-path names a device tern has no driver for"
				    : "the device tree names no console UART (/chosen/stdout-path)");
	}
	if (!plat.timer_freq)
		plat.timer_freq = arch_timer_freq();

	banner();
	why = arch_check_host(&plat);
	if (why)
		boot_failed(why);
	if (platform_find_cpu(&plat, boot_hwid) < 0)
		pr_warn("tern: the boot CPU (%s %#llx) is not in the device tree\n", arch_hwid_name,
			(unsigned long long)boot_hwid);

#if CONFIG_ARCH_HAS_GUESTS
	err = fw_registry_init(&why);
	if (err) {
		pr_err("tern: the firmware service \"%s\" is in error\n", why);
		boot_failed(err == -E_EXIST ? "two firmware services claim the same call IDs"
					    : "a firmware service's call IDs cannot be indexed");
	}
#endif
	memory_init();
	err = host_mmu_init(&plat);
	if (err)
		boot_failed("tern could not build its own page tables");
	printk_enable_locking();
	pr_info("tern: MMU on, %llu MiB free\n", (unsigned long long)(tern_pool.free_bytes >> 20));
	err = arch_irq_init(&plat, &why);
	if (err)
		boot_failed(why);
	arch_irq_cpu_init();
	pr_info("CPU 0 online (%s %#llx)\n", arch_hwid_name, (unsigned long long)boot_hwid);
	atomic_store(&cpu->online, true);

	unsigned int online = smp_boot(&plat);
	pr_info("tern: %u of %u CPUs online\n", online,
		plat.nr_cpus < NR_CPUS ? plat.nr_cpus : NR_CPUS);
	run_selftest();
#if CONFIG_ARCH_HAS_GUESTS
	vms_start(&plat); /* returns only when there is no bundle */
#else
	pr_info("tern: guests are not supported on %s yet\n", arch_name);
#endif
	pr_info("tern: nothing to run; CPUs idle\n");
	arch_cpu_halt();
}
