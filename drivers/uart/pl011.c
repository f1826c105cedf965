/*
 * Arm PrimeCell PL011 UART (DDI 0183). Output is polled: tern's console
 * never waits on UART interrupts. Input can come by interrupt (the receive
 * and receive-timeout interrupts) once the console hands it to a guest.
 * The base is a virtual address the console maps (tern runs identity
 * mapped); every register is accessed as 32 bits.
 */
#include <tern/console.h>

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIBRD 0x24
#define UARTFBRD 0x28
#define UARTLCR_H 0x2c
#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44

#define INT_RX (1u << 4) /* FIFO reached its trigger level */
#define INT_RT (1u << 6) /* data waiting, line quiet: catches single keystrokes */
#define INT_ERRORS (0xfu << 7) /* framing, parity, break, overrun */

#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define LCR_H_FEN (1u << 4)
#define LCR_H_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

#define PL011_BAUD 115200

static inline uint32_t pl011_read(uintptr_t va, unsigned int reg)
{
	return *(volatile uint32_t *)(va + reg);
}

static inline void pl011_write(uintptr_t va, unsigned int reg, uint32_t val)
{
	*(volatile uint32_t *)(va + reg) = val;
}

static int pl011_init(const struct plat_uart *u, uintptr_t va)
{
	uint32_t cr = pl011_read(va, UARTCR);
	uint32_t div;

	pl011_write(va, UARTIMSC, 0);     /* polled: no interrupts */
	pl011_write(va, UARTICR, 0x7ff);

	/*
	 * Firmware that printed before tern set the line up for its board;
	 * keep that. Only program 115200 8N1 ourselves when the UART is off
	 * and the DT told us the input clock (a guessed clock would garble
	 * everything).
	 */
	if ((cr & (CR_UARTEN | CR_TXE)) == (CR_UARTEN | CR_TXE) || u->clock == 0) {
		pl011_write(va, UARTCR, cr | CR_UARTEN | CR_TXE | CR_RXE);
		return 0;
	}

	pl011_write(va, UARTCR, 0);
	while (pl011_read(va, UARTFR) & FR_BUSY)
		;
	/* The divisor in 1/64ths: IBRD is the integer part, FBRD the fraction. */
	div = (uint32_t)(((uint64_t)u->clock * 4 + PL011_BAUD / 2) / PL011_BAUD);
	pl011_write(va, UARTIBRD, div >> 6);
	pl011_write(va, UARTFBRD, div & 0x3f);
	pl011_write(va, UARTLCR_H, LCR_H_WLEN8 | LCR_H_FEN); /* also latches IBRD/FBRD */
	pl011_write(va, UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
	return 0;
}

static void pl011_putc(uintptr_t va, const struct plat_uart *u, char c)
{
	(void)u;
	while (pl011_read(va, UARTFR) & FR_TXFF)
		;
	pl011_write(va, UARTDR, (uint8_t)c);
}

static int pl011_getc(uintptr_t va, const struct plat_uart *u)
{
	(void)u;
	if (pl011_read(va, UARTFR) & FR_RXFE)
		return -1;
	return (int)(pl011_read(va, UARTDR) & 0xff);
}

static int pl011_enable_rx_irq(uintptr_t va, const struct plat_uart *u)
{
	(void)u;
	pl011_write(va, UARTICR, INT_RX | INT_RT | INT_ERRORS);
	pl011_write(va, UARTIMSC, pl011_read(va, UARTIMSC) | INT_RX | INT_RT);
	return 0;
}

static void pl011_disable_rx_irq(uintptr_t va, const struct plat_uart *u)
{
	(void)u;
	pl011_write(va, UARTIMSC, pl011_read(va, UARTIMSC) & ~(INT_RX | INT_RT));
}

/* RX and RT also fall when the FIFO empties, but a character that arrives
 * between this and the end of the drain must raise them again, so they
 * are cleared before draining, never after. Error flags are dropped: the
 * console has nobody to report a lost character to. */
static void pl011_ack_rx_irq(uintptr_t va, const struct plat_uart *u)
{
	(void)u;
	pl011_write(va, UARTICR, INT_RX | INT_RT | INT_ERRORS);
}

UART_DRIVER(pl011_driver) = {
	.kind = UART_PL011,
	.name = "pl011",
	.init = pl011_init,
	.putc = pl011_putc,
	.getc = pl011_getc,
	.enable_rx_irq = pl011_enable_rx_irq,
	.disable_rx_irq = pl011_disable_rx_irq,
	.ack_rx_irq = pl011_ack_rx_irq,
};
