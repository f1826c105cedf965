/*
 * printk: format a line on the stack, then write it to the console under
 * a lock so lines from different CPUs do not interleave. The lock is only
 * taken once the boot CPU has its MMU on: before that (arm64) memory is
 * Device memory, where exclusive accesses are not reliable, and only one
 * CPU runs anyway.
 */
#include <stdatomic.h>
#include <stdarg.h>
#include <generated/config.h>
#include <tern/console.h>
#include <tern/cpu.h>
#include <tern/printk.h>
#include <tern/spinlock.h>

static spinlock_t console_spin = SPINLOCK_INIT;
static bool console_locking;
/* The CPU holding console_spin, or -1: a trap or panic() on a CPU that was
 * in the middle of printing must still get its report out. */
static atomic_int console_owner = -1;
/* How deeply the owner has taken it (only the owner touches this). */
static unsigned int console_depth;

void printk_enable_locking(void)
{
	console_locking = true;
}

void console_lock(void)
{
	int me;

	if (!console_locking)
		return;
	me = (int)this_cpu()->id;
	if (atomic_load(&console_owner) == me) {
		console_depth++; /* re-entered from a trap: no deadlock */
		return;
	}
	spin_lock(&console_spin);
	console_depth = 1; /* before owner: a trap in between must not see a stale depth */
	atomic_store(&console_owner, me);
}

void console_unlock(void)
{
	if (!console_locking)
		return;
	if (console_depth > 1) {
		console_depth--;
		return;
	}
	atomic_store(&console_owner, -1);
	console_depth = 0;
	spin_unlock(&console_spin);
}

/* Error-level messages printed so far (make fuzz fails on any). */
static atomic_uint errors_printed;

unsigned int printk_errors(void)
{
	return atomic_load(&errors_printed);
}

void vprintk(enum log_level lvl, const char *fmt, va_list ap)
{
	char line[256];
	int n;

	if ((int)lvl > CONFIG_LOG_LEVEL)
		return;
	if (lvl == LOG_ERR)
		atomic_fetch_add(&errors_printed, 1);
	n = tern_vsnprintf(line, sizeof(line), fmt, ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	console_lock();
	console_write(line, (size_t)n);
	console_unlock();
}

void printk(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(lvl, fmt, ap);
	va_end(ap);
}
