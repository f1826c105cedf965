/*
 * List-register encodings: the version-neutral struct vgic_lr to and from
 * ICH_LR<n>_EL2 (GICv3) and GICH_LR<n> (GICv2). Pure: unit-tested on the
 * host.
 */
#include "include/arch/vgic_model.h"

/* ICH_LR<n>_EL2 */
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_HW (1ULL << 61)
#define ICH_LR_GROUP (1ULL << 60)
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_EOI (1ULL << 41)
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PINTID_MASK 0x1fffULL

uint64_t vgic_lr_encode_v3(const struct vgic_lr *lr)
{
	uint64_t v = lr->intid;

	v |= (uint64_t)lr->priority << ICH_LR_PRIO_SHIFT;
	v |= (uint64_t)(lr->pending | (lr->active << 1)) << ICH_LR_STATE_SHIFT;
	if (lr->group1)
		v |= ICH_LR_GROUP;
	if (lr->hw)
		v |= ICH_LR_HW | ((lr->hw_intid & ICH_LR_PINTID_MASK) << ICH_LR_PINTID_SHIFT);
	else if (lr->eoi)
		v |= ICH_LR_EOI;
	return v;
}

void vgic_lr_decode_v3(uint64_t v, struct vgic_lr *lr)
{
	*lr = (struct vgic_lr){
		.intid = (uint32_t)v,
		.priority = (uint8_t)(v >> ICH_LR_PRIO_SHIFT),
		.pending = (v >> ICH_LR_STATE_SHIFT) & 1,
		.active = (v >> ICH_LR_STATE_SHIFT) & 2,
		.group1 = v & ICH_LR_GROUP,
		.hw = v & ICH_LR_HW,
	};
	if (lr->hw)
		lr->hw_intid = (uint32_t)((v >> ICH_LR_PINTID_SHIFT) & ICH_LR_PINTID_MASK);
	else
		lr->eoi = v & ICH_LR_EOI;
}

/* GICH_LRn: a 5-bit priority, and for SGIs the source CPU in bits 12:10. */
#define GICH_LR_HW (1u << 31)
#define GICH_LR_GROUP1 (1u << 30)
#define GICH_LR_STATE_SHIFT 28
#define GICH_LR_PRIO_SHIFT 23
#define GICH_LR_EOI (1u << 19)
#define GICH_LR_PHYS_SHIFT 10

uint32_t vgic_lr_encode_v2(const struct vgic_lr *lr)
{
	uint32_t v = lr->intid & 0x3ff;

	v |= (uint32_t)(lr->priority >> 3) << GICH_LR_PRIO_SHIFT;
	v |= (uint32_t)(lr->pending | (lr->active << 1)) << GICH_LR_STATE_SHIFT;
	if (lr->group1)
		v |= GICH_LR_GROUP1;
	if (lr->hw) {
		v |= GICH_LR_HW | ((lr->hw_intid & 0x3ff) << GICH_LR_PHYS_SHIFT);
	} else {
		if (lr->eoi)
			v |= GICH_LR_EOI;
		if (lr->intid < VGIC_NR_SGIS)
			v |= (uint32_t)(lr->source & 7) << GICH_LR_PHYS_SHIFT;
	}
	return v;
}

void vgic_lr_decode_v2(uint32_t v, struct vgic_lr *lr)
{
	*lr = (struct vgic_lr){
		.intid = v & 0x3ff,
		.priority = (uint8_t)(((v >> GICH_LR_PRIO_SHIFT) & 0x1f) << 3),
		.pending = (v >> GICH_LR_STATE_SHIFT) & 1,
		.active = (v >> GICH_LR_STATE_SHIFT) & 2,
		.group1 = v & GICH_LR_GROUP1,
		.hw = v & GICH_LR_HW,
	};
	if (lr->hw) {
		lr->hw_intid = (v >> GICH_LR_PHYS_SHIFT) & 0x3ff;
	} else {
		lr->eoi = v & GICH_LR_EOI;
		if (lr->intid < VGIC_NR_SGIS)
			lr->source = (uint8_t)((v >> GICH_LR_PHYS_SHIFT) & 7);
	}
}

