/*
 * Read the machine's facts from the host device tree with libfdt: memory,
 * reservations, CPUs, the console UART, the interrupt controller, the timer
 * frequency and the PSCI conduit. The DTB comes from firmware or a user, so
 * every property is length-checked: a malformed tree gives an error naming
 * the problem, never a crash.
 */
#include <libfdt.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/platform.h>

struct compat_kind {
	const char *compatible;
	int kind;
};

static const struct compat_kind uart_compats[] = {
	{ "arm,pl011", UART_PL011 },
	{ "ns16550a", UART_NS16550 },
	{ "ns16550", UART_NS16550 },
	{ "ns8250", UART_NS16550 },
	{ "snps,dw-apb-uart", UART_NS16550 },
};

static const struct compat_kind intc_compats[] = {
	{ "arm,gic-v3", INTC_GICV3 },
	{ "arm,gic-400", INTC_GICV2 },
	{ "arm,cortex-a15-gic", INTC_GICV2 },
	{ "arm,cortex-a9-gic", INTC_GICV2 },
	{ "riscv,aplic", INTC_APLIC },
	{ "riscv,plic0", INTC_PLIC },
	{ "sifive,plic-1.0.0", INTC_PLIC },
};

static int match_compat(const void *fdt, int node, const struct compat_kind *t, size_t n,
			const char **which)
{
	for (size_t i = 0; i < n; i++) {
		if (fdt_node_check_compatible(fdt, node, t[i].compatible) == 0) {
			if (which)
				*which = t[i].compatible;
			return t[i].kind;
		}
	}
	return 0;
}

/* A property that must be a NUL-terminated string; NULL otherwise. */
static const char *prop_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (!s || len <= 0 || s[len - 1] != '\0')
		return NULL;
	return s;
}

static bool prop_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v || len < 4)
		return false;
	*out = fdt32_ld(v);
	return true;
}

static bool node_enabled(const void *fdt, int node)
{
	const char *s = prop_string(fdt, node, "status");

	return !s || strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0;
}

/* Read a number of 1 or 2 cells (a larger count is refused by the caller). */
static uint64_t read_cells(const fdt32_t *c, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_ld(&c[i]);
	return v;
}

static int cells_of(const void *fdt, int node, const char *name, int dflt)
{
	uint32_t v;

	if (node < 0 || !prop_u32(fdt, node, name, &v))
		return dflt;
	return (int)v;
}

/*
 * Translate a bus address of a child of `parent` up to a CPU physical
 * address through every ancestor's "ranges". An empty "ranges" is an
 * identity map; a missing one means the bus is not memory mapped.
 */
static int translate(const void *fdt, int parent, uint64_t *addr)
{
	while (parent > 0) {
		int grand = fdt_parent_offset(fdt, parent);
		int len;
		const fdt32_t *r = fdt_getprop(fdt, parent, "ranges", &len);

		if (grand < 0)
			return -E_INVAL;
		if (!r)
			return -E_NOENT;
		if (len > 0) {
			int ca = cells_of(fdt, parent, "#address-cells", 2);
			int pa = cells_of(fdt, grand, "#address-cells", 2);
			int cs = cells_of(fdt, parent, "#size-cells", 1);
			int entry = ca + pa + cs;
			bool found = false;

			if (ca < 1 || ca > 2 || pa < 1 || pa > 2 || cs < 1 || cs > 2)
				return -E_INVAL;
			for (int off = 0; (off + entry) * 4 <= len; off += entry) {
				uint64_t child = read_cells(r + off, ca);
				uint64_t up = read_cells(r + off + ca, pa);
				uint64_t size = read_cells(r + off + ca + pa, cs);

				if (*addr >= child && *addr - child < size) {
					*addr = up + (*addr - child);
					found = true;
					break;
				}
			}
			if (!found)
				return -E_RANGE;
		}
		parent = grand;
	}
	return 0;
}

/*
 * Entry `index` of a node's "reg", translated to a physical address.
 * Returns 0, -E_NOENT past the last entry, or another error for a bad tree.
 */
static int node_reg(const void *fdt, int node, int index, struct mem_range *out)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac, sc, len;
	const fdt32_t *reg;

	if (parent < 0)
		return -E_INVAL;
	ac = cells_of(fdt, parent, "#address-cells", 2);
	sc = cells_of(fdt, parent, "#size-cells", 1);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -E_INVAL;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return -E_NOENT;
	if (len < 0 || (index + 1) * (ac + sc) * 4 > len)
		return -E_NOENT;
	reg += index * (ac + sc);
	out->base = read_cells(reg, ac);
	out->size = sc ? read_cells(reg + ac, sc) : 0;
	return translate(fdt, parent, &out->base);
}

static int parse_memory(const void *fdt, struct platform *p, const char **why)
{
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory",
						     sizeof("memory"))) >= 0) {
		struct mem_range r;

		if (!node_enabled(fdt, node))
			continue;
		for (int i = 0; node_reg(fdt, node, i, &r) == 0; i++) {
			if (r.size == 0)
				continue;
			if (p->nr_mem == PLAT_MAX_MEM) {
				*why = "the device tree lists more memory banks than tern supports (16)";
				return -E_RANGE;
			}
			if (r.base + r.size < r.base) {
				*why = "a memory bank in the device tree wraps around the address space";
				return -E_INVAL;
			}
			p->mem[p->nr_mem++] = r;
		}
	}
	if (p->nr_mem == 0) {
		*why = "the device tree describes no memory (no device_type = \"memory\" node with a "
		       "non-empty reg)";
		return -E_NOENT;
	}
	return 0;
}

static void add_resv(struct platform *p, paddr_t base, uint64_t size)
{
	if (size && p->nr_resv < PLAT_MAX_RESV)
		p->resv[p->nr_resv++] = (struct mem_range){ base, size };
}

static void parse_reservations(const void *fdt, struct platform *p)
{
	int n = fdt_num_mem_rsv(fdt);
	int rm, child;

	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			add_resv(p, base, size);
	}
	rm = fdt_path_offset(fdt, "/reserved-memory");
	if (rm < 0)
		return;
	fdt_for_each_subnode(child, fdt, rm) {
		struct mem_range r;

		if (!node_enabled(fdt, child))
			continue;
		for (int i = 0; node_reg(fdt, child, i, &r) == 0; i++)
			add_resv(p, r.base, r.size);
	}
}

static int parse_cpus(const void *fdt, struct platform *p, const char **why)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;
	uint32_t freq;

	if (cpus < 0) {
		*why = "the device tree has no /cpus node";
		return -E_NOENT;
	}
	int ac = cells_of(fdt, cpus, "#address-cells", 1);
	if (ac < 1 || ac > 2) {
		*why = "/cpus has an unsupported #address-cells";
		return -E_INVAL;
	}
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = prop_string(fdt, node, "device_type");
		int len;
		const fdt32_t *reg;

		if (!type || strcmp(type, "cpu") != 0 || !node_enabled(fdt, node))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < ac * 4)
			continue;
		if (p->nr_cpus == PLAT_MAX_CPUS)
			break; /* tern uses at most NR_CPUS anyway; the banner says so */
		struct plat_cpu *c = &p->cpus[p->nr_cpus++];
		c->hwid = read_cells(reg, ac);
		c->isa = prop_string(fdt, node, "riscv,isa");
		c->enable_method = prop_string(fdt, node, "enable-method");
	}
	if (p->nr_cpus == 0) {
		*why = "the device tree lists no usable CPU under /cpus";
		return -E_NOENT;
	}
	if (prop_u32(fdt, cpus, "timebase-frequency", &freq))
		p->timer_freq = freq;
	return 0;
}

/* The node /chosen/stdout-path names; options after ':' are ignored. */
static int stdout_node(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path;
	const char *colon;

	if (chosen < 0)
		return -1;
	path = prop_string(fdt, chosen, "stdout-path");
	if (!path)
		path = prop_string(fdt, chosen, "linux,stdout-path");
	if (!path)
		return -1;
	colon = strchr(path, ':');
	return fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : (int)strlen(path));
}

static void parse_uart(const void *fdt, struct platform *p)
{
	int node = stdout_node(fdt);
	struct plat_uart *u = &p->uart;
	struct mem_range r;
	uint32_t v;

	if (node < 0 || !node_enabled(fdt, node))
		return;
	u->path = fdt_get_name(fdt, node, NULL);
	u->compatible = prop_string(fdt, node, "compatible");
	int kind = match_compat(fdt, node, uart_compats, ARRAY_SIZE(uart_compats), &u->compatible);
	if (!kind || node_reg(fdt, node, 0, &r) != 0)
		return; /* named, but not a UART tern can drive: kind stays UART_NONE */
	u->kind = (enum uart_kind)kind;
	u->base = r.base;
	u->size = r.size ? r.size : 0x1000;
	u->reg_io_width = 1;
	if (prop_u32(fdt, node, "reg-shift", &v) && v <= 4)
		u->reg_shift = v;
	if (prop_u32(fdt, node, "reg-io-width", &v) && (v == 1 || v == 4))
		u->reg_io_width = v;
	if (prop_u32(fdt, node, "clock-frequency", &v))
		u->clock = v;
	int len;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
	for (int i = 0; irq && i < len / 4 && i < (int)ARRAY_SIZE(u->irq); i++)
		u->irq[u->nr_irq_cells++] = fdt32_ld(&irq[i]);
}

static int intc_by_phandle(const void *fdt, int node)
{
	uint32_t ph;

	if (!prop_u32(fdt, node, "interrupt-parent", &ph))
		return -1;
	return fdt_node_offset_by_phandle(fdt, ph);
}

/*
 * The interrupt controller: the one the root's interrupt-parent names if
 * tern knows it, else the first known controller in the tree (RISC-V virt
 * has no root interrupt-parent; its PLIC is found by compatible).
 */
static void parse_intc(const void *fdt, struct platform *p)
{
	int node = intc_by_phandle(fdt, 0);
	int kind = 0;
	const char *compat = NULL;

	if (node >= 0)
		kind = match_compat(fdt, node, intc_compats, ARRAY_SIZE(intc_compats), &compat);
	for (size_t i = 0; !kind && i < ARRAY_SIZE(intc_compats); i++) {
		node = -1;
		while ((node = fdt_node_offset_by_compatible(fdt, node,
							      intc_compats[i].compatible)) >= 0) {
			if (!node_enabled(fdt, node))
				continue;
			kind = intc_compats[i].kind;
			compat = intc_compats[i].compatible;
			break;
		}
	}
	if (!kind)
		return;
	p->intc.kind = (enum intc_kind)kind;
	p->intc.compatible = compat;
	for (int i = 0; i < PLAT_MAX_REGS; i++) {
		if (node_reg(fdt, node, i, &p->intc.regs[i]) != 0)
			break;
		p->intc.nr_regs++;
	}
}

static void parse_arm_firmware(const void *fdt, struct platform *p)
{
	int node;
	uint32_t freq;
	static const char *const psci_compats[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };

	for (size_t i = 0; i < ARRAY_SIZE(psci_compats); i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, psci_compats[i]);
		if (node < 0 || !node_enabled(fdt, node))
			continue;
		const char *method = prop_string(fdt, node, "method");
		if (method && strcmp(method, "smc") == 0)
			p->psci = PSCI_CONDUIT_SMC;
		else if (method && strcmp(method, "hvc") == 0)
			p->psci = PSCI_CONDUIT_HVC;
		break;
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv7-timer");
	if (node >= 0 && !p->timer_freq && prop_u32(fdt, node, "clock-frequency", &freq))
		p->timer_freq = freq;
}

/* linux,initrd-start/-end may be 32 or 64 bits wide each. */
static bool prop_addr(const void *fdt, int node, const char *name, uint64_t *out)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v || (len != 4 && len != 8))
		return false;
	*out = read_cells(v, len / 4);
	return true;
}

static void parse_initrd(const void *fdt, int chosen, struct platform *p)
{
	uint64_t start, end;

	if (prop_addr(fdt, chosen, "linux,initrd-start", &start) &&
	    prop_addr(fdt, chosen, "linux,initrd-end", &end) && end > start) {
		p->initrd_start = start;
		p->initrd_end = end;
	}
}

const struct platform *host_platform;

int platform_parse(const void *fdt, struct platform *p, const char **why)
{
	int err, chosen;

	memset(p, 0, sizeof(*p));
	*why = NULL;
	if (!fdt || fdt_check_header(fdt) != 0) {
		*why = "no valid device tree was passed at boot (bad magic or header)";
		return -E_INVAL;
	}
	p->fdt = fdt;
	p->fdt_base = (uintptr_t)fdt;
	p->fdt_size = fdt_totalsize(fdt);
	p->model = prop_string(fdt, 0, "model");
	chosen = fdt_path_offset(fdt, "/chosen");
	p->bootargs = chosen >= 0 ? prop_string(fdt, chosen, "bootargs") : NULL;
	if (!p->bootargs)
		p->bootargs = "";
	if (chosen >= 0)
		parse_initrd(fdt, chosen, p);

	/* The UART first: every later error wants to be printed. */
	parse_uart(fdt, p);
	err = parse_memory(fdt, p, why);
	if (err)
		return err;
	parse_reservations(fdt, p);
	err = parse_cpus(fdt, p, why);
	if (err)
		return err;
	parse_intc(fdt, p);
	parse_arm_firmware(fdt, p);
	return 0;
}

uint64_t platform_mem_total(const struct platform *p)
{
	uint64_t t = 0;

	for (unsigned int i = 0; i < p->nr_mem; i++)
		t += p->mem[i].size;
	return t;
}

int platform_find_cpu(const struct platform *p, uint64_t hwid)
{
	for (unsigned int i = 0; i < p->nr_cpus; i++)
		if (p->cpus[i].hwid == hwid)
			return (int)i;
	return -1;
}

const char *intc_kind_name(enum intc_kind k)
{
	static const char *const names[] = {
		[INTC_NONE] = "none", [INTC_GICV2] = "GICv2", [INTC_GICV3] = "GICv3",
		[INTC_PLIC] = "PLIC", [INTC_APLIC] = "APLIC",
	};
	return (unsigned int)k < ARRAY_SIZE(names) ? names[k] : "?";
}

const char *uart_kind_name(enum uart_kind k)
{
	static const char *const names[] = {
		[UART_NONE] = "none", [UART_PL011] = "pl011", [UART_NS16550] = "ns16550",
	};
	return (unsigned int)k < ARRAY_SIZE(names) ? names[k] : "?";
}
