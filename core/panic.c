/* panic(): for tern's own broken invariants only (see printk.h). */
#include <stdarg.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/printk.h>

noreturn void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	struct pcpu *cpu = arch_this_cpu();

	va_start(ap, fmt);
	tern_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "tern: panic on CPU %u: %s\n", cpu ? cpu->id : 0, msg);
	arch_print_backtrace();
	printk(LOG_ERR, "tern: CPU %u stopped\n", cpu ? cpu->id : 0);
	arch_cpu_halt();
}
