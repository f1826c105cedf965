/*
 * GICv2 (GIC-400 and QEMU's) at EL2: distributor and CPU interface by
 * MMIO. The device tree's reg gives GICD, GICC, GICH and GICV in that
 * order; the last two are the virtualization extensions a guest needs.
 *
 * Every interrupt tern takes is group 1. On a GIC with the Security
 * Extensions tern runs non-secure: the firmware made them group 1 and
 * tern sees the non-secure view of the registers. On one without (QEMU's
 * virt board), tern sets the groups itself, because a guest's deactivation
 * through a hardware-linked list register reaches a physical interrupt
 * only if it is group 1 (QEMU 7.2 ignores it for group 0, and the
 * guest's timer would then stay active for good).
 */
#include <arch/sysreg.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include "gic.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00

#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICC_DIR 0x1000
#define GICD_IGROUPR 0x080
#define GICD_CTLR_ENABLE_GRP0 (1u << 0)
#define GICD_CTLR_ENABLE_GRP1 (1u << 1) /* no Security Extensions: the secure layout */
#define GICD_TYPER_SECURITY_EXTN (1u << 10)

/* GICC_CTLR as a non-secure access sees it (Security Extensions), and
 * with no Security Extensions (one layout for everything): both groups
 * on, group 1 acknowledged through GICC_IAR (AckCtl), and EOImode 1 for
 * both groups. */
#define GICC_CTLR_NS (1u << 0 | 1u << 9)
#define GICC_CTLR_NO_SECURITY (1u << 0 | 1u << 1 | 1u << 2 | 1u << 9 | 1u << 10)

/* Each CPU's interface number as a target mask, read from its banked
 * GICD_ITARGETSR0 (a GIC's numbering need not follow MPIDRs). */
static uint8_t cpu_mask[NR_CPUS];
/* The GIC has the Security Extensions: tern's accesses are non-secure. */
static bool security_extn;

static uintptr_t gicd(void)
{
	return (uintptr_t)gic_info.dist_base;
}

static uintptr_t gicc(void)
{
	return (uintptr_t)gic_info.cpuif_base;
}

static int v2_init(const struct platform *p, const char **why)
{
	uint32_t lines;

	if (p->intc.nr_regs < 4) {
		*why = "the GICv2 has no virtualization extensions (no GICH and GICV in the device "
		       "tree): start QEMU with -M virt,virtualization=on";
		return -E_NOTSUP;
	}
	if (p->intc.regs[1].size < 0x2000 || p->intc.regs[3].size < 0x2000) {
		*why = "the GICv2 CPU interfaces (GICC, GICV) must be at least 8 KiB";
		return -E_NOTSUP;
	}
	gic_info.version = 2;
	gic_info.dist_base = p->intc.regs[0].base;
	gic_info.dist_size = p->intc.regs[0].size;
	gic_info.cpuif_base = p->intc.regs[1].base;
	gic_info.cpuif_size = p->intc.regs[1].size;
	gic_info.hyp_base = p->intc.regs[2].base;
	gic_info.vcpuif_base = p->intc.regs[3].base;
	gic_info.vcpuif_size = p->intc.regs[3].size;
	lines = gic_read32(gicd() + GICD_TYPER) & 0x1f;
	gic_info.nr_irqs = MIN(32 * (lines + 1), (uint32_t)GIC_MAX_INTID);
	security_extn = gic_read32(gicd() + GICD_TYPER) & GICD_TYPER_SECURITY_EXTN;

	gic_write32(gicd() + GICD_CTLR, 0);
	for (uint32_t i = GIC_NR_PRIVATE; i < gic_info.nr_irqs; i += 32) {
		if (!security_extn)
			gic_write32(gicd() + GICD_IGROUPR + i / 8, ~0u);
		gic_write32(gicd() + GICD_ICENABLER + i / 8, ~0u);
		gic_write32(gicd() + GICD_ICPENDR + i / 8, ~0u);
		gic_write32(gicd() + GICD_ICACTIVER + i / 8, ~0u);
	}
	for (uint32_t i = GIC_NR_PRIVATE; i < gic_info.nr_irqs; i += 16)
		gic_write32(gicd() + GICD_ICFGR + i / 4, 0);
	/* SPIs go to the boot CPU until someone asks for one. */
	for (uint32_t i = GIC_NR_PRIVATE; i < gic_info.nr_irqs; i += 4) {
		gic_write32(gicd() + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
		gic_write32(gicd() + GICD_ITARGETSR + i,
			    (gic_read32(gicd() + GICD_ITARGETSR) & 0xff) * 0x01010101u);
	}
	/* Non-secure view: bit 0 is the group 1 enable. */
	gic_write32(gicd() + GICD_CTLR, security_extn ? GICD_CTLR_ENABLE_GRP0
						      : GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
	return 0;
}

static void v2_cpu_init(void)
{
	uint32_t enable = 0;

	cpu_mask[this_cpu()->id] = (uint8_t)gic_read32(gicd() + GICD_ITARGETSR);
	if (!security_extn)
		gic_write32(gicd() + GICD_IGROUPR, ~0u); /* banked: this CPU's 0-31 */
	gic_write32(gicd() + GICD_ICENABLER, ~0u);
	gic_write32(gicd() + GICD_ICACTIVER, ~0u);
	for (uint32_t i = 0; i < GIC_NR_PRIVATE; i += 4)
		gic_write32(gicd() + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	for (uint32_t i = 0; i < GIC_NR_PRIVATE; i++)
		if (gic_has_handler(i))
			enable |= 1u << i;
	gic_write32(gicd() + GICD_ISENABLER, enable);

	gic_write32(gicc() + GICC_PMR, 0xff);
	gic_write32(gicc() + GICC_BPR, 0);
	gic_write32(gicc() + GICC_CTLR, security_extn ? GICC_CTLR_NS : GICC_CTLR_NO_SECURITY);
}

static uint32_t v2_ack(void)
{
	return gic_read32(gicc() + GICC_IAR);
}

static uint32_t v2_intid(uint32_t iar)
{
	return iar & 0x3ff;
}

/* EOIR and DIR take the IAR value whole: for an SGI it names the source. */
static void v2_eoi(uint32_t iar)
{
	gic_write32(gicc() + GICC_EOIR, iar);
}

static void v2_deactivate(uint32_t iar)
{
	gic_write32(gicc() + GICC_DIR, iar);
}

static void v2_send_sgi(const struct pcpu *target, unsigned int sgi)
{
	gic_write32(gicd() + GICD_SGIR, (uint32_t)cpu_mask[target->id] << 16 | sgi);
}

/* The registers of INTIDs 0-31 are banked: the calling CPU's. */
static void v2_set_enable(uint32_t intid, bool on)
{
	gic_write32(gicd() + (on ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4,
		    1u << (intid % 32));
}

static void v2_route_spi_here(uint32_t intid)
{
	gic_write8(gicd() + GICD_ITARGETSR + intid, cpu_mask[this_cpu()->id]);
}

static bool v2_ppi_active(uint32_t intid)
{
	return gic_read32(gicd() + GICD_ISACTIVER) & (1u << intid);
}

static void v2_ppi_set_active(uint32_t intid, bool on)
{
	gic_write32(gicd() + (on ? GICD_ISACTIVER : GICD_ICACTIVER), 1u << intid);
}

const struct gic_ops gicv2_ops = {
	.init = v2_init,
	.cpu_init = v2_cpu_init,
	.ack = v2_ack,
	.intid = v2_intid,
	.eoi = v2_eoi,
	.deactivate = v2_deactivate,
	.send_sgi = v2_send_sgi,
	.set_enable = v2_set_enable,
	.route_spi_here = v2_route_spi_here,
	.ppi_active = v2_ppi_active,
	.ppi_set_active = v2_ppi_set_active,
};
