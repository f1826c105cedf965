/*
 * The guest's NS16550A, as Linux's 8250 driver (of_serial, "ns16550a"), its
 * earlycon, U-Boot and OpenSBI-style polled code use it.
 *
 * What is modelled and why:
 * - Registers are 1 << reg_shift bytes apart (the host UART's DT layout, so
 *   the guest DT can copy it); any 8, 16 or 32-bit naturally aligned access
 *   at a register reads or writes its byte, bytes between registers and
 *   anything past SCR read as zero and ignore writes; 64-bit accesses are
 *   refused.
 * - Transmission is instantaneous: THR and the shift register are always
 *   empty (LSR.THRE and TEMT set). The THR-empty interrupt follows the
 *   datasheet: pending when IER.ETBEI goes from 0 to 1, and again after
 *   every THR write (the byte leaves at once); cleared by writing THR or by
 *   reading IIR while it is the reported source. Linux's startup probes this
 *   (UART_BUG_THRE / UART_BUG_TXEN) and its TX path depends on it.
 * - Reception fills a 16-byte FIFO (one holding register with FCR.FIFOE
 *   clear). IIR reports "received data" at the FCR trigger level and the
 *   character timeout below it: the timeout is taken to expire at once, so
 *   a single keystroke interrupts promptly. A byte arriving at a full FIFO is
 *   lost and sets LSR.OE (a line-status interrupt when IER.ELSI is set).
 * - Interrupt priority: line status, received data / timeout, THR empty,
 *   modem status. The output is a level: IIR has a source pending. It is not
 *   gated by MCR.OUT2 (that gate is PC board wiring, not the chip).
 * - Modem lines: outside loopback CTS, DSR and DCD are asserted (a connected
 *   line) and RI clear. In loopback (MCR.LOOP) they follow RTS, DTR, OUT2 and
 *   OUT1 with their delta bits, as the 8250 driver's loopback probe expects,
 *   and transmitted bytes come back as received ones. Break, parity and
 *   framing errors never happen. Divisor latch, LCR and SCR are stored.
 */
#include <tern/errno.h>
#include <tern/vuart_model.h>

static struct vns16550 *regs(struct vuart_model *m)
{
	return &m->r.ns16550;
}

static uint64_t ns16550_size(const struct vuart_model *m)
{
	return m->window;
}

static bool fifo_on(const struct vns16550 *s)
{
	return s->fcr & VNS_FCR_ENABLE;
}

static unsigned int rx_trigger(const struct vns16550 *s)
{
	static const unsigned int levels[4] = { 1, 4, 8, 14 };

	return fifo_on(s) ? levels[s->fcr >> 6] : 1;
}

/* The modem inputs as the guest sees them. */
static uint8_t modem_lines(uint8_t mcr)
{
	uint8_t msr = 0;

	if (!(mcr & VNS_MCR_LOOP))
		return VNS_MSR_CTS | VNS_MSR_DSR | VNS_MSR_DCD;
	if (mcr & VNS_MCR_RTS)
		msr |= VNS_MSR_CTS;
	if (mcr & VNS_MCR_DTR)
		msr |= VNS_MSR_DSR;
	if (mcr & VNS_MCR_OUT1)
		msr |= VNS_MSR_RI;
	if (mcr & VNS_MCR_OUT2)
		msr |= VNS_MSR_DCD;
	return msr;
}

/* The highest-priority pending source, as IIR bits 3:0. */
static uint8_t pending_source(const struct vuart_model *m)
{
	const struct vns16550 *s = &m->r.ns16550;

	if ((s->ier & VNS_IER_RLSI) && s->overrun)
		return VNS_IIR_RLSI;
	if ((s->ier & VNS_IER_RDI) && m->rx.count)
		return m->rx.count >= rx_trigger(s) ? VNS_IIR_RDI : VNS_IIR_TIMEOUT;
	if ((s->ier & VNS_IER_THRI) && s->thre_pending)
		return VNS_IIR_THRI;
	if ((s->ier & VNS_IER_MSI) && s->msr_delta)
		return VNS_IIR_MSI;
	return VNS_IIR_NO_INT;
}

static void update_irq(struct vuart_model *m, struct vuart_fx *fx)
{
	vuart_set_level(m, pending_source(m) != VNS_IIR_NO_INT, fx);
}

static void push_rx(struct vuart_model *m, uint8_t c)
{
	if (!vuart_fifo_push(&m->rx, c))
		regs(m)->overrun = true;
}

static void ns16550_reset(struct vuart_model *m, struct vuart_fx *fx)
{
	*regs(m) = (struct vns16550){ 0 };
	vuart_fifo_reset(&m->rx, 1);
	update_irq(m, fx);
}

static uint8_t read_reg(struct vuart_model *m, unsigned int reg)
{
	struct vns16550 *s = regs(m);
	bool dlab = s->lcr & VNS_LCR_DLAB;
	uint8_t v;

	switch (reg) {
	case VNS_RBR:
		if (dlab)
			return s->dll;
		return (uint8_t)(m->rx.count ? vuart_fifo_pop(&m->rx) : 0);
	case VNS_IER:
		return dlab ? s->dlm : s->ier;
	case VNS_IIR:
		v = pending_source(m);
		if (v == VNS_IIR_THRI)
			s->thre_pending = false; /* reading IIR acknowledges THR empty */
		return v | (fifo_on(s) ? VNS_IIR_FIFOS : 0);
	case VNS_LCR:
		return s->lcr;
	case VNS_MCR:
		return s->mcr;
	case VNS_LSR:
		v = VNS_LSR_THRE | VNS_LSR_TEMT;
		if (m->rx.count)
			v |= VNS_LSR_DR;
		if (s->overrun)
			v |= VNS_LSR_OE;
		s->overrun = false;
		return v;
	case VNS_MSR:
		v = modem_lines(s->mcr) | s->msr_delta;
		s->msr_delta = 0;
		return v;
	case VNS_SCR:
		return s->scr;
	}
	return 0;
}

static void write_mcr(struct vns16550 *s, uint8_t v)
{
	uint8_t old = modem_lines(s->mcr), now = modem_lines(v & 0x1f);
	uint8_t changed = old ^ now;

	if (changed & VNS_MSR_CTS)
		s->msr_delta |= VNS_MSR_DCTS;
	if (changed & VNS_MSR_DSR)
		s->msr_delta |= VNS_MSR_DDSR;
	if ((old & VNS_MSR_RI) && !(now & VNS_MSR_RI))
		s->msr_delta |= VNS_MSR_TERI; /* trailing edge only */
	if (changed & VNS_MSR_DCD)
		s->msr_delta |= VNS_MSR_DDCD;
	s->mcr = v & 0x1f;
}

static void write_fcr(struct vuart_model *m, uint8_t v)
{
	struct vns16550 *s = regs(m);

	/* Turning the FIFOs on or off empties them; the other bits are only
	 * programmed while FIFOE is being written as 1. */
	if ((v ^ s->fcr) & VNS_FCR_ENABLE)
		vuart_fifo_reset(&m->rx, (v & VNS_FCR_ENABLE) ? VNS_FIFO_DEPTH : 1);
	if (!(v & VNS_FCR_ENABLE)) {
		s->fcr = 0;
		return;
	}
	if (v & VNS_FCR_CLEAR_RX)
		vuart_fifo_reset(&m->rx, VNS_FIFO_DEPTH);
	s->fcr = v & 0xc9; /* FIFOE, DMA mode, trigger level; the clear bits self-clear */
}

static void write_reg(struct vuart_model *m, unsigned int reg, uint8_t v, struct vuart_fx *fx)
{
	struct vns16550 *s = regs(m);
	bool dlab = s->lcr & VNS_LCR_DLAB;

	switch (reg) {
	case VNS_THR:
		if (dlab) {
			s->dll = v;
			break;
		}
		if (s->mcr & VNS_MCR_LOOP)
			push_rx(m, v);
		else
			fx->out = v;
		/* The byte leaves at once, so THR is empty again. */
		s->thre_pending = true;
		break;
	case VNS_IER:
		if (dlab) {
			s->dlm = v;
			break;
		}
		/* Bits 7:4 do not exist on a 16550A; Linux probes for that. */
		if (!(s->ier & VNS_IER_THRI) && (v & VNS_IER_THRI))
			s->thre_pending = true;
		s->ier = v & 0x0f;
		break;
	case VNS_FCR:
		write_fcr(m, v);
		break;
	case VNS_LCR:
		s->lcr = v;
		break;
	case VNS_MCR:
		write_mcr(s, v);
		break;
	case VNS_SCR:
		s->scr = v;
		break;
	default:
		break; /* LSR and MSR are read-only (factory test writes ignored) */
	}
}

/* The register an access addresses, or -1 for bytes between registers and
 * space past the last one. */
static int reg_index(const struct vuart_model *m, uint64_t off)
{
	uint64_t stride = 1ull << m->reg_shift;

	if (off & (stride - 1))
		return -1;
	off >>= m->reg_shift;
	return off <= VNS_SCR ? (int)off : -1;
}

static bool access_ok(uint64_t off, unsigned int size)
{
	return (size == 1 || size == 2 || size == 4) && (off & (size - 1)) == 0;
}

static int ns16550_read(struct vuart_model *m, uint64_t off, unsigned int size, uint64_t *val,
			struct vuart_fx *fx)
{
	if (!access_ok(off, size))
		return -E_INVAL;
	int reg = reg_index(m, off);

	*val = reg < 0 ? 0 : read_reg(m, (unsigned int)reg);
	update_irq(m, fx);
	return 0;
}

static int ns16550_write(struct vuart_model *m, uint64_t off, unsigned int size, uint64_t val,
			 struct vuart_fx *fx)
{
	if (!access_ok(off, size))
		return -E_INVAL;
	int reg = reg_index(m, off);

	if (reg >= 0)
		write_reg(m, (unsigned int)reg, (uint8_t)val, fx);
	update_irq(m, fx);
	return 0;
}

static void ns16550_receive(struct vuart_model *m, const uint8_t *buf, size_t len,
			    struct vuart_fx *fx)
{
	for (size_t i = 0; i < len; i++)
		push_rx(m, buf[i]);
	update_irq(m, fx);
}

const struct vuart_model_ops vuart_ns16550_ops = {
	.name = "ns16550",
	.size = ns16550_size,
	.reset = ns16550_reset,
	.read = ns16550_read,
	.write = ns16550_write,
	.receive = ns16550_receive,
};
