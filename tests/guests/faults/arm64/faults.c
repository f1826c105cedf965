/*
 * What a guest gets for touching what does not exist: a read or write of an
 * address no device or RAM backs comes back as a synchronous external data
 * abort, and an access to a system register the CPU does not implement as
 * UNDEFINED. Natively QEMU answers both; under tern, tern must give the
 * same architected answers and keep running.
 */
#include <guest.h>

#define EC_UNKNOWN 0x00
#define EC_DABT_CUR 0x25
#define DFSC(esr) ((esr) & 0x3f)
#define DFSC_SEA 0x10 /* synchronous external abort, not on a table walk */
#define ESR_WNR (1ul << 6)

/* A hole in QEMU virt's memory map (between virtio-mmio and the platform
 * bus), and outside anything tern gives a guest. */
#define UNBACKED_IPA 0x0b000000ul

static void check_abort(const char *what, bool write)
{
	volatile uint32_t *p = (volatile uint32_t *)UNBACKED_IPA;
	struct exception_record r;

	expect_exception();
	if (write)
		*p = 0x5a5a5a5a;
	else
		(void)*p;
	r = exception_result();
	report(r.seen, "%s of an unbacked address traps", what);
	report(r.seen && r.cause == EC_DABT_CUR, "%s: it is a data abort (EC %#lx)", what,
	       r.cause);
	report(r.seen && DFSC(r.syndrome) == DFSC_SEA,
	       "%s: a synchronous external abort (DFSC %#lx)", what, DFSC(r.syndrome));
	report(r.seen && !!(r.syndrome & ESR_WNR) == write, "%s: WnR says %s", what,
	       write ? "write" : "read");
}

/* A read and a write of system register enc (an encoding, as MRS/MSR
 * spell it) must each be UNDEFINED; what names it in the reports. */
#define CHECK_UNDEFINED_SYSREG(enc, what)                                                      \
	do {                                                                                   \
		struct exception_record r;                                                     \
		unsigned long v = 0;                                                           \
                                                                                               \
		expect_exception();                                                            \
		__asm__ volatile("mrs %0, " enc : "=r"(v));                                    \
		r = exception_result();                                                        \
		report(r.seen && r.cause == EC_UNKNOWN, "read of " what " is UNDEFINED (EC %#lx)", \
		       r.cause);                                                               \
		expect_exception();                                                            \
		__asm__ volatile("msr " enc ", %0" : : "r"(v));                                \
		r = exception_result();                                                        \
		report(r.seen && r.cause == EC_UNKNOWN, "write of " what " is UNDEFINED (EC %#lx)", \
		       r.cause);                                                               \
	} while (0)

static void check_undefined_sysreg(void)
{
	/* An IMPLEMENTATION DEFINED encoding no CPU model here implements. */
	CHECK_UNDEFINED_SYSREG("S3_0_C15_C9_7", "an unimplemented system register");
}

/*
 * A trace-unit register (TRCPRGCTLR, S2_1_C0_C1_0): the guest is given no
 * trace unit (ID_AA64DFR0_EL1.TraceVer), so it is UNDEFINED; natively QEMU
 * implements none either. Under tern it traps (CPTR_EL2.TTA) into the debug
 * space, whose lazy switch must not take it, or it would re-trap forever.
 */
static void check_trace_sysreg(void)
{
	CHECK_UNDEFINED_SYSREG("S2_1_C0_C1_0", "a trace-unit register");
}

int main(int argc, char **argv)
{
	report_prefix_push("faults");
	check_abort("read", false);
	check_abort("write", true);
	check_undefined_sysreg();
	check_trace_sysreg();
	/* Still here, and the console still works: nothing above stopped us. */
	report(true, "the guest keeps running after every fault");
	report_prefix_pop();
	return 0;
}
