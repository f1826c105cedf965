/*
 * The physical GIC (v2 or v3) that tern drives at EL2: drivers/irqchip/.
 * It knows nothing of guests: the virtual GIC and the timers (<arch/vgic.h>)
 * register the interrupts they need through arch/arm64/irq.c.
 *
 * Interrupt numbers are GIC INTIDs throughout (SGI 0-15, PPI 16-31, SPI 32+).
 */
#ifndef ARCH_ARM64_GIC_H
#define ARCH_ARM64_GIC_H

#include <tern/types.h>

struct pcpu;
struct platform;

/* ---- The physical GIC ----------------------------------------------------- */

#define GIC_SGI_KICK 0          /* tern's IPI: re-run the scheduler / leave the guest */
#define GIC_PPI_MAINTENANCE 25  /* GIC virtual interface maintenance interrupt */
#define GIC_PPI_HYP_TIMER 26    /* CNTHP: tern's own timer (slices, idle deadlines) */
#define GIC_PPI_VTIMER 27       /* CNTV: the guest's virtual timer */

/* Boot CPU, once: find the GIC from the platform (v2 or v3), set up the
 * distributor. Runs with tern's MMU on. */
int gic_init(const struct platform *p, const char **why);
/* Every CPU: its redistributor / CPU interface, EOImode 1 (priority drop and
 * deactivation split, so a guest can deactivate a hardware-linked interrupt
 * itself), and the SGIs and PPIs that have handlers enabled. */
void gic_cpu_init(void);
unsigned int gic_version(void); /* 2 or 3 */
void gic_send_sgi(const struct pcpu *target, unsigned int sgi);

/* A handler returns true if it deactivated (or handed to a guest, which will
 * deactivate) the interrupt itself; false lets gic_handle_irqs deactivate. */
typedef bool (*gic_handler_t)(uint32_t intid, void *ctx);
/* An SPI: routed to the calling CPU and enabled. */
int gic_request_irq(uint32_t intid, gic_handler_t handler, void *ctx);
/* An SGI or PPI, on every CPU: before gic_cpu_init, which enables it. */
int gic_request_private(uint32_t intid, gic_handler_t handler, void *ctx);
/* Take every pending physical interrupt at EL2 (IRQs masked): acknowledge,
 * call its handler, drop priority, deactivate unless the handler took it. */
void gic_handle_irqs(void);
/* An SPI INTID from a device-tree "interrupts" specifier (3 cells). */
int gic_dt_to_intid(const uint32_t *cells, int n, uint32_t *intid);

/* What the driver found: the GIC's version, size and register frames
 * (the v2 hypervisor and virtual CPU interface frames included, for the
 * vGIC to use). */
struct gic_info {
	unsigned int version;    /* 2 or 3 */
	unsigned int nr_irqs;    /* INTIDs the distributor implements, SGIs and PPIs included */
	paddr_t dist_base;       /* GICD */
	uint64_t dist_size;
	paddr_t redist_base;     /* v3: GICR region */
	uint64_t redist_size;
	paddr_t cpuif_base;      /* v2: GICC */
	uint64_t cpuif_size;
	paddr_t hyp_base;        /* v2: GICH (banked per CPU) */
	paddr_t vcpuif_base;     /* v2: GICV, what a guest's GICC becomes */
	uint64_t vcpuif_size;
};

extern struct gic_info gic_info;

/* The active state of a PPI on the calling CPU (the HW-linked vtimer PPI
 * stays active while its virtual twin is in the guest, per vCPU). */
bool gic_ppi_active(uint32_t intid);
void gic_ppi_set_active(uint32_t intid, bool active);

#endif
