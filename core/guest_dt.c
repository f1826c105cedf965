/*
 * The device tree tern gives a guest that brings none of its own: the
 * root, its memory, /chosen, the console UART (from the vUART) and the
 * arch's nodes (cpus, interrupt controller, timer, psci or sbi), written
 * front to back with libfdt's sequential-write API, so no node is ever
 * searched for or moved.
 *
 * The root says "linux,dummy-virt", the compatible QEMU's virt board puts
 * first: an unmodified kernel then treats the VM as a generic virtual
 * machine and probes only what the tree describes.
 */
#include <libfdt.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/guest_loader.h>
#include <tern/printk.h>
#include <tern/vm.h>
#include <tern/vuart.h>

/* libfdt's codes are negative FDT_ERR_*; callers of guest_dt_build get E_*. */
static int fdt_to_errno(int rc)
{
	if (rc >= 0)
		return 0;
	return rc == -FDT_ERR_NOSPACE ? -E_NOMEM : -E_INVAL;
}

static int memory_node(void *fdt, const struct vm *vm)
{
	fdt64_t reg[2] = { cpu_to_fdt64(vm->ram_ipa), cpu_to_fdt64(vm->ram_size) };
	char name[32];
	int rc;

	tern_snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)vm->ram_ipa);
	rc = fdt_begin_node(fdt, name);
	if (!rc)
		rc = fdt_property_string(fdt, "device_type", "memory");
	if (!rc)
		rc = fdt_property(fdt, "reg", reg, sizeof(reg)); /* 2 + 2 cells, see the root */
	if (!rc)
		rc = fdt_end_node(fdt);
	return rc;
}

static int chosen_node(void *fdt, const struct vm *vm, const struct guest_layout *l,
		       const char *stdout_path)
{
	int rc = fdt_begin_node(fdt, "chosen");

	/* An empty bootargs is what an absent one means to Linux (it falls
	 * back to its built-in command line): leave it out. */
	if (!rc && vm->cfg.cmdline[0])
		rc = fdt_property_string(fdt, "bootargs", vm->cfg.cmdline);
	if (!rc && stdout_path[0])
		rc = fdt_property_string(fdt, "stdout-path", stdout_path);
	if (!rc && l->initrd_size) {
		rc = fdt_property_u64(fdt, "linux,initrd-start", l->initrd_start);
		if (!rc)
			rc = fdt_property_u64(fdt, "linux,initrd-end", l->initrd_start + l->initrd_size);
	}
	if (!rc)
		rc = fdt_end_node(fdt);
	return rc;
}

int guest_dt_build(struct vm *vm, const struct guest_layout *l, void *buf, size_t size)
{
	const char *name = vm->cfg.name[0] ? vm->cfg.name : (vm->name ? vm->name : "");
	char model[48], stdout_path[64] = "";
	uint32_t intc = arch_guest_dt_intc_phandle(vm);
	int rc;

	if (size > INT32_MAX)
		size = INT32_MAX;
	rc = fdt_create(buf, (int)size);
	if (!rc)
		rc = fdt_finish_reservemap(buf);
	if (!rc)
		rc = fdt_begin_node(buf, "");
	/* 64-bit addresses and sizes everywhere: guest RAM may lie above 4 GiB
	 * or be larger than it. */
	if (!rc)
		rc = fdt_property_u32(buf, "#address-cells", 2);
	if (!rc)
		rc = fdt_property_u32(buf, "#size-cells", 2);
	if (!rc)
		rc = fdt_property_string(buf, "compatible", "linux,dummy-virt");
	tern_snprintf(model, sizeof(model), "tern guest %s", name);
	if (!rc)
		rc = fdt_property_string(buf, "model", model);
	/* Devices that name no interrupt parent of their own find it here, as
	 * on QEMU's virt board. */
	if (!rc && intc && arch_guest_dt_root_intc(vm))
		rc = fdt_property_u32(buf, "interrupt-parent", intc);
	if (!rc)
		rc = memory_node(buf, vm);
	if (rc)
		return fdt_to_errno(rc);

	/* The UART node comes before /chosen because stdout-path names it and
	 * the sequential writer cannot go back; node order means nothing. A
	 * VM without a console UART (-E_NOENT) still boots, silently. */
	rc = vuart_dt_node(vm, buf, stdout_path, sizeof(stdout_path));
	if (rc == -E_NOENT)
		stdout_path[0] = '\0';
	else if (rc < 0)
		return rc;
	stdout_path[sizeof(stdout_path) - 1] = '\0';

	rc = chosen_node(buf, vm, l, stdout_path);
	if (rc)
		return fdt_to_errno(rc);
	rc = arch_guest_dt_nodes(vm, buf);
	if (rc < 0)
		return rc;
	rc = fdt_end_node(buf);
	if (!rc)
		rc = fdt_finish(buf);
	if (rc)
		return fdt_to_errno(rc);
	return (int)fdt_totalsize(buf);
}
