/*
 * What the UART unit tests share: the register models driven access by
 * access (test_vuart_pl011.c, test_vuart_ns16550.c), and the host UARTs a
 * VM's console is made for (test_vuart.c, test_guest_dt.c).
 */
#ifndef TESTS_UNIT_VUART_TEST_H
#define TESTS_UNIT_VUART_TEST_H

#include <string.h>
#include <tern/platform.h>
#include <tern/vuart_model.h>
#include "test.h"

/* The host UART of QEMU virt on each arch (defined in test_vuart.c). */
extern const struct plat_uart unit_host_pl011, unit_host_ns16550;

static inline void model_init(struct vuart_model *m, const struct vuart_model_ops *ops,
		       unsigned int reg_shift)
{
	struct vuart_fx fx = VUART_FX_INIT;

	memset(m, 0, sizeof(*m));
	m->ops = ops;
	m->reg_shift = reg_shift;
	m->window = 8u << reg_shift;
	ops->reset(m, &fx);
}

static inline uint64_t rd(struct vuart_model *m, uint64_t off, unsigned int size, struct vuart_fx *fx)
{
	struct vuart_fx local = VUART_FX_INIT;
	uint64_t v = ~0ull;

	CHECK_EQ(m->ops->read(m, off, size, &v, fx ? fx : &local), 0);
	return v;
}

static inline struct vuart_fx wr(struct vuart_model *m, uint64_t off, unsigned int size, uint64_t v)
{
	struct vuart_fx fx = VUART_FX_INIT;

	CHECK_EQ(m->ops->write(m, off, size, v, &fx), 0);
	return fx;
}

static inline struct vuart_fx rx(struct vuart_model *m, const char *s)
{
	struct vuart_fx fx = VUART_FX_INIT;

	m->ops->receive(m, (const uint8_t *)s, strlen(s), &fx);
	return fx;
}

static inline uint32_t pl(struct vuart_model *m, uint64_t reg)
{
	return (uint32_t)rd(m, reg, 4, NULL);
}

/* 16550 register by index, byte access. */
static inline uint8_t ns(struct vuart_model *m, unsigned int reg)
{
	return (uint8_t)rd(m, (uint64_t)reg << m->reg_shift, 1, NULL);
}

static inline struct vuart_fx ns_wr(struct vuart_model *m, unsigned int reg, uint8_t v)
{
	return wr(m, (uint64_t)reg << m->reg_shift, 1, v);
}

#endif
