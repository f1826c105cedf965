/*
 * SBI SSE (SBI v3.0, EID 0x535345) as tern implements it for guests
 * (docs/guest-abi/sse.md): every function, the state rules with their
 * exact error codes, attributes through guest-physical buffers, delivery
 * and completion (a6/a7/sepc of the interrupted code intact), injection to
 * this hart and another, hart mask/unmask, and a handler entry outside
 * RAM. Without SSE (OpenSBI 1.1/1.2) only the probe is checked.
 */
#include <guest.h>

#define EID 0x535345ul
enum { READ_ATTRS, WRITE_ATTRS, REGISTER, UNREGISTER, ENABLE, DISABLE, COMPLETE, INJECT,
       HART_UNMASK, HART_MASK };
enum { A_STATUS, A_PRIORITY, A_CONFIG, A_PREF_HART, A_ENTRY_PC, A_ENTRY_ARG, A_INT_SEPC,
       A_INT_FLAGS, A_INT_A6, A_INT_A7, A_COUNT };
#define EV_SW 0xffff0000ul
#define EV_APF 0xffff4000ul
#define ERR_ALREADY_STARTED (-7L)
#define ERR_ALREADY_STOPPED (-8L)
#define ERR_INVALID_STATE (-10L)
#define ERR_BAD_RANGE (-11L)

struct sse_ctx {
	uint64_t stack_top, saved_sp;
};

void sse_entry(void);
long sse_spin_a6a7(volatile long *flag, unsigned long out[2], long loops);
unsigned long sse_inject_bad(unsigned long event, unsigned long hart);
long sse_inject_keep(unsigned long event, unsigned long hart, unsigned long out[11]);
long sse_inject_clobbered(unsigned long event, unsigned long hart);
long sse_inject_ctx(unsigned long event, unsigned long hart, unsigned long sepc,
		    unsigned long out[2]);
void sse_redirect(void);
void sse_wfi(void);
void sse_handler(unsigned long hartid, struct sse_ctx *ctx);

static uint8_t stacks[MAX_CPUS][4096] __attribute__((aligned(16)));
static struct sse_ctx ctx[MAX_CPUS];

/* What the handler saw, per hart. */
static struct {
	volatile long count;
	unsigned long hartid, sepc, sstatus, attrs[A_COUNT];
	long read_err, write_err;
	unsigned long new_sepc;  /* nonzero: write INTERRUPTED_SEPC */
	unsigned long redirect;  /* nonzero: set sepc (the resume pc) */
	long flags_err;          /* INTERRUPTED_FLAGS write with a reserved bit */
	unsigned long flags_ok;  /* the spec's flag bits that wrote and read back */
	bool reinject;           /* inject itself again from the handler */
	bool reinject_clobbered; /* the same, with s1-s11 changed around the call */
	long reinject_err;
	unsigned long status_after_reinject;
	unsigned int wfi_skips;  /* taken at sse_wfi's WFI: resumed after it */
} seen[MAX_CPUS];
static volatile long flag[MAX_CPUS];

static struct sbiret sse(unsigned long fn, unsigned long a0, unsigned long a1, unsigned long a2,
			 unsigned long a3, unsigned long a4)
{
	return sbi_ecall(EID, fn, a0, a1, a2, a3, a4, 0);
}

static unsigned long buf[A_COUNT + 2] __attribute__((aligned(8)));

static long read_attrs(unsigned long ev, unsigned long base, unsigned long n, unsigned long *out)
{
	return sse(READ_ATTRS, ev, base, n, (uintptr_t)out, 0).error;
}

static long write_attr(unsigned long ev, unsigned long attr, unsigned long val)
{
	buf[0] = val;
	return sse(WRITE_ATTRS, ev, attr, 1, (uintptr_t)buf, 0).error;
}

static unsigned long attr(unsigned long ev, unsigned long a)
{
	unsigned long v[1] __attribute__((aligned(8))) = { ~0ul };

	read_attrs(ev, a, 1, v);
	return v[0];
}

static int cpu_index(unsigned long hartid)
{
	for (int i = 0; i < cpu_count(); i++)
		if (cpu_hwid(i) == hartid)
			return i;
	return 0;
}

void sse_handler(unsigned long hartid, struct sse_ctx *c)
{
	int i = (int)(c - ctx);
	unsigned long sepc, sstatus;

	__asm__ volatile("csrr %0, sepc" : "=r"(sepc));
	__asm__ volatile("csrr %0, sstatus" : "=r"(sstatus));
	seen[i].hartid = hartid;
	seen[i].sepc = sepc;
	seen[i].sstatus = sstatus;
	seen[i].read_err = read_attrs(EV_SW, 0, A_COUNT, seen[i].attrs);
	if (seen[i].new_sepc) {
		seen[i].write_err = write_attr(EV_SW, A_INT_SEPC, seen[i].new_sepc);
		/* SBI 3.0: SPP, SPIE, SPV, SPVP, SPELP, SDT (bits 0-5) are
		 * writable while running; bit 6 on is reserved. */
		seen[i].flags_ok = 0;
		for (unsigned int b = 0; b < 6; b++)
			if (write_attr(EV_SW, A_INT_FLAGS, 1ul << b) == 0 &&
			    attr(EV_SW, A_INT_FLAGS) == 1ul << b)
				seen[i].flags_ok |= 1ul << b;
		seen[i].flags_err = write_attr(EV_SW, A_INT_FLAGS, 1ul << 6);
		if (!seen[i].write_err)
			seen[i].write_err = write_attr(EV_SW, A_INT_FLAGS,
						       seen[i].attrs[A_INT_FLAGS]);
	}
	if (seen[i].redirect)
		__asm__ volatile("csrw sepc, %0" : : "r"(seen[i].redirect));
	/* Taken at the WFI of a hart about to sleep until this event
	 * (restarted()): resume after it (sepc is the resume pc), or the
	 * hart would sleep with its event already taken. Its flag check and
	 * WFI cannot be one step: SSE events are taken whatever sstatus.SIE
	 * says. */
	if (sepc == (uintptr_t)sse_wfi) {
		__asm__ volatile("csrw sepc, %0" : : "r"(sepc + 4));
		seen[i].wfi_skips++;
	}
	if (seen[i].reinject_clobbered) {
		seen[i].reinject_clobbered = false;
		seen[i].reinject_err = sse_inject_clobbered(EV_SW, hartid);
	}
	if (seen[i].reinject) {
		seen[i].reinject = false;
		seen[i].reinject_err = sse(INJECT, EV_SW, hartid, 0, 0, 0).error;
		seen[i].status_after_reinject = attr(EV_SW, A_STATUS);
	}
	/* While running: ENABLE/DISABLE/UNREGISTER/REGISTER are refused. */
	if (sse(ENABLE, EV_SW, 0, 0, 0, 0).error != ERR_INVALID_STATE ||
	    sse(DISABLE, EV_SW, 0, 0, 0, 0).error != ERR_INVALID_STATE ||
	    sse(UNREGISTER, EV_SW, 0, 0, 0, 0).error != ERR_INVALID_STATE ||
	    write_attr(EV_SW, A_PRIORITY, 1) != ERR_INVALID_STATE)
		seen[i].write_err = -100;
	flag[i] = 1;
	seen[i].count++;
}

static void setup_ctx(int i)
{
	ctx[i].stack_top = (uintptr_t)&stacks[i][sizeof(stacks[i])];
}

static void check_ids(void)
{
	static const unsigned long unsupported[] = { 0, 1, 0x8000, 0x10000, 0x100000, 0x108000,
						     0xffff8000 };
	static const unsigned long invalid[] = { 2, 0x4000, 0xffff0001, 0xffff4001, 0xffffc000 };
	long e;

	for (unsigned int i = 0; i < ARRAY_SIZE(unsupported); i++) {
		e = sse(REGISTER, unsupported[i], (uintptr_t)sse_entry, 0, 0, 0).error;
		report(e == SBI_ERR_NOT_SUPPORTED, "register(0x%lx) = %ld (NOT_SUPPORTED)",
		       unsupported[i], e);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(invalid); i++) {
		e = sse(ENABLE, invalid[i], 0, 0, 0, 0).error;
		report(e == SBI_ERR_INVALID_PARAM, "enable(0x%lx) = %ld (INVALID_PARAM)", invalid[i],
		       e);
	}
	e = read_attrs(0xffff8000, 0, 1, buf);
	report(e == SBI_ERR_NOT_SUPPORTED, "global software event: read_attrs = %ld", e);
	e = sse(10, 0, 0, 0, 0, 0).error;
	report(e == SBI_ERR_NOT_SUPPORTED, "function 10 = %ld (NOT_SUPPORTED)", e);
}

static void check_states(void)
{
	unsigned long self = this_cpu_hwid();
	long e;

	report(attr(EV_SW, A_STATUS) == 8, "status UNUSED, injectable = 0x%lx",
	       attr(EV_SW, A_STATUS));
	report(attr(EV_APF, A_STATUS) == 0, "async-pf status UNUSED, not injectable = 0x%lx",
	       attr(EV_APF, A_STATUS));
	e = sse(ENABLE, EV_SW, 0, 0, 0, 0).error;
	report(e == ERR_INVALID_STATE, "enable(unused) = %ld (INVALID_STATE)", e);
	e = sse(DISABLE, EV_SW, 0, 0, 0, 0).error;
	report(e == ERR_INVALID_STATE, "disable(unused) = %ld (INVALID_STATE)", e);
	e = sse(UNREGISTER, EV_SW, 0, 0, 0, 0).error;
	report(e == ERR_INVALID_STATE, "unregister(unused) = %ld (INVALID_STATE)", e);
	e = sse(INJECT, EV_SW, self, 0, 0, 0).error;
	report(e == SBI_ERR_FAILED, "inject(unused) = %ld (FAILED)", e);
	e = sse(REGISTER, EV_SW, (uintptr_t)sse_entry + 1, 0, 0, 0).error;
	report(e == SBI_ERR_INVALID_PARAM, "register(odd pc) = %ld (INVALID_PARAM)", e);
	e = write_attr(EV_SW, A_PRIORITY, 3);
	report(e == 0 && attr(EV_SW, A_PRIORITY) == 3, "priority writable while unused");
	e = write_attr(EV_SW, A_PRIORITY, 1ul << 32);
	report(e == SBI_ERR_INVALID_PARAM, "priority > 32 bits = %ld (INVALID_PARAM)", e);
	write_attr(EV_SW, A_PRIORITY, 0);

	e = sse(REGISTER, EV_SW, (uintptr_t)sse_entry, (uintptr_t)&ctx[0], 0, 0).error;
	report(e == 0, "register = %ld", e);
	report(attr(EV_SW, A_STATUS) == 9, "status REGISTERED = 0x%lx", attr(EV_SW, A_STATUS));
	report(attr(EV_SW, A_ENTRY_PC) == (uintptr_t)sse_entry &&
	       attr(EV_SW, A_ENTRY_ARG) == (uintptr_t)&ctx[0] &&
	       attr(EV_SW, A_PREF_HART) == self, "entry pc/arg, preferred hart read back");
	e = sse(REGISTER, EV_SW, (uintptr_t)sse_entry, 0, 0, 0).error;
	report(e == ERR_INVALID_STATE, "register(registered) = %ld (INVALID_STATE)", e);
	e = sse(DISABLE, EV_SW, 0, 0, 0, 0).error;
	report(e == ERR_INVALID_STATE, "disable(registered) = %ld (INVALID_STATE)", e);
	e = sse(UNREGISTER, EV_SW, 0, 0, 0, 0).error;
	report(e == 0 && attr(EV_SW, A_STATUS) == 8, "unregister(registered) = %ld", e);
	sse(REGISTER, EV_SW, (uintptr_t)sse_entry, (uintptr_t)&ctx[0], 0, 0);
	e = sse(ENABLE, EV_SW, 0, 0, 0, 0).error;
	report(e == 0 && attr(EV_SW, A_STATUS) == 10, "enable(registered) = %ld, status 0x%lx", e,
	       attr(EV_SW, A_STATUS));
	e = sse(ENABLE, EV_SW, 0, 0, 0, 0).error;
	report(e == ERR_INVALID_STATE, "enable(enabled) = %ld (INVALID_STATE)", e);
	e = sse(UNREGISTER, EV_SW, 0, 0, 0, 0).error;
	report(e == ERR_INVALID_STATE, "unregister(enabled) = %ld (INVALID_STATE)", e);
	e = write_attr(EV_SW, A_PRIORITY, 1);
	report(e == ERR_INVALID_STATE, "priority write while enabled = %ld (INVALID_STATE)", e);
	e = write_attr(EV_SW, A_INT_SEPC, 0);
	report(e == ERR_INVALID_STATE, "interrupted_sepc write not running = %ld", e);
	e = sse(DISABLE, EV_SW, 0, 0, 0, 0).error;
	report(e == 0, "disable(enabled) = %ld", e);
	e = sse(INJECT, EV_APF, self, 0, 0, 0).error;
	report(e == SBI_ERR_INVALID_PARAM, "inject(async-pf) = %ld (INVALID_PARAM)", e);
	e = sse(INJECT, EV_SW, 1000, 0, 0, 0).error;
	report(e == SBI_ERR_INVALID_PARAM, "inject(hart 1000) = %ld (INVALID_PARAM)", e);
}

static void check_attrs(void)
{
	long e;

	e = read_attrs(EV_SW, 0, 0, buf);
	report(e == SBI_ERR_INVALID_PARAM, "read_attrs count 0 = %ld", e);
	e = read_attrs(EV_SW, 8, 3, buf);
	report(e == ERR_BAD_RANGE, "read_attrs 8..10 = %ld (BAD_RANGE)", e);
	e = read_attrs(EV_SW, 0, 1, (unsigned long *)((uintptr_t)buf + 4));
	report(e == SBI_ERR_INVALID_ADDRESS, "read_attrs misaligned = %ld", e);
	e = read_attrs(EV_SW, 0, 1, (unsigned long *)0x1000);
	report(e == SBI_ERR_INVALID_ADDRESS, "read_attrs outside RAM = %ld", e);
	e = sse(READ_ATTRS, EV_SW, 0, 1, (uintptr_t)buf, 1).error;
	report(e == SBI_ERR_INVALID_ADDRESS, "read_attrs phys_hi != 0 = %ld", e);
	buf[A_COUNT] = 0x5a5a;
	e = read_attrs(EV_SW, 0, A_COUNT, buf);
	report(e == 0 && buf[A_STATUS] == 9 && buf[A_ENTRY_PC] == (uintptr_t)sse_entry &&
	       buf[A_COUNT] == 0x5a5a, "read all attributes (status 0x%lx)", buf[A_STATUS]);
	e = read_attrs(EV_SW, A_ENTRY_PC, 2, buf);
	report(e == 0 && buf[0] == (uintptr_t)sse_entry && buf[1] == (uintptr_t)&ctx[0],
	       "read_attrs from base 4: value i is attribute base+i");
	for (unsigned long a = A_STATUS; a <= A_ENTRY_ARG; a += (a == A_STATUS ? 3 : 1)) {
		e = write_attr(EV_SW, a, 0);
		report(e == SBI_ERR_DENIED, "write attribute %lu (read-only) = %ld (DENIED)", a, e);
	}
	e = write_attr(EV_SW, A_CONFIG, 2);
	report(e == SBI_ERR_INVALID_PARAM, "config reserved bit = %ld (INVALID_PARAM)", e);
	buf[0] = 7;
	buf[1] = 0;
	e = sse(WRITE_ATTRS, EV_SW, A_PRIORITY, 3, (uintptr_t)buf, 0).error;
	report(e == SBI_ERR_DENIED && attr(EV_SW, A_PRIORITY) == 0,
	       "write priority..preferred_hart = %ld (DENIED), nothing written", e);
	e = sse(WRITE_ATTRS, EV_SW, A_INT_A7, 2, (uintptr_t)buf, 0).error;
	report(e == ERR_BAD_RANGE, "write_attrs 9..10 = %ld (BAD_RANGE)", e);
	e = sse(WRITE_ATTRS, EV_SW, A_PRIORITY, 1, 0x1000, 0).error;
	report(e == SBI_ERR_INVALID_ADDRESS, "write_attrs outside RAM = %ld", e);
}

static void check_delivery_self(void)
{
	unsigned long self = this_cpu_hwid();
	long e;

	seen[0].count = 0;
	e = sse(HART_UNMASK, 0, 0, 0, 0, 0).error;
	report(e == 0, "hart_unmask (masked at boot) = %ld", e);
	e = sse(HART_UNMASK, 0, 0, 0, 0, 0).error;
	report(e == ERR_ALREADY_STARTED, "hart_unmask again = %ld (ALREADY_STARTED)", e);
	/* Disabled: injected, pending, not delivered. Pending is a flag
	 * (STATUS bit 2, SBI 3.0): a second inject before delivery adds
	 * nothing, so unmasking below delivers once. */
	e = sse(INJECT, EV_SW, self, 0, 0, 0).error;
	if (!e)
		e = sse(INJECT, EV_SW, self, 0, 0, 0).error;
	report(e == 0 && seen[0].count == 0 && attr(EV_SW, A_STATUS) == (1 | 4 | 8),
	       "inject twice while disabled: pending, status 0x%lx", attr(EV_SW, A_STATUS));
	e = sse(HART_MASK, 0, 0, 0, 0, 0).error;
	report(e == 0, "hart_mask = %ld", e);
	e = sse(HART_MASK, 0, 0, 0, 0, 0).error;
	report(e == ERR_ALREADY_STOPPED, "hart_mask again = %ld (ALREADY_STOPPED)", e);
	sse(ENABLE, EV_SW, 0, 0, 0, 0);
	report(seen[0].count == 0, "masked: enabled pending event not delivered");
	e = sse(HART_UNMASK, 0, 0, 0, 0, 0).error;
	report(e == 0 && seen[0].count == 1, "unmask delivers the pending event once (count %ld)",
	       seen[0].count);
	report(seen[0].hartid == self, "handler a6 = hart id %lu", seen[0].hartid);
	report(seen[0].read_err == 0 && (seen[0].attrs[A_STATUS] & 3) == 3 &&
	       !(seen[0].attrs[A_STATUS] & 4), "in handler: status RUNNING, not pending (0x%lx)",
	       seen[0].attrs[A_STATUS]);
	report(seen[0].attrs[A_INT_A6] == HART_UNMASK && seen[0].attrs[A_INT_A7] == EID,
	       "interrupted a6/a7 = 0x%lx/0x%lx (the unmask ecall's)", seen[0].attrs[A_INT_A6],
	       seen[0].attrs[A_INT_A7]);
	report(!(seen[0].sstatus & 2) && (seen[0].sstatus & 0x100),
	       "handler entry: SIE=0, SPP=S (sstatus 0x%lx)", seen[0].sstatus);
	report(seen[0].write_err == 0, "running: enable/disable/unregister/priority refused");
	report(attr(EV_SW, A_STATUS) == 10, "after complete: ENABLED, 0x%lx",
	       attr(EV_SW, A_STATUS));
	e = sse(COMPLETE, 0, 0, 0, 0, 0).error;
	report(e == 0, "complete with nothing running = %ld", e);

	/* One-shot: back to REGISTERED after complete. */
	sse(DISABLE, EV_SW, 0, 0, 0, 0);
	e = write_attr(EV_SW, A_CONFIG, 1);
	sse(ENABLE, EV_SW, 0, 0, 0, 0);
	sse(INJECT, EV_SW, self, 0, 0, 0);
	report(e == 0 && seen[0].count == 2 && attr(EV_SW, A_STATUS) == 9,
	       "one-shot: delivered, then REGISTERED (0x%lx)", attr(EV_SW, A_STATUS));
	write_attr(EV_SW, A_CONFIG, 0);
	sse(ENABLE, EV_SW, 0, 0, 0, 0);
}

static void check_complete_context(void)
{
	unsigned long self = this_cpu_hwid(), out[2];
	long r, n = seen[0].count;

	/* The interrupted sepc CSR and SPIE come back; the resume pc is the
	 * one after the inject ecall. */
	r = sse_inject_ctx(EV_SW, self, 0x1234, out);
	report(seen[0].count == n + 1 && r == 0 && out[0] == 0x1234 && (out[1] & 0x20),
	       "complete: resumed after the ecall, sepc 0x%lx and SPIE restored", out[0]);
	report(seen[0].attrs[A_INT_SEPC] == 0x1234 && (seen[0].attrs[A_INT_FLAGS] & 2) &&
	       !(seen[0].attrs[A_INT_FLAGS] & ~3ul),
	       "INTERRUPTED_SEPC 0x%lx, INTERRUPTED_FLAGS 0x%lx", seen[0].attrs[A_INT_SEPC],
	       seen[0].attrs[A_INT_FLAGS]);
	/* The handler rewrites INTERRUPTED_SEPC: that is the sepc CSR after
	 * completion; reserved flag bits are refused. */
	seen[0].new_sepc = 0x5678;
	r = sse_inject_ctx(EV_SW, self, 0x1234, out);
	seen[0].new_sepc = 0;
	report(r == 0 && out[0] == 0x5678 && seen[0].write_err == 0,
	       "INTERRUPTED_SEPC written in the handler: sepc 0x%lx after complete", out[0]);
	report(seen[0].flags_ok == 0x3f,
	       "INTERRUPTED_FLAGS SPP, SPIE, SPV, SPVP, SPELP, SDT each written in the handler and read back (0x%lx of 0x3f)",
	       seen[0].flags_ok);
	report(seen[0].flags_err == SBI_ERR_INVALID_PARAM,
	       "INTERRUPTED_FLAGS bit 6 (reserved) = %ld (INVALID_PARAM)", seen[0].flags_err);
	/* The handler sets its sepc: the interrupted code resumes there. */
	seen[0].redirect = (uintptr_t)sse_redirect;
	r = sse_inject_ctx(EV_SW, self, 0x1234, out);
	seen[0].redirect = 0;
	report(r == 1 && out[0] == 0x1234, "handler's sepc is the resume pc (redirected %ld)", r);
	/* Injected again while running: pending, taken after completion. */
	n = seen[0].count;
	seen[0].reinject = true;
	r = sse(INJECT, EV_SW, self, 0, 0, 0).error;
	report(r == 0 && seen[0].reinject_err == 0 && seen[0].count == n + 2 &&
	       seen[0].status_after_reinject == (3 | 4 | 8),
	       "inject while running: pending (0x%lx), delivered after complete (%ld runs)",
	       seen[0].status_after_reinject, seen[0].count - n);
	/* SSE saves only a6/a7: s1-s11 reach the interrupted code as it left
	 * them, however the handler changed them around its own calls (SBI
	 * v3.0 SSE, "the handler is responsible for saving and restoring"
	 * the rest). Two deliveries, the first re-injecting with s1-s11 moved. */
	{
		unsigned long s[11];
		unsigned int ok = 0;

		n = seen[0].count;
		seen[0].reinject_clobbered = true;
		r = sse_inject_keep(EV_SW, self, s);
		for (unsigned int k = 0; k < 11; k++)
			ok += s[k] == 0x5101 + k;
		report(r == 0 && seen[0].reinject_err == 0 && seen[0].count == n + 2 && ok == 11,
		       "s1-s11 kept across a handler that re-injected with them changed "
		       "(%u of 11 kept, s1 0x%lx, %ld runs)", ok, s[0], seen[0].count - n);
	}
}

static void check_bad_entry(void)
{
	unsigned long self = this_cpu_hwid(), cause;

	sse(DISABLE, EV_SW, 0, 0, 0, 0);
	sse(UNREGISTER, EV_SW, 0, 0, 0, 0);
	report(sse(REGISTER, EV_SW, 0x2000, 0, 0, 0).error == 0,
	       "register with ENTRY_PC outside RAM (a virtual address: accepted)");
	sse(ENABLE, EV_SW, 0, 0, 0, 0);
	cause = sse_inject_bad(EV_SW, self);
	report(cause == 1, "entry outside RAM: the guest takes an instruction access fault "
	       "(scause %lu), tern runs on", cause);
	report(attr(EV_SW, A_STATUS) == 10, "completed from the fault handler: ENABLED");
	sse(DISABLE, EV_SW, 0, 0, 0, 0);
	sse(UNREGISTER, EV_SW, 0, 0, 0, 0);
}

static volatile long secondary_ready, secondary_done;
static unsigned long spin_out[2];
static long spin_flag;

static void secondary(void *arg)
{
	int i = cpu_index(this_cpu_hwid());

	setup_ctx(i);
	write_attr(EV_SW, A_PRIORITY, 5); /* a restart must reset it */
	sse(REGISTER, EV_SW, (uintptr_t)sse_entry, (uintptr_t)&ctx[i], 0, 0);
	sse(ENABLE, EV_SW, 0, 0, 0, 0);
	sse(HART_UNMASK, 0, 0, 0, 0, 0);
	secondary_ready = 1;
	cpu_wake_all();
	spin_flag = sse_spin_a6a7(&flag[i], spin_out, 400000000L);
	secondary_done = 1;
	cpu_wake_all();
}

static void check_other_hart(void)
{
	int cpu = boot_cpu() == 0 ? 1 : 0;
	unsigned long hart;
	long e;

	if (cpu_count() < 2) {
		report_skip("inject to another hart: one CPU only");
		return;
	}
	hart = cpu_hwid(cpu);
	e = sse(INJECT, EV_SW, hart, 0, 0, 0).error;
	report(e == SBI_ERR_FAILED, "inject to stopped hart %lu = %ld (FAILED)", hart, e);
	if (cpu_start(cpu, secondary, NULL) != 0 || !wait_until(secondary_ready, 5000)) {
		report(false, "secondary hart started");
		return;
	}
	e = sse(INJECT, EV_SW, hart, 0, 0, 0).error;
	report(e == 0, "inject to hart %lu = %ld", hart, e);
	report(wait_until(secondary_done, 10000) && spin_flag == 1, "delivered on hart %lu",
	       hart);
	report(seen[cpu].hartid == hart, "handler a6 = %lu", seen[cpu].hartid);
	report(spin_out[0] == 0x6666 && spin_out[1] == 0x7777,
	       "interrupted loop resumed with a6/a7 intact (0x%lx/0x%lx)", spin_out[0],
	       spin_out[1]);
	report(seen[cpu].attrs[A_INT_A6] == 0x6666 && seen[cpu].attrs[A_INT_A7] == 0x7777,
	       "INTERRUPTED_A6/A7 = 0x%lx/0x%lx", seen[cpu].attrs[A_INT_A6],
	       seen[cpu].attrs[A_INT_A7]);
	report(seen[cpu].sepc >= (uintptr_t)sse_spin_a6a7 &&
	       seen[cpu].sepc < (uintptr_t)sse_spin_a6a7 + 64,
	       "handler sepc 0x%lx is in the interrupted loop", seen[cpu].sepc);
}

static volatile long restarted_done;
static unsigned long restarted_status, restarted_prio;
static long restarted_mask, restarted_wfi;

/* A hart started again: events masked, nothing registered, attributes at
 * their reset values. Then it sleeps in WFI with every interrupt off: only
 * a due event can wake it. */
static void restarted(void *arg)
{
	int i = cpu_index(this_cpu_hwid());

	restarted_status = attr(EV_SW, A_STATUS);
	restarted_prio = attr(EV_SW, A_PRIORITY);
	restarted_mask = sse(HART_MASK, 0, 0, 0, 0, 0).error;
	write_attr(EV_SW, A_PRIORITY, 5);
	flag[i] = 0;
	sse(REGISTER, EV_SW, (uintptr_t)sse_entry, (uintptr_t)&ctx[i], 0, 0);
	sse(ENABLE, EV_SW, 0, 0, 0, 0);
	sse(HART_UNMASK, 0, 0, 0, 0, 0);
	__asm__ volatile("csrc sstatus, %0" : : "r"(2ul));
	__asm__ volatile("csrw sie, zero");
	secondary_ready = 1;
	cpu_wake_all();
	for (long n = 0; !flag[i] && n < 1000; n++) {
		sse_wfi();
		restarted_wfi++;
	}
	restarted_done = 1;
	cpu_wake_all();
}

static void check_restarted_hart(void)
{
	int cpu = boot_cpu() == 0 ? 1 : 0;
	unsigned long hart;
	long e;

	if (cpu_count() < 2)
		return;
	hart = cpu_hwid(cpu);
	wait_until(sse(INJECT, EV_SW, hart, 0, 0, 0).error == SBI_ERR_FAILED, 5000);
	secondary_ready = 0;
	if (cpu_start(cpu, restarted, NULL) != 0 || !wait_until(secondary_ready, 5000)) {
		report(false, "hart %lu restarted", hart);
		return;
	}
	report(restarted_status == 8 && restarted_prio == 0 &&
	       restarted_mask == ERR_ALREADY_STOPPED,
	       "restarted hart: UNUSED (0x%lx), priority %lu, masked (%ld)", restarted_status,
	       restarted_prio, restarted_mask);
	e = sse(INJECT, EV_SW, hart, 0, 0, 0).error;
	report(e == 0 && wait_until(restarted_done, 10000) && flag[cpu] == 1,
	       "event wakes a hart in WFI (inject %ld, %ld wakeups, %s)", e, restarted_wfi,
	       seen[cpu].wfi_skips ? "taken just before the WFI: resumed after it" : "taken in it");
}

int main(int argc, char **argv)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, EID, 0, 0, 0, 0, 0);

	report_prefix_push("sse");
	if (r.error || !r.value) {
		/* No SSE (or, with SBI v0.1 only, not even BASE): its calls fail. */
		long e = sse(HART_MASK, 0, 0, 0, 0, 0).error;

		report((r.error == 0 && r.value == 0) || r.error == SBI_ERR_NOT_SUPPORTED,
		       "SSE probe is 0 (not offered): %ld/%ld", r.error, r.value);
		report(e == SBI_ERR_NOT_SUPPORTED, "SSE call without SSE = %ld (NOT_SUPPORTED)", e);
		report_skip("SSE not offered by this SBI implementation");
		exit_test();
	}
	report(true, "SSE probe = %ld", r.value);
	setup_ctx(cpu_index(this_cpu_hwid()));
	check_ids();
	check_states();
	check_attrs();
	check_delivery_self();
	check_complete_context();
	check_bad_entry();
	check_other_hart();
	check_restarted_hart();
	exit_test();
}
