/* The console: the UART named by /chosen/stdout-path, or firmware output;
 * input from that UART's receive interrupt, handed to one consumer. */
#include <tern/arch.h>
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/sections.h>

static const struct uart_ops *uart;
static struct plat_uart uart_info;
static uintptr_t uart_va;
static void (*rx_deliver)(const char *buf, size_t len);

/* At most this many characters per interrupt: a peer streaming input
 * without pause must not keep this CPU in the handler forever (the level
 * interrupt comes straight back for the rest). */
#define RX_MAX_PER_IRQ 256

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

/* The UART's receive interrupt: drain its FIFO, delivering in chunks. */
static void console_rx_irq(void *ctx)
{
	char buf[32];
	size_t n = 0;

	if (uart->ack_rx_irq)
		uart->ack_rx_irq(uart_va, &uart_info);
	for (unsigned int i = 0; i < RX_MAX_PER_IRQ; i++) {
		int c = uart->getc(uart_va, &uart_info);

		if (c < 0)
			break;
		buf[n++] = (char)c;
		if (n == sizeof(buf)) {
			rx_deliver(buf, n);
			n = 0;
		}
	}
	if (n)
		rx_deliver(buf, n);
}

int console_rx_start(void (*deliver)(const char *buf, size_t len))
{
	const char *why = NULL;
	int err = 0;

	if (rx_deliver)
		return -E_BUSY; /* one consumer: the VM owning the console */
	if (!uart)
		why = "the console is not a UART";
	else if (!uart->enable_rx_irq)
		why = "its UART driver has no receive interrupt";
	else if (uart_info.nr_irq_cells == 0)
		why = "the device tree gives its UART no interrupt";
	if (why) {
		pr_warn("tern: console input is not available: %s\n", why);
		return -E_NOTSUP;
	}
	/* The consumer is in place before the first interrupt can arrive. */
	rx_deliver = deliver;
	err = arch_host_irq_request(uart_info.irq, uart_info.nr_irq_cells, console_rx_irq, NULL);
	if (!err)
		err = uart->enable_rx_irq(uart_va, &uart_info);
	if (err) {
		pr_warn("tern: console input is not available: its interrupt: %s\n",
			tern_strerror(err));
		return err;
	}
	return 0;
}
