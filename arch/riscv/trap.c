/*
 * Traps taken by tern itself in HS-mode. riscv_trap_vector saves a frame
 * and calls riscv_trap_handler, which picks a handler from a const table
 * indexed by scause (exceptions and interrupts in separate tables). Until
 * tern runs guests nothing is expected here except the CSR probes of
 * arch_cpu_init; everything else prints a decoded dump and stops the hart.
 */
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/printk.h>
#include <arch/csr.h>
#include <arch/guest.h>
#include <arch/trap.h>
#include <arch/trap_decode.h>
#include <arch/unwind.h>

enum trap_action {
	TRAP_RESUME,     /* return to sepc (as possibly changed by the handler) */
	TRAP_UNEXPECTED, /* tern does not handle this: dump and stop the hart */
};

typedef enum trap_action (*trap_handler_t)(struct trap_frame *f);

/* tp is only trusted if it points at one of pcpus[]. */
static struct pcpu *trusted_this_cpu(void)
{
	uintptr_t cpu = (uintptr_t)arch_this_cpu();
	uintptr_t base = (uintptr_t)pcpus;

	if (cpu < base || cpu >= base + sizeof(pcpus) || (cpu - base) % sizeof(pcpus[0]))
		return NULL;
	return (struct pcpu *)cpu;
}

/* A CSR probe (csr_read_probe) faulted: skip the 4-byte csrr. */
static enum trap_action illegal_instruction(struct trap_frame *f)
{
	struct pcpu *cpu = trusted_this_cpu();

	if (!cpu || !cpu->arch.csr_probe)
		return TRAP_UNEXPECTED;
	cpu->arch.csr_probe_faulted = true;
	f->sepc += 4;
	return TRAP_RESUME;
}

/* A guest-memory read (guest_mem.c) faulted: skip the 4-byte HLV. */
static enum trap_action guest_access_fault(struct trap_frame *f)
{
	uint64_t gpa = f->scause == EXC_LOAD_GUEST_PAGE ? (f->htval << 2) | (f->stval & 3) : ~0ULL;

	if (!trusted_this_cpu() || !riscv_guest_access_fault(gpa))
		return TRAP_UNEXPECTED;
	f->sepc += 4;
	return TRAP_RESUME;
}

/* A NULL entry is a trap tern does not expect. */
static const trap_handler_t exception_handlers[RISCV_NR_EXCEPTIONS] = {
	[EXC_ILLEGAL_INSN] = illegal_instruction,
	[EXC_LOAD_ACCESS] = guest_access_fault,
	[EXC_LOAD_PAGE] = guest_access_fault,
	[EXC_LOAD_GUEST_PAGE] = guest_access_fault,
	[EXC_LOAD_MISALIGNED] = guest_access_fault,
};

/* Interrupts stay masked (sie = 0) until tern has drivers for them: none
 * is expected yet. */
static const trap_handler_t interrupt_handlers[RISCV_NR_INTERRUPTS];

/* Enough for the dump (printk formats a 256-byte line on the stack). */
#define EMERGENCY_STACK_SIZE 4096
static uint8_t emergency_stacks[NR_CPUS][EMERGENCY_STACK_SIZE] __aligned(16);

uintptr_t riscv_emergency_stack_top(unsigned int id)
{
	return (uintptr_t)emergency_stacks[id] + EMERGENCY_STACK_SIZE;
}

/* Nesting depth when tp cannot be trusted (no struct pcpu to keep it in). */
static unsigned int orphan_trap_depth;

struct pcpu *riscv_csr_probe_begin(void)
{
	struct pcpu *cpu = arch_this_cpu();

	cpu->arch.csr_probe_faulted = false;
	cpu->arch.csr_probe = true;
	return cpu;
}

unsigned long riscv_csr_probe_end(struct pcpu *cpu, unsigned long val, bool *ok)
{
	bool faulted = cpu->arch.csr_probe_faulted;

	cpu->arch.csr_probe = false;
	*ok = !faulted;
	return faulted ? 0 : val;
}

static void dump_registers(const struct trap_frame *f)
{
	for (unsigned int i = 0; i < 32; i += 4)
		printk(LOG_ERR, " %4s 0x%016lx %4s 0x%016lx %4s 0x%016lx %4s 0x%016lx\n",
		       riscv_reg_names[i], (unsigned long)f->regs[i], riscv_reg_names[i + 1],
		       (unsigned long)f->regs[i + 1], riscv_reg_names[i + 2],
		       (unsigned long)f->regs[i + 2], riscv_reg_names[i + 3],
		       (unsigned long)f->regs[i + 3]);
}

static void dump_trap(const struct trap_frame *f, const struct pcpu *cpu)
{
	char name_buf[48], fields[96];
	const char *name = riscv_cause_name(f->scause, name_buf, sizeof(name_buf));

	if (cpu)
		printk(LOG_ERR, "Unexpected trap in HS-mode on CPU %u (hart %lu): %s\n", cpu->id,
		       (unsigned long)cpu->hwid, name);
	else
		printk(LOG_ERR, "Unexpected trap in HS-mode (tp 0x%016lx is no CPU): %s\n",
		       (unsigned long)f->regs[4], name);
	printk(LOG_ERR, " scause  0x%016lx  sepc  0x%016lx  stval  0x%016lx\n",
	       (unsigned long)f->scause, (unsigned long)f->sepc, (unsigned long)f->stval);
	riscv_format_sstatus(fields, sizeof(fields), f->sstatus);
	printk(LOG_ERR, " sstatus 0x%016lx %s\n", (unsigned long)f->sstatus, fields);
	if (cpu && cpu->arch.has_h) {
		riscv_format_hstatus(fields, sizeof(fields), f->hstatus);
		printk(LOG_ERR, " hstatus 0x%016lx %s\n", (unsigned long)f->hstatus, fields);
		/* htval holds the guest physical address, shifted right by 2,
		 * only for guest-page faults. */
		printk(LOG_ERR, " htval   0x%016lx%s  htinst 0x%016lx\n", (unsigned long)f->htval,
		       riscv_cause_is_guest_page_fault(f->scause) ? " (GPA >> 2)" : "",
		       (unsigned long)f->htinst);
	}
	dump_registers(f);
	riscv_print_backtrace_from(f->sepc, f->regs[8], f->regs[1]);
}

void riscv_trap_handler(struct trap_frame *f)
{
	struct pcpu *cpu = trusted_this_cpu();
	bool irq = f->scause & SCAUSE_INTERRUPT;
	uint64_t code = f->scause & ~SCAUSE_INTERRUPT;
	unsigned int *depth = cpu ? &cpu->arch.trap_depth : &orphan_trap_depth;
	trap_handler_t handler = NULL;
	enum trap_action action;

	if (cpu && cpu->arch.has_h) {
		f->hstatus = csr_read(hstatus);
		f->htval = csr_read(htval);
		f->htinst = csr_read(htinst);
	}

	if (++*depth > 2) {
		/* Faulting while dumping a fault: printing again would only
		 * recurse. */
		arch_cpu_halt();
	}

	if (irq && code < RISCV_NR_INTERRUPTS)
		handler = interrupt_handlers[code];
	else if (!irq && code < RISCV_NR_EXCEPTIONS)
		handler = exception_handlers[code];
	action = handler ? handler(f) : TRAP_UNEXPECTED;

	if (action == TRAP_UNEXPECTED) {
		if (*depth > 1)
			printk(LOG_ERR, "Trap while handling a trap:\n");
		dump_trap(f, cpu);
		if (cpu)
			printk(LOG_ERR, "tern: CPU %u stopped\n", cpu->id);
		else
			printk(LOG_ERR, "tern: this CPU stopped\n");
		arch_cpu_halt();
	}
	--*depth;
}
