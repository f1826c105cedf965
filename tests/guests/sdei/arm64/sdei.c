/*
 * SDEI as a guest of tern sees it: every function, return code and state
 * transition docs/guest-abi/sdei.md lists, checked against that document
 * and Arm DEN0054 (SDEI 1.1), and the delivery of event 0 with the exact
 * register state the handler gets and the interrupted context gets back.
 *
 * Natively (QEMU's own PSCI at EL2's place) there is no SDEI: no
 * /firmware/sdei in the DT and SDEI_VERSION answers NOT_SUPPORTED; that is
 * checked and the rest skipped. Under tern the DT names SDEI and every
 * check runs.
 *
 * Handlers never print (the interrupted code may hold the console lock):
 * sdei_handler() records what it saw, and the test reports afterwards.
 */
#include "sdei_guest.h"

/* --- Checks: other vCPUs -------------------------------------------------- */

/* The second CPU's side, in steps CPU 0 drives: CPU 0 sets phase, the
 * second CPU answers through ack after it has done its part. */
static struct {
	int phase, ack;
	long status_fresh, mask_fresh, status_apf_fresh;
	long reg, en, unmask;
	unsigned int runs_masked, runs_unmasked;
} c1;

static void c1_ack(int step)
{
	__atomic_store_n(&c1.ack, step, __ATOMIC_RELEASE);
	cpu_wake_all();
}

static bool c1_phase(int step)
{
	return wait_until(__atomic_load_n(&c1.phase, __ATOMIC_ACQUIRE) >= step, 5000);
}

static void c0_phase(int step)
{
	__atomic_store_n(&c1.phase, step, __ATOMIC_RELEASE);
	cpu_wake_all();
}

static bool c0_wait_ack(int step)
{
	return wait_until(__atomic_load_n(&c1.ack, __ATOMIC_ACQUIRE) >= step, 5000);
}

static void second_cpu_main(void *arg)
{
	c1.status_fresh = ev_status(EV_SOFTWARE);
	c1.status_apf_fresh = ev_status(EV_ASYNC_PF);
	c1.mask_fresh = sdei0(FN_PE_MASK);
	c1_ack(1);
	if (!c1_phase(1))
		return;
	c1.reg = register_ctl(EV_SOFTWARE, &ctl1);
	c1.en = sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0);
	c1_ack(2);
	if (!c1_phase(2))
		return;
	c1.runs_masked = handled(&ctl1);
	c1.unmask = sdei0(FN_PE_UNMASK);
	c1.runs_unmasked = handled(&ctl1);
	c1_ack(3);
	/* Blocked in WFI (every exception masked): tern must wake the vCPU
	 * for the event. */
	while (handled(&ctl1) < 3 && __atomic_load_n(&c1.phase, __ATOMIC_ACQUIRE) < 4)
		__asm__ volatile("wfi" ::: "memory");
	c1_ack(4);
	/* Running guest code (a WFE loop that the event stream keeps going,
	 * untrapped on a CPU of its own): tern must make it leave the guest
	 * to deliver. */
	(void)wait_until(handled(&ctl1) >= 4, 5000);
	c1_ack(5);
	/* Returning powers this CPU off with event 0 registered, enabled and
	 * unmasked: CPU_ON must start it afresh. */
}

static void second_cpu_again(void *arg)
{
	c1.status_fresh = ev_status(EV_SOFTWARE);
	c1.mask_fresh = sdei0(FN_PE_MASK);
	c1_ack(6);
	c1_phase(6);
}

static bool wait_off(unsigned long mpidr)
{
	return wait_until(smccc_call(PSCI_AFFINITY_INFO, mpidr, 0, 0).a0 == PSCI_AFFINITY_OFF, 5000);
}

void check_other_cpu(void)
{
	unsigned long self = this_cpu_hwid();
	int cpu = second_cpu();
	unsigned long mpidr;
	long r[2];

	report_prefix_push("other vCPU");
	check_ret(ev_signal(EV_SOFTWARE, absent_mpidr()), INVALID_PARAMETERS,
		  "SIGNAL(0, absent MPIDR %#lx)", absent_mpidr());
	check_ret(ev_signal(EV_SOFTWARE, self | 1UL << 40), INVALID_PARAMETERS,
		  "SIGNAL(0, self with bit 40 set)");
	if (cpu < 0) {
		report_skip("signal to another vCPU: the DT lists one CPU");
		report_prefix_pop();
		return;
	}
	mpidr = cpu_hwid(cpu);
	sdei_clean();
	/* CPU 0 has event 0 registered: the other vCPU's copy is its own. */
	register_ctl(EV_SOFTWARE, &ctl0);
	sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0);
	sdei0(FN_PE_UNMASK);
	hctl_reset(&ctl0, false, NULL, 0);
	hctl_reset(&ctl1, false, NULL, 0);
	memset(&c1, 0, sizeof(c1));

	check_ret(ev_signal(EV_SOFTWARE, mpidr), DENIED, "SIGNAL(0, CPU %#lx) while it is off",
		  mpidr);
	check_ret(cpu_start(cpu, second_cpu_main, NULL), PSCI_RET_SUCCESS, "CPU_ON(%#lx)", mpidr);
	report(c0_wait_ack(1), "CPU %#lx runs", mpidr);
	check_val(c1.status_fresh, 0, "its STATUS(0) (private: not CPU 0's)");
	check_val(c1.status_apf_fresh, 0, "its STATUS(0x40400000)");
	check_val(c1.mask_fresh, 0, "its PE_MASK: starts masked");
	check_ret(ev_signal(EV_SOFTWARE, mpidr), DENIED, "SIGNAL(0, it) with its event 0 unregistered");

	c0_phase(1);
	report(c0_wait_ack(2), "it registered event 0");
	check_ret(c1.reg, SUCCESS, "its REGISTER(0)");
	check_ret(c1.en, SUCCESS, "its ENABLE(0)");
	r[0] = ev_signal(EV_SOFTWARE, mpidr);
	r[1] = ev_signal(EV_SOFTWARE, mpidr);
	report(r[0] == 0 && r[1] == 0, "two SIGNAL(0, it) while it is masked: %ld %ld", r[0], r[1]);

	c0_phase(2);
	report(c0_wait_ack(3), "it unmasked");
	report(c1.runs_masked == 0, "none ran there while masked (%u)", c1.runs_masked);
	check_ret(c1.unmask, SUCCESS, "its PE_UNMASK");
	report(c1.runs_unmasked == 2, "both delivered on its PE_UNMASK (%u)", c1.runs_unmasked);
	report(handled(&ctl0) == 0, "none ran on CPU 0 (%u)", handled(&ctl0));

	/* Let it reach its WFI, then signal. */
	(void)wait_until(false, 50);
	check_ret(ev_signal(EV_SOFTWARE, mpidr), SUCCESS, "SIGNAL(0, it) while it waits in WFI");
	report(wait_until(handled(&ctl1) >= 3, 3000), "its handler ran (%u run(s))",
	       handled(&ctl1));
	for (unsigned int i = 0; i < 3 && i < handled(&ctl1); i++)
		report(ctl1.rec[i].mpidr == mpidr && ctl1.rec[i].f.x[1] == (uintptr_t)&ctl1 &&
			       ctl1.rec[i].f.x[0] == EV_SOFTWARE,
		       "run %u: on CPU %#llx (expected %#lx), x0 %#llx, x1 its own argument", i + 1,
		       (unsigned long long)ctl1.rec[i].mpidr, mpidr,
		       (unsigned long long)ctl1.rec[i].f.x[0]);
	c0_phase(4);
	report(c0_wait_ack(4), "it left its WFI loop");
	(void)wait_until(false, 20);
	check_ret(ev_signal(EV_SOFTWARE, mpidr), SUCCESS, "SIGNAL(0, it) while it runs a loop");
	report(wait_until(handled(&ctl1) >= 4, 3000), "its handler ran (%u run(s))",
	       handled(&ctl1));
	report(handled(&ctl1) < 4 || ctl1.rec[3].mpidr == mpidr, "run 4: on CPU %#llx (expected %#lx)",
	       (unsigned long long)ctl1.rec[3].mpidr, mpidr);
	report(handled(&ctl0) == 0, "still none on CPU 0 (%u)", handled(&ctl0));
	report(c0_wait_ack(5), "it saw its handler run");
	report(wait_off(mpidr), "it powered off (CPU_OFF)");
	check_ret(ev_signal(EV_SOFTWARE, mpidr), DENIED, "SIGNAL(0, it) after its CPU_OFF");

	/* CPU_ON again: nothing registered, masked. */
	check_ret(cpu_start(cpu, second_cpu_again, NULL), PSCI_RET_SUCCESS, "CPU_ON(%#lx) again",
		  mpidr);
	report(c0_wait_ack(6), "it runs again");
	check_val(c1.status_fresh, 0, "after CPU_ON again: its STATUS(0)");
	check_val(c1.mask_fresh, 0, "after CPU_ON again: its PE_MASK (masked)");
	check_ret(ev_signal(EV_SOFTWARE, mpidr), DENIED, "after CPU_ON again: SIGNAL(0, it)");
	c0_phase(6);
	report(wait_off(mpidr), "it powered off again");
	sdei_clean();
	report_prefix_pop();
}

/* --- main ----------------------------------------------------------------- */

static void check_native(void)
{
	long v = (long)smccc_call(SDEI_FID(FN_VERSION), 0, 0, 0).a0;
	static const char *const groups[] = {
		"DT /firmware/sdei", "PE_MASK/PE_UNMASK", "VERSION and FEATURES",
		"unallocated function IDs", "EVENT_GET_INFO", "unknown events",
		"event 0 state machine", "EVENT_REGISTER arguments", "event 0x40400000",
		"binding, routing, SHARED_RESET", "SMC32 forms", "delivery and completion",
		"pending signals", "calls inside the handler", "PRIVATE_RESET",
		"signals to other vCPUs",
	};

	report(v == NOT_SUPPORTED, "no /firmware/sdei: SDEI_VERSION = %ld (expected NOT_SUPPORTED)",
	       v);
	for (unsigned int i = 0; i < ARRAY_SIZE(groups); i++)
		report_skip("%s: the firmware has no SDEI", groups[i]);
}

int main(int argc, char **argv)
{
	int node = fdt_path_offset(guest_fdt(), "/firmware/sdei");

	report_prefix_push("sdei");
	if (node < 0) {
		check_native();
		report_prefix_pop();
		return 0;
	}
	check_dt(node);
	check_mask(); /* first: the state the vCPU booted in */
	check_version_features();
	check_unallocated();
	check_get_info();
	check_unknown_events();
	check_state_machine();
	check_register_args();
	check_async_pf();
	check_binding_routing();
	check_smc32();
	check_delivery();
	check_pending();
	check_in_handler();
	check_private_reset();
	check_other_cpu();
	report(stray_entries == 0, "no handler entry with an unknown argument (%u)", stray_entries);
	report_prefix_pop();
	return 0;
}
