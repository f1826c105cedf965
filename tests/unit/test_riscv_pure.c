/*
 * Host unit tests of riscv's pure logic: the Sv39/Sv48 encoders (pte.c)
 * driven through the generic walker, the riscv,isa parser (isa.c), the trap
 * cause and CSR field decoder (trap_decode.c) and the frame-record walk
 * (unwind.c). Built by tests/unit/unit.mk together with those files.
 */
#include <stdlib.h>
#include "test.h"
#include "../../arch/riscv/include/arch/isa.h"
#include "../../arch/riscv/include/arch/pte.h"
#include "../../arch/riscv/include/arch/trap_decode.h"
#include "../../arch/riscv/include/arch/unwind.h"
#include "../../arch/riscv/include/arch/vmid.h"

/* V, A, D and G: every leaf tern builds for itself. */
#define LEAF_BASE (RISCV_PTE_V | RISCV_PTE_A | RISCV_PTE_D | RISCV_PTE_G)

TEST(riscv_sv_leaf_encoding)
{
	const struct pt_format *f = &riscv_sv39_format;
	pte_t text = f->leaf(0x80200000, PT_RX, true);
	pte_t ram = f->leaf(0x80000000, PT_RW | PT_DEVICE, false);

	CHECK_EQ(text, (0x80200000ULL >> 12) << 10 | LEAF_BASE | RISCV_PTE_R | RISCV_PTE_X);
	CHECK_EQ(f->prot(text), PT_RX);
	CHECK_EQ(f->addr(text), 0x80200000);
	CHECK(f->is_valid(text) && !f->is_table(text, false));
	/* No Svpbmt assumed: PT_DEVICE leaves no trace in the entry. */
	CHECK_EQ(ram, (0x80000000ULL >> 12) << 10 | LEAF_BASE | RISCV_PTE_R | RISCV_PTE_W);
	/* W without R is reserved: it comes out readable. */
	CHECK_EQ(f->prot(f->leaf(0x1000, PT_W, true)), PT_RW);
	/* A leaf without permissions would read as a table: not mapped at all. */
	CHECK_EQ(f->leaf(0x1000, 0, true), 0);
	/* Bits above the PPN (Svpbmt, Svnapot) are not part of the address. */
	CHECK_EQ(f->addr(text | (3ULL << 61) | (1ULL << 63)), 0x80200000);
}

TEST(riscv_sv_table_encoding)
{
	const struct pt_format *f = &riscv_sv48_format;
	pte_t t = f->table(0x81234000);

	CHECK_EQ(t, (0x81234000ULL >> 12) << 10 | RISCV_PTE_V);
	CHECK(f->is_table(t, false));
	CHECK(!f->is_table(t, true)); /* reserved at the last level */
	CHECK_EQ(f->addr(t), 0x81234000);
	CHECK(!f->is_valid(0));
	CHECK_EQ(riscv_sv39_geometry.levels, 3);
	CHECK_EQ(riscv_sv48_geometry.levels, 4);
	CHECK_EQ(pt_input_size(&riscv_sv39_geometry), 1ULL << 39);
	CHECK_EQ(pt_input_size(&riscv_sv48_geometry), 1ULL << 48);
}

static void *alloc_table(void *ctx, size_t size, paddr_t *pa)
{
	void *p = aligned_alloc(size, size);

	if (p) {
		memset(p, 0, size);
		*pa = (uintptr_t)p;
	}
	return p;
}

static void free_table(void *ctx, void *va, size_t size)
{
	free(va);
}

static void *phys_to_virt(void *ctx, paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

static const struct pt_mm_ops host_mm = { alloc_table, free_table, phys_to_virt, NULL };

TEST(riscv_sv_walker_round_trip)
{
	const struct pt_format *fmts[] = { &riscv_sv39_format, &riscv_sv48_format };

	for (unsigned int i = 0; i < 2; i++) {
		struct pgtable pt;
		paddr_t pa;
		unsigned int prot, level;

		CHECK_EQ(pt_init(&pt, fmts[i], &host_mm), 0);
		CHECK_EQ(pt_map(&pt, 0x80000000, 0x80000000, 0x80000000ULL, PT_RW), 0);
		CHECK(pt_lookup(&pt, 0x80201234, &pa, &prot, &level));
		CHECK_EQ(pa, 0x80201234);
		CHECK_EQ(prot, PT_RW);
		CHECK_EQ(level, fmts[i]->geo->levels - 3); /* a 1 GiB gigapage */
		CHECK_EQ(pt_protect(&pt, 0x80200000, 0x1000, PT_RX), 0);
		CHECK(pt_lookup(&pt, 0x80200010, &pa, &prot, &level));
		CHECK_EQ(prot, PT_RX);
		CHECK_EQ(level, fmts[i]->geo->levels - 1);
		CHECK_EQ(pt_unmap(&pt, 0x80210000, 0x1000), 0);
		CHECK(!pt_lookup(&pt, 0x80210000, NULL, NULL, NULL));
		pt_destroy(&pt);
	}
}

TEST(riscv_isa_string)
{
	CHECK(riscv_isa_has("rv64imafdch_zicsr_zifencei_zihintpause_sstc", 'h'));
	CHECK(!riscv_isa_has("rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc", 'h'));
	CHECK(riscv_isa_has("RV64GCH", 'h'));
	CHECK(riscv_isa_has("rv64gc", 'd')); /* g is imafd */
	CHECK(!riscv_isa_has("rv64gc", 'h'));
	/* Version numbers are skipped, and their 'p' is not the P extension. */
	CHECK(riscv_isa_has("rv64i2p1m2p0a2p1f2p2d2p2c2p0h1p0_zicsr2p0", 'h'));
	CHECK(!riscv_isa_has("rv64i2p1m2p0a2p1c2p0_zicsr2p0", 'p'));
	/* Letters inside multi-letter names do not count, '_' or not. */
	CHECK(!riscv_isa_has("rv64imac_zihintpause", 'h'));
	CHECK(!riscv_isa_has("rv64imaczihintpause", 'h'));
	CHECK(!riscv_isa_has("rv64imac_sstc", 's'));
	CHECK(!riscv_isa_has(NULL, 'h'));
	CHECK_EQ(riscv_isa_xlen("rv64imac"), 64);
	CHECK_EQ(riscv_isa_xlen("rv32imac"), 32);
	CHECK_EQ(riscv_isa_xlen("rv6"), 0);
	CHECK_EQ(riscv_isa_xlen("armv8"), 0);
	CHECK_EQ(riscv_isa_xlen(NULL), 0);
}

TEST(riscv_trap_cause_names)
{
	char buf[48];

	CHECK_STR(riscv_cause_name(2, buf, sizeof(buf)), "Illegal instruction");
	CHECK_STR(riscv_cause_name(13, buf, sizeof(buf)), "Load page fault");
	CHECK_STR(riscv_cause_name(21, buf, sizeof(buf)), "Load guest-page fault");
	CHECK_STR(riscv_cause_name(22, buf, sizeof(buf)), "Virtual instruction");
	CHECK_STR(riscv_cause_name(23, buf, sizeof(buf)), "Store/AMO guest-page fault");
	CHECK_STR(riscv_cause_name(14, buf, sizeof(buf)), "Reserved exception 14");
	CHECK_STR(riscv_cause_name(25, buf, sizeof(buf)), "Custom exception 25");
	CHECK_STR(riscv_cause_name(RISCV_SCAUSE_INTERRUPT | 5, buf, sizeof(buf)),
		  "Supervisor timer interrupt");
	CHECK_STR(riscv_cause_name(RISCV_SCAUSE_INTERRUPT | 12, buf, sizeof(buf)),
		  "Supervisor guest external interrupt");
	CHECK_STR(riscv_cause_name(RISCV_SCAUSE_INTERRUPT | 4, buf, sizeof(buf)),
		  "Reserved interrupt 4");
	CHECK(riscv_cause_is_guest_page_fault(20));
	CHECK(!riscv_cause_is_guest_page_fault(13));
	/* Every exception code below 24 that the spec defines has a name. */
	for (unsigned int c = 0; c < 24; c++)
		CHECK((riscv_exception_name(c) != NULL) ==
		      (c != 14 && c != 16 && c != 17));
	CHECK_STR(riscv_reg_names[2], "sp");
	CHECK_STR(riscv_reg_names[8], "s0");
	CHECK_STR(riscv_reg_names[31], "t6");
}

TEST(riscv_csr_fields)
{
	char buf[64];

	riscv_format_sstatus(buf, sizeof(buf), 0x8000000200006122ULL);
	CHECK_STR(buf, "[SIE SPIE SPP FS=3 UXL=2 SD]");
	riscv_format_hstatus(buf, sizeof(buf), 0x2000000c0ULL);
	CHECK_STR(buf, "[GVA SPV VSXL=2]");
	riscv_format_sstatus(buf, sizeof(buf), 0);
	CHECK_STR(buf, "[]");
	/* Truncated, still terminated. */
	CHECK_EQ(riscv_format_sstatus(buf, 6, 0x8000000200006122ULL), 5);
	CHECK_STR(buf, "[SIE ");
}

TEST(riscv_unwind)
{
	static uintptr_t stack[256] __attribute__((aligned(16)));
	struct riscv_unwind_bounds b = {
		.stack_lo = (uintptr_t)stack, .stack_hi = (uintptr_t)(stack + 256),
		.text_lo = 0x1000, .text_hi = 0x2000,
	};
	uintptr_t fp0 = (uintptr_t)&stack[20], fp1 = (uintptr_t)&stack[40];
	uintptr_t fp2 = (uintptr_t)&stack[60];
	uintptr_t pcs[RISCV_UNWIND_MAX];

	stack[19] = fp1;                  /* a GCC leaf frame: only the caller's fp */
	stack[39] = 0x1100, stack[38] = fp2; /* {ra, fp} records */
	stack[59] = 0x1200, stack[58] = 0;
	CHECK_EQ(riscv_unwind(&b, fp0, 0x1050, pcs, RISCV_UNWIND_MAX), 3);
	CHECK_EQ(pcs[0], 0x1050);
	CHECK_EQ(pcs[1], 0x1100);
	CHECK_EQ(pcs[2], 0x1200);
	CHECK_EQ(riscv_unwind(&b, fp1, 0, pcs, 1), 1);
	/* Misaligned, outside the stack, or a loop: the walk ends. */
	CHECK_EQ(riscv_unwind(&b, fp1 + 8, 0, pcs, RISCV_UNWIND_MAX), 0);
	CHECK_EQ(riscv_unwind(&b, b.stack_hi + 16, 0, pcs, RISCV_UNWIND_MAX), 0);
	CHECK_EQ(riscv_unwind(&b, b.stack_lo, 0, pcs, RISCV_UNWIND_MAX), 0);
	stack[58] = fp1;
	CHECK_EQ(riscv_unwind(&b, fp1, 0, pcs, RISCV_UNWIND_MAX), 2);
}

TEST(riscv_vmid_width_and_assignment)
{
	/* VMIDLEN is how many low VMID bits kept the ones written. */
	CHECK_EQ(riscv_vmid_bits(0x3fffULL << HGATP_VMID_SHIFT | 9ULL << 60), 14);
	CHECK_EQ(riscv_vmid_bits(0x7fULL << HGATP_VMID_SHIFT), 7);
	CHECK_EQ(riscv_vmid_bits(0), 0);
	CHECK_EQ(riscv_vmid_bits(0x1ULL << HGATP_VMID_SHIFT), 1);
	/* Slot n gets VMID n + 1 while that fits; 0 is never a VM's own. */
	CHECK_EQ(riscv_vmid_for(0, 14), 1);
	CHECK_EQ(riscv_vmid_for(3, 14), 4);
	CHECK_EQ(riscv_vmid_for(2, 2), 3);
	/* Too few bits: shared, flushed on every switch between VMs. */
	CHECK_EQ(riscv_vmid_for(3, 2), RISCV_VMID_SHARED);
	CHECK_EQ(riscv_vmid_for(0, 1), 1);
	CHECK_EQ(riscv_vmid_for(1, 1), RISCV_VMID_SHARED);
	CHECK_EQ(riscv_vmid_for(0, 0), RISCV_VMID_SHARED);
}
