/*
 * Host unit tests of arm64's pure logic: the EL2 stage-1 descriptor
 * encoders (pte.c) driven through the generic walker, the exception
 * syndrome decoder (esr_decode.c) and the frame-record walk
 * (frame_walk.c). Built by tests/unit/unit.mk together with those files.
 */
#include <stdlib.h>
#include "test.h"
#include "../../arch/arm64/include/arch/esr.h"
#include "../../arch/arm64/include/arch/pte.h"
#include "../../arch/arm64/include/arch/trap.h"

#define PTE_SH_AF_AP1 ((3ULL << 8) | (1ULL << 10) | (1ULL << 6))

TEST(arm64_s1_leaf_encoding)
{
	const struct pt_format *f = &arm64_s1_4k_l4_format;
	pte_t text = f->leaf(0x40200000, PT_RX, true);
	pte_t ram = f->leaf(0x40000000, PT_RW, false);
	pte_t dev = f->leaf(0x09000000, PT_RWX | PT_DEVICE, true);

	/* Page, Normal (AttrIndx 0), inner shareable, AF, AP[1] RES1,
	 * read-only (AP[2]), executable (no XN). */
	CHECK_EQ(text, 0x40200000ULL | 3 | PTE_SH_AF_AP1 | PTE_AP2_RO);
	CHECK_EQ(f->prot(text), PT_RX);
	/* Block (0b01), writable, never executable. */
	CHECK_EQ(ram, 0x40000000ULL | 1 | PTE_SH_AF_AP1 | PTE_XN);
	CHECK_EQ(f->prot(ram), PT_RW);
	/* Device memory is AttrIndx 1 and never executable, even if asked. */
	CHECK_EQ(dev & PTE_ATTRINDX_MASK, PTE_ATTRINDX(MAIR_IDX_DEVICE));
	CHECK(dev & PTE_XN);
	CHECK_EQ(f->prot(dev), PT_RW | PT_DEVICE);
	CHECK_EQ(f->addr(dev), 0x09000000);
}

TEST(arm64_s1_table_vs_page)
{
	const struct pt_format *f = &arm64_s1_4k_l3_format;
	pte_t t = f->table(0x12345000);

	CHECK_EQ(t, 0x12345000ULL | 3);
	CHECK(f->is_valid(t));
	CHECK(f->is_table(t, false));
	CHECK(!f->is_table(t, true)); /* 0b11 at the last level is a page */
	CHECK(!f->is_table(f->leaf(0x200000, PT_RW, false), false));
	CHECK(!f->is_valid(0));
}

TEST(arm64_s1_geometries)
{
	CHECK_EQ(arm64_s1_va_bits(&arm64_s1_4k_l4_geo), 48);
	CHECK_EQ(arm64_s1_va_bits(&arm64_s1_4k_l3_geo), 39);
	/* No 512 GiB blocks at L0; 1 GiB blocks at L1 in both. */
	CHECK_EQ(pt_level_size(&arm64_s1_4k_l4_geo, arm64_s1_4k_l4_geo.block_min_level), 1ULL << 30);
	CHECK_EQ(pt_level_size(&arm64_s1_4k_l3_geo, arm64_s1_4k_l3_geo.block_min_level), 1ULL << 30);
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

TEST(arm64_s1_walker_round_trip)
{
	const struct pt_format *fmts[] = { &arm64_s1_4k_l3_format, &arm64_s1_4k_l4_format };

	for (unsigned int i = 0; i < 2; i++) {
		struct pgtable pt;
		paddr_t pa;
		unsigned int prot, level;

		CHECK_EQ(pt_init(&pt, fmts[i], &host_mm), 0);
		CHECK_EQ(pt_map(&pt, 0x40000000, 0x40000000, 0x80000000ULL, PT_RW), 0);
		CHECK(pt_lookup(&pt, 0x40201234, &pa, &prot, &level));
		CHECK_EQ(pa, 0x40201234);
		CHECK_EQ(prot, PT_RW);
		CHECK_EQ(level, fmts[i]->geo->levels - 3); /* a 1 GiB block */
		CHECK_EQ(pt_protect(&pt, 0x40200000, 0x1000, PT_RX), 0);
		CHECK(pt_lookup(&pt, 0x40200010, &pa, &prot, &level));
		CHECK_EQ(prot, PT_RX);
		CHECK_EQ(level, fmts[i]->geo->levels - 1);
		CHECK_EQ(pt_unmap(&pt, 0x40210000, 0x1000), 0);
		CHECK(!pt_lookup(&pt, 0x40210000, NULL, NULL, NULL));
		pt_destroy(&pt);
	}
}

TEST(arm64_esr_names)
{
	CHECK_STR(esr_ec_name(ESR_EC_UNKNOWN), "Unknown reason");
	CHECK_STR(esr_ec_name(ESR_EC_DABT_CUR), "Data Abort from current EL");
	CHECK_STR(esr_ec_name(ESR_EC_SVC64), "SVC64");
	CHECK_STR(esr_ec_name(0x02), "Unallocated exception class");
	CHECK_STR(esr_ec_name(64), "Unallocated exception class");
	CHECK_STR(trap_vector_name(4), "Synchronous from EL2h");
	CHECK_STR(trap_vector_name(11), "SError from lower EL (AArch64)");
	CHECK_STR(trap_vector_name(16), "Unknown vector");
}

TEST(arm64_esr_iss_decode)
{
	char buf[160];

	/* An 8-byte load into x0 hitting an unmapped page. */
	esr_describe_iss(buf, sizeof(buf), 0x97c08007);
	CHECK_STR(buf, "DFSC 0x07 (translation fault, level 3), read of 8 bytes via x0");
	/* A byte store of wzr to a read-only page. */
	esr_describe_iss(buf, sizeof(buf), 0x971f004f);
	CHECK_STR(buf, "DFSC 0x0f (permission fault, level 3), write of 1 byte via wzr");
	esr_describe_iss(buf, sizeof(buf), 0x8600000f);
	CHECK_STR(buf, "IFSC 0x0f (permission fault, level 3)");
	esr_describe_iss(buf, sizeof(buf), 0x5a000042);
	CHECK_STR(buf, "imm16 0x0042");
	/* MRS x2, CTR_EL0 (S3_3_C0_C0_1). */
	esr_describe_iss(buf, sizeof(buf),
			 ((uint64_t)ESR_EC_SYS64 << 26) | ESR_IL | (3u << 20) | (1u << 17) |
				 (3u << 14) | (2u << 5) | 1);
	CHECK_STR(buf, "MRS S3_3_C0_C0_1, x2");
	spsr_describe(buf, sizeof(buf), 0x600003c9);
	CHECK_STR(buf, "EL2h, NZCV=0110, DAIF=1111");
	spsr_describe(buf, sizeof(buf), 0x1d3);
	CHECK_STR(buf, "AArch32 svc, NZCV=0000, DAIF=0111");
}

TEST(arm64_frame_walk)
{
	uint64_t stack[64] __attribute__((aligned(16))) = { 0 };
	uintptr_t lo = (uintptr_t)stack, hi = lo + sizeof(stack);
	uint64_t pcs[8];

	stack[4] = (uintptr_t)&stack[10];
	stack[5] = 0x1111;
	stack[10] = (uintptr_t)&stack[20];
	stack[11] = 0x2222;
	stack[20] = 0; /* end of chain */
	stack[21] = 0x3333;
	CHECK_EQ(arm64_fp_walk((uintptr_t)&stack[4], lo, hi, pcs, 8), 3);
	CHECK_EQ(pcs[0], 0x1111);
	CHECK_EQ(pcs[2], 0x3333);
	CHECK_EQ(arm64_fp_walk((uintptr_t)&stack[4], lo, hi, pcs, 2), 2);
	/* A chain that points back down must end, not loop. */
	stack[20] = (uintptr_t)&stack[4];
	CHECK_EQ(arm64_fp_walk((uintptr_t)&stack[4], lo, hi, pcs, 8), 3);
	/* Misaligned or out-of-stack records are not followed. */
	stack[10] = (uintptr_t)&stack[21];
	CHECK_EQ(arm64_fp_walk((uintptr_t)&stack[4], lo, hi, pcs, 8), 2);
	CHECK_EQ(arm64_fp_walk(hi, lo, hi, pcs, 8), 0);
	CHECK_EQ(arm64_fp_walk(0, lo, hi, pcs, 8), 0);
}

/* ISS of an MRS/MSR trap (EC 0x18) in the op0 = 2 space. */
static uint32_t debug_iss(unsigned int op1, unsigned int crn, unsigned int crm, unsigned int op2)
{
	return (2u << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (crm << 1) | 1;
}

TEST(arm64_debug_trap_kinds)
{
	/* DBGBCR0_EL1 (2,0,0,0,5) and OSLAR_EL1 (2,0,1,0,4): the lazy switch
	 * on first use, UNDEFINED if they trap again once switched. */
	CHECK_EQ(arm64_debug_trap_kind(debug_iss(0, 0, 0, 5), false), ARM64_DEBUG_LAZY_LOAD);
	CHECK_EQ(arm64_debug_trap_kind(debug_iss(0, 1, 0, 4), false), ARM64_DEBUG_LAZY_LOAD);
	CHECK_EQ(arm64_debug_trap_kind(debug_iss(0, 0, 0, 5), true), ARM64_DEBUG_UNDEF);
	/* MDCCSR_EL0 (2,3,0,1,0): debug communications, lazily switched. */
	CHECK_EQ(arm64_debug_trap_kind(debug_iss(3, 0, 1, 0), false), ARM64_DEBUG_LAZY_LOAD);
	/* Trace-unit registers, TRCPRGCTLR (2,1,0,1,0) and TRCIDR0 (2,1,0,8,7):
	 * CPTR_EL2.TTA traps them for good, so the lazy switch would re-trap
	 * forever on a CPU with a system-register trace unit. */
	CHECK_EQ(arm64_debug_trap_kind(debug_iss(1, 0, 1, 0), false), ARM64_DEBUG_UNDEF);
	CHECK_EQ(arm64_debug_trap_kind(debug_iss(1, 0, 8, 7), false), ARM64_DEBUG_UNDEF);
	CHECK_EQ(arm64_debug_trap_kind(debug_iss(1, 0, 8, 7), true), ARM64_DEBUG_UNDEF);
}
