/*
 * The C side of the EL2 vectors for tern's own code: interrupts, and the
 * dump of a trap nobody expected. Guest exits do not come here: the
 * lower-EL vectors return them to the vCPU run loop (exit.c).
 */
#include <stdatomic.h>
#include <generated/config.h>
#include <arch/esr.h>
#include <arch/sysreg.h>
#include <arch/trap.h>
#include <arch/vgic.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/printk.h>

typedef enum trap_action (*trap_handler_fn)(struct trap_frame *f, unsigned int vector);

/*
 * Handlers of synchronous traps and SErrors taken at EL2 by ESR_EL2.EC. An
 * empty slot means "unexpected": dump and stop this CPU. All slots are
 * empty: nothing tern does itself is meant to trap.
 */
static const trap_handler_fn ec_handlers[ESR_EC_COUNT] = { NULL };

/*
 * One CPU's dump at a time, so two CPUs' lines do not interleave. The
 * holder may itself be dead (a fault inside the dump stops it quietly), so
 * waiting is bounded by a second of counter time; then print anyway.
 */
static atomic_flag dump_lock = ATOMIC_FLAG_INIT;

static bool dump_lock_take(void)
{
	uint64_t start = read_sysreg(cntpct_el0), second = read_sysreg(cntfrq_el0);

	while (atomic_flag_test_and_set_explicit(&dump_lock, memory_order_acquire)) {
		if (read_sysreg(cntpct_el0) - start > second)
			return false;
		arch_cpu_relax();
	}
	return true;
}

static void dump_lock_release(void)
{
	atomic_flag_clear_explicit(&dump_lock, memory_order_release);
	arch_cpu_wake_all();
}

static void dump_registers(const struct trap_frame *f)
{
	unsigned int i;

	for (i = 0; i + 3 < 31; i += 4)
		printk(LOG_ERR, "  x%-2u %016lx  x%-2u %016lx  x%-2u %016lx  x%-2u %016lx\n", i,
		       (unsigned long)f->x[i], i + 1, (unsigned long)f->x[i + 1], i + 2,
		       (unsigned long)f->x[i + 2], i + 3, (unsigned long)f->x[i + 3]);
	printk(LOG_ERR, "  x28 %016lx  x29 %016lx  x30 %016lx  sp  %016lx\n",
	       (unsigned long)f->x[28], (unsigned long)f->x[29], (unsigned long)f->x[30],
	       (unsigned long)f->sp);
}

static noreturn void trap_unexpected(struct trap_frame *f, unsigned int vector)
{
	struct pcpu *cpu = arch_this_cpu();
	bool overflow = vector & TRAP_STACK_OVERFLOW;
	enum trap_kind kind;
	unsigned int ec = ESR_EC(f->esr);
	bool locked;
	char buf[160];

	/* A fault while dumping would re-enter here forever: stop quietly. */
	if (cpu->arch.trap_depth++)
		arch_cpu_halt();
	locked = dump_lock_take();

	vector &= TRAP_VECTORS - 1;
	kind = TRAP_KIND(vector);
	printk(LOG_ERR, "*** Unexpected trap on CPU %u: %s (vector %u)\n", cpu->id,
	       trap_vector_name(vector), vector);
	if (overflow)
		printk(LOG_ERR, "  Stack overflow: SP %016lx is below this CPU's stack limit "
		       "%016lx; dumping on the emergency stack\n",
		       (unsigned long)f->sp, (unsigned long)cpu->arch.stack_limit);
	/* ESR and FAR describe synchronous exceptions and SErrors only. */
	if (kind == TRAP_SYNC || kind == TRAP_SERROR) {
		esr_describe_iss(buf, sizeof(buf), f->esr);
		printk(LOG_ERR, "  EC  0x%02x  %s\n", ec, esr_ec_name(ec));
		printk(LOG_ERR, "  ESR %016lx  IL %s, %s\n", (unsigned long)f->esr,
		       (f->esr & ESR_IL) ? "32-bit" : "16-bit", buf);
		printk(LOG_ERR, "  FAR %016lx\n", (unsigned long)f->far);
	}
	spsr_describe(buf, sizeof(buf), f->spsr);
	printk(LOG_ERR, "  ELR %016lx\n", (unsigned long)f->elr);
	printk(LOG_ERR, "  SPSR %016lx  %s\n", (unsigned long)f->spsr, buf);
	dump_registers(f);
	if (TRAP_GROUP(vector) != TRAP_FROM_EL2H)
		printk(LOG_ERR, "  SP_EL0 %016lx  SP_EL1 %016lx\n",
		       (unsigned long)read_sysreg(sp_el0), (unsigned long)read_sysreg(sp_el1));
	/* The trapping instruction is frame #0, then its callers (only tern's
	 * own: a lower EL's frame pointer is a guest address). */
	if (TRAP_GROUP(vector) == TRAP_FROM_EL2H || TRAP_GROUP(vector) == TRAP_FROM_EL2T)
		arm64_print_backtrace(f->elr, f->x[29]);
	printk(LOG_ERR, "*** CPU %u stopped\n", cpu->id);
	if (locked)
		dump_lock_release();
	arch_cpu_halt();
}

void arm64_trap_entry(struct trap_frame *f, unsigned int vector)
{
	enum trap_kind kind = TRAP_KIND(vector);
	trap_handler_fn handler = NULL;

#if CONFIG_ARCH_HAS_GUESTS
	/* tern keeps interrupts masked at EL2 and takes them where it waits
	 * (arch_idle) or as guest exits; should anything unmask them, they
	 * are handled the same way. */
	if (!(vector & TRAP_STACK_OVERFLOW) && TRAP_GROUP(vector) == TRAP_FROM_EL2H &&
	    (kind == TRAP_IRQ || kind == TRAP_FIQ)) {
		gic_handle_irqs();
		return;
	}
#endif

	/* After a stack overflow nothing may return to the broken stack. */
	if (!(vector & TRAP_STACK_OVERFLOW) && (kind == TRAP_SYNC || kind == TRAP_SERROR))
		handler = ec_handlers[ESR_EC(f->esr)];
	if (!handler)
		trap_unexpected(f, vector);

	switch (handler(f, vector)) {
	case TRAP_SKIP:
		/* IL says whether the trapping instruction was 16 or 32 bits. */
		f->elr += (f->esr & ESR_IL) ? 4 : 2;
		break;
	case TRAP_RESUME:
		break;
	}
}
