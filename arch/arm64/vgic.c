/*
 * The virtual GIC around a guest's runs: the contract of <arch/vgic.h>
 * over the pure model (vgic_model.c) and the version's hardware interface
 * (vgic_v3.c: ICH_* system registers, vgic_v2.c: GICH).
 *
 * List registers are rebuilt from the model before every guest entry
 * (vgic_flush) and folded back after every exit (vgic_sync), so between
 * runs the model alone holds every interrupt's state and any CPU can change
 * it under the VM's lock. A change for a vCPU running elsewhere kicks that
 * CPU; its guest exits, and its next flush sees the change.
 */
#include <arch/guest.h>
#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <arch/vgic_model.h>
#include <tern/arch.h>
#include <tern/compiler.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>

_Static_assert(VM_MAX_VCPUS <= VGIC_MAX_VCPUS, "vGIC state sized for fewer vCPUs than a VM has");

static const struct vgic_hw_ops *hw(void)
{
	return gic_info.version == 3 ? &vgic_v3_hw_ops : &vgic_v2_hw_ops;
}

static struct vgic_dist *dist_of(struct vm *vm)
{
	return &vm->arch.vgic;
}

static void cpuif_reset(struct vgic_cpu *c)
{
	c->vmcr = 0;
	for (unsigned int i = 0; i < 4; i++)
		c->apr0[i] = c->apr1[i] = 0;
}

void vgic_notify(struct vm *vm, uint32_t kick)
{
	struct vcpu *self;

	if (!kick)
		return;
	/* The vCPU whose exit this CPU is handling needs no IPI, but its
	 * next entry must flush: the fast path would go straight back in. */
	self = arm64_loaded_vcpu();
	while (kick) {
		unsigned int i = (unsigned int)__builtin_ctz(kick);
		struct vcpu *t;

		kick &= kick - 1;
		if (i >= vm->nr_vcpus)
			break;
		t = &vm->vcpus[i];
		if (t != self)
			vcpu_wake(t);
		else
			t->arch.entry_work = true;
	}
}

int vgic_vm_init(struct vm *vm, const char **why)
{
	struct vgic_dist *d = dist_of(vm);
	unsigned int spis = gic_info.nr_irqs > VGIC_NR_PRIVATE ? gic_info.nr_irqs - VGIC_NR_PRIVATE : 0;

	if (gic_info.version != 2 && gic_info.version != 3) {
		*why = "tern found no GIC it can virtualize";
		return -E_NOTSUP;
	}
	d->lock = (spinlock_t)SPINLOCK_INIT;
	/* As many SPIs as the host has, so any device line of the board can
	 * be given to the guest; never fewer than 64. */
	vgic_model_init(d, gic_info.version, MAX(spis, 64u));
	return gic_info.version == 3 ? vgic_v3_vm_init(vm, why) : vgic_v2_vm_init(vm, why);
}

void vgic_vcpu_init(struct vcpu *v)
{
	struct vgic_dist *d = dist_of(v->vm);
	struct vgic_cpu *c = &v->arch.vgic;

	spin_lock(&d->lock);
	vgic_model_add_cpu(d, c, v->id, v->hwid);
	cpuif_reset(c);
	spin_unlock(&d->lock);
	/* GICV goes into stage 2 once the VM's tables exist (they do when its
	 * vCPUs are made, not yet at vgic_vm_init). */
	if (d->version == 2 && v->id == 0 && vgic_v2_map_cpuif(v->vm) != 0)
		/* The guest then gets aborts on its GICC accesses, as on a
		 * board without one; tern carries on. */
		pr_err("%s: the GIC CPU interface cannot be mapped for the guest (no memory "
		       "for stage-2 tables)\n", v->vm->name);
}

void vgic_vcpu_reset(struct vcpu *v)
{
	struct vgic_cpu *c = &v->arch.vgic;

	cpuif_reset(c);
	/* A vCPU resetting itself has its interface in hardware. */
	if (arm64_loaded_vcpu() == v)
		hw()->restore(c);
}

void vgic_vm_reset(struct vm *vm)
{
	struct vgic_dist *d = dist_of(vm);

	spin_lock(&d->lock);
	vgic_model_reset(d);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		cpuif_reset(&vm->vcpus[i].arch.vgic);
	spin_unlock(&d->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vtimer_vcpu_init(&vm->vcpus[i]);
}

void vgic_set_level(struct vm *vm, struct vcpu *v, uint32_t intid, bool level)
{
	struct vgic_dist *d = dist_of(vm);
	uint32_t kick;

	spin_lock(&d->lock);
	kick = vgic_model_set_level(d, v ? &v->arch.vgic : NULL, intid, level);
	spin_unlock(&d->lock);
	vgic_notify(vm, kick);
}

void vgic_raise(struct vm *vm, struct vcpu *v, uint32_t intid)
{
	struct vgic_dist *d = dist_of(vm);
	uint32_t kick;

	spin_lock(&d->lock);
	kick = vgic_model_raise(d, v ? &v->arch.vgic : NULL, intid, v ? v->id : 0);
	spin_unlock(&d->lock);
	vgic_notify(vm, kick);
}

void vgic_inject_hw(struct vcpu *v, uint32_t intid, uint32_t phys_intid)
{
	struct vgic_dist *d = dist_of(v->vm);
	uint32_t kick;

	spin_lock(&d->lock);
	kick = vgic_model_inject_hw(d, &v->arch.vgic, intid, phys_intid);
	spin_unlock(&d->lock);
	vgic_notify(v->vm, kick);
}

bool vgic_retract_hw(struct vcpu *v, uint32_t intid)
{
	struct vgic_dist *d = dist_of(v->vm);
	bool gone;

	spin_lock(&d->lock);
	vgic_model_retract_hw(d, &v->arch.vgic, intid);
	gone = !vgic_model_busy(d, &v->arch.vgic, intid);
	spin_unlock(&d->lock);
	return gone;
}

bool vgic_hw_busy(struct vcpu *v, uint32_t intid)
{
	struct vgic_dist *d = dist_of(v->vm);
	bool busy;

	spin_lock(&d->lock);
	busy = vgic_model_busy(d, &v->arch.vgic, intid);
	spin_unlock(&d->lock);
	return busy;
}

/* List registers of the virtual CPU interface (the same on every CPU). */
static unsigned int nr_lrs;

void vgic_cpu_init(void)
{
	nr_lrs = hw()->cpu_reset();
	if (this_cpu()->id == 0)
		pr_info("gic: virtual CPU interface with %u list registers\n", nr_lrs);
}

bool vgic_irq_pending(struct vcpu *v)
{
	struct vgic_dist *d = dist_of(v->vm);
	bool pending;

	spin_lock(&d->lock);
	pending = vgic_model_has_pending(d, &v->arch.vgic);
	spin_unlock(&d->lock);
	return pending;
}

static bool vgic_maybe_live(const struct vgic_dist *d, const struct vgic_cpu *c)
{
	return __atomic_load_n(&c->priv_live, __ATOMIC_RELAXED) ||
	       __atomic_load_n(&d->spi_live_words, __ATOMIC_RELAXED);
}

void vgic_flush(struct vcpu *v)
{
	const struct vgic_hw_ops *ops = hw();
	struct vgic_dist *d = dist_of(v->vm);
	struct vgic_cpu *c = &v->arch.vgic;
	unsigned int before = c->lr_used, n;

	/* The common exit (a hypercall, an MMIO access) leaves nothing for the
	 * list registers: skip the lock and the scan. Read without the lock:
	 * an interrupt made live meanwhile kicks this vCPU, which then exits
	 * at once and comes back here. */
	if (before == 0 && !vgic_maybe_live(d, c)) {
		c->underflow = false;
		ops->enable(false);
		return;
	}
	spin_lock(&d->lock);
	n = vgic_model_flush(d, c, nr_lrs);
	spin_unlock(&d->lock);
	for (unsigned int i = 0; i < n; i++)
		ops->write_lr(i, &c->lrs[i]);
	for (unsigned int i = n; i < before; i++)
		ops->clear_lr(i);
	ops->enable(c->underflow);
}

void vgic_sync(struct vcpu *v)
{
	const struct vgic_hw_ops *ops = hw();
	struct vgic_dist *d = dist_of(v->vm);
	struct vgic_cpu *c = &v->arch.vgic;
	struct vgic_lr lrs[VGIC_MAX_LRS];
	unsigned int n = c->lr_used;
	bool hw_done = false;
	uint32_t kick = 0;

	/* Off first: no maintenance interrupt for state being folded back
	 * (it is a level; gic_handle_irqs would see it again and again). */
	ops->disable();
	if (n) {
		for (unsigned int i = 0; i < n; i++)
			ops->read_lr(i, &lrs[i]);
		spin_lock(&d->lock);
		for (unsigned int i = 0; i < n; i++)
			kick |= vgic_model_sync_lr(d, c, i, &lrs[i], &hw_done);
		spin_unlock(&d->lock);
		vgic_notify(v->vm, kick);
		if (hw_done)
			vtimer_guest_done(v);
	}
	vtimer_sync(v);
}

void vgic_load(struct vcpu *v)
{
	hw()->restore(&v->arch.vgic);
}

void vgic_put(struct vcpu *v)
{
	const struct vgic_hw_ops *ops = hw();
	struct vgic_cpu *c = &v->arch.vgic;

	/* Every exit was synced: the list registers hold nothing the model
	 * does not; leave them empty for the next vCPU. */
	for (unsigned int i = 0; i < c->lr_used; i++)
		ops->clear_lr(i);
	c->lr_used = 0;
	ops->disable();
	ops->save(c);
}

/* The maintenance interrupt only has to make the guest exit: vgic_sync
 * then folds back what underflowed or was EOIed. It is a level, so it is
 * silenced here in case it arrives when no sync follows. */
bool vgic_maintenance_irq(uint32_t intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	hw()->disable();
	return false;
}

void vgic_v3_write_sgi1r(struct vcpu *v, uint64_t value)
{
	struct vgic_dist *d = dist_of(v->vm);
	uint32_t intid, kick;

	spin_lock(&d->lock);
	kick = vgic_model_send_sgi(d, v->id, vgic_v3_sgi1r_targets(d, v->id, value, &intid), intid);
	spin_unlock(&d->lock);
	vgic_notify(v->vm, kick);
}

int vgic_dt_node(struct vm *vm, void *fdt)
{
	return dist_of(vm)->version == 3 ? vgic_v3_dt_node(vm, fdt) : vgic_v2_dt_node(vm, fdt);
}
