/*
 * SDEI 1.1 for guests (Arm DEN0054), function IDs 0x84000020-0x8400003F
 * (and their SMC64 forms), on the event core (core/event.c). As seed 000
 * asks, tern offers private events only, at normal priority, with no
 * interrupt binding: event 0 (software signalled) and tern's async
 * page-fault event. What it does not offer is said through FEATURES and
 * GET_INFO and refused with the specification's error codes. The register
 * work of entering and leaving a handler is the arch's (arch_event_*).
 * Documented in docs/guest-abi/sdei.md.
 */
#include <tern/arch.h>
#include <tern/compiler.h>
#include <tern/event.h>
#include <tern/fwcall.h>
#include <tern/vm.h>

enum {
	FN_VERSION = 0x20, FN_EVENT_REGISTER, FN_EVENT_ENABLE, FN_EVENT_DISABLE,
	FN_EVENT_CONTEXT, FN_EVENT_COMPLETE, FN_EVENT_COMPLETE_AND_RESUME, FN_EVENT_UNREGISTER,
	FN_EVENT_STATUS, FN_EVENT_GET_INFO, FN_EVENT_ROUTING_SET, FN_PE_MASK, FN_PE_UNMASK,
	FN_INTERRUPT_BIND, FN_INTERRUPT_RELEASE, FN_EVENT_SIGNAL, FN_FEATURES,
	FN_PRIVATE_RESET, FN_SHARED_RESET,
};

/* 1.1, vendor-defined version 0. */
#define SDEI_VERSION ((1ULL << 48) | (1ULL << 32))

/* EVENT_REGISTER flags: bit 0 is the routing mode, which private events
 * ignore; the rest are reserved. */
#define REGISTER_FLAGS_RESERVED (~1ULL)

enum { INFO_EV_TYPE, INFO_EV_SIGNALED, INFO_EV_PRIORITY, INFO_EV_ROUTING_MODE,
       INFO_EV_ROUTING_AFF };
enum { FEATURE_BIND_SLOTS, FEATURE_RELATIVE_MODE };

const uint32_t sdei_event_numbers[EV_COUNT] = {
	[EV_SOFTWARE] = 0,
	[EV_ASYNC_PF] = TERN_SDEI_EVENT_ASYNC_PF,
};

static int event_index(uint64_t number)
{
	for (unsigned int i = 0; i < EV_COUNT; i++)
		if (number == sdei_event_numbers[i])
			return (int)i;
	return -1;
}

static int64_t of_result(enum ev_result r)
{
	switch (r) {
	case EV_OK: return SDEI_SUCCESS;
	case EV_DEFERRED: return SDEI_PENDING;
	default: return SDEI_DENIED;
	}
}

/* The MPIDR affinity fields a target names (as PSCI reads them). */
#define MPIDR_AFF_MASK 0xff00ffffffULL

static int64_t event_register(struct vcpu *v, struct ev_vcpu *c, int idx, const struct fw_call *c0)
{
	uint64_t entry = c0->arg[1], arg = c0->arg[2], flags = c0->arg[3];

	if (flags & REGISTER_FLAGS_RESERVED)
		return SDEI_INVALID_PARAMETERS;
	/* The handler must be code in the guest's RAM: an entry tern could
	 * never deliver to is refused now, not discovered at dispatch. */
	if ((entry & 3) || !guest_ram_contains(v->vm, entry, 4))
		return SDEI_INVALID_PARAMETERS;
	return of_result(ev_register(c, (unsigned int)idx, entry, arg));
}

static int64_t event_status(const struct ev_event *e)
{
	return (ev_is_registered(e) ? 1 : 0) | (ev_is_enabled(e) ? 2 : 0) |
	       (ev_is_running(e) ? 4 : 0);
}

static int64_t event_get_info(int idx, uint64_t info)
{
	switch (info) {
	case INFO_EV_TYPE: return 0;                         /* private */
	case INFO_EV_SIGNALED: return idx == EV_SOFTWARE;    /* only event 0 */
	case INFO_EV_PRIORITY: return 0;                     /* normal */
	default: return SDEI_INVALID_PARAMETERS; /* routing: shared events only */
	}
}

/* EVENT_SIGNAL(event 0, target): raised on the target vCPU, delivered
 * there once it has the event enabled and is unmasked. */
static int64_t event_signal(struct vcpu *v, uint64_t number, uint64_t mpidr)
{
	struct vcpu *t;
	enum ev_result r;

	if (number != 0 || (mpidr & ~MPIDR_AFF_MASK))
		return SDEI_INVALID_PARAMETERS;
	t = vm_vcpu_by_hwid(v->vm, mpidr);
	if (!t)
		return SDEI_INVALID_PARAMETERS;
	if (atomic_load(&t->power) == VCPU_OFF)
		return SDEI_DENIED;
	spin_lock(&t->events.lock);
	r = ev_raise(&t->events, EV_SOFTWARE);
	spin_unlock(&t->events.lock);
	if (r != EV_OK)
		return SDEI_DENIED;
	if (t != v) {
		vcpu_notify(t);
	}
	return SDEI_SUCCESS;
}

static int64_t event_complete(struct vcpu *v, struct ev_vcpu *c, bool resume, uint64_t addr)
{
	unsigned int idx;

	if (ev_complete(c, &idx) == EV_DENIED)
		return SDEI_DENIED;
	/* Back to the interrupted context (or its exception vector): the
	 * call's own results are not written over it. */
	arch_event_return(v, resume, addr);
	return SDEI_SUCCESS;
}

static int64_t sdei_dispatch(struct vcpu *v, struct fw_call *call)
{
	struct ev_vcpu *c = &v->events;
	uint32_t fn = (uint32_t)call->id & 0xff;
	uint64_t a0;
	int idx = -1;
	int64_t r;

	/* Function IDs of the range that SDEI 1.1 does not define. */
	if (fn < FN_VERSION || fn > FN_SHARED_RESET)
		return SDEI_NOT_SUPPORTED;
	a0 = call->arg[0];

	switch (fn) {
	case FN_VERSION:
		return (int64_t)SDEI_VERSION;
	case FN_FEATURES:
		if (a0 == FEATURE_BIND_SLOTS || a0 == FEATURE_RELATIVE_MODE)
			return 0; /* no binding slots; no relative routing mode */
		return SDEI_INVALID_PARAMETERS;
	case FN_PE_MASK:
	case FN_PE_UNMASK:
	case FN_PRIVATE_RESET:
	case FN_SHARED_RESET:
	case FN_EVENT_CONTEXT:
	case FN_EVENT_COMPLETE:
	case FN_EVENT_COMPLETE_AND_RESUME:
	case FN_INTERRUPT_BIND:
	case FN_EVENT_SIGNAL:
		break;
	default:
		/* Everything else names an event in its first argument. */
		idx = event_index(a0);
		if (idx < 0)
			return SDEI_INVALID_PARAMETERS;
	}

	if (fn == FN_EVENT_SIGNAL)
		return event_signal(v, a0, call->arg[1]);
	if (fn == FN_INTERRUPT_BIND)
		return SDEI_OUT_OF_RESOURCE; /* FEATURES says: no binding slots */
	if (fn == FN_SHARED_RESET)
		return SDEI_SUCCESS;         /* there are no shared events */

	spin_lock(&c->lock);
	switch (fn) {
	case FN_EVENT_REGISTER: r = event_register(v, c, idx, call); break;
	case FN_EVENT_ENABLE: r = of_result(ev_apply(&c->ev[idx], EV_ENABLE)); break;
	case FN_EVENT_DISABLE: r = of_result(ev_apply(&c->ev[idx], EV_DISABLE)); break;
	case FN_EVENT_UNREGISTER: r = of_result(ev_unregister(c, (unsigned int)idx)); break;
	case FN_EVENT_STATUS: r = event_status(&c->ev[idx]); break;
	case FN_EVENT_GET_INFO: r = event_get_info(idx, call->arg[1]); break;
	/* Routing is for shared events; tern's are all private. */
	case FN_EVENT_ROUTING_SET: r = SDEI_INVALID_PARAMETERS; break;
	/* No event of tern's is bound to an interrupt. */
	case FN_INTERRUPT_RELEASE: r = SDEI_DENIED; break;
	case FN_EVENT_CONTEXT:
		if (c->running < 0)
			r = SDEI_DENIED;
		else if (a0 > 17)
			r = SDEI_INVALID_PARAMETERS;
		else
			r = (int64_t)arch_event_saved_reg(v, (unsigned int)a0);
		break;
	case FN_EVENT_COMPLETE: r = event_complete(v, c, false, 0); break;
	case FN_EVENT_COMPLETE_AND_RESUME: r = event_complete(v, c, true, a0); break;
	/* PE_MASK answers whether it changed anything (1) or the PE was
	 * masked already (0), as Arm's own dispatcher does. */
	case FN_PE_MASK: r = !c->masked; c->masked = true; break;
	case FN_PE_UNMASK: c->masked = false; r = SDEI_SUCCESS; break;
	case FN_PRIVATE_RESET: ev_vcpu_reset(c); r = SDEI_SUCCESS; break;
	default: r = SDEI_NOT_SUPPORTED; break;
	}
	spin_unlock(&c->lock);
	return r;
}

static bool sdei_probe(struct vcpu *v, uint64_t id)
{
	uint32_t fn = (uint32_t)id & 0xff;

	return fn >= FN_VERSION && fn <= FN_SHARED_RESET;
}

static void sdei_call(struct vcpu *v, struct fw_call *c)
{
	const uint64_t *regs = c->arg;
	uint64_t narrow[6];

	/* An SMC32 call passes 32-bit values: the upper halves are not the
	 * caller's to give (SMCCC 1.1, section 3.1), as for PSCI. The
	 * guest's registers stay as they are. */
	if (!((uint32_t)c->id & SMCCC_CONV_64)) {
		for (int i = 0; i < 6; i++)
			narrow[i] = (uint32_t)regs[i];
		c->arg = narrow;
	}
	c->ret[0] = (uint64_t)sdei_dispatch(v, c);
	c->arg = regs;
}

FW_SERVICE(sdei_service) = {
	.name = "SDEI",
	.sid = FW_SVC_SDEI,
	.abi = FW_ABI_SMCCC,
	.first = 0x84000020,
	.last = 0x8400003f,
	.probe = sdei_probe,
	.call = sdei_call,
};
