/*
 * vGICv3 hardware side: the ICH_*_EL2 virtual CPU interface (list
 * registers, HCR, VMCR, active priorities), the distributor and
 * redistributor MMIO devices at the host GIC's addresses (one 128 KiB
 * redistributor frame per vCPU), and the guest's GIC device-tree node.
 * The register semantics are in vgic_v3_regs.c; the guest's SGIs arrive
 * as trapped ICC_SGI1R_EL1 writes (vgic_v3_write_sgi1r, vgic.c).
 */
#include <libfdt.h>
#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <arch/vgic_model.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>

#define ICH_HCR_EN (1u << 0)
#define ICH_HCR_UIE (1u << 1)
#define ICH_VTR_LISTREGS(v) (((v) & 0x1f) + 1)
#define ICH_VTR_PREBITS(v) ((((v) >> 26) & 7) + 1)

#define GICD_FRAME 0x10000
#define GICR_FRAME 0x20000

/* ---- List and active-priority registers ------------------------------------ */

/* System register names are instruction operands: one case per number. */
#define LR_CASES(X) \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

static uint64_t lr_read(unsigned int i)
{
	switch (i) {
#define READ_LR(n) \
	case n: \
		return read_sysreg(ich_lr##n##_el2);
		LR_CASES(READ_LR)
#undef READ_LR
	}
	return 0;
}

static void lr_write(unsigned int i, uint64_t val)
{
	switch (i) {
#define WRITE_LR(n) \
	case n: \
		write_sysreg(ich_lr##n##_el2, val); \
		break;
		LR_CASES(WRITE_LR)
#undef WRITE_LR
	}
}

/* How many of ICH_AP0R<n>/AP1R<n> exist: one per 32 preemption levels
 * (5 bits: 1, 6: 2, 7: 4). The others are UNDEFINED to touch. */
static unsigned int nr_aprs(void)
{
	unsigned int pre = ICH_VTR_PREBITS(read_sysreg(ich_vtr_el2));

	return pre <= 5 ? 1 : 1u << (pre - 5);
}

static void v3_read_lr(unsigned int i, struct vgic_lr *lr)
{
	vgic_lr_decode_v3(lr_read(i), lr);
}

static void v3_write_lr(unsigned int i, const struct vgic_lr *lr)
{
	lr_write(i, vgic_lr_encode_v3(lr));
}

static void v3_clear_lr(unsigned int i)
{
	lr_write(i, 0);
}

/* No ISB: the ERET into the guest that follows synchronizes the list
 * registers and HCR. */
static void v3_enable(bool underflow)
{
	write_sysreg(ich_hcr_el2, ICH_HCR_EN | (underflow ? ICH_HCR_UIE : 0));
}

static void v3_disable(void)
{
	write_sysreg(ich_hcr_el2, 0);
	isb();
}

static void v3_save(struct vgic_cpu *c)
{
	unsigned int n = nr_aprs();

	c->vmcr = (uint32_t)read_sysreg(ich_vmcr_el2);
	c->apr0[0] = (uint32_t)read_sysreg(ich_ap0r0_el2);
	c->apr1[0] = (uint32_t)read_sysreg(ich_ap1r0_el2);
	if (n > 1) {
		c->apr0[1] = (uint32_t)read_sysreg(ich_ap0r1_el2);
		c->apr1[1] = (uint32_t)read_sysreg(ich_ap1r1_el2);
	}
	if (n > 2) {
		c->apr0[2] = (uint32_t)read_sysreg(ich_ap0r2_el2);
		c->apr1[2] = (uint32_t)read_sysreg(ich_ap1r2_el2);
		c->apr0[3] = (uint32_t)read_sysreg(ich_ap0r3_el2);
		c->apr1[3] = (uint32_t)read_sysreg(ich_ap1r3_el2);
	}
}

static void v3_restore(const struct vgic_cpu *c)
{
	unsigned int n = nr_aprs();

	write_sysreg(ich_vmcr_el2, c->vmcr);
	write_sysreg(ich_ap0r0_el2, c->apr0[0]);
	write_sysreg(ich_ap1r0_el2, c->apr1[0]);
	if (n > 1) {
		write_sysreg(ich_ap0r1_el2, c->apr0[1]);
		write_sysreg(ich_ap1r1_el2, c->apr1[1]);
	}
	if (n > 2) {
		write_sysreg(ich_ap0r2_el2, c->apr0[2]);
		write_sysreg(ich_ap1r2_el2, c->apr1[2]);
		write_sysreg(ich_ap0r3_el2, c->apr0[3]);
		write_sysreg(ich_ap1r3_el2, c->apr1[3]);
	}
	isb();
}

static unsigned int v3_cpu_reset(void)
{
	unsigned int n = MIN(ICH_VTR_LISTREGS(read_sysreg(ich_vtr_el2)),
			     (unsigned int)VGIC_MAX_LRS);
	struct vgic_cpu idle = { 0 };

	v3_disable();
	for (unsigned int i = 0; i < n; i++)
		lr_write(i, 0);
	v3_restore(&idle);
	return n;
}

const struct vgic_hw_ops vgic_v3_hw_ops = {
	.read_lr = v3_read_lr,
	.write_lr = v3_write_lr,
	.clear_lr = v3_clear_lr,
	.enable = v3_enable,
	.disable = v3_disable,
	.save = v3_save,
	.restore = v3_restore,
	.cpu_reset = v3_cpu_reset,
};

/* ---- Distributor and redistributors -------------------------------------------- */

static int mmio_op(struct mmio_device *dev, struct vcpu *v, uint64_t offset, unsigned int size,
		   bool write, uint64_t *val, bool redist)
{
	struct vgic_dist *d = dev->priv;
	struct vgic_access a = { .d = d, .src = &v->arch.vgic, .size = size };

	spin_lock(&d->lock);
	if (!redist) {
		vgic_v3_dist_access(&a, offset, write, val);
	} else if (offset / GICR_FRAME < d->nr_cpus && d->cpus[offset / GICR_FRAME]) {
		a.c = d->cpus[offset / GICR_FRAME];
		vgic_v3_redist_access(&a, offset % GICR_FRAME, write, val);
	} else if (!write) {
		*val = 0;
	}
	spin_unlock(&d->lock);
	vgic_notify(v->vm, a.kick);
	return 0;
}

static int gicd_read(struct mmio_device *dev, struct vcpu *v, uint64_t offset, unsigned int size,
		     uint64_t *value)
{
	return mmio_op(dev, v, offset, size, false, value, false);
}

static int gicd_write(struct mmio_device *dev, struct vcpu *v, uint64_t offset,
		      unsigned int size, uint64_t value)
{
	return mmio_op(dev, v, offset, size, true, &value, false);
}

static int gicr_read(struct mmio_device *dev, struct vcpu *v, uint64_t offset, unsigned int size,
		     uint64_t *value)
{
	return mmio_op(dev, v, offset, size, false, value, true);
}

static int gicr_write(struct mmio_device *dev, struct vcpu *v, uint64_t offset,
		      unsigned int size, uint64_t value)
{
	return mmio_op(dev, v, offset, size, true, &value, true);
}

static const struct mmio_ops gicd_ops = { gicd_read, gicd_write };
static const struct mmio_ops gicr_ops = { gicr_read, gicr_write };

int vgic_v3_vm_init(struct vm *vm, const char **why)
{
	struct vgic_dist *d = &vm->arch.vgic;
	uint64_t rd_size = (uint64_t)vm->nr_vcpus * GICR_FRAME;

	if (rd_size > gic_info.redist_size) {
		*why = "the host's redistributor region is too small for this many vCPUs";
		return -E_RANGE;
	}
	d->dist_base = gic_info.dist_base;
	d->redist_base = gic_info.redist_base;
	d->dist_dev = (struct mmio_device){ "gicd", d->dist_base, GICD_FRAME, &gicd_ops, d };
	d->redist_dev = (struct mmio_device){ "gicr", d->redist_base, rd_size, &gicr_ops, d };
	if (mmio_register(&vm->mmio, &d->dist_dev) || mmio_register(&vm->mmio, &d->redist_dev)) {
		*why = "the vGIC's registers overlap another device of the VM";
		return -E_EXIST;
	}
	return 0;
}

/* ---- Device tree ----------------------------------------------------------------- */

int vgic_v3_dt_node(struct vm *vm, void *fdt)
{
	const struct vgic_dist *d = &vm->arch.vgic;
	fdt64_t reg[4] = {
		cpu_to_fdt64(d->dist_base), cpu_to_fdt64(GICD_FRAME),
		cpu_to_fdt64(d->redist_base), cpu_to_fdt64(d->redist_dev.size),
	};
	char name[32];
	int err;

	tern_snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)d->dist_base);
	err = fdt_begin_node(fdt, name);
	if (!err)
		err = fdt_property_string(fdt, "compatible", "arm,gic-v3");
	if (!err)
		err = fdt_property_u32(fdt, "#interrupt-cells", 3);
	if (!err)
		err = fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (!err)
		err = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!err)
		err = fdt_property_u32(fdt, "#redistributor-regions", 1);
	if (!err)
		err = fdt_property_u32(fdt, "phandle", VGIC_DT_PHANDLE);
	if (!err)
		err = fdt_end_node(fdt);
	return err ? (err == -FDT_ERR_NOSPACE ? -E_NOMEM : -E_INVAL) : 0;
}
