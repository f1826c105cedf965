/*
 * SDEI calls without a delivery: VERSION and FEATURES, unallocated and
 * unknown function IDs and events, GET_INFO, binding and routing, the
 * register/enable/disable/unregister state machine, REGISTER's arguments,
 * the async-PF event, and the SMC32 forms.
 */
#include "sdei_guest.h"

/* --- Checks: calls without events ----------------------------------------- */

void check_dt(int node)
{
	const void *fdt = guest_fdt();
	const char *method = fdt_getprop(fdt, node, "method", NULL);

	report(!fdt_node_check_compatible(fdt, node, "arm,sdei-1.0"),
	       "/firmware/sdei is compatible with arm,sdei-1.0");
	report(method && !strcmp(method, "hvc"), "/firmware/sdei method = \"%s\" (expected hvc)",
	       method ? method : "(none)");
}

void check_version_features(void)
{
	long v = sdei0(FN_VERSION);

	report((unsigned long)v == SDEI_VERSION_1_1, "VERSION = %#lx (expected %#lx: 1.1, vendor 0)",
	       (unsigned long)v, SDEI_VERSION_1_1);
	report((unsigned long)smc1(SDEI_FID(FN_VERSION)) == SDEI_VERSION_1_1,
	       "VERSION through SMC #0 answers the same");
	check_val(sdei(FN_FEATURES, 0, 0), 0, "FEATURES(0: binding slots)");
	check_val(sdei(FN_FEATURES, 1, 0), 0, "FEATURES(1: relative mode)");
	check_val(sdei(FN_FEATURES, 2, 0), INVALID_PARAMETERS, "FEATURES(2)");
	check_val(sdei(FN_FEATURES, ~0UL, 0), INVALID_PARAMETERS, "FEATURES(~0)");
}

/* Function IDs in SDEI's range (0x20-0x3f) that DEN0054 does not allocate
 * are not implemented: NOT_SUPPORTED whatever the arguments, and
 * SMCCC_ARCH_FEATURES agrees with the calls. */
void check_unallocated(void)
{
	check_ret(hvc6(SDEI_FID(0x33), 0, 0, 0, 0, 0), NOT_SUPPORTED, "function 0xc4000033(0)");
	check_ret(hvc6(SDEI_FID(0x33), EV_UNKNOWN, 0, 0, 0, 0), NOT_SUPPORTED,
		  "function 0xc4000033(5)");
	check_ret(hvc6(SDEI_FID(0x3f), 0, 0, 0, 0, 0), NOT_SUPPORTED, "function 0xc400003f(0)");
	check_ret(hvc6(SDEI_FID(0x3f), EV_UNKNOWN, 0, 0, 0, 0), NOT_SUPPORTED,
		  "function 0xc400003f(5)");
	check_ret(hvc6(SMCCC_ARCH_FEATURES, SDEI_FID(FN_VERSION), 0, 0, 0, 0), 0,
		  "SMCCC_ARCH_FEATURES(SDEI_VERSION)");
	check_ret(hvc6(SMCCC_ARCH_FEATURES, SDEI_FID(FN_SHARED_RESET), 0, 0, 0, 0), 0,
		  "SMCCC_ARCH_FEATURES(SDEI_SHARED_RESET)");
	check_ret(hvc6(SMCCC_ARCH_FEATURES, SDEI_FID(0x33), 0, 0, 0, 0), NOT_SUPPORTED,
		  "SMCCC_ARCH_FEATURES(0xc4000033)");
}

void check_get_info(void)
{
	static const struct {
		unsigned long ev;
		long want[6];
	} t[] = {
		{ EV_SOFTWARE, { 0, 1, 0, INVALID_PARAMETERS, INVALID_PARAMETERS, INVALID_PARAMETERS } },
		{ EV_ASYNC_PF, { 0, 0, 0, INVALID_PARAMETERS, INVALID_PARAMETERS, INVALID_PARAMETERS } },
	};
	static const char *const info_name[6] = { "type", "signaled", "priority", "routing mode",
						  "routing affinity", "5" };

	for (unsigned int e = 0; e < ARRAY_SIZE(t); e++) {
		for (unsigned int i = 0; i < 6; i++)
			check_val(sdei(FN_EVENT_GET_INFO, t[e].ev, i), t[e].want[i],
				  "GET_INFO(%#lx, %s)", t[e].ev, info_name[i]);
		check_val(sdei(FN_EVENT_GET_INFO, t[e].ev, ~0UL), INVALID_PARAMETERS,
			  "GET_INFO(%#lx, ~0)", t[e].ev);
	}
}

/* Every function that names an event refuses one tern does not have. */
void check_unknown_events(void)
{
	static const unsigned long bad[] = { EV_UNKNOWN, 1, 0x40400001UL, 0x100000000UL };
	unsigned long self = this_cpu_hwid();

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		unsigned long ev = bad[i];

		check_ret(register_ctl(ev, &ctl0), INVALID_PARAMETERS, "EVENT_REGISTER(%#lx)", ev);
		check_ret(sdei(FN_EVENT_ENABLE, ev, 0), INVALID_PARAMETERS, "EVENT_ENABLE(%#lx)", ev);
		check_ret(sdei(FN_EVENT_DISABLE, ev, 0), INVALID_PARAMETERS, "EVENT_DISABLE(%#lx)",
			  ev);
		check_ret(sdei(FN_EVENT_UNREGISTER, ev, 0), INVALID_PARAMETERS,
			  "EVENT_UNREGISTER(%#lx)", ev);
		check_val(ev_status(ev), INVALID_PARAMETERS, "EVENT_STATUS(%#lx)", ev);
		check_val(sdei(FN_EVENT_GET_INFO, ev, 0), INVALID_PARAMETERS, "EVENT_GET_INFO(%#lx)",
			  ev);
		check_ret(hvc6(SDEI_FID(FN_EVENT_ROUTING_SET), ev, 0, 0, 0, 0), INVALID_PARAMETERS,
			  "EVENT_ROUTING_SET(%#lx)", ev);
		check_ret(sdei(FN_INTERRUPT_RELEASE, ev, 0), INVALID_PARAMETERS,
			  "INTERRUPT_RELEASE(%#lx)", ev);
		check_ret(ev_signal(ev, self), INVALID_PARAMETERS, "EVENT_SIGNAL(%#lx, self)", ev);
	}
}

void check_binding_routing(void)
{
	static const unsigned long irqs[] = { 0, 27, 32, 1023 };

	for (unsigned int i = 0; i < ARRAY_SIZE(irqs); i++)
		check_ret(sdei(FN_INTERRUPT_BIND, irqs[i], 0), OUT_OF_RESOURCE, "INTERRUPT_BIND(%lu)",
			  irqs[i]);
	check_ret(sdei(FN_INTERRUPT_RELEASE, EV_SOFTWARE, 0), DENIED, "INTERRUPT_RELEASE(0)");
	check_ret(sdei(FN_INTERRUPT_RELEASE, EV_ASYNC_PF, 0), DENIED,
		  "INTERRUPT_RELEASE(0x40400000)");
	check_ret(hvc6(SDEI_FID(FN_EVENT_ROUTING_SET), EV_SOFTWARE, 0, 0, 0, 0),
		  INVALID_PARAMETERS, "EVENT_ROUTING_SET(0, RM_ANY)");
	check_ret(hvc6(SDEI_FID(FN_EVENT_ROUTING_SET), EV_SOFTWARE, 1, this_cpu_hwid(), 0, 0),
		  INVALID_PARAMETERS, "EVENT_ROUTING_SET(0, RM_PE, self)");
	check_ret(hvc6(SDEI_FID(FN_EVENT_ROUTING_SET), EV_ASYNC_PF, 0, 0, 0, 0),
		  INVALID_PARAMETERS, "EVENT_ROUTING_SET(0x40400000)");
	/* Registered makes no difference: routing is for shared events. */
	register_ctl(EV_SOFTWARE, &ctl0);
	check_ret(hvc6(SDEI_FID(FN_EVENT_ROUTING_SET), EV_SOFTWARE, 0, 0, 0, 0),
		  INVALID_PARAMETERS, "EVENT_ROUTING_SET(0) while registered");
	check_ret(sdei0(FN_SHARED_RESET), SUCCESS, "SHARED_RESET");
	check_val(ev_status(EV_SOFTWARE), ST_REGISTERED,
		  "EVENT_STATUS(0) after SHARED_RESET (private events untouched)");
	sdei_clean();
}

/* --- Checks: the state machine -------------------------------------------- */

void check_state_machine(void)
{
	unsigned long e = EV_SOFTWARE;

	report_prefix_push("event 0");
	sdei_clean();
	check_ret(sdei(FN_EVENT_ENABLE, e, 0), DENIED, "ENABLE before REGISTER");
	check_ret(sdei(FN_EVENT_DISABLE, e, 0), DENIED, "DISABLE before REGISTER");
	check_ret(sdei(FN_EVENT_UNREGISTER, e, 0), DENIED, "UNREGISTER before REGISTER");
	check_val(ev_status(e), 0, "STATUS before REGISTER");
	check_ret(sdei(FN_EVENT_CONTEXT, 0, 0), DENIED, "CONTEXT(0) with no handler running");
	check_ret(sdei(FN_EVENT_COMPLETE, 0, 0), DENIED, "COMPLETE with no handler running");
	resume_record.count = 0;
	check_ret(sdei(FN_EVENT_COMPLETE_AND_RESUME, (uintptr_t)sdei_resume_target, 0), DENIED,
		  "COMPLETE_AND_RESUME with no handler running");
	report(resume_record.count == 0, "a refused COMPLETE_AND_RESUME does not resume");
	check_ret(ev_signal(e, this_cpu_hwid()), DENIED, "SIGNAL(0, self) before REGISTER");

	check_ret(register_ctl(e, &ctl0), SUCCESS, "REGISTER");
	check_val(ev_status(e), ST_REGISTERED, "STATUS after REGISTER");
	check_ret(register_ctl(e, &ctl0), DENIED, "REGISTER again");
	check_val(ev_status(EV_ASYNC_PF), 0, "STATUS(0x40400000) unaffected");
	check_ret(sdei(FN_EVENT_ENABLE, e, 0), SUCCESS, "ENABLE");
	check_val(ev_status(e), ST_REGISTERED | ST_ENABLED, "STATUS after ENABLE");
	check_ret(sdei(FN_EVENT_ENABLE, e, 0), SUCCESS, "ENABLE again");
	check_val(ev_status(e), ST_REGISTERED | ST_ENABLED, "STATUS after ENABLE again");
	check_ret(register_ctl(e, &ctl0), DENIED, "REGISTER while enabled");
	check_ret(sdei(FN_EVENT_DISABLE, e, 0), SUCCESS, "DISABLE");
	check_val(ev_status(e), ST_REGISTERED, "STATUS after DISABLE");
	check_ret(sdei(FN_EVENT_DISABLE, e, 0), SUCCESS, "DISABLE again");
	check_val(ev_status(e), ST_REGISTERED, "STATUS after DISABLE again");
	check_ret(sdei(FN_EVENT_UNREGISTER, e, 0), SUCCESS, "UNREGISTER (disabled)");
	check_val(ev_status(e), 0, "STATUS after UNREGISTER");
	check_ret(sdei(FN_EVENT_UNREGISTER, e, 0), DENIED, "UNREGISTER again");
	check_ret(sdei(FN_EVENT_ENABLE, e, 0), DENIED, "ENABLE after UNREGISTER");
	check_ret(register_ctl(e, &ctl0), SUCCESS, "REGISTER again after UNREGISTER");
	check_ret(sdei(FN_EVENT_ENABLE, e, 0), SUCCESS, "ENABLE");
	check_ret(sdei(FN_EVENT_UNREGISTER, e, 0), SUCCESS, "UNREGISTER (enabled)");
	check_val(ev_status(e), 0, "STATUS after UNREGISTER");
	report_prefix_pop();
}

/* EVENT_REGISTER's arguments: flags (only bit 0, ignored), entry (aligned,
 * in RAM), affinity (ignored). */
void check_register_args(void)
{
	uintptr_t entry = (uintptr_t)sdei_entry;
	uint64_t base, size;
	unsigned long e = EV_SOFTWARE;

	report_prefix_push("register");
	sdei_clean();
	check_ret(ev_register(e, entry, 0, 1, 0), SUCCESS, "flags 1 (RM_PE, ignored)");
	sdei(FN_EVENT_UNREGISTER, e, 0);
	check_ret(ev_register(e, entry, 0, 0, 0xff00ffffffUL), SUCCESS, "affinity ignored");
	sdei(FN_EVENT_UNREGISTER, e, 0);
	check_ret(ev_register(e, entry, 0, 2, 0), INVALID_PARAMETERS, "flags 2");
	check_ret(ev_register(e, entry, 0, 3, 0), INVALID_PARAMETERS, "flags 3");
	check_ret(ev_register(e, entry, 0, 1UL << 63, 0), INVALID_PARAMETERS, "flags bit 63");
	check_ret(ev_register(e, entry + 2, 0, 0, 0), INVALID_PARAMETERS, "entry + 2 (unaligned)");
	check_ret(ev_register(e, entry + 1, 0, 0, 0), INVALID_PARAMETERS, "entry + 1 (unaligned)");
	check_ret(ev_register(e, 0, 0, 0, 0), INVALID_PARAMETERS, "entry 0");
	check_ret(ev_register(e, 0x10000000, 0, 0, 0), INVALID_PARAMETERS,
		  "entry 0x10000000 (not RAM)");
	check_ret(ev_register(e, ~3UL, 0, 0, 0), INVALID_PARAMETERS, "entry 0xff..fc");
	if (ram_range(&base, &size)) {
		report_info("RAM %#llx-%#llx", (unsigned long long)base,
			    (unsigned long long)(base + size - 1));
		check_ret(ev_register(e, base + size, 0, 0, 0), INVALID_PARAMETERS,
			  "entry at the end of RAM");
		check_ret(ev_register(e, base - 4, 0, 0, 0), INVALID_PARAMETERS,
			  "entry right below RAM");
		check_ret(ev_register(e, base + size - 4, 0, 0, 0), SUCCESS,
			  "entry at RAM's last word");
		sdei(FN_EVENT_UNREGISTER, e, 0);
		check_ret(ev_register(e, base, 0, 0, 0), SUCCESS, "entry at RAM's first word");
		sdei(FN_EVENT_UNREGISTER, e, 0);
	} else {
		report_skip("entry at RAM's bounds: no /memory in the DT");
	}
	check_val(ev_status(e), 0, "STATUS after the refused REGISTERs");
	report_prefix_pop();
}

void check_async_pf(void)
{
	unsigned long e = EV_ASYNC_PF;

	report_prefix_push("event 0x40400000");
	sdei_clean();
	check_val(ev_status(e), 0, "STATUS before REGISTER");
	check_ret(sdei(FN_EVENT_ENABLE, e, 0), DENIED, "ENABLE before REGISTER");
	check_ret(register_ctl(e, &ctl0), SUCCESS, "REGISTER");
	check_ret(register_ctl(e, &ctl0), DENIED, "REGISTER again");
	check_val(ev_status(e), ST_REGISTERED, "STATUS after REGISTER");
	check_val(ev_status(EV_SOFTWARE), 0, "STATUS(0) unaffected");
	check_ret(sdei(FN_EVENT_ENABLE, e, 0), SUCCESS, "ENABLE");
	check_val(ev_status(e), ST_REGISTERED | ST_ENABLED, "STATUS after ENABLE");
	check_ret(ev_signal(e, this_cpu_hwid()), INVALID_PARAMETERS,
		  "SIGNAL(0x40400000, self): not signalable");
	check_ret(sdei(FN_EVENT_DISABLE, e, 0), SUCCESS, "DISABLE");
	check_val(ev_status(e), ST_REGISTERED, "STATUS after DISABLE");
	check_ret(sdei(FN_EVENT_UNREGISTER, e, 0), SUCCESS, "UNREGISTER");
	check_val(ev_status(e), 0, "STATUS after UNREGISTER");
	check_ret(sdei(FN_EVENT_UNREGISTER, e, 0), DENIED, "UNREGISTER again");
	report_prefix_pop();
}

/* SMC32 forms: the same functions, reading only the low 32 bits of each
 * argument (docs/guest-abi/smccc-psci.md). */
void check_smc32(void)
{
	report_prefix_push("smc32");
	sdei_clean();
	register_ctl(EV_SOFTWARE, &ctl0);
	check_val(hvc6(SDEI_FID32(FN_EVENT_STATUS), EV_SOFTWARE, 0, 0, 0, 0), ST_REGISTERED,
		  "EVENT_STATUS(0)");
	check_val(hvc6(SDEI_FID32(FN_EVENT_GET_INFO), EV_SOFTWARE, 1, 0, 0, 0), 1,
		  "EVENT_GET_INFO(0, signaled)");
	check_val(hvc6(SDEI_FID32(FN_EVENT_STATUS), 0xffffffff00000000UL | EV_SOFTWARE, 0, 0, 0, 0),
		  ST_REGISTERED, "EVENT_STATUS(0xffffffff_00000000): sees event 0");
	check_val(hvc6(SDEI_FID32(FN_EVENT_GET_INFO), 0x100000000UL, 0x100000001UL, 0, 0, 0), 1,
		  "EVENT_GET_INFO(0x1_00000000, 0x1_00000001): sees (0, signaled)");
	check_val(ev_status(0x100000000UL), INVALID_PARAMETERS,
		  "while the SMC64 EVENT_STATUS(0x1_00000000) is an unknown event");
	sdei_clean();
	report_prefix_pop();
}
