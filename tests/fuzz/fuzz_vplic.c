/*
 * libFuzzer harness for the guest PLIC model (arch/riscv/vplic_model.c):
 * the register window a guest reads and writes (priorities, pending,
 * enables, thresholds, claim/complete), with device lines moving and VM
 * resets in between, in any order.
 *
 * Fed: nr_sources (2..1024) and nr_contexts (1..16), then a sequence of
 * operations: an access at any offset and size 1/2/4/8, one aimed at a
 * register of some context, a device line up or down, a reset.
 * Checked after every operation (beyond ASan/UBSan), against the rules
 * include/arch/vplic_model.h and the PLIC spec state:
 *   - -E_INVAL exactly for the sizes, alignments and offsets the header
 *     lists, and then nothing changes, *val is untouched and no output
 *     moves; a read other than a claim changes nothing;
 *   - the changed mask is exactly the contexts whose output moved;
 *   - values read fit their registers (3-bit priority and threshold;
 *     enable and pending bits only for sources that exist), and a write
 *     reads back as the register keeps it (pending ignores writes);
 *   - a claim returns the highest-priority pending source the context
 *     enables above its threshold, the lowest ID among equals, or 0, and
 *     takes it out of pending; a completion ends only an in-flight source
 *     the context enables;
 *   - every context's output is high exactly when such a source exists.
 */
#include <string.h>
#include <tern/errno.h>
#include "fuzz.h"
#include "../../arch/riscv/include/arch/vplic_model.h"

static struct vplic_model p, snap;

static bool bit_of(const uint32_t *words, unsigned int src)
{
	return (words[src / 32] >> (src % 32)) & 1;
}

static uint32_t ctx_mask(void)
{
	return p.nr_contexts >= 32 ? ~0u : (1u << p.nr_contexts) - 1;
}

/* The spec's claim rule, from the model's state: 0 for none. */
static unsigned int best_for(unsigned int ctx)
{
	unsigned int best = 0, max = p.threshold[ctx];

	for (unsigned int w = 0; w < VPLIC_WORDS; w++) {
		uint32_t cand = p.level[w] & ~p.inflight[w] & p.enable[ctx][w];

		for (; cand; cand &= cand - 1) {
			unsigned int s = w * 32 + (unsigned int)__builtin_ctz(cand);

			if (s && s < p.nr_sources && p.priority[s] > max)
				best = s, max = p.priority[s];
		}
	}
	return best;
}

static uint32_t outputs(void)
{
	uint32_t out = 0;

	for (unsigned int c = 0; c < VPLIC_MAX_CONTEXTS + 1; c++)
		if (vplic_ctx_irq(&p, c))
			out |= 1u << c;
	return out;
}

static uint32_t valid_bits(unsigned int word)
{
	uint32_t m = 0;

	for (unsigned int b = 0; b < 32; b++) {
		unsigned int s = word * 32 + b;

		if (s != 0 && s < p.nr_sources)
			m |= 1u << b;
	}
	return m;
}

static void check_model(void)
{
	REQUIRE((outputs() & ~ctx_mask()) == 0);
	for (unsigned int c = 0; c < p.nr_contexts; c++) {
		REQUIRE(vplic_ctx_irq(&p, c) == (best_for(c) != 0));
		REQUIRE(p.threshold[c] <= VPLIC_PRIO_MASK);
	}
	for (unsigned int w = 0; w < VPLIC_WORDS; w++) {
		uint32_t valid = valid_bits(w);

		REQUIRE((p.level[w] & ~valid) == 0 && (p.inflight[w] & ~valid) == 0);
		for (unsigned int c = 0; c < VPLIC_MAX_CONTEXTS; c++)
			REQUIRE((p.enable[c][w] & ~valid) == 0);
	}
	for (unsigned int s = 0; s < VPLIC_MAX_SOURCES; s++)
		REQUIRE(p.priority[s] <= VPLIC_PRIO_MASK && ((s && s < p.nr_sources) || !p.priority[s]));
}

/* The header's list of what an access may name. */
static bool valid_access(uint64_t off, unsigned int size)
{
	if (size != 4 || off % 4)
		return false;
	if (off < VPLIC_PENDING + VPLIC_WORDS * 4)
		return true;
	if (off >= VPLIC_ENABLE && off < VPLIC_CONTEXT)
		return (off - VPLIC_ENABLE) / VPLIC_ENABLE_STRIDE < p.nr_contexts;
	return off >= VPLIC_CONTEXT && off < vplic_window_size(p.nr_contexts);
}

static bool is_claim(uint64_t off)
{
	return off >= VPLIC_CONTEXT && (off - VPLIC_CONTEXT) % VPLIC_CONTEXT_STRIDE == VPLIC_CLAIM;
}

static void access(uint64_t off, unsigned int size, bool write, uint32_t val)
{
	uint32_t before = outputs(), changed = 0xdeadbeef, v = 0xdeadbeef;
	bool valid = valid_access(off, size), claim = valid && is_claim(off);
	unsigned int ctx = claim ? (unsigned int)((off - VPLIC_CONTEXT) / VPLIC_CONTEXT_STRIDE) : 0;
	unsigned int expect = claim && !write ? best_for(ctx) : 0;
	int rc;

	snap = p;
	if (write)
		rc = vplic_mmio_write(&p, off, size, val, &changed);
	else
		rc = vplic_mmio_read(&p, off, size, &v, &changed);
	REQUIRE(rc == (valid ? 0 : -E_INVAL));
	REQUIRE(changed == (before ^ outputs()));
	if (!valid) {
		REQUIRE(memcmp(&snap, &p, sizeof(p)) == 0 && changed == 0);
		REQUIRE(write || v == 0xdeadbeef);
		return;
	}
	if (write && claim) { /* a completion */
		for (unsigned int s = 0; s < VPLIC_MAX_SOURCES; s++) {
			bool ends = s == val && bit_of(snap.inflight, s) && bit_of(snap.enable[ctx], s);

			REQUIRE(bit_of(p.inflight, s) == (bit_of(snap.inflight, s) && !ends));
		}
		return;
	}
	if (write) {
		/* Read back what was written, as the register keeps it. */
		REQUIRE(vplic_mmio_read(&p, off, 4, &v, NULL) == 0);
		if (off < VPLIC_PENDING)
			REQUIRE(v == (off / 4 && off / 4 < p.nr_sources ? (val & VPLIC_PRIO_MASK) : 0));
		else if (off < VPLIC_ENABLE) /* pending is read-only */
			REQUIRE(memcmp(&snap, &p, sizeof(p)) == 0);
		else if (off < VPLIC_CONTEXT)
			REQUIRE(v == (val & valid_bits((unsigned int)(off - VPLIC_ENABLE) %
						       VPLIC_ENABLE_STRIDE / 4)));
		else if ((off - VPLIC_CONTEXT) % VPLIC_CONTEXT_STRIDE == VPLIC_THRESHOLD)
			REQUIRE(v == (val & VPLIC_PRIO_MASK));
		else
			REQUIRE(memcmp(&snap, &p, sizeof(p)) == 0 && v == 0);
		return;
	}
	if (claim) {
		REQUIRE(v == expect);
		REQUIRE(!v || (!bit_of(snap.inflight, v) && bit_of(p.inflight, v)));
		return;
	}
	REQUIRE(memcmp(&snap, &p, sizeof(p)) == 0 && changed == 0);
	if (off < VPLIC_PENDING)
		REQUIRE(v <= VPLIC_PRIO_MASK);
	else if (off < VPLIC_ENABLE)
		REQUIRE((v & ~valid_bits((unsigned int)(off - VPLIC_PENDING) / 4)) == 0);
	else if (off < VPLIC_CONTEXT)
		REQUIRE((v & ~valid_bits((unsigned int)(off - VPLIC_ENABLE) % VPLIC_ENABLE_STRIDE / 4)) == 0);
	else if ((off - VPLIC_CONTEXT) % VPLIC_CONTEXT_STRIDE == VPLIC_THRESHOLD)
		REQUIRE(v <= VPLIC_PRIO_MASK);
	else
		REQUIRE(v == 0);
}

/* An offset inside one of the register kinds, for context ctx. */
static uint64_t aimed(uint8_t kind, unsigned int ctx, uint16_t idx)
{
	switch (kind % 6) {
	case 0: return VPLIC_PRIORITY + 4u * (idx % VPLIC_MAX_SOURCES);
	case 1: return VPLIC_PENDING + 4u * (idx % VPLIC_WORDS);
	case 2: return VPLIC_ENABLE + VPLIC_ENABLE_STRIDE * ctx + 4u * (idx % VPLIC_WORDS);
	case 3: return VPLIC_CONTEXT + VPLIC_CONTEXT_STRIDE * ctx + VPLIC_THRESHOLD;
	case 4: return VPLIC_CONTEXT + VPLIC_CONTEXT_STRIDE * ctx + VPLIC_CLAIM;
	default: return VPLIC_CONTEXT + VPLIC_CONTEXT_STRIDE * ctx + (idx % VPLIC_CONTEXT_STRIDE);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned int sources = 2 + take16(&in) % (VPLIC_MAX_SOURCES - 1);
	unsigned int contexts = 1 + take8(&in) % VPLIC_MAX_CONTEXTS;

	memset(&p, 0, sizeof(p));
	REQUIRE(vplic_model_init(&p, sources, contexts) == 0);
	REQUIRE(vplic_model_init(&p, 1, contexts) == -E_INVAL); /* and p untouched */
	REQUIRE(p.nr_sources == sources && p.nr_contexts == contexts);
	check_model();
	for (unsigned int n = 0; in.left && n < 256; n++) {
		uint8_t op = take8(&in);
		uint32_t before = outputs();
		unsigned int ctx = take8(&in) % (contexts + 1); /* one past the last, too */
		uint16_t idx = take16(&in);

		/* Low bits: the operation (aimed accesses weigh most); high: flags. */
		switch (op & 7) {
		case 0: /* any offset of the window and a little past it */
			access(take32(&in) % (vplic_window_size(contexts) + 0x2000), take_size(&in),
			       op & 0x80, take32(&in));
			break;
		case 3: /* a device line; 0 and past nr_sources are ignored */
			REQUIRE(vplic_set_level(&p, idx % (VPLIC_MAX_SOURCES + 64), op & 0x80) ==
				(before ^ outputs()));
			break;
		case 4:
			if ((op & 0xf0) == 0xf0) {
				snap = p;
				REQUIRE(vplic_model_reset(&p) == (before ^ outputs()));
				REQUIRE(memcmp(p.level, snap.level, sizeof(p.level)) == 0);
				REQUIRE((outputs() & ~before) == 0); /* outputs can only fall */
			}
			break;
		default: {
			uint8_t kind = take8(&in);

			access(aimed(kind, ctx, idx), op & 0x40 ? take_size(&in) : 4, op & 0x80,
			       op & 0x20 ? idx : take32(&in));
			break;
		}
		}
		check_model();
	}
	return 0;
}
