/*
 * libFuzzer harness for the SBI hart masks of RISC-V guests
 * (arch/riscv/vsbi/harts.c): vsbi_for_each_hart (hart_mask and
 * hart_mask_base of IPI and RFENCE, and the legacy calls' masks),
 * vsbi_remote_fence (the numbered requests it waits for) and
 * vsbi_fence_vma_req (the range of a remote SFENCE.VMA). Masks, bases,
 * addresses, sizes and ASIDs are the guest's a0-a4.
 *
 * harts.c includes RISC-V arch headers; they hold inline assembly only in
 * static inline functions harts.c and core/vcpu.c never call, so clang
 * compiles both for the build machine unchanged, with
 * -Iarch/riscv/include and the riscv defconfig's config.h (fuzz.mk).
 * vm_vcpu_by_hwid is core/vcpu.c's own. The doubles below stand in for
 * what a call does to a target vCPU (riscv_vcpu_raise, riscv_vcpu_fence,
 * riscv_fence_wait) and record it; what else those files call is never
 * reached from here and aborts if it is.
 *
 * Fed: a VM of 1..16 vCPUs with tern's hart IDs (hwid = index) or any
 * 64-bit IDs, then calls of (mask, base, start, size, asid).
 * Checked:
 *   - base -1 names every vCPU, in order; otherwise SBI_SUCCESS exactly
 *     when every set bit names a vCPU (base + bit, no wrap past 2^64), and
 *     then each named vCPU once in bit order; SBI_ERR_INVALID_PARAM with
 *     nothing done otherwise;
 *   - vsbi_remote_fence asks each target once with the caller's request
 *     and waits, on success only, for exactly the numbers they gave;
 *   - a fence request covers what was asked: everything for start 0 and
 *     size 0 or size -1, else start to start + size (cut at 2^64), for
 *     the ASID given or all; a full flush always does, a range must
 *     start on a page at or below start and reach the end.
 */
#include <string.h>
#include <arch/guest.h>
#include <arch/vsbi.h>
#include <tern/arch.h>
#include <tern/console.h>
#include <tern/cpu.h>
#include <tern/event.h>
#include <tern/vm.h>
#include <tern/vuart.h>
#include "fuzz.h"

#define NOT_REACHED()                                                        \
	do {                                                                 \
		fprintf(stderr, "%s: not expected from hart masks\n", __func__); \
		abort();                                                     \
	} while (0)

static struct vm vm;
static struct vcpu *seen[64 + VM_MAX_VCPUS]; /* targets, in call order */
static unsigned int nseen;
static unsigned int given[VM_MAX_VCPUS], next_seq; /* riscv_vcpu_fence's numbers */
static const struct riscv_fence_req *want_req;
static bool waited;
static unsigned int waited_for[VM_MAX_VCPUS];

static void saw(struct vcpu *t)
{
	REQUIRE(t >= vm.vcpus && t < vm.vcpus + vm.nr_vcpus && t->vm == &vm);
	REQUIRE(nseen < sizeof(seen) / sizeof(seen[0]));
	seen[nseen++] = t;
}

/* ---- doubles ------------------------------------------------------------------ */

void riscv_vcpu_raise(struct vcpu *v, uint64_t hvip_bits)
{
	REQUIRE(hvip_bits == HVIP_VSSIP);
	saw(v);
}

unsigned int riscv_vcpu_fence(struct vcpu *target, const struct riscv_fence_req *req)
{
	REQUIRE(req == want_req);
	saw(target);
	return given[target->id] = ++next_seq;
}

void riscv_fence_wait(struct vcpu *self, const unsigned int *seq)
{
	REQUIRE(self == &vm.vcpus[0] && !waited);
	waited = true;
	memcpy(waited_for, seq, sizeof(waited_for[0]) * vm.nr_vcpus);
}

void console_lock(void) { NOT_REACHED(); }
void console_unlock(void) { NOT_REACHED(); }
void console_write(const char *s, size_t len) { NOT_REACHED(); }
size_t vuart_take_input(struct vm *v, uint8_t *buf, size_t len) { NOT_REACHED(); }
/* core/vcpu.c's other functions' needs */
void arch_kick_cpu(struct pcpu *target) { NOT_REACHED(); }
void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg) { NOT_REACHED(); }
int ev_next(const struct ev_vcpu *c) { NOT_REACHED(); }
void ev_vcpu_init(struct ev_vcpu *c) { NOT_REACHED(); }
void spin_lock(spinlock_t *l) { NOT_REACHED(); }
void spin_unlock(spinlock_t *l) { NOT_REACHED(); }
struct pcpu *arch_this_cpu(void) { NOT_REACHED(); }

/* ---- checks ------------------------------------------------------------------- */

static void ipi_counter(struct vcpu *self, struct vcpu *target, void *arg)
{
	REQUIRE(self == &vm.vcpus[0] && arg == &vm);
	saw(target);
}

/* The vCPUs the mask names, in bit order; false if one is not a vCPU. */
static bool expected(unsigned long mask, unsigned long base, struct vcpu **out, unsigned int *n)
{
	*n = 0;
	if (base == -1UL) {
		for (unsigned int i = 0; i < vm.nr_vcpus; i++)
			out[(*n)++] = &vm.vcpus[i];
		return true;
	}
	for (unsigned int bit = 0; bit < 64; bit++) {
		struct vcpu *t = NULL;

		if (!(mask >> bit & 1))
			continue;
		if ((unsigned __int128)base + bit > ~0UL)
			return false;
		for (unsigned int i = 0; i < vm.nr_vcpus && !t; i++)
			if (vm.vcpus[i].hwid == base + bit)
				t = &vm.vcpus[i];
		if (!t)
			return false;
		out[(*n)++] = t;
	}
	return true;
}

static void check_masks(unsigned long mask, unsigned long base)
{
	struct vcpu *want[64 + VM_MAX_VCPUS];
	struct riscv_fence_req req = { .fence_i = true };
	unsigned int n;
	bool ok = expected(mask, base, want, &n);
	long rc;

	nseen = 0;
	rc = vsbi_for_each_hart(&vm.vcpus[0], mask, base, ipi_counter, &vm);
	REQUIRE(rc == (ok ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM));
	REQUIRE(nseen == (ok ? n : 0) && memcmp(seen, want, sizeof(want[0]) * nseen) == 0);

	nseen = 0;
	REQUIRE(vsbi_for_each_hart(&vm.vcpus[0], mask, base, vsbi_send_ipi, NULL) == rc);
	REQUIRE(nseen == (ok ? n : 0) && memcmp(seen, want, sizeof(want[0]) * nseen) == 0);

	nseen = 0;
	waited = false;
	want_req = &req;
	memset(given, 0, sizeof(given));
	REQUIRE(vsbi_remote_fence(&vm.vcpus[0], mask, base, &req) == rc);
	REQUIRE(waited == ok);
	REQUIRE(nseen == (ok ? n : 0) && memcmp(seen, want, sizeof(want[0]) * nseen) == 0);
	if (ok)
		REQUIRE(memcmp(waited_for, given, sizeof(given[0]) * vm.nr_vcpus) == 0);
}

/* Whether a target carrying out r drops every translation of [start, end)
 * the request names. Flushing more than asked is always allowed. */
static bool covers(const struct riscv_fence_req *r, uint64_t start, unsigned __int128 end,
		   bool has_asid, uint64_t asid)
{
	if (r->vma_all)
		return true;
	if (!r->vma_pending || (r->vma_has_asid && (!has_asid || r->vma_asid != asid)))
		return false;
	if (r->vma_start % 4096 || r->vma_start > start)
		return false;
	return r->vma_size == -1UL || (unsigned __int128)r->vma_start + r->vma_size >= end;
}

static void check_fence_req(uint64_t start, uint64_t size, bool has_asid, uint64_t asid)
{
	const unsigned __int128 top = (unsigned __int128)1 << 64;
	unsigned __int128 end = (unsigned __int128)start + size;
	struct riscv_fence_req r;

	memset(&r, 0xa5, sizeof(r));
	vsbi_fence_vma_req(&r, start, size, has_asid, asid);
	REQUIRE(!r.fence_i);
	/* The spec's "everything": start 0 and size 0, or size -1. */
	if ((start == 0 && size == 0) || size == -1UL)
		REQUIRE(covers(&r, 0, top, has_asid, asid));
	/* Otherwise the range, cut at the top of the address space. */
	else
		REQUIRE(covers(&r, start, end < top ? end : top, has_asid, asid));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t b = take8(&in);

	memset(&vm, 0, sizeof(vm));
	vm.nr_vcpus = 1 + (b & 0xf);
	/* Any IDs: near 2^64, sparse, even repeated (then the code and the
	 * check both take the first vCPU with the ID). */
	for (unsigned int i = 0; i < vm.nr_vcpus; i++) {
		struct vcpu *v = &vm.vcpus[i];

		v->id = i;
		v->vm = &vm;
		v->hwid = i; /* as arch/riscv/vcpu.c numbers harts */
		if (b & 0x10)
			v->hwid = take64(&in) ^ (b & 0x20 ? ~0UL : 0);
	}
	while (in.left) {
		unsigned long mask = take64(&in), base = take64(&in);
		unsigned long start = take64(&in), len = take64(&in), asid = take16(&in);

		check_masks(mask, base);
		check_fence_req(start, len, mask & 1, asid);
	}
	return 0;
}
