/*
 * The console: one output device chosen at boot. A UART driver registers
 * itself in the uart_drivers table; the console picks one by the DT's
 * stdout-path. Before (or without) a UART, output falls back to the arch's
 * firmware console if it has one (RISC-V SBI), else is dropped.
 */
#ifndef TERN_CONSOLE_H
#define TERN_CONSOLE_H

#include <tern/platform.h>
#include <tern/types.h>

struct uart_ops {
	enum uart_kind kind;
	const char *name;
	int (*init)(const struct plat_uart *u, uintptr_t va);
	void (*putc)(uintptr_t va, const struct plat_uart *u, char c);
	int (*getc)(uintptr_t va, const struct plat_uart *u); /* -1 if none */
};

/* One entry per driver built in, collected by the linker into a table
 * between these two symbols (see linker/<arch>.ld). */
#define UART_DRIVER(var) \
	const struct uart_ops var __attribute__((used, section(".uart_drivers")))
extern const struct uart_ops __uart_drivers_start[], __uart_drivers_end[];

int console_init(const struct plat_uart *u); /* 0 or -E_NOTSUP */
void console_putc(char c);
void console_write(const char *s, size_t len);
int console_getc(void);
bool console_has_uart(void);

#endif
