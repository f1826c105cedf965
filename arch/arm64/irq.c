/*
 * The host interrupt controller hooks of the arch contract. tern takes
 * interrupts only to run guests (kicks, timers, the console's input), so
 * without guest support there is nothing to set up.
 */
#include <generated/config.h>
#include <tern/arch.h>
#include <arch/vgic.h>

int arch_irq_init(const struct platform *p, const char **why)
{
#if CONFIG_ARCH_HAS_GUESTS
	return gic_init(p, why);
#else
	return 0;
#endif
}

void arch_irq_cpu_init(void)
{
#if CONFIG_ARCH_HAS_GUESTS
	gic_cpu_init();
#endif
}
