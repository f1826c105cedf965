/*
 * The arm64 nodes of a guest's device tree (libfdt sequential write, inside
 * the root node): its CPUs, PSCI, then the interrupt controller and timer
 * from the vGIC side. Node contents follow what QEMU's virt board gives a
 * native guest, so a kernel sees the same shapes under tern.
 */
#include <libfdt.h>
#include <arch/vgic.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>

/* PSCI 0.1 has no fixed function IDs, so "arm,psci" needs them given;
 * these are PSCI 0.2's, which tern implements. */
#define PSCI_0_2_FN64_CPU_SUSPEND 0xc4000001u
#define PSCI_0_2_FN_CPU_OFF 0x84000002u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u
#define PSCI_0_2_FN64_MIGRATE 0xc4000005u

#define GIC_SPI 0
#define IRQ_TYPE_LEVEL_HIGH 4

/* Stop at the first libfdt error; its codes are negative like ours. */
#define TRY(expr) \
	do { \
		int __err = (expr); \
		if (__err < 0) \
			return __err; \
	} while (0)

static int cpus_node(struct vm *vm, void *fdt)
{
	char name[24];

	TRY(fdt_begin_node(fdt, "cpus"));
	/* One cell: virtual MPIDRs use Aff1 and Aff0 only (arch_vcpu_init). */
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];

		tern_snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)v->hwid);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		TRY(fdt_property_u32(fdt, "reg", (uint32_t)v->hwid));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int psci_node(void *fdt)
{
	static const char compatible[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", compatible, sizeof(compatible)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	TRY(fdt_property_u32(fdt, "cpu_suspend", PSCI_0_2_FN64_CPU_SUSPEND));
	TRY(fdt_property_u32(fdt, "cpu_off", PSCI_0_2_FN_CPU_OFF));
	TRY(fdt_property_u32(fdt, "cpu_on", PSCI_0_2_FN64_CPU_ON));
	TRY(fdt_property_u32(fdt, "migrate", PSCI_0_2_FN64_MIGRATE));
	return fdt_end_node(fdt);
}

/* SDEI (core/fw/sdei.c) as Linux's arm_sdei driver finds it on a DT
 * system: /firmware/sdei, through the same conduit as PSCI. */
static int sdei_node(void *fdt)
{
	TRY(fdt_begin_node(fdt, "firmware"));
	TRY(fdt_begin_node(fdt, "sdei"));
	TRY(fdt_property_string(fdt, "compatible", "arm,sdei-1.0"));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	TRY(fdt_end_node(fdt));
	return fdt_end_node(fdt);
}

/* libfdt's error space becomes tern's here. */
static int fdt_errno(int err)
{
	return err == -FDT_ERR_NOSPACE ? -E_NOMEM : -E_INVAL;
}

int arch_guest_dt_nodes(struct vm *vm, void *fdt)
{
	int err = cpus_node(vm, fdt);

	if (!err)
		err = psci_node(fdt);
	if (!err)
		err = sdei_node(fdt);
	if (err)
		return fdt_errno(err);
	err = vgic_dt_node(vm, fdt);
	if (!err)
		err = vtimer_dt_node(vm, fdt);
	return err;
}

uint32_t arch_guest_dt_intc_phandle(const struct vm *vm)
{
	return VGIC_DT_PHANDLE;
}

bool arch_guest_dt_root_intc(const struct vm *vm)
{
	return true;
}

/* The GIC binding's three cells: <type number flags>; device lines are
 * level-triggered SPIs. */
int arch_guest_dt_irq_cells(const struct vm *vm, uint32_t line, uint32_t *cells, int max)
{
	if (max < 3)
		return -E_RANGE;
	cells[0] = GIC_SPI;
	cells[1] = line;
	cells[2] = IRQ_TYPE_LEVEL_HIGH;
	return 3;
}
