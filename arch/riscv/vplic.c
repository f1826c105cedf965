/*
 * The guest's PLIC: the register model (vplic_model.c) behind a lock, on
 * the VM's MMIO bus at the host PLIC's address, with one S-mode context
 * per vCPU (context n is vCPU n). A change of a context's output becomes
 * hvip.VSEIP of that vCPU, raised or lowered from whichever hart made it.
 */
#include <libfdt.h>
#include <arch/guest.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>
#include <tern/vm_start.h>

#define VPLIC_PHANDLE 0x100
#define CPU_INTC_PHANDLE(n) (0x200 + (n))

static struct riscv_vplic *vplic_of(struct vm *vm)
{
	return &vm->arch.plic;
}

/* With the lock dropped: raising VSEIP may IPI another hart. */
static void outputs_changed(struct vm *vm, uint32_t changed)
{
	struct riscv_vplic *p = vplic_of(vm);

	for (unsigned int c = 0; changed && c < vm->nr_vcpus; c++) {
		if (!(changed & (1u << c)))
			continue;
		changed &= ~(1u << c);
		spin_lock(&p->lock);
		bool level = vplic_ctx_irq(&p->model, c);
		spin_unlock(&p->lock);
		if (level)
			riscv_vcpu_raise(&vm->vcpus[c], HVIP_VSEIP);
		else
			riscv_vcpu_lower(&vm->vcpus[c], HVIP_VSEIP);
	}
}

static int vplic_read(struct mmio_device *dev, struct vcpu *v, uint64_t off, unsigned int size,
		      uint64_t *value)
{
	struct riscv_vplic *p = dev->priv;
	uint32_t val = 0, changed = 0;
	int err;

	if (vplic_mmio_read_stored(&p->model, off, size, &val)) {
		*value = val;
		return 0;
	}
	spin_lock(&p->lock);
	err = vplic_mmio_read(&p->model, off, size, &val, &changed);
	spin_unlock(&p->lock);
	*value = val;
	outputs_changed(v->vm, changed);
	return err;
}

static int vplic_write(struct mmio_device *dev, struct vcpu *v, uint64_t off, unsigned int size,
		       uint64_t value)
{
	struct riscv_vplic *p = dev->priv;
	uint32_t changed = 0;
	int err;

	spin_lock(&p->lock);
	err = vplic_mmio_write(&p->model, off, size, (uint32_t)value, &changed);
	spin_unlock(&p->lock);
	outputs_changed(v->vm, changed);
	return err;
}

static const struct mmio_ops vplic_ops = {
	.read = vplic_read,
	.write = vplic_write,
};

/* riscv,ndev of the host PLIC: the guest gets as many sources. */
static unsigned int host_nr_sources(void)
{
	const void *fdt = host_platform->fdt;
	int node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
	const fdt32_t *ndev;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "sifive,plic-1.0.0");
	ndev = node >= 0 ? fdt_getprop(fdt, node, "riscv,ndev", NULL) : NULL;
	return ndev ? fdt32_to_cpu(*ndev) + 1 : 64;
}

int riscv_vplic_init(struct vm *vm, const char **why)
{
	const struct platform *hp = host_platform;
	struct riscv_vplic *p = vplic_of(vm);
	struct mmio_device *dev = &p->dev;
	unsigned int nr = host_nr_sources();

	if (hp->intc.kind != INTC_PLIC || !hp->intc.nr_regs) {
		*why = "the host has no PLIC for the guest's to stand in for";
		return -E_NOTSUP;
	}
	if (nr > VPLIC_MAX_SOURCES)
		nr = VPLIC_MAX_SOURCES;
	p->lock = (spinlock_t)SPINLOCK_INIT;
	if (vplic_model_init(&p->model, nr, vm->nr_vcpus) != 0) {
		*why = "the guest PLIC cannot have that many vCPUs or sources";
		return -E_INVAL;
	}
	p->phandle = VPLIC_PHANDLE;
	dev->name = "PLIC";
	dev->base = hp->intc.regs[0].base;
	dev->size = vplic_window_size(vm->nr_vcpus);
	dev->ops = &vplic_ops;
	dev->priv = p;
	if (mmio_register(&vm->mmio, dev) != 0) {
		*why = "the guest PLIC overlaps another device";
		return -E_EXIST;
	}
	return 0;
}

void riscv_vplic_reset(struct vm *vm)
{
	struct riscv_vplic *p = vplic_of(vm);
	uint32_t changed;

	spin_lock(&p->lock);
	changed = vplic_model_reset(&p->model);
	spin_unlock(&p->lock);
	outputs_changed(vm, changed);
}

/* On every guest entry: the output as last reported, read without the
 * lock (a word read; a change after it kicks the vCPU again anyway). */
bool riscv_vplic_pending(struct vcpu *v)
{
	struct riscv_vplic *p = vplic_of(v->vm);

	return (__atomic_load_n(&p->model.irq_out, __ATOMIC_ACQUIRE) >> v->id) & 1;
}

void arch_vm_set_irq(struct vm *vm, uint32_t line, bool level)
{
	struct riscv_vplic *p = vplic_of(vm);
	uint32_t changed;

	spin_lock(&p->lock);
	changed = vplic_set_level(&p->model, line, level);
	spin_unlock(&p->lock);
	outputs_changed(vm, changed);
}

uint32_t arch_guest_dt_intc_phandle(const struct vm *vm)
{
	return VPLIC_PHANDLE;
}

bool arch_guest_dt_root_intc(const struct vm *vm)
{
	return false;
}

int arch_guest_dt_irq_cells(const struct vm *vm, uint32_t line, uint32_t *cells, int max)
{
	if (max < 1)
		return -E_RANGE;
	cells[0] = line;
	return 1;
}

int riscv_vplic_dt_node(struct vm *vm, void *fdt)
{
	static const char compatible[] = "sifive,plic-1.0.0\0riscv,plic0";
	struct riscv_vplic *p = vplic_of(vm);
	fdt32_t reg[4], ie[2 * VM_MAX_VCPUS];
	char name[32];
	int err;

	reg[0] = cpu_to_fdt32((uint32_t)(p->dev.base >> 32));
	reg[1] = cpu_to_fdt32((uint32_t)p->dev.base);
	reg[2] = cpu_to_fdt32((uint32_t)(p->dev.size >> 32));
	reg[3] = cpu_to_fdt32((uint32_t)p->dev.size);
	/* Context n: vCPU n's S-mode external interrupt (cause 9). */
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		ie[2 * i] = cpu_to_fdt32(CPU_INTC_PHANDLE(i));
		ie[2 * i + 1] = cpu_to_fdt32(9);
	}
	tern_snprintf(name, sizeof(name), "plic@%llx", (unsigned long long)p->dev.base);
	err = fdt_begin_node(fdt, name);
	if (!err)
		err = fdt_property(fdt, "compatible", compatible, sizeof(compatible));
	if (!err)
		err = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!err)
		err = fdt_property_u32(fdt, "#address-cells", 0);
	if (!err)
		err = fdt_property_u32(fdt, "#interrupt-cells", 1);
	if (!err)
		err = fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (!err)
		err = fdt_property_u32(fdt, "riscv,ndev", p->model.nr_sources - 1);
	if (!err)
		err = fdt_property(fdt, "interrupts-extended", ie,
				   (int)(2 * vm->nr_vcpus * sizeof(fdt32_t)));
	if (!err)
		err = fdt_property_u32(fdt, "phandle", p->phandle);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}
