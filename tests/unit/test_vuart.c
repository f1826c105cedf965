/*
 * The guest console UART's core/vuart.c (MMIO registration,
 * interrupt-level calls, input routing, the DT node) on the host arch, with
 * the console's input and output side stood in for. The register models
 * are test_vuart_pl011.c's and test_vuart_ns16550.c's.
 */
#include <libfdt.h>
#include <arch/host.h>
#include <tern/arch.h>
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/vm.h>
#include <tern/vuart.h>
#include <tern/vuart_model.h>
#include "test.h"
#include "vuart_test.h"

/* --- The console: core/console.c drives a real UART, so it is not linked
 * here; these stand in for the part core/vuart.c uses. The arch's parts
 * are the host arch's (arch/host/guest.c), which records arch_vm_set_irq
 * in host_irq. */
static char console_out[256];
static size_t console_len;
static void (*console_deliver)(const char *buf, size_t len);
static unsigned int rx_starts;

static size_t (*console_room_fn)(void);
static unsigned int rx_resumes;

int console_rx_start(void (*deliver)(const char *buf, size_t len), size_t (*room)(void))
{
	rx_starts++;
	console_deliver = deliver;
	console_room_fn = room;
	return 0;
}

void console_rx_resume(void)
{
	rx_resumes++;
}

/* printk's lines (core/vm.c says what VMs do): to the test's output. */
void console_write(const char *s, size_t len)
{
	printf("  | %.*s", (int)len, s);
}

void console_putc(char c)
{
	if (console_len < sizeof(console_out) - 1)
		console_out[console_len++] = c;
	console_out[console_len] = 0;
}

/* --- core/vuart.c --------------------------------------------------------- */

const struct plat_uart unit_host_pl011 = {
	.kind = UART_PL011,
	.base = 0x9000000,
	.size = 0x1000,
	.reg_io_width = 1,
	.irq = { 0, 1, 4 },
	.nr_irq_cells = 3,
};

const struct plat_uart unit_host_ns16550 = {
	.kind = UART_NS16550,
	.base = 0x10000000,
	.size = 0x100,
	.reg_shift = 2,
	.reg_io_width = 4,
	.irq = { 10 },
	.nr_irq_cells = 1,
};

static void vm_init(struct vm *vm, unsigned int id)
{
	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	host_irq.calls = 0;
	console_len = 0;
	console_out[0] = 0;
}

static int bus_write(struct vm *vm, paddr_t addr, unsigned int size, uint64_t v)
{
	return mmio_access(&vm->mmio, NULL, addr, size, true, &v);
}

static uint64_t bus_read(struct vm *vm, paddr_t addr, unsigned int size)
{
	uint64_t v = ~0ull;

	CHECK_EQ(mmio_access(&vm->mmio, NULL, addr, size, false, &v), 0);
	return v;
}

TEST(vuart_create_registers_device_and_routes_console)
{
	static struct vm vm, second;
	const char *why = NULL;

	vm_init(&vm, 0);
	CHECK_EQ(vuart_create(&vm, &unit_host_pl011, &why), 0);
	CHECK_EQ(vm.mmio.nr, 1);
	CHECK_EQ(vm.mmio.devs[0]->base, 0x9000000);
	CHECK_EQ(vm.mmio.devs[0]->size, 0x1000);
	/* VM 0 owns the console: input is connected, once per boot. */
	CHECK(console_deliver != NULL);
	CHECK_EQ(rx_starts, 1);

	/* Output through the bus reaches the console. */
	CHECK_EQ(bus_write(&vm, 0x9000000 + VPL011_DR, 1, 'h'), 0);
	CHECK_EQ(bus_write(&vm, 0x9000000 + VPL011_DR, 2, 'i'), 0);
	CHECK_STR(console_out, "hi");
	CHECK_EQ(bus_write(&vm, 0x9000000 + VPL011_DR, 8, 'x'), -E_INVAL);

	/* Typed input arrives by the console's callback, with the SPI raised
	 * once and lowered once. */
	bus_write(&vm, 0x9000000 + VPL011_LCR_H, 4, 0x70);
	bus_write(&vm, 0x9000000 + VPL011_IMSC, 4, VPL011_INT_RX | VPL011_INT_RT);
	CHECK_EQ(host_irq.calls, 0);
	console_deliver("ls", 2);
	CHECK_EQ(host_irq.calls, 1);
	CHECK(host_irq.vm == &vm && host_irq.line == 1 && host_irq.level);
	console_deliver("\r", 1);
	CHECK_EQ(host_irq.calls, 1); /* still high: no call */
	/* Backpressure: the console reads no more than the FIFO's free room
	 * from the host UART (32 entries with the FIFO on, 3 taken), and a
	 * guest read lets input held back in the UART come. */
	CHECK(console_room_fn != NULL);
	CHECK_EQ(console_room_fn(), VPL011_FIFO_DEPTH - 3);
	unsigned int resumes = rx_resumes;
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_DR, 2), 'l');
	CHECK(rx_resumes > resumes);
	CHECK_EQ(console_room_fn(), VPL011_FIFO_DEPTH - 2);
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_DR, 2), 's');
	CHECK_EQ(host_irq.calls, 1);
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_DR, 2), '\r');
	CHECK_EQ(host_irq.calls, 2);
	CHECK(!host_irq.level);

	/* Another VM gets a UART of its own but not the console's input. */
	vm_init(&second, 1);
	CHECK_EQ(vuart_create(&second, &unit_host_pl011, &why), 0);
	CHECK_EQ(rx_starts, 1);
	console_deliver("z", 1);
	CHECK(bus_read(&second, 0x9000000 + VPL011_FR, 4) & VPL011_FR_RXFE);
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_DR, 4), 'z');

	/* A reset lowers a raised line. */
	bus_write(&vm, 0x9000000 + VPL011_IMSC, 4, VPL011_INT_TX);
	CHECK_EQ(host_irq.calls, 3);
	CHECK(host_irq.level);
	vuart_reset(&vm);
	CHECK_EQ(host_irq.calls, 4);
	CHECK(!host_irq.level);
	CHECK_EQ(bus_read(&vm, 0x9000000 + VPL011_IMSC, 4), 0);
}

TEST(vuart_create_refusals)
{
	static struct vm vm, other;
	struct plat_uart ppi = unit_host_pl011, odd = unit_host_ns16550, none = { .kind = UART_NONE };
	struct mmio_device *taken;
	const char *why = NULL;
	char path[64];

	/* No host UART: no guest UART, no DT node. */
	vm_init(&vm, 1);
	CHECK_EQ(vuart_create(&vm, &none, &why), 0);
	CHECK_EQ(vm.mmio.nr, 0);
	CHECK_EQ(vuart_dt_node(&vm, NULL, path, sizeof(path)), -E_NOENT);
	vuart_receive(&vm, "x", 1); /* ignored */

	ppi.irq[0] = 1;
	vm_init(&vm, 1);
	why = NULL;
	CHECK_EQ(vuart_create(&vm, &ppi, &why), -E_NOTSUP);
	CHECK(why != NULL);

	odd.reg_io_width = 2;
	vm_init(&vm, 1);
	CHECK_EQ(vuart_create(&vm, &odd, &why), -E_NOTSUP);

	/* Something else already at the UART's address. */
	vm_init(&other, 2);
	CHECK_EQ(vuart_create(&other, &unit_host_pl011, &why), 0);
	taken = other.mmio.devs[0];
	vm_init(&vm, 1);
	CHECK_EQ(mmio_register(&vm.mmio, taken), 0);
	why = NULL;
	CHECK_EQ(vuart_create(&vm, &unit_host_pl011, &why), -E_EXIST);
	CHECK(why != NULL);
	CHECK_EQ(vuart_dt_node(&vm, NULL, path, sizeof(path)), -E_NOENT);
}

/* A guest DT skeleton around vuart_dt_node, as guest_dt.c builds it. */
static int build_dt(struct vm *vm, void *buf, int size, char *path, size_t path_size)
{
	int err = fdt_create(buf, size);

	if (!err)
		err = fdt_finish_reservemap(buf);
	if (!err)
		err = fdt_begin_node(buf, "");
	if (!err)
		err = fdt_property_u32(buf, "#address-cells", 2);
	if (!err)
		err = fdt_property_u32(buf, "#size-cells", 2);
	if (err)
		return -E_NOMEM;
	err = vuart_dt_node(vm, buf, path, path_size);
	if (err)
		return err;
	if (fdt_end_node(buf) || fdt_finish(buf))
		return -E_NOMEM;
	return 0;
}

static uint32_t cell(const void *fdt, int node, const char *prop, int i)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p || len < (i + 1) * 4)
		return 0xdeadbeef;
	return fdt32_to_cpu(p[i]);
}

static int prop_len(const void *fdt, int node, const char *prop)
{
	int len;

	return fdt_getprop(fdt, node, prop, &len) ? len : -1;
}

/* "interrupts" holds the arch's cells for the line, "interrupt-parent"
 * its interrupt controller. */
static void check_interrupts(const struct vm *vm, const void *fdt, int node, uint32_t line)
{
	uint32_t want[4];
	int n = arch_guest_dt_irq_cells(vm, line, want, 4);

	CHECK(n > 0);
	CHECK_EQ(prop_len(fdt, node, "interrupts"), 4 * n);
	for (int i = 0; i < n; i++)
		CHECK_EQ(cell(fdt, node, "interrupts", i), want[i]);
	CHECK_EQ(cell(fdt, node, "interrupt-parent", 0), arch_guest_dt_intc_phandle(vm));
}

TEST(vuart_dt_node_pl011)
{
	static struct vm vm;
	static char buf[4096];
	const char *why;
	char path[64];
	int node, clk, len;
	const char *s;

	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &unit_host_pl011, &why), 0);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, sizeof(path)), 0);
	CHECK_STR(path, "/pl011@9000000");
	node = fdt_path_offset(buf, path);
	CHECK(node >= 0);
	s = fdt_getprop(buf, node, "compatible", &len);
	CHECK(s && len == (int)sizeof("arm,pl011\0arm,primecell"));
	CHECK(s && memcmp(s, "arm,pl011\0arm,primecell", (size_t)len) == 0);
	CHECK_EQ(fdt_node_check_compatible(buf, node, "arm,primecell"), 0);
	CHECK_EQ(cell(buf, node, "reg", 0), 0);
	CHECK_EQ(cell(buf, node, "reg", 1), 0x9000000);
	CHECK_EQ(cell(buf, node, "reg", 2), 0);
	CHECK_EQ(cell(buf, node, "reg", 3), 0x1000);
	check_interrupts(&vm, buf, node, 1);
	CHECK_EQ(prop_len(buf, node, "clocks"), 8);
	CHECK_EQ(cell(buf, node, "clocks", 0), VUART_DT_CLOCK_PHANDLE);
	CHECK_EQ(cell(buf, node, "clocks", 1), VUART_DT_CLOCK_PHANDLE);
	s = fdt_getprop(buf, node, "clock-names", &len);
	CHECK(s && len == (int)sizeof("uartclk\0apb_pclk"));
	CHECK(s && memcmp(s, "uartclk\0apb_pclk", (size_t)len) == 0);

	clk = fdt_node_offset_by_phandle(buf, VUART_DT_CLOCK_PHANDLE);
	CHECK(clk >= 0);
	CHECK_STR(fdt_get_name(buf, clk, NULL), "apb-pclk");
	CHECK_EQ(fdt_node_check_compatible(buf, clk, "fixed-clock"), 0);
	CHECK_EQ(cell(buf, clk, "#clock-cells", 0), 0);
	CHECK_EQ(cell(buf, clk, "clock-frequency", 0), 24000000);
}

TEST(vuart_dt_node_ns16550)
{
	static struct vm vm;
	static char buf[4096];
	const char *why;
	char path[64];
	int node;

	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &unit_host_ns16550, &why), 0);
	CHECK_EQ(vm.mmio.devs[0]->size, 0x100);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, sizeof(path)), 0);
	CHECK_STR(path, "/serial@10000000");
	node = fdt_path_offset(buf, path);
	CHECK(node >= 0);
	CHECK_STR(fdt_getprop(buf, node, "compatible", NULL), "ns16550a");
	CHECK_EQ(cell(buf, node, "reg", 1), 0x10000000);
	CHECK_EQ(cell(buf, node, "reg", 3), 0x100);
	check_interrupts(&vm, buf, node, 10);
	CHECK_EQ(cell(buf, node, "clock-frequency", 0), 3686400);
	CHECK_EQ(cell(buf, node, "reg-shift", 0), 2);
	CHECK_EQ(cell(buf, node, "reg-io-width", 0), 4);
	CHECK(fdt_node_offset_by_phandle(buf, VUART_DT_CLOCK_PHANDLE) < 0);

	/* The guest sees its registers 4 bytes apart, and the PLIC source. */
	CHECK_EQ(bus_write(&vm, 0x10000000 + VNS_IER * 4, 4, VNS_IER_THRI), 0);
	CHECK_EQ(host_irq.calls, 1);
	CHECK(host_irq.line == 10 && host_irq.level);
	CHECK_EQ(bus_read(&vm, 0x10000000 + VNS_IIR * 4, 4), VNS_IIR_THRI);
	CHECK_EQ(host_irq.calls, 2);
	CHECK(!host_irq.level);

	/* Byte-wide host layout: no reg-shift / reg-io-width; the host clock. */
	struct plat_uart narrow = unit_host_ns16550;

	narrow.reg_shift = 0;
	narrow.reg_io_width = 1;
	narrow.clock = 1843200;
	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &narrow, &why), 0);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, sizeof(path)), 0);
	node = fdt_path_offset(buf, path);
	CHECK_EQ(prop_len(buf, node, "reg-shift"), -1);
	CHECK_EQ(prop_len(buf, node, "reg-io-width"), -1);
	CHECK_EQ(cell(buf, node, "clock-frequency", 0), 1843200);
}

TEST(vuart_dt_node_errors)
{
	static struct vm vm;
	static char buf[4096];
	const char *why;
	char path[64];
	struct plat_uart no_irq = unit_host_pl011;

	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &unit_host_pl011, &why), 0);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, 8), -E_RANGE);
	CHECK_EQ(build_dt(&vm, buf, 200, path, sizeof(path)), -E_NOMEM);

	/* A host UART without an interrupt: a node without one, no calls. */
	no_irq.nr_irq_cells = 0;
	vm_init(&vm, 3);
	CHECK_EQ(vuart_create(&vm, &no_irq, &why), 0);
	CHECK_EQ(build_dt(&vm, buf, sizeof(buf), path, sizeof(path)), 0);
	CHECK_EQ(prop_len(buf, fdt_path_offset(buf, path), "interrupts"), -1);
	CHECK_EQ(prop_len(buf, fdt_path_offset(buf, path), "interrupt-parent"), -1);
	bus_write(&vm, 0x9000000 + VPL011_IMSC, 4, VPL011_INT_TX);
	CHECK_EQ(host_irq.calls, 0);
}
