/*
 * The guest's PL011 (Arm PrimeCell UART, DDI 0183, r1p5), as Linux's
 * amba-pl011 driver, its earlycon and U-Boot use it.
 *
 * What is modelled and why:
 * - Transmission is instantaneous: every byte written to DR goes straight to
 *   tern's console, so the TX FIFO is always empty (FR.TXFE set, TXFF and
 *   BUSY clear) and the TX interrupt (level below trigger) is always raised.
 *   Linux only unmasks TXIM while it has data queued and masks it when its
 *   buffer empties, so an always-raised TXRIS keeps output flowing without
 *   ever stalling. Output is not gated on CR.UARTEN/TXE: early consoles
 *   write before enabling the UART, and real output would be lost otherwise.
 * - Reception fills a 32-entry FIFO (1 entry with LCR_H.FEN clear). RXRIS is
 *   raised when the fill level reaches the IFLS trigger (an edge, as the
 *   hardware does: Linux drains the FIFO at startup for that reason); RTRIS,
 *   the receive timeout, is raised on every received character, as if the
 *   line then went quiet at once, so a single keystroke interrupts promptly.
 *   Both fall when reading takes the FIFO below trigger / empty, or by ICR.
 * - A character arriving at a full FIFO is lost: OERIS and RSR.OE are set
 *   and the newest character in the FIFO carries DR.OE, so the guest learns
 *   where the gap is.
 * - Modem lines are static: CTS, DSR and DCD asserted (a connected line, so
 *   getty without -L does not wait for carrier), RI clear; no modem
 *   interrupts. Baud-rate, line control, IrDA and DMA registers are stored
 *   and read back with no effect. Loopback (CR.LBE) feeds TX into RX.
 * - Accesses: 8, 16 and 32 bits, naturally aligned (Linux reads and writes
 *   16 bits without reg-io-width, earlycon writes DR with a byte store).
 *   Reads inside a register return its bytes; writes must start at a
 *   register and zero-extend; 64-bit accesses are refused.
 */
#include <tern/errno.h>
#include <tern/vuart_model.h>

/* PeriphID0-3 then PCellID0-3, one byte per word from 0xFE0. The amba bus
 * matches part 0x011, designer 0x41 (Arm); revision 3 is r1p5, the part
 * with 32-entry FIFOs (Linux sizes its FIFO by this revision). */
static const uint8_t pl011_ids[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

#define CR_RESET 0x0300 /* TXE | RXE */
#define CR_MASK 0xff87  /* reserved bits 3-6 read as zero */
#define IFLS_RESET 0x12 /* both trigger at half full */

static struct vpl011 *regs(struct vuart_model *m)
{
	return &m->r.pl011;
}

static uint64_t pl011_size(const struct vuart_model *m)
{
	return VPL011_SIZE;
}

/* The RX trigger level in entries: IFLS.RXIFLSEL picks 1/8, 1/4, 1/2, 3/4
 * or 7/8 of the FIFO; with the FIFO off the holding register triggers at 1. */
static unsigned int rx_trigger(const struct vuart_model *m)
{
	static const unsigned int eighths[8] = { 1, 2, 4, 6, 7, 4, 4, 4 };

	if (m->rx.depth == 1)
		return 1;
	return m->rx.depth * eighths[(m->r.pl011.ifls >> 3) & 7] / 8;
}

static uint32_t raw_status(const struct vuart_model *m)
{
	return m->r.pl011.ris | VPL011_INT_TX;
}

static void update_irq(struct vuart_model *m, struct vuart_fx *fx)
{
	vuart_set_level(m, (raw_status(m) & m->r.pl011.imsc) != 0, fx);
}

static void push_rx(struct vuart_model *m, uint8_t c)
{
	struct vpl011 *s = regs(m);

	if (!vuart_fifo_push(&m->rx, c)) {
		uint16_t *last = vuart_fifo_newest(&m->rx);

		if (last)
			*last |= VPL011_DR_OE;
		s->ris |= VPL011_INT_OE;
		s->rsr |= VPL011_RSR_OE;
		return;
	}
	if (m->rx.count == rx_trigger(m))
		s->ris |= VPL011_INT_RX;
	s->ris |= VPL011_INT_RT;
}

static uint16_t pop_rx(struct vuart_model *m)
{
	struct vpl011 *s = regs(m);
	int v = vuart_fifo_pop(&m->rx);

	if (v < 0)
		return 0;
	if (m->rx.count < rx_trigger(m))
		s->ris &= (uint16_t)~VPL011_INT_RX;
	if (!m->rx.count)
		s->ris &= (uint16_t)~VPL011_INT_RT;
	/* RSR holds the error flags of the character last read, plus an
	 * overrun until the guest clears it through ECR. */
	s->rsr = (uint8_t)((s->rsr & VPL011_RSR_OE) | ((v >> 8) & 0xf));
	return (uint16_t)v;
}

/* FIFO on or off changes its depth; what was queued is dropped, as when the
 * hardware's FIFO is flushed. */
static void set_fifo(struct vuart_model *m, bool on)
{
	vuart_fifo_reset(&m->rx, on ? VPL011_FIFO_DEPTH : 1);
	regs(m)->ris &= (uint16_t)~(VPL011_INT_RX | VPL011_INT_RT);
}

static void pl011_reset(struct vuart_model *m, struct vuart_fx *fx)
{
	struct vpl011 *s = regs(m);

	*s = (struct vpl011){ .cr = CR_RESET, .ifls = IFLS_RESET };
	set_fifo(m, false);
	update_irq(m, fx);
}

static uint32_t read_reg(struct vuart_model *m, uint64_t reg)
{
	struct vpl011 *s = regs(m);

	switch (reg) {
	case VPL011_DR:
		return pop_rx(m);
	case VPL011_RSR:
		return s->rsr;
	case VPL011_FR: {
		uint32_t fr = VPL011_FR_TXFE | VPL011_FR_CTS | VPL011_FR_DSR | VPL011_FR_DCD;

		if (!m->rx.count)
			fr |= VPL011_FR_RXFE;
		if (vuart_fifo_full(&m->rx))
			fr |= VPL011_FR_RXFF;
		return fr;
	}
	case VPL011_ILPR:
		return s->ilpr;
	case VPL011_IBRD:
		return s->ibrd;
	case VPL011_FBRD:
		return s->fbrd;
	case VPL011_LCR_H:
		return s->lcr_h;
	case VPL011_CR:
		return s->cr;
	case VPL011_IFLS:
		return s->ifls;
	case VPL011_IMSC:
		return s->imsc;
	case VPL011_RIS:
		return raw_status(m);
	case VPL011_MIS:
		return raw_status(m) & s->imsc;
	case VPL011_DMACR:
		return s->dmacr;
	}
	if (reg >= VPL011_PERIPHID0)
		return pl011_ids[(reg - VPL011_PERIPHID0) / 4];
	return 0; /* ICR, test registers, reserved space: read as zero */
}

static void write_reg(struct vuart_model *m, uint64_t reg, uint32_t v, struct vuart_fx *fx)
{
	struct vpl011 *s = regs(m);

	switch (reg) {
	case VPL011_DR:
		if (s->cr & VPL011_CR_LBE)
			push_rx(m, (uint8_t)v);
		else
			fx->out = (uint8_t)v;
		break;
	case VPL011_RSR: /* ECR: any write clears the error flags */
		s->rsr = 0;
		break;
	case VPL011_ILPR:
		s->ilpr = (uint8_t)v;
		break;
	case VPL011_IBRD:
		s->ibrd = (uint16_t)v;
		break;
	case VPL011_FBRD:
		s->fbrd = v & 0x3f;
		break;
	case VPL011_LCR_H: {
		bool was_on = s->lcr_h & VPL011_LCR_H_FEN;

		s->lcr_h = (uint8_t)v;
		if (was_on != !!(v & VPL011_LCR_H_FEN))
			set_fifo(m, v & VPL011_LCR_H_FEN);
		break;
	}
	case VPL011_CR:
		s->cr = v & CR_MASK;
		break;
	case VPL011_IFLS:
		s->ifls = v & 0x3f;
		/* A new trigger level is judged against what is queued now. */
		if (m->rx.count >= rx_trigger(m))
			s->ris |= VPL011_INT_RX;
		else
			s->ris &= (uint16_t)~VPL011_INT_RX;
		break;
	case VPL011_IMSC:
		s->imsc = v & VPL011_INT_ALL;
		break;
	case VPL011_ICR:
		s->ris &= (uint16_t)~(v & VPL011_INT_ALL);
		break;
	case VPL011_DMACR:
		s->dmacr = v & 7;
		break;
	default:
		break; /* read-only and reserved registers ignore writes */
	}
}

static bool access_ok(uint64_t off, unsigned int size)
{
	return (size == 1 || size == 2 || size == 4) && (off & (size - 1)) == 0;
}

static int pl011_read(struct vuart_model *m, uint64_t off, unsigned int size, uint64_t *val,
		      struct vuart_fx *fx)
{
	if (!access_ok(off, size))
		return -E_INVAL;
	uint32_t v = read_reg(m, off & ~3ull) >> (8 * (off & 3));

	*val = size == 4 ? v : v & ((1u << (8 * size)) - 1);
	update_irq(m, fx);
	return 0;
}

static int pl011_write(struct vuart_model *m, uint64_t off, unsigned int size, uint64_t val,
		       struct vuart_fx *fx)
{
	if (!access_ok(off, size))
		return -E_INVAL;
	/* Every register is at most 16 bits wide, at the bottom of its word:
	 * a write to the upper bytes touches nothing. */
	if (off & 3)
		return 0;
	write_reg(m, off, (uint32_t)val, fx);
	update_irq(m, fx);
	return 0;
}

static void pl011_receive(struct vuart_model *m, const uint8_t *buf, size_t len,
			  struct vuart_fx *fx)
{
	for (size_t i = 0; i < len; i++)
		push_rx(m, buf[i]);
	update_irq(m, fx);
}

const struct vuart_model_ops vuart_pl011_ops = {
	.name = "pl011",
	.size = pl011_size,
	.reset = pl011_reset,
	.read = pl011_read,
	.write = pl011_write,
	.receive = pl011_receive,
};
