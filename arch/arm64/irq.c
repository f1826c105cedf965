/*
 * The host interrupt controller hooks of the arch contract: the physical
 * GIC (drivers/irqchip/), and the interrupts tern takes on it. tern takes
 * interrupts only to run guests (kicks, timers, the virtual CPU interface,
 * the console's input), so without guest support there is nothing to set
 * up. The GIC driver knows none of them: they are registered here.
 */
#include <generated/config.h>
#include <tern/arch.h>
#include <arch/gic.h>
#if CONFIG_ARCH_HAS_GUESTS
#include <arch/vgic_hw.h>

/* The kick's whole job was to interrupt this CPU: out of the guest, or out
 * of WFI, so the scheduler looks again. */
static bool kick_irq(uint32_t intid, void *ctx)
{
	(void)intid;
	(void)ctx;
	return false;
}

/* tern's own private interrupts, on every CPU: the kick, the virtual
 * interface's maintenance interrupt, tern's timer and the guests' virtual
 * timer. */
static const struct {
	uint32_t intid;
	gic_handler_t fn;
} private_irqs[] = {
	{ GIC_SGI_KICK, kick_irq },
	{ GIC_PPI_MAINTENANCE, vgic_maintenance_irq },
	{ GIC_PPI_HYP_TIMER, hyp_timer_irq },
	{ GIC_PPI_VTIMER, vtimer_ppi_irq },
};
#endif

int arch_irq_init(const struct platform *p, const char **why)
{
#if CONFIG_ARCH_HAS_GUESTS
	int err = gic_init(p, why);

	for (unsigned int i = 0; !err && i < sizeof(private_irqs) / sizeof(private_irqs[0]); i++) {
		err = gic_request_private(private_irqs[i].intid, private_irqs[i].fn, NULL);
		if (err)
			*why = "a private interrupt of tern's is taken twice";
	}
	return err;
#else
	return 0;
#endif
}

void arch_irq_cpu_init(void)
{
#if CONFIG_ARCH_HAS_GUESTS
	hyp_timer_cpu_init();
	vtimer_cpu_init();
	gic_cpu_init();
	vgic_cpu_init();
#endif
}
