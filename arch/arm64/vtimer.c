/*
 * The guest's virtual timer. A guest programs CNTV_* directly; tern
 * switches CNTV_CTL/CVAL with the vCPU and turns the timer's output into
 * virtual PPI 27. CNTVOFF_EL2 stays 0 (the guest's virtual count is the
 * physical one): with an offset, QEMU 7.2's timer model re-arms itself in
 * the past for ever once CVAL + offset wraps (a guest writing CNTV_CVAL_EL0
 * = ~0 with the timer on hung QEMU, found by the guest fuzzer), and nothing
 * needs the guest's count to start at 0. The offset stays a per-VM value
 * so that the model keeps its one place.
 *
 * Seed 003: the output is a level, and tern acts on its changes. While a
 * vCPU runs, its physical PPI 27 fires at EL2 (HCR_EL2.IMO); tern injects
 * virtual PPI 27 linked to it (HW bit) and leaves the physical interrupt
 * active, so it cannot fire again until the guest deactivates the virtual
 * one, which deactivates the physical one too. If the output then is still
 * high the physical interrupt fires again: the physical GIC samples the
 * level for tern. A fall seen before the guest took the interrupt
 * withdraws it (vtimer_sync).
 *
 * The guest's EL1 physical timer (CNTP_*) traps and is emulated by
 * ptimer.c (vcpu.c sets CNTHCTL_EL2: EL1PCTEN on, EL1PCEN off). The
 * counter itself (CNTPCT, CNTVCT) reads directly.
 */
#include <libfdt.h>
#include <arch/guest.h>
#include <arch/sysreg.h>
#include <arch/vgic_hw.h>
#include <arch/vgic_model.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/vm.h>

/* The vCPU whose timer is in each physical CPU's CNTV registers. */
static struct vcpu *timer_loaded[NR_CPUS];

static uint64_t cntvoff_of(const struct vcpu *v)
{
	return v->vm->arch.cntvoff;
}

void vtimer_cpu_init(void)
{
	/* No virtual timer left running by whatever ran before tern, and
	 * the counter offset a VM's vCPUs get (vtimer_load sets it per VM). */
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntvoff_el2, 0);
	isb();
}

void vtimer_vcpu_init(struct vcpu *v)
{
	v->arch.vtimer = (struct vtimer){ 0 };
}

/* The output, from the registers while the timer is loaded. */
static bool output_now(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	return (ctl & (VTIMER_CTL_ENABLE | VTIMER_CTL_IMASK | VTIMER_CTL_ISTATUS)) ==
	       (VTIMER_CTL_ENABLE | VTIMER_CTL_ISTATUS);
}

static void inject(struct vcpu *v)
{
	v->arch.vtimer.level = true;
	vgic_inject_hw(v, GIC_PPI_VTIMER, GIC_PPI_VTIMER);
}

void vtimer_load(struct vcpu *v)
{
	struct vtimer *t = &v->arch.vtimer;
	bool in_guest = vgic_hw_busy(v, GIC_PPI_VTIMER);

	timer_loaded[this_cpu()->id] = v;
	write_sysreg(cntvoff_el2, cntvoff_of(v));
	write_sysreg(cntv_cval_el0, t->cval);
	/* The physical PPI's active state is this vCPU's: active while its
	 * virtual twin is with the guest. */
	gic_ppi_set_active(GIC_PPI_VTIMER, in_guest);
	/* A timer that expired while the vCPU was away is injected now,
	 * rather than by a physical interrupt just after entry. */
	if (!in_guest &&
	    vtimer_output(t->ctl, t->cval, arch_counter() - cntvoff_of(v))) {
		gic_ppi_set_active(GIC_PPI_VTIMER, true);
		inject(v);
	}
	write_sysreg(cntv_ctl_el0, t->ctl);
	isb();
}

void vtimer_put(struct vcpu *v)
{
	struct vtimer *t = &v->arch.vtimer;

	t->ctl = read_sysreg(cntv_ctl_el0);
	t->cval = read_sysreg(cntv_cval_el0);
	/* Off on this CPU, so it cannot fire for whatever runs next; the
	 * scheduler wakes the vCPU at vtimer_deadline instead. */
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	gic_ppi_set_active(GIC_PPI_VTIMER, false);
	timer_loaded[this_cpu()->id] = NULL;
}

uint64_t vtimer_deadline(struct vcpu *v)
{
	const struct vtimer *t = &v->arch.vtimer;

	if (timer_loaded[this_cpu()->id] == v)
		return vtimer_deadline_of(read_sysreg(cntv_ctl_el0), read_sysreg(cntv_cval_el0),
					  cntvoff_of(v));
	return vtimer_deadline_of(t->ctl, t->cval, cntvoff_of(v));
}

bool vtimer_irq(struct vcpu *v)
{
	bool output = output_now();

	vtimer_track(&v->arch.vtimer, output);
	if (!output)
		return false; /* it fell before tern looked: nothing to give */
	/* The physical interrupt was inactive, so the guest holds no earlier
	 * injection: this is a new rise for it. */
	inject(v);
	return true;
}

bool vtimer_ppi_irq(uint32_t intid, void *ctx)
{
	struct vcpu *v = timer_loaded[this_cpu()->id];

	(void)intid;
	(void)ctx;
	if (!v) {
		/* No guest timer here: whatever armed it, keep it quiet. */
		write_sysreg(cntv_ctl_el0, VTIMER_CTL_IMASK);
		isb();
		return false;
	}
	return vtimer_irq(v);
}

void vtimer_sync(struct vcpu *v)
{
	struct vtimer *t = &v->arch.vtimer;
	bool gone;

	if (!t->level)
		return; /* no injection stands: nothing to look at */
	/* A fall before the guest took the interrupt withdraws it. The guest
	 * may also have dropped it itself (ICPENDR). Either way it will never
	 * deactivate it, so the physical interrupt, left active for that, is
	 * deactivated here and samples the output again. */
	if (vtimer_track(t, output_now()) == VTIMER_RETRACT)
		gone = vgic_retract_hw(v, GIC_PPI_VTIMER);
	else
		gone = !vgic_hw_busy(v, GIC_PPI_VTIMER);
	if (gone) {
		vtimer_track_done(t);
		gic_ppi_set_active(GIC_PPI_VTIMER, false);
	}
}

void vtimer_guest_done(struct vcpu *v)
{
	vtimer_track_done(&v->arch.vtimer);
	/* The guest's deactivation reached the physical interrupt through
	 * the HW link: GICv3 guarantees it. QEMU's GICv2 drops the request
	 * for a group 0 interrupt, which would leave the timer silent for
	 * good, so on v2 tern deactivates it too (a no-op when it did). One
	 * redistributor write saved per timer interrupt on v3. */
	if (gic_version() == 2)
		gic_ppi_set_active(GIC_PPI_VTIMER, false);
}

/* "arm,armv8-timer": secure physical, non-secure physical, virtual and
 * hypervisor PPIs (13, 14, 11, 10), level-high. */
int vtimer_dt_node(struct vm *vm, void *fdt)
{
	static const char compatible[] = "arm,armv8-timer\0arm,armv7-timer";
	fdt32_t irqs[12];
	static const uint32_t ppis[4] = { 13, 14, 11, 10 };
	int err;

	(void)vm;
	for (unsigned int i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(1);
		irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(4);
	}
	err = fdt_begin_node(fdt, "timer");
	if (!err)
		err = fdt_property(fdt, "compatible", compatible, sizeof(compatible));
	if (!err)
		err = fdt_property(fdt, "interrupts", irqs, sizeof(irqs));
	if (!err)
		err = fdt_property(fdt, "always-on", NULL, 0);
	if (!err)
		err = fdt_end_node(fdt);
	return err ? (err == -FDT_ERR_NOSPACE ? -E_NOMEM : -E_INVAL) : 0;
}
