/*
 * selftest: checks the guest runtime itself and the firmware interface it
 * runs on (PSCI on arm64, SBI on RISC-V; selftest/<arch>/), with the exact
 * values the specifications require. Run natively first, against QEMU's
 * PSCI and OpenSBI, so the expectations are known good before they are held
 * against tern.
 */
#include <guest.h>
#include <string.h>

#include "selftest.h"

/* The runtime found its DTB, console and CPUs, and C data is relocated: a
 * pointer in initialized data holds the string's run-time address (volatile
 * so the compiler cannot answer from the initializer). */
static const char *volatile relocated = "relocated";

static void check_runtime(void)
{
	report_prefix_push("runtime");
	report(guest_fdt() != NULL, "booted with a DTB");
	report(cpu_count() >= 1, "DT lists %d CPU(s)", cpu_count());
	report(boot_cpu() >= 0 && cpu_hwid(boot_cpu()) == this_cpu_hwid(),
	       "boot CPU 0x%lx found in /cpus", this_cpu_hwid());
	report(relocated[0] == 'r' && relocated[8] == 'd' && relocated[9] == '\0',
	       "data relocated for the load address");
	report(timer_freq() != 0, "timer runs at %llu Hz", (unsigned long long)timer_freq());
	report_prefix_pop();
}

/* An undefined instruction must reach the handler with the right cause
 * and the test must carry on right after it. */
static void check_exceptions(void)
{
	struct exception_record rec;
	uintptr_t insn;

	report_prefix_push("exceptions");
	expect_exception();
	insn = exec_undefined_insn();
	rec = exception_result();
	report(rec.seen, "undefined instruction trapped");
	report(rec.seen && rec.cause == EXC_CAUSE_UNDEF,
	       "cause is 0x%lx (expected 0x%lx)", rec.cause, (unsigned long)EXC_CAUSE_UNDEF);
	report(rec.seen && rec.pc == insn, "reported at the instruction (0x%lx)",
	       (unsigned long)rec.pc);
	report_prefix_pop();
}

/*
 * "crash" on the command line: an exception nobody expects must end the test
 * as a failure, with a SUMMARY and a power-off rather than a hang. The e2e
 * manifest runs this too and expects exactly that failure.
 */
static void crash(void)
{
	report_info("executing an undefined instruction nobody expects");
	exec_undefined_insn();
	report(false, "survived an unexpected exception");
}

int main(int argc, char **argv)
{
	report_info("selftest on %d CPU(s), booted on 0x%lx", cpu_count(), this_cpu_hwid());
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "crash"))
			crash();
	}
	check_runtime();
	check_exceptions();
	check_firmware();
	return 0;
}
