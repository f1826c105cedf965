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
#include <guest.h>
#include <libfdt.h>
#include <string.h>
#include <tern/printk.h>

#include "sdei_asm.h"

/* --- SDEI calls ----------------------------------------------------------- */

#define SDEI_FID(n) (0xc4000000u | (n)) /* SMC64 */
#define SDEI_FID32(n) (0x84000000u | (n)) /* SMC32 */
enum {
	FN_VERSION = 0x20, FN_EVENT_REGISTER, FN_EVENT_ENABLE, FN_EVENT_DISABLE,
	FN_EVENT_CONTEXT, FN_EVENT_COMPLETE, FN_EVENT_COMPLETE_AND_RESUME, FN_EVENT_UNREGISTER,
	FN_EVENT_STATUS, FN_EVENT_GET_INFO, FN_EVENT_ROUTING_SET, FN_PE_MASK, FN_PE_UNMASK,
	FN_INTERRUPT_BIND, FN_INTERRUPT_RELEASE, FN_EVENT_SIGNAL, FN_FEATURES,
	FN_PRIVATE_RESET, FN_SHARED_RESET,
};

#define SMCCC_ARCH_FEATURES 0x80000001u

#define SUCCESS 0L
#define NOT_SUPPORTED (-1L)
#define INVALID_PARAMETERS (-2L)
#define DENIED (-3L)
#define PENDING (-5L)
#define OUT_OF_RESOURCE (-10L)

#define SDEI_VERSION_1_1 0x0001000100000000UL

#define EV_SOFTWARE 0UL
#define EV_ASYNC_PF 0x40400000UL
#define EV_UNKNOWN 5UL

/* EVENT_STATUS bits. */
#define ST_REGISTERED 1L
#define ST_ENABLED 2L
#define ST_RUNNING 4L

/* PSTATE as SPSR shows it. */
#define PSR_EL1H 0x5UL
#define PSR_F (1UL << 6)
#define PSR_I (1UL << 7)
#define PSR_A (1UL << 8)
#define PSR_D (1UL << 9)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_N (1UL << 31)
#define PSR_Z (1UL << 30)
#define PSR_C (1UL << 29)
#define PSR_V (1UL << 28)
/* The PSTATE fields the guest sets and reads back: NZCV, DAIF, M[4:0]. */
#define PSR_CHECKED (0xf0000000UL | PSR_DAIF | 0x1fUL)
#define CURRENTEL_EL1 (1UL << 2)

/* SDEI's conduit is the DT's "method"; tern says hvc (checked). */
static long hvc6(uint32_t fid, unsigned long a1, unsigned long a2, unsigned long a3,
		 unsigned long a4, unsigned long a5)
{
	register unsigned long x0 __asm__("x0") = fid;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;
	register unsigned long x4 __asm__("x4") = a4;
	register unsigned long x5 __asm__("x5") = a5;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
			 :
			 : "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
			   "x16", "x17", "memory");
	return (long)x0;
}

static long smc1(uint32_t fid)
{
	register unsigned long x0 __asm__("x0") = fid;

	__asm__ volatile("smc #0"
			 : "+r"(x0)
			 :
			 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

static long sdei(unsigned int fn, unsigned long a1, unsigned long a2)
{
	return hvc6(SDEI_FID(fn), a1, a2, 0, 0, 0);
}

static long sdei0(unsigned int fn)
{
	return sdei(fn, 0, 0);
}

static long ev_register(unsigned long ev, uintptr_t entry, unsigned long arg, unsigned long flags,
			unsigned long aff)
{
	return hvc6(SDEI_FID(FN_EVENT_REGISTER), ev, entry, arg, flags, aff);
}

static long ev_status(unsigned long ev)
{
	return sdei(FN_EVENT_STATUS, ev, 0);
}

static long ev_signal(unsigned long ev, unsigned long mpidr)
{
	return sdei(FN_EVENT_SIGNAL, ev, mpidr);
}

/* --- Reporting ------------------------------------------------------------ */

static const char *code_name(long c)
{
	switch (c) {
	case SUCCESS: return "SUCCESS";
	case NOT_SUPPORTED: return "NOT_SUPPORTED";
	case INVALID_PARAMETERS: return "INVALID_PARAMETERS";
	case DENIED: return "DENIED";
	case PENDING: return "PENDING";
	case OUT_OF_RESOURCE: return "OUT_OF_RESOURCE";
	default: return NULL;
	}
}

static void vcheck(bool is_code, long got, long want, const char *fmt, va_list ap)
{
	char what[256];
	const char *name = code_name(want);

	tern_vsnprintf(what, sizeof(what), fmt, ap);
	if (name && (is_code || want < 0))
		report(got == want, "%s = %ld (expected %s)", what, got, name);
	else
		report(got == want, "%s = %ld (expected %ld)", what, got, want);
}

/* "<what> = <got> (expected <NAME>)": a call's return code. */
static void __printf(3, 4) check_ret(long got, long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck(true, got, want, fmt, ap);
	va_end(ap);
}

/* The same for a value (STATUS bits, GET_INFO, PE_MASK): errors by name,
 * values as numbers. */
static void __printf(3, 4) check_val(long got, long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck(false, got, want, fmt, ap);
	va_end(ap);
}

/* --- The handler ---------------------------------------------------------- */

/* What sdei_entry saved (entry.S, HF_*). */
struct handler_frame {
	uint64_t x[31];
	uint64_t sp, daif, curel, spsel, nzcv;
};
_Static_assert(sizeof(struct handler_frame) == HF_SIZE, "HF_SIZE");
_Static_assert(offsetof(struct handler_frame, sp) == HF_SP, "HF_SP");
_Static_assert(offsetof(struct handler_frame, nzcv) == HF_NZCV, "HF_NZCV");

/* What the handler does besides recording, in order, on its first run. */
enum hop {
	HOP_END,
	HOP_STATUS,         /* EVENT_STATUS(own event) */
	HOP_STATUS_APF,     /* EVENT_STATUS(async-PF event) */
	HOP_ENABLE,
	HOP_DISABLE,
	HOP_REGISTER,       /* own event again */
	HOP_UNREGISTER,
	HOP_SIGNAL_SELF,    /* EVENT_SIGNAL(0, this CPU) */
	HOP_PRIVATE_RESET,
	HOP_SIGNAL_SELF_X19, /* the same, with x19-x28 changed around the HVC */
};
#define MAX_HOPS 10
#define MAX_REC 4

/* One run of the handler. */
struct hrec {
	struct handler_frame f; /* registers and PSTATE on entry */
	uint64_t mpidr;
	uint64_t ctx[18];       /* EVENT_CONTEXT(0..17) */
	long ctx18, ctx_huge;   /* EVENT_CONTEXT(18), (~0) */
	long status;            /* EVENT_STATUS(own event) on entry */
	long op[MAX_HOPS];      /* results of the hops */
	unsigned int depth;     /* handlers running on this CPU, this one included */
};

/* A handler's instructions and records; its address is the argument the
 * event is registered with, so x1 on entry names it. */
struct hctl {
	enum hop ops[MAX_HOPS];
	bool resume; /* end with COMPLETE_AND_RESUME(sdei_resume_target) */
	unsigned int count; /* runs so far */
	struct hrec rec[MAX_REC];
};

/* What sdei_resume_target saw (entry.S, RR_*). */
struct resume_record {
	uint64_t count, elr, spsr, daif, curel, spsel, sp;
	uint64_t x[18];
};
_Static_assert(offsetof(struct resume_record, x) == RR_X, "RR_X");

void sdei_entry(void);
void sdei_resume_target(void);
extern struct resume_record resume_record;

struct completion {
	uint64_t fid, arg;
};
struct completion sdei_handler(struct handler_frame *f);
noreturn void sdei_completion_refused(long ret);

static struct hctl ctl0, ctl1; /* CPU 0's handler, the second CPU's */
static unsigned int depth[MAX_CPUS];
static unsigned int stray_entries; /* entered with an argument that is no hctl */

static int this_cpu_index(void)
{
	unsigned long hwid = this_cpu_hwid();

	for (int i = 0; i < cpu_count(); i++)
		if (cpu_hwid(i) == hwid)
			return i;
	return 0;
}

/* entry.S: HVC fid(a1, a2) with x19-x28 = 0xbad0000 + n meanwhile. */
long signal_x19_changed(unsigned long fid, unsigned long a1, unsigned long a2);

static long run_hop(enum hop op, unsigned long ev, struct hctl *h)
{
	switch (op) {
	case HOP_STATUS: return ev_status(ev);
	case HOP_STATUS_APF: return ev_status(EV_ASYNC_PF);
	case HOP_ENABLE: return sdei(FN_EVENT_ENABLE, ev, 0);
	case HOP_DISABLE: return sdei(FN_EVENT_DISABLE, ev, 0);
	case HOP_REGISTER: return ev_register(ev, (uintptr_t)sdei_entry, (uintptr_t)h, 0, 0);
	case HOP_UNREGISTER: return sdei(FN_EVENT_UNREGISTER, ev, 0);
	case HOP_SIGNAL_SELF: return ev_signal(EV_SOFTWARE, this_cpu_hwid());
	case HOP_PRIVATE_RESET: return sdei0(FN_PRIVATE_RESET);
	case HOP_SIGNAL_SELF_X19:
		return signal_x19_changed(SDEI_FID(FN_EVENT_SIGNAL), EV_SOFTWARE, this_cpu_hwid());
	case HOP_END: break;
	}
	return 0;
}

struct completion sdei_handler(struct handler_frame *f)
{
	struct hctl *h = (struct hctl *)f->x[1];
	int cpu = this_cpu_index();
	unsigned long ev = f->x[0];
	struct hrec *r;
	unsigned int n;

	if (h != &ctl0 && h != &ctl1) {
		__atomic_fetch_add(&stray_entries, 1, __ATOMIC_RELAXED);
		return (struct completion){ SDEI_FID(FN_EVENT_COMPLETE), 0 };
	}
	n = h->count;
	r = &h->rec[n < MAX_REC ? n : MAX_REC - 1];
	r->depth = ++depth[cpu];
	r->f = *f;
	r->mpidr = this_cpu_hwid();
	for (unsigned int i = 0; i < 18; i++)
		r->ctx[i] = (uint64_t)sdei(FN_EVENT_CONTEXT, i, 0);
	r->ctx18 = sdei(FN_EVENT_CONTEXT, 18, 0);
	r->ctx_huge = sdei(FN_EVENT_CONTEXT, ~0UL, 0);
	r->status = ev_status(ev);
	for (unsigned int i = 0; n == 0 && i < MAX_HOPS && h->ops[i] != HOP_END; i++)
		r->op[i] = run_hop(h->ops[i], ev, h);
	depth[cpu]--;
	__atomic_store_n(&h->count, n + 1, __ATOMIC_RELEASE);
	cpu_wake_all();
	if (h->resume)
		return (struct completion){ SDEI_FID(FN_EVENT_COMPLETE_AND_RESUME),
					    (uintptr_t)sdei_resume_target };
	return (struct completion){ SDEI_FID(FN_EVENT_COMPLETE), 0 };
}

noreturn void sdei_completion_refused(long ret)
{
	abort_test("sdei: the handler's EVENT_COMPLETE(_AND_RESUME) returned %ld", ret);
}

static unsigned int handled(const struct hctl *h)
{
	return __atomic_load_n(&h->count, __ATOMIC_ACQUIRE);
}

static void hctl_reset(struct hctl *h, bool resume, const enum hop *ops, unsigned int nops)
{
	memset(h, 0, sizeof(*h));
	for (unsigned int i = 0; i < nops && i < MAX_HOPS; i++)
		h->ops[i] = ops[i];
	h->resume = resume;
}

/* Nothing registered, the PE masked: where each group starts from. */
static void sdei_clean(void)
{
	sdei0(FN_PRIVATE_RESET);
	sdei0(FN_PE_MASK);
}

static long register_ctl(unsigned long ev, struct hctl *h)
{
	return ev_register(ev, (uintptr_t)sdei_entry, (uintptr_t)h, 0, 0);
}

/* --- The sentinel call ---------------------------------------------------- */

struct sentinel_call {
	uint64_t in[31], out[31];
	uint64_t daif_in, nzcv_in, daif_out, nzcv_out;
	uint64_t sp_in, sp_out, pc;
};
_Static_assert(offsetof(struct sentinel_call, out) == SC_OUT, "SC_OUT");
_Static_assert(offsetof(struct sentinel_call, pc) == SC_PC, "SC_PC");
void sentinel_call(struct sentinel_call *s);

static uint64_t sentinel(unsigned int n)
{
	return 0x5e4d000000000000ULL | (uint64_t)n << 32 | (0xc0de0000u + n);
}

/* The interrupted context is made distinctive: D unmasked (nothing at EL1
 * raises debug exceptions here), A, I, F masked; N and C set. */
#define SC_DAIF (PSR_A | PSR_I | PSR_F)
#define SC_NZCV (PSR_N | PSR_C)

static void sentinel_setup(struct sentinel_call *s, uint32_t fid, uint64_t a1, uint64_t a2)
{
	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < 31; i++)
		s->in[i] = sentinel(i);
	s->in[0] = fid;
	s->in[1] = a1;
	s->in[2] = a2;
	s->daif_in = SC_DAIF;
	s->nzcv_in = SC_NZCV;
}

/* First register in [from, to] where a and b differ, or -1. */
static int first_diff(const uint64_t *a, const uint64_t *b, int from, int to)
{
	for (int i = from; i <= to; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

static void report_regs(const char *what, const uint64_t *got, const uint64_t *want, int from,
			int to)
{
	int d = first_diff(got, want, from, to);

	if (d < 0)
		report(true, "%s: x%d-x%d as expected", what, from, to);
	else
		report(false, "%s: x%d = %#llx (expected %#llx)", what, d,
		       (unsigned long long)got[d], (unsigned long long)want[d]);
}

/* --- DT ------------------------------------------------------------------- */

static bool ram_range(uint64_t *base, uint64_t *size)
{
	const void *fdt = guest_fdt();
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), len;
	const fdt32_t *reg;

	if (node < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (ac + sc) * 4)
		return false;
	*base = fdt32_to_cpu(reg[0]);
	if (ac == 2)
		*base = *base << 32 | fdt32_to_cpu(reg[1]);
	*size = fdt32_to_cpu(reg[ac]);
	if (sc == 2)
		*size = *size << 32 | fdt32_to_cpu(reg[ac + 1]);
	return true;
}

/* An MPIDR no CPU has: QEMU numbers Aff0 within clusters of at most 16. */
static unsigned long absent_mpidr(void)
{
	unsigned long candidate = 0xff;

	for (int i = 0; i < cpu_count(); i++)
		if (cpu_hwid(i) == candidate)
			candidate += 0x100;
	return candidate;
}

static int second_cpu(void)
{
	for (int i = 0; i < cpu_count(); i++)
		if (i != boot_cpu())
			return i;
	return -1;
}

/* --- Checks: calls without events ----------------------------------------- */

static void check_dt(int node)
{
	const void *fdt = guest_fdt();
	const char *method = fdt_getprop(fdt, node, "method", NULL);

	report(!fdt_node_check_compatible(fdt, node, "arm,sdei-1.0"),
	       "/firmware/sdei is compatible with arm,sdei-1.0");
	report(method && !strcmp(method, "hvc"), "/firmware/sdei method = \"%s\" (expected hvc)",
	       method ? method : "(none)");
}

static void check_version_features(void)
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
static void check_unallocated(void)
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

static void check_get_info(void)
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
static void check_unknown_events(void)
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

static void check_binding_routing(void)
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

static void check_state_machine(void)
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
static void check_register_args(void)
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

static void check_async_pf(void)
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
static void check_smc32(void)
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

/* --- Checks: masking and delivery ----------------------------------------- */

static void check_mask(void)
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

static void check_delivery(void)
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

static void check_pending(void)
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

static void check_in_handler(void)
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

static void check_private_reset(void)
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

static void check_other_cpu(void)
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
