/*
 * Interrupt plumbing of the arch contract for guests: device lines of a VM
 * into its vGIC, and host device interrupts (the console UART's input) to
 * handlers in core.
 */
#include <arch/vgic.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/spinlock.h>

/* A device line is an SPI number, as in the guest DT (guest_dt.c): INTID
 * 32 + line. */
#define SPI_BASE 32

void arch_vm_set_irq(struct vm *vm, uint32_t line, bool level)
{
	vgic_set_level(vm, NULL, SPI_BASE + line, level);
}

/* core's handlers take only a context; the GIC's also get the INTID and
 * say whether they deactivated it. A few host devices at most have one. */
#define HOST_IRQS_MAX 8

struct host_irq {
	void (*handler)(void *ctx);
	void *ctx;
};

static struct host_irq host_irqs[HOST_IRQS_MAX];
static unsigned int nr_host_irqs;
static spinlock_t host_irqs_lock = SPINLOCK_INIT;

static bool host_irq_call(uint32_t intid, void *p)
{
	struct host_irq *h = p;

	h->handler(h->ctx);
	return false; /* let the GIC driver deactivate it */
}

int arch_host_irq_request(const uint32_t *dt_cells, int n, void (*handler)(void *ctx),
			  void *ctx)
{
	struct host_irq *h;
	uint32_t intid;
	int err = gic_dt_to_intid(dt_cells, n, &intid);

	if (err)
		return err;
	spin_lock(&host_irqs_lock);
	if (nr_host_irqs == HOST_IRQS_MAX) {
		spin_unlock(&host_irqs_lock);
		return -E_NOMEM;
	}
	h = &host_irqs[nr_host_irqs++];
	h->handler = handler;
	h->ctx = ctx;
	spin_unlock(&host_irqs_lock);
	return gic_request_irq(intid, host_irq_call, h);
}
