/*
 * The firmware event core, shared by SDEI (arm64, Arm DEN0054) and SBI SSE
 * (RISC-V). Seed 000 sets the scope: private events only (each vCPU has
 * its own copy of every event), normal priority, and minimal state: per
 * event registered / enabled / running / unregister-pending and a pending
 * count; per vCPU a mask and the one handler that may run at a time (its
 * interrupted context is the arch's).
 *
 * Every legal transition is one row of a [state][action] table
 * (core/event.c); a call the table does not allow changes nothing and says
 * why, and each ABI turns that into its own error code. The functions here
 * are pure: callers hold the vCPU's event lock (struct ev_vcpu.lock).
 */
#ifndef TERN_EVENT_H
#define TERN_EVENT_H

#include <tern/spinlock.h>
#include <tern/types.h>

/* The events every vCPU has, by index (the ABIs number them their way). */
enum ev_index {
	EV_SOFTWARE,  /* SDEI event 0 / SSE local software-injected event */
	EV_ASYNC_PF,  /* page-not-present notices of the demand pager */
	EV_COUNT,
};

/* The SDEI numbers of the events (core/fw/sdei.c): event 0, and tern's
 * async page-fault event in the range SDEI leaves to the implementation. */
#define TERN_SDEI_EVENT_ASYNC_PF 0x40400000u
extern const uint32_t sdei_event_numbers[EV_COUNT];

enum ev_state {
	EV_UNREGISTERED,
	EV_REGISTERED,          /* registered, disabled */
	EV_ENABLED,             /* registered, enabled */
	EV_RUNNING_DISABLED,    /* its handler runs; disabled meanwhile */
	EV_RUNNING_ENABLED,     /* its handler runs */
	EV_UNREGISTER_PENDING,  /* its handler runs; unregistered when it completes */
	EV_NR_STATES,
};

enum ev_action {
	EV_REGISTER,
	EV_ENABLE,
	EV_DISABLE,
	EV_UNREGISTER,
	EV_DISPATCH,   /* enter the handler */
	EV_COMPLETE,   /* the handler returned */
	EV_NR_ACTIONS,
};

enum ev_result {
	EV_OK,
	EV_DEFERRED,   /* accepted; takes effect when the running handler completes */
	EV_DENIED,     /* not in this state */
};

struct ev_event {
	uint8_t state;      /* enum ev_state */
	uint32_t pending;   /* raised, not yet delivered */
	uint64_t entry;     /* handler address and argument, as registered */
	uint64_t arg;
};

struct ev_vcpu {
	spinlock_t lock;
	struct ev_event ev[EV_COUNT];
	bool masked;        /* PE_MASK / HART_MASK: nothing is delivered */
	int running;        /* index of the event whose handler runs, or -1 */
};

/* The table's answer for one event and action; on EV_OK and EV_DEFERRED
 * the event is in its new state. */
enum ev_result ev_apply(struct ev_event *e, enum ev_action a);

/* Register with a handler (EV_REGISTER plus the entry point). */
enum ev_result ev_register(struct ev_vcpu *c, unsigned int idx, uint64_t entry, uint64_t arg);
/* Unregister; a running handler's event becomes unregister-pending. */
enum ev_result ev_unregister(struct ev_vcpu *c, unsigned int idx);

/* Raise an event on this vCPU: counted while it is registered (delivered
 * once enabled and unmasked); EV_DENIED when it is not registered. */
enum ev_result ev_raise(struct ev_vcpu *c, unsigned int idx);

/* The event to deliver now, or -1: unmasked, no handler running, and the
 * lowest-numbered enabled event with something pending. */
int ev_next(const struct ev_vcpu *c);
/* Without the lock, on every guest entry: false when nothing can be due
 * (masked, a handler running, nothing raised), so the common case takes no
 * lock. A raise racing with it kicks the vCPU, which looks again. */
static inline bool ev_maybe_due(const struct ev_vcpu *c)
{
	if (__atomic_load_n(&c->masked, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&c->running, __ATOMIC_RELAXED) >= 0)
		return false;
	for (unsigned int i = 0; i < EV_COUNT; i++)
		if (__atomic_load_n(&c->ev[i].pending, __ATOMIC_RELAXED))
			return true;
	return false;
}

/* Deliver it: one pending raise consumed, the event running. */
void ev_begin(struct ev_vcpu *c, unsigned int idx);
/* The running handler returned: EV_DENIED if none runs. *idx says whose. */
enum ev_result ev_complete(struct ev_vcpu *c, unsigned int *idx);

/* The state a vCPU starts in: masked, nothing registered. */
void ev_vcpu_init(struct ev_vcpu *c);
/* PRIVATE_RESET: every event unregistered, a running one unregister-pending. */
void ev_vcpu_reset(struct ev_vcpu *c);

/* Queries, for STATUS-type calls. */
bool ev_is_registered(const struct ev_event *e);
bool ev_is_enabled(const struct ev_event *e);
bool ev_is_running(const struct ev_event *e);

#endif
