/*
 * The guest console UART: the PL011 and 16550A register models driven the
 * way Linux's amba-pl011 and 8250 drivers drive them, and core/vuart.c
 * (MMIO registration, interrupt-level calls, input routing, the DT node)
 * on the host arch, with the console's input and output side stood in for.
 */
#include <libfdt.h>
#include <arch/host.h>
#include <tern/arch.h>
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/vm.h>
#include <tern/vuart.h>
#include <tern/vuart_model.h>
#include "test.h"

/* --- The console: core/console.c drives a real UART, so it is not linked
 * here; these stand in for the part core/vuart.c uses. The arch's parts
 * are the host arch's (arch/host/guest.c), which records arch_vm_set_irq
 * in host_irq. */
static char console_out[256];
static size_t console_len;
static void (*console_deliver)(const char *buf, size_t len);
static unsigned int rx_starts;

static size_t (*console_room_fn)(void);
static unsigned int rx_resumes;

int console_rx_start(void (*deliver)(const char *buf, size_t len), size_t (*room)(void))
{
	rx_starts++;
	console_deliver = deliver;
	console_room_fn = room;
	return 0;
}

void console_rx_resume(void)
{
	rx_resumes++;
}

/* printk's lines (core/vm.c says what VMs do): to the test's output. */
void console_write(const char *s, size_t len)
{
	printf("  | %.*s", (int)len, s);
}

void console_putc(char c)
{
	if (console_len < sizeof(console_out) - 1)
		console_out[console_len++] = c;
	console_out[console_len] = 0;
}

/* --- Helpers -------------------------------------------------------------- */

static void model_init(struct vuart_model *m, const struct vuart_model_ops *ops,
		       unsigned int reg_shift)
{
	struct vuart_fx fx = VUART_FX_INIT;

	memset(m, 0, sizeof(*m));
	m->ops = ops;
	m->reg_shift = reg_shift;
	m->window = 8u << reg_shift;
	ops->reset(m, &fx);
}

static uint64_t rd(struct vuart_model *m, uint64_t off, unsigned int size, struct vuart_fx *fx)
{
	struct vuart_fx local = VUART_FX_INIT;
	uint64_t v = ~0ull;

	CHECK_EQ(m->ops->read(m, off, size, &v, fx ? fx : &local), 0);
	return v;
}

static struct vuart_fx wr(struct vuart_model *m, uint64_t off, unsigned int size, uint64_t v)
{
	struct vuart_fx fx = VUART_FX_INIT;

	CHECK_EQ(m->ops->write(m, off, size, v, &fx), 0);
	return fx;
}

static struct vuart_fx rx(struct vuart_model *m, const char *s)
{
	struct vuart_fx fx = VUART_FX_INIT;

	m->ops->receive(m, (const uint8_t *)s, strlen(s), &fx);
	return fx;
}

static uint32_t pl(struct vuart_model *m, uint64_t reg)
{
	return (uint32_t)rd(m, reg, 4, NULL);
}

/* 16550 register by index, byte access. */
static uint8_t ns(struct vuart_model *m, unsigned int reg)
{
	return (uint8_t)rd(m, (uint64_t)reg << m->reg_shift, 1, NULL);
}

static struct vuart_fx ns_wr(struct vuart_model *m, unsigned int reg, uint8_t v)
{
	return wr(m, (uint64_t)reg << m->reg_shift, 1, v);
}

/* --- PL011 ---------------------------------------------------------------- */

TEST(vuart_pl011_reset_state)
{
	struct vuart_model m;

	model_init(&m, &vuart_pl011_ops, 0);
	CHECK_EQ(m.ops->size(&m), 0x1000);
	CHECK_EQ(pl(&m, VPL011_FR), VPL011_FR_TXFE | VPL011_FR_RXFE | VPL011_FR_CTS |
					    VPL011_FR_DSR | VPL011_FR_DCD);
	CHECK_EQ(pl(&m, VPL011_CR), 0x300);
	CHECK_EQ(pl(&m, VPL011_IFLS), 0x12);
	CHECK_EQ(pl(&m, VPL011_IMSC), 0);
	CHECK_EQ(pl(&m, VPL011_RIS), VPL011_INT_TX); /* the TX FIFO is empty */
	CHECK_EQ(pl(&m, VPL011_MIS), 0);
	CHECK_EQ(pl(&m, VPL011_LCR_H), 0);
	CHECK(!m.irq);
}

TEST(vuart_pl011_primecell_ids)
{
	static const uint8_t want[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct vuart_model m;
	uint32_t pid = 0, cid = 0;

	model_init(&m, &vuart_pl011_ops, 0);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(pl(&m, VPL011_PERIPHID0 + 4 * i), want[i]);
	/* As Linux's amba bus reads them: the low byte of each word, from the
	 * end of the 4 KiB window. */
	for (int i = 0; i < 4; i++) {
		pid |= (pl(&m, 0x1000 - 0x20 + 4 * i) & 255) << (i * 8);
		cid |= (pl(&m, 0x1000 - 0x10 + 4 * i) & 255) << (i * 8);
	}
	CHECK_EQ(cid, 0xb105f00d);
	CHECK_EQ(pid & 0x000fffff, 0x00041011); /* amba-pl011's id table entry */
	CHECK_EQ((pid >> 20) & 0xf, 3);          /* r1p5: 32-entry FIFOs */
	/* Read-only. */
	wr(&m, VPL011_PERIPHID0, 4, 0);
	CHECK_EQ(pl(&m, VPL011_PERIPHID0), 0x11);
}

TEST(vuart_pl011_stored_registers)
{
	struct vuart_model m;

	model_init(&m, &vuart_pl011_ops, 0);
	wr(&m, VPL011_IBRD, 4, 0x1234d);
	wr(&m, VPL011_FBRD, 4, 0xff);
	wr(&m, VPL011_LCR_H, 4, 0x170);
	wr(&m, VPL011_CR, 4, 0xffffffff);
	wr(&m, VPL011_IFLS, 4, 0xff);
	wr(&m, VPL011_IMSC, 4, 0xffff);
	wr(&m, VPL011_DMACR, 4, 0xff);
	wr(&m, VPL011_ILPR, 4, 0x1ab);
	CHECK_EQ(pl(&m, VPL011_IBRD), 0x234d);
	CHECK_EQ(pl(&m, VPL011_FBRD), 0x3f);
	CHECK_EQ(pl(&m, VPL011_LCR_H), 0x70);
	CHECK_EQ(pl(&m, VPL011_CR), 0xff87);
	CHECK_EQ(pl(&m, VPL011_IFLS), 0x3f);
	CHECK_EQ(pl(&m, VPL011_IMSC), 0x7ff);
	CHECK_EQ(pl(&m, VPL011_DMACR), 7);
	CHECK_EQ(pl(&m, VPL011_ILPR), 0xab);
	/* Reserved space and write-only ICR read as zero. */
	CHECK_EQ(pl(&m, 0x08), 0);
	CHECK_EQ(pl(&m, VPL011_ICR), 0);
	CHECK_EQ(pl(&m, 0x80), 0);
}

TEST(vuart_pl011_access_sizes)
{
	struct vuart_model m;
	struct vuart_fx fx = VUART_FX_INIT;
	uint64_t v;

	model_init(&m, &vuart_pl011_ops, 0);
	/* Linux without reg-io-width uses 16-bit accesses; earlycon a byte
	 * store to DR. */
	CHECK_EQ(rd(&m, VPL011_FR, 2, NULL), pl(&m, VPL011_FR));
	CHECK_EQ(rd(&m, VPL011_CR + 1, 1, NULL), 0x03); /* upper byte of CR */
	CHECK_EQ(rd(&m, VPL011_CR + 2, 2, NULL), 0);
	CHECK_EQ(wr(&m, VPL011_DR, 1, 'x').out, 'x');
	CHECK_EQ(wr(&m, VPL011_DR, 2, 'y').out, 'y');
	CHECK_EQ(wr(&m, VPL011_DR, 4, 0x17a).out, 'z');
	wr(&m, VPL011_IMSC, 2, 0x30);
	CHECK_EQ(pl(&m, VPL011_IMSC), 0x30);
	/* A write to the upper half of a word touches nothing. */
	CHECK_EQ(wr(&m, VPL011_IMSC + 2, 2, 0xffff).out, -1);
	CHECK_EQ(pl(&m, VPL011_IMSC), 0x30);
	/* Refused: 64-bit, misaligned. */
	CHECK_EQ(m.ops->read(&m, VPL011_DR, 8, &v, &fx), -E_INVAL);
	CHECK_EQ(m.ops->write(&m, VPL011_DR, 8, 0, &fx), -E_INVAL);
	CHECK_EQ(m.ops->read(&m, VPL011_FR + 2, 4, &v, &fx), -E_INVAL);
	CHECK_EQ(m.ops->write(&m, VPL011_CR + 1, 2, 0, &fx), -E_INVAL);
	CHECK_EQ(fx.out, -1);
}

TEST(vuart_pl011_tx_interrupt_keeps_output_flowing)
{
	struct vuart_model m;
	struct vuart_fx fx;

	model_init(&m, &vuart_pl011_ops, 0);
	/* Linux unmasks TXIM only with data queued: the interrupt comes at
	 * once, and stays while TXIM is set however often it writes DR or ICR. */
	fx = wr(&m, VPL011_IMSC, 4, VPL011_INT_TX);
	CHECK(fx.irq_changed && fx.irq);
	CHECK_EQ(pl(&m, VPL011_MIS), VPL011_INT_TX);
	for (int i = 0; i < 16; i++) {
		fx = wr(&m, VPL011_DR, 4, 'a' + i);
		CHECK_EQ(fx.out, 'a' + i);
		CHECK(!fx.irq_changed);
	}
	fx = wr(&m, VPL011_ICR, 4, VPL011_INT_TX);
	CHECK(!fx.irq_changed && m.irq);
	/* Its buffer empty, Linux masks TXIM: the line falls. */
	fx = wr(&m, VPL011_IMSC, 4, 0);
	CHECK(fx.irq_changed && !fx.irq);
	/* Same mask again: no change reported. */
	fx = wr(&m, VPL011_IMSC, 4, 0);
	CHECK(!fx.irq_changed);
}

TEST(vuart_pl011_output_ignores_enable_bits)
{
	struct vuart_model m;

	model_init(&m, &vuart_pl011_ops, 0);
	wr(&m, VPL011_CR, 4, 0); /* UART off: early consoles write anyway */
	CHECK_EQ(wr(&m, VPL011_DR, 4, 'E').out, 'E');
	CHECK_EQ(pl(&m, VPL011_FR) & (VPL011_FR_BUSY | VPL011_FR_TXFF), 0);
}

TEST(vuart_pl011_receive_and_timeout_interrupt)
{
	struct vuart_model m;
	struct vuart_fx fx;

	model_init(&m, &vuart_pl011_ops, 0);
	wr(&m, VPL011_LCR_H, 4, 0x70); /* 8 bits, FIFO on */
	fx = wr(&m, VPL011_IMSC, 4, VPL011_INT_RX | VPL011_INT_RT);
	CHECK(!fx.irq_changed);
	/* Two keystrokes: below the half-full trigger, the timeout fires. */
	fx = rx(&m, "ab");
	CHECK(fx.irq_changed && fx.irq);
	CHECK_EQ(pl(&m, VPL011_RIS) & (VPL011_INT_RX | VPL011_INT_RT), VPL011_INT_RT);
	CHECK_EQ(pl(&m, VPL011_MIS), VPL011_INT_RT);
	CHECK_EQ(pl(&m, VPL011_FR) & VPL011_FR_RXFE, 0);
	fx = (struct vuart_fx)VUART_FX_INIT;
	CHECK_EQ(rd(&m, VPL011_DR, 2, &fx), 'a');
	CHECK(!fx.irq_changed);
	fx = (struct vuart_fx)VUART_FX_INIT;
	CHECK_EQ(rd(&m, VPL011_DR, 2, &fx), 'b');
	CHECK(fx.irq_changed && !fx.irq);
	CHECK(pl(&m, VPL011_FR) & VPL011_FR_RXFE);
	/* Reading an empty FIFO gives 0 and changes nothing. */
	CHECK_EQ(pl(&m, VPL011_DR), 0);
}

TEST(vuart_pl011_rx_trigger_level_and_icr)
{
	struct vuart_model m;
	struct vuart_fx fx;

	model_init(&m, &vuart_pl011_ops, 0);
	wr(&m, VPL011_LCR_H, 4, 0x70);
	wr(&m, VPL011_IMSC, 4, VPL011_INT_RX);
	fx = rx(&m, "0123456789abcde"); /* 15: below the trigger of 16 */
	CHECK(!fx.irq_changed);
	fx = rx(&m, "f");
	CHECK(fx.irq_changed && fx.irq);
	CHECK(pl(&m, VPL011_RIS) & VPL011_INT_RX);
	/* Below trigger again: RXRIS falls. */
	fx = (struct vuart_fx)VUART_FX_INIT;
	CHECK_EQ(rd(&m, VPL011_DR, 4, &fx), '0');
	CHECK(fx.irq_changed && !fx.irq);
	/* A lower trigger (1/8 = 4) applies to what is queued. */
	fx = wr(&m, VPL011_IFLS, 4, 0);
	CHECK(fx.irq_changed && fx.irq);
	/* ICR clears a latched source; the timeout comes back with new data. */
	wr(&m, VPL011_IMSC, 4, VPL011_INT_RT);
	CHECK(pl(&m, VPL011_MIS) & VPL011_INT_RT);
	fx = wr(&m, VPL011_ICR, 4, VPL011_INT_RT);
	CHECK(fx.irq_changed && !fx.irq);
	fx = rx(&m, "g");
	CHECK(fx.irq_changed && fx.irq);
}

TEST(vuart_pl011_overrun)
{
	struct vuart_model m;
	char in[41];
	uint32_t v = 0;

	model_init(&m, &vuart_pl011_ops, 0);
	wr(&m, VPL011_LCR_H, 4, 0x70);
	for (int i = 0; i < 40; i++)
		in[i] = (char)('A' + i);
	in[40] = 0;
	rx(&m, in);
	CHECK(pl(&m, VPL011_FR) & VPL011_FR_RXFF);
	CHECK(pl(&m, VPL011_RIS) & VPL011_INT_OE);
	CHECK(pl(&m, VPL011_RSR) & VPL011_RSR_OE);
	/* 32 kept; the last of them carries OE (what came after was lost). */
	for (int i = 0; i < 32; i++) {
		v = pl(&m, VPL011_DR);
		CHECK_EQ(v & 0xff, 'A' + i);
		CHECK_EQ(!!(v & VPL011_DR_OE), i == 31);
	}
	CHECK(pl(&m, VPL011_FR) & VPL011_FR_RXFE);
	/* RSR keeps OE until ECR is written; ICR clears OERIS. */
	CHECK(pl(&m, VPL011_RSR) & VPL011_RSR_OE);
	wr(&m, VPL011_RSR, 4, 0);
	CHECK_EQ(pl(&m, VPL011_RSR), 0);
	wr(&m, VPL011_ICR, 4, VPL011_INT_ALL);
	CHECK_EQ(pl(&m, VPL011_RIS), VPL011_INT_TX);
}

TEST(vuart_pl011_fifo_off_holds_one)
{
	struct vuart_model m;

	model_init(&m, &vuart_pl011_ops, 0); /* LCR_H.FEN clear after reset */
	wr(&m, VPL011_IMSC, 4, VPL011_INT_RX);
	CHECK(rx(&m, "xy").irq);
	CHECK(pl(&m, VPL011_FR) & VPL011_FR_RXFF);
	CHECK(pl(&m, VPL011_RIS) & VPL011_INT_OE);
	CHECK_EQ(pl(&m, VPL011_DR), 'x' | VPL011_DR_OE);
	/* Turning the FIFO on empties it. */
	rx(&m, "z");
	wr(&m, VPL011_LCR_H, 4, 0x70);
	CHECK(pl(&m, VPL011_FR) & VPL011_FR_RXFE);
}

TEST(vuart_pl011_loopback)
{
	struct vuart_model m;

	model_init(&m, &vuart_pl011_ops, 0);
	wr(&m, VPL011_LCR_H, 4, 0x70);
	wr(&m, VPL011_CR, 4, 0x381); /* UARTEN | LBE | TXE | RXE */
	CHECK_EQ(wr(&m, VPL011_DR, 4, 'q').out, -1);
	CHECK_EQ(pl(&m, VPL011_DR), 'q');
}

/* Linux 6.1's pl011_startup and a line of tty output, register by register. */
TEST(vuart_pl011_linux_startup_sequence)
{
	struct vuart_model m;
	struct vuart_fx fx;
	uint32_t im;

	model_init(&m, &vuart_pl011_ops, 0);
	rx(&m, "?"); /* typed before the tty was opened */
	wr(&m, VPL011_ICR, 2, 0x7c0 | VPL011_INT_RT | VPL011_INT_RX); /* hwinit */
	im = (uint32_t)rd(&m, VPL011_IMSC, 2, NULL);
	wr(&m, VPL011_IMSC, 2, VPL011_INT_RT | VPL011_INT_RX);
	wr(&m, VPL011_IMSC, 2, im); /* allocate_irq */
	wr(&m, VPL011_IFLS, 2, 0x12);
	wr(&m, VPL011_CR, 2, (rd(&m, VPL011_CR, 2, NULL) & 0xc00) | 0x301);
	/* set_termios programs 8N1 with the FIFO on */
	wr(&m, VPL011_LCR_H, 2, 0x70);
	/* enable_interrupts: clear, drain, unmask */
	wr(&m, VPL011_ICR, 2, VPL011_INT_RT | VPL011_INT_RX);
	for (int i = 0; i < 64 && !(rd(&m, VPL011_FR, 2, NULL) & VPL011_FR_RXFE); i++)
		rd(&m, VPL011_DR, 2, NULL);
	fx = wr(&m, VPL011_IMSC, 2, VPL011_INT_RT | VPL011_INT_RX);
	CHECK(!m.irq);
	/* start_tx: characters go out while FR.TXFF stays clear */
	for (const char *p = "ok\r\n"; *p; p++) {
		CHECK_EQ(rd(&m, VPL011_FR, 2, NULL) & VPL011_FR_TXFF, 0);
		CHECK_EQ(wr(&m, VPL011_DR, 2, (uint8_t)*p).out, *p);
	}
	CHECK(!m.irq);
	/* A keystroke: the interrupt handler reads MIS, then drains. */
	fx = rx(&m, "l");
	CHECK(fx.irq_changed && fx.irq);
	CHECK_EQ(rd(&m, VPL011_RIS, 2, NULL) & (VPL011_INT_RT | VPL011_INT_RX), VPL011_INT_RT);
	CHECK_EQ(rd(&m, VPL011_DR, 2, NULL), 'l');
	CHECK_EQ(rd(&m, VPL011_RIS, 2, NULL) & (VPL011_INT_RT | VPL011_INT_RX), 0);
	CHECK(!m.irq);
}

/* --- NS16550 -------------------------------------------------------------- */

TEST(vuart_ns16550_reset_state)
{
	struct vuart_model m;

	model_init(&m, &vuart_ns16550_ops, 0);
	CHECK_EQ(m.ops->size(&m), 8);
	CHECK_EQ(ns(&m, VNS_IER), 0);
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_NO_INT);
	CHECK_EQ(ns(&m, VNS_LCR), 0);
	CHECK_EQ(ns(&m, VNS_MCR), 0);
	CHECK_EQ(ns(&m, VNS_LSR), VNS_LSR_THRE | VNS_LSR_TEMT);
	CHECK_EQ(ns(&m, VNS_MSR), VNS_MSR_CTS | VNS_MSR_DSR | VNS_MSR_DCD);
	CHECK(!m.irq);
}

TEST(vuart_ns16550_ier_and_scratch)
{
	struct vuart_model m;

	model_init(&m, &vuart_ns16550_ops, 0);
	/* Linux probes IER's low nibble and that bit 6 (XScale UUE) is absent. */
	ns_wr(&m, VNS_IER, 0);
	CHECK_EQ(ns(&m, VNS_IER), 0);
	ns_wr(&m, VNS_IER, 0x0f);
	CHECK_EQ(ns(&m, VNS_IER), 0x0f);
	ns_wr(&m, VNS_IER, 0x4f);
	CHECK_EQ(ns(&m, VNS_IER), 0x0f);
	ns_wr(&m, VNS_SCR, 0x5a);
	CHECK_EQ(ns(&m, VNS_SCR), 0x5a);
	ns_wr(&m, VNS_LSR, 0); /* read-only */
	CHECK_EQ(ns(&m, VNS_LSR), VNS_LSR_THRE | VNS_LSR_TEMT);
}

TEST(vuart_ns16550_divisor_latch)
{
	struct vuart_model m;

	model_init(&m, &vuart_ns16550_ops, 0);
	ns_wr(&m, VNS_IER, VNS_IER_RDI);
	ns_wr(&m, VNS_LCR, VNS_LCR_DLAB | 3);
	CHECK_EQ(ns_wr(&m, VNS_DLL, 0x02).out, -1); /* not a transmit */
	ns_wr(&m, VNS_DLM, 0x01);
	CHECK_EQ(ns(&m, VNS_DLL), 0x02);
	CHECK_EQ(ns(&m, VNS_DLM), 0x01);
	ns_wr(&m, VNS_LCR, 3);
	CHECK_EQ(ns(&m, VNS_IER), VNS_IER_RDI);
	CHECK_EQ(ns(&m, VNS_LCR), 3);
	CHECK_EQ(ns_wr(&m, VNS_THR, 'k').out, 'k');
}

TEST(vuart_ns16550_thre_interrupt)
{
	struct vuart_model m;
	struct vuart_fx fx;
	uint8_t iir1, iir2;

	model_init(&m, &vuart_ns16550_ops, 0);
	/* Linux's UART_BUG_THRE probe: enabling ETBEI with THR empty raises
	 * it, reading IIR clears it, enabling it again raises it again. */
	fx = ns_wr(&m, VNS_IER, VNS_IER_THRI);
	CHECK(fx.irq_changed && fx.irq);
	fx = (struct vuart_fx)VUART_FX_INIT;
	iir1 = (uint8_t)rd(&m, VNS_IIR, 1, &fx);
	CHECK_EQ(iir1, VNS_IIR_THRI);
	CHECK(fx.irq_changed && !fx.irq);
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_NO_INT);
	ns_wr(&m, VNS_IER, 0);
	ns_wr(&m, VNS_IER, VNS_IER_THRI);
	iir2 = ns(&m, VNS_IIR);
	CHECK(!(iir1 & VNS_IIR_NO_INT) && !(iir2 & VNS_IIR_NO_INT));
	/* Writing THR clears it, and the byte leaving at once raises it again:
	 * the TX interrupt handler keeps being called while it has data. */
	fx = ns_wr(&m, VNS_THR, 'h');
	CHECK_EQ(fx.out, 'h');
	CHECK(fx.irq_changed && fx.irq);
	CHECK_EQ(ns(&m, VNS_LSR) & (VNS_LSR_THRE | VNS_LSR_TEMT), VNS_LSR_THRE | VNS_LSR_TEMT);
	/* Rewriting IER with ETBEI already set adds nothing; clearing it drops
	 * the line. */
	ns(&m, VNS_IIR);
	fx = ns_wr(&m, VNS_IER, VNS_IER_THRI);
	CHECK(!fx.irq_changed && !m.irq);
	ns_wr(&m, VNS_THR, 'i');
	CHECK(m.irq);
	fx = ns_wr(&m, VNS_IER, 0);
	CHECK(fx.irq_changed && !fx.irq);
}

TEST(vuart_ns16550_fifo_and_rx_interrupts)
{
	struct vuart_model m;
	struct vuart_fx fx;

	model_init(&m, &vuart_ns16550_ops, 0);
	ns_wr(&m, VNS_FCR, VNS_FCR_ENABLE | 0x80); /* trigger at 8 */
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_NO_INT);
	fx = ns_wr(&m, VNS_IER, VNS_IER_RDI | VNS_IER_RLSI);
	CHECK(!fx.irq_changed);
	fx = rx(&m, "abc");
	CHECK(fx.irq_changed && fx.irq);
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_TIMEOUT);
	CHECK(ns(&m, VNS_LSR) & VNS_LSR_DR);
	fx = rx(&m, "defgh");
	CHECK(!fx.irq_changed);
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_RDI);
	for (const char *p = "abcdefg"; *p; p++)
		CHECK_EQ(ns(&m, VNS_RBR), *p);
	CHECK(m.irq);
	fx = (struct vuart_fx)VUART_FX_INIT;
	CHECK_EQ(rd(&m, VNS_RBR, 1, &fx), 'h');
	CHECK(fx.irq_changed && !fx.irq);
	CHECK_EQ(ns(&m, VNS_LSR) & VNS_LSR_DR, 0);
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_NO_INT);
	/* FCR clears the receive FIFO. */
	rx(&m, "xyz");
	ns_wr(&m, VNS_FCR, VNS_FCR_ENABLE | VNS_FCR_CLEAR_RX);
	CHECK_EQ(ns(&m, VNS_LSR) & VNS_LSR_DR, 0);
	CHECK(!m.irq);
}

TEST(vuart_ns16550_overrun_and_priority)
{
	struct vuart_model m;

	model_init(&m, &vuart_ns16550_ops, 0);
	ns_wr(&m, VNS_FCR, VNS_FCR_ENABLE);
	ns_wr(&m, VNS_IER, VNS_IER_RDI | VNS_IER_THRI | VNS_IER_RLSI);
	rx(&m, "0123456789abcdefXYZ"); /* 19 into 16 */
	/* Line status first, then data, then THR empty. */
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_RLSI);
	CHECK_EQ(ns(&m, VNS_LSR), VNS_LSR_DR | VNS_LSR_OE | VNS_LSR_THRE | VNS_LSR_TEMT);
	CHECK_EQ(ns(&m, VNS_LSR) & VNS_LSR_OE, 0); /* cleared by reading */
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_RDI);
	for (const char *p = "0123456789abcdef"; *p; p++)
		CHECK_EQ(ns(&m, VNS_RBR), *p);
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_THRI);
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_NO_INT);
	CHECK(!m.irq);
}

TEST(vuart_ns16550_fifo_off_holds_one)
{
	struct vuart_model m;

	model_init(&m, &vuart_ns16550_ops, 0);
	ns_wr(&m, VNS_FCR, VNS_FCR_ENABLE);
	rx(&m, "abc");
	ns_wr(&m, VNS_FCR, 0); /* FIFOs off: emptied, one holding register */
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_NO_INT);
	CHECK_EQ(ns(&m, VNS_LSR) & VNS_LSR_DR, 0);
	ns_wr(&m, VNS_IER, VNS_IER_RDI);
	rx(&m, "pq");
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_RDI);
	CHECK(ns(&m, VNS_LSR) & VNS_LSR_OE);
	CHECK_EQ(ns(&m, VNS_RBR), 'p');
	CHECK_EQ(ns(&m, VNS_LSR) & VNS_LSR_DR, 0);
}

TEST(vuart_ns16550_loopback_and_modem_status)
{
	struct vuart_model m;
	struct vuart_fx fx;

	model_init(&m, &vuart_ns16550_ops, 0);
	/* The 8250 autoconfig loopback probe: LOOP | OUT2 | RTS reads back
	 * DCD | CTS in MSR's top nibble. */
	ns_wr(&m, VNS_IER, VNS_IER_MSI);
	fx = ns_wr(&m, VNS_MCR, VNS_MCR_LOOP | VNS_MCR_OUT2 | VNS_MCR_RTS);
	CHECK(fx.irq_changed && fx.irq); /* DSR fell: a modem-status change */
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_MSI);
	CHECK_EQ(ns(&m, VNS_MSR), VNS_MSR_DCD | VNS_MSR_CTS | VNS_MSR_DDSR);
	CHECK(!m.irq);
	CHECK_EQ(ns(&m, VNS_MSR) & 0xf0, 0x90);
	/* RI follows OUT1; only its trailing edge is reported. */
	ns_wr(&m, VNS_MCR, VNS_MCR_LOOP | VNS_MCR_OUT1);
	CHECK_EQ(ns(&m, VNS_MSR), VNS_MSR_RI | VNS_MSR_DCTS | VNS_MSR_DDCD);
	ns_wr(&m, VNS_MCR, VNS_MCR_LOOP);
	CHECK_EQ(ns(&m, VNS_MSR), VNS_MSR_TERI);
	/* Transmitted bytes come back. */
	CHECK_EQ(ns_wr(&m, VNS_THR, 'L').out, -1);
	CHECK_EQ(ns(&m, VNS_RBR), 'L');
	ns_wr(&m, VNS_MCR, VNS_MCR_DTR | VNS_MCR_RTS | VNS_MCR_OUT2);
	CHECK_EQ(ns(&m, VNS_MSR) & 0xf0, VNS_MSR_CTS | VNS_MSR_DSR | VNS_MSR_DCD);
	CHECK_EQ(ns(&m, VNS_MCR), VNS_MCR_DTR | VNS_MCR_RTS | VNS_MCR_OUT2);
}

TEST(vuart_ns16550_register_stride)
{
	struct vuart_model m;
	struct vuart_fx fx = VUART_FX_INIT;
	uint64_t v;

	model_init(&m, &vuart_ns16550_ops, 2);
	CHECK_EQ(m.ops->size(&m), 32);
	/* 32-bit accesses at 4-byte strides (reg-io-width 4, reg-shift 2). */
	CHECK_EQ(rd(&m, 5 * 4, 4, NULL), VNS_LSR_THRE | VNS_LSR_TEMT);
	CHECK_EQ(wr(&m, 0, 4, 0x141).out, 'A');
	wr(&m, 7 * 4, 4, 0x77);
	CHECK_EQ(rd(&m, 7 * 4, 1, NULL), 0x77);
	/* Bytes between registers read as zero and ignore writes. */
	CHECK_EQ(rd(&m, 5 * 4 + 1, 1, NULL), 0);
	CHECK_EQ(wr(&m, 1, 1, 'x').out, -1);
	CHECK_EQ(m.ops->read(&m, 0, 8, &v, &fx), -E_INVAL);
	CHECK_EQ(m.ops->write(&m, 2, 4, 0, &fx), -E_INVAL);
}

/* Linux 6.1's serial8250_do_startup and THRE tests, then a tty write. */
TEST(vuart_ns16550_linux_startup_sequence)
{
	struct vuart_model m;
	uint8_t iir1, iir, lsr;

	model_init(&m, &vuart_ns16550_ops, 0);
	rx(&m, "?");
	/* clear_fifos, then the interrupt registers "for luck" */
	ns_wr(&m, VNS_FCR, VNS_FCR_ENABLE);
	ns_wr(&m, VNS_FCR, VNS_FCR_ENABLE | VNS_FCR_CLEAR_RX | VNS_FCR_CLEAR_TX);
	ns_wr(&m, VNS_FCR, 0);
	ns(&m, VNS_LSR);
	ns(&m, VNS_RBR);
	ns(&m, VNS_IIR);
	ns(&m, VNS_MSR);
	CHECK(ns(&m, VNS_LSR) != 0xff);
	/* UART_BUG_THRE probe */
	ns_wr(&m, VNS_IER, VNS_IER_THRI);
	iir1 = ns(&m, VNS_IIR);
	ns_wr(&m, VNS_IER, 0);
	ns_wr(&m, VNS_IER, VNS_IER_THRI);
	iir = ns(&m, VNS_IIR);
	ns_wr(&m, VNS_IER, 0);
	CHECK(!(!(iir1 & VNS_IIR_NO_INT) && (iir & VNS_IIR_NO_INT)));
	ns_wr(&m, VNS_LCR, 3);
	ns_wr(&m, VNS_MCR, VNS_MCR_DTR | VNS_MCR_RTS | VNS_MCR_OUT2);
	/* UART_BUG_TXEN probe: an interrupt must show when ETBEI is set */
	ns_wr(&m, VNS_IER, VNS_IER_THRI);
	lsr = ns(&m, VNS_LSR);
	iir = ns(&m, VNS_IIR);
	ns_wr(&m, VNS_IER, 0);
	CHECK(!((lsr & VNS_LSR_TEMT) && (iir & VNS_IIR_NO_INT)));
	ns(&m, VNS_LSR);
	ns(&m, VNS_RBR);
	ns(&m, VNS_IIR);
	ns(&m, VNS_MSR);
	ns_wr(&m, VNS_IER, VNS_IER_RLSI | VNS_IER_RDI);
	ns_wr(&m, VNS_FCR, VNS_FCR_ENABLE | 0x80); /* set_termios */
	CHECK(!m.irq);
	/* start_tx sets ETBEI; the handler writes until the buffer is empty,
	 * then clears ETBEI. */
	ns_wr(&m, VNS_IER, VNS_IER_RLSI | VNS_IER_RDI | VNS_IER_THRI);
	CHECK(m.irq);
	for (int round = 0; round < 2; round++) {
		CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_THRI);
		CHECK(ns(&m, VNS_LSR) & VNS_LSR_THRE);
		CHECK_EQ(ns_wr(&m, VNS_THR, (uint8_t)('0' + round)).out, '0' + round);
	}
	ns_wr(&m, VNS_IER, VNS_IER_RLSI | VNS_IER_RDI);
	CHECK(!m.irq);
	/* A keystroke reaches the handler through the timeout source. */
	CHECK(rx(&m, "k").irq);
	CHECK_EQ(ns(&m, VNS_IIR), VNS_IIR_FIFOS | VNS_IIR_TIMEOUT);
	CHECK_EQ(ns(&m, VNS_LSR), VNS_LSR_DR | VNS_LSR_THRE | VNS_LSR_TEMT);
	CHECK_EQ(ns(&m, VNS_RBR), 'k');
	CHECK(!m.irq);
}

/* --- core/vuart.c --------------------------------------------------------- */

static const struct plat_uart host_pl011 = {
	.kind = UART_PL011,
	.base = 0x9000000,
	.size = 0x1000,
	.reg_io_width = 1,
	.irq = { 0, 1, 4 },
	.nr_irq_cells = 3,
};

static const struct plat_uart host_ns16550 = {
	.kind = UART_NS16550,
	.base = 0x10000000,
	.size = 0x100,
	.reg_shift = 2,
	.reg_io_width = 4,
	.irq = { 10 },
	.nr_irq_cells = 1,
};

static void vm_init(struct vm *vm, unsigned int id)
{
	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	host_irq.calls = 0;
	console_len = 0;
	console_out[0] = 0;
}

static int bus_write(struct vm *vm, paddr_t addr, unsigned int size, uint64_t v)
{
	return mmio_access(&vm->mmio, NULL, addr, size, true, &v);
}

static uint64_t bus_read(struct vm *vm, paddr_t addr, unsigned int size)
{
	uint64_t v = ~0ull;

	CHECK_EQ(mmio_access(&vm->mmio, NULL, addr, size, false, &v), 0);
	return v;
}

TEST(vuart_create_registers_device_and_routes_console)
{
	static struct vm vm, second;
	const char *why = NULL;

	vm_init(&vm, 0);
	CHECK_EQ(vuart_create(&vm, &host_pl011, &why), 0);
	CHECK_EQ(vm.mmio.nr, 1);
	CHECK_EQ(vm.mmio.devs[0]->base, 0x9000000);
	CHECK_EQ(vm.mmio.devs[0]->size, 0x1000);
	/* VM 0 owns the console: input is connected, once per boot. */
	CHECK(console_deliver != NULL);
	CHECK_EQ(rx_starts, 1);

	/* Output through the bus reaches the console. */
	CHECK_EQ(bus_write(&vm, 0x9000000 + VPL011_DR, 1, 'h'), 0);
	CHECK_EQ(bus_write(&vm, 0x9000000 + VPL011_DR, 2, 'i'), 0);
	CHECK_STR(console_out, "hi");
	CHECK_EQ(bus_write(&vm, 0x9000000 + VPL011_DR, 8, 'x'), -E_INVAL);

	/* Typed input arrives by the console's callback, with the SPI raised
	 * once and lowered once. */
	bus_write(&vm, 0x9000000 + VPL011_LCR_H, 4, 0x70);
	bus_write(&vm, 0x9000000 + VPL011_IMSC, 4, VPL011_INT_RX | VPL011_INT_RT);
	CHECK_EQ(host_irq.calls, 0);
	console_deliver("ls", 2);
	CHECK_EQ(host_irq.calls, 1);
	CHECK(host_irq.vm == &vm && host_irq.line == 1 && host_irq.level);
	console_deliver("\r", 1);
	CHECK_EQ(host_irq.calls, 1); /* still high: no call */
	/* Backpressure: the console reads no more than the FIFO's free room
	 * from the host UART (32 entries with the FIFO on, 3 taken), and a
	 * guest read lets input held back in the UART come. */
	CHECK(console_room_fn != NULL);
	CHECK_EQ(console_room_fn(), VPL011_FIFO_DEPTH - 3);
	unsigned int resumes = rx_resumes;
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_DR, 2), 'l');
	CHECK(rx_resumes > resumes);
	CHECK_EQ(console_room_fn(), VPL011_FIFO_DEPTH - 2);
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_DR, 2), 's');
	CHECK_EQ(host_irq.calls, 1);
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_DR, 2), '\r');
	CHECK_EQ(host_irq.calls, 2);
	CHECK(!host_irq.level);

	/* Another VM gets a UART of its own but not the console's input. */
	vm_init(&second, 1);
	CHECK_EQ(vuart_create(&second, &host_pl011, &why), 0);
	CHECK_EQ(rx_starts, 1);
	console_deliver("z", 1);
	CHECK(bus_read(&second, 0x9000000 + VPL011_FR, 4) & VPL011_FR_RXFE);
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_DR, 4), 'z');

	/* A reset lowers a raised line. */
	bus_write(&vm, 0x9000000 + VPL011_IMSC, 4, VPL011_INT_TX);
	CHECK_EQ(host_irq.calls, 3);
	CHECK(host_irq.level);
	vuart_reset(&vm);
	CHECK_EQ(host_irq.calls, 4);
	CHECK(!host_irq.level);
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_IMSC, 4), 0);
}

TEST(vuart_create_refusals)
{
	static struct vm vm, other;
	struct plat_uart ppi = host_pl011, odd = host_ns16550, none = { .kind = UART_NONE };
	struct mmio_device *taken;
	const char *why = NULL;
	char path[64];

	/* No host UART: no guest UART, no DT node. */
	vm_init(&vm, 1);
	CHECK_EQ(vuart_create(&vm, &none, &why), 0);
	CHECK_EQ(vm.mmio.nr, 0);
	CHECK_EQ(vuart_dt_node(&vm, NULL, path, sizeof(path)), -E_NOENT);
	vuart_receive(&vm, "x", 1); /* ignored */

	ppi.irq[0] = 1;
	vm_init(&vm, 1);
	why = NULL;
	CHECK_EQ(vuart_create(&vm, &ppi, &why), -E_NOTSUP);
	CHECK(why != NULL);

	odd.reg_io_width = 2;
	vm_init(&vm, 1);
	CHECK_EQ(vuart_create(&vm, &odd, &why), -E_NOTSUP);

	/* Something else already at the UART's address. */
	vm_init(&other, 2);
	CHECK_EQ(vuart_create(&other, &host_pl011, &why), 0);
	taken = other.mmio.devs[0];
	vm_init(&vm, 1);
	CHECK_EQ(mmio_register(&vm.mmio, taken), 0);
	why = NULL;
	CHECK_EQ(vuart_create(&vm, &host_pl011, &why), -E_EXIST);
	CHECK(why != NULL);
	CHECK_EQ(vuart_dt_node(&vm, NULL, path, sizeof(path)), -E_NOENT);
}

/* A guest DT skeleton around vuart_dt_node, as guest_dt.c builds it. */
static int build_dt(struct vm *vm, void *buf, int size, char *path, size_t path_size)
{
	int err = fdt_create(buf, size);

	if (!err)
		err = fdt_finish_reservemap(buf);
	if (!err)
		err = fdt_begin_node(buf, "");
	if (!err)
		err = fdt_property_u32(buf, "#address-cells", 2);
	if (!err)
		err = fdt_property_u32(buf, "#size-cells", 2);
	if (err)
		return -E_NOMEM;
	err = vuart_dt_node(vm, buf, path, path_size);
	if (err)
		return err;
	if (fdt_end_node(buf) || fdt_finish(buf))
		return -E_NOMEM;
	return 0;
}

static uint32_t cell(const void *fdt, int node, const char *prop, int i)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p || len < (i + 1) * 4)
		return 0xdeadbeef;
	return fdt32_to_cpu(p[i]);
}

static int prop_len(const void *fdt, int node, const char *prop)
{
	int len;

	return fdt_getprop(fdt, node, prop, &len) ? len : -1;
}

/* "interrupts" holds the arch's cells for the line, "interrupt-parent"
 * its interrupt controller. */
static void check_interrupts(const struct vm *vm, const void *fdt, int node, uint32_t line)
{
	uint32_t want[4];
	int n = arch_guest_dt_irq_cells(vm, line, want, 4);

	CHECK(n > 0);
	CHECK_EQ(prop_len(fdt, node, "interrupts"), 4 * n);
	for (int i = 0; i < n; i++)
		CHECK_EQ(cell(fdt, node, "interrupts", i), want[i]);
	CHECK_EQ(cell(fdt, node, "interrupt-parent", 0), arch_guest_dt_intc_phandle(vm));
}

TEST(vuart_dt_node_pl011)
{
	static struct vm vm;
	static char buf[4096];
	const char *why;
	char path[64];
	int node, clk, len;
	const char *s;

	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &host_pl011, &why), 0);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, sizeof(path)), 0);
	CHECK_STR(path, "/pl011@9000000");
	node = fdt_path_offset(buf, path);
	CHECK(node >= 0);
	s = fdt_getprop(buf, node, "compatible", &len);
	CHECK(s && len == (int)sizeof("arm,pl011\0arm,primecell"));
	CHECK(s && memcmp(s, "arm,pl011\0arm,primecell", (size_t)len) == 0);
	CHECK_EQ(fdt_node_check_compatible(buf, node, "arm,primecell"), 0);
	CHECK_EQ(cell(buf, node, "reg", 0), 0);
	CHECK_EQ(cell(buf, node, "reg", 1), 0x9000000);
	CHECK_EQ(cell(buf, node, "reg", 2), 0);
	CHECK_EQ(cell(buf, node, "reg", 3), 0x1000);
	check_interrupts(&vm, buf, node, 1);
	CHECK_EQ(prop_len(buf, node, "clocks"), 8);
	CHECK_EQ(cell(buf, node, "clocks", 0), VUART_DT_CLOCK_PHANDLE);
	CHECK_EQ(cell(buf, node, "clocks", 1), VUART_DT_CLOCK_PHANDLE);
	s = fdt_getprop(buf, node, "clock-names", &len);
	CHECK(s && len == (int)sizeof("uartclk\0apb_pclk"));
	CHECK(s && memcmp(s, "uartclk\0apb_pclk", (size_t)len) == 0);

	clk = fdt_node_offset_by_phandle(buf, VUART_DT_CLOCK_PHANDLE);
	CHECK(clk >= 0);
	CHECK_STR(fdt_get_name(buf, clk, NULL), "apb-pclk");
	CHECK_EQ(fdt_node_check_compatible(buf, clk, "fixed-clock"), 0);
	CHECK_EQ(cell(buf, clk, "#clock-cells", 0), 0);
	CHECK_EQ(cell(buf, clk, "clock-frequency", 0), 24000000);
}

TEST(vuart_dt_node_ns16550)
{
	static struct vm vm;
	static char buf[4096];
	const char *why;
	char path[64];
	int node;

	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &host_ns16550, &why), 0);
	CHECK_EQ(vm.mmio.devs[0]->size, 0x100);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, sizeof(path)), 0);
	CHECK_STR(path, "/serial@10000000");
	node = fdt_path_offset(buf, path);
	CHECK(node >= 0);
	CHECK_STR(fdt_getprop(buf, node, "compatible", NULL), "ns16550a");
	CHECK_EQ(cell(buf, node, "reg", 1), 0x10000000);
	CHECK_EQ(cell(buf, node, "reg", 3), 0x100);
	check_interrupts(&vm, buf, node, 10);
	CHECK_EQ(cell(buf, node, "clock-frequency", 0), 3686400);
	CHECK_EQ(cell(buf, node, "reg-shift", 0), 2);
	CHECK_EQ(cell(buf, node, "reg-io-width", 0), 4);
	CHECK(fdt_node_offset_by_phandle(buf, VUART_DT_CLOCK_PHANDLE) < 0);

	/* The guest sees its registers 4 bytes apart, and the PLIC source. */
	CHECK_EQ(bus_write(&vm, 0x10000000 + VNS_IER * 4, 4, VNS_IER_THRI), 0);
	CHECK_EQ(host_irq.calls, 1);
	CHECK(host_irq.line == 10 && host_irq.level);
	CHECK_EQ(bus_read(&vm, 0x10000000 + VNS_IIR * 4, 4), VNS_IIR_THRI);
	CHECK_EQ(host_irq.calls, 2);
	CHECK(!host_irq.level);

	/* Byte-wide host layout: no reg-shift / reg-io-width; the host clock. */
	struct plat_uart narrow = host_ns16550;

	narrow.reg_shift = 0;
	narrow.reg_io_width = 1;
	narrow.clock = 1843200;
	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &narrow, &why), 0);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, sizeof(path)), 0);
	node = fdt_path_offset(buf, path);
	CHECK_EQ(prop_len(buf, node, "reg-shift"), -1);
	CHECK_EQ(prop_len(buf, node, "reg-io-width"), -1);
	CHECK_EQ(cell(buf, node, "clock-frequency", 0), 1843200);
}

TEST(vuart_dt_node_errors)
{
	static struct vm vm;
	static char buf[4096];
	const char *why;
	char path[64];
	struct plat_uart no_irq = host_pl011;

	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &host_pl011, &why), 0);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, 8), -E_RANGE);
	CHECK_EQ(build_dt(&vm, buf, 200, path, sizeof(path)), -E_NOMEM);

	/* A host UART without an interrupt: a node without one, no calls. */
	no_irq.nr_irq_cells = 0;
	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &no_irq, &why), 0);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, sizeof(path)), 0);
	CHECK_EQ(prop_len(buf, fdt_path_offset(buf, path), "interrupts"), -1);
	CHECK_EQ(prop_len(buf, fdt_path_offset(buf, path), "interrupt-parent"), -1);
	bus_write(&vm, 0x9000000 + VPL011_IMSC, 4, VPL011_INT_TX);
	CHECK_EQ(host_irq.calls, 0);
}
