/*
 * Affinity routing for the vGIC: MPIDR affinity as GICv3 registers compare
 * it, which vCPU an affinity names, the targets of a guest's ICC_SGI1R_EL1
 * write, and sending an SGI to a set of vCPUs. Pure: unit-tested on the
 * host.
 */
#include "include/arch/vgic_model.h"

#define BIT32(n) ((uint32_t)1 << (n))

uint32_t vgic_pack_affinity(uint64_t mpidr)
{
	return (uint32_t)(mpidr & 0xffffff) | (uint32_t)((mpidr >> 32) & 0xff) << 24;
}

unsigned int vgic_find_cpu(const struct vgic_dist *d, uint32_t aff)
{
	for (unsigned int i = 0; i < d->nr_cpus; i++)
		if (d->cpus[i] && vgic_pack_affinity(d->cpus[i]->mpidr) == aff)
			return i;
	return VGIC_NO_TARGET;
}

/* ICC_SGI1R_EL1 fields */
#define SGI1R_TARGETS(v) ((uint32_t)(v) & 0xffff)
#define SGI1R_AFF1(v) (((v) >> 16) & 0xff)
#define SGI1R_INTID(v) ((uint32_t)((v) >> 24) & 0xf)
#define SGI1R_AFF2(v) (((v) >> 32) & 0xff)
#define SGI1R_IRM (1ULL << 40)
#define SGI1R_RS(v) (((v) >> 44) & 0xf)
#define SGI1R_AFF3(v) (((v) >> 48) & 0xff)

uint32_t vgic_v3_sgi1r_targets(const struct vgic_dist *d, unsigned int sender, uint64_t val,
			       uint32_t *intid)
{
	uint32_t mask = 0, list = SGI1R_TARGETS(val);
	/* The cluster: Aff3.Aff2.Aff1, with Aff0 from the list and RS. */
	uint32_t cluster = (uint32_t)(SGI1R_AFF3(val) << 24 | SGI1R_AFF2(val) << 16 |
				      SGI1R_AFF1(val) << 8);

	*intid = SGI1R_INTID(val);
	if (val & SGI1R_IRM)
		return vgic_all_cpus(d) & ~BIT32(sender); /* everyone but the sender */
	while (list) {
		unsigned int aff0 = (unsigned int)SGI1R_RS(val) * 16 + (unsigned int)__builtin_ctz(list);
		unsigned int t;

		list &= list - 1;
		if (aff0 > 0xff)
			continue;
		t = vgic_find_cpu(d, cluster | aff0);
		if (t != VGIC_NO_TARGET)
			mask |= BIT32(t);
	}
	return mask;
}

uint32_t vgic_model_send_sgi(struct vgic_dist *d, unsigned int sender, uint32_t mask,
			     uint32_t intid)
{
	uint32_t kick = 0;

	mask &= vgic_all_cpus(d);
	while (mask) {
		unsigned int t = (unsigned int)__builtin_ctz(mask);

		mask &= mask - 1;
		if (d->cpus[t])
			kick |= vgic_model_raise(d, d->cpus[t], intid & 0xf, sender);
	}
	return kick;
}

