/*
 * The host interrupt controller hooks of the arch contract. tern takes
 * interrupts only to run guests; RISC-V guests (and with them the PLIC
 * and timer interrupts tern needs) come with the RISC-V guest work.
 */
#include <tern/arch.h>

int arch_irq_init(const struct platform *p, const char **why)
{
	return 0;
}

void arch_irq_cpu_init(void)
{
}
