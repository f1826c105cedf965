/*
 * The host PLIC, and the interrupt plumbing of the arch contract on
 * RISC-V: tern takes the few host interrupts it needs (the console UART's
 * input) on its S-mode context of the boot hart, claims them when SEIP is
 * pending (on a guest exit or in the idle loop) and calls core's handler.
 *
 * The device tree says which context belongs to which hart and mode: the
 * PLIC's interrupts-extended lists <cpu-intc-phandle irq> pairs, one per
 * context, irq 9 being S-mode external and 11 M-mode external.
 */
#include <libfdt.h>
#include <arch/guest.h>
#include <arch/sbi.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/spinlock.h>

#define PLIC_PRIORITY(src) (4u * (src))
#define PLIC_ENABLE(ctx, src) (0x2000u + 0x80u * (ctx) + 4u * ((src) / 32))
#define PLIC_THRESHOLD(ctx) (0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx) (0x200004u + 0x1000u * (ctx))
#define IRQ_S_EXT_CELL 9
#define HOST_IRQS_MAX 8

static uintptr_t plic_base;
/* S-mode context of each hart id (below PLAT_MAX_CPUS), -1 if none: by
 * hart id, since secondary CPUs are not numbered yet when this is read. */
static int ctx_of_hart[PLAT_MAX_CPUS];

static int this_ctx(void)
{
	uint64_t hart = this_cpu()->hwid;

	return hart < PLAT_MAX_CPUS ? ctx_of_hart[hart] : -1;
}

struct host_irq {
	uint32_t source;
	void (*handler)(void *ctx);
	void *ctx;
};

static struct host_irq host_irqs[HOST_IRQS_MAX];
static unsigned int nr_host_irqs;
static spinlock_t host_irqs_lock = SPINLOCK_INIT;

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(plic_base + off);
}

/* The hart id of the CPU whose interrupt controller has this phandle. */
static int hart_of_intc(const void *fdt, uint32_t phandle, uint64_t *hart)
{
	int intc = fdt_node_offset_by_phandle(fdt, phandle);
	int cpu = intc >= 0 ? fdt_parent_offset(fdt, intc) : intc;
	const fdt32_t *r;
	int len;

	if (cpu < 0)
		return -E_NOENT;
	r = fdt_getprop(fdt, cpu, "reg", &len);
	if (!r || len < 4)
		return -E_NOENT;
	*hart = fdt32_to_cpu(r[len / 4 - 1]);
	return 0;
}

int arch_irq_init(const struct platform *p, const char **why)
{
	const fdt32_t *ie;
	int node, len;

	for (unsigned int i = 0; i < PLAT_MAX_CPUS; i++)
		ctx_of_hart[i] = -1;
	if (p->intc.kind != INTC_PLIC || !p->intc.nr_regs)
		return 0; /* no PLIC: no host interrupts (the console is output only) */
	node = fdt_node_offset_by_compatible(p->fdt, -1, "riscv,plic0");
	if (node < 0)
		node = fdt_node_offset_by_compatible(p->fdt, -1, "sifive,plic-1.0.0");
	ie = node >= 0 ? fdt_getprop(p->fdt, node, "interrupts-extended", &len) : NULL;
	if (!ie) {
		*why = "the PLIC has no interrupts-extended property";
		return -E_INVAL;
	}
	plic_base = (uintptr_t)p->intc.regs[0].base;
	for (int ctx = 0; ctx < len / 8; ctx++) {
		uint64_t hart;

		if (fdt32_to_cpu(ie[2 * ctx + 1]) != IRQ_S_EXT_CELL ||
		    hart_of_intc(p->fdt, fdt32_to_cpu(ie[2 * ctx]), &hart))
			continue;
		if (hart < PLAT_MAX_CPUS)
			ctx_of_hart[hart] = ctx;
	}
	return 0;
}

void arch_irq_cpu_init(void)
{
	int ctx = this_ctx();

	if (!plic_base || ctx < 0)
		return;
	/* Whatever firmware enabled is not tern's: start from nothing. */
	for (uint32_t w = 0; w < 32; w++)
		*reg(PLIC_ENABLE(ctx, 32 * w)) = 0;
	*reg(PLIC_THRESHOLD(ctx)) = 0;
}

int arch_host_irq_request(const uint32_t *cells, int n, void (*handler)(void *ctx), void *ctx)
{
	int c = this_ctx();
	struct host_irq *h;
	uint32_t src;

	if (!plic_base || c < 0)
		return -E_NOTSUP;
	if (n < 1 || cells[0] == 0 || cells[0] >= 1024)
		return -E_INVAL;
	src = cells[0];
	spin_lock(&host_irqs_lock);
	if (nr_host_irqs == HOST_IRQS_MAX) {
		spin_unlock(&host_irqs_lock);
		return -E_NOMEM;
	}
	h = &host_irqs[nr_host_irqs++];
	h->source = src;
	h->handler = handler;
	h->ctx = ctx;
	spin_unlock(&host_irqs_lock);
	*reg(PLIC_PRIORITY(src)) = 1;
	*reg(PLIC_ENABLE(c, src)) |= 1u << (src % 32);
	return 0;
}

/* Claim and handle every interrupt pending for this hart's context. */
void riscv_plic_handle(void)
{
	int c = this_ctx();
	uint32_t src;

	if (!plic_base || c < 0)
		return;
	while ((src = *reg(PLIC_CLAIM(c))) != 0) {
		for (unsigned int i = 0; i < nr_host_irqs; i++)
			if (host_irqs[i].source == src)
				host_irqs[i].handler(host_irqs[i].ctx);
		*reg(PLIC_CLAIM(c)) = src;
	}
}

void riscv_kick_hart(uint64_t hartid)
{
	sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, hartid, 0);
}

void arch_kick_cpu(struct pcpu *target)
{
	riscv_kick_hart(target->hwid);
}
