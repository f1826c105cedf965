/*
 * Host unit tests of arm64's guest-side pure logic: the stage-2 descriptor
 * format and geometries (pte.c) driven through the generic walker, the
 * MMIO decoder of data-abort syndromes (mmio_decode.c) and the ID-register
 * sanitising tables (id_regs.c).
 */
#include <stdlib.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include "test.h"
#include "../../arch/arm64/include/arch/id_regs.h"
#include "../../arch/arm64/include/arch/mmio_decode.h"
#include "../../arch/arm64/include/arch/pte.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* --- Stage-2 format -------------------------------------------------------- */

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

TEST(arm64_s2_geometries)
{
	struct pt_geometry g;

	/* 40 bits (cortex-a53): 3 levels, two concatenated L1 tables. */
	CHECK(arm64_s2_geometry(40, &g));
	CHECK_EQ(g.levels, 3);
	CHECK_EQ(g.root_bits, 10);
	CHECK_EQ(pt_root_size(&g), 8192);
	CHECK_EQ(pt_input_size(&g), 1ULL << 40);
	CHECK_EQ(pt_level_size(&g, g.block_min_level), GiB(1));
	/* 43 bits: still 3 levels, 16 concatenated tables. */
	CHECK(arm64_s2_geometry(43, &g));
	CHECK_EQ(g.levels, 3);
	CHECK_EQ(pt_root_size(&g), 16 * 4096);
	/* 44 bits (cortex-a72): 4 levels, a partial L0 root, no L0 blocks. */
	CHECK(arm64_s2_geometry(44, &g));
	CHECK_EQ(g.levels, 4);
	CHECK_EQ(g.root_bits, 5);
	CHECK_EQ(pt_input_size(&g), 1ULL << 44);
	CHECK_EQ(pt_level_size(&g, g.block_min_level), GiB(1));
	/* 48 bits (-cpu max). */
	CHECK(arm64_s2_geometry(48, &g));
	CHECK_EQ(g.levels, 4);
	CHECK_EQ(g.root_bits, 9);
	/* 32 bits: a four-entry L1 root. */
	CHECK(arm64_s2_geometry(32, &g));
	CHECK_EQ(g.root_bits, 2);
	CHECK(!arm64_s2_geometry(31, &g));
	CHECK(!arm64_s2_geometry(52, &g));
}

TEST(arm64_s2_vtcr)
{
	struct pt_geometry g;

	/* 40-bit IPA: T0SZ 24, SL0 1 (start at L1), WBWA inner shareable, 4K,
	 * PS 2 (40 bits), RES1 bit 31. */
	arm64_s2_geometry(40, &g);
	CHECK_EQ(arm64_s2_vtcr(&g, 40, 2), 0x80023558ULL);
	/* 48-bit IPA: T0SZ 16, SL0 2 (start at L0), PS 5. */
	arm64_s2_geometry(48, &g);
	CHECK_EQ(arm64_s2_vtcr(&g, 48, 5), 0x80053590ULL);
}

TEST(arm64_parange)
{
	CHECK_EQ(arm64_parange_bits(0), 32);
	CHECK_EQ(arm64_parange_bits(2), 40);
	CHECK_EQ(arm64_parange_bits(5), 48);
	CHECK_EQ(arm64_parange_bits(6), 48); /* 52 bits is not used */
	CHECK_EQ(arm64_parange_encode(40), 2);
	CHECK_EQ(arm64_parange_encode(44), 4);
	CHECK_EQ(arm64_parange_encode(48), 5);
	CHECK_EQ(arm64_parange_encode(41), 2);
	for (unsigned int e = 0; e <= 5; e++)
		CHECK_EQ(arm64_parange_encode(arm64_parange_bits(e)), e);
}

TEST(arm64_s2_leaf_encoding)
{
	struct pt_geometry g;
	struct pt_format f;
	pte_t ram, dev, ro;

	arm64_s2_geometry(40, &g);
	arm64_s2_format(&f, &g);
	ram = f.leaf(0x40000000, PT_RWX, false);
	dev = f.leaf(0x08000000, PT_RWX | PT_DEVICE, true);
	ro = f.leaf(0x40201000, PT_R, true);

	/* Block, MemAttr 0b1111 (Normal WB), S2AP RW, inner shareable, AF,
	 * executable. */
	CHECK_EQ(ram, 0x40000000ULL | 1 | (0xfULL << 2) | (3ULL << 6) | (3ULL << 8) | (1ULL << 10));
	CHECK_EQ(f.prot(ram), PT_RWX);
	/* Page, Device-nGnRE, never executable even when asked. */
	CHECK_EQ(dev & S2_MEMATTR_MASK, S2_MEMATTR(S2_MEMATTR_DEVICE_nGnRE));
	CHECK_EQ(dev & 3, 3);
	CHECK(dev & S2_XN);
	CHECK_EQ(f.prot(dev), PT_RW | PT_DEVICE);
	/* Read-only, not executable. */
	CHECK_EQ(ro & (S2_AP_R | S2_AP_W), S2_AP_R);
	CHECK(ro & S2_XN);
	CHECK_EQ(f.prot(ro), PT_R);
	/* Stage 2 can say write-only, unlike EL2 stage 1. */
	CHECK_EQ(f.prot(f.leaf(0x1000, PT_W, true)), PT_W);
	CHECK(!f.is_valid(0));
	CHECK(f.is_table(f.table(0x1234000), false));
	CHECK(!f.is_table(ram, false));
	CHECK_EQ(f.addr(dev), 0x08000000);
}

/* A VM's RAM as core maps it (2 MiB aligned), then the changes core and
 * the vGIC make: a device page mapped beside it, a page unmapped from the
 * middle of a block, permissions changed. */
TEST(arm64_s2_walk_40bit)
{
	struct pt_geometry g;
	struct pt_format f;
	struct pgtable pt;
	paddr_t pa;
	unsigned int prot, level;

	arm64_s2_geometry(40, &g);
	arm64_s2_format(&f, &g);
	CHECK_EQ(pt_init(&pt, &f, &host_mm), 0);
	CHECK_EQ(pt_map(&pt, GiB(1), GiB(4), GiB(1) + MiB(6), PT_RWX), 0);
	/* 1 GiB block at L1, then 2 MiB blocks at L2. */
	CHECK(pt_lookup(&pt, GiB(1) + 0x1234, &pa, &prot, &level));
	CHECK_EQ(pa, GiB(4) + 0x1234);
	CHECK_EQ(prot, PT_RWX);
	CHECK_EQ(level, 0);
	CHECK(pt_lookup(&pt, GiB(2) + MiB(5), &pa, NULL, &level));
	CHECK_EQ(pa, GiB(5) + MiB(5));
	CHECK_EQ(level, 1);
	CHECK(!pt_lookup(&pt, GiB(2) + MiB(6), NULL, NULL, NULL));
	/* Mapping over RAM is refused. */
	CHECK_EQ(pt_map(&pt, GiB(1) + MiB(2), 0x08010000, 0x1000, PT_RW | PT_DEVICE), -E_EXIST);
	/* A device page in the low GiB (a GICv2 GICV frame). */
	CHECK_EQ(pt_map(&pt, 0x08040000, 0x2c000000, 0x2000, PT_RW | PT_DEVICE), 0);
	CHECK(pt_lookup(&pt, 0x08041008, &pa, &prot, &level));
	CHECK_EQ(pa, 0x2c001008);
	CHECK_EQ(prot, PT_RW | PT_DEVICE);
	CHECK_EQ(level, 2);
	/* Unmap one page from the 1 GiB block: it splits, neighbours stay. */
	CHECK_EQ(pt_unmap(&pt, GiB(1) + MiB(3), 0x1000), 0);
	CHECK(!pt_lookup(&pt, GiB(1) + MiB(3), NULL, NULL, NULL));
	CHECK(pt_lookup(&pt, GiB(1) + MiB(3) + 0x1000, &pa, &prot, &level));
	CHECK_EQ(pa, GiB(4) + MiB(3) + 0x1000);
	CHECK_EQ(prot, PT_RWX);
	CHECK_EQ(level, 2);
	CHECK(pt_lookup(&pt, GiB(1) + MiB(700), NULL, NULL, &level));
	CHECK_EQ(level, 1);
	/* Make a range read-only (the pager's write protection). */
	CHECK_EQ(pt_protect(&pt, GiB(1) + MiB(8), MiB(2), PT_R), 0);
	CHECK(pt_lookup(&pt, GiB(1) + MiB(9), NULL, &prot, NULL));
	CHECK_EQ(prot, PT_R);
	CHECK(pt_lookup(&pt, GiB(1) + MiB(10), NULL, &prot, NULL));
	CHECK_EQ(prot, PT_RWX);
	pt_destroy(&pt);
}

TEST(arm64_s2_walk_48bit)
{
	struct pt_geometry g;
	struct pt_format f;
	struct pgtable pt;
	paddr_t pa;
	unsigned int level;

	arm64_s2_geometry(48, &g);
	arm64_s2_format(&f, &g);
	CHECK_EQ(pt_init(&pt, &f, &host_mm), 0);
	/* High in the IPA space (a GICv3 redistributor region beyond 256 GiB). */
	CHECK_EQ(pt_map(&pt, 0x4010000000ULL, 0x4010000000ULL, MiB(2), PT_RW | PT_DEVICE), 0);
	CHECK(pt_lookup(&pt, 0x4010000000ULL + 0x20000, &pa, NULL, &level));
	CHECK_EQ(pa, 0x4010020000ULL);
	CHECK_EQ(level, 2); /* a 2 MiB block at L2 of four levels */
	CHECK(!pt_lookup(&pt, 1ULL << 47, NULL, NULL, NULL));
	pt_destroy(&pt);
}

/* --- MMIO decoding ---------------------------------------------------------- */

#define DABT_LOW (0x24ULL << 26 | 1ULL << 25)

static uint64_t dabt(unsigned int sas, bool sse, unsigned int srt, bool sf, bool wnr,
		     unsigned int fsc)
{
	return DABT_LOW | DABT_ISV | (uint64_t)sas << DABT_SAS_SHIFT | (sse ? DABT_SSE : 0) |
	       (uint64_t)srt << DABT_SRT_SHIFT | (sf ? DABT_SF : 0) | (wnr ? DABT_WNR : 0) | fsc;
}

TEST(arm64_mmio_decode)
{
	struct mmio_insn m;

	/* ldr w3, [x0]: 32-bit load into a W register. */
	CHECK(mmio_decode(dabt(2, false, 3, false, false, 0x06), &m));
	CHECK_EQ(m.size, 4);
	CHECK_EQ(m.reg, 3);
	CHECK(!m.write);
	CHECK(!m.reg64);
	/* str x30, [x1]: 64-bit store. */
	CHECK(mmio_decode(dabt(3, false, 30, true, true, 0x07), &m));
	CHECK_EQ(m.size, 8);
	CHECK_EQ(m.reg, 30);
	CHECK(m.write);
	CHECK(m.reg64);
	/* strb wzr: register 31 is the zero register. */
	CHECK(mmio_decode(dabt(0, false, 31, false, true, 0x06), &m));
	CHECK_EQ(m.size, 1);
	CHECK_EQ(m.reg, 31);
	/* Without ISV (ldp, post-index, SIMD) nothing can be emulated. */
	CHECK(!mmio_decode(DABT_LOW | 0x06, &m));
	/* A stage-1 walk into MMIO, a cache maintenance op: not accesses. */
	CHECK(!mmio_decode(dabt(2, false, 1, false, false, 0x06) | DABT_S1PTW, &m));
	CHECK(!mmio_decode(dabt(2, false, 1, false, true, 0x06) | DABT_CM, &m));
}

TEST(arm64_mmio_load_extension)
{
	struct mmio_insn m = { .size = 1, .reg = 0 };

	/* ldrb: zero extended, only the byte read counts. */
	CHECK_EQ(mmio_load_value(&m, 0xffffff80), 0x80);
	/* ldrsb x0: sign extended to 64 bits. */
	m.sign_extend = true;
	m.reg64 = true;
	CHECK_EQ(mmio_load_value(&m, 0x80), 0xffffffffffffff80ULL);
	CHECK_EQ(mmio_load_value(&m, 0x7f), 0x7f);
	/* ldrsh w0: sign extended to 32 bits, upper half zero. */
	m.size = 2;
	m.reg64 = false;
	CHECK_EQ(mmio_load_value(&m, 0x8001), 0xffff8001ULL);
	/* ldrsw x0. */
	m.size = 4;
	m.reg64 = true;
	CHECK_EQ(mmio_load_value(&m, 0x80000000), 0xffffffff80000000ULL);
	/* ldr x0: all 64 bits. */
	m.size = 8;
	m.sign_extend = false;
	CHECK_EQ(mmio_load_value(&m, 0x8000000000000001ULL), 0x8000000000000001ULL);
	/* Stores write only the access's bytes of the register. */
	m.size = 2;
	CHECK_EQ(mmio_store_value(&m, 0x1234567887654321ULL), 0x4321);
	m.size = 8;
	CHECK_EQ(mmio_store_value(&m, 0x1234567887654321ULL), 0x1234567887654321ULL);
}

TEST(arm64_s2_fault_ipa_and_class)
{
	/* HPFAR.FIPA holds IPA[47:12] at bits [43:4]; FAR gives the offset. */
	CHECK_EQ(s2_fault_ipa(0x09000000ULL >> 8, 0xffff800009000018ULL), 0x09000018ULL);
	CHECK_EQ(s2_fault_ipa((0x4010020000ULL >> 12) << 4, 0x123), 0x4010020123ULL);
	/* Translation (level 0-3), access flag and permission faults are the
	 * MMIO bus's; an external abort is not. */
	CHECK(s2_fault_is_translation(0x04));
	CHECK(s2_fault_is_translation(0x07));
	CHECK(s2_fault_is_translation(0x0b));
	CHECK(s2_fault_is_translation(0x0f));
	CHECK(!s2_fault_is_translation(0x10));
	CHECK(!s2_fault_is_translation(0x21));
	CHECK(!s2_fault_is_translation(0x00));
}

/* --- ID registers ---------------------------------------------------------- */

TEST(arm64_id_regs_hide_unswitched_features)
{
	struct id_reg_ctx ctx = { .gic_v3 = 1, .parange = 5 };
	/* QEMU 7.2 -cpu max as seen at EL2 (PFR0 with SVE, AMU, RAS, EL2,
	 * AArch32 EL0/EL1, GIC v3, CSV2 2). */
	uint64_t pfr0 = 0x1201111120112222ULL | (1ULL << 32) | (1ULL << 44) | (1ULL << 28);
	uint64_t g = id_reg_sanitise(ID_AA64PFR0, pfr0, &ctx);

	CHECK_EQ(g & 0xf, 1);                 /* EL0 AArch64 only */
	CHECK_EQ((g >> 4) & 0xf, 1);          /* EL1 AArch64 only */
	CHECK_EQ((g >> 8) & 0xf, 0);          /* no EL2 */
	CHECK_EQ((g >> 24) & 0xf, 1);         /* GICv3 system registers */
	CHECK_EQ((g >> 28) & 0xf, 0);         /* no RAS */
	CHECK_EQ((g >> 32) & 0xf, 0);         /* no SVE */
	CHECK_EQ((g >> 44) & 0xf, 0);         /* no AMU */
	CHECK_EQ((g >> 56) & 0xf, 1);         /* CSV2 capped at 1 */
	CHECK_EQ((g >> 16) & 0xff, (pfr0 >> 16) & 0xff); /* FP, AdvSIMD kept */

	/* PFR1: BT and SSBS kept; MTE and SME gone. */
	g = id_reg_sanitise(ID_AA64PFR1, 0x0000000001000321ULL | (2ULL << 8), &ctx);
	CHECK_EQ(g & 0xff, 0x21);
	CHECK_EQ((g >> 8) & 0xf, 0);
	CHECK_EQ((g >> 24) & 0xf, 0);

	/* ISAR1: pointer authentication (APA, API, GPA, GPI) hidden, the rest kept. */
	g = id_reg_sanitise(ID_AA64ISAR1, 0x0011101101211111ULL, &ctx);
	CHECK_EQ((g >> 4) & 0xff, 0);
	CHECK_EQ((g >> 24) & 0xff, 0);
	CHECK_EQ(g & 0xf, 1);
	CHECK_EQ((g >> 12) & 0xf, 1);

	/* DFR0: PMU and debug kept, SPE, TRBE and trace gone. */
	g = id_reg_sanitise(ID_AA64DFR0, 0x000001f1f0305616ULL | (1ULL << 32) | (1ULL << 44), &ctx);
	CHECK_EQ(g & 0xf, 6);
	CHECK_EQ((g >> 4) & 0xf, 0);
	CHECK_EQ((g >> 8) & 0xf, 6);
	CHECK_EQ((g >> 32) & 0xf, 0);
	CHECK_EQ((g >> 44) & 0xf, 0);

	/* SVE and SME feature registers, AArch32 registers: all zero. */
	CHECK_EQ(id_reg_sanitise(ID_AA64ZFR0, ~0ULL, &ctx), 0);
	CHECK_EQ(id_reg_sanitise(ID_AA64SMFR0, ~0ULL, &ctx), 0);
	CHECK_EQ(id_reg_sanitise(ID_REG_IDX(1, 0), ~0ULL, &ctx), 0);
	CHECK_EQ(id_reg_sanitise(ID_REG_IDX(3, 0), ~0ULL, &ctx), 0);
	CHECK(!id_reg_passed(ID_AA64ZFR0));
	CHECK(id_reg_passed(ID_AA64MMFR0));
	CHECK_STR(id_reg_name(ID_AA64ISAR0), "ID_AA64ISAR0_EL1");
	CHECK(id_reg_name(ID_AA64DFR1) == NULL);
}

TEST(arm64_id_regs_memory_model)
{
	struct id_reg_ctx ctx = { .gic_v3 = 0, .parange = 2 };
	uint64_t g;

	/* PARange is the VM's IPA size; ECV and FGT are EL2's. */
	g = id_reg_sanitise(ID_AA64MMFR0, 0x1100000000101125ULL, &ctx);
	CHECK_EQ(g & 0xf, 2);
	CHECK_EQ((g >> 56) & 0xff, 0);
	CHECK_EQ(g & 0xffffffff0ULL, 0x000101120ULL);
	/* MMFR1: VH, LO, TWED, XNX, HCX hidden; PAN and HAFDBS kept. */
	g = id_reg_sanitise(ID_AA64MMFR1, 0x0000101010312122ULL, &ctx);
	CHECK_EQ(g & 0xf, 2);
	CHECK_EQ((g >> 8) & 0xf, 0);
	CHECK_EQ((g >> 16) & 0xf, 0);
	CHECK_EQ((g >> 20) & 0xf, 3);
	CHECK_EQ((g >> 28) & 0xf, 0);
	/* MMFR2: NV, FWB, EVT hidden. */
	g = id_reg_sanitise(ID_AA64MMFR2, 0x1221011111101011ULL, &ctx);
	CHECK_EQ((g >> 24) & 0xf, 0);
	CHECK_EQ((g >> 40) & 0xf, 0);
	CHECK_EQ((g >> 56) & 0xf, 0);
	CHECK_EQ(g & 0xf, 1);
	/* A GICv2 guest has no GIC system registers. */
	CHECK_EQ((id_reg_sanitise(ID_AA64PFR0, 0x01000011ULL, &ctx) >> 24) & 0xf, 0);
	/* Nothing outside the table leaks: every unlisted field is zero. */
	CHECK_EQ(id_reg_sanitise(ID_AA64ISAR2, ~0ULL, &ctx), 0xf0f000f0ULL);
	CHECK_EQ(id_reg_sanitise(ID_AA64ISAR0, ~0ULL, &ctx), 0xfffffffff0fffff0ULL); /* no TME */
}
