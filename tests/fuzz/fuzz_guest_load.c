/*
 * libFuzzer harness for the guest loader (core/guest_loader.c and
 * core/guest_dt.c): the kernel's Image or ELF headers and a user's DTB are
 * bytes from the bundle. The first input byte picks what the rest is:
 *   even: the kernel (Image, ELF or raw), with a small initrd;
 *   odd:  the VM's dtb, with a small Image as the kernel.
 * guest_write is a double that traps on any write outside guest RAM; after
 * a successful load the layout must hold together and the DTB written must
 * be a whole tree. No RAM is backed, so huge ELF segments cost nothing.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/guest_loader.h>
#include <tern/page_alloc.h>
#include <tern/vm.h>
#include <tern/vuart.h>

#define REQUIRE(cond)                    \
	do {                             \
		if (!(cond))             \
			__builtin_trap(); \
	} while (0)

#define MiB (1ULL << 20)
#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (64 * MiB)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- doubles: arm64's constants, memory, the device parts --------------- */
const char arch_name[] = "arm64";
const char arch_image_magic[4] = { 'A', 'R', 'M', 0x64 };
const uint64_t arch_image_default_offset = 0x80000;
const uint16_t arch_elf_machine = 183;

static struct vm fvm;
static uint8_t *last_dtb; /* a copy of the last write: the DTB */
static size_t last_len;

int guest_write(struct vm *vm, paddr_t ipa, const void *buf, size_t len)
{
	REQUIRE(vm == &fvm);
	REQUIRE(ipa >= vm->ram_ipa && ipa - vm->ram_ipa <= vm->ram_size &&
		len <= vm->ram_size - (ipa - vm->ram_ipa));
	if (len <= 2 * MiB) {
		free(last_dtb);
		last_dtb = malloc(len ? len : 1);
		memcpy(last_dtb, buf, len);
		last_len = len;
	}
	return 0;
}

void *pages_alloc(uint64_t size, uint64_t align)
{
	void *p = aligned_alloc(PAGE_SIZE, ALIGN_UP(size, PAGE_SIZE));

	if (p)
		memset(p, 0, size);
	return p;
}

void pages_free(void *va, uint64_t size)
{
	free(va);
}

uint32_t arch_guest_dt_intc_phandle(const struct vm *vm)
{
	return 1;
}

/* arm64's answer: the root names the GIC as everyone's interrupt-parent. */
bool arch_guest_dt_root_intc(const struct vm *vm)
{
	return true;
}

int vuart_dt_node(struct vm *vm, void *fdt, char *path, size_t path_size)
{
	int rc = fdt_begin_node(fdt, "serial@9000000");

	if (!rc)
		rc = fdt_end_node(fdt);
	strncpy(path, "/serial@9000000", path_size - 1);
	return rc ? -E_NOMEM : 0;
}

int arch_guest_dt_nodes(struct vm *vm, void *fdt)
{
	int rc = fdt_begin_node(fdt, "cpus");

	if (!rc)
		rc = fdt_end_node(fdt);
	return rc ? -E_NOMEM : 0;
}

/* --- checks ---------------------------------------------------------------- */

static bool disjoint(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return !alen || !blen || a + alen <= b || b + blen <= a;
}

static void dtb_whole(const void *fdt, size_t size)
{
	int node = 0, depth = 0, prop, len;

	REQUIRE(size >= 40 && fdt_check_header(fdt) == 0 && fdt_totalsize(fdt) <= size);
	while (node >= 0 && depth >= 0) {
		REQUIRE(fdt_get_name(fdt, node, &len) != NULL);
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name = NULL;

			REQUIRE(fdt_getprop_by_offset(fdt, prop, &name, &len) && name);
		}
		REQUIRE(prop == -FDT_ERR_NOTFOUND);
		node = fdt_next_node(fdt, node, &depth);
	}
	REQUIRE(node >= 0 || node == -FDT_ERR_NOTFOUND);
	REQUIRE(fdt_path_offset(fdt, "/chosen") >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t initrd[4096];
	static uint8_t image[4096];
	struct guest_layout l;
	const char *why = NULL;
	uint64_t hi = RAM_BASE + RAM_SIZE;
	int rc;

	if (size < 1)
		return 0;
	memset(&fvm, 0, sizeof(fvm));
	fvm.ram_ipa = RAM_BASE;
	fvm.ram_size = RAM_SIZE;
	fvm.cfg.vcpus = 1;
	strcpy(fvm.cfg.name, "fuzz");
	strcpy(fvm.cfg.cmdline, "console=ttyAMA0");
	fvm.name = fvm.cfg.name;
	if (data[0] & 1) {
		image[16] = 0x10; /* image_size 1 MiB */
		memcpy(image + 56, arch_image_magic, 4);
		fvm.cfg.kernel.data = image;
		fvm.cfg.kernel.size = sizeof(image);
		fvm.cfg.dtb.data = data + 1;
		fvm.cfg.dtb.size = size - 1;
	} else {
		fvm.cfg.kernel.data = data + 1;
		fvm.cfg.kernel.size = size - 1;
	}
	fvm.cfg.initrd.data = initrd;
	fvm.cfg.initrd.size = sizeof(initrd);

	rc = guest_load(&fvm, &l, &why);
	if (rc) {
		REQUIRE(rc < 0 && why && why[0]);
		return 0;
	}
	REQUIRE(l.entry >= RAM_BASE && l.entry < hi);
	REQUIRE(l.kernel_start >= RAM_BASE && l.kernel_start < l.kernel_end && l.kernel_end <= hi);
	REQUIRE(l.dtb % 8 == 0 && l.dtb >= RAM_BASE && l.dtb_size && l.dtb + l.dtb_size <= hi);
	REQUIRE(l.dtb / (2 * MiB) == (l.dtb + l.dtb_size - 1) / (2 * MiB));
	REQUIRE(l.initrd_start >= RAM_BASE && l.initrd_start + l.initrd_size <= hi);
	REQUIRE(disjoint(l.kernel_start, l.kernel_end - l.kernel_start, l.dtb, l.dtb_size));
	REQUIRE(disjoint(l.kernel_start, l.kernel_end - l.kernel_start, l.initrd_start,
			 l.initrd_size));
	REQUIRE(disjoint(l.dtb, l.dtb_size, l.initrd_start, l.initrd_size));
	REQUIRE(last_dtb && last_len == l.dtb_size);
	dtb_whole(last_dtb, last_len);
	return 0;
}
