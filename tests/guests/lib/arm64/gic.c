/*
 * The GIC as a test guest drives it, for the private interrupts (SGIs and
 * PPIs) of the CPU it runs on: GICv3 through its redistributor frame and
 * the ICC system registers, GICv2 through the distributor's banked
 * registers and the memory-mapped CPU interface. Addresses come from the
 * DT (QEMU virt's nodes: 2 address and 2 size cells).
 */
#include <libfdt.h>

#include "guest.h"
#include "lib.h"

#define ICC_PMR_EL1 s3_0_c4_c6_0
#define ICC_IAR1_EL1 s3_0_c12_c12_0
#define ICC_EOIR1_EL1 s3_0_c12_c12_1
#define ICC_SRE_EL1 s3_0_c12_c12_5
#define ICC_IGRPEN1_EL1 s3_0_c12_c12_7

struct gic gic;

bool gic_find(void)
{
	const void *fdt = guest_fdt();
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	const fdt32_t *reg;
	int len;

	gic.v3 = node >= 0;
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,cortex-a15-gic");
	if (node < 0)
		return false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 32)
		return false;
	gic.dist = (uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]));
	/* GICv3: the redistributors; GICv2: the CPU interface. */
	gic.cpu = (uintptr_t)((uint64_t)fdt32_to_cpu(reg[4]) << 32 | fdt32_to_cpu(reg[5]));
	return true;
}

/* The redistributor frame (RD_base) of the calling CPU: GICR_TYPER's
 * affinity matches MPIDR; frames are 128 KiB (no VLPIs), Last ends them. */
uintptr_t gic_my_redist(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint32_t aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);

	for (uintptr_t f = gic.cpu; f < gic.cpu + 64 * 0x20000; f += 0x20000) {
		uint32_t hi = mmio_read32(f + 0xc), lo = mmio_read32(f + 0x8);

		if (hi == aff)
			return f;
		if (lo & (1u << 4)) /* Last */
			break;
	}
	return 0;
}

bool gic_cpu_enable(uint32_t private_mask)
{
	if (gic.v3) {
		uintptr_t rd = gic_my_redist(), sgi;

		if (!rd)
			return false;
		sgi = rd + 0x10000;
		/* Distributor: affinity routing, group 1 on. */
		mmio_write32(gic.dist, mmio_read32(gic.dist) | 0x12);
		mmio_write32(rd + 0x14, mmio_read32(rd + 0x14) & ~2u); /* WAKER.ProcessorSleep */
		for (int i = 0; i < 1000 && (mmio_read32(rd + 0x14) & 4u); i++)
			;
		mmio_write32(sgi + 0x80, 0xffffffffu); /* IGROUPR0: group 1 */
		for (unsigned int i = 0; i < 32; i += 4)
			mmio_write32(sgi + 0x400 + i, 0x80808080u); /* IPRIORITYR */
		mmio_write32(sgi + 0x100, private_mask); /* ISENABLER0 */
		write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
		isb();
		write_sysreg(ICC_PMR_EL1, 0xff);
		write_sysreg(ICC_IGRPEN1_EL1, 1);
		isb();
		return true;
	}
	/* GICv2: group 0 interrupts as IRQs (GICC_CTLR.FIQEn clear). */
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(gic.dist + 0x400 + i, 0x80808080u); /* GICD_IPRIORITYR */
	mmio_write32(gic.dist + 0x100, private_mask); /* GICD_ISENABLER0, banked */
	mmio_write32(gic.dist, 1); /* GICD_CTLR.Enable */
	mmio_write32(gic.cpu + 0x4, 0xff); /* GICC_PMR */
	mmio_write32(gic.cpu, 1); /* GICC_CTLR.Enable */
	return true;
}

void gic_set_pending(uint32_t intid)
{
	if (gic.v3)
		mmio_write32(gic_my_redist() + 0x10000 + 0x200, 1u << intid); /* GICR_ISPENDR0 */
	else
		mmio_write32(gic.dist + 0x200, 1u << intid); /* GICD_ISPENDR0, banked */
}

uint32_t gic_ack(void)
{
	if (gic.v3)
		return read_sysreg(ICC_IAR1_EL1) & 0xffffff;
	return mmio_read32(gic.cpu + 0xc) & 0x3ff; /* GICC_IAR */
}

void gic_eoi(uint32_t intid)
{
	if (gic.v3) {
		write_sysreg(ICC_EOIR1_EL1, intid);
		isb();
	} else {
		mmio_write32(gic.cpu + 0x10, intid); /* GICC_EOIR */
	}
}
