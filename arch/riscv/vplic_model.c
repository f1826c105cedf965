/*
 * The guest PLIC model (see include/arch/vplic_model.h).
 *
 * Pending is never stored: it is derived as line & ~in-flight, which gives
 * the spec's gateway behaviour for level sources for free (one request in
 * flight per source, withdrawn when the line drops before the claim,
 * renewed on completion while the line stays high).
 *
 * Each context keeps its best source (best[]: the one a claim would get,
 * before the threshold), updated incrementally: a source that becomes a
 * candidate (its line rises, it completes, it is enabled, its priority
 * rises) is compared with the context's best alone; only when the best
 * itself stops being one (claimed, line down, disabled, priority lowered)
 * are that context's words scanned again. An output is then one compare:
 * the best's priority against the threshold.
 *
 * No __builtin_ctz: on rv64imac without Zbb it becomes a libgcc call, and
 * tern does not link libgcc.
 */
#include <string.h>
#include <tern/errno.h>
#include <tern/types.h>
#include "include/arch/vplic_model.h"

static inline uint32_t bit32(unsigned int n)
{
	return (uint32_t)1 << (n & 31);
}

/* The bits of word w that name real sources: never source 0, nothing at or
 * past nr_sources. */
static uint32_t valid_mask(const struct vplic_model *p, unsigned int w)
{
	unsigned int first = w * 32;
	uint32_t m;

	if (first >= p->nr_sources)
		return 0;
	m = p->nr_sources - first >= 32 ? ~(uint32_t)0 : bit32(p->nr_sources - first) - 1;
	return w == 0 ? m & ~(uint32_t)1 : m;
}

static uint32_t pending_word(const struct vplic_model *p, unsigned int w)
{
	return p->level[w] & ~p->inflight[w];
}

/* The words that hold sources (QEMU virt's 96: three). */
static unsigned int nr_words(const struct vplic_model *p)
{
	return (p->nr_sources + 31) / 32;
}

static bool is_pending(const struct vplic_model *p, unsigned int src)
{
	return pending_word(p, src / 32) & bit32(src);
}

/* Whether src may be ctx's best: pending, enabled for it, and of a
 * priority that can ever interrupt (0 never does). */
static bool candidate(const struct vplic_model *p, unsigned int ctx, unsigned int src)
{
	return is_pending(p, src) && (p->enable[ctx][src / 32] & bit32(src)) &&
	       p->priority[src] > 0;
}

/* Whether candidate a beats b (0: none): the higher priority, the lower
 * ID among equals. */
static bool beats(const struct vplic_model *p, unsigned int a, unsigned int b)
{
	return b == 0 || p->priority[a] > p->priority[b] ||
	       (p->priority[a] == p->priority[b] && a < b);
}

/* ctx's best from scratch: the highest priority above 0, the lowest ID
 * among equals (strictly greater while scanning upwards keeps the first).
 * 0 for none. Only when its best stopped being one. */
static unsigned int scan_best(const struct vplic_model *p, unsigned int ctx)
{
	unsigned int best = 0, max = 0;

	for (unsigned int w = 0; w < nr_words(p); w++) {
		uint32_t cand = pending_word(p, w) & p->enable[ctx][w];

		for (unsigned int b = 0; cand; b++, cand >>= 1) {
			unsigned int src = w * 32 + b;

			if ((cand & 1) && p->priority[src] > max) {
				best = src;
				max = p->priority[src];
			}
		}
	}
	return best;
}

bool vplic_ctx_irq(const struct vplic_model *p, unsigned int ctx)
{
	return ctx < p->nr_contexts && (p->irq_out & bit32(ctx));
}

/* What a claim by ctx gets: its best, if above its threshold; 0 for none. */
static unsigned int claimable(const struct vplic_model *p, unsigned int ctx)
{
	unsigned int b = p->best[ctx];

	return b && p->priority[b] > p->threshold[ctx] ? b : 0;
}

/* src may have become a candidate for ctx, or stopped being one (its line,
 * its in-flight state, its priority or ctx's enable of it moved). */
static void reconsider(struct vplic_model *p, unsigned int ctx, unsigned int src)
{
	if (p->best[ctx] == src)
		p->best[ctx] = (uint16_t)scan_best(p, ctx);
	else if (candidate(p, ctx, src) && beats(p, src, p->best[ctx]))
		p->best[ctx] = (uint16_t)src;
}

/* The same for every context: a source feeds each that enables it. */
static void source_moved(struct vplic_model *p, unsigned int src)
{
	for (unsigned int c = 0; c < p->nr_contexts; c++)
		reconsider(p, c, src);
}

/* Bring the recorded outputs up to date from the bests; the ones that
 * moved. */
static uint32_t update_outputs(struct vplic_model *p)
{
	uint32_t out = 0, changed;

	for (unsigned int c = 0; c < p->nr_contexts; c++)
		if (claimable(p, c))
			out |= bit32(c);
	changed = out ^ p->irq_out;
	p->irq_out = out;
	return changed;
}

uint32_t vplic_model_reset(struct vplic_model *p)
{
	memset(p->inflight, 0, sizeof(p->inflight));
	memset(p->enable, 0, sizeof(p->enable));
	memset(p->priority, 0, sizeof(p->priority));
	memset(p->threshold, 0, sizeof(p->threshold));
	memset(p->best, 0, sizeof(p->best)); /* nothing is enabled */
	return update_outputs(p);
}

int vplic_model_init(struct vplic_model *p, unsigned int nr_sources, unsigned int nr_contexts)
{
	if (nr_sources < 2 || nr_sources > VPLIC_MAX_SOURCES || nr_contexts < 1 ||
	    nr_contexts > VPLIC_MAX_CONTEXTS)
		return -E_INVAL;
	p->nr_sources = nr_sources;
	p->nr_contexts = nr_contexts;
	memset(p->level, 0, sizeof(p->level));
	p->irq_out = 0;
	vplic_model_reset(p);
	return 0;
}

uint32_t vplic_set_level(struct vplic_model *p, unsigned int src, bool level)
{
	if (src == 0 || src >= p->nr_sources)
		return 0;
	if (level == !!(p->level[src / 32] & bit32(src)))
		return 0;
	if (level)
		p->level[src / 32] |= bit32(src);
	else
		p->level[src / 32] &= ~bit32(src);
	source_moved(p, src);
	return update_outputs(p);
}

static uint32_t claim(struct vplic_model *p, unsigned int ctx)
{
	unsigned int src = claimable(p, ctx);

	if (src) {
		p->inflight[src / 32] |= bit32(src);
		source_moved(p, src);
	}
	return src;
}

/* The spec ignores a completion for a source the context does not enable,
 * and one that is not in flight has nothing to end. */
static void complete(struct vplic_model *p, unsigned int ctx, uint32_t id)
{
	if (id == 0 || id >= p->nr_sources)
		return;
	if (p->enable[ctx][id / 32] & p->inflight[id / 32] & bit32(id)) {
		p->inflight[id / 32] &= ~bit32(id);
		source_moved(p, id);
	}
}

/* ctx's enable word w became val: sources it gained are offered to its
 * best; losing the best looks again. */
static void write_enable(struct vplic_model *p, unsigned int ctx, unsigned int w, uint32_t val)
{
	uint32_t gained = val & ~p->enable[ctx][w] & pending_word(p, w);
	unsigned int b = p->best[ctx];

	__atomic_store_n(&p->enable[ctx][w], val, __ATOMIC_RELAXED);
	if (b && b / 32 == w && !(val & bit32(b))) {
		p->best[ctx] = (uint16_t)scan_best(p, ctx);
		return;
	}
	for (unsigned int i = 0; gained; i++, gained >>= 1)
		if (gained & 1)
			reconsider(p, ctx, w * 32 + i);
}

enum reg_kind { REG_BAD, REG_ZERO, REG_PRIORITY, REG_PENDING, REG_ENABLE, REG_THRESHOLD, REG_CLAIM };

struct reg {
	enum reg_kind kind;
	unsigned int ctx; /* enable, threshold, claim */
	unsigned int idx; /* the source (priority) or word (pending, enable) */
};

static struct reg decode(const struct vplic_model *p, uint64_t off, unsigned int size)
{
	struct reg r = { REG_BAD, 0, 0 };

	if (size != 4 || (off & 3))
		return r;
	if (off < VPLIC_PENDING) {
		r.idx = (unsigned int)(off / 4);
		r.kind = r.idx == 0 || r.idx >= p->nr_sources ? REG_ZERO : REG_PRIORITY;
	} else if (off < VPLIC_PENDING + VPLIC_WORDS * 4) {
		r.kind = REG_PENDING;
		r.idx = (unsigned int)((off - VPLIC_PENDING) / 4);
	} else if (off >= VPLIC_ENABLE && off < VPLIC_CONTEXT) {
		uint64_t ctx = (off - VPLIC_ENABLE) / VPLIC_ENABLE_STRIDE;

		if (ctx < p->nr_contexts) {
			r.kind = REG_ENABLE;
			r.ctx = (unsigned int)ctx;
			r.idx = (unsigned int)((off - VPLIC_ENABLE) % VPLIC_ENABLE_STRIDE / 4);
		}
	} else if (off >= VPLIC_CONTEXT && off < vplic_window_size(p->nr_contexts)) {
		uint64_t rel = (off - VPLIC_CONTEXT) % VPLIC_CONTEXT_STRIDE;

		r.ctx = (unsigned int)((off - VPLIC_CONTEXT) / VPLIC_CONTEXT_STRIDE);
		if (rel == VPLIC_THRESHOLD)
			r.kind = REG_THRESHOLD;
		else
			r.kind = rel == VPLIC_CLAIM ? REG_CLAIM : REG_ZERO;
	}
	return r;
}

static void set_changed(uint32_t *changed, uint32_t v)
{
	if (changed)
		*changed = v;
}

int vplic_mmio_read(struct vplic_model *p, uint64_t off, unsigned int size, uint32_t *val,
		    uint32_t *changed)
{
	struct reg r = decode(p, off, size);
	uint32_t moved = 0;

	set_changed(changed, 0);
	switch (r.kind) {
	case REG_BAD:
		return -E_INVAL;
	case REG_ZERO:
		*val = 0;
		break;
	case REG_PRIORITY:
		*val = p->priority[r.idx];
		break;
	case REG_PENDING:
		*val = pending_word(p, r.idx);
		break;
	case REG_ENABLE:
		*val = p->enable[r.ctx][r.idx];
		break;
	case REG_THRESHOLD:
		*val = p->threshold[r.ctx];
		break;
	case REG_CLAIM:
		/* A claim takes the source away from every context that had it. */
		*val = claim(p, r.ctx);
		moved = update_outputs(p);
		break;
	}
	set_changed(changed, moved);
	return 0;
}

bool vplic_mmio_read_stored(const struct vplic_model *p, uint64_t off, unsigned int size,
			    uint32_t *val)
{
	struct reg r = decode(p, off, size);

	switch (r.kind) {
	case REG_ZERO:
		*val = 0;
		return true;
	case REG_PRIORITY:
		*val = __atomic_load_n(&p->priority[r.idx], __ATOMIC_RELAXED);
		return true;
	case REG_ENABLE:
		*val = __atomic_load_n(&p->enable[r.ctx][r.idx], __ATOMIC_RELAXED);
		return true;
	case REG_THRESHOLD:
		*val = __atomic_load_n(&p->threshold[r.ctx], __ATOMIC_RELAXED);
		return true;
	default:
		return false; /* computed from several words, or a claim */
	}
}

int vplic_mmio_write(struct vplic_model *p, uint64_t off, unsigned int size, uint32_t val,
		     uint32_t *changed)
{
	struct reg r = decode(p, off, size);

	set_changed(changed, 0);
	switch (r.kind) {
	case REG_BAD:
		return -E_INVAL;
	case REG_ZERO:
	case REG_PENDING: /* read-only: the lines alone decide what is pending */
		return 0;
	/* Stored whole: vplic_mmio_read_stored reads them without the lock. */
	case REG_PRIORITY:
		__atomic_store_n(&p->priority[r.idx], (uint8_t)(val & VPLIC_PRIO_MASK), __ATOMIC_RELAXED);
		/* A best is always pending: a source that is not is nobody's
		 * best and becomes nobody's now (a guest setting up its
		 * sources at boot writes them all). */
		if (!is_pending(p, r.idx))
			return 0;
		source_moved(p, r.idx);
		break;
	case REG_ENABLE:
		write_enable(p, r.ctx, r.idx, val & valid_mask(p, r.idx));
		break;
	case REG_THRESHOLD:
		__atomic_store_n(&p->threshold[r.ctx], (uint8_t)(val & VPLIC_PRIO_MASK), __ATOMIC_RELAXED);
		break;
	case REG_CLAIM:
		complete(p, r.ctx, val);
		break;
	}
	set_changed(changed, update_outputs(p));
	return 0;
}
