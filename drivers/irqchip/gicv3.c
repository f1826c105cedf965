/*
 * GICv3 at EL2: the distributor and each CPU's redistributor by MMIO, the
 * CPU interface through the ICC_*_EL1 system registers (system-register
 * access enabled at EL2 and allowed to EL1 through ICC_SRE_EL2, so a guest
 * reaches its virtual interface the same way). Every interrupt tern takes
 * is non-secure group 1 at one priority; affinity routing is on.
 */
#include <arch/sysreg.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include "gic.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)
/* Written as Linux does: in the non-secure view EnableGrp1 | EnableGrp1A |
 * ARE_NS; with one security state EnableGrp0 | EnableGrp1 | ARE. */
#define GICD_CTLR_ENABLE 0x13u

#define GICR_FRAME 0x20000      /* RD_base + SGI_base */
#define GICR_FRAME_VLPI 0x40000 /* plus VLPI_base and a reserved frame */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER_VLPIS (1ULL << 1)
#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x080)
#define GICR_ISENABLER0 (GICR_SGI + 0x100)
#define GICR_ICENABLER0 (GICR_SGI + 0x180)
#define GICR_ICPENDR0 (GICR_SGI + 0x280)
#define GICR_ISACTIVER0 (GICR_SGI + 0x300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x380)
#define GICR_IPRIORITYR0 (GICR_SGI + 0x400)

#define ICC_SRE_SRE (1u << 0)
#define ICC_SRE_DFB (1u << 1)
#define ICC_SRE_DIB (1u << 2)
#define ICC_SRE_ENABLE (1u << 3) /* EL1 may use ICC_SRE_EL1 (and sees SRE) */
#define ICC_CTLR_EOIMODE (1u << 1)

/* This CPU's redistributor frame, found by affinity at cpu_init. */
static uintptr_t rd_base[NR_CPUS];

static uintptr_t gicd(void)
{
	return (uintptr_t)gic_info.dist_base;
}

static uintptr_t my_rd(void)
{
	return rd_base[this_cpu()->id];
}

/* Register writes that disable things complete when RWP clears; bounded,
 * because a broken GIC must not hang tern. */
static void wait_rwp(uintptr_t ctlr, uint32_t bit)
{
	for (unsigned int i = 0; i < 1000000 && (gic_read32(ctlr) & bit); i++)
		;
}

/* MPIDR affinity as IROUTER and GICR_TYPER hold it: Aff3 at 39:32. */
static uint64_t mpidr_to_irouter(uint64_t mpidr)
{
	return mpidr & MPIDR_HWID_MASK;
}

static int v3_init(const struct platform *p, const char **why)
{
	uint32_t lines;

	if (p->intc.nr_regs < 2) {
		*why = "the GICv3 node gives no redistributor region";
		return -E_INVAL;
	}
	gic_info.version = 3;
	gic_info.dist_base = p->intc.regs[0].base;
	gic_info.dist_size = p->intc.regs[0].size;
	gic_info.redist_base = p->intc.regs[1].base;
	gic_info.redist_size = p->intc.regs[1].size;
	lines = gic_read32(gicd() + GICD_TYPER) & 0x1f;
	gic_info.nr_irqs = MIN(32 * (lines + 1), (uint32_t)GIC_MAX_INTID);

	gic_write32(gicd() + GICD_CTLR, 0);
	wait_rwp(gicd() + GICD_CTLR, GICD_CTLR_RWP);
	/* Every SPI: group 1, level, one priority, off, idle, routed to the
	 * boot CPU until someone asks for it. */
	for (uint32_t i = GIC_NR_PRIVATE; i < gic_info.nr_irqs; i += 32) {
		gic_write32(gicd() + GICD_IGROUPR + i / 8, ~0u);
		gic_write32(gicd() + GICD_ICENABLER + i / 8, ~0u);
		gic_write32(gicd() + GICD_ICPENDR + i / 8, ~0u);
		gic_write32(gicd() + GICD_ICACTIVER + i / 8, ~0u);
	}
	for (uint32_t i = GIC_NR_PRIVATE; i < gic_info.nr_irqs; i += 16)
		gic_write32(gicd() + GICD_ICFGR + i / 4, 0);
	for (uint32_t i = GIC_NR_PRIVATE; i < gic_info.nr_irqs; i += 4)
		gic_write32(gicd() + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	wait_rwp(gicd() + GICD_CTLR, GICD_CTLR_RWP);
	gic_write32(gicd() + GICD_CTLR, GICD_CTLR_ENABLE);
	wait_rwp(gicd() + GICD_CTLR, GICD_CTLR_RWP);
	for (uint32_t i = GIC_NR_PRIVATE; i < gic_info.nr_irqs; i++)
		gic_write64(gicd() + GICD_IROUTER + 8 * i,
			    mpidr_to_irouter(read_sysreg(mpidr_el1)));
	return 0;
}

static uintptr_t find_redistributor(void)
{
	uint64_t me = mpidr_to_irouter(read_sysreg(mpidr_el1));
	uintptr_t rd = (uintptr_t)gic_info.redist_base;
	uintptr_t end = rd + gic_info.redist_size;

	while (rd < end) {
		uint64_t typer = gic_read64(rd + GICR_TYPER);
		uint64_t aff = typer >> 32;

		if (((aff & 0xff000000) << 8 | (aff & 0xffffff)) == me)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		rd += (typer & GICR_TYPER_VLPIS) ? GICR_FRAME_VLPI : GICR_FRAME;
	}
	return 0;
}

static void v3_cpu_init(void)
{
	uintptr_t rd = find_redistributor();
	uint32_t enable = 0;

	if (!rd) {
		pr_err("gic: no redistributor for CPU %u (MPIDR %#lx)\n", this_cpu()->id,
		       (unsigned long)read_sysreg(mpidr_el1));
		return;
	}
	rd_base[this_cpu()->id] = rd;

	/* Wake the redistributor: the handshake ends when its children are
	 * awake too. */
	gic_write32(rd + GICR_WAKER, gic_read32(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	for (unsigned int i = 0; i < 1000000; i++)
		if (!(gic_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP))
			break;

	gic_write32(rd + GICR_IGROUPR0, ~0u);
	gic_write32(rd + GICR_ICENABLER0, ~0u);
	gic_write32(rd + GICR_ICPENDR0, ~0u & ~0xffffu); /* SGIs: leave queued kicks */
	gic_write32(rd + GICR_ICACTIVER0, ~0u);
	for (uint32_t i = 0; i < GIC_NR_PRIVATE; i += 4)
		gic_write32(rd + GICR_IPRIORITYR0 + i, GIC_PRIO_DEFAULT * 0x01010101u);
	wait_rwp(rd + GICR_CTLR, GICR_CTLR_RWP);
	for (uint32_t i = 0; i < GIC_NR_PRIVATE; i++)
		if (gic_has_handler(i))
			enable |= 1u << i;
	gic_write32(rd + GICR_ISENABLER0, enable);

	/* System-register interface for EL2, and for EL1 (a guest's virtual
	 * interface is reached through the same registers). */
	write_sysreg(icc_sre_el2, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_ENABLE);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);   /* no priority masked */
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static uint32_t v3_ack(void)
{
	uint32_t iar = (uint32_t)read_sysreg(icc_iar1_el1);

	/* The acknowledge must complete before the handler reads device
	 * state the interrupt announced. */
	dsb(sy);
	return iar;
}

static uint32_t v3_intid(uint32_t iar)
{
	return iar & 0xffffff;
}

static void v3_eoi(uint32_t iar)
{
	write_sysreg(icc_eoir1_el1, iar);
	isb();
}

static void v3_deactivate(uint32_t iar)
{
	write_sysreg(icc_dir_el1, iar);
	isb();
}

static void v3_send_sgi(const struct pcpu *target, unsigned int sgi)
{
	uint64_t mpidr = target->hwid;
	uint64_t aff0 = mpidr & 0xff;
	uint64_t v = (1ULL << (aff0 & 0xf)) | ((mpidr >> 8) & 0xff) << 16 |
		     (uint64_t)sgi << 24 | ((mpidr >> 16) & 0xff) << 32 |
		     (aff0 >> 4) << 44 | ((mpidr >> 32) & 0xff) << 48;

	write_sysreg(icc_sgi1r_el1, v);
	isb();
}

static void v3_set_enable(uint32_t intid, bool on)
{
	uintptr_t base;
	uint32_t bit = 1u << (intid % 32);

	if (intid < GIC_NR_PRIVATE) {
		base = my_rd();
		if (!base)
			return;
		gic_write32(base + (on ? GICR_ISENABLER0 : GICR_ICENABLER0), bit);
		if (!on)
			wait_rwp(base + GICR_CTLR, GICR_CTLR_RWP);
		return;
	}
	gic_write32(gicd() + (on ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4, bit);
	if (!on)
		wait_rwp(gicd() + GICD_CTLR, GICD_CTLR_RWP);
}

static void v3_route_spi_here(uint32_t intid)
{
	gic_write64(gicd() + GICD_IROUTER + 8 * intid, mpidr_to_irouter(read_sysreg(mpidr_el1)));
}

static bool v3_ppi_active(uint32_t intid)
{
	uintptr_t rd = my_rd();

	return rd && (gic_read32(rd + GICR_ISACTIVER0) & (1u << intid));
}

static void v3_ppi_set_active(uint32_t intid, bool on)
{
	uintptr_t rd = my_rd();

	if (rd)
		gic_write32(rd + (on ? GICR_ISACTIVER0 : GICR_ICACTIVER0), 1u << intid);
}

const struct gic_ops gicv3_ops = {
	.init = v3_init,
	.cpu_init = v3_cpu_init,
	.ack = v3_ack,
	.intid = v3_intid,
	.eoi = v3_eoi,
	.deactivate = v3_deactivate,
	.send_sgi = v3_send_sgi,
	.set_enable = v3_set_enable,
	.route_spi_here = v3_route_spi_here,
	.ppi_active = v3_ppi_active,
	.ppi_set_active = v3_ppi_set_active,
};
