/*
 * Boot glue shared by both architectures: validate the DTB, find the console
 * and the CPUs, split the command line, run main() and end the test; plus
 * starting secondary CPUs on stacks of their own.
 */
#include <libfdt.h>
#include <string.h>

#include "guest.h"
#include "lib.h"

static const void *fdt;

/* The CPUs from /cpus, in DT order. */
static unsigned long hwids[MAX_CPUS];
static int nr_cpus;
static int boot_index = -1;

/*
 * What secondary_entry (lib/<arch>/head.S) is handed: sp must stay the first
 * member, the assembly loads it before any C runs.
 */
struct cpu_boot {
	uintptr_t sp;
	void (*fn)(void *);
	void *arg;
};

static struct cpu_boot boots[MAX_CPUS];
static uint8_t secondary_stacks[MAX_CPUS][8192] __aligned(16);

#define MAX_ARGS 16
static char cmdline[256];
static char *argv[MAX_ARGS + 1];

const void *guest_fdt(void)
{
	return fdt;
}

int cpu_count(void)
{
	return nr_cpus;
}

unsigned long cpu_hwid(int cpu)
{
	return cpu >= 0 && cpu < nr_cpus ? hwids[cpu] : ~0UL;
}

int boot_cpu(void)
{
	return boot_index;
}

static void find_cpus(unsigned long boot_hwid)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	if (cpus < 0)
		return;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		uint64_t reg;

		if (!type || strcmp(type, "cpu") || !fdt_node_enabled(fdt, node))
			continue;
		if (!fdt_reg_address(fdt, node, &reg) || nr_cpus == MAX_CPUS)
			continue;
		if (reg == boot_hwid)
			boot_index = nr_cpus;
		hwids[nr_cpus++] = (unsigned long)reg;
	}
}

/* argv from /chosen/bootargs, split at spaces; no quoting. */
static int split_bootargs(void)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;
	int argc = 0;
	char *p = cmdline;
	size_t len;

	argv[argc++] = "guest";
	if (!args)
		goto out;
	len = strnlen(args, sizeof(cmdline) - 1);
	memcpy(cmdline, args, len);
	cmdline[len] = '\0';
	while (*p && argc < MAX_ARGS) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
out:
	argv[argc] = NULL;
	return argc;
}

noreturn void guest_boot(const void *dtb, unsigned long boot_hwid)
{
	int argc, ret;

	/* Without a valid DTB there is no console to say so and no known way
	 * to power off: stop, and let the runner's timeout report it. */
	if (!dtb || fdt_check_header(dtb))
		halt_forever();
	fdt = dtb;
	arch_setup(fdt);
	if (!console_init(fdt))
		arch_power_off(false);
	arch_cpu_setup();
	find_cpus(boot_hwid);
	if (boot_index < 0)
		report_info("boot CPU 0x%lx is not in /cpus", boot_hwid);
	argc = split_bootargs();
	ret = main(argc, argv);
	if (ret)
		report(false, "main() returned %d", ret);
	exit_test();
}

long cpu_start(int cpu, void (*fn)(void *), void *arg)
{
	struct cpu_boot *b;

	if (cpu < 0 || cpu >= nr_cpus)
		return -1;
	b = &boots[cpu];
	b->sp = (uintptr_t)(secondary_stacks[cpu] + sizeof(secondary_stacks[cpu]));
	b->fn = fn;
	b->arg = arg;
	/* The new CPU reads *b with its caches (or MMU) off: make the writes
	 * visible before the firmware call starts it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return arch_cpu_on(hwids[cpu], (uintptr_t)secondary_entry, (uintptr_t)b);
}

noreturn void guest_secondary(struct cpu_boot *boot)
{
	arch_cpu_setup();
	boot->fn(boot->arg);
	cpu_stop();
}

noreturn void cpu_stop(void)
{
	arch_cpu_off();
}
