/*
 * The guest console UART: one emulated UART per VM (core/vuart_pl011.c,
 * core/vuart_ns16550.c), on its MMIO bus at the host console UART's address
 * and interrupt line, so a guest finds its console where the board has it.
 *
 * This file is the glue around the pure register models: it serialises
 * accesses (vCPUs of the VM and the console's input interrupt race for the
 * FIFO), prints what guests transmit, injects the interrupt line when the
 * model's output level changes, routes console input to VM 0 and writes the
 * guest DT node.
 *
 * Console input arrives in interrupt context and takes a VM's UART lock:
 * tern takes physical interrupts only with no such lock held (on a guest
 * exit or when idle), so the lock never meets itself on one CPU. The
 * interrupt controller's arch_vm_set_irq is called with it held, from any
 * CPU, in either context.
 */
#include <stdatomic.h>
#include <libfdt.h>
#include <tern/arch.h>
#include <tern/compiler.h>
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/spinlock.h>
#include <tern/vm.h>
#include <tern/vuart.h>
#include <tern/vuart_model.h>

/* The fixed clock given to a guest PL011 when the host DT names none: QEMU
 * virt's, and any value works since no bits really travel. */
#define PL011_DEFAULT_CLOCK 24000000u
/* An NS16550's clock-frequency when the host DT gives none: the classic
 * 1.8432 MHz * 2 crystal, QEMU virt's. */
#define NS16550_DEFAULT_CLOCK 3686400u

struct vuart {
	struct vm *vm;           /* NULL: this VM has no UART */
	spinlock_t lock;         /* the model, and the order of interrupt-level calls */
	struct vuart_model model;
	struct mmio_device dev;
	bool has_irq;
	uint32_t line;           /* SPI number (GIC) or interrupt source (PLIC) */
	uint32_t clock;          /* Hz, for the guest DT */
	uint32_t reg_io_width;   /* 16550: from the host DT (1 or 4) */
};

static struct vuart vuarts[VM_MAX_VMS];
/* The VM that receives console input. */
static _Atomic(struct vm *) console_vm;

static struct vuart *vuart_of(const struct vm *vm)
{
	if (!vm || vm->id >= VM_MAX_VMS || vuarts[vm->id].vm != vm)
		return NULL;
	return &vuarts[vm->id];
}

/* Carry out what a model operation asked for. The interrupt line is set
 * under the lock, so two CPUs cannot deliver levels out of order; printing
 * happens after it, so a slow console never holds up input. */
static void apply_irq(struct vuart *u, const struct vuart_fx *fx)
{
	if (fx->irq_changed && u->has_irq)
		arch_vm_set_irq(u->vm, u->line, fx->irq);
}

static void apply_output(const struct vuart_fx *fx)
{
	if (fx->out < 0)
		return;
	/* Under printk's lock: a guest byte never lands inside a tern line.
	 * Bytes go out raw (the guest's tty already sends "\r\n"). */
	console_lock();
	console_putc((char)fx->out);
	console_unlock();
}

static int vuart_mmio_read(struct mmio_device *dev, struct vcpu *v, uint64_t offset,
			   unsigned int size, uint64_t *value)
{
	struct vuart *u = dev->priv;
	struct vuart_fx fx = VUART_FX_INIT;
	int err;

	spin_lock(&u->lock);
	err = u->model.ops->read(&u->model, offset, size, value, &fx);
	apply_irq(u, &fx);
	spin_unlock(&u->lock);
	/* A read may have taken a character: room for input held back. */
	if (u->vm == atomic_load(&console_vm))
		console_rx_resume();
	return err;
}

static int vuart_mmio_write(struct mmio_device *dev, struct vcpu *v, uint64_t offset,
			    unsigned int size, uint64_t value)
{
	struct vuart *u = dev->priv;
	struct vuart_fx fx = VUART_FX_INIT;
	int err;

	spin_lock(&u->lock);
	err = u->model.ops->write(&u->model, offset, size, value, &fx);
	apply_irq(u, &fx);
	spin_unlock(&u->lock);
	apply_output(&fx);
	return err;
}

static const struct mmio_ops vuart_mmio_ops = {
	.read = vuart_mmio_read,
	.write = vuart_mmio_write,
};

/* Free entries in the console VM's receive FIFO: the console reads no
 * more than that from the host UART, and holds the rest there. */
static size_t console_room(void)
{
	struct vuart *u = vuart_of(atomic_load(&console_vm));
	size_t room;

	if (!u)
		return 0;
	spin_lock(&u->lock);
	room = u->model.rx.depth > u->model.rx.count ? u->model.rx.depth - u->model.rx.count : 0;
	spin_unlock(&u->lock);
	return room;
}

static void console_input(const char *buf, size_t len)
{
	struct vm *vm = atomic_load(&console_vm);

	if (vm)
		vuart_receive(vm, buf, len);
}

/*
 * The line number from the host UART's "interrupts" cells. Three cells are
 * the GIC binding <type number flags>: the line is the SPI number (a UART
 * is never a PPI). One or two cells (PLIC <source>, APLIC <source flags>)
 * start with the source number.
 */
static int host_irq_line(const struct plat_uart *host, uint32_t *line, const char **why)
{
	if (host->nr_irq_cells == 3) {
		if (host->irq[0] != 0) {
			*why = "the console UART's interrupt is not a shared peripheral interrupt";
			return -E_NOTSUP;
		}
		*line = host->irq[1];
		return 0;
	}
	if (host->nr_irq_cells == 1 || host->nr_irq_cells == 2) {
		*line = host->irq[0];
		return 0;
	}
	*why = "the console UART's interrupt specifier has an unknown format";
	return -E_NOTSUP;
}

int vuart_create(struct vm *vm, const struct plat_uart *host, const char **why)
{
	struct vuart *u;
	struct vuart_fx fx = VUART_FX_INIT;
	int err;

	if (vm->id >= VM_MAX_VMS) {
		*why = "the VM number is out of range for its UART";
		return -E_INVAL;
	}
	u = &vuarts[vm->id];
	*u = (struct vuart){ .lock = SPINLOCK_INIT };
	if (!host || host->kind == UART_NONE)
		return 0; /* no console UART on the host: none for the guest */

	if (host->nr_irq_cells) {
		err = host_irq_line(host, &u->line, why);
		if (err)
			return err;
		u->has_irq = true;
	}
	if (host->kind == UART_PL011) {
		u->model.ops = &vuart_pl011_ops;
		u->clock = host->clock ? host->clock : PL011_DEFAULT_CLOCK;
	} else if (host->kind == UART_NS16550) {
		if (host->reg_shift > 4 || (host->reg_io_width != 1 && host->reg_io_width != 4)) {
			*why = "the console UART's reg-shift or reg-io-width is not supported";
			return -E_NOTSUP;
		}
		u->model.ops = &vuart_ns16550_ops;
		u->model.reg_shift = host->reg_shift;
		u->model.window = MAX(host->size, (uint64_t)(VNS_SCR + 1) << host->reg_shift);
		u->clock = host->clock ? host->clock : NS16550_DEFAULT_CLOCK;
		u->reg_io_width = host->reg_io_width;
	} else {
		*why = "the console UART's model cannot be emulated for guests";
		return -E_NOTSUP;
	}
	u->model.ops->reset(&u->model, &fx);

	u->dev = (struct mmio_device){
		.name = u->model.ops->name,
		.base = host->base,
		.size = u->model.ops->size(&u->model),
		.ops = &vuart_mmio_ops,
		.priv = u,
	};
	err = mmio_register(&vm->mmio, &u->dev);
	if (err) {
		*why = "the UART's address range overlaps another emulated device";
		return err;
	}
	u->vm = vm;

	/* VM 0 owns the console. Input is connected once, for good: a reset
	 * VM keeps its UART (vuart_reset), and VMs are never destroyed. */
	if (vm->id == 0) {
		static bool rx_started;

		atomic_store(&console_vm, vm);
		if (!rx_started) {
			rx_started = true;
			console_rx_start(console_input, console_room); /* prints why when it cannot */
		}
	}
	return 0;
}

void vuart_reset(struct vm *vm)
{
	struct vuart *u = vuart_of(vm);
	struct vuart_fx fx = VUART_FX_INIT;

	if (!u)
		return;
	spin_lock(&u->lock);
	u->model.ops->reset(&u->model, &fx);
	apply_irq(u, &fx);
	spin_unlock(&u->lock);
}

void vuart_receive(struct vm *vm, const char *buf, size_t len)
{
	struct vuart *u = vuart_of(vm);
	struct vuart_fx fx = VUART_FX_INIT;

	if (!u || !len)
		return;
	spin_lock(&u->lock);
	u->model.ops->receive(&u->model, (const uint8_t *)buf, len, &fx);
	apply_irq(u, &fx);
	spin_unlock(&u->lock);
}

size_t vuart_take_input(struct vm *vm, uint8_t *buf, size_t len)
{
	struct vuart *u = vuart_of(vm);
	struct vuart_fx fx = VUART_FX_INIT;
	size_t n = 0;
	int c;

	if (!u || !len)
		return 0;
	spin_lock(&u->lock);
	while (n < len && (c = vuart_fifo_pop(&u->model.rx)) >= 0)
		buf[n++] = (uint8_t)c;
	/* Receiving nothing re-evaluates the interrupt for the emptier FIFO. */
	u->model.ops->receive(&u->model, NULL, 0, &fx);
	apply_irq(u, &fx);
	spin_unlock(&u->lock);
	if (n && vm == atomic_load(&console_vm))
		console_rx_resume();
	return n;
}

/* --- Guest device tree ---------------------------------------------------- */

static int fdt_err(int err)
{
	return err == -FDT_ERR_NOSPACE ? -E_NOMEM : -E_INVAL;
}

/* reg = <base size> in two 64-bit cells each (the guest root's layout). */
static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int prop_interrupts(void *fdt, const struct vuart *u)
{
	uint32_t cells[4];
	fdt32_t be[4];
	int n, err;

	if (!u->has_irq)
		return 0;
	n = arch_guest_dt_irq_cells(u->vm, u->line, cells, (int)ARRAY_SIZE(cells));
	if (n <= 0 || n > (int)ARRAY_SIZE(cells))
		return -FDT_ERR_BADVALUE;
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	err = fdt_property(fdt, "interrupts", be, (int)(n * sizeof(be[0])));
	if (!err)
		err = fdt_property_u32(fdt, "interrupt-parent", arch_guest_dt_intc_phandle(u->vm));
	return err;
}

/* The PL011's UARTCLK and APB clock, one fixed clock as on QEMU virt (the
 * amba bus needs "apb_pclk" before it reads the PrimeCell ID). */
static int pl011_clock_node(void *fdt, const struct vuart *u)
{
	int err = fdt_begin_node(fdt, "apb-pclk");

	if (!err)
		err = fdt_property_string(fdt, "compatible", "fixed-clock");
	if (!err)
		err = fdt_property_u32(fdt, "#clock-cells", 0);
	if (!err)
		err = fdt_property_u32(fdt, "clock-frequency", u->clock);
	if (!err)
		err = fdt_property_u32(fdt, "phandle", VUART_DT_CLOCK_PHANDLE);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

static int pl011_node(void *fdt, const struct vuart *u, const char *name)
{
	static const char compatible[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	fdt32_t clocks[2] = { cpu_to_fdt32(VUART_DT_CLOCK_PHANDLE),
			      cpu_to_fdt32(VUART_DT_CLOCK_PHANDLE) };
	int err = pl011_clock_node(fdt, u);

	if (!err)
		err = fdt_begin_node(fdt, name);
	if (!err)
		err = fdt_property(fdt, "compatible", compatible, sizeof(compatible));
	if (!err)
		err = prop_reg(fdt, u->dev.base, u->dev.size);
	if (!err)
		err = prop_interrupts(fdt, u);
	if (!err)
		err = fdt_property(fdt, "clocks", clocks, sizeof(clocks));
	if (!err)
		err = fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

static int ns16550_node(void *fdt, const struct vuart *u, const char *name)
{
	int err = fdt_begin_node(fdt, name);

	if (!err)
		err = fdt_property_string(fdt, "compatible", "ns16550a");
	if (!err)
		err = prop_reg(fdt, u->dev.base, u->dev.size);
	if (!err)
		err = prop_interrupts(fdt, u);
	if (!err)
		err = fdt_property_u32(fdt, "clock-frequency", u->clock);
	/* The layout the model decodes, as the host DT gave it. */
	if (!err && u->model.reg_shift)
		err = fdt_property_u32(fdt, "reg-shift", u->model.reg_shift);
	if (!err && u->reg_io_width != 1)
		err = fdt_property_u32(fdt, "reg-io-width", u->reg_io_width);
	if (!err)
		err = fdt_end_node(fdt);
	return err;
}

int vuart_dt_node(struct vm *vm, void *fdt, char *path, size_t path_size)
{
	const struct vuart *u = vuart_of(vm);
	bool pl011;
	char name[32];
	int n, err;

	if (!u)
		return -E_NOENT;
	pl011 = u->model.ops == &vuart_pl011_ops;
	tern_snprintf(name, sizeof(name), "%s@%llx", pl011 ? "pl011" : "serial",
		      (unsigned long long)u->dev.base);
	n = tern_snprintf(path, path_size, "/%s", name);
	if (n < 0 || (size_t)n >= path_size)
		return -E_RANGE;
	err = pl011 ? pl011_node(fdt, u, name) : ns16550_node(fdt, u, name);
	return err ? fdt_err(err) : 0;
}
