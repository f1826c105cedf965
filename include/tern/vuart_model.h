/*
 * The register models behind the guest console UART (core/vuart_pl011.c,
 * core/vuart_ns16550.c). They are pure: a state struct goes in, and what
 * the outside world must do comes back in a struct vuart_fx (a byte to
 * print, a change of the interrupt output). core/vuart.c does the locking,
 * the printing and the interrupt injection; the host unit tests drive the
 * models directly.
 */
#ifndef TERN_VUART_MODEL_H
#define TERN_VUART_MODEL_H

#include <tern/types.h>

/* --- Receive FIFO -------------------------------------------------------- */
/* Deep enough for either model: PL011 r1p5 has 32 entries, a 16550A 16. An
 * entry is 16 bits so the PL011 can keep a character's error flags with it. */
#define VUART_FIFO_MAX 32

struct vuart_fifo {
	uint16_t data[VUART_FIFO_MAX];
	unsigned int head;  /* oldest entry */
	unsigned int count;
	unsigned int depth; /* usable entries: the model's FIFO size, or 1 with the FIFO off */
};

static inline void vuart_fifo_reset(struct vuart_fifo *f, unsigned int depth)
{
	f->head = 0;
	f->count = 0;
	f->depth = depth;
}

static inline bool vuart_fifo_full(const struct vuart_fifo *f)
{
	return f->count >= f->depth;
}

/* false when full: the caller records the overrun. */
static inline bool vuart_fifo_push(struct vuart_fifo *f, uint16_t v)
{
	if (vuart_fifo_full(f))
		return false;
	f->data[(f->head + f->count) % VUART_FIFO_MAX] = v;
	f->count++;
	return true;
}

/* The oldest entry, or -1 when empty. */
static inline int vuart_fifo_pop(struct vuart_fifo *f)
{
	uint16_t v;

	if (!f->count)
		return -1;
	v = f->data[f->head];
	f->head = (f->head + 1) % VUART_FIFO_MAX;
	f->count--;
	return v;
}

/* The newest entry, for flags that belong to the last character received. */
static inline uint16_t *vuart_fifo_newest(struct vuart_fifo *f)
{
	return f->count ? &f->data[(f->head + f->count - 1) % VUART_FIFO_MAX] : NULL;
}

/* --- Effects ------------------------------------------------------------- */
struct vuart_fx {
	int out;          /* a byte the guest transmitted, for tern's console; -1: none */
	bool irq_changed; /* the interrupt output changed: tell the interrupt controller */
	bool irq;         /* its new level (meaningful when irq_changed) */
};

#define VUART_FX_INIT { .out = -1, .irq_changed = false, .irq = false }

/* --- Models -------------------------------------------------------------- */
struct vuart_model;

struct vuart_model_ops {
	const char *name;
	/* The register window the guest sees, in bytes. */
	uint64_t (*size)(const struct vuart_model *m);
	/* Back to the power-on state (the interrupt output falls if it was high). */
	void (*reset)(struct vuart_model *m, struct vuart_fx *fx);
	/* A guest access at offset in the window; size is 1, 2, 4 or 8. 0, or
	 * -E_INVAL for an access the device would not answer (aborted in the
	 * guest). */
	int (*read)(struct vuart_model *m, uint64_t off, unsigned int size, uint64_t *val,
		    struct vuart_fx *fx);
	int (*write)(struct vuart_model *m, uint64_t off, unsigned int size, uint64_t val,
		     struct vuart_fx *fx);
	/* Characters arriving on the serial line; what does not fit in the
	 * FIFO is lost and flagged as an overrun, as on the wire. */
	void (*receive)(struct vuart_model *m, const uint8_t *buf, size_t len, struct vuart_fx *fx);
};

/* PL011 state beyond the FIFO. */
struct vpl011 {
	uint16_t cr;
	uint16_t ibrd;
	uint8_t fbrd;
	uint8_t lcr_h;
	uint8_t ifls;
	uint8_t ilpr;
	uint8_t dmacr;
	uint16_t imsc;
	uint16_t ris;  /* latched raw interrupt bits (the TX bit is computed) */
	uint8_t rsr;   /* receive status: FE, PE, BE, OE */
};

/* 16550A state beyond the FIFO. */
struct vns16550 {
	uint8_t ier;
	uint8_t fcr;
	uint8_t lcr;
	uint8_t mcr;
	uint8_t scr;
	uint8_t dll;
	uint8_t dlm;
	uint8_t msr_delta;  /* DCTS, DDSR, TERI, DDCD: cleared by reading MSR */
	bool overrun;       /* LSR.OE: cleared by reading LSR */
	bool thre_pending;  /* the THR-empty interrupt: cleared by reading IIR or writing THR */
};

struct vuart_model {
	const struct vuart_model_ops *ops;
	bool irq;               /* the interrupt output as last reported */
	unsigned int reg_shift; /* 16550: registers are 1 << reg_shift bytes apart */
	uint64_t window;        /* 16550: the register window (at least 8 << reg_shift) */
	struct vuart_fifo rx;
	union {
		struct vpl011 pl011;
		struct vns16550 ns16550;
	} r;
};

extern const struct vuart_model_ops vuart_pl011_ops;
extern const struct vuart_model_ops vuart_ns16550_ops;

/* Record the interrupt output's level after an operation, flagging a change
 * so that the interrupt controller hears of changes only (a level, as the
 * vtimer's: seed 003). */
static inline void vuart_set_level(struct vuart_model *m, bool level, struct vuart_fx *fx)
{
	if (level != m->irq) {
		m->irq = level;
		fx->irq_changed = true;
	}
	fx->irq = m->irq;
}

/* PL011 registers and bits the tests and the DT code share. */
#define VPL011_SIZE 0x1000
#define VPL011_DR 0x000
#define VPL011_RSR 0x004 /* write: ECR */
#define VPL011_FR 0x018
#define VPL011_ILPR 0x020
#define VPL011_IBRD 0x024
#define VPL011_FBRD 0x028
#define VPL011_LCR_H 0x02c
#define VPL011_CR 0x030
#define VPL011_IFLS 0x034
#define VPL011_IMSC 0x038
#define VPL011_RIS 0x03c
#define VPL011_MIS 0x040
#define VPL011_ICR 0x044
#define VPL011_DMACR 0x048
#define VPL011_PERIPHID0 0xfe0
#define VPL011_CELLID0 0xff0

#define VPL011_FR_CTS (1u << 0)
#define VPL011_FR_DSR (1u << 1)
#define VPL011_FR_DCD (1u << 2)
#define VPL011_FR_BUSY (1u << 3)
#define VPL011_FR_RXFE (1u << 4)
#define VPL011_FR_TXFF (1u << 5)
#define VPL011_FR_RXFF (1u << 6)
#define VPL011_FR_TXFE (1u << 7)

#define VPL011_DR_OE (1u << 11)
#define VPL011_RSR_OE (1u << 3)
#define VPL011_LCR_H_FEN (1u << 4)
#define VPL011_CR_LBE (1u << 7)

#define VPL011_INT_RX (1u << 4)
#define VPL011_INT_TX (1u << 5)
#define VPL011_INT_RT (1u << 6)
#define VPL011_INT_OE (1u << 10)
#define VPL011_INT_ALL 0x7ffu

#define VPL011_FIFO_DEPTH 32

/* 16550 registers (index, before reg_shift) and bits. */
#define VNS_RBR 0 /* read, DLAB=0 */
#define VNS_THR 0 /* write, DLAB=0 */
#define VNS_DLL 0 /* DLAB=1 */
#define VNS_IER 1 /* DLAB=0 */
#define VNS_DLM 1 /* DLAB=1 */
#define VNS_IIR 2 /* read */
#define VNS_FCR 2 /* write */
#define VNS_LCR 3
#define VNS_MCR 4
#define VNS_LSR 5
#define VNS_MSR 6
#define VNS_SCR 7

#define VNS_IER_RDI 0x01
#define VNS_IER_THRI 0x02
#define VNS_IER_RLSI 0x04
#define VNS_IER_MSI 0x08

#define VNS_IIR_NO_INT 0x01
#define VNS_IIR_MSI 0x00
#define VNS_IIR_THRI 0x02
#define VNS_IIR_RDI 0x04
#define VNS_IIR_RLSI 0x06
#define VNS_IIR_TIMEOUT 0x0c
#define VNS_IIR_FIFOS 0xc0

#define VNS_FCR_ENABLE 0x01
#define VNS_FCR_CLEAR_RX 0x02
#define VNS_FCR_CLEAR_TX 0x04

#define VNS_LCR_DLAB 0x80

#define VNS_MCR_DTR 0x01
#define VNS_MCR_RTS 0x02
#define VNS_MCR_OUT1 0x04
#define VNS_MCR_OUT2 0x08
#define VNS_MCR_LOOP 0x10

#define VNS_LSR_DR 0x01
#define VNS_LSR_OE 0x02
#define VNS_LSR_THRE 0x20
#define VNS_LSR_TEMT 0x40

#define VNS_MSR_DCTS 0x01
#define VNS_MSR_DDSR 0x02
#define VNS_MSR_TERI 0x04
#define VNS_MSR_DDCD 0x08
#define VNS_MSR_CTS 0x10
#define VNS_MSR_DSR 0x20
#define VNS_MSR_RI 0x40
#define VNS_MSR_DCD 0x80

#define VNS_FIFO_DEPTH 16

#endif
