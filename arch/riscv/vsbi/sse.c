/*
 * SBI SSE (Supervisor Software Events, SBI v3.0, EID 0x535345) on the
 * event core (core/event.c), in the shape of core/fw/sdei.c. Local events
 * only, as the core holds them: the spec's software-injected local event
 * and tern's async page-fault notice (see <arch/vsbi.h>). The core's table
 * is looser than SSE (it lets an enabled event be enabled again, a running
 * one be disabled or unregistered), so every call checks the SSE state
 * first and answers SBI_ERR_INVALID_STATE where the spec says so; the
 * core's table then always agrees. Entering and leaving a handler is
 * arch/riscv/sse_deliver.c. Documented in docs/guest-abi/sse.md.
 */
#include <stdatomic.h>
#include <arch/vsbi.h>
#include <tern/arch.h>
#include <tern/event.h>
#include <tern/vm.h>

enum { SSE_READ_ATTRS, SSE_WRITE_ATTRS, SSE_REGISTER, SSE_UNREGISTER, SSE_ENABLE, SSE_DISABLE,
       SSE_COMPLETE, SSE_INJECT, SSE_HART_UNMASK, SSE_HART_MASK };

enum { ATTR_STATUS, ATTR_PRIORITY, ATTR_CONFIG, ATTR_PREFERRED_HART, ATTR_ENTRY_PC,
       ATTR_ENTRY_ARG, ATTR_INTERRUPTED_SEPC, ATTR_INTERRUPTED_FLAGS, ATTR_INTERRUPTED_A6,
       ATTR_INTERRUPTED_A7, ATTR_COUNT };

enum { ST_UNUSED, ST_REGISTERED, ST_ENABLED, ST_RUNNING };
#define STATUS_PENDING (1UL << 2)
#define STATUS_INJECTABLE (1UL << 3)
#define CONFIG_ONESHOT 1UL
/* INTERRUPTED_FLAGS as SBI 3.0 defines it: sstatus.SPP, sstatus.SPIE,
 * hstatus.SPV, hstatus.SPVP, sstatus.SPELP, sstatus.SDT. All six are
 * written and read back as the spec requires; completion restores SPP and
 * SPIE, the only ones a guest without H, Zicfilp and Ssdbltrp has. */
#define FLAGS_VALID 0x3fUL

const uint32_t vsbi_sse_event_ids[EV_COUNT] = {
	[EV_SOFTWARE] = VSBI_SSE_EVENT_SOFTWARE,
	[EV_ASYNC_PF] = VSBI_SSE_EVENT_ASYNC_PF,
};

/* The standard events tern does not offer: valid IDs, NOT_SUPPORTED. */
static const uint32_t unsupported_ids[] = {
	0x00000000, /* local high-priority RAS */
	0x00000001, /* local double trap */
	0x00008000, /* global high-priority RAS */
	0x00010000, /* local PMU overflow */
	0x00100000, /* local low-priority RAS */
	0x00108000, /* global low-priority RAS */
	0xffff8000, /* software-injected global */
};

/* The event's index, or a (negative) error: NOT_SUPPORTED for a standard
 * event tern lacks, INVALID_PARAM for reserved and unknown IDs. */
static int event_index(uint64_t arg)
{
	uint32_t id = (uint32_t)arg;

	for (unsigned int i = 0; i < EV_COUNT; i++)
		if (id == vsbi_sse_event_ids[i])
			return (int)i;
	for (unsigned int i = 0; i < sizeof(unsupported_ids) / sizeof(unsupported_ids[0]); i++)
		if (id == unsupported_ids[i])
			return SBI_ERR_NOT_SUPPORTED;
	return SBI_ERR_INVALID_PARAM;
}

static unsigned int sse_state(const struct ev_event *e)
{
	if (ev_is_running(e))
		return ST_RUNNING;
	if (ev_is_enabled(e))
		return ST_ENABLED;
	return ev_is_registered(e) ? ST_REGISTERED : ST_UNUSED;
}

static uint64_t attr_read(const struct vcpu *v, unsigned int idx, unsigned int attr)
{
	const struct ev_event *e = &v->events.ev[idx];
	const struct riscv_sse_event *s = &v->arch.sse.ev[idx];

	switch (attr) {
	case ATTR_STATUS:
		return sse_state(e) | (e->pending ? STATUS_PENDING : 0) |
		       (idx == EV_SOFTWARE ? STATUS_INJECTABLE : 0);
	case ATTR_PRIORITY: return s->priority;
	case ATTR_CONFIG: return s->config;
	case ATTR_PREFERRED_HART: return v->hwid;
	case ATTR_ENTRY_PC: return e->entry;
	case ATTR_ENTRY_ARG: return e->arg;
	case ATTR_INTERRUPTED_SEPC: return s->sepc;
	case ATTR_INTERRUPTED_FLAGS: return s->flags;
	case ATTR_INTERRUPTED_A6: return s->a6;
	default: return s->a7;
	}
}

/* Whether one attribute may take this value now: 0 or the error. */
static long attr_check(const struct vcpu *v, unsigned int idx, unsigned int attr, uint64_t val)
{
	unsigned int st = sse_state(&v->events.ev[idx]);

	switch (attr) {
	case ATTR_PRIORITY:
	case ATTR_CONFIG:
		if (attr == ATTR_PRIORITY ? val > UINT32_MAX : (val & ~CONFIG_ONESHOT) != 0)
			return SBI_ERR_INVALID_PARAM;
		return st == ST_UNUSED || st == ST_REGISTERED ? 0 : SBI_ERR_INVALID_STATE;
	case ATTR_INTERRUPTED_FLAGS:
		if (val & ~FLAGS_VALID)
			return SBI_ERR_INVALID_PARAM;
		/* fall through */
	case ATTR_INTERRUPTED_SEPC:
	case ATTR_INTERRUPTED_A6:
	case ATTR_INTERRUPTED_A7:
		return st == ST_RUNNING ? 0 : SBI_ERR_INVALID_STATE;
	default:
		return SBI_ERR_DENIED; /* STATUS, PREFERRED_HART (local), ENTRY_* */
	}
}

static void attr_write(struct vcpu *v, unsigned int idx, unsigned int attr, uint64_t val)
{
	struct riscv_sse_event *s = &v->arch.sse.ev[idx];

	switch (attr) {
	case ATTR_PRIORITY: s->priority = (uint32_t)val; break;
	case ATTR_CONFIG: s->config = val; break;
	case ATTR_INTERRUPTED_SEPC: s->sepc = val; break;
	case ATTR_INTERRUPTED_FLAGS: s->flags = val; break;
	case ATTR_INTERRUPTED_A6: s->a6 = val; break;
	case ATTR_INTERRUPTED_A7: s->a7 = val; break;
	default: break;
	}
}

/*
 * READ_ATTRS / WRITE_ATTRS: attr_count XLEN-wide values in guest RAM at
 * phys_hi:phys_lo, value i being attribute base + i (the buffer is
 * attr_count values long, as the spec sizes it). All checks come before
 * any change: a write that fails changes nothing.
 */
static long sse_attrs(struct vcpu *v, int idx, const struct fw_call *call, bool write)
{
	uint64_t base = (uint32_t)call->arg[1], count = (uint32_t)call->arg[2];
	uint64_t lo = call->arg[3], hi = call->arg[4];
	uint64_t vals[ATTR_COUNT];
	struct ev_vcpu *c = &v->events;
	long err = SBI_SUCCESS;

	if (count == 0)
		return SBI_ERR_INVALID_PARAM;
	if (base >= ATTR_COUNT || count > ATTR_COUNT - base)
		return SBI_ERR_BAD_RANGE;
	if (hi != 0 || (lo & 7) || !guest_ram_contains(v->vm, lo, count * 8))
		return SBI_ERR_INVALID_ADDRESS;
	if (write && guest_read(v->vm, lo, vals, count * 8) != 0)
		return SBI_ERR_INVALID_ADDRESS;

	spin_lock(&c->lock);
	for (unsigned int i = 0; i < count; i++) {
		if (!write)
			vals[i] = attr_read(v, (unsigned int)idx, (unsigned int)(base + i));
		else if (!err)
			err = attr_check(v, (unsigned int)idx, (unsigned int)(base + i), vals[i]);
	}
	if (write && !err)
		for (unsigned int i = 0; i < count; i++)
			attr_write(v, (unsigned int)idx, (unsigned int)(base + i), vals[i]);
	spin_unlock(&c->lock);
	if (!write && guest_write(v->vm, lo, vals, count * 8) != 0)
		return SBI_ERR_INVALID_ADDRESS;
	return err;
}

/* INJECT(event, hart): raised on that vCPU, delivered there once it has
 * the event enabled and is unmasked. Only the software event is
 * injectable. A hart that is off, or has not registered the event, cannot
 * take it: SBI_ERR_FAILED (the spec names no better code). */
static long sse_inject(struct vcpu *v, int idx, uint64_t hart)
{
	struct vcpu *t;
	enum ev_result r;

	if (idx != EV_SOFTWARE)
		return SBI_ERR_INVALID_PARAM;
	t = vm_vcpu_by_hwid(v->vm, hart);
	if (!t)
		return SBI_ERR_INVALID_PARAM;
	if (atomic_load(&t->power) == VCPU_OFF)
		return SBI_ERR_FAILED;
	spin_lock(&t->events.lock);
	/* SSE's pending state is a flag (STATUS bit 2), cleared when the
	 * event runs: raising a pending event again adds nothing. (SDEI, on
	 * the same core, counts signals.) */
	r = t->events.ev[idx].pending ? EV_OK : ev_raise(&t->events, (unsigned int)idx);
	spin_unlock(&t->events.lock);
	if (r != EV_OK)
		return SBI_ERR_FAILED;
	if (t != v) {
		vcpu_notify(t);
	}
	return SBI_SUCCESS;
}

/* COMPLETE: nothing running is success and does nothing; else the running
 * event goes back to ENABLED (REGISTERED when one-shot) and the guest to
 * the interrupted context. */
static long sse_complete(struct vcpu *v)
{
	struct ev_vcpu *c = &v->events;
	unsigned int idx;

	if (c->running < 0 || ev_complete(c, &idx) == EV_DENIED)
		return SBI_SUCCESS;
	if (v->arch.sse.ev[idx].config & CONFIG_ONESHOT)
		ev_apply(&c->ev[idx], EV_DISABLE);
	arch_event_return(v, false, 0);
	return SBI_SUCCESS;
}

/* REGISTER / UNREGISTER / ENABLE / DISABLE: each from one SSE state only. */
static long sse_transition(struct vcpu *v, int idx, unsigned long fn, const struct fw_call *call)
{
	struct ev_vcpu *c = &v->events;
	struct ev_event *e = &c->ev[idx];
	unsigned int st = sse_state(e);

	switch (fn) {
	case SSE_REGISTER:
		/* ENTRY_PC is a guest virtual address: only its alignment can
		 * be checked. A bad one faults in the guest at delivery. */
		if (call->arg[1] & 1)
			return SBI_ERR_INVALID_PARAM;
		if (st != ST_UNUSED)
			return SBI_ERR_INVALID_STATE;
		ev_register(c, (unsigned int)idx, call->arg[1], call->arg[2]);
		return SBI_SUCCESS;
	case SSE_UNREGISTER:
		if (st != ST_REGISTERED)
			return SBI_ERR_INVALID_STATE;
		ev_unregister(c, (unsigned int)idx);
		return SBI_SUCCESS;
	case SSE_ENABLE:
		if (st != ST_REGISTERED)
			return SBI_ERR_INVALID_STATE;
		ev_apply(e, EV_ENABLE);
		return SBI_SUCCESS;
	default: /* SSE_DISABLE */
		if (st != ST_ENABLED)
			return SBI_ERR_INVALID_STATE;
		ev_apply(e, EV_DISABLE);
		return SBI_SUCCESS;
	}
}

static long sse_dispatch(struct vcpu *v, struct fw_call *call)
{
	struct ev_vcpu *c = &v->events;
	unsigned long fn = call->fn;
	int idx = -1;
	long r;

	switch (fn) {
	case SSE_COMPLETE:
	case SSE_HART_UNMASK:
	case SSE_HART_MASK:
		break;
	case SSE_READ_ATTRS:
	case SSE_WRITE_ATTRS:
	case SSE_REGISTER:
	case SSE_UNREGISTER:
	case SSE_ENABLE:
	case SSE_DISABLE:
	case SSE_INJECT:
		idx = event_index(call->arg[0]);
		if (idx < 0)
			return idx;
		break;
	default:
		return SBI_ERR_NOT_SUPPORTED;
	}

	if (fn == SSE_READ_ATTRS || fn == SSE_WRITE_ATTRS)
		return sse_attrs(v, idx, call, fn == SSE_WRITE_ATTRS);
	if (fn == SSE_INJECT)
		return sse_inject(v, idx, call->arg[1]);

	spin_lock(&c->lock);
	switch (fn) {
	case SSE_COMPLETE: r = sse_complete(v); break;
	case SSE_HART_UNMASK:
		r = c->masked ? SBI_SUCCESS : SBI_ERR_ALREADY_STARTED;
		c->masked = false;
		break;
	case SSE_HART_MASK:
		r = c->masked ? SBI_ERR_ALREADY_STOPPED : SBI_SUCCESS;
		c->masked = true;
		break;
	default: r = sse_transition(v, idx, fn, call); break;
	}
	spin_unlock(&c->lock);
	return r;
}

static void sse_call(struct vcpu *v, struct fw_call *c)
{
	c->ret[0] = (uint64_t)sse_dispatch(v, c);
	c->ret[1] = 0;
}

FW_SERVICE(vsbi_sse_service) = {
	.name = "SBI SSE",
	.sid = FW_SVC_SBI_SSE,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_SSE,
	.last = SBI_EXT_SSE,
	.call = sse_call,
};
