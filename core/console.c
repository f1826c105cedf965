/* The console: the UART named by /chosen/stdout-path, or firmware output. */
#include <tern/arch.h>
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/sections.h>

static const struct uart_ops *uart;
static struct plat_uart uart_info;
static uintptr_t uart_va;

int console_init(const struct plat_uart *u)
{
	for (const struct uart_ops *d = __uart_drivers_start; d < __uart_drivers_end; d++) {
		if (d->kind != u->kind)
			continue;
		uart_info = *u;
		uart_va = (uintptr_t)u->base; /* tern runs identity mapped */
		if (d->init && d->init(&uart_info, uart_va) < 0)
			return -E_IO;
		uart = d;
		return 0;
	}
	return -E_NOTSUP;
}

bool console_has_uart(void)
{
	return uart != NULL;
}

void console_putc(char c)
{
	if (uart)
		uart->putc(uart_va, &uart_info, c);
	else
		arch_firmware_putc(c);
}

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
}

int console_getc(void)
{
	return uart ? uart->getc(uart_va, &uart_info) : -1;
}
