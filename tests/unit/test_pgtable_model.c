/*
 * The page-table walker (core/pgtable.c) under random map, unmap and
 * protect operations on the three geometries, checked page by page
 * against a flat model, with table memory running out at random.
 */
#include <stdlib.h>
#include <tern/errno.h>
#include "pgtable_test.h"
#include "test.h"

/* --- Random operations against a model, with memory running out ---------- */

#define MODEL_SPAN GiB(2)
#define MODEL_PAGES (MODEL_SPAN >> 12)

struct model {
	paddr_t pa[MODEL_PAGES];
	uint8_t prot[MODEL_PAGES]; /* 0: unmapped */
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;


/*
 * A range made of 4 KiB, 2 MiB and 1 GiB pieces, so that blocks form; or,
 * to poke into blocks and split them, a short one from a mapped page.
 */
static void random_range(const struct model *m, bool poke, uint64_t *va, uint64_t *size)
{
	static const uint64_t grains[] = { KiB(4), MiB(2), GiB(1) };
	uint64_t start_grain = grains[unit_rng(&rng_state) % 3], len = 0;

	if (poke) {
		uint64_t page = unit_rng(&rng_state) % MODEL_PAGES;

		for (uint64_t n = 0; n < MODEL_PAGES && !m->prot[page]; n++)
			page = (page + 1) % MODEL_PAGES;
		*va = page << 12;
		*size = MIN((1 + unit_rng(&rng_state) % 1024) << 12, MODEL_SPAN - *va);
		return;
	}
	*va = (unit_rng(&rng_state) % (MODEL_SPAN / start_grain)) * start_grain;
	if (unit_rng(&rng_state) % 2 == 0)
		*va += (unit_rng(&rng_state) % 512) * KiB(4);
	for (unsigned int n = 1 + unit_rng(&rng_state) % 3; n; n--)
		len += grains[unit_rng(&rng_state) % 8 ? unit_rng(&rng_state) % 2 : 2] * (1 + unit_rng(&rng_state) % 3);
	if (*va >= MODEL_SPAN)
		*va = MODEL_SPAN - KiB(4);
	*size = MIN(len, MODEL_SPAN - *va);
}

/* 0 map (half the time, so there is something to split), 1 unmap, 2 protect. */
static unsigned int random_op(void)
{
	unsigned int r = unit_rng(&rng_state) % 4;

	return r < 2 ? 0 : r - 1;
}

/* Pages of [va, va + size), every step bytes, where the tables and the
 * model disagree. */
static uint64_t model_mismatches(const struct pgtable *pt, const struct model *m, uint64_t va,
				 uint64_t size, uint64_t step)
{
	uint64_t bad = 0;

	for (uint64_t page = va >> 12; page < (va + size) >> 12; page += step >> 12) {
		paddr_t pa;
		unsigned int prot;
		bool mapped = pt_lookup(pt, page << 12, &pa, &prot, NULL);

		if (mapped != (m->prot[page] != 0) ||
		    (mapped && (pa != m->pa[page] || prot != m->prot[page])))
			bad++;
	}
	return bad;
}

static int model_apply(struct fixture *f, struct model *m, unsigned int op, uint64_t va,
		       uint64_t size, paddr_t pa, unsigned int prot)
{
	uint64_t first = va >> 12, n = size >> 12, i;
	int ret;

	switch (op) {
	case 0:
		ret = pt_map(&f->pt, va, pa, size, prot);
		for (i = 0; i < n && !m->prot[first + i]; i++)
			;
		if (i < n) {
			CHECK_EQ(ret, -E_EXIST);
			return ret;
		}
		if (ret)
			return ret;
		for (i = 0; i < n; i++) {
			m->pa[first + i] = pa + (i << 12);
			m->prot[first + i] = prot;
		}
		return 0;
	case 1:
		ret = pt_unmap(&f->pt, va, size);
		if (!ret)
			memset(&m->prot[first], 0, n);
		return ret;
	default:
		ret = pt_protect(&f->pt, va, size, prot);
		for (i = 0; !ret && i < n; i++)
			if (m->prot[first + i])
				m->prot[first + i] = prot;
		return ret;
	}
}

TEST(pgtable_random_against_model)
{
	static const unsigned int prots[] = { PT_R, PT_RW, PT_RX, PT_RWX };
	struct model *m = calloc(1, sizeof(*m));
	struct fixture f;
	unsigned int ooms = 0;

	setup(&f, &fmt_arm64);
	for (unsigned int iter = 0; iter < 400 && m; iter++) {
		unsigned int op = random_op(), prot = prots[unit_rng(&rng_state) % 4];
		uint64_t va, size, lo, hi;
		/* Mostly keep pa congruent to va modulo 1 GiB, so blocks form. */
		paddr_t pa = unit_rng(&rng_state) % 4 ? GiB(1 + unit_rng(&rng_state) % 8) : (1 + unit_rng(&rng_state) % 100000) * KiB(4);
		int ret;

		/* Tables are never freed while linked, so start afresh now and
		 * then, or everything ends up split into pages. */
		if (iter % 40 == 0) {
			teardown(&f);
			setup(&f, &fmt_arm64);
			memset(m, 0, sizeof(*m));
		}
		random_range(m, op != 0 && unit_rng(&rng_state) % 2, &va, &size);
		pa += va;
		f.mm.fail_after = unit_rng(&rng_state) % 3 == 0 ? f.mm.allocs + (long)(unit_rng(&rng_state) % 3) : -1;
		ret = model_apply(&f, m, op, va, size, pa, prot);
		CHECK(ret == 0 || ret == -E_NOMEM || ret == -E_EXIST);
		ooms += ret == -E_NOMEM;
		/* Every page near both ends of the range, a sample of the rest;
		 * every page of the span before starting afresh. */
		lo = va >= MiB(4) ? va - MiB(4) : 0;
		hi = MIN(va + MiB(4), MODEL_SPAN);
		CHECK_EQ(model_mismatches(&f.pt, m, lo, hi - lo, KiB(4)), 0);
		lo = va + size >= MiB(4) ? va + size - MiB(4) : 0;
		hi = MIN(va + size + MiB(4), MODEL_SPAN);
		CHECK_EQ(model_mismatches(&f.pt, m, lo, hi - lo, KiB(4)), 0);
		CHECK_EQ(model_mismatches(&f.pt, m, 0, MODEL_SPAN, KiB(4) * 61), 0);
		if (iter % 40 == 39)
			CHECK_EQ(model_mismatches(&f.pt, m, 0, MODEL_SPAN, KiB(4)), 0);
	}
	CHECK(ooms > 0); /* the failure paths were taken */
	teardown(&f);
	free(m);
}
