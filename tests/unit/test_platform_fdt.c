/* The host device-tree parser against QEMU's real trees and broken ones. */
#include <stdlib.h>
#include <tern/errno.h>
#include <tern/platform.h>
#include "test.h"

/* Load a DTB built by unit.mk; the buffer is freed by the caller. */
static void *load_dtb(const char *name)
{
	char path[512];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s.dtb", UNIT_DTB_DIR, name);
	f = fopen(path, "rb");
	if (!f) {
		printf("  cannot open %s\n", path);
		unit_failures++;
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		unit_failures++;
	fclose(f);
	return buf;
}

static struct platform plat;

TEST(platform_qemu_arm64_gicv3)
{
	const char *why = NULL;
	void *fdt = load_dtb("qemu-arm64-gicv3");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), 0);
	CHECK(why == NULL);
	CHECK_EQ(plat.nr_mem, 1);
	CHECK_EQ(plat.mem[0].base, 0x40000000);
	CHECK_EQ(plat.mem[0].size, 2ULL << 30);
	CHECK_EQ(plat.nr_cpus, 4);
	for (unsigned int i = 0; i < 4; i++)
		CHECK_EQ(plat.cpus[i].hwid, i);
	CHECK_STR(plat.cpus[1].enable_method, "psci");
	CHECK(plat.cpus[0].isa == NULL);
	CHECK_EQ(plat.uart.kind, UART_PL011);
	CHECK_EQ(plat.uart.base, 0x9000000);
	CHECK_EQ(plat.uart.size, 0x1000);
	CHECK_STR(plat.uart.path, "pl011@9000000");
	CHECK_EQ(plat.intc.kind, INTC_GICV3);
	CHECK_EQ(plat.intc.nr_regs, 2);
	CHECK_EQ(plat.intc.regs[0].base, 0x8000000);
	CHECK_EQ(plat.intc.regs[1].base, 0x80a0000);
	/* With virtualization=on QEMU's PSCI is reached by SMC: HVC would trap to tern. */
	CHECK_EQ(plat.psci, PSCI_CONDUIT_SMC);
	CHECK_EQ(plat.timer_freq, 0); /* arm64 virt gives none: CNTFRQ is used */
	CHECK_EQ(plat.initrd_start, 0);
	CHECK_EQ(plat.initrd_end, 0);
	CHECK_EQ(platform_find_cpu(&plat, 3), 3);
	CHECK_EQ(platform_find_cpu(&plat, 0x80000000), -1);
	CHECK_STR(intc_kind_name(plat.intc.kind), "GICv3");
	free(fdt);
}

TEST(platform_qemu_arm64_gicv2)
{
	const char *why = NULL;
	void *fdt = load_dtb("qemu-arm64-gicv2");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), 0);
	CHECK_EQ(plat.nr_cpus, 2);
	CHECK_EQ(plat.mem[0].size, 1ULL << 30);
	CHECK_EQ(plat.intc.kind, INTC_GICV2);
	/* GICD, GICC, and with virtualization on, GICH and GICV. */
	CHECK_EQ(plat.intc.nr_regs, 4);
	CHECK_EQ(plat.intc.regs[0].base, 0x8000000);
	CHECK_EQ(plat.intc.regs[1].base, 0x8010000);
	free(fdt);
}

TEST(platform_qemu_riscv64)
{
	const char *why = NULL;
	void *fdt = load_dtb("qemu-riscv64");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), 0);
	CHECK_EQ(plat.mem[0].base, 0x80000000);
	CHECK_EQ(plat.mem[0].size, 2ULL << 30);
	CHECK_EQ(plat.nr_cpus, 4);
	CHECK_EQ(plat.cpus[3].hwid, 3);
	CHECK(plat.cpus[0].isa && strncmp(plat.cpus[0].isa, "rv64", 4) == 0);
	CHECK_EQ(plat.uart.kind, UART_NS16550);
	CHECK_EQ(plat.uart.base, 0x10000000);
	CHECK_EQ(plat.uart.reg_io_width, 1);
	CHECK_EQ(plat.intc.kind, INTC_PLIC);
	CHECK_EQ(plat.intc.regs[0].base, 0xc000000);
	CHECK_EQ(plat.timer_freq, 10000000);
	CHECK_EQ(plat.psci, PSCI_CONDUIT_NONE);
	free(fdt);
}

TEST(platform_translated_bus_and_reservations)
{
	const char *why = NULL;
	void *fdt = load_dtb("translated");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), 0);
	CHECK_STR(plat.model, "tern test board");
	CHECK_STR(plat.bootargs, "console=ttyS0 tern.selftest=guard quiet");
	CHECK_EQ(plat.initrd_start, 0x88000000);
	CHECK_EQ(plat.initrd_end, 0x88100000);
	/* Two banks from one reg; the disabled node is ignored. */
	CHECK_EQ(plat.nr_mem, 2);
	CHECK_EQ(plat.mem[1].base, 0xc0000000);
	CHECK_EQ(plat.mem[1].size, 0x10000000);
	CHECK_EQ(platform_mem_total(&plat), 0x30000000);
	/* /memreserve/ and the reserved-memory child with a reg; "dyn" has none. */
	CHECK_EQ(plat.nr_resv, 2);
	CHECK_EQ(plat.resv[0].base, 0x80000000);
	CHECK_EQ(plat.resv[1].base, 0x80100000);
	CHECK_EQ(plat.resv[1].size, 0x100000);
	/* Disabled CPU and cpu-map are skipped. */
	CHECK_EQ(plat.nr_cpus, 2);
	CHECK_EQ(plat.cpus[1].hwid, 0x100);
	CHECK_EQ(plat.timer_freq, 24000000);
	CHECK_EQ(plat.psci, PSCI_CONDUIT_HVC);
	/* The alias resolves, options after ':' are dropped, ranges translate. */
	CHECK_EQ(plat.uart.kind, UART_NS16550);
	CHECK_EQ(plat.uart.base, 0x40002000);
	CHECK_EQ(plat.uart.reg_shift, 2);
	CHECK_EQ(plat.uart.reg_io_width, 4);
	CHECK_EQ(plat.uart.clock, 1843200);
	CHECK_EQ(plat.intc.kind, INTC_GICV2);
	CHECK_EQ(plat.intc.nr_regs, 4);
	CHECK_EQ(plat.intc.regs[0].base, 0x40010000);
	CHECK_EQ(plat.intc.regs[3].base, 0x40060000);
	free(fdt);
}

TEST(platform_no_memory_is_an_error_after_the_uart)
{
	const char *why = NULL;
	void *fdt = load_dtb("no-memory");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), -E_NOENT);
	CHECK(why && strstr(why, "no memory"));
	/* The UART was found first, so the error can be printed. */
	CHECK_EQ(plat.uart.kind, UART_PL011);
	free(fdt);
}

TEST(platform_no_uart_is_reported_not_fatal)
{
	const char *why = NULL;
	void *fdt = load_dtb("no-uart");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), 0);
	CHECK_EQ(plat.uart.kind, UART_NONE);
	CHECK(plat.uart.path == NULL);
	CHECK_STR(plat.bootargs, "");
	free(fdt);
}

TEST(platform_unknown_uart_keeps_its_path)
{
	const char *why = NULL;
	void *fdt = load_dtb("unknown-uart");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), 0);
	CHECK_EQ(plat.uart.kind, UART_NONE);
	CHECK_STR(plat.uart.path, "serial@1000");
	free(fdt);
}

TEST(platform_no_cpus)
{
	const char *why = NULL;
	void *fdt = load_dtb("no-cpus");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), -E_NOENT);
	CHECK(why && strstr(why, "CPU"));
	free(fdt);
}

TEST(platform_rejects_garbage)
{
	const char *why = NULL;
	static uint32_t junk[64] = { 0xdeadbeef, 1, 2, 3 };

	CHECK_EQ(platform_parse(junk, &plat, &why), -E_INVAL);
	CHECK(why && strstr(why, "device tree"));
	CHECK_EQ(platform_parse(NULL, &plat, &why), -E_INVAL);
}

TEST(platform_truncated_tree)
{
	const char *why = NULL;
	void *fdt = load_dtb("qemu-riscv64");

	if (!fdt)
		return;
	/* Claim a total size smaller than the structure block needs. */
	((uint32_t *)fdt)[1] = __builtin_bswap32(64);
	CHECK(platform_parse(fdt, &plat, &why) < 0);
	CHECK(why != NULL);
	free(fdt);
}

TEST(platform_uart_interrupt_cells)
{
	const char *why = NULL;
	void *fdt = load_dtb("qemu-arm64-gicv3");

	if (!fdt)
		return;
	CHECK_EQ(platform_parse(fdt, &plat, &why), 0);
	/* QEMU virt: <GIC_SPI 1 IRQ_TYPE_LEVEL_HIGH>. */
	CHECK_EQ(plat.uart.nr_irq_cells, 3);
	CHECK_EQ(plat.uart.irq[0], 0);
	CHECK_EQ(plat.uart.irq[1], 1);
	CHECK_EQ(plat.uart.irq[2], 4);
	free(fdt);
}
