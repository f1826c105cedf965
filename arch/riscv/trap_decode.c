/*
 * Names for scause values and the fields of sstatus/hstatus, for the trap
 * dump. No inline assembly and only <tern/...> headers: unit-tested on the
 * host.
 */
#include <stdarg.h>
#include <tern/compiler.h>
#include <tern/printk.h>
#include <tern/types.h>
#include "include/arch/trap_decode.h"

/* The privileged spec's exception codes, with the H extension's (20-23)
 * and the 2024 additions (18, 19). Gaps are reserved. */
static const char *const exception_names[RISCV_NR_EXCEPTIONS] = {
	[EXC_INSN_MISALIGNED] = "Instruction address misaligned",
	[EXC_INSN_ACCESS] = "Instruction access fault",
	[EXC_ILLEGAL_INSN] = "Illegal instruction",
	[EXC_BREAKPOINT] = "Breakpoint",
	[EXC_LOAD_MISALIGNED] = "Load address misaligned",
	[EXC_LOAD_ACCESS] = "Load access fault",
	[EXC_STORE_MISALIGNED] = "Store/AMO address misaligned",
	[EXC_STORE_ACCESS] = "Store/AMO access fault",
	[EXC_ECALL_U] = "Environment call from U-mode or VU-mode",
	[EXC_ECALL_HS] = "Environment call from HS-mode",
	[EXC_ECALL_VS] = "Environment call from VS-mode",
	[EXC_ECALL_M] = "Environment call from M-mode",
	[EXC_INSN_PAGE] = "Instruction page fault",
	[EXC_LOAD_PAGE] = "Load page fault",
	[EXC_STORE_PAGE] = "Store/AMO page fault",
	[EXC_SOFTWARE_CHECK] = "Software check",
	[EXC_HARDWARE_ERROR] = "Hardware error",
	[EXC_INSN_GUEST_PAGE] = "Instruction guest-page fault",
	[EXC_LOAD_GUEST_PAGE] = "Load guest-page fault",
	[EXC_VIRTUAL_INSN] = "Virtual instruction",
	[EXC_STORE_GUEST_PAGE] = "Store/AMO guest-page fault",
};

static const char *const interrupt_names[RISCV_NR_INTERRUPTS] = {
	[IRQ_S_SOFT] = "Supervisor software interrupt",
	[IRQ_VS_SOFT] = "Virtual supervisor software interrupt",
	[IRQ_M_SOFT] = "Machine software interrupt",
	[IRQ_S_TIMER] = "Supervisor timer interrupt",
	[IRQ_VS_TIMER] = "Virtual supervisor timer interrupt",
	[IRQ_M_TIMER] = "Machine timer interrupt",
	[IRQ_S_EXT] = "Supervisor external interrupt",
	[IRQ_VS_EXT] = "Virtual supervisor external interrupt",
	[IRQ_M_EXT] = "Machine external interrupt",
	[IRQ_S_GEXT] = "Supervisor guest external interrupt",
	[IRQ_COUNTER_OVERFLOW] = "Counter-overflow interrupt",
};

const char *riscv_exception_name(uint64_t code)
{
	return code < ARRAY_SIZE(exception_names) ? exception_names[code] : NULL;
}

const char *riscv_interrupt_name(uint64_t code)
{
	return code < ARRAY_SIZE(interrupt_names) ? interrupt_names[code] : NULL;
}

const char *riscv_cause_name(uint64_t scause, char *buf, size_t size)
{
	bool irq = scause & RISCV_SCAUSE_INTERRUPT;
	uint64_t code = scause & ~RISCV_SCAUSE_INTERRUPT;
	const char *name = irq ? riscv_interrupt_name(code) : riscv_exception_name(code);
	const char *kind;

	if (name)
		return name;
	/* Custom ranges: exceptions 24-31 and 48-63, interrupts 16 and up. */
	if (irq)
		kind = code >= 16 ? "Platform or custom interrupt" : "Reserved interrupt";
	else if ((code >= 24 && code <= 31) || (code >= 48 && code <= 63))
		kind = "Custom exception";
	else
		kind = "Reserved exception";
	tern_snprintf(buf, size, "%s %lu", kind, (unsigned long)code);
	return buf;
}

bool riscv_cause_is_guest_page_fault(uint64_t scause)
{
	return scause == EXC_INSN_GUEST_PAGE || scause == EXC_LOAD_GUEST_PAGE ||
	       scause == EXC_STORE_GUEST_PAGE;
}

const char *const riscv_reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
	"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
	"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/* A CSR field: one bit is printed by name when set, a wider field as
 * NAME=value when not zero. */
struct csr_field {
	const char *name;
	unsigned int shift;
	unsigned int width;
};

static const struct csr_field sstatus_fields[] = {
	{ "SIE", 1, 1 },  { "SPIE", 5, 1 }, { "UBE", 6, 1 },  { "SPP", 8, 1 },
	{ "VS", 9, 2 },   { "FS", 13, 2 },  { "XS", 15, 2 },  { "SUM", 18, 1 },
	{ "MXR", 19, 1 }, { "UXL", 32, 2 }, { "SD", 63, 1 },
};

static const struct csr_field hstatus_fields[] = {
	{ "VSBE", 5, 1 }, { "GVA", 6, 1 },    { "SPV", 7, 1 },   { "SPVP", 8, 1 },
	{ "HU", 9, 1 },   { "VGEIN", 12, 6 }, { "VTVM", 20, 1 }, { "VTW", 21, 1 },
	{ "VTSR", 22, 1 }, { "VSXL", 32, 2 },
};

/* Append to buf, truncating silently; *len stays the length of buf's text. */
static void __printf(4, 5) append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= size)
		return;
	va_start(ap, fmt);
	n = tern_vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = MIN(*len + (size_t)n, size - 1);
}

static size_t format_fields(char *buf, size_t size, uint64_t v, const struct csr_field *f,
			    size_t n)
{
	size_t len = 0;
	const char *sep = "";

	if (!size)
		return 0;
	buf[0] = '\0';
	append(buf, size, &len, "[");
	for (size_t i = 0; i < n; i++) {
		uint64_t val = (v >> f[i].shift) & ((1ULL << f[i].width) - 1);

		if (!val)
			continue;
		if (f[i].width == 1)
			append(buf, size, &len, "%s%s", sep, f[i].name);
		else
			append(buf, size, &len, "%s%s=%lu", sep, f[i].name, (unsigned long)val);
		sep = " ";
	}
	append(buf, size, &len, "]");
	return len;
}

size_t riscv_format_sstatus(char *buf, size_t size, uint64_t sstatus)
{
	return format_fields(buf, size, sstatus, sstatus_fields, ARRAY_SIZE(sstatus_fields));
}

size_t riscv_format_hstatus(char *buf, size_t size, uint64_t hstatus)
{
	return format_fields(buf, size, hstatus, hstatus_fields, ARRAY_SIZE(hstatus_fields));
}
