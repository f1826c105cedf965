/*
 * The guest's PLIC (RISC-V PLIC spec v1.0.0, the SiFive register map) as a
 * pure model: no locking (the caller serialises), no hardware, so it is
 * unit-tested on the host (tests/unit/test_vplic.c).
 *
 * Sources are level-triggered device lines. A source is pending while its
 * line is high and it is not in flight (claimed, not yet completed), so a
 * device that lowers its line withdraws the request without anyone having
 * to remember it was raised, and a completed source whose line is still
 * high pends again at once.
 *
 * Each context (one S-mode context per vCPU) has an output: high while a
 * source is pending, enabled for it and above its threshold. Every call
 * that can move an output reports, as a mask of context numbers, the
 * outputs that changed, so the caller sets or clears hvip.VSEIP on exactly
 * those vCPUs.
 *
 * MMIO: only naturally aligned 32-bit accesses. The answer by offset:
 *   - priority (0x0 + 4*s) and pending (0x1000 + 4*w) span the spec's 1024
 *     sources; entries past nr_sources, and source 0 (which does not
 *     exist), read as zero and ignore writes. Pending is read-only: writes
 *     are ignored.
 *   - enables of context c (0x2000 + 0x80*c) likewise span 1024 sources;
 *     bits of source 0 and past nr_sources read as zero, ignore writes.
 *   - context c's block (0x200000 + 0x1000*c): threshold at +0,
 *     claim/complete at +4, the rest of the block reads zero, ignores
 *     writes.
 *   - -E_INVAL, for reads and writes alike: another size or alignment, the
 *     gap 0x1080-0x1fff, the enable or context block of a context at or
 *     past nr_contexts, and anything past the last context block.
 */
#ifndef ARCH_RISCV_VPLIC_MODEL_H
#define ARCH_RISCV_VPLIC_MODEL_H

#include <tern/types.h>

#define VPLIC_MAX_SOURCES 1024 /* the spec's limit, source 0 included */
#define VPLIC_MAX_CONTEXTS 16  /* one per vCPU: the width of a changed mask is enough */
#define VPLIC_WORDS (VPLIC_MAX_SOURCES / 32)
#define VPLIC_PRIO_BITS 3
#define VPLIC_PRIO_MASK ((1u << VPLIC_PRIO_BITS) - 1)

#define VPLIC_PRIORITY 0x000000u
#define VPLIC_PENDING 0x001000u
#define VPLIC_ENABLE 0x002000u
#define VPLIC_ENABLE_STRIDE 0x80u
#define VPLIC_CONTEXT 0x200000u
#define VPLIC_CONTEXT_STRIDE 0x1000u
#define VPLIC_THRESHOLD 0x0u /* within a context block */
#define VPLIC_CLAIM 0x4u     /* within a context block */

struct vplic_model {
	unsigned int nr_sources;  /* source IDs 1..nr_sources-1 exist */
	unsigned int nr_contexts;
	uint32_t level[VPLIC_WORDS];    /* the input lines, as the devices drive them */
	uint32_t inflight[VPLIC_WORDS]; /* claimed and not yet completed */
	uint32_t enable[VPLIC_MAX_CONTEXTS][VPLIC_WORDS];
	uint8_t priority[VPLIC_MAX_SOURCES];
	uint8_t threshold[VPLIC_MAX_CONTEXTS];
	uint32_t irq_out; /* each context's output as last reported */
	/* Each context's best source, kept up to date by every change: the
	 * pending source it enables with the highest priority above 0 (the
	 * lowest ID among equals), threshold aside; 0 for none. A claim gets
	 * it when its priority is above the threshold. */
	uint16_t best[VPLIC_MAX_CONTEXTS];
};

/* The guest window that holds every register of nr_contexts contexts: the
 * size for the device tree and the MMIO registration. */
static inline uint64_t vplic_window_size(unsigned int nr_contexts)
{
	return VPLIC_CONTEXT + (uint64_t)VPLIC_CONTEXT_STRIDE * nr_contexts;
}

/* nr_sources counts source 0 (QEMU virt: riscv,ndev 95 => 96), 2..1024;
 * nr_contexts 1..16. -E_INVAL out of range, p untouched. All lines low,
 * registers at reset values. */
int vplic_model_init(struct vplic_model *p, unsigned int nr_sources, unsigned int nr_contexts);

/* Registers to their reset values (priorities, enables, thresholds 0,
 * nothing in flight). The lines are the devices' and stay as they are.
 * Returns the contexts whose output changed (it can only fall). */
uint32_t vplic_model_reset(struct vplic_model *p);

/* Drive source src's line; an unknown source (0, >= nr_sources) is
 * ignored. Returns the contexts whose output changed. */
uint32_t vplic_set_level(struct vplic_model *p, unsigned int src, bool level);

/* A guest access at off within the window. 0 or -E_INVAL (see above; on
 * error nothing changes and *val is untouched). *changed, if not NULL, is
 * set to the contexts whose output changed: a claim read or a write can
 * move outputs. */
int vplic_mmio_read(struct vplic_model *p, uint64_t off, unsigned int size, uint32_t *val,
		    uint32_t *changed);
/* A read of a register that is one stored value (a priority, an enable
 * word, a threshold, or a reserved one that reads 0): true with *val, and
 * needs no lock, as writers store these whole. false for the others
 * (pending is computed from several words; a claim changes state). */
bool vplic_mmio_read_stored(const struct vplic_model *p, uint64_t off, unsigned int size,
			    uint32_t *val);
int vplic_mmio_write(struct vplic_model *p, uint64_t off, unsigned int size, uint32_t val,
		     uint32_t *changed);

/* Context ctx's output: a claimable source exists for it. */
bool vplic_ctx_irq(const struct vplic_model *p, unsigned int ctx);

#endif
