/*
 * tern's console output: a small printf of our own and log levels.
 * Messages below CONFIG_LOG_LEVEL are compiled in but not printed.
 */
#ifndef TERN_PRINTK_H
#define TERN_PRINTK_H

#include <stdarg.h>
#include <tern/compiler.h>
#include <tern/types.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Format into buf (always NUL-terminated when size > 0); returns the length
 * the full output would have had, like C99 vsnprintf. Supports %d %i %u %x %X
 * %o %c %s %p %%, flags '-' '0' '#' ' ' '+', width and precision (also '*'),
 * and the length modifiers hh h l ll z t j. */
int tern_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int tern_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Print to the console at a level; lines are not interleaved between CPUs. */
void vprintk(enum log_level lvl, const char *fmt, va_list ap);
void printk(enum log_level lvl, const char *fmt, ...) __printf(2, 3);
/* How many error-level messages have been printed. */
unsigned int printk_errors(void);
/* Called once the MMU is on and other CPUs may print. */
void printk_enable_locking(void);

#define pr_err(...) printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...) printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/* tern's own broken invariants only: never for anything a guest, a config or
 * a user can cause. Prints, then stops this CPU in a low-power loop. */
noreturn void panic(const char *fmt, ...) __printf(1, 2);

#endif
