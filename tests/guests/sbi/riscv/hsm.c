/*
 * HSM: hart states as seen from the boot hart, and the second hart started,
 * stopped, suspended (retentive: the call returns; non-retentive: it comes
 * back at resume_addr) and woken by an IPI. The second hart enters at
 * hsm_entry (hsm_entry.S) rather than through cpu_start(), so that the
 * registers HART_START and a resume promise (a0, a1, sstatus.SIE, satp) are
 * seen as they arrive.
 */
#include "sbi_test.h"

#define TIMEOUT_MS 2000

/*
 * Not RAM and not executable for S-mode: QEMU virt's CLINT (ACLINT MSWI),
 * which OpenSBI keeps for M-mode; a tern guest has no device there. The
 * check is skipped should the DT's RAM cover it.
 */
#define BAD_ENTRY 0x02000000ul

enum hsm_mode {
	HSM_STOP, /* wait for go, then hart_stop */
	HSM_SUSPEND_RET, /* default retentive suspend, woken by an IPI */
	HSM_SUSPEND_NONRET, /* default non-retentive suspend, woken by an IPI */
	HSM_SUSPEND_BAD, /* suspend calls that must fail */
};

#define MAX_ENTRIES 2
#define NR_BAD 5

struct hsm_ctx {
	uintptr_t stack_top; /* hsm_entry.S loads these two */
	uintptr_t stvec;
	enum hsm_mode mode;
	unsigned int entries;
	unsigned long a0[MAX_ENTRIES], a1[MAX_ENTRIES];
	unsigned long sstatus[MAX_ENTRIES], satp[MAX_ENTRIES];
	bool running, go, suspending, returned, done;
	bool bad_entry_is_ram;
	long suspend_ret;
	long bad_ret[NR_BAD];
	/* Non-retentive suspend: sip at resume, and (with SSE) the software
	 * event registered before it, read back after. */
	unsigned long sip_at_resume;
	bool sse;
	long sse_status, sse_priority;
};

/* SSE (SBI 3.0), only to see that a suspend keeps the hart's events. */
#define SBI_EXT_SSE 0x535345ul
#define SSE_READ_ATTRS 0
#define SSE_WRITE_ATTRS 1
#define SSE_REGISTER 2
#define SSE_UNREGISTER 3
#define SSE_EVENT_SOFTWARE 0xffff0000ul
#define SSE_ATTR_STATUS 0
#define SSE_ATTR_PRIORITY 1
#define SSE_PRIORITY 7

/* Shared between the harts: every access goes through these. */
#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

static struct hsm_ctx ctx;
static uint8_t stack[8192] __aligned(16);

void hsm_entry(void);

/* The suspend calls the second hart must see refused. */
static const struct {
	unsigned long type, resume;
	long want;
	const char *what;
} bad_suspends[NR_BAD] = {
	{ 0x1, 0, SBI_ERR_INVALID_PARAM, "reserved type 0x1" },
	{ 0x0fffffff, 0, SBI_ERR_INVALID_PARAM, "reserved type 0x0fffffff" },
	{ 0x80000001, 0, SBI_ERR_INVALID_PARAM, "reserved type 0x80000001" },
	{ 0x8fffffff, 0, SBI_ERR_INVALID_PARAM, "reserved type 0x8fffffff" },
	/* Last: skipped should BAD_ENTRY be RAM here. */
	{ SBI_HSM_SUSPEND_NON_RETENTIVE, BAD_ENTRY, SBI_ERR_INVALID_ADDRESS,
	  "non-retentive, resume_addr 0x2000000" },
};

static long sse_attr(unsigned long attr)
{
	static unsigned long v __aligned(8);
	struct sbiret r = sbi_ecall(SBI_EXT_SSE, SSE_READ_ATTRS, SSE_EVENT_SOFTWARE, attr, 1,
				    (uintptr_t)&v, 0, 0);

	return r.error ? r.error : (long)v;
}

/* Registered, never enabled: it is only looked at, never delivered. */
static void sse_register(void)
{
	static unsigned long prio __aligned(8) = SSE_PRIORITY;

	sbi_ecall(SBI_EXT_SSE, SSE_REGISTER, SSE_EVENT_SOFTWARE, (uintptr_t)hsm_entry, 0, 0, 0, 0);
	sbi_ecall(SBI_EXT_SSE, SSE_WRITE_ATTRS, SSE_EVENT_SOFTWARE, SSE_ATTR_PRIORITY, 1,
		  (uintptr_t)&prio, 0, 0);
}

static struct sbiret hart_suspend(unsigned long type, unsigned long resume, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, type, resume, opaque, 0, 0, 0);
}

noreturn void hsm_secondary(unsigned long hartid, struct hsm_ctx *c, unsigned long sstatus,
			    unsigned long satp);
noreturn void hsm_secondary(unsigned long hartid, struct hsm_ctx *c, unsigned long sstatus,
			    unsigned long satp)
{
	unsigned int n = LOAD(c->entries);
	struct sbiret r;

	if (n < MAX_ENTRIES) {
		c->a0[n] = hartid;
		c->a1[n] = (unsigned long)c;
		c->sstatus[n] = sstatus;
		c->satp[n] = satp;
	}
	STORE(c->entries, n + 1);

	switch (c->mode) {
	case HSM_STOP:
		STORE(c->running, true);
		wait_until(LOAD(c->go), 10 * TIMEOUT_MS);
		break;
	case HSM_SUSPEND_RET:
		/* Wakes for an interrupt enabled in sie, even with sstatus.SIE
		 * clear (as WFI would). */
		csr_clear(sip, SIP_SSIP);
		csr_set(sie, SIP_SSIP);
		STORE(c->suspending, true);
		r = hart_suspend(SBI_HSM_SUSPEND_RETENTIVE, 0, 0);
		c->suspend_ret = r.error;
		STORE(c->returned, true);
		csr_clear(sie, SIP_SSIP);
		csr_clear(sip, SIP_SSIP);
		break;
	case HSM_SUSPEND_NONRET:
		if (n == 0) {
			if (c->sse)
				sse_register();
			csr_clear(sip, SIP_SSIP);
			csr_set(sie, SIP_SSIP);
			STORE(c->suspending, true);
			r = hart_suspend(SBI_HSM_SUSPEND_NON_RETENTIVE, (uintptr_t)hsm_entry,
					 (uintptr_t)c);
			/* Only a failed call gets here. */
			c->suspend_ret = r.error;
			STORE(c->returned, true);
		}
		/* Resumed at hsm_entry (n == 1): sie was cleared there; the IPI
		 * that woke the hart is still pending. */
		c->sip_at_resume = csr_read(sip);
		if (c->sse) {
			c->sse_status = sse_attr(SSE_ATTR_STATUS);
			c->sse_priority = sse_attr(SSE_ATTR_PRIORITY);
			sbi_ecall(SBI_EXT_SSE, SSE_UNREGISTER, SSE_EVENT_SOFTWARE, 0, 0, 0, 0, 0);
		}
		csr_clear(sip, SIP_SSIP);
		break;
	case HSM_SUSPEND_BAD:
		for (unsigned int i = 0; i < NR_BAD; i++) {
			if (bad_suspends[i].resume == BAD_ENTRY && c->bad_entry_is_ram)
				continue;
			c->bad_ret[i] = hart_suspend(bad_suspends[i].type, bad_suspends[i].resume,
						     (uintptr_t)c)
						.error;
		}
		break;
	}
	STORE(c->done, true);
	cpu_wake_all();
	sbi_call0(SBI_EXT_HSM, SBI_HSM_HART_STOP);
	/* HART_STOP does not return: the boot hart sees the status stay. */
	for (;;)
		__asm__ volatile("wfi");
}

static long hart_status(unsigned long hart)
{
	struct sbiret r = sbi_call1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hart);

	return r.error ? r.error : r.value;
}

static long hart_start(unsigned long hart, uintptr_t entry, uintptr_t opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hart, entry, opaque, 0, 0, 0).error;
}

static long send_ipi_to(unsigned long hart)
{
	return sbi_call2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, hart).error;
}

/* Start the second hart at hsm_entry in mode m; false if that failed. */
static bool start_other(enum hsm_mode m, const char *what)
{
	long r;

	ctx = (struct hsm_ctx){
		.stack_top = (uintptr_t)(stack + sizeof(stack)),
		.stvec = csr_read(stvec),
		.mode = m,
		.bad_entry_is_ram = ram_range(BAD_ENTRY, NULL, NULL),
		.sse = spec_at_least(2, 0) && sbi_probe(SBI_EXT_SSE),
	};
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	r = hart_start(env.other, (uintptr_t)hsm_entry, (uintptr_t)&ctx);
	report(r == SBI_SUCCESS, "%s: hart_start(%lu) = %ld (expected SUCCESS)", what, env.other, r);
	return r == SBI_SUCCESS;
}

/* The registers of entry number n (0: start, 1: resume). */
static void check_entry(unsigned int n, const char *what)
{
	report(LOAD(ctx.entries) > n, "%s: hart %lu entered at hsm_entry", what, env.other);
	if (LOAD(ctx.entries) <= n)
		return;
	report(ctx.a0[n] == env.other && ctx.a1[n] == (uintptr_t)&ctx,
	       "%s: a0 = %lu (hart id), a1 = 0x%lx (opaque 0x%lx)", what, ctx.a0[n], ctx.a1[n],
	       (unsigned long)(uintptr_t)&ctx);
	report(!(ctx.sstatus[n] & SSTATUS_SIE) && ctx.satp[n] == 0,
	       "%s: sstatus.SIE = 0 (sstatus 0x%lx), satp = 0x%lx", what, ctx.sstatus[n],
	       ctx.satp[n]);
}

static void check_stopped(const char *what)
{
	report(wait_until(hart_status(env.other) == SBI_HSM_STATE_STOPPED, TIMEOUT_MS),
	       "%s: hart_get_status(%lu) reaches STOPPED (%ld)", what, env.other,
	       hart_status(env.other));
}

static void check_boot_hart(void)
{
	struct sbiret r;
	long e;

	r = sbi_call1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, env.self);
	report(r.error == SBI_SUCCESS && r.value == SBI_HSM_STATE_STARTED,
	       "hart_get_status(self %lu) = %ld/%ld (expected STARTED)", env.self, r.error, r.value);
	r = sbi_call1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, env.absent);
	report(r.error == SBI_ERR_INVALID_PARAM,
	       "hart_get_status(absent %lu) = %ld (expected INVALID_PARAM)", env.absent, r.error);
	e = hart_start(env.self, (uintptr_t)hsm_entry, 0);
	report(e == SBI_ERR_ALREADY_AVAILABLE,
	       "hart_start(self) = %ld (expected ALREADY_AVAILABLE)", e);
	e = hart_start(env.absent, (uintptr_t)hsm_entry, 0);
	report(e == SBI_ERR_INVALID_PARAM, "hart_start(absent %lu) = %ld (expected INVALID_PARAM)",
	       env.absent, e);
	r = sbi_call0(SBI_EXT_HSM, 4);
	report(r.error == SBI_ERR_NOT_SUPPORTED, "HSM function 4 = %ld (expected NOT_SUPPORTED)",
	       r.error);
}

static void check_start_stop(void)
{
	const char *what = "start/stop";
	long e;

	e = hart_status(env.other);
	report(e == SBI_HSM_STATE_STOPPED, "hart_get_status(%lu) = %ld (expected STOPPED)",
	       env.other, e);
	if (!start_other(HSM_STOP, what))
		return;
	report(wait_until(LOAD(ctx.running), TIMEOUT_MS), "%s: hart %lu runs", what, env.other);
	check_entry(0, what);
	e = hart_status(env.other);
	report(e == SBI_HSM_STATE_STARTED, "%s: hart_get_status(%lu) = %ld (expected STARTED)",
	       what, env.other, e);
	e = hart_start(env.other, (uintptr_t)hsm_entry, (uintptr_t)&ctx);
	report(e == SBI_ERR_ALREADY_AVAILABLE,
	       "%s: hart_start(%lu) again = %ld (expected ALREADY_AVAILABLE)", what, env.other, e);
	STORE(ctx.go, true);
	report(wait_until(LOAD(ctx.done), TIMEOUT_MS), "%s: hart %lu calls hart_stop", what,
	       env.other);
	check_stopped(what);
}

/*
 * The hart suspends, is seen SUSPENDED and is woken by an IPI. OpenSBI 1.1
 * implements both default suspend types as a single WFI, which may return
 * early (a WFI may always, and a stale M-mode IPI makes it): a hart that
 * resumed before it was seen SUSPENDED is reported, not failed, as the
 * specification lets "an interrupt or platform specific hardware event"
 * end a suspend.
 */
static void check_suspend(enum hsm_mode m, const char *what)
{
	long st = SBI_ERR_FAILED, e;

	if (!start_other(m, what))
		return;
	report(wait_until(LOAD(ctx.suspending), TIMEOUT_MS), "%s: hart %lu calls hart_suspend",
	       what, env.other);
	check_entry(0, what);
	wait_until((st = hart_status(env.other)) == SBI_HSM_STATE_SUSPENDED || LOAD(ctx.done),
		   TIMEOUT_MS);
	if (st == SBI_HSM_STATE_SUSPENDED) {
		report(true, "%s: hart_get_status(%lu) = %ld (expected SUSPENDED)", what, env.other,
		       st);
		e = send_ipi_to(env.other);
		report(e == SBI_SUCCESS, "%s: send_ipi(%lu) to wake it = %ld (expected SUCCESS)",
		       what, env.other, e);
	} else if (LOAD(ctx.done)) {
		report_info("%s: hart %lu resumed before it was seen SUSPENDED (status %ld)", what,
			    env.other, st);
	} else {
		report(false, "%s: hart_get_status(%lu) = %ld (expected SUSPENDED)", what, env.other,
		       st);
	}
	report(wait_until(LOAD(ctx.done), TIMEOUT_MS), "%s: hart %lu woke and went on", what,
	       env.other);
	if (m == HSM_SUSPEND_RET) {
		report(LOAD(ctx.returned) && ctx.suspend_ret == SBI_SUCCESS,
		       "%s: hart_suspend returned %ld (expected SUCCESS)", what,
		       LOAD(ctx.returned) ? ctx.suspend_ret : 1);
	} else {
		report(!LOAD(ctx.returned), "%s: hart_suspend did not return (%ld)", what,
		       LOAD(ctx.returned) ? ctx.suspend_ret : 0);
		report(LOAD(ctx.entries) == 2, "%s: resumed at resume_addr (entries %u)", what,
		       LOAD(ctx.entries));
		check_entry(1, "resume");
		report(ctx.sip_at_resume & SIP_SSIP,
		       "%s: the IPI that woke it is pending at resume (sip 0x%lx)", what,
		       ctx.sip_at_resume);
		if (ctx.sse)
			report((ctx.sse_status & 3) == 1 && ctx.sse_priority == SSE_PRIORITY,
			       "%s: its SSE event is still registered (status %ld, state 1 expected) with priority %ld (expected %d)",
			       what, ctx.sse_status, ctx.sse_priority, SSE_PRIORITY);
	}
	check_stopped(what);
}

static void check_bad_suspend(void)
{
	const char *what = "bad suspend";

	if (!start_other(HSM_SUSPEND_BAD, what))
		return;
	if (!wait_until(LOAD(ctx.done), TIMEOUT_MS)) {
		report(false, "%s: hart %lu did not finish", what, env.other);
		return;
	}
	for (unsigned int i = 0; i < NR_BAD; i++) {
		if (bad_suspends[i].resume == BAD_ENTRY && ctx.bad_entry_is_ram)
			report_skip("hart_suspend(%s): that is RAM here", bad_suspends[i].what);
		else
			report(ctx.bad_ret[i] == bad_suspends[i].want,
			       "hart_suspend(%s) = %ld (expected %s)", bad_suspends[i].what,
			       ctx.bad_ret[i], sbi_err_name(bad_suspends[i].want));
	}
	check_stopped(what);
}

static void check_bad_start(void)
{
	long e;

	if (ram_range(BAD_ENTRY, NULL, NULL)) {
		report_skip("hart_start at 0x%lx: that is RAM here", BAD_ENTRY);
		return;
	}
	e = hart_start(env.other, BAD_ENTRY, 0);
	report(e == SBI_ERR_INVALID_ADDRESS,
	       "hart_start(%lu, 0x%lx: not executable) = %ld (expected INVALID_ADDRESS)", env.other,
	       BAD_ENTRY, e);
	e = hart_status(env.other);
	report(e == SBI_HSM_STATE_STOPPED, "hart %lu still STOPPED (%ld)", env.other, e);
}

void check_hsm(void)
{
	report_prefix_push("hsm");
	check_boot_hart();
	if (env.other_cpu < 0) {
		report_skip("a second hart: the DT lists one hart");
		report_prefix_pop();
		return;
	}
	check_start_stop();
	check_suspend(HSM_SUSPEND_RET, "retentive suspend");
	check_suspend(HSM_SUSPEND_NONRET, "non-retentive suspend");
	check_bad_suspend();
	check_bad_start();
	report_prefix_pop();
}
