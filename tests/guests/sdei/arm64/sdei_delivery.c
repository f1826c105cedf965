/*
 * SDEI delivery of event 0 on this CPU: masking, the exact register state
 * the handler gets and the interrupted context gets back (COMPLETE and
 * COMPLETE_AND_RESUME), pending signals, calls from inside the handler,
 * and PRIVATE_RESET.
 */
#include "sdei_guest.h"

/* --- Checks: masking and delivery ----------------------------------------- */

void check_mask(void)
{
	report_prefix_push("mask");
	check_val(sdei0(FN_PE_MASK), 0, "PE_MASK at boot: masked already");
	check_ret(sdei0(FN_PE_UNMASK), SUCCESS, "PE_UNMASK");
	check_ret(sdei0(FN_PE_UNMASK), SUCCESS, "PE_UNMASK again");
	check_val(sdei0(FN_PE_MASK), 1, "PE_MASK when unmasked");
	check_val(sdei0(FN_PE_MASK), 0, "PE_MASK again");
	report_prefix_pop();
}

/* The handler's view of one delivery out of sentinel call s: want[0..3]
 * are the interrupted x0-x3 (the call's results). */
static void check_entry(const char *what, const struct sentinel_call *s, const struct hrec *r,
			const struct hctl *h, const uint64_t *want)
{
	uint64_t pstate = s->nzcv_in | s->daif_in | PSR_EL1H;
	uint64_t interrupted[31];

	for (unsigned int i = 0; i < 31; i++)
		interrupted[i] = i < 4 ? want[i] : s->in[i];
	report_prefix_push(what);
	report(r->f.x[0] == EV_SOFTWARE, "handler x0 = %#llx (expected the event, 0)",
	       (unsigned long long)r->f.x[0]);
	report(r->f.x[1] == (uintptr_t)h, "handler x1 = %#llx (expected the argument %p)",
	       (unsigned long long)r->f.x[1], (const void *)h);
	report(r->f.x[2] == s->pc, "handler x2 = %#llx (expected the PC after the HVC, %#llx)",
	       (unsigned long long)r->f.x[2], (unsigned long long)s->pc);
	report((r->f.x[3] & PSR_CHECKED) == pstate,
	       "handler x3 = %#llx (expected the interrupted PSTATE: EL1h, DAIF, NZCV = %#llx)",
	       (unsigned long long)r->f.x[3], (unsigned long long)pstate);
	report(r->f.curel == CURRENTEL_EL1 && r->f.spsel == 1,
	       "handler at EL1h (CurrentEL %#llx, SPSel %llu)", (unsigned long long)r->f.curel,
	       (unsigned long long)r->f.spsel);
	report(r->f.daif == PSR_DAIF, "handler DAIF = %#llx (expected D, A, I, F set)",
	       (unsigned long long)r->f.daif);
	report_regs("handler entry: interrupted registers", r->f.x, s->in, 4, 30);
	report(r->f.sp == s->sp_in, "handler SP = %#llx (expected the interrupted SP %#llx)",
	       (unsigned long long)r->f.sp, (unsigned long long)s->sp_in);
	report_regs("EVENT_CONTEXT(n)", r->ctx, interrupted, 0, 17);
	check_ret(r->ctx18, INVALID_PARAMETERS, "EVENT_CONTEXT(18)");
	check_ret(r->ctx_huge, INVALID_PARAMETERS, "EVENT_CONTEXT(~0)");
	check_val(r->status, ST_REGISTERED | ST_ENABLED | ST_RUNNING, "EVENT_STATUS in the handler");
	report(r->depth == 1, "not nested (depth %u)", r->depth);
	report_prefix_pop();
}

/* The interrupted context after COMPLETE (or the ERET from the resume
 * target): all of x0-x30, SP and PSTATE as they were. */
static void check_return(const char *what, const struct sentinel_call *s, const uint64_t *want)
{
	uint64_t expect[31];

	for (unsigned int i = 0; i < 31; i++)
		expect[i] = i < 4 ? want[i] : s->in[i];
	report_prefix_push(what);
	report_regs("back in the interrupted context", s->out, expect, 0, 30);
	report(s->nzcv_out == s->nzcv_in, "NZCV = %#llx (expected %#llx)",
	       (unsigned long long)s->nzcv_out, (unsigned long long)s->nzcv_in);
	report(s->daif_out == s->daif_in, "DAIF = %#llx (expected %#llx)",
	       (unsigned long long)s->daif_out, (unsigned long long)s->daif_in);
	report(s->sp_out == s->sp_in, "SP = %#llx (expected %#llx)", (unsigned long long)s->sp_out,
	       (unsigned long long)s->sp_in);
	report_prefix_pop();
}

void check_delivery(void)
{
	unsigned long self = this_cpu_hwid();
	struct sentinel_call s;
	uint64_t want[4];

	report_prefix_push("delivery");
	sdei_clean();
	hctl_reset(&ctl0, false, NULL, 0);
	check_ret(register_ctl(EV_SOFTWARE, &ctl0), SUCCESS, "REGISTER(0, handler, arg)");
	check_ret(sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0), SUCCESS, "ENABLE(0)");

	/* Masked: the signal is counted, nothing runs. This call is also the
	 * reference for what the signal's HVC leaves in x0-x3. */
	sentinel_setup(&s, SDEI_FID(FN_EVENT_SIGNAL), EV_SOFTWARE, self);
	sentinel_call(&s);
	check_ret((long)s.out[0], SUCCESS, "SIGNAL(0, self) while masked");
	report(handled(&ctl0) == 0, "masked: no delivery (%u)", handled(&ctl0));
	report_regs("an SDEI call preserves", s.out, s.in, 4, 30);
	report(s.nzcv_out == s.nzcv_in && s.daif_out == s.daif_in && s.sp_out == s.sp_in,
	       "an SDEI call preserves NZCV, DAIF and SP");
	want[0] = s.out[0];
	want[1] = s.out[1];
	want[2] = s.out[2];
	want[3] = s.out[3];
	check_val(ev_status(EV_SOFTWARE), ST_REGISTERED | ST_ENABLED,
		  "STATUS with a signal pending (not running)");

	/* PE_UNMASK: the pending signal is delivered on the way back from it. */
	sentinel_setup(&s, SDEI_FID(FN_PE_UNMASK), sentinel(1), sentinel(2));
	sentinel_call(&s);
	report(handled(&ctl0) == 1, "PE_UNMASK delivers the pending signal at once (%u run(s))",
	       handled(&ctl0));
	if (handled(&ctl0) == 1) {
		uint64_t w[4] = { 0, ctl0.rec[0].ctx[1], ctl0.rec[0].ctx[2], ctl0.rec[0].ctx[3] };

		check_ret((long)ctl0.rec[0].ctx[0], SUCCESS,
			  "the interrupted x0 is PE_UNMASK's result");
		check_entry("from PE_UNMASK", &s, &ctl0.rec[0], &ctl0, w);
		check_return("after COMPLETE", &s, w);
	}

	/* Unmasked: a signal to self is delivered on the way back from the
	 * signalling HVC, which has already written its result. */
	hctl_reset(&ctl0, false, NULL, 0);
	sentinel_setup(&s, SDEI_FID(FN_EVENT_SIGNAL), EV_SOFTWARE, self);
	sentinel_call(&s);
	report(handled(&ctl0) == 1, "SIGNAL(0, self) unmasked: delivered once (%u)",
	       handled(&ctl0));
	if (handled(&ctl0) == 1) {
		check_entry("from SIGNAL", &s, &ctl0.rec[0], &ctl0, want);
		check_return("after COMPLETE", &s, want);
	}
	check_val(ev_status(EV_SOFTWARE), ST_REGISTERED | ST_ENABLED, "STATUS after COMPLETE");

	/* SDEI saves x0-x17: x18-x30 reach the interrupted context as the
	 * handler leaves them (AAPCS keeps x19-x29), however it changed them
	 * around its own calls. The handler signals itself with x19-x28
	 * moved: two deliveries, then the sentinel context, whole. */
	{
		static const enum hop ops[] = { HOP_SIGNAL_SELF_X19 };

		hctl_reset(&ctl0, false, ops, ARRAY_SIZE(ops));
		sentinel_setup(&s, SDEI_FID(FN_EVENT_SIGNAL), EV_SOFTWARE, self);
		sentinel_call(&s);
		report(handled(&ctl0) == 2 && ctl0.rec[0].op[0] == SUCCESS,
		       "a handler that signalled itself with x19-x28 moved ran twice (%u, %ld)",
		       handled(&ctl0), ctl0.rec[0].op[0]);
		check_return("after two COMPLETEs", &s, want);
	}
	check_ret(sdei(FN_EVENT_CONTEXT, 0, 0), DENIED, "CONTEXT(0) after COMPLETE");
	check_ret(sdei(FN_EVENT_COMPLETE, 0, 0), DENIED, "COMPLETE after COMPLETE");

	/* COMPLETE_AND_RESUME: to sdei_resume_target as if an IRQ had been
	 * taken from the interrupted context. */
	hctl_reset(&ctl0, true, NULL, 0);
	memset(&resume_record, 0, sizeof(resume_record));
	sentinel_setup(&s, SDEI_FID(FN_EVENT_SIGNAL), EV_SOFTWARE, self);
	sentinel_call(&s);
	report(handled(&ctl0) == 1 && resume_record.count == 1,
	       "COMPLETE_AND_RESUME: handler ran (%u), resume target ran (%llu)", handled(&ctl0),
	       (unsigned long long)resume_record.count);
	if (handled(&ctl0) == 1 && resume_record.count == 1) {
		const struct resume_record *rr = &resume_record;
		uint64_t expect[18];

		for (unsigned int i = 0; i < 18; i++)
			expect[i] = i < 4 ? want[i] : s.in[i];
		check_entry("resume", &s, &ctl0.rec[0], &ctl0, want);
		report_prefix_push("resume");
		report(rr->elr == s.pc, "ELR_EL1 = %#llx (expected the interrupted PC %#llx)",
		       (unsigned long long)rr->elr, (unsigned long long)s.pc);
		report(rr->spsr == ctl0.rec[0].f.x[3],
		       "SPSR_EL1 = %#llx (expected the interrupted PSTATE %#llx)",
		       (unsigned long long)rr->spsr, (unsigned long long)ctl0.rec[0].f.x[3]);
		report(rr->curel == CURRENTEL_EL1 && rr->spsel == 1,
		       "resumed at EL1h (CurrentEL %#llx, SPSel %llu)", (unsigned long long)rr->curel,
		       (unsigned long long)rr->spsel);
		report(rr->daif == PSR_DAIF, "resumed with DAIF = %#llx (expected D, A, I, F set)",
		       (unsigned long long)rr->daif);
		report_regs("resume target sees the interrupted", rr->x, expect, 0, 17);
		report(rr->sp == s.sp_in, "resume target SP = %#llx (expected %#llx)",
		       (unsigned long long)rr->sp, (unsigned long long)s.sp_in);
		report_prefix_pop();
		check_return("after resume and ERET", &s, want);
	}
	check_val(ev_status(EV_SOFTWARE), ST_REGISTERED | ST_ENABLED,
		  "STATUS after COMPLETE_AND_RESUME");
	sdei_clean();
	report_prefix_pop();
}

void check_pending(void)
{
	unsigned long self = this_cpu_hwid();
	long r[3];

	report_prefix_push("pending");
	sdei_clean();
	hctl_reset(&ctl0, false, NULL, 0);
	register_ctl(EV_SOFTWARE, &ctl0);
	sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0);
	for (unsigned int i = 0; i < 3; i++)
		r[i] = ev_signal(EV_SOFTWARE, self);
	report(r[0] == 0 && r[1] == 0 && r[2] == 0, "three SIGNALs while masked: %ld %ld %ld", r[0],
	       r[1], r[2]);
	report(handled(&ctl0) == 0, "none delivered while masked (%u)", handled(&ctl0));
	check_ret(sdei0(FN_PE_UNMASK), SUCCESS, "PE_UNMASK");
	report(handled(&ctl0) == 3, "three deliveries after PE_UNMASK (%u)", handled(&ctl0));
	report(ctl0.rec[1].f.x[2] == ctl0.rec[0].f.x[2] && ctl0.rec[2].f.x[2] == ctl0.rec[0].f.x[2],
	       "each interrupts the same PC (%#llx)", (unsigned long long)ctl0.rec[0].f.x[2]);
	report(ctl0.rec[0].depth == 1 && ctl0.rec[1].depth == 1 && ctl0.rec[2].depth == 1,
	       "one after the other, not nested");

	/* Registered but disabled: counted, delivered on ENABLE. */
	hctl_reset(&ctl0, false, NULL, 0);
	sdei(FN_EVENT_DISABLE, EV_SOFTWARE, 0);
	check_ret(ev_signal(EV_SOFTWARE, self), SUCCESS, "SIGNAL while disabled (unmasked)");
	report(handled(&ctl0) == 0, "disabled: no delivery (%u)", handled(&ctl0));
	check_val(ev_status(EV_SOFTWARE), ST_REGISTERED, "STATUS while disabled and pending");
	check_ret(sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0), SUCCESS, "ENABLE");
	report(handled(&ctl0) == 1, "ENABLE delivers the pending signal (%u)", handled(&ctl0));

	/* Masked, then disabled: neither unmasking nor enabling alone. */
	hctl_reset(&ctl0, false, NULL, 0);
	sdei0(FN_PE_MASK);
	ev_signal(EV_SOFTWARE, self);
	sdei(FN_EVENT_DISABLE, EV_SOFTWARE, 0);
	sdei0(FN_PE_UNMASK);
	report(handled(&ctl0) == 0, "masked, disabled, then unmasked: still none (%u)",
	       handled(&ctl0));
	sdei0(FN_PE_MASK);
	sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0);
	report(handled(&ctl0) == 0, "enabled again but masked: still none (%u)", handled(&ctl0));
	sdei0(FN_PE_UNMASK);
	report(handled(&ctl0) == 1, "enabled and unmasked: delivered (%u)", handled(&ctl0));

	/* Not in the document: whether a raise survives UNREGISTER. */
	hctl_reset(&ctl0, false, NULL, 0);
	sdei0(FN_PE_MASK);
	ev_signal(EV_SOFTWARE, self);
	sdei(FN_EVENT_UNREGISTER, EV_SOFTWARE, 0);
	register_ctl(EV_SOFTWARE, &ctl0);
	sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0);
	sdei0(FN_PE_UNMASK);
	report_info("a signal raised before UNREGISTER is %s after REGISTER again (%u run(s))",
		    handled(&ctl0) ? "delivered" : "dropped", handled(&ctl0));
	sdei_clean();
	report_prefix_pop();
}

/* Start a handler run on this CPU with the hops given; returns the runs. */
static unsigned int run_handler(const enum hop *ops, unsigned int nops, bool also_apf)
{
	sdei_clean();
	hctl_reset(&ctl0, false, ops, nops);
	register_ctl(EV_SOFTWARE, &ctl0);
	sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0);
	if (also_apf) {
		register_ctl(EV_ASYNC_PF, &ctl0);
		sdei(FN_EVENT_ENABLE, EV_ASYNC_PF, 0);
	}
	sdei0(FN_PE_UNMASK);
	ev_signal(EV_SOFTWARE, this_cpu_hwid());
	return handled(&ctl0);
}

void check_in_handler(void)
{
	const struct hrec *r = &ctl0.rec[0];
	unsigned int n;

	report_prefix_push("in the handler");

	/* A signal raised by the handler waits for its COMPLETE. */
	{
		static const enum hop ops[] = { HOP_SIGNAL_SELF, HOP_STATUS };

		n = run_handler(ops, ARRAY_SIZE(ops), false);
		check_ret(r->op[0], SUCCESS, "SIGNAL(0, self)");
		check_val(r->op[1], ST_REGISTERED | ST_ENABLED | ST_RUNNING, "STATUS after it");
		report(n == 2, "delivered after COMPLETE: %u run(s) (expected 2)", n);
		report(ctl0.rec[1].depth == 1, "the second run is not nested (depth %u)",
		       ctl0.rec[1].depth);
		report(ctl0.rec[1].f.x[2] == r->f.x[2],
		       "it interrupts the same context (PC %#llx, expected %#llx)",
		       (unsigned long long)ctl0.rec[1].f.x[2], (unsigned long long)r->f.x[2]);
	}

	/* DISABLE and ENABLE while running. */
	{
		static const enum hop ops[] = { HOP_DISABLE, HOP_STATUS, HOP_DISABLE, HOP_REGISTER,
						HOP_ENABLE, HOP_STATUS, HOP_ENABLE, HOP_DISABLE };

		n = run_handler(ops, ARRAY_SIZE(ops), false);
		report(n == 1, "ran once (%u)", n);
		check_ret(r->op[0], SUCCESS, "DISABLE");
		check_val(r->op[1], ST_REGISTERED | ST_RUNNING, "STATUS after DISABLE");
		check_ret(r->op[2], SUCCESS, "DISABLE again");
		check_ret(r->op[3], DENIED, "REGISTER");
		check_ret(r->op[4], SUCCESS, "ENABLE");
		check_val(r->op[5], ST_REGISTERED | ST_ENABLED | ST_RUNNING, "STATUS after ENABLE");
		check_ret(r->op[6], SUCCESS, "ENABLE again");
		check_ret(r->op[7], SUCCESS, "DISABLE");
		check_val(ev_status(EV_SOFTWARE), ST_REGISTERED,
			  "after COMPLETE: STATUS registered, disabled");
		hctl_reset(&ctl0, false, NULL, 0);
		ev_signal(EV_SOFTWARE, this_cpu_hwid());
		report(handled(&ctl0) == 0, "then disabled: a SIGNAL waits (%u)", handled(&ctl0));
		sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0);
		report(handled(&ctl0) == 1, "until ENABLE (%u)", handled(&ctl0));
	}

	/* UNREGISTER while running: pending until COMPLETE. */
	{
		static const enum hop ops[] = { HOP_UNREGISTER, HOP_STATUS, HOP_ENABLE, HOP_DISABLE,
						HOP_REGISTER, HOP_UNREGISTER, HOP_SIGNAL_SELF };

		n = run_handler(ops, ARRAY_SIZE(ops), false);
		report(n == 1, "ran once (%u)", n);
		check_ret(r->op[0], PENDING, "UNREGISTER");
		report(r->op[1] >= 0 && (r->op[1] & ST_RUNNING),
		       "STATUS after UNREGISTER = %ld: still running", r->op[1]);
		check_ret(r->op[2], DENIED, "ENABLE when unregister-pending");
		check_ret(r->op[3], DENIED, "DISABLE when unregister-pending");
		check_ret(r->op[4], DENIED, "REGISTER when unregister-pending");
		check_ret(r->op[5], PENDING, "UNREGISTER again");
		report_info("SIGNAL(0, self) when unregister-pending = %ld", r->op[6]);
		check_val(ev_status(EV_SOFTWARE), 0, "after COMPLETE: STATUS");
		check_ret(sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0), DENIED, "after COMPLETE: ENABLE");
		check_ret(register_ctl(EV_SOFTWARE, &ctl0), SUCCESS, "after COMPLETE: REGISTER");
	}

	/* PRIVATE_RESET while running: the rest at once, the running event
	 * when it completes. */
	{
		static const enum hop ops[] = { HOP_PRIVATE_RESET, HOP_STATUS, HOP_STATUS_APF,
						HOP_ENABLE };

		n = run_handler(ops, ARRAY_SIZE(ops), true);
		report(n == 1, "ran once (%u)", n);
		check_ret(r->op[0], SUCCESS, "PRIVATE_RESET");
		report(r->op[1] >= 0 && (r->op[1] & ST_RUNNING),
		       "STATUS(0) after PRIVATE_RESET = %ld: still running", r->op[1]);
		check_val(r->op[2], 0, "STATUS(0x40400000) after PRIVATE_RESET");
		check_ret(r->op[3], DENIED, "ENABLE(0) after PRIVATE_RESET");
		check_val(ev_status(EV_SOFTWARE), 0, "after COMPLETE: STATUS(0)");
		check_val(ev_status(EV_ASYNC_PF), 0, "after COMPLETE: STATUS(0x40400000)");
	}

	sdei_clean();
	report_prefix_pop();
}

void check_private_reset(void)
{
	report_prefix_push("PRIVATE_RESET");
	sdei_clean();
	register_ctl(EV_SOFTWARE, &ctl0);
	sdei(FN_EVENT_ENABLE, EV_SOFTWARE, 0);
	register_ctl(EV_ASYNC_PF, &ctl0);
	check_ret(sdei0(FN_PRIVATE_RESET), SUCCESS, "PRIVATE_RESET");
	check_val(ev_status(EV_SOFTWARE), 0, "STATUS(0) after it");
	check_val(ev_status(EV_ASYNC_PF), 0, "STATUS(0x40400000) after it");
	check_ret(sdei0(FN_PRIVATE_RESET), SUCCESS, "PRIVATE_RESET with nothing registered");
	check_ret(register_ctl(EV_SOFTWARE, &ctl0), SUCCESS, "REGISTER(0) after it");
	sdei_clean();
	report_prefix_pop();
}
