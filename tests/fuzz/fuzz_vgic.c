/*
 * libFuzzer harness for the vGIC models (arch/arm64/vgic_model.c,
 * vgic_regs.c, vgic_v3_regs.c, vgic_v2_regs.c, vgic_route.c, vgic_lr.c):
 * the distributor and redistributor registers a guest reads and writes,
 * its ICC_SGI1R_EL1 writes, and what the model does around them at guest
 * entry and exit, in any order.
 *
 * Fed: a GIC version (2 or 3), vCPU count (with tern's virtual MPIDRs),
 * SPI count and list-register count, then a sequence of operations:
 * GICD / GICR accesses (any offset, size 1/2/4/8, or one aimed into a
 * register of the model's tables), device lines, SGIs, timer-style HW
 * injections and retractions, guest entry (vgic_model_flush) and exit
 * (each list register through its v2/v3 encoding, advanced along the
 * states the hardware can move it through, then vgic_model_sync_lr), and
 * VM reset. As in tern, a vCPU's own accesses and injections come after
 * its exit.
 * Checked after every operation (beyond ASan/UBSan):
 *   - what the headers document: a read never changes the model, returns
 *     no bits beyond its size, and an offset/width/alignment outside the
 *     tables (or a write to a read-only register) is RAZ/WI; kick masks
 *     name only vCPUs of the VM;
 *   - the live bitmaps (priv_live, spi_live) hold exactly the interrupts
 *     that are pending, active or in a list register; only a vCPU in the
 *     guest owns list registers, and only those it holds;
 *   - priorities keep 5 bits; SGIs stay edge-triggered; GICD_CTLR keeps
 *     ARE|DS (v3) and nothing beyond the group enables; v2 targets and SGI
 *     sources name vCPUs only, a v2 SGI is pending exactly while it has a
 *     source; a v3 SPI's target is the vCPU its IROUTER names; a HW link
 *     only on a live private interrupt;
 *   - a flush fills at most nr_lrs registers, each a distinct interrupt
 *     owned by that vCPU, pending or active (never both for HW), active
 *     first then by priority and INTID, underflow only when full, and it
 *     agrees with vgic_model_has_pending; every list register tern would
 *     write survives its hardware encoding.
 */
#include <string.h>
#include "fuzz.h"
#include "../../arch/arm64/include/arch/vgic_model.h"

#define GICR_FRAME 0x20000
#define GICR_SGI 0x10000

struct world {
	struct vgic_dist d;
	struct vgic_cpu c[VGIC_MAX_VCPUS];
};

static struct world w, snap;
static bool in_guest[VGIC_MAX_VCPUS];
static unsigned int ncpu, nr_lrs;

static uint32_t bit32(unsigned int n)
{
	return (uint32_t)1 << n;
}

static void kick_sane(uint32_t kick)
{
	REQUIRE((kick & ~vgic_all_cpus(&w.d)) == 0);
}

static uint32_t v2_cpu_mask(void)
{
	return bit32(ncpu < VGIC_V2_MAX_VCPUS ? ncpu : VGIC_V2_MAX_VCPUS) - 1;
}

/* ---- invariants ------------------------------------------------------------- */

static bool in_lrs(unsigned int cpu, uint32_t intid)
{
	for (unsigned int i = 0; i < w.c[cpu].lr_used; i++)
		if (w.c[cpu].lrs[i].intid == intid)
			return true;
	return false;
}

static void check_irq(unsigned int cpu, uint32_t intid, const struct vgic_irq *irq, bool bit)
{
	bool live = vgic_irq_is_pending(irq) || (irq->flags & VGIC_IRQ_ACTIVE) || irq->lr_owner;
	bool v3 = w.d.version == 3;

	REQUIRE(bit == live);
	REQUIRE(vgic_model_busy(&w.d, &w.c[cpu], intid) == live);
	REQUIRE((irq->priority & 7) == 0);
	REQUIRE(intid >= VGIC_NR_SGIS || (irq->flags & VGIC_IRQ_EDGE));
	REQUIRE(irq->lr_owner <= ncpu && irq->active_cpu <= ncpu);
	if (irq->lr_owner) {
		REQUIRE(in_guest[irq->lr_owner - 1u] && in_lrs(irq->lr_owner - 1u, intid));
		REQUIRE(intid >= VGIC_NR_PRIVATE || irq->lr_owner == cpu + 1);
	}
	if (irq->flags & VGIC_IRQ_HW)
		REQUIRE(intid < VGIC_NR_PRIVATE && live);
	if (!v3 && intid >= VGIC_NR_PRIVATE)
		REQUIRE((irq->targets & ~v2_cpu_mask()) == 0);
	if (!v3 && intid < VGIC_NR_SGIS) {
		REQUIRE((irq->sources & ~v2_cpu_mask()) == 0);
		REQUIRE(!!(irq->flags & VGIC_IRQ_PENDING) == !!irq->sources);
	}
	if (v3 && intid >= VGIC_NR_PRIVATE)
		REQUIRE(irq->target == vgic_find_cpu(&w.d, irq->route));
	if (!v3 || intid < VGIC_NR_PRIVATE)
		REQUIRE(!(irq->flags & VGIC_IRQ_IRM));
}

static void check_world(void)
{
	const struct vgic_dist *d = &w.d;
	const uint32_t groups = GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1;
	const uint32_t fixed = d->version == 3 ? GICD_CTLR_ARE | GICD_CTLR_DS : 0;

	REQUIRE((d->ctlr & ~(groups | fixed)) == 0 && (d->ctlr & fixed) == fixed);
	REQUIRE(d->nr_cpus == ncpu);
	for (unsigned int k = 0; k < ncpu; k++) {
		for (uint32_t i = 0; i < VGIC_NR_PRIVATE; i++)
			check_irq(k, i, &w.c[k].priv[i], (w.c[k].priv_live >> i) & 1);
		if (!in_guest[k])
			continue;
		for (unsigned int i = 0; i < w.c[k].lr_used; i++) {
			const struct vgic_irq *irq = vgic_get_irq(&w.d, &w.c[k], w.c[k].lrs[i].intid);

			REQUIRE(irq && irq->lr_owner == k + 1);
		}
	}
	for (unsigned int s = 0; s < VGIC_MAX_SPIS; s++) {
		bool bit = (d->spi_live[s / 32] >> (s % 32)) & 1;

		if (s < d->nr_spis)
			check_irq(0, VGIC_NR_PRIVATE + s, &d->spis[s], bit);
		else
			REQUIRE(!bit);
	}
}

/* ---- MMIO ------------------------------------------------------------------- */

/* Whether the tables give this access a register (else it is RAZ/WI). */
static const struct vgic_reg *reg_of(const struct vgic_reg *t, unsigned int n, uint64_t off,
				     unsigned int size)
{
	for (unsigned int i = 0; i < n; i++)
		if (off >= t[i].offset && off < (uint64_t)t[i].offset + t[i].len)
			return (t[i].widths & (1u << size)) && off % size == 0 ? &t[i] : NULL;
	return NULL;
}

static const struct vgic_reg *dist_reg(uint64_t off, unsigned int size)
{
	if (w.d.version == 2)
		return off < 0x1000 ? reg_of(vgic_v2_dist_regs, vgic_v2_dist_nregs, off, size) : NULL;
	return reg_of(vgic_v3_dist_regs, vgic_v3_dist_nregs, off, size);
}

static const struct vgic_reg *redist_reg(uint64_t off, unsigned int size)
{
	if (off < GICR_SGI)
		return reg_of(vgic_v3_rd_regs, vgic_v3_rd_nregs, off, size);
	return reg_of(vgic_v3_sgi_regs, vgic_v3_sgi_nregs, off - GICR_SGI, size);
}

static void vcpu_exit(struct fuzz_in *in, unsigned int cpu);

/* The access itself, as vgic_v3.c / vgic_v2.c make it; returns the kicks. */
static uint32_t access(unsigned int src, bool redist, unsigned int frame, uint64_t off,
		       unsigned int size, bool write, uint64_t *v)
{
	struct vgic_access a = { .d = &w.d, .src = &w.c[src], .size = size };

	if (redist) {
		a.c = &w.c[frame];
		vgic_v3_redist_access(&a, off, write, v);
	} else if (w.d.version == 3) {
		vgic_v3_dist_access(&a, off, write, v);
	} else {
		vgic_v2_dist_access(&a, off, write, v);
	}
	kick_sane(a.kick);
	return a.kick;
}

/*
 * What a write leaves readable, read back at once: IGROUPR, IPRIORITYR
 * (5 bits), ICFGR (SGIs edge), IROUTER and ITARGETSR (vCPUs only) hold
 * what was written for the interrupts that exist here; the set registers
 * show their bits set, the clear registers clear (except what stays
 * pending for its own reasons: a v2 SGI, a level line that is high).
 */
static void read_back(unsigned int src, bool redist, unsigned int frame, uint64_t off,
		      unsigned int size, uint64_t val, const struct vgic_reg *r)
{
	struct vgic_cpu *view = redist ? &w.c[frame] : w.d.version == 2 ? &w.c[src] : NULL;
	uint64_t rel = off - (redist && off >= GICR_SGI ? GICR_SGI : 0) - r->offset;
	uint64_t mask = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1, got = 0;
	uint64_t exist = 0, sticky = 0, want = 0;
	/* (An IROUTER access of 4 bytes is half of one interrupt's.) */
	unsigned int bpi = r->bpi, n = bpi == 64 ? 1 : bpi ? size * 8 / bpi : 0;
	uint32_t first = bpi ? (uint32_t)(rel * 8 / bpi) : 0;
	bool v2 = w.d.version == 2;

	access(src, redist, frame, off, size, false, &got);
	val &= mask;
	for (unsigned int i = 0; i < n; i++) {
		uint32_t intid = first + i;
		const struct vgic_irq *irq = vgic_get_irq(&w.d, view, intid);
		uint64_t field = (bpi == 64 ? ~0ULL : (1ULL << bpi) - 1) << (i * bpi);
		bool level_high = irq && (irq->flags & (VGIC_IRQ_LEVEL | VGIC_IRQ_EDGE)) == VGIC_IRQ_LEVEL;

		if (!irq)
			continue;
		exist |= field;
		if ((v2 && intid < VGIC_NR_SGIS) || (r->write == vgic_write_clear_pending && level_high))
			sticky |= field;
		if (r->write == vgic_write_config)
			want |= intid < VGIC_NR_SGIS ? 2ULL << (2 * i) : val & (2ULL << (2 * i));
		if (v2 && !redist && r->offset == 0x800) /* ITARGETSR */
			want |= (intid < VGIC_NR_PRIVATE ? 1ULL << src :
				 (val >> (8 * i)) & v2_cpu_mask()) << (8 * i);
	}
	if (r->write == vgic_write_group)
		REQUIRE(got == (val & exist));
	else if (r->write == vgic_write_set_enable || r->write == vgic_write_set_active)
		REQUIRE((got & val & exist) == (val & exist));
	else if (r->write == vgic_write_clear_enable || r->write == vgic_write_clear_active)
		REQUIRE((got & val) == 0);
	else if (r->write == vgic_write_set_pending)
		REQUIRE((got & val & exist & ~sticky) == (val & exist & ~sticky));
	else if (r->write == vgic_write_clear_pending)
		REQUIRE((got & val & ~sticky) == 0);
	else if (r->write == vgic_write_priority)
		REQUIRE(got == (val & exist & 0xf8f8f8f8f8f8f8f8ULL));
	else if (r->write == vgic_write_config || (v2 && !redist && r->offset == 0x800))
		REQUIRE(got == want);
	else if (!v2 && !redist && r->offset == 0x6000) /* IROUTER: Aff3, IRM, Aff2..0 */
		REQUIRE(got == (val & exist & (0xff80ffffffULL >> (8 * (rel & 7)))));
}

/* One guest access by vCPU src, to the distributor or (v3) to the
 * redistributor frame of vCPU frame. Returns false if it left the model
 * as it was (then the invariants need no new look). */
static bool mmio(struct fuzz_in *in, unsigned int src, bool redist, unsigned int frame,
		 uint64_t off, unsigned int size, bool write, uint64_t val)
{
	const struct vgic_reg *r = redist ? redist_reg(off, size) : dist_reg(off, size);
	bool inert = !write || !r || !r->write, was_in = in_guest[src];
	uint64_t v = write ? val : 0x5a5a5a5a5a5a5a5aULL;

	vcpu_exit(in, src); /* the access trapped: src is out of the guest */
	if (inert)
		snap = w;
	access(src, redist, frame, off, size, write, &v);
	if (inert)
		REQUIRE(memcmp(&snap, &w, sizeof(w)) == 0);
	if (!write) {
		REQUIRE(size == 8 || v >> (size * 8) == 0);
		REQUIRE(r || v == 0);
	} else if (!inert) {
		read_back(src, redist, frame, off, size, val, r);
	}
	return !inert || was_in;
}

/* An access aimed inside a register of the model's tables. */
static bool mmio_aimed(struct fuzz_in *in, unsigned int src, bool redist, unsigned int frame)
{
	const struct vgic_reg *t;
	unsigned int n, base = 0, size = take_size(in);
	uint32_t pick = take16(in), at = take16(in);
	bool write = take8(in) & 1;
	uint64_t val = take64(in);

	if (!redist) {
		t = w.d.version == 3 ? vgic_v3_dist_regs : vgic_v2_dist_regs;
		n = w.d.version == 3 ? vgic_v3_dist_nregs : vgic_v2_dist_nregs;
	} else if (pick & 0x8000) {
		t = vgic_v3_sgi_regs, n = vgic_v3_sgi_nregs, base = GICR_SGI;
	} else {
		t = vgic_v3_rd_regs, n = vgic_v3_rd_nregs;
	}
	t += pick % n;
	return mmio(in, src, redist, frame, base + t->offset + ((at % t->len) & ~(size - 1u)), size,
	     write, val);
}

/* ---- guest entry and exit ----------------------------------------------------- */

static uint64_t lr_key(const struct vgic_lr *lr)
{
	return ((uint64_t)!lr->active << 40) | ((uint64_t)lr->priority << 32) | lr->intid;
}

static void vcpu_enter(unsigned int cpu)
{
	struct vgic_cpu *c = &w.c[cpu];
	bool has_pending = vgic_model_has_pending(&w.d, c), any_pending = false;
	unsigned int n;

	if (in_guest[cpu])
		return;
	n = vgic_model_flush(&w.d, c, nr_lrs);
	in_guest[cpu] = true;
	REQUIRE(n == c->lr_used && n <= nr_lrs);
	REQUIRE(!c->underflow || n == nr_lrs);
	for (unsigned int i = 0; i < n; i++) {
		const struct vgic_lr *lr = &c->lrs[i];
		const struct vgic_irq *irq = vgic_get_irq(&w.d, c, lr->intid);

		REQUIRE(irq && irq->lr_owner == cpu + 1);
		REQUIRE(lr->pending || lr->active);
		REQUIRE(!(lr->hw && lr->pending && lr->active));
		REQUIRE(lr->priority == irq->priority);
		REQUIRE(lr->group1 == !!(irq->flags & VGIC_IRQ_GROUP1));
		REQUIRE(i == 0 || lr_key(&c->lrs[i - 1]) < lr_key(lr));
		any_pending |= lr->pending;
	}
	REQUIRE(has_pending ? any_pending || c->underflow : !any_pending);
}

static void lr_same(const struct vgic_lr *a, const struct vgic_lr *b)
{
	REQUIRE(a->intid == b->intid && a->priority == b->priority && a->pending == b->pending &&
		a->active == b->active && a->group1 == b->group1 && a->hw == b->hw &&
		a->hw_intid == b->hw_intid && a->eoi == b->eoi && a->source == b->source);
}

/* The states a list register moves through while the guest runs: pending
 * and active -> pending (deactivated) -> active (acknowledged again) ->
 * invalid. The guest may take any number of steps. */
static unsigned int advance(unsigned int state, unsigned int steps)
{
	static const unsigned int order[4] = { 3, 1, 2, 0 };
	unsigned int pos = 0;

	while (order[pos] != state)
		pos++;
	pos += steps;
	return order[pos > 3 ? 3 : pos];
}

static void vcpu_exit(struct fuzz_in *in, unsigned int cpu)
{
	struct vgic_cpu *c = &w.c[cpu];
	uint32_t kick = 0;
	bool hw_done = false;

	if (!in_guest[cpu])
		return;
	for (unsigned int i = 0; i < c->lr_used; i++) {
		const struct vgic_lr *was = &c->lrs[i];
		unsigned int state = was->pending | (unsigned int)was->active << 1;
		struct vgic_lr lr;

		state = advance(state, take8(in) & 3);
		if (w.d.version == 3) {
			uint64_t v = vgic_lr_encode_v3(was);

			vgic_lr_decode_v3(v, &lr);
			lr_same(&lr, was);
			vgic_lr_decode_v3((v & ~(3ULL << 62)) | (uint64_t)state << 62, &lr);
		} else {
			uint32_t v = vgic_lr_encode_v2(was);

			vgic_lr_decode_v2(v, &lr);
			lr_same(&lr, was);
			vgic_lr_decode_v2((v & ~(3u << 28)) | state << 28, &lr);
		}
		kick |= vgic_model_sync_lr(&w.d, c, i, &lr, &hw_done);
	}
	in_guest[cpu] = false;
	kick_sane(kick);
	REQUIRE(!(kick & bit32(cpu)));
}

/* ---- the sequence ----------------------------------------------------------- */

static void setup(struct fuzz_in *in)
{
	uint8_t b = take8(in);
	unsigned int version = b & 1 ? 3 : 2;

	memset(&w, 0, sizeof(w));
	memset(in_guest, 0, sizeof(in_guest));
	ncpu = 1 + (b >> 1) % (version == 3 ? VGIC_MAX_VCPUS : VGIC_V2_MAX_VCPUS);
	nr_lrs = 1 + take8(in) % VGIC_MAX_LRS;
	vgic_model_init(&w.d, version, take16(in) % (VGIC_MAX_SPIS + 1));
	/* tern's virtual MPIDR: Aff0 = id & 0xf, Aff1 = id >> 4 (arm64/vcpu.c). */
	for (unsigned int i = 0; i < ncpu; i++)
		vgic_model_add_cpu(&w.d, &w.c[i], i, ((uint64_t)(i >> 4) << 8) | (i & 0xf));
}

static void step(struct fuzz_in *in)
{
	uint8_t op = take8(in);
	unsigned int cpu = take8(in) % ncpu, other = take8(in) % ncpu;
	bool v3 = w.d.version == 3, moved = true;
	uint32_t intid;

	/* Low nibble: the operation (some twice, to weigh them); high: flags. */
	switch (op & 15) {
	case 0: { /* any offset of the distributor, or of a redistributor */
		bool redist = v3 && (op & 0x80);
		uint64_t off = redist ? take32(in) % GICR_FRAME : take16(in);
		unsigned int size = take_size(in);

		moved = mmio(in, cpu, redist, other, off, size, op & 0x40, take64(in));
		break;
	}
	case 1:
	case 2:
	case 12:
	case 13:
		moved = mmio_aimed(in, cpu, v3 && (op & 1) == 0, other);
		break;
	case 3: /* a device line: an SPI, or a PPI of vCPU cpu */
		intid = take16(in) % 1024;
		kick_sane(vgic_model_set_level(&w.d, intid < VGIC_NR_PRIVATE || (op & 0x80) ?
						 &w.c[cpu] : NULL, intid, op & 0x40));
		break;
	case 4: /* an edge or SGI from vCPU other */
		intid = take16(in) % 1024;
		kick_sane(vgic_model_raise(&w.d, &w.c[cpu], intid, other));
		break;
	case 5: /* the virtual timer: cpu's own PPI, at its exit */
		vcpu_exit(in, cpu);
		intid = VGIC_NR_SGIS + take8(in) % 16;
		if (op & 0x80)
			kick_sane(vgic_model_retract_hw(&w.d, &w.c[cpu], intid));
		else
			kick_sane(vgic_model_inject_hw(&w.d, &w.c[cpu], intid, take16(in) % 1020));
		break;
	case 6:
	case 7:
	case 14:
		vcpu_enter(cpu);
		break;
	case 8:
	case 9:
	case 15:
		vcpu_exit(in, cpu);
		break;
	case 10: /* ICC_SGI1R_EL1 (v3), as sysreg_trap.c hands it over */
		if (v3) {
			uint64_t val = take64(in);
			uint32_t mask;

			vcpu_exit(in, cpu);
			mask = vgic_v3_sgi1r_targets(&w.d, cpu, val, &intid);
			REQUIRE(intid < VGIC_NR_SGIS && (mask & ~vgic_all_cpus(&w.d)) == 0);
			if (val & (1ULL << 40))
				REQUIRE(mask == (vgic_all_cpus(&w.d) & ~bit32(cpu)));
			kick_sane(vgic_model_send_sgi(&w.d, cpu, mask, intid));
		}
		break;
	case 11: /* VM reset: every vCPU stopped first */
		if ((op & 0xf0) == 0xf0) {
			for (unsigned int i = 0; i < ncpu; i++)
				vcpu_exit(in, i);
			vgic_model_reset(&w.d);
		}
		break;
	}
	if (moved)
		check_world();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	setup(&in);
	check_world();
	for (unsigned int n = 0; in.left && n < 256; n++)
		step(&in);
	return 0;
}
