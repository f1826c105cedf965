/*
 * Inside the GIC driver: what gic.c (common: handlers, dispatch, the
 * contract in <arch/gic.h>) needs from each version's file.
 */
#ifndef DRIVERS_IRQCHIP_GIC_H
#define DRIVERS_IRQCHIP_GIC_H

#include <arch/gic.h>
#include <tern/cpu.h>
#include <tern/platform.h>
#include <tern/types.h>

#define GIC_NR_SGIS 16
#define GIC_NR_PRIVATE 32
#define GIC_MAX_INTID 1020      /* 1020-1023 are special (spurious) */
#define GIC_PRIO_DEFAULT 0xa0   /* every interrupt tern takes: one level */

struct gic_ops {
	/* Fill gic_info and set up the distributor (boot CPU). */
	int (*init)(const struct platform *p, const char **why);
	/* This CPU's redistributor / banked registers and CPU interface. */
	void (*cpu_init)(void);
	uint32_t (*ack)(void);             /* the raw IAR value */
	uint32_t (*intid)(uint32_t iar);
	void (*eoi)(uint32_t iar);         /* priority drop (EOImode 1) */
	void (*deactivate)(uint32_t iar);
	void (*send_sgi)(const struct pcpu *target, unsigned int sgi);
	/* An SPI in the distributor, a PPI or SGI on the calling CPU. */
	void (*set_enable)(uint32_t intid, bool on);
	void (*route_spi_here)(uint32_t intid);
	bool (*ppi_active)(uint32_t intid);
	void (*ppi_set_active)(uint32_t intid, bool on);
};

extern const struct gic_ops gicv3_ops, gicv2_ops;

/* Whether tern has a handler for intid (cpu_init enables those PPIs/SGIs). */
bool gic_has_handler(uint32_t intid);

static inline uint32_t gic_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void gic_write32(uintptr_t addr, uint32_t val)
{
	*(volatile uint32_t *)addr = val;
}

static inline uint64_t gic_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

static inline void gic_write64(uintptr_t addr, uint64_t val)
{
	*(volatile uint64_t *)addr = val;
}

static inline void gic_write8(uintptr_t addr, uint8_t val)
{
	*(volatile uint8_t *)addr = val;
}

static inline uint8_t gic_read8(uintptr_t addr)
{
	return *(volatile uint8_t *)addr;
}

#endif
