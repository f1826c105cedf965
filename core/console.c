/* The console: the UART named by /chosen/stdout-path, or firmware output;
 * input from that UART's receive interrupt, handed to one consumer. */
#include <stdatomic.h>
#include <tern/arch.h>
#include <tern/console.h>
#include <tern/spinlock.h>
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

/* The consumer's free space, and whether input waits in the UART with its
 * interrupt masked because the consumer was full (backpressure: a guest's
 * UART FIFO that overflows would lose what is typed or pasted). The UART is
 * drained from its interrupt and, on resume, from whichever CPU made room:
 * rx_lock keeps the characters in order. */
static size_t (*rx_room)(void);
static atomic_bool rx_paused;
static spinlock_t rx_lock = SPINLOCK_INIT;

static size_t room_now(void)
{
	size_t r = rx_room ? rx_room() : RX_MAX_PER_IRQ;

	return r < RX_MAX_PER_IRQ ? r : RX_MAX_PER_IRQ;
}

/* Move what the UART holds to the consumer, as far as it has room; when it
 * is full, mask the UART's receive interrupt and leave the rest there. */
static void rx_drain(void)
{
	char buf[32];
	size_t room = room_now();

	for (unsigned int i = 0; i < RX_MAX_PER_IRQ;) {
		size_t n = 0;
		int c = 0;

		if (!room) {
			if (!uart->disable_rx_irq)
				return; /* nothing to hold it back with: the UART drops it */
			atomic_store(&rx_paused, true);
			uart->disable_rx_irq(uart_va, &uart_info);
			/* The consumer may have taken some before it could see
			 * the pause (it only resumes a paused console): look
			 * again now that the pause is visible. */
			room = room_now();
			if (!room)
				return;
			atomic_store(&rx_paused, false);
			uart->enable_rx_irq(uart_va, &uart_info);
			continue;
		}
		while (n < sizeof(buf) && n < room && i < RX_MAX_PER_IRQ) {
			c = uart->getc(uart_va, &uart_info);
			if (c < 0)
				break;
			buf[n++] = (char)c;
			i++;
		}
		if (n)
			rx_deliver(buf, n);
		if (c < 0)
			return;
		room = room_now();
	}
}

/* The UART's receive interrupt. */
static void console_rx_irq(void *ctx)
{
	spin_lock(&rx_lock);
	if (uart->ack_rx_irq)
		uart->ack_rx_irq(uart_va, &uart_info);
	rx_drain();
	spin_unlock(&rx_lock);
}

void console_rx_resume(void)
{
	if (!atomic_load(&rx_paused))
		return;
	spin_lock(&rx_lock);
	if (atomic_load(&rx_paused) && room_now()) {
		atomic_store(&rx_paused, false);
		/* Drain here rather than wait for the interrupt: a UART that
		 * raises it only for new input (QEMU's PL011 after an ICR
		 * write) would never raise it for what it already holds. */
		rx_drain();
		if (!atomic_load(&rx_paused)) {
			uart->enable_rx_irq(uart_va, &uart_info);
			/* Unmasking may clear a receive status (PL011's ICR) that a
			 * character arriving since the drain had raised: take it
			 * now, or it would wait for the next one. */
			rx_drain();
		}
	}
	spin_unlock(&rx_lock);
}

int console_rx_start(void (*deliver)(const char *buf, size_t len), size_t (*room)(void))
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
	rx_room = room;
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
