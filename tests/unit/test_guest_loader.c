/*
 * The guest loader (core/guest_loader.c): each kernel format, where the
 * kernel, initrd and DTB land, and every "does not fit" message. Guest RAM
 * is a host buffer (the VM's ram_pa, as tern's RAM is identity mapped); the
 * DTB staging buffer comes from tern_pool, backed here by host memory as in
 * test_page_alloc.c. The host arch switches between arm64's and RISC-V's
 * image rules (host_image_rules), so both are checked.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <arch/host.h>
#include <tern/errno.h>
#include <tern/guest_loader.h>
#include <tern/page_alloc.h>
#include <tern/vm.h>
#include "test.h"

int dt_whole(const void *fdt, size_t size); /* test_guest_dt.c */

#define KiB (1ull << 10)
#define MiB (1ull << 20)

static void use_arm64(void)
{
	host_image_rules(false);
}

static void use_riscv(void)
{
	host_image_rules(true);
}

/* --- guest RAM and the DTB pool ------------------------------------------- */

static struct vm lvm;
static uint8_t *ram;
static void *pool_mem;
static struct page_pool saved_pool;
static struct mem_account saved_account;

static uint8_t *at(paddr_t ipa)
{
	return ram + (ipa - lvm.ram_ipa);
}

static void setup(paddr_t base, uint64_t size)
{
	if (!pool_mem) {
		saved_pool = tern_pool;
		saved_account = tern_account;
		pool_mem = aligned_alloc(4 * MiB, 4 * MiB);
		pool_init(&tern_pool);
		pool_add(&tern_pool, (paddr_t)(uintptr_t)pool_mem, 4 * MiB);
	}
	free(ram);
	ram = calloc(1, size); /* lazily zeroed pages: large VMs cost little */
	memset(&lvm, 0, sizeof(lvm));
	lvm.ram_ipa = base;
	lvm.ram_pa = (paddr_t)(uintptr_t)ram;
	lvm.ram_size = size;
	lvm.cfg.vcpus = 1;
	lvm.cfg.mem_size = size;
	strcpy(lvm.cfg.name, "test");
	lvm.name = lvm.cfg.name;
	use_arm64();
}

static void teardown(void)
{
	free(ram);
	ram = NULL;
	CHECK_EQ(tern_pool.free_bytes, 4 * MiB); /* every DTB buffer given back */
	free(pool_mem);
	pool_mem = NULL;
	tern_pool = saved_pool;
	tern_account = saved_account;
}

/* --- images ---------------------------------------------------------------- */

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *make_image(size_t file_size, const char magic[4], uint64_t text_offset,
			   uint64_t image_size, uint64_t flags)
{
	uint8_t *k = malloc(file_size);

	for (size_t i = 0; i < file_size; i++)
		k[i] = (uint8_t)(i * 7 + 1);
	put_le(k + 8, text_offset, 8);
	put_le(k + 16, image_size, 8);
	put_le(k + 24, flags, 8);
	memcpy(k + 56, magic, 4);
	return k;
}

struct seg {
	uint32_t type, flags;
	uint64_t vaddr, paddr, filesz, memsz;
};

#define ELF_DATA_AT 0x1000

/* An ELF64 with segs' data one after the other from ELF_DATA_AT. */
static uint8_t *make_elf(size_t *len, uint16_t machine, uint64_t entry, const struct seg *s, int n)
{
	size_t size = ELF_DATA_AT, off = ELF_DATA_AT;
	uint8_t *k;

	for (int i = 0; i < n; i++)
		size += s[i].filesz;
	k = calloc(1, size);
	memcpy(k, "\177ELF\2\1\1", 7);
	put_le(k + 16, 2, 2); /* ET_EXEC */
	put_le(k + 18, machine, 2);
	put_le(k + 20, 1, 4);
	put_le(k + 24, entry, 8);
	put_le(k + 32, 64, 8);
	put_le(k + 52, 64, 2);
	put_le(k + 54, 56, 2);
	put_le(k + 56, (uint64_t)n, 2);
	for (int i = 0; i < n; i++) {
		uint8_t *ph = k + 64 + 56 * i;

		put_le(ph, s[i].type, 4);
		put_le(ph + 4, s[i].flags, 4);
		put_le(ph + 8, off, 8);
		put_le(ph + 16, s[i].vaddr, 8);
		put_le(ph + 24, s[i].paddr, 8);
		put_le(ph + 32, s[i].filesz, 8);
		put_le(ph + 40, s[i].memsz, 8);
		for (uint64_t j = 0; j < s[i].filesz; j++)
			k[off + j] = (uint8_t)(0x40 + i + j);
		off += s[i].filesz;
	}
	*len = size;
	return k;
}

static void set_kernel(const void *data, uint64_t size)
{
	lvm.cfg.kernel.data = data;
	lvm.cfg.kernel.size = size;
}

static void set_initrd(const void *data, uint64_t size)
{
	lvm.cfg.initrd.data = data;
	lvm.cfg.initrd.size = size;
}

static const char *load_error(int *rcp)
{
	struct guest_layout l;
	const char *why = NULL;
	int rc = guest_load(&lvm, &l, &why);

	if (rcp)
		*rcp = rc;
	if (rc == 0)
		return "(loaded)";
	return why ? why : "(no reason)";
}

static uint64_t chosen_u64(const void *fdt, const char *prop)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const fdt64_t *p = node < 0 ? NULL : fdt_getprop(fdt, node, prop, &len);

	return p && len == 8 ? fdt64_ld(p) : ~0ull; /* only 4-byte aligned */
}

static const char *chosen_str(const void *fdt, const char *prop)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	const char *s = node < 0 ? NULL : fdt_getprop(fdt, node, prop, &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : NULL;
}

static bool disjoint(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return !alen || !blen || a + alen <= b || b + blen <= a;
}

/* What every successful load must give, whatever the images. */
static void check_layout(const struct guest_layout *l)
{
	paddr_t lo = lvm.ram_ipa, hi = lvm.ram_ipa + lvm.ram_size;
	const void *fdt;

	CHECK(l->entry >= lo && l->entry < hi);
	CHECK(l->kernel_start >= lo && l->kernel_start < l->kernel_end && l->kernel_end <= hi);
	/* booting.rst: 8-byte aligned, at most 2 MiB, inside one 2 MiB block. */
	CHECK(l->dtb % 8 == 0 && l->dtb >= lo && l->dtb + l->dtb_size <= hi);
	CHECK(l->dtb_size > 0 && l->dtb / (2 * MiB) == (l->dtb + l->dtb_size - 1) / (2 * MiB));
	CHECK(disjoint(l->kernel_start, l->kernel_end - l->kernel_start, l->dtb, l->dtb_size));
	if (l->initrd_size) {
		CHECK(l->initrd_start >= lo && l->initrd_start + l->initrd_size <= hi);
		CHECK(l->initrd_start % 4096 == 0);
		CHECK(disjoint(l->kernel_start, l->kernel_end - l->kernel_start, l->initrd_start,
			       l->initrd_size));
		CHECK(disjoint(l->dtb, 2 * MiB, l->initrd_start, l->initrd_size));
	} else {
		CHECK_EQ(l->initrd_start, 0);
	}
	fdt = at(l->dtb);
	CHECK(dt_whole(fdt, l->dtb_size) > 0);
	if (l->initrd_size) {
		CHECK_EQ(chosen_u64(fdt, "linux,initrd-start"), l->initrd_start);
		CHECK_EQ(chosen_u64(fdt, "linux,initrd-end"), l->initrd_start + l->initrd_size);
	} else {
		CHECK_EQ(chosen_u64(fdt, "linux,initrd-start"), ~0ull);
	}
}

/* --- Linux Images ------------------------------------------------------------ */

TEST(loader_arm64_image)
{
	uint8_t *k, initrd[100 * 1024];
	struct guest_layout l;
	const char *why = NULL;

	setup(0x40000000, 64 * MiB);
	strcpy(lvm.cfg.cmdline, "console=ttyAMA0 rdinit=/init");
	k = make_image(8192, "ARM\x64", 0x80000, 3 * MiB, 0xa);
	memset(initrd, 0x5c, sizeof(initrd));
	set_kernel(k, 8192);
	set_initrd(initrd, sizeof(initrd));
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.entry, 0x40080000);
	CHECK_EQ(l.kernel_start, 0x40080000);
	CHECK_EQ(l.kernel_end, 0x40380000); /* image_size, not the file */
	CHECK(memcmp(at(0x40080000), k, 8192) == 0);
	/* min(RAM/2, 128 MiB) into RAM, after the kernel. */
	CHECK_EQ(l.initrd_start, 0x42000000);
	CHECK_EQ(l.initrd_size, sizeof(initrd));
	CHECK(memcmp(at(0x42000000), initrd, sizeof(initrd)) == 0);
	CHECK_EQ(l.dtb, 0x43e00000); /* the last 2 MiB block */
	check_layout(&l);
	CHECK_STR(chosen_str(at(l.dtb), "bootargs"), "console=ttyAMA0 rdinit=/init");
	if (chosen_str(at(l.dtb), "stdout-path"))
		CHECK(fdt_path_offset(at(l.dtb), chosen_str(at(l.dtb), "stdout-path")) >= 0);
	free(k);
	teardown();
}

TEST(loader_image_header_rules)
{
	uint8_t *k;
	struct guest_layout l;
	const char *why = NULL;
	int rc;

	/* RAM not 2 MiB aligned: the base rounds up, then text_offset. */
	setup(0x40100000, 32 * MiB);
	k = make_image(4096, "ARM\x64", 0x80000, 1 * MiB, 0);
	set_kernel(k, 4096);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.entry, 0x40280000);
	check_layout(&l);
	free(k);

	/* image_size 0: a pre-3.17 kernel, whose text_offset is 0x80000. */
	setup(0x40000000, 32 * MiB);
	k = make_image(4096, "ARM\x64", 0x1234, 0, 0);
	set_kernel(k, 4096);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.entry, 0x40080000);
	CHECK_EQ(l.kernel_end, 0x40081000);
	free(k);

	/* Big-endian kernels are refused. */
	k = make_image(4096, "ARM\x64", 0x80000, 1 * MiB, 1);
	set_kernel(k, 4096);
	CHECK_STR(load_error(&rc), "the kernel Image is big-endian (header flags bit 0); tern "
				   "starts guests little-endian");
	CHECK_EQ(rc, -E_NOTSUP);
	free(k);

	/* RISC-V: the same header fields, its own magic and default. */
	setup(0x80000000, 64 * MiB);
	use_riscv();
	k = make_image(4096, "RSC\x05", 0x200000, 2 * MiB, 0);
	set_kernel(k, 4096);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.entry, 0x80200000);
	CHECK_EQ(l.kernel_end, 0x80400000);
	check_layout(&l);
	free(k);
	k = make_image(4096, "RSC\x05", 0x1234, 0, 0);
	set_kernel(k, 4096);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.entry, 0x80200000);
	free(k);

	/* A kernel for the other arch is named, not run as a raw binary. */
	k = make_image(4096, "ARM\x64", 0x80000, 2 * MiB, 0);
	set_kernel(k, 4096);
	CHECK_STR(load_error(&rc), "the kernel is a Linux Image for arm64; this tern runs host guests");
	free(k);
	use_arm64();
	k = make_image(4096, "RSC\x05", 0x200000, 2 * MiB, 0);
	set_kernel(k, 4096);
	CHECK_STR(load_error(&rc), "the kernel is a Linux Image for RISC-V; this tern runs host guests");
	free(k);
	teardown();
}

TEST(loader_kernel_too_big)
{
	uint8_t *k, *raw;
	int rc;

	setup(0x40000000, 32 * MiB);
	k = make_image(4096, "ARM\x64", 0, 34 * MiB, 0);
	set_kernel(k, 4096);
	CHECK_STR(load_error(&rc), "the kernel (34 MiB) does not fit in the VM's 32 MiB of memory");
	CHECK_EQ(rc, -E_RANGE);
	free(k);
	k = make_image(4096, "ARM\x64", 0x80000, 32 * MiB, 0);
	set_kernel(k, 4096);
	CHECK_STR(load_error(NULL), "the kernel (32 MiB, loaded 512 KiB into RAM) does not fit in "
				    "the VM's 32 MiB of memory");
	free(k);
	/* 0.1 MiB too much still reads as more than the VM has. */
	k = make_image(4096, "ARM\x64", 0, 32 * MiB + 100 * KiB, 0);
	set_kernel(k, 4096);
	CHECK_STR(load_error(NULL), "the kernel (33 MiB) does not fit in the VM's 32 MiB of memory");
	free(k);
	k = make_image(4096, "ARM\x64", 0x8000000000000000ull, 1 * MiB, 0);
	set_kernel(k, 4096);
	CHECK_STR(load_error(NULL), "the kernel Image's text_offset 0x8000000000000000 lies beyond "
				    "the VM's 32 MiB of memory");
	free(k);
	/* It fits, but the device tree does not. */
	k = make_image(4096, "ARM\x64", 0, 31 * MiB, 0);
	set_kernel(k, 4096);
	CHECK_STR(load_error(NULL), "the kernel (31 MiB) leaves no room for the device tree (2 MiB "
				    "block) in the VM's 32 MiB of memory");
	free(k);
	/* A raw binary's size is its file's. */
	raw = calloc(1, 33 * MiB);
	set_kernel(raw, 33 * MiB);
	CHECK_STR(load_error(NULL), "the kernel (33 MiB, loaded 512 KiB into RAM) does not fit in "
				    "the VM's 32 MiB of memory");
	free(raw);
	teardown();
}

/* --- ELF, raw and the rest ----------------------------------------------------- */

TEST(loader_elf_segments_and_entry)
{
	const struct seg segs[] = {
		{ 4 /* PT_NOTE */, 0, 0, 0, 16, 16 },
		{ 1, 5 /* R+X */, 0xffff000000100000ull, 0x40100000, 0x2000, 0x2000 },
		{ 1, 6 /* R+W */, 0xffff000000200000ull, 0x40200000, 0x100, 0x3000 },
		{ 1, 6, 0, 0xdead0000, 0, 0 }, /* empty: skipped wherever it points */
	};
	struct guest_layout l;
	const char *why = NULL;
	size_t len;
	uint8_t *k;
	int zero_tail = 1;

	setup(0x40000000, 64 * MiB);
	k = make_elf(&len, 183, 0xffff000000100040ull, segs, 4);
	set_kernel(k, len);
	memset(at(0x40200000), 0xaa, 0x3000);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	/* e_entry is virtual: it moves with its executable segment. */
	CHECK_EQ(l.entry, 0x40100040);
	CHECK_EQ(l.kernel_start, 0x40100000);
	CHECK_EQ(l.kernel_end, 0x40203000);
	CHECK(memcmp(at(0x40100000), k + ELF_DATA_AT + 16, 0x2000) == 0);
	CHECK(memcmp(at(0x40200000), k + ELF_DATA_AT + 16 + 0x2000, 0x100) == 0);
	for (int i = 0x100; i < 0x3000; i++)
		zero_tail &= at(0x40200000)[i] == 0; /* memsz past filesz: zeroed */
	CHECK(zero_tail);
	check_layout(&l);
	free(k);

	/* RISC-V, linked where it loads: e_entry as it is. */
	setup(0x80000000, 32 * MiB);
	use_riscv();
	k = make_elf(&len, 243, 0x80200010, segs + 1, 1);
	put_le(k + 64 + 16, 0x80200000, 8); /* vaddr == paddr */
	put_le(k + 64 + 24, 0x80200000, 8);
	set_kernel(k, len);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.entry, 0x80200010);
	check_layout(&l);
	free(k);

	/* An ELF at the top of RAM: the DTB takes the bottom block, the
	 * initrd what is free. */
	setup(0x40000000, 64 * MiB);
	{
		const struct seg top = { 1, 5, 0x43f00000, 0x43f00000, 0x1000, 0x100000 };
		static uint8_t initrd[MiB];

		k = make_elf(&len, 183, 0x43f00000, &top, 1);
		set_kernel(k, len);
		set_initrd(initrd, sizeof(initrd));
		CHECK_EQ(guest_load(&lvm, &l, &why), 0);
		CHECK_EQ(l.dtb, 0x40000000);
		CHECK_EQ(l.initrd_start, 0x40200000);
		check_layout(&l);
		free(k);
	}
	teardown();
}

TEST(loader_elf_errors)
{
	const struct seg one = { 1, 5, 0x40080000, 0x40080000, 0x100, 0x100 };
	size_t len;
	uint8_t *k;
	int rc;

	setup(0x40000000, 64 * MiB);
	k = make_elf(&len, 62, 0x40080000, &one, 1);
	set_kernel(k, len);
	CHECK_STR(load_error(&rc), "the kernel is an ELF for another machine (e_machine 62; host "
				   "guests need 183)");
	CHECK_EQ(rc, -E_NOTSUP);
	free(k);

#define ELF_CASE(edit, msg)                                        \
	do {                                                       \
		k = make_elf(&len, 183, 0x40080000, &one, 1);      \
		edit;                                              \
		set_kernel(k, len);                                \
		CHECK_STR(load_error(NULL), msg);                  \
		free(k);                                           \
	} while (0)

	ELF_CASE(k[4] = 1, "the kernel is a 32-bit ELF; tern runs 64-bit guests");
	ELF_CASE(k[5] = 2, "the kernel ELF is big-endian; tern runs little-endian guests");
	ELF_CASE(put_le(k + 16, 1, 2), "the kernel ELF is not an executable (e_type 1)");
	ELF_CASE(len = 40, "the kernel ELF is cut short (40 bytes)");
	ELF_CASE(put_le(k + 56, 0, 2), "the kernel ELF's program headers are missing or cut short");
	ELF_CASE(put_le(k + 56, 0xffff, 2),
		 "the kernel ELF's program headers are missing or cut short");
	ELF_CASE(put_le(k + 54, 32, 2), "the kernel ELF's program headers are missing or cut short");
	ELF_CASE(len = 100, "the kernel ELF's program headers are missing or cut short");
	ELF_CASE(put_le(k + 32, ~0ull, 8),
		 "the kernel ELF's program headers are missing or cut short");
	ELF_CASE(put_le(k + 64, 2, 4), "the kernel ELF has no loadable segment");
	ELF_CASE(put_le(k + 64 + 32, 0x200, 8),
		 "kernel ELF segment 0: file size larger than memory size");
	ELF_CASE(len = ELF_DATA_AT + 0x80, "kernel ELF segment 0 runs past the end of the file");
	ELF_CASE(put_le(k + 64 + 8, ~0ull - 0x10, 8),
		 "kernel ELF segment 0 runs past the end of the file");
	ELF_CASE(put_le(k + 64 + 24, 0x10000000, 8),
		 "kernel ELF segment 0 (0x10000000-0x10000100) is outside the VM's memory "
		 "(0x40000000-0x44000000)");
	ELF_CASE(put_le(k + 64 + 24, 0x43ffff80, 8),
		 "kernel ELF segment 0 (0x43ffff80-0x44000080) is outside the VM's memory "
		 "(0x40000000-0x44000000)");
	ELF_CASE(put_le(k + 64 + 24, ~0ull - 0x10, 8),
		 "kernel ELF segment 0 (0xffffffffffffffef-0xffffffffffffffff) is outside the "
		 "VM's memory (0x40000000-0x44000000)");
	ELF_CASE(put_le(k + 24, 0x1000, 8), "the kernel ELF's entry point 0x1000 is outside the "
					    "VM's memory (0x40000000-0x44000000)");
#undef ELF_CASE
	teardown();
}

TEST(loader_raw_and_unbootable_kernels)
{
	uint8_t raw[100];
	struct guest_layout l;
	const char *why = NULL;
	int rc;

	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i + 3);
	setup(0x40000000, 32 * MiB);
	set_kernel(raw, sizeof(raw));
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.entry, 0x40080000);
	CHECK_EQ(l.kernel_end, 0x40080000 + sizeof(raw));
	CHECK(memcmp(at(0x40080000), raw, sizeof(raw)) == 0);
	check_layout(&l);
	use_riscv();
	lvm.ram_ipa = 0x80000000;
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.entry, 0x80200000);
	use_arm64();

	raw[0] = 0x1f;
	raw[1] = 0x8b;
	CHECK_STR(load_error(&rc), "the kernel is gzip-compressed (like Debian's vmlinuz): give "
				   "tern the uncompressed Image (zcat vmlinuz > Image)");
	memcpy(raw, "MZ\0\0zimg", 8);
	CHECK_STR(load_error(&rc), "the kernel is a compressed EFI zboot image: give tern the "
				   "uncompressed Image");
	set_kernel(NULL, 0);
	CHECK_STR(load_error(&rc), "the VM has no kernel");
	CHECK_EQ(rc, -E_INVAL);

	set_kernel(raw + 8, 50);
	lvm.ram_size = 0;
	CHECK_STR(load_error(&rc), "the VM's memory (0x80000000, 0 bytes) is not a usable range");
	teardown();
}

/* --- the initrd -------------------------------------------------------------- */

TEST(loader_initrd_placement)
{
	struct guest_layout l;
	const char *why = NULL;
	uint8_t *k, *initrd = malloc(30 * MiB);

	memset(initrd, 0x3c, 30 * MiB);
	/* Big RAM: 128 MiB in. */
	setup(0x40000000, 256 * MiB);
	k = make_image(4096, "ARM\x64", 0x80000, 4 * MiB, 0);
	set_kernel(k, 4096);
	set_initrd(initrd, 4096);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.initrd_start, 0x48000000);
	CHECK_EQ(l.dtb, 0x4fe00000);
	check_layout(&l);
	free(k);

	/* A kernel past RAM/2: 2 MiB aligned after it. */
	setup(0x40000000, 64 * MiB);
	k = make_image(4096, "ARM\x64", 0x80000, 40 * MiB, 0);
	set_kernel(k, 4096);
	set_initrd(initrd, 10 * MiB);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.initrd_start, 0x42a00000);
	CHECK(memcmp(at(0x42a00000), initrd, 10 * MiB) == 0);
	check_layout(&l);
	free(k);

	/* Tight: only right after the kernel, 4 KiB aligned, leaves room. */
	k = make_image(4096, "ARM\x64", 0x80000, 40 * MiB + 4 * KiB, 0);
	set_kernel(k, 4096);
	set_initrd(initrd, 21 * MiB);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	CHECK_EQ(l.initrd_start, 0x42881000);
	check_layout(&l);
	set_initrd(initrd, 30 * MiB);
	CHECK_STR(load_error(NULL), "the initrd (30 MiB) does not fit in the VM's 64 MiB of memory "
				    "beside the kernel (41 MiB) and the device tree (2 MiB block)");
	free(k);
	free(initrd);
	teardown();
}

TEST(loader_layout_sweep)
{
	static const uint64_t rams[] = { 16 * MiB, 24 * MiB, 64 * MiB, 200 * MiB + 4 * KiB };
	static const uint64_t kernels[] = { 1 * MiB, 7 * MiB, 13 * MiB, 15 * MiB, 40 * MiB, 150 * MiB };
	static const uint64_t initrds[] = { 0, 4 * KiB, 1 * MiB + 7, 6 * MiB, 20 * MiB, 60 * MiB };
	uint8_t *initrd = calloc(1, 60 * MiB), *k = make_image(4096, "ARM\x64", 0x80000, 0, 0);
	int ok = 0, failed = 0;

	for (size_t r = 0; r < sizeof(rams) / sizeof(rams[0]); r++) {
		setup(0x40000000 + (r & 1) * 0x1000, rams[r]);
		for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
			for (size_t j = 0; j < sizeof(initrds) / sizeof(initrds[0]); j++) {
				struct guest_layout l;
				const char *why = NULL;

				put_le(k + 16, kernels[i], 8);
				set_kernel(k, 4096);
				set_initrd(initrds[j] ? initrd : NULL, initrds[j]);
				if (guest_load(&lvm, &l, &why) == 0) {
					ok++;
					check_layout(&l);
				} else {
					failed++;
					CHECK(why && (strstr(why, "does not fit") || strstr(why, "leaves no room")));
				}
			}
		}
	}
	CHECK(ok > 20 && failed > 20);
	free(k);
	free(initrd);
	teardown();
}

/* --- the user's DTB -------------------------------------------------------- */

static void *make_user_dtb(bool with_chosen, size_t blob)
{
	size_t size = 4096 + blob;
	void *fdt = malloc(size), *p;

	fdt_create(fdt, (int)size);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_string(fdt, "compatible", "acme,board");
	if (blob && fdt_property_placeholder(fdt, "blob", (int)blob, &p) == 0)
		memset(p, 1, blob);
	if (with_chosen) {
		fdt_begin_node(fdt, "chosen");
		fdt_property_string(fdt, "bootargs", "from the dtb");
		fdt_property_u64(fdt, "linux,initrd-start", 0x1000);
		fdt_property_u64(fdt, "linux,initrd-end", 0x2000);
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	fdt_finish(fdt);
	return fdt;
}

/* The same tree with its strings block before its structure block and an
 * odd total size: libfdt must reorder it when opening (found by fuzzing:
 * opened in place, it was moved to an unaligned address). */
static void *make_misordered_dtb(void)
{
	uint8_t *t = make_user_dtb(true, 0), *m;
	uint32_t st = fdt_off_dt_struct(t), ss = fdt_size_dt_struct(t);
	uint32_t so = fdt_off_dt_strings(t), sz = fdt_size_dt_strings(t);
	uint32_t sz4 = (sz + 3) & ~3u, total = st + sz4 + ss + 1;

	m = calloc(1, total);
	memcpy(m, t, st); /* header and reservation map */
	memcpy(m + st, t + so, sz);
	memcpy(m + st + sz4, t + st, ss);
	fdt_set_off_dt_strings(m, st);
	fdt_set_off_dt_struct(m, st + sz4);
	fdt_set_totalsize(m, total);
	free(t);
	return m;
}

TEST(loader_user_dtb_gets_chosen)
{
	struct guest_layout l;
	const char *why = NULL;
	uint8_t initrd[4096] = { 1 }, *k;
	void *dtb = make_user_dtb(true, 0);
	const void *out;
	int rc;

	setup(0x40000000, 64 * MiB);
	k = make_image(4096, "ARM\x64", 0x80000, 2 * MiB, 0);
	set_kernel(k, 4096);
	lvm.cfg.dtb.data = dtb;
	lvm.cfg.dtb.size = fdt_totalsize(dtb);
	strcpy(lvm.cfg.cmdline, "console=ttyS0");
	set_initrd(initrd, sizeof(initrd));
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	check_layout(&l);
	out = at(l.dtb);
	CHECK_STR(chosen_str(out, "bootargs"), "console=ttyS0");
	CHECK_STR(fdt_getprop(out, 0, "compatible", NULL), "acme,board");

	/* No initrd: the tree's stale range goes; no cmdline: its bootargs stay. */
	set_initrd(NULL, 0);
	lvm.cfg.cmdline[0] = '\0';
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	check_layout(&l);
	CHECK_STR(chosen_str(at(l.dtb), "bootargs"), "from the dtb");
	CHECK_EQ(chosen_u64(at(l.dtb), "linux,initrd-end"), ~0ull);
	free(dtb);

	/* No /chosen at all: one is made. */
	dtb = make_user_dtb(false, 0);
	lvm.cfg.dtb.data = dtb;
	lvm.cfg.dtb.size = fdt_totalsize(dtb);
	strcpy(lvm.cfg.cmdline, "quiet");
	set_initrd(initrd, sizeof(initrd));
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	check_layout(&l);
	CHECK_STR(chosen_str(at(l.dtb), "bootargs"), "quiet");
	free(dtb);

	dtb = make_misordered_dtb();
	lvm.cfg.dtb.data = dtb;
	lvm.cfg.dtb.size = fdt_totalsize(dtb);
	CHECK_EQ(guest_load(&lvm, &l, &why), 0);
	check_layout(&l);
	CHECK_STR(chosen_str(at(l.dtb), "bootargs"), "quiet");
	free(dtb);

	/* Not a DTB; one too big for Linux. */
	lvm.cfg.dtb.data = k;
	lvm.cfg.dtb.size = 4096;
	CHECK_STR(load_error(&rc), "the VM's dtb is not a valid device tree (FDT_ERR_BADMAGIC)");
	CHECK_EQ(rc, -E_INVAL);
	/* A reservation map with no terminating entry (found by fuzzing). */
	dtb = make_user_dtb(true, 0);
	memset((char *)dtb + fdt_off_mem_rsvmap(dtb), 0xff,
	       fdt_off_dt_struct(dtb) - fdt_off_mem_rsvmap(dtb));
	lvm.cfg.dtb.data = dtb;
	lvm.cfg.dtb.size = fdt_totalsize(dtb);
	CHECK_STR(load_error(&rc), "the VM's dtb is not a valid device tree (FDT_ERR_TRUNCATED)");
	free(dtb);
	/* A property name past size_dt_strings, in a version 16 tree, which
	 * libfdt holds to totalsize only (found by fuzzing). */
	dtb = make_user_dtb(true, 0);
	fdt_set_version(dtb, 16);
	fdt_set_size_dt_strings(dtb, 4);
	lvm.cfg.dtb.data = dtb;
	lvm.cfg.dtb.size = fdt_totalsize(dtb);
	CHECK_STR(load_error(&rc), "the VM's dtb is not a valid device tree (FDT_ERR_BADSTRUCTURE)");
	free(dtb);
	/* A structure block at an odd offset (found by fuzzing). */
	dtb = make_user_dtb(true, 0);
	fdt_set_off_dt_struct(dtb, fdt_off_dt_struct(dtb) + 2);
	lvm.cfg.dtb.data = dtb;
	lvm.cfg.dtb.size = fdt_totalsize(dtb);
	CHECK_STR(load_error(&rc), "the VM's dtb is not a valid device tree (FDT_ERR_ALIGNMENT)");
	free(dtb);
	dtb = make_user_dtb(true, 3 * MiB - 8192);
	lvm.cfg.dtb.data = dtb;
	lvm.cfg.dtb.size = fdt_totalsize(dtb);
	CHECK_STR(load_error(&rc), "the VM's dtb (3 MiB) with its /chosen is larger than the 2 MiB "
				   "a Linux guest accepts");
	CHECK_EQ(rc, -E_RANGE);
	free(dtb);
	free(k);
	teardown();
}

TEST(loader_no_memory_for_the_dtb)
{
	struct guest_layout l;
	const char *why = NULL;
	uint8_t raw[64] = { 0 };
	struct page_pool full;

	setup(0x40000000, 32 * MiB);
	set_kernel(raw, sizeof(raw));
	full = tern_pool;
	pool_init(&tern_pool); /* nothing to allocate from */
	CHECK_EQ(guest_load(&lvm, &l, &why), -E_NOMEM);
	CHECK_STR(why, "no memory left for the VM's device tree (64 KiB)");
	tern_pool = full;
	teardown();
}
