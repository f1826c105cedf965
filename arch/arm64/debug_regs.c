/*
 * The guest's self-hosted debug state: breakpoint and watchpoint
 * registers, MDCCINT_EL1 and the OS lock. They are switched lazily: while
 * a vCPU has not touched them in a run, every debug register access traps
 * (MDCR_EL2.TDA, TDOSA, TDRA); the first one loads the vCPU's state into
 * the hardware and lets later accesses through until the vCPU leaves the
 * CPU, when the state is saved and every breakpoint and watchpoint is
 * disabled, so nothing one guest armed fires in another. MDSCR_EL1 is
 * switched with the other EL1 registers.
 */
#include <arch/guest.h>
#include <arch/sysreg.h>
#include <tern/vm.h>

#define MDCR_TDA (1UL << 9)
#define MDCR_TDOSA (1UL << 10)
#define MDCR_TDRA (1UL << 11)
#define MDCR_DEBUG_TRAPS (MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)

/* DBGB/W{C,V}R<n>_EL1 name n in the encoding: one accessor per n. */
#define DBG_CASES(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) \
	X(13) X(14) X(15)

#define RD(reg, n) case n: return read_sysreg(reg##n##_el1);
#define WR(reg, n) case n: write_sysreg(reg##n##_el1, val); break;

static uint64_t rd_bcr(unsigned int n) { switch (n) {
#define X(n) RD(dbgbcr, n)
	DBG_CASES(X)
#undef X
	} return 0; }
static uint64_t rd_bvr(unsigned int n) { switch (n) {
#define X(n) RD(dbgbvr, n)
	DBG_CASES(X)
#undef X
	} return 0; }
static uint64_t rd_wcr(unsigned int n) { switch (n) {
#define X(n) RD(dbgwcr, n)
	DBG_CASES(X)
#undef X
	} return 0; }
static uint64_t rd_wvr(unsigned int n) { switch (n) {
#define X(n) RD(dbgwvr, n)
	DBG_CASES(X)
#undef X
	} return 0; }
static void wr_bcr(unsigned int n, uint64_t val) { switch (n) {
#define X(n) WR(dbgbcr, n)
	DBG_CASES(X)
#undef X
	} }
static void wr_bvr(unsigned int n, uint64_t val) { switch (n) {
#define X(n) WR(dbgbvr, n)
	DBG_CASES(X)
#undef X
	} }
static void wr_wcr(unsigned int n, uint64_t val) { switch (n) {
#define X(n) WR(dbgwcr, n)
	DBG_CASES(X)
#undef X
	} }
static void wr_wvr(unsigned int n, uint64_t val) { switch (n) {
#define X(n) WR(dbgwvr, n)
	DBG_CASES(X)
#undef X
	} }

static unsigned int nr_brps(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static unsigned int nr_wrps(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

uint64_t arm64_debug_traps(const struct vcpu *v)
{
	return v->arch.debug.loaded ? 0 : MDCR_DEBUG_TRAPS;
}

void arm64_debug_lazy_load(struct vcpu *v)
{
	struct arm64_debug_state *d = &v->arch.debug;

	for (unsigned int i = 0; i < nr_brps(); i++) {
		wr_bvr(i, d->bvr[i]);
		wr_bcr(i, d->bcr[i]);
	}
	for (unsigned int i = 0; i < nr_wrps(); i++) {
		wr_wvr(i, d->wvr[i]);
		wr_wcr(i, d->wcr[i]);
	}
	write_sysreg(mdccint_el1, d->mdccint);
	write_sysreg(oslar_el1, d->oslk);
	d->loaded = true;
	write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) & ~MDCR_DEBUG_TRAPS);
	isb();
}

void arm64_debug_put(struct vcpu *v)
{
	struct arm64_debug_state *d = &v->arch.debug;

	if (!d->loaded)
		return;
	for (unsigned int i = 0; i < nr_brps(); i++) {
		d->bvr[i] = rd_bvr(i);
		d->bcr[i] = rd_bcr(i);
		wr_bcr(i, 0);
	}
	for (unsigned int i = 0; i < nr_wrps(); i++) {
		d->wvr[i] = rd_wvr(i);
		d->wcr[i] = rd_wcr(i);
		wr_wcr(i, 0);
	}
	d->mdccint = read_sysreg(mdccint_el1);
	write_sysreg(mdccint_el1, 0);
	d->oslk = (read_sysreg(oslsr_el1) >> 1) & 1;
	d->loaded = false;
}
