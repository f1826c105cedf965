/*
 * The firmware event core (see include/tern/event.h): one [state][action]
 * table holds every transition SDEI and SSE allow, so the two ABIs cannot
 * disagree on what an event may do, and the host unit tests walk it all.
 */
#include <tern/compiler.h>
#include <tern/event.h>

struct ev_step {
	uint8_t result; /* enum ev_result */
	uint8_t next;   /* enum ev_state, when the result is not EV_DENIED */
};

#define OK(s) { EV_OK, s }
#define DEFER(s) { EV_DEFERRED, s }
#define NO { EV_DENIED, 0 }

/*
 * Rows are states, columns actions. Notes on the rows:
 *  - enabling an enabled event or disabling a disabled one is allowed and
 *    changes nothing (SDEI and SSE both answer success);
 *  - an event whose handler runs may be enabled, disabled and unregistered;
 *    unregistering it is deferred until the handler completes;
 *  - once unregister-pending, only completion is allowed.
 */
static const struct ev_step ev_table[EV_NR_STATES][EV_NR_ACTIONS] = {
	[EV_UNREGISTERED] = {
		[EV_REGISTER] = OK(EV_REGISTERED),
		[EV_ENABLE] = NO, [EV_DISABLE] = NO, [EV_UNREGISTER] = NO,
		[EV_DISPATCH] = NO, [EV_COMPLETE] = NO,
	},
	[EV_REGISTERED] = {
		[EV_REGISTER] = NO,
		[EV_ENABLE] = OK(EV_ENABLED),
		[EV_DISABLE] = OK(EV_REGISTERED),
		[EV_UNREGISTER] = OK(EV_UNREGISTERED),
		[EV_DISPATCH] = NO, [EV_COMPLETE] = NO,
	},
	[EV_ENABLED] = {
		[EV_REGISTER] = NO,
		[EV_ENABLE] = OK(EV_ENABLED),
		[EV_DISABLE] = OK(EV_REGISTERED),
		[EV_UNREGISTER] = OK(EV_UNREGISTERED),
		[EV_DISPATCH] = OK(EV_RUNNING_ENABLED),
		[EV_COMPLETE] = NO,
	},
	[EV_RUNNING_DISABLED] = {
		[EV_REGISTER] = NO,
		[EV_ENABLE] = OK(EV_RUNNING_ENABLED),
		[EV_DISABLE] = OK(EV_RUNNING_DISABLED),
		[EV_UNREGISTER] = DEFER(EV_UNREGISTER_PENDING),
		[EV_DISPATCH] = NO,
		[EV_COMPLETE] = OK(EV_REGISTERED),
	},
	[EV_RUNNING_ENABLED] = {
		[EV_REGISTER] = NO,
		[EV_ENABLE] = OK(EV_RUNNING_ENABLED),
		[EV_DISABLE] = OK(EV_RUNNING_DISABLED),
		[EV_UNREGISTER] = DEFER(EV_UNREGISTER_PENDING),
		[EV_DISPATCH] = NO,
		[EV_COMPLETE] = OK(EV_ENABLED),
	},
	[EV_UNREGISTER_PENDING] = {
		[EV_REGISTER] = NO, [EV_ENABLE] = NO, [EV_DISABLE] = NO,
		[EV_UNREGISTER] = DEFER(EV_UNREGISTER_PENDING),
		[EV_DISPATCH] = NO,
		[EV_COMPLETE] = OK(EV_UNREGISTERED),
	},
};

enum ev_result ev_apply(struct ev_event *e, enum ev_action a)
{
	const struct ev_step *s;

	if (e->state >= EV_NR_STATES || a >= EV_NR_ACTIONS)
		return EV_DENIED;
	s = &ev_table[e->state][a];
	if (s->result != EV_DENIED)
		e->state = s->next;
	return (enum ev_result)s->result;
}

bool ev_is_registered(const struct ev_event *e)
{
	return e->state != EV_UNREGISTERED;
}

bool ev_is_enabled(const struct ev_event *e)
{
	return e->state == EV_ENABLED || e->state == EV_RUNNING_ENABLED;
}

bool ev_is_running(const struct ev_event *e)
{
	return e->state == EV_RUNNING_DISABLED || e->state == EV_RUNNING_ENABLED ||
	       e->state == EV_UNREGISTER_PENDING;
}

enum ev_result ev_register(struct ev_vcpu *c, unsigned int idx, uint64_t entry, uint64_t arg)
{
	struct ev_event *e = &c->ev[idx];
	enum ev_result r = ev_apply(e, EV_REGISTER);

	if (r == EV_OK) {
		e->entry = entry;
		e->arg = arg;
		e->pending = 0;
	}
	return r;
}

enum ev_result ev_unregister(struct ev_vcpu *c, unsigned int idx)
{
	struct ev_event *e = &c->ev[idx];
	enum ev_result r = ev_apply(e, EV_UNREGISTER);

	/* What was raised for the old registration is not for a new one. */
	if (r != EV_DENIED)
		e->pending = 0;
	return r;
}

enum ev_result ev_raise(struct ev_vcpu *c, unsigned int idx)
{
	struct ev_event *e = &c->ev[idx];

	if (!ev_is_registered(e) || e->state == EV_UNREGISTER_PENDING)
		return EV_DENIED;
	if (e->pending < UINT32_MAX)
		e->pending++;
	return EV_OK;
}

int ev_next(const struct ev_vcpu *c)
{
	if (c->masked || c->running >= 0)
		return -1;
	for (unsigned int i = 0; i < EV_COUNT; i++)
		if (c->ev[i].state == EV_ENABLED && c->ev[i].pending)
			return (int)i;
	return -1;
}

void ev_begin(struct ev_vcpu *c, unsigned int idx)
{
	struct ev_event *e = &c->ev[idx];

	if (ev_apply(e, EV_DISPATCH) != EV_OK)
		return;
	e->pending--;
	c->running = (int)idx;
}

enum ev_result ev_complete(struct ev_vcpu *c, unsigned int *idx)
{
	enum ev_result r;

	if (c->running < 0)
		return EV_DENIED;
	*idx = (unsigned int)c->running;
	r = ev_apply(&c->ev[*idx], EV_COMPLETE);
	if (r != EV_DENIED)
		c->running = -1;
	return r;
}

void ev_vcpu_init(struct ev_vcpu *c)
{
	for (unsigned int i = 0; i < EV_COUNT; i++)
		c->ev[i] = (struct ev_event){ 0 };
	c->masked = true;
	c->running = -1;
}

void ev_vcpu_reset(struct ev_vcpu *c)
{
	for (unsigned int i = 0; i < EV_COUNT; i++)
		if (ev_is_registered(&c->ev[i]))
			ev_unregister(c, i);
}
