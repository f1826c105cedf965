/*
 * The guest's PL011 register model (core/vuart_pl011.c), driven the way
 * Linux's amba-pl011 driver drives it.
 */
#include <tern/errno.h>
#include <tern/vuart_model.h>
#include "vuart_test.h"

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
