/*
 * Host unit tests of riscv's pure guest logic: the G-stage formats
 * (pte.c), the decoding of a faulting device access (mmio_decode.c) and
 * the riscv,isa a guest is given (isa.c).
 */
#include <tern/errno.h>
#include "test.h"
#include "../../arch/riscv/include/arch/isa.h"
#include "../../arch/riscv/include/arch/mmio_decode.h"
#include "../../arch/riscv/include/arch/pte.h"

TEST(riscv_gstage_formats)
{
	const struct pt_format *f = &riscv_sv39x4_format;
	pte_t leaf = f->leaf(0x80200000, PT_RWX, true);

	/* Every G-stage leaf is a U-mode one; G means nothing there. */
	CHECK(leaf & RISCV_PTE_U);
	CHECK(!(leaf & RISCV_PTE_G));
	CHECK_EQ(f->prot(leaf), PT_RWX);
	CHECK_EQ(f->addr(leaf), 0x80200000);
	/* The x4 root: 2048 entries, 16 KiB; 41 and 50 input bits. */
	CHECK_EQ(pt_root_size(riscv_sv39x4_format.geo), 16384);
	CHECK_EQ(pt_root_size(riscv_sv48x4_format.geo), 16384);
	CHECK_EQ(pt_input_size(riscv_sv39x4_format.geo), 1ULL << 41);
	CHECK_EQ(pt_input_size(riscv_sv48x4_format.geo), 1ULL << 50);
	CHECK_EQ(f->leaf(0x1000, 0, true), 0);
}

TEST(riscv_mmio_decode_32bit)
{
	struct riscv_mmio_insn d;

	/* lw a5, 4(a0) */
	CHECK_EQ(riscv_mmio_decode(0x00452783, &d), 0);
	CHECK(!d.store && d.size == 4 && d.sign_extend && d.reg == 15 && d.len == 4);
	/* lbu a1, 0(a0) */
	CHECK_EQ(riscv_mmio_decode(0x00054583, &d), 0);
	CHECK(!d.store && d.size == 1 && !d.sign_extend && d.reg == 11);
	/* ld t0, 8(a1) */
	CHECK_EQ(riscv_mmio_decode(0x0085b283, &d), 0);
	CHECK(!d.store && d.size == 8 && !d.sign_extend && d.reg == 5);
	/* lwu a2, 0(a0) */
	CHECK_EQ(riscv_mmio_decode(0x00056603, &d), 0);
	CHECK(!d.store && d.size == 4 && !d.sign_extend);
	/* sb a1, 0(a0) */
	CHECK_EQ(riscv_mmio_decode(0x00b50023, &d), 0);
	CHECK(d.store && d.size == 1 && d.reg == 11);
	/* sd a2, 16(a0) */
	CHECK_EQ(riscv_mmio_decode(0x00c53823, &d), 0);
	CHECK(d.store && d.size == 8 && d.reg == 12);
	/* amoswap.w and flw are not device accesses tern emulates */
	CHECK_EQ(riscv_mmio_decode(0x08b5262f, &d), -E_NOTSUP);
	CHECK_EQ(riscv_mmio_decode(0x00052007, &d), -E_NOTSUP);
}

TEST(riscv_mmio_decode_compressed)
{
	struct riscv_mmio_insn d;

	/* c.lw a5, 0(a0) = 0x411c */
	CHECK_EQ(riscv_mmio_decode(0x411c, &d), 0);
	CHECK(!d.store && d.size == 4 && d.sign_extend && d.reg == 15 && d.len == 2);
	/* c.sd a1, 8(a0) = 0xe50c */
	CHECK_EQ(riscv_mmio_decode(0xe50c, &d), 0);
	CHECK(d.store && d.size == 8 && d.reg == 11 && d.len == 2);
	/* c.ldsp a0, 8(sp) = 0x6522 */
	CHECK_EQ(riscv_mmio_decode(0x6522, &d), 0);
	CHECK(!d.store && d.size == 8 && d.reg == 10);
	/* c.swsp a1, 4(sp) = 0xc22e */
	CHECK_EQ(riscv_mmio_decode(0xc22e, &d), 0);
	CHECK(d.store && d.size == 4 && d.reg == 11);
	/* c.addi is no access */
	CHECK_EQ(riscv_mmio_decode(0x0505, &d), -E_NOTSUP);
}

TEST(riscv_mmio_decode_htinst)
{
	struct riscv_mmio_insn d;

	/* A transformed lw a5 (rs1 and offset zeroed) from a 32-bit original. */
	CHECK_EQ(riscv_mmio_decode_htinst(0x00002783, &d), 0);
	CHECK(!d.store && d.size == 4 && d.reg == 15 && d.len == 4);
	/* The same from a compressed original: bit 1 clear. */
	CHECK_EQ(riscv_mmio_decode_htinst(0x00002781, &d), 0);
	CHECK(d.len == 2 && d.reg == 15);
	/* 0 says nothing: the instruction must be read instead. */
	CHECK_EQ(riscv_mmio_decode_htinst(0, &d), -E_NOTSUP);
	/* A pseudoinstruction (bit 0 clear) neither. */
	CHECK_EQ(riscv_mmio_decode_htinst(0x00003000, &d), -E_NOTSUP);
}

TEST(riscv_mmio_load_value)
{
	struct riscv_mmio_insn d = { .size = 1, .sign_extend = true };

	CHECK_EQ(riscv_mmio_load_value(&d, 0x1ff), 0xffffffffffffffffULL);
	d.sign_extend = false;
	CHECK_EQ(riscv_mmio_load_value(&d, 0x1ff), 0xff);
	d.size = 4;
	d.sign_extend = true;
	CHECK_EQ(riscv_mmio_load_value(&d, 0x80000000), 0xffffffff80000000ULL);
	d.size = 8;
	CHECK_EQ(riscv_mmio_load_value(&d, 0x8000000000000000ULL), 0x8000000000000000ULL);
}

TEST(riscv_isa_for_guests)
{
	char out[128];
	const char *qemu = "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc";

	CHECK(riscv_isa_guest(qemu, true, out, sizeof(out)) > 0);
	CHECK_STR(out, "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc");
	CHECK(riscv_isa_guest(qemu, false, out, sizeof(out)) > 0);
	CHECK_STR(out, "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs");
	/* Vector, H and extensions tern does not know are never passed on. */
	CHECK(riscv_isa_guest("rv64imafdcvh_zicsr_zicbom_svpbmt_xfoo", true, out, sizeof(out)) > 0);
	CHECK_STR(out, "rv64imafdc_zicsr");
	CHECK(riscv_isa_guest("rv64gch_sstc", false, out, sizeof(out)) > 0);
	CHECK_STR(out, "rv64imafdc");
	CHECK_EQ(riscv_isa_guest("x86", true, out, sizeof(out)), -1);
	CHECK_EQ(riscv_isa_guest(qemu, true, out, 12), -1);
	CHECK(riscv_isa_has_ext(qemu, "sstc"));
	CHECK(riscv_isa_has_ext(qemu, "zicsr"));
	CHECK(!riscv_isa_has_ext(qemu, "zic"));
	CHECK(!riscv_isa_has_ext("rv64imafdch", "sstc"));
}
