/*
 * The guest device tree builder (core/guest_dt.c), its output read back
 * with libfdt. The vUART and the arch's nodes are doubles here (the host
 * arch has no guests): a PL011 node and a minimal /cpus and intc, enough
 * for the tree to be checked whole. test_guest_loader.c uses them too.
 *
 * The doubles are weak, so a real definition linked into the unit tests
 * later wins instead of breaking the link; they count their calls, and
 * checks of what only a double writes run only when it did.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/guest_loader.h>
#include <tern/vm.h>
#include <tern/vuart.h>
#include "test.h"

#define DOUBLE __attribute__((weak))
#define FAKE_INTC_PHANDLE 0x8001

/* What the doubles do; tests change these and put them back. */
static int fake_vuart_rc;   /* non-zero: vuart_dt_node returns it, writes nothing */
static int fake_arch_dt_rc; /* non-zero: arch_guest_dt_nodes returns it */
static unsigned int fake_vuart_calls, fake_arch_dt_calls;

DOUBLE int vuart_dt_node(struct vm *vm, void *fdt, char *path, size_t path_size)
{
	const fdt32_t reg[4] = { 0, cpu_to_fdt32(0x9000000), 0, cpu_to_fdt32(0x1000) };
	int rc;

	fake_vuart_calls++;
	if (fake_vuart_rc)
		return fake_vuart_rc;
	rc = fdt_begin_node(fdt, "pl011@9000000");
	if (!rc)
		rc = fdt_property_string(fdt, "compatible", "arm,pl011");
	if (!rc)
		rc = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!rc)
		rc = fdt_end_node(fdt);
	snprintf(path, path_size, "/pl011@9000000");
	return rc ? -E_NOMEM : 0;
}

DOUBLE int arch_guest_dt_nodes(struct vm *vm, void *fdt)
{
	int rc;

	fake_arch_dt_calls++;
	if (fake_arch_dt_rc)
		return fake_arch_dt_rc;
	rc = fdt_begin_node(fdt, "cpus");
	if (!rc)
		rc = fdt_property_u32(fdt, "#address-cells", 1);
	if (!rc)
		rc = fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned int i = 0; i < vm->cfg.vcpus && !rc; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		rc = fdt_begin_node(fdt, name);
		if (!rc)
			rc = fdt_property_string(fdt, "device_type", "cpu");
		if (!rc)
			rc = fdt_property_u32(fdt, "reg", i);
		if (!rc)
			rc = fdt_end_node(fdt);
	}
	if (!rc)
		rc = fdt_end_node(fdt);
	if (!rc)
		rc = fdt_begin_node(fdt, "intc");
	if (!rc)
		rc = fdt_property(fdt, "interrupt-controller", "", 0);
	if (!rc)
		rc = fdt_property_u32(fdt, "phandle", FAKE_INTC_PHANDLE);
	if (!rc)
		rc = fdt_end_node(fdt);
	return rc ? -E_NOMEM : 0;
}

DOUBLE uint32_t arch_guest_dt_intc_phandle(const struct vm *vm)
{
	return FAKE_INTC_PHANDLE;
}

DOUBLE bool arch_guest_dt_root_intc(const struct vm *vm)
{
	return true;
}

/*
 * The test's own check that a tree is whole (Linux 6.1's libfdt has no
 * fdt_check_full): the header, then every node and property reached
 * through the read-only API, a different path from the loader's tag walk.
 * Returns the number of nodes, or -1.
 */
int dt_whole(const void *fdt, size_t size);

int dt_whole(const void *fdt, size_t size)
{
	int node = 0, depth = 0, nodes = 0, prop, len;

	if (size < 40 || fdt_check_header(fdt) || fdt_totalsize(fdt) > size)
		return -1;
	while (node >= 0 && depth >= 0) {
		if (!fdt_get_name(fdt, node, &len))
			return -1;
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name = NULL;

			if (!fdt_getprop_by_offset(fdt, prop, &name, &len) || !name)
				return -1;
		}
		if (prop != -FDT_ERR_NOTFOUND)
			return -1;
		nodes++;
		node = fdt_next_node(fdt, node, &depth);
	}
	return node < 0 && node != -FDT_ERR_NOTFOUND ? -1 : nodes;
}

static struct vm dt_vm;

static void dt_vm_setup(paddr_t base, uint64_t size, const char *name, const char *cmdline)
{
	memset(&dt_vm, 0, sizeof(dt_vm));
	dt_vm.ram_ipa = base;
	dt_vm.ram_size = size;
	dt_vm.cfg.vcpus = 2;
	snprintf(dt_vm.cfg.name, sizeof(dt_vm.cfg.name), "%s", name);
	snprintf(dt_vm.cfg.cmdline, sizeof(dt_vm.cfg.cmdline), "%s", cmdline);
	dt_vm.name = dt_vm.cfg.name;
}

static const char *get_str(const void *fdt, const char *path, const char *prop)
{
	int node = fdt_path_offset(fdt, path), len;
	const char *s = node < 0 ? NULL : fdt_getprop(fdt, node, prop, &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : NULL;
}

/* A property of `cells` 32-bit cells as one number (1 or 2 cells), or
 * ~0 when it is missing or has another length. */
static uint64_t get_num(const void *fdt, const char *path, const char *prop, int cells)
{
	int node = fdt_path_offset(fdt, path), len;
	const fdt32_t *p = node < 0 ? NULL : fdt_getprop(fdt, node, prop, &len);

	if (!p || len != cells * 4)
		return ~0ull;
	return cells == 1 ? fdt32_to_cpu(p[0])
			  : (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
}

static bool has_prop(const void *fdt, const char *path, const char *prop)
{
	int node = fdt_path_offset(fdt, path);

	return node >= 0 && fdt_getprop(fdt, node, prop, NULL) != NULL;
}

/* The stdout-path names a node that is in the tree; the double's PL011 when
 * it wrote one. */
static void check_stdout_path(const void *fdt, unsigned int vuart_calls_before)
{
	const char *path = get_str(fdt, "/chosen", "stdout-path");

	if (path)
		CHECK(fdt_path_offset(fdt, path) >= 0);
	if (fake_vuart_calls != vuart_calls_before && !fake_vuart_rc)
		CHECK_STR(path, "/pl011@9000000");
}

TEST(guest_dt_full_tree)
{
	struct guest_layout l = { .initrd_start = 0x48000000, .initrd_size = 0x123456 };
	static char buf[16384];
	unsigned int vuart_calls = fake_vuart_calls, arch_calls = fake_arch_dt_calls;
	int size, node, len;
	const fdt32_t *reg;

	dt_vm_setup(0x40000000, 512ull << 20, "linux", "console=ttyAMA0 earlycon");
	size = guest_dt_build(&dt_vm, &l, buf, sizeof(buf));
	CHECK(size > 0 && size < (int)sizeof(buf));
	CHECK(dt_whole(buf, size) > 0);
	CHECK_EQ(fdt_totalsize(buf), size);

	CHECK_EQ(get_num(buf, "/", "#address-cells", 1), 2);
	CHECK_EQ(get_num(buf, "/", "#size-cells", 1), 2);
	CHECK_STR(get_str(buf, "/", "compatible"), "linux,dummy-virt");
	CHECK_STR(get_str(buf, "/", "model"), "tern guest linux");
	if (arch_guest_dt_intc_phandle(&dt_vm))
		CHECK_EQ(get_num(buf, "/", "interrupt-parent", 1),
			 arch_guest_dt_intc_phandle(&dt_vm));

	CHECK_STR(get_str(buf, "/memory@40000000", "device_type"), "memory");
	node = fdt_path_offset(buf, "/memory@40000000");
	reg = fdt_getprop(buf, node, "reg", &len);
	CHECK(reg && len == 16);
	if (reg && len == 16) {
		CHECK_EQ(fdt32_to_cpu(reg[0]), 0);
		CHECK_EQ(fdt32_to_cpu(reg[1]), 0x40000000);
		CHECK_EQ(fdt32_to_cpu(reg[2]), 0);
		CHECK_EQ(fdt32_to_cpu(reg[3]), 0x20000000);
	}

	CHECK_STR(get_str(buf, "/chosen", "bootargs"), "console=ttyAMA0 earlycon");
	check_stdout_path(buf, vuart_calls);
	CHECK_EQ(get_num(buf, "/chosen", "linux,initrd-start", 2), 0x48000000);
	CHECK_EQ(get_num(buf, "/chosen", "linux,initrd-end", 2), 0x48123456);

	/* The arch's nodes are inside the root. */
	if (fake_arch_dt_calls != arch_calls) {
		CHECK_STR(get_str(buf, "/cpus/cpu@1", "device_type"), "cpu");
		CHECK_EQ(get_num(buf, "/intc", "phandle", 1), FAKE_INTC_PHANDLE);
	}
}

TEST(guest_dt_without_initrd_or_cmdline_and_high_memory)
{
	struct guest_layout l = { 0 };
	static char buf[16384];
	int size;

	dt_vm_setup(0x100000000ull, 5ull << 30, "rtos", "");
	size = guest_dt_build(&dt_vm, &l, buf, sizeof(buf));
	CHECK(size > 0);
	CHECK(dt_whole(buf, sizeof(buf)) > 0);
	CHECK(fdt_path_offset(buf, "/chosen") >= 0);
	CHECK(!has_prop(buf, "/chosen", "bootargs"));
	CHECK(!has_prop(buf, "/chosen", "linux,initrd-start"));
	CHECK(!has_prop(buf, "/chosen", "linux,initrd-end"));
	CHECK(has_prop(buf, "/memory@100000000", "reg"));
	{
		int node = fdt_path_offset(buf, "/memory@100000000"), len;
		const fdt64_t *reg = fdt_getprop(buf, node, "reg", &len);

		CHECK(reg && len == 16);
		if (reg && len == 16) {
			/* Properties are only 4-byte aligned. */
			CHECK_EQ(fdt64_ld(&reg[0]), 0x100000000ull);
			CHECK_EQ(fdt64_ld(&reg[1]), 5ull << 30);
		}
	}
	CHECK_STR(get_str(buf, "/", "model"), "tern guest rtos");
}

TEST(guest_dt_device_errors)
{
	struct guest_layout l = { 0 };
	static char buf[16384];
	unsigned int calls;
	int size;

	dt_vm_setup(0x80000000, 64ull << 20, "x", "a");
	/* No console UART: the tree is still whole, with no stdout-path. */
	fake_vuart_rc = -E_NOENT;
	calls = fake_vuart_calls;
	size = guest_dt_build(&dt_vm, &l, buf, sizeof(buf));
	CHECK(size > 0);
	CHECK(dt_whole(buf, sizeof(buf)) > 0);
	CHECK_STR(get_str(buf, "/chosen", "bootargs"), "a");
	if (fake_vuart_calls != calls) {
		CHECK(!has_prop(buf, "/chosen", "stdout-path"));
		/* Other failures of the device parts are the caller's to see. */
		fake_vuart_rc = -E_INVAL;
		CHECK_EQ(guest_dt_build(&dt_vm, &l, buf, sizeof(buf)), -E_INVAL);
	}
	fake_vuart_rc = 0;
	fake_arch_dt_rc = -E_NOTSUP;
	calls = fake_arch_dt_calls;
	size = guest_dt_build(&dt_vm, &l, buf, sizeof(buf));
	if (fake_arch_dt_calls != calls)
		CHECK_EQ(size, -E_NOTSUP);
	fake_arch_dt_rc = 0;
}

TEST(guest_dt_every_short_buffer_fails_cleanly)
{
	struct guest_layout l = { .initrd_start = 0x44000000, .initrd_size = 4096 };
	static char big[16384];
	int need;

	dt_vm_setup(0x40000000, 256ull << 20, "linux", "console=ttyAMA0");
	need = guest_dt_build(&dt_vm, &l, big, sizeof(big));
	CHECK(need > 0);
	/* Exactly sized heap buffers, so ASan sees any write past the end. */
	for (int size = 0; size <= need; size++) {
		char *buf = malloc(size ? size : 1);
		int rc = guest_dt_build(&dt_vm, &l, buf, size);

		if (size < need) {
			CHECK(rc < 0);
		} else {
			CHECK_EQ(rc, need);
			CHECK(dt_whole(buf, size) > 0);
		}
		free(buf);
	}
}
