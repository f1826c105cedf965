/*
 * The guest's 16550A register model (core/vuart_ns16550.c), driven the
 * way Linux's 8250 driver drives it.
 */
#include <tern/errno.h>
#include <tern/vuart_model.h>
#include "vuart_test.h"

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
