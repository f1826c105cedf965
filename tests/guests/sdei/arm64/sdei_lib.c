/*
 * The SDEI test guest's shared parts (sdei_guest.h): reporting, the event
 * handler and its records (entered from entry.S), the sentinel call's
 * setup and comparison, and what the checks read from the DT.
 */
#include "sdei_guest.h"

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
void __printf(3, 4) check_ret(long got, long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck(true, got, want, fmt, ap);
	va_end(ap);
}

/* The same for a value (STATUS bits, GET_INFO, PE_MASK): errors by name,
 * values as numbers. */
void __printf(3, 4) check_val(long got, long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck(false, got, want, fmt, ap);
	va_end(ap);
}

struct hctl ctl0, ctl1; /* CPU 0's handler, the second CPU's */
unsigned int depth[MAX_CPUS];
unsigned int stray_entries; /* entered with an argument that is no hctl */

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

unsigned int handled(const struct hctl *h)
{
	return __atomic_load_n(&h->count, __ATOMIC_ACQUIRE);
}

void hctl_reset(struct hctl *h, bool resume, const enum hop *ops, unsigned int nops)
{
	memset(h, 0, sizeof(*h));
	for (unsigned int i = 0; i < nops && i < MAX_HOPS; i++)
		h->ops[i] = ops[i];
	h->resume = resume;
}

/* Nothing registered, the PE masked: where each group starts from. */
void sdei_clean(void)
{
	sdei0(FN_PRIVATE_RESET);
	sdei0(FN_PE_MASK);
}

long register_ctl(unsigned long ev, struct hctl *h)
{
	return ev_register(ev, (uintptr_t)sdei_entry, (uintptr_t)h, 0, 0);
}

uint64_t sentinel(unsigned int n)
{
	return 0x5e4d000000000000ULL | (uint64_t)n << 32 | (0xc0de0000u + n);
}


void sentinel_setup(struct sentinel_call *s, uint32_t fid, uint64_t a1, uint64_t a2)
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

void report_regs(const char *what, const uint64_t *got, const uint64_t *want, int from,
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

bool ram_range(uint64_t *base, uint64_t *size)
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
unsigned long absent_mpidr(void)
{
	unsigned long candidate = 0xff;

	for (int i = 0; i < cpu_count(); i++)
		if (cpu_hwid(i) == candidate)
			candidate += 0x100;
	return candidate;
}

int second_cpu(void)
{
	for (int i = 0; i < cpu_count(); i++)
		if (i != boot_cpu())
			return i;
	return -1;
}
