/*
 * The guest device tree builder (core/guest_dt.c), its output read back
 * with libfdt. The VM's UART is core/vuart.c's, made for a host PL011 at
 * 0x9000000; the arch's nodes are the host arch's (a /cpus node and an
 * interrupt controller, arch/host/guest.c). test_guest_loader.c uses this
 * file's dt_whole too.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <arch/host.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/guest_loader.h>
#include <tern/vm.h>
#include <tern/vuart.h>
#include "test.h"
#include "vuart_test.h"


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

/* The same VM with a console UART, as vm_create makes it. */
static void dt_vm_setup_uart(paddr_t base, uint64_t size, const char *name, const char *cmdline)
{
	const char *why = NULL;

	dt_vm_setup(base, size, name, cmdline);
	dt_vm.id = 1; /* not VM 0: the console's input stays where it is */
	CHECK_EQ(vuart_create(&dt_vm, &unit_host_pl011, &why), 0);
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

/* The stdout-path names the VM's PL011, which is in the tree. */
static void check_stdout_path(const void *fdt)
{
	const char *path = get_str(fdt, "/chosen", "stdout-path");

	CHECK_STR(path, "/pl011@9000000");
	if (path)
		CHECK(fdt_path_offset(fdt, path) >= 0);
}

TEST(guest_dt_full_tree)
{
	struct guest_layout l = { .initrd_start = 0x48000000, .initrd_size = 0x123456 };
	static char buf[16384];
	unsigned int arch_calls = host_dt_nodes_calls;
	int size, node, len;
	const fdt32_t *reg;

	dt_vm_setup_uart(0x40000000, 512ull << 20, "linux", "console=ttyAMA0 earlycon");
	size = guest_dt_build(&dt_vm, &l, buf, sizeof(buf));
	CHECK(size > 0 && size < (int)sizeof(buf));
	CHECK(dt_whole(buf, size) > 0);
	CHECK_EQ(fdt_totalsize(buf), size);

	CHECK_EQ(get_num(buf, "/", "#address-cells", 1), 2);
	CHECK_EQ(get_num(buf, "/", "#size-cells", 1), 2);
	CHECK_STR(get_str(buf, "/", "compatible"), "linux,dummy-virt");
	CHECK_STR(get_str(buf, "/", "model"), "tern guest linux");
	CHECK_EQ(get_num(buf, "/", "interrupt-parent", 1), HOST_INTC_PHANDLE);

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
	check_stdout_path(buf);
	CHECK_EQ(get_num(buf, "/chosen", "linux,initrd-start", 2), 0x48000000);
	CHECK_EQ(get_num(buf, "/chosen", "linux,initrd-end", 2), 0x48123456);

	/* The arch's nodes are inside the root. */
	CHECK_EQ(host_dt_nodes_calls, arch_calls + 1);
	CHECK_STR(get_str(buf, "/cpus/cpu@1", "device_type"), "cpu");
	CHECK_EQ(get_num(buf, "/intc", "phandle", 1), HOST_INTC_PHANDLE);
	/* The UART's node, with its interrupt in the host controller's cells. */
	CHECK_STR(get_str(buf, "/pl011@9000000", "compatible"), "arm,pl011");
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
	size = guest_dt_build(&dt_vm, &l, buf, sizeof(buf));
	CHECK(size > 0);
	CHECK(dt_whole(buf, sizeof(buf)) > 0);
	CHECK_STR(get_str(buf, "/chosen", "bootargs"), "a");
	CHECK(!has_prop(buf, "/chosen", "stdout-path"));
	/* A failure of the arch's part is the caller's to see. */
	host_dt_nodes_rc = -E_NOTSUP;
	calls = host_dt_nodes_calls;
	size = guest_dt_build(&dt_vm, &l, buf, sizeof(buf));
	CHECK_EQ(host_dt_nodes_calls, calls + 1);
	CHECK_EQ(size, -E_NOTSUP);
	host_dt_nodes_rc = 0;
}

TEST(guest_dt_every_short_buffer_fails_cleanly)
{
	struct guest_layout l = { .initrd_start = 0x44000000, .initrd_size = 4096 };
	static char big[16384];
	int need;

	dt_vm_setup_uart(0x40000000, 256ull << 20, "linux", "console=ttyAMA0");
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
