/*
 * The physical GIC as tern uses it at EL2, whatever its version: a table of
 * handlers by INTID, the acknowledge/dispatch loop, and the contract of
 * <arch/gic.h>. gicv3.c and gicv2.c supply the register-level operations.
 * Which interrupts tern takes, and for what, is its users' business
 * (arch/arm64/irq.c): this file knows nothing of guests.
 *
 * EOImode is 1 on every CPU: writing EOIR only drops the running priority
 * and a separate DIR write deactivates. That lets a handler keep an
 * interrupt active after tern is done with it, so a guest deactivates it
 * through a hardware-linked list register (the vtimer, seed 003).
 */
#include <arch/sysreg.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include "gic.h"

struct gic_info gic_info;

static const struct gic_ops *ops;

struct gic_handler {
	gic_handler_t fn;
	void *ctx;
};

static struct gic_handler handlers[GIC_MAX_INTID];

bool gic_has_handler(uint32_t intid)
{
	return intid < GIC_MAX_INTID && handlers[intid].fn;
}

unsigned int gic_version(void)
{
	return gic_info.version;
}

int gic_init(const struct platform *p, const char **why)
{
	int err;

	switch (p->intc.kind) {
	case INTC_GICV3:
		ops = &gicv3_ops;
		break;
	case INTC_GICV2:
		ops = &gicv2_ops;
		break;
	default:
		*why = "the device tree names no GICv2 or GICv3 interrupt controller";
		return -E_NOTSUP;
	}
	err = ops->init(p, why);
	if (err) {
		ops = NULL;
		return err;
	}
	pr_info("gic: GICv%u, %u interrupts\n", gic_info.version, gic_info.nr_irqs);
	return 0;
}

void gic_cpu_init(void)
{
	if (ops)
		ops->cpu_init();
}

void gic_send_sgi(const struct pcpu *target, unsigned int sgi)
{
	if (!ops || sgi >= GIC_NR_SGIS)
		return;
	/* What the target is told to look at (a wake flag, a queued
	 * interrupt) must be visible before the interrupt arrives. */
	dsb(ishst);
	ops->send_sgi(target, sgi);
}

int gic_request_private(uint32_t intid, gic_handler_t handler, void *ctx)
{
	if (!ops)
		return -E_NOTSUP;
	if (intid >= GIC_NR_PRIVATE || !handler)
		return -E_INVAL;
	if (handlers[intid].fn)
		return -E_BUSY;
	handlers[intid] = (struct gic_handler){ handler, ctx };
	return 0;
}

int gic_request_irq(uint32_t intid, gic_handler_t handler, void *ctx)
{
	if (!ops)
		return -E_NOTSUP;
	if (intid >= gic_info.nr_irqs || intid < GIC_NR_SGIS || !handler)
		return -E_INVAL;
	if (handlers[intid].fn)
		return -E_BUSY;
	handlers[intid] = (struct gic_handler){ handler, ctx };
	dsb(ish);
	if (intid >= GIC_NR_PRIVATE)
		ops->route_spi_here(intid);
	ops->set_enable(intid, true);
	return 0;
}

void gic_handle_irqs(void)
{
	if (!ops)
		return;
	for (;;) {
		uint32_t iar = ops->ack();
		uint32_t intid = ops->intid(iar);
		struct gic_handler *h;
		bool taken = false;

		if (intid >= GIC_MAX_INTID)
			break; /* 1023: nothing (more) pending */
		h = &handlers[intid];
		if (h->fn) {
			taken = h->fn(intid, h->ctx);
		} else if (intid >= GIC_NR_SGIS) {
			/* Nobody asked for it: keep it from firing again. */
			pr_warn("gic: unexpected interrupt %u, disabled\n", intid);
			ops->set_enable(intid, false);
		}
		ops->eoi(iar);
		if (!taken)
			ops->deactivate(iar);
	}
}

bool gic_ppi_active(uint32_t intid)
{
	return ops && ops->ppi_active(intid);
}

void gic_ppi_set_active(uint32_t intid, bool active)
{
	if (ops)
		ops->ppi_set_active(intid, active);
}

/* The GIC binding: <type number flags>, type 0 an SPI, 1 a PPI. */
int gic_dt_to_intid(const uint32_t *cells, int n, uint32_t *intid)
{
	if (n < 2)
		return -E_INVAL;
	switch (cells[0]) {
	case 0:
		if (cells[1] >= GIC_MAX_INTID - GIC_NR_PRIVATE)
			return -E_RANGE;
		*intid = GIC_NR_PRIVATE + cells[1];
		return 0;
	case 1:
		if (cells[1] >= GIC_NR_PRIVATE - GIC_NR_SGIS)
			return -E_RANGE;
		*intid = GIC_NR_SGIS + cells[1];
		return 0;
	default:
		return -E_NOTSUP;
	}
}
