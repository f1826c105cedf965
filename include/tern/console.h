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
	int (*getc)(uintptr_t va, const struct plat_uart *u); /* -1 if none; never waits */
	/* Input by interrupt (NULL if the driver has none): unmask the UART's
	 * receive interrupts. 0 or a negative E_* code. */
	int (*enable_rx_irq)(uintptr_t va, const struct plat_uart *u);
	/* Mask it again, leaving input in the UART (the consumer is full). */
	void (*disable_rx_irq)(uintptr_t va, const struct plat_uart *u);
	/* In the receive interrupt, before draining with getc: clear latched
	 * receive-interrupt state, so a character arriving during the drain
	 * raises the interrupt again (NULL when draining alone lowers it). */
	void (*ack_rx_irq)(uintptr_t va, const struct plat_uart *u);
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

/*
 * Deliver what is typed on the console to deliver(), from the UART's receive
 * interrupt (interrupt context, on whichever CPU takes it). Once this
 * succeeds, console_getc() competes with it for input. 0, or a negative E_*
 * code (no UART, no interrupt in the DT, a driver without receive interrupts)
 * after printing why input is unavailable.
 */
int console_rx_start(void (*deliver)(const char *buf, size_t len), size_t (*room)(void));
/* The consumer took input and has room again: input left waiting in the
 * UART (its interrupt masked while the consumer was full) comes now. */
void console_rx_resume(void);

/*
 * The lock printk holds while it writes a line (core/printk.c). Hold it
 * around console_putc() calls made outside printk (a guest's UART output)
 * so they never land inside a tern message. Nests on the CPU holding it; a
 * no-op before printk_enable_locking().
 */
void console_lock(void);
void console_unlock(void);

#endif
