/*
 * vGICv2 hardware side: the GICH virtual interface control registers
 * (list registers, HCR, VMCR, APR), the emulated distributor at the host's
 * GICD address, and the hardware's GICV mapped into the guest's stage 2
 * where the host's GICC is, so the guest's CPU interface accesses never
 * trap. The distributor's semantics are in vgic_v2_regs.c.
 */
#include <libfdt.h>
#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <arch/vgic_model.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_APR 0x0f0
#define GICH_LR0 0x100
#define GICH_HCR_EN (1u << 0)
#define GICH_HCR_UIE (1u << 1)

#define GICD_FRAME 0x1000
#define GICC_FRAME 0x2000 /* GICC_DIR is in the second page */

/* GICH is banked: every CPU sees its own interface at the same address. */
static volatile uint32_t *gich(unsigned int reg)
{
	return (volatile uint32_t *)(uintptr_t)(gic_info.hyp_base + reg);
}

static void v2_read_lr(unsigned int i, struct vgic_lr *lr)
{
	vgic_lr_decode_v2(*gich(GICH_LR0 + 4 * i), lr);
}

static void v2_write_lr(unsigned int i, const struct vgic_lr *lr)
{
	*gich(GICH_LR0 + 4 * i) = vgic_lr_encode_v2(lr);
}

static void v2_clear_lr(unsigned int i)
{
	*gich(GICH_LR0 + 4 * i) = 0;
}

static void v2_enable(bool underflow)
{
	*gich(GICH_HCR) = GICH_HCR_EN | (underflow ? GICH_HCR_UIE : 0);
	/* The list registers are complete before the guest reads GICV. */
	dsb(st);
}

static void v2_disable(void)
{
	*gich(GICH_HCR) = 0;
	/* Off before tern looks at the interrupt it would have raised. */
	dsb(sy);
}

static void v2_save(struct vgic_cpu *c)
{
	c->vmcr = *gich(GICH_VMCR);
	c->apr1[0] = *gich(GICH_APR);
}

static void v2_restore(const struct vgic_cpu *c)
{
	*gich(GICH_VMCR) = c->vmcr;
	*gich(GICH_APR) = c->apr1[0];
}

static unsigned int v2_cpu_reset(void)
{
	unsigned int n = MIN((*gich(GICH_VTR) & 0x3f) + 1, (unsigned int)VGIC_MAX_LRS);
	struct vgic_cpu idle = { 0 };

	v2_disable();
	for (unsigned int i = 0; i < n; i++)
		v2_clear_lr(i);
	v2_restore(&idle);
	return n;
}

const struct vgic_hw_ops vgic_v2_hw_ops = {
	.read_lr = v2_read_lr,
	.write_lr = v2_write_lr,
	.clear_lr = v2_clear_lr,
	.enable = v2_enable,
	.disable = v2_disable,
	.save = v2_save,
	.restore = v2_restore,
	.cpu_reset = v2_cpu_reset,
};

/* ---- Distributor ------------------------------------------------------------ */

static int gicd_op(struct mmio_device *dev, struct vcpu *v, uint64_t offset, unsigned int size,
		   bool write, uint64_t *val)
{
	struct vgic_dist *d = dev->priv;
	struct vgic_access a = { .d = d, .src = &v->arch.vgic, .size = size };

	spin_lock(&d->lock);
	vgic_v2_dist_access(&a, offset, write, val);
	spin_unlock(&d->lock);
	vgic_notify(v->vm, a.kick);
	return 0;
}

static int gicd_read(struct mmio_device *dev, struct vcpu *v, uint64_t offset, unsigned int size,
		     uint64_t *value)
{
	return gicd_op(dev, v, offset, size, false, value);
}

static int gicd_write(struct mmio_device *dev, struct vcpu *v, uint64_t offset,
		      unsigned int size, uint64_t value)
{
	return gicd_op(dev, v, offset, size, true, &value);
}

static const struct mmio_ops gicd_ops = { gicd_read, gicd_write };

int vgic_v2_vm_init(struct vm *vm, const char **why)
{
	struct vgic_dist *d = &vm->arch.vgic;

	if (vm->nr_vcpus > VGIC_V2_MAX_VCPUS) {
		*why = "a GICv2 guest has at most 8 vCPUs";
		return -E_RANGE;
	}
	d->dist_base = gic_info.dist_base;
	d->cpuif_base = gic_info.cpuif_base;
	/* The whole host frame, so offsets past the 4 KiB of registers read
	 * as zero instead of aborting. */
	d->dist_dev = (struct mmio_device){ "gicd", d->dist_base,
					    MAX(gic_info.dist_size, (uint64_t)GICD_FRAME), &gicd_ops,
					    d };
	if (mmio_register(&vm->mmio, &d->dist_dev)) {
		*why = "the vGIC's registers overlap another device of the VM";
		return -E_EXIST;
	}
	return 0;
}

int vgic_v2_map_cpuif(struct vm *vm)
{
	struct vgic_dist *d = &vm->arch.vgic;
	int err;

	spin_lock(&vm->s2_lock);
	err = pt_map(&vm->s2, d->cpuif_base, gic_info.vcpuif_base, GICC_FRAME,
		     PT_DEVICE | PT_RW);
	spin_unlock(&vm->s2_lock);
	if (err)
		pr_err("%s: cannot map GICV at %#llx: %s\n", vm->name,
		       (unsigned long long)d->cpuif_base, tern_strerror(err));
	return err;
}

/* ---- Device tree ---------------------------------------------------------------- */

int vgic_v2_dt_node(struct vm *vm, void *fdt)
{
	const struct vgic_dist *d = &vm->arch.vgic;
	fdt64_t reg[4] = {
		cpu_to_fdt64(d->dist_base), cpu_to_fdt64(GICD_FRAME),
		cpu_to_fdt64(d->cpuif_base), cpu_to_fdt64(GICC_FRAME),
	};
	char name[32];
	int err;

	tern_snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)d->dist_base);
	err = fdt_begin_node(fdt, name);
	if (!err)
		err = fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic");
	if (!err)
		err = fdt_property_u32(fdt, "#interrupt-cells", 3);
	if (!err)
		err = fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (!err)
		err = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!err)
		err = fdt_property_u32(fdt, "phandle", VGIC_DT_PHANDLE);
	if (!err)
		err = fdt_end_node(fdt);
	return err ? (err == -FDT_ERR_NOSPACE ? -E_NOMEM : -E_INVAL) : 0;
}
