/*
 * The console: the UART that /chosen/stdout-path names (a PL011 on arm64
 * virt, an NS16550 on riscv virt), driven by polling, and printf on top of
 * tern's own formatter (core/format.c) so guests and tern print alike.
 */
#include <libfdt.h>
#include <string.h>
#include <tern/printk.h>

#include "guest.h"
#include "lib.h"

enum uart_kind { UART_NONE, UART_PL011, UART_NS16550 };

static struct {
	enum uart_kind kind;
	uintptr_t base;
	unsigned int shift; /* NS16550 "reg-shift" */
	unsigned int width; /* NS16550 "reg-io-width": 1 or 4 bytes */
} uart;

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)
#define NS16550_THR 0
#define NS16550_LSR 5
#define NS16550_LSR_THRE (1u << 5)

static uint32_t ns16550_read(unsigned int reg)
{
	uintptr_t a = uart.base + (reg << uart.shift);

	return uart.width == 4 ? mmio_read32(a) : *(volatile uint8_t *)a;
}

static void ns16550_write(unsigned int reg, uint32_t v)
{
	uintptr_t a = uart.base + (reg << uart.shift);

	if (uart.width == 4)
		mmio_write32(a, v);
	else
		*(volatile uint8_t *)a = (uint8_t)v;
}

static void uart_putc(char c)
{
	switch (uart.kind) {
	case UART_PL011:
		while (mmio_read32(uart.base + PL011_FR) & PL011_FR_TXFF)
			;
		mmio_write32(uart.base + PL011_DR, (uint8_t)c);
		break;
	case UART_NS16550:
		while (!(ns16550_read(NS16550_LSR) & NS16550_LSR_THRE))
			;
		ns16550_write(NS16550_THR, (uint8_t)c);
		break;
	case UART_NONE:
		break;
	}
}

static uint32_t prop_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len == 4 ? fdt32_to_cpu(*p) : dflt;
}

/*
 * The node stdout-path names: a path, or an alias, optionally followed by
 * ":<options>" (e.g. "serial0:115200n8").
 */
static int stdout_node(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path, *colon;
	int len;

	if (chosen < 0)
		return chosen;
	path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!path)
		path = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!path)
		return -FDT_ERR_NOTFOUND;
	colon = memchr(path, ':', (size_t)len);
	len = colon ? (int)(colon - path) : (int)strnlen(path, (size_t)len);
	if (path[0] != '/') {
		path = fdt_get_alias_namelen(fdt, path, len);
		if (!path)
			return -FDT_ERR_NOTFOUND;
		len = (int)strlen(path);
	}
	return fdt_path_offset_namelen(fdt, path, len);
}

bool console_init(const void *fdt)
{
	int node = stdout_node(fdt);
	uint64_t base;

	if (node < 0 || !fdt_node_enabled(fdt, node) || !fdt_reg_address(fdt, node, &base))
		return false;
	uart.base = (uintptr_t)base;
	if (!fdt_node_check_compatible(fdt, node, "arm,pl011")) {
		uart.kind = UART_PL011;
	} else if (!fdt_node_check_compatible(fdt, node, "ns16550a") ||
		   !fdt_node_check_compatible(fdt, node, "ns16550")) {
		uart.kind = UART_NS16550;
		uart.shift = prop_u32(fdt, node, "reg-shift", 0);
		uart.width = prop_u32(fdt, node, "reg-io-width", 1);
	} else {
		return false;
	}
	return true;
}

/*
 * One lock for all output so that lines from different CPUs do not
 * interleave. A test-and-set spin: output is rare, and the holder never
 * waits for anything but the UART.
 */
static bool print_lock;

static void console_lock(void)
{
	while (__atomic_test_and_set(&print_lock, __ATOMIC_ACQUIRE))
		;
}

static void console_unlock(void)
{
	__atomic_clear(&print_lock, __ATOMIC_RELEASE);
}

static void write_locked(const char *s)
{
	for (; *s; s++) {
		/* Terminals want CR LF; the runner strips the CR again. */
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

void puts(const char *s)
{
	console_lock();
	write_locked(s);
	console_unlock();
}

int vprintf(const char *fmt, va_list ap)
{
	/* Long enough for any line a test prints; longer ones are cut, and
	 * the cut is marked rather than hidden. */
	char buf[512];
	int n = tern_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		memcpy(buf + sizeof(buf) - 5, "...\n", 5);
	puts(buf);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
