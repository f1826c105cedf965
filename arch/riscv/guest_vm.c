/*
 * A VM on RISC-V: its VMID, G-stage geometry (Sv48x4 when the hart has
 * it, else Sv39x4), timer mode, the guest's riscv,isa, its PLIC, and the
 * nodes of its device tree. The image formats a guest kernel may come in
 * are the arch's too.
 */
#include <libfdt.h>
#include <stdatomic.h>
#include <arch/csr.h>
#include <arch/guest.h>
#include <arch/isa.h>
#include <arch/pte.h>
#include <tern/arch.h>
#include <tern/bootargs.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>
#include <tern/vm_start.h>

const char arch_image_magic[4] = { 'R', 'S', 'C', 0x05 };
const uint64_t arch_image_default_offset = 0x200000;
const uint16_t arch_elf_machine = 243; /* EM_RISCV */

/* VMIDLEN, probed when the first VM is made (-1 until then); the command
 * line's tern.vmid_bits=N may lower it (to test the shared-VMID path). */
static int vmid_bits = -1;

/* Whether hgatp takes a mode: it is WARL, an unsupported mode reads back
 * as something else (no guest is loaded yet, so writing it is harmless). */
static bool hgatp_mode_ok(unsigned long mode)
{
	unsigned long v;

	csr_write(hgatp, mode << HGATP_MODE_SHIFT);
	v = csr_read(hgatp);
	csr_write(hgatp, 0);
	return (v >> HGATP_MODE_SHIFT) == mode;
}

/* Boot CPU, before any guest runs: hgatp may be written freely. */
static unsigned int probe_vmid_bits(unsigned long mode)
{
	char arg[8];
	unsigned int bits;

	csr_write(hgatp, (mode << HGATP_MODE_SHIFT) |
				 (((1UL << HGATP_VMID_BITS) - 1) << HGATP_VMID_SHIFT));
	bits = riscv_vmid_bits(csr_read(hgatp));
	csr_write(hgatp, 0);
	if (bootarg_get(host_platform->bootargs, "tern.vmid_bits", arg, sizeof(arg)) &&
	    arg[0] >= '0' && arg[0] <= '9' && (unsigned int)(arg[0] - '0') < bits && !arg[1])
		bits = (unsigned int)(arg[0] - '0');
	pr_info("tern: %u VMID bits%s\n", bits,
		(1u << bits) <= VM_MAX_VMS ? ": VMs past the first ones share a VMID and are flushed on every switch" : "");
	return bits;
}

int arch_vm_init(struct vm *vm, const char **why)
{
	struct arch_vm *a = &vm->arch;
	const struct plat_cpu *c0 = &host_platform->cpus[0];

	a->sv48x4 = hgatp_mode_ok(HGATP_MODE_SV48X4);
	if (!a->sv48x4 && !hgatp_mode_ok(HGATP_MODE_SV39X4)) {
		*why = "the hart's G-stage supports neither Sv48x4 nor Sv39x4";
		return -E_NOTSUP;
	}
	if (vmid_bits < 0)
		vmid_bits = (int)probe_vmid_bits(a->sv48x4 ? HGATP_MODE_SV48X4 : HGATP_MODE_SV39X4);
	a->vmid = riscv_vmid_for(vm->id, (unsigned int)vmid_bits);
	/* Sstc for the guest needs it on the host (the guest's vstimecmp is
	 * the hardware's) and the DT to say so; otherwise SBI TIME. */
	a->sstc = riscv_host_has_sstc() && c0->isa && riscv_isa_has_ext(c0->isa, "sstc");
	if (!c0->isa || riscv_isa_guest(c0->isa, a->sstc, a->isa, sizeof(a->isa)) < 0) {
		*why = "the host's riscv,isa cannot be given to the guest";
		return -E_INVAL;
	}
	return riscv_vplic_init(vm, why);
}

const struct pt_format *arch_stage2_format(const struct vm *vm)
{
	return vm->arch.sv48x4 ? &riscv_sv48x4_format : &riscv_sv39x4_format;
}

uint64_t riscv_hgatp(const struct vm *vm)
{
	const struct arch_vm *a = &vm->arch;

	return ((a->sv48x4 ? HGATP_MODE_SV48X4 : HGATP_MODE_SV39X4) << HGATP_MODE_SHIFT) |
	       ((uint64_t)a->vmid << HGATP_VMID_SHIFT) | (vm->s2.root_pa >> 12);
}

/*
 * HFENCE.GVMA acts on this hart only. Every hart drops a VMID's stale
 * entries the first time it loads one of the VM's vCPUs (vcpu.c); after
 * that, a change to the tables must reach every hart: the harts forget
 * they flushed, and the ones running the VM are kicked out to do it.
 */
void arch_stage2_flush(struct vm *vm)
{
	hfence_gvma_vmid(vm->arch.vmid);
	riscv_vmid_flush_all(vm);
}

/* --- Device tree -------------------------------------------------------------------- */

#define TRY(expr) \
	do { \
		int __err = (expr); \
		if (__err < 0) \
			return __err; \
	} while (0)

static int cpu_node(struct vm *vm, void *fdt, const struct vcpu *v, const char *mmu)
{
	char name[24];

	tern_snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)v->hwid);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "cpu"));
	TRY(fdt_property_u32(fdt, "reg", (uint32_t)v->hwid));
	TRY(fdt_property_string(fdt, "status", "okay"));
	TRY(fdt_property_string(fdt, "compatible", "riscv"));
	TRY(fdt_property_string(fdt, "riscv,isa", vm->arch.isa));
	if (mmu)
		TRY(fdt_property_string(fdt, "mmu-type", mmu));
	TRY(fdt_begin_node(fdt, "interrupt-controller"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
	TRY(fdt_property_u32(fdt, "phandle", 0x200 + v->id));
	TRY(fdt_end_node(fdt));
	return fdt_end_node(fdt);
}

/* The host's mmu-type: VS-stage offers the modes satp does. */
static const char *host_mmu_type(void)
{
	const void *fdt = host_platform->fdt;
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "cpu", sizeof("cpu"));

	return node >= 0 ? fdt_getprop(fdt, node, "mmu-type", NULL) : NULL;
}

int arch_guest_dt_nodes(struct vm *vm, void *fdt)
{
	const char *mmu = host_mmu_type();
	int err;

	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	TRY(fdt_property_u32(fdt, "timebase-frequency", (uint32_t)host_platform->timer_freq));
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		TRY(cpu_node(vm, fdt, &vm->vcpus[i], mmu));
	TRY(fdt_end_node(fdt));
	err = riscv_vplic_dt_node(vm, fdt);
	return err < 0 ? (err == -FDT_ERR_NOSPACE ? -E_NOMEM : -E_INVAL) : 0;
}
