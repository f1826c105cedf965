/*
 * NS16550 / 8250-compatible UARTs (QEMU virt on RISC-V, most RISC-V boards,
 * many arm64 SoCs). Registers are 1 << reg_shift bytes apart and accessed
 * reg_io_width bytes wide, both from the DT. Firmware has already set the
 * line up (baud, 8N1); tern keeps it. Output is polled; input can come by
 * the received-data interrupt once the console hands it to a guest.
 * Arch-neutral C: base is the (identity-mapped) VA of the registers.
 */
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/types.h>

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */

#define IER_RDI 0x01 /* received data available (and character timeout) */
#define MCR_OUT2 0x08
#define FCR_FIFO_ENABLE 0x01
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static volatile void *reg_addr(uintptr_t va, const struct plat_uart *u, unsigned int reg)
{
	return (volatile void *)(va + ((uintptr_t)reg << u->reg_shift));
}

/* Only the low byte of a 32-bit register carries data; a 32-bit bus may
 * reject narrower accesses, so the width is the DT's, never guessed. */
static uint8_t reg_read(uintptr_t va, const struct plat_uart *u, unsigned int reg)
{
	if (u->reg_io_width == 4)
		return (uint8_t)*(volatile uint32_t *)reg_addr(va, u, reg);
	return *(volatile uint8_t *)reg_addr(va, u, reg);
}

static void reg_write(uintptr_t va, const struct plat_uart *u, unsigned int reg, uint8_t v)
{
	if (u->reg_io_width == 4)
		*(volatile uint32_t *)reg_addr(va, u, reg) = v;
	else
		*(volatile uint8_t *)reg_addr(va, u, reg) = v;
}

static int ns16550_init(const struct plat_uart *u, uintptr_t va)
{
	if (u->reg_io_width != 1 && u->reg_io_width != 4)
		return -E_NOTSUP;
	/* Every register tern touches (LSR is the highest) inside the region
	 * the DT gives, when it gives one. */
	if (u->reg_shift > 4 ||
	    (u->size && ((uint64_t)UART_LSR << u->reg_shift) + u->reg_io_width > u->size))
		return -E_INVAL;
	/* Polled: no interrupt may fire behind tern's back. Enabling the FIFO
	 * without clearing it keeps what firmware is still sending. */
	reg_write(va, u, UART_IER, 0);
	reg_write(va, u, UART_FCR, FCR_FIFO_ENABLE);
	return 0;
}

static void ns16550_putc(uintptr_t va, const struct plat_uart *u, char c)
{
	while (!(reg_read(va, u, UART_LSR) & LSR_THR_EMPTY))
		;
	reg_write(va, u, UART_THR, (uint8_t)c);
}

static int ns16550_getc(uintptr_t va, const struct plat_uart *u)
{
	if (!(reg_read(va, u, UART_LSR) & LSR_DATA_READY))
		return -1;
	return reg_read(va, u, UART_RBR);
}

/* Reading RBR until LSR.DR clears lowers the interrupt (both the
 * trigger-level and the timeout source), so no acknowledge is needed. */
static int ns16550_enable_rx_irq(uintptr_t va, const struct plat_uart *u)
{
	/* PC-style boards gate the interrupt pin with OUT2; elsewhere the bit
	 * is unused, so setting it is harmless. */
	reg_write(va, u, UART_MCR, reg_read(va, u, UART_MCR) | MCR_OUT2);
	reg_write(va, u, UART_IER, IER_RDI);
	return 0;
}

static void ns16550_disable_rx_irq(uintptr_t va, const struct plat_uart *u)
{
	reg_write(va, u, UART_IER, 0);
}

UART_DRIVER(ns16550_driver) = {
	.kind = UART_NS16550,
	.name = "ns16550",
	.init = ns16550_init,
	.putc = ns16550_putc,
	.getc = ns16550_getc,
	.enable_rx_irq = ns16550_enable_rx_irq,
	.disable_rx_irq = ns16550_disable_rx_irq,
};
