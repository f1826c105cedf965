/*
 * The firmware event core (core/event.c): the whole [state][action] table
 * against an independently written list of the legal transitions, then
 * registration, raising, delivery, completion and the per-vCPU reset.
 */
#include <string.h>
#include <tern/event.h>
#include "test.h"

/*
 * Every transition the spec allows, one line each; any (state, action) pair
 * not listed here must be EV_DENIED and leave the state alone.
 */
struct legal {
	enum ev_state from;
	enum ev_action act;
	enum ev_result res;
	enum ev_state to;
};

static const struct legal legal[] = {
	/* REGISTER: only from unregistered. */
	{ EV_UNREGISTERED, EV_REGISTER, EV_OK, EV_REGISTERED },
	/* ENABLE */
	{ EV_REGISTERED, EV_ENABLE, EV_OK, EV_ENABLED },
	{ EV_ENABLED, EV_ENABLE, EV_OK, EV_ENABLED },
	{ EV_RUNNING_DISABLED, EV_ENABLE, EV_OK, EV_RUNNING_ENABLED },
	{ EV_RUNNING_ENABLED, EV_ENABLE, EV_OK, EV_RUNNING_ENABLED },
	/* DISABLE */
	{ EV_ENABLED, EV_DISABLE, EV_OK, EV_REGISTERED },
	{ EV_REGISTERED, EV_DISABLE, EV_OK, EV_REGISTERED },
	{ EV_RUNNING_ENABLED, EV_DISABLE, EV_OK, EV_RUNNING_DISABLED },
	{ EV_RUNNING_DISABLED, EV_DISABLE, EV_OK, EV_RUNNING_DISABLED },
	/* UNREGISTER */
	{ EV_REGISTERED, EV_UNREGISTER, EV_OK, EV_UNREGISTERED },
	{ EV_ENABLED, EV_UNREGISTER, EV_OK, EV_UNREGISTERED },
	{ EV_RUNNING_DISABLED, EV_UNREGISTER, EV_DEFERRED, EV_UNREGISTER_PENDING },
	{ EV_RUNNING_ENABLED, EV_UNREGISTER, EV_DEFERRED, EV_UNREGISTER_PENDING },
	{ EV_UNREGISTER_PENDING, EV_UNREGISTER, EV_DEFERRED, EV_UNREGISTER_PENDING },
	/* DISPATCH: only an enabled event enters its handler. */
	{ EV_ENABLED, EV_DISPATCH, EV_OK, EV_RUNNING_ENABLED },
	/* COMPLETE */
	{ EV_RUNNING_DISABLED, EV_COMPLETE, EV_OK, EV_REGISTERED },
	{ EV_RUNNING_ENABLED, EV_COMPLETE, EV_OK, EV_ENABLED },
	{ EV_UNREGISTER_PENDING, EV_COMPLETE, EV_OK, EV_UNREGISTERED },
};

static const char *const state_name[EV_NR_STATES] = {
	"UNREGISTERED", "REGISTERED", "ENABLED", "RUNNING_DISABLED", "RUNNING_ENABLED",
	"UNREGISTER_PENDING",
};
static const char *const action_name[EV_NR_ACTIONS] = {
	"REGISTER", "ENABLE", "DISABLE", "UNREGISTER", "DISPATCH", "COMPLETE",
};

static void expected(enum ev_state s, enum ev_action a, enum ev_result *res, enum ev_state *to)
{
	*res = EV_DENIED;
	*to = s;
	for (size_t i = 0; i < sizeof(legal) / sizeof(legal[0]); i++) {
		if (legal[i].from == s && legal[i].act == a) {
			*res = legal[i].res;
			*to = legal[i].to;
		}
	}
}

TEST(event_table_every_state_and_action)
{
	unsigned int checked = 0, allowed = 0;

	for (unsigned int s = 0; s < EV_NR_STATES; s++) {
		for (unsigned int a = 0; a < EV_NR_ACTIONS; a++) {
			struct ev_event e = { .state = (uint8_t)s, .pending = 3, .entry = 0x1234,
					      .arg = 0x5678 };
			enum ev_result want_r;
			enum ev_state want_s;
			enum ev_result r;

			expected((enum ev_state)s, (enum ev_action)a, &want_r, &want_s);
			r = ev_apply(&e, (enum ev_action)a);
			if (r != want_r || e.state != want_s)
				printf("  state %s action %s: want result %d state %s, got %d state %s\n",
				       state_name[s], action_name[a], want_r, state_name[want_s], r,
				       e.state < EV_NR_STATES ? state_name[e.state] : "(bad)");
			CHECK_EQ(r, want_r);
			CHECK_EQ(e.state, want_s);
			/* The table touches only the state. */
			CHECK_EQ(e.pending, 3);
			CHECK_EQ(e.entry, 0x1234);
			CHECK_EQ(e.arg, 0x5678);
			checked++;
			if (want_r != EV_DENIED)
				allowed++;
		}
	}
	CHECK_EQ(checked, EV_NR_STATES * EV_NR_ACTIONS);
	CHECK_EQ(allowed, sizeof(legal) / sizeof(legal[0]));
}

TEST(event_table_out_of_range)
{
	static const uint8_t bad_states[] = { EV_NR_STATES, EV_NR_STATES + 1, 0x7f, 0xff };
	static const unsigned int bad_actions[] = { EV_NR_ACTIONS, EV_NR_ACTIONS + 1, 0xff,
						    0xffffffffu };

	/* A bad state with every action, good or bad. */
	for (size_t i = 0; i < sizeof(bad_states); i++) {
		for (unsigned int a = 0; a <= EV_NR_ACTIONS; a++) {
			struct ev_event e = { .state = bad_states[i], .pending = 1 };

			CHECK_EQ(ev_apply(&e, (enum ev_action)a), EV_DENIED);
			CHECK_EQ(e.state, bad_states[i]);
			CHECK_EQ(e.pending, 1);
		}
	}
	/* A bad action in every good state. */
	for (unsigned int s = 0; s < EV_NR_STATES; s++) {
		for (size_t i = 0; i < sizeof(bad_actions) / sizeof(bad_actions[0]); i++) {
			struct ev_event e = { .state = (uint8_t)s, .pending = 1 };

			CHECK_EQ(ev_apply(&e, (enum ev_action)bad_actions[i]), EV_DENIED);
			CHECK_EQ(e.state, s);
			CHECK_EQ(e.pending, 1);
		}
	}
}

TEST(event_queries)
{
	struct ev_event e = { 0 };

	e.state = EV_UNREGISTERED;
	CHECK(!ev_is_registered(&e) && !ev_is_enabled(&e) && !ev_is_running(&e));
	e.state = EV_REGISTERED;
	CHECK(ev_is_registered(&e) && !ev_is_enabled(&e) && !ev_is_running(&e));
	e.state = EV_ENABLED;
	CHECK(ev_is_registered(&e) && ev_is_enabled(&e) && !ev_is_running(&e));
	e.state = EV_RUNNING_DISABLED;
	CHECK(ev_is_registered(&e) && !ev_is_enabled(&e) && ev_is_running(&e));
	e.state = EV_RUNNING_ENABLED;
	CHECK(ev_is_registered(&e) && ev_is_enabled(&e) && ev_is_running(&e));
	e.state = EV_UNREGISTER_PENDING;
	CHECK(ev_is_running(&e));
}

/* A vCPU as ev_vcpu_init leaves it, but unmasked, so delivery can be seen. */
static void fresh(struct ev_vcpu *c)
{
	memset(c, 0xa5, sizeof(*c));
	ev_vcpu_init(c);
	c->masked = false;
}

static void register_enabled(struct ev_vcpu *c, unsigned int idx)
{
	CHECK_EQ(ev_register(c, idx, 0x80000000 + idx, idx), EV_OK);
	CHECK_EQ(ev_apply(&c->ev[idx], EV_ENABLE), EV_OK);
}

TEST(event_register_stores_entry)
{
	struct ev_vcpu c;

	fresh(&c);
	c.ev[EV_SOFTWARE].pending = 7; /* left over: a new registration starts from zero */
	CHECK_EQ(ev_register(&c, EV_SOFTWARE, 0x40001000, 0xdeadbeef), EV_OK);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_REGISTERED);
	CHECK_EQ(c.ev[EV_SOFTWARE].entry, 0x40001000);
	CHECK_EQ(c.ev[EV_SOFTWARE].arg, 0xdeadbeef);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);

	/* A second registration is refused and the first one stays. */
	CHECK_EQ(ev_register(&c, EV_SOFTWARE, 0x50002000, 0x1), EV_DENIED);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_REGISTERED);
	CHECK_EQ(c.ev[EV_SOFTWARE].entry, 0x40001000);
	CHECK_EQ(c.ev[EV_SOFTWARE].arg, 0xdeadbeef);

	/* Also refused once enabled, and the pending count survives. */
	CHECK_EQ(ev_apply(&c.ev[EV_SOFTWARE], EV_ENABLE), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_register(&c, EV_SOFTWARE, 0x50002000, 0x1), EV_DENIED);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_ENABLED);
	CHECK_EQ(c.ev[EV_SOFTWARE].entry, 0x40001000);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 1);

	/* The other event is untouched. */
	CHECK_EQ(c.ev[EV_ASYNC_PF].state, EV_UNREGISTERED);
}

TEST(event_raise_counts)
{
	struct ev_vcpu c;

	fresh(&c);
	/* Not registered: refused, nothing counted. */
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_DENIED);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);

	/* Registered but disabled: counted. */
	CHECK_EQ(ev_register(&c, EV_SOFTWARE, 0x1000, 0), EV_OK);
	for (unsigned int i = 0; i < 5; i++)
		CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 5);

	/* Enabled: counted too. */
	CHECK_EQ(ev_apply(&c.ev[EV_SOFTWARE], EV_ENABLE), EV_OK);
	for (unsigned int i = 0; i < 3; i++)
		CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 8);
	CHECK_EQ(c.ev[EV_ASYNC_PF].pending, 0);

	/* Running (enabled or disabled): counted. */
	ev_begin(&c, EV_SOFTWARE);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 7);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_apply(&c.ev[EV_SOFTWARE], EV_DISABLE), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 9);

	/* Unregister-pending: refused. */
	CHECK_EQ(ev_unregister(&c, EV_SOFTWARE), EV_DEFERRED);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_UNREGISTER_PENDING);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_DENIED);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);

	/* Unregistered again after completion: refused. */
	{
		unsigned int idx = 99;

		CHECK_EQ(ev_complete(&c, &idx), EV_OK);
		CHECK_EQ(idx, EV_SOFTWARE);
	}
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_DENIED);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);
}

TEST(event_next_conditions)
{
	struct ev_vcpu c;

	fresh(&c);
	/* Nothing registered, nothing pending. */
	CHECK_EQ(ev_next(&c), -1);

	/* Registered and pending but disabled. */
	CHECK_EQ(ev_register(&c, EV_ASYNC_PF, 0x2000, 0), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	CHECK_EQ(ev_next(&c), -1);

	/* Enabled, nothing pending. */
	CHECK_EQ(ev_register(&c, EV_SOFTWARE, 0x1000, 0), EV_OK);
	CHECK_EQ(ev_apply(&c.ev[EV_SOFTWARE], EV_ENABLE), EV_OK);
	CHECK_EQ(ev_next(&c), -1);

	/* Enabled and pending: delivered. */
	CHECK_EQ(ev_apply(&c.ev[EV_ASYNC_PF], EV_ENABLE), EV_OK);
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);

	/* Masked: nothing. Unmasked: back. */
	c.masked = true;
	CHECK_EQ(ev_next(&c), -1);
	c.masked = false;
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);

	/* Disabled again: nothing, though still pending. */
	CHECK_EQ(ev_apply(&c.ev[EV_ASYNC_PF], EV_DISABLE), EV_OK);
	CHECK_EQ(ev_next(&c), -1);
	CHECK_EQ(c.ev[EV_ASYNC_PF].pending, 1);
	CHECK_EQ(ev_apply(&c.ev[EV_ASYNC_PF], EV_ENABLE), EV_OK);
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);

	/* A handler runs: nothing else, even what is pending and enabled. */
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_next(&c), EV_SOFTWARE);
	ev_begin(&c, EV_SOFTWARE);
	CHECK_EQ(c.running, EV_SOFTWARE);
	CHECK_EQ(c.ev[EV_ASYNC_PF].pending, 1);
	CHECK_EQ(ev_next(&c), -1);
	{
		unsigned int idx = 99;

		CHECK_EQ(ev_complete(&c, &idx), EV_OK);
		CHECK_EQ(idx, EV_SOFTWARE);
	}
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);
}

TEST(event_next_lowest_index_wins)
{
	struct ev_vcpu c;
	unsigned int idx;

	fresh(&c);
	register_enabled(&c, EV_SOFTWARE);
	register_enabled(&c, EV_ASYNC_PF);
	/* Raised in the reverse order; the lower index still comes first. */
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_next(&c), EV_SOFTWARE);
	ev_begin(&c, EV_SOFTWARE);
	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(idx, EV_SOFTWARE);
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);
	ev_begin(&c, EV_ASYNC_PF);
	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(idx, EV_ASYNC_PF);
	CHECK_EQ(ev_next(&c), -1);

	/* With the lower one disabled, the higher one is delivered. */
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	CHECK_EQ(ev_apply(&c.ev[EV_SOFTWARE], EV_DISABLE), EV_OK);
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);
}

TEST(event_next_after_unmask)
{
	struct ev_vcpu c;

	ev_vcpu_init(&c); /* starts masked */
	register_enabled(&c, EV_ASYNC_PF);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	CHECK_EQ(ev_next(&c), -1);
	c.masked = false;
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);
}

TEST(event_begin_consumes_one)
{
	struct ev_vcpu c;
	unsigned int idx;

	fresh(&c);
	register_enabled(&c, EV_SOFTWARE);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_next(&c), EV_SOFTWARE);
	ev_begin(&c, EV_SOFTWARE);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 1);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_RUNNING_ENABLED);
	CHECK_EQ(c.running, EV_SOFTWARE);
	CHECK(ev_is_running(&c.ev[EV_SOFTWARE]));

	/* The second raise waits for the handler to return. */
	CHECK_EQ(ev_next(&c), -1);
	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(idx, EV_SOFTWARE);
	CHECK_EQ(c.running, -1);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_ENABLED);
	CHECK_EQ(ev_next(&c), EV_SOFTWARE);
	ev_begin(&c, EV_SOFTWARE);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);
	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(ev_next(&c), -1);
}

TEST(event_raise_while_running_delivered_after_complete)
{
	struct ev_vcpu c;
	unsigned int idx;

	fresh(&c);
	register_enabled(&c, EV_ASYNC_PF);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	ev_begin(&c, EV_ASYNC_PF);
	CHECK_EQ(c.ev[EV_ASYNC_PF].pending, 0);
	CHECK_EQ(ev_next(&c), -1);

	/* Raised while its own handler runs. */
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	CHECK_EQ(c.ev[EV_ASYNC_PF].pending, 1);
	CHECK_EQ(ev_next(&c), -1);

	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(idx, EV_ASYNC_PF);
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);
}

TEST(event_complete_none_running)
{
	struct ev_vcpu c;
	unsigned int idx = 1234;

	fresh(&c);
	CHECK_EQ(ev_complete(&c, &idx), EV_DENIED);
	CHECK_EQ(c.running, -1);

	/* Registered and enabled but not running: still nothing to complete. */
	register_enabled(&c, EV_SOFTWARE);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_complete(&c, &idx), EV_DENIED);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_ENABLED);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 1);
	CHECK_EQ(c.running, -1);

	/* Completing twice: the second is refused. */
	ev_begin(&c, EV_SOFTWARE);
	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(idx, EV_SOFTWARE);
	CHECK_EQ(ev_complete(&c, &idx), EV_DENIED);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_ENABLED);
}

TEST(event_complete_returns_index_and_state)
{
	struct ev_vcpu c;
	unsigned int idx = 1234;

	fresh(&c);
	register_enabled(&c, EV_ASYNC_PF);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	ev_begin(&c, EV_ASYNC_PF);
	/* Disabled while its handler runs: registered, disabled afterwards. */
	CHECK_EQ(ev_apply(&c.ev[EV_ASYNC_PF], EV_DISABLE), EV_OK);
	CHECK_EQ(c.ev[EV_ASYNC_PF].state, EV_RUNNING_DISABLED);
	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(idx, EV_ASYNC_PF);
	CHECK_EQ(c.ev[EV_ASYNC_PF].state, EV_REGISTERED);
	CHECK_EQ(c.running, -1);
	CHECK_EQ(c.ev[EV_ASYNC_PF].entry, 0x80000000 + EV_ASYNC_PF);
}

TEST(event_complete_deferred_unregister)
{
	struct ev_vcpu c;
	unsigned int idx = 1234;

	fresh(&c);
	register_enabled(&c, EV_SOFTWARE);
	register_enabled(&c, EV_ASYNC_PF);
	for (unsigned int i = 0; i < 3; i++)
		CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	ev_begin(&c, EV_SOFTWARE);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 2);

	CHECK_EQ(ev_unregister(&c, EV_SOFTWARE), EV_DEFERRED);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_UNREGISTER_PENDING);
	CHECK(ev_is_running(&c.ev[EV_SOFTWARE]));
	CHECK_EQ(c.running, EV_SOFTWARE);
	/* A second unregister is deferred as well. */
	CHECK_EQ(ev_unregister(&c, EV_SOFTWARE), EV_DEFERRED);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_UNREGISTER_PENDING);
	CHECK_EQ(ev_next(&c), -1);

	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(idx, EV_SOFTWARE);
	CHECK_EQ(c.running, -1);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_UNREGISTERED);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);
	CHECK(!ev_is_registered(&c.ev[EV_SOFTWARE]));

	/* The other event is delivered next; the old raises never are. */
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);
	ev_begin(&c, EV_ASYNC_PF);
	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(ev_next(&c), -1);

	/* Registered again, it starts with nothing pending. */
	register_enabled(&c, EV_SOFTWARE);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);
	CHECK_EQ(ev_next(&c), -1);
}

TEST(event_unregister_not_running)
{
	struct ev_vcpu c;

	fresh(&c);
	CHECK_EQ(ev_unregister(&c, EV_SOFTWARE), EV_DENIED);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_UNREGISTERED);

	register_enabled(&c, EV_SOFTWARE);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_unregister(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_UNREGISTERED);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);
	CHECK_EQ(ev_next(&c), -1);
}

TEST(event_vcpu_init)
{
	struct ev_vcpu c;

	memset(&c, 0xa5, sizeof(c));
	ev_vcpu_init(&c);
	CHECK(c.masked);
	CHECK_EQ(c.running, -1);
	for (unsigned int i = 0; i < EV_COUNT; i++) {
		CHECK_EQ(c.ev[i].state, EV_UNREGISTERED);
		CHECK_EQ(c.ev[i].pending, 0);
		CHECK(!ev_is_registered(&c.ev[i]));
	}
	CHECK_EQ(ev_next(&c), -1);
}

TEST(event_vcpu_reset_idle)
{
	struct ev_vcpu c;

	fresh(&c);
	register_enabled(&c, EV_SOFTWARE);
	CHECK_EQ(ev_register(&c, EV_ASYNC_PF, 0x3000, 0), EV_OK); /* disabled */
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	ev_vcpu_reset(&c);
	for (unsigned int i = 0; i < EV_COUNT; i++) {
		CHECK_EQ(c.ev[i].state, EV_UNREGISTERED);
		CHECK_EQ(c.ev[i].pending, 0);
	}
	CHECK_EQ(c.running, -1);
	CHECK_EQ(ev_next(&c), -1);

	/* Resetting what is already unregistered is harmless. */
	ev_vcpu_reset(&c);
	for (unsigned int i = 0; i < EV_COUNT; i++)
		CHECK_EQ(c.ev[i].state, EV_UNREGISTERED);
}

TEST(event_vcpu_reset_running)
{
	struct ev_vcpu c;
	unsigned int idx = 1234;

	fresh(&c);
	register_enabled(&c, EV_SOFTWARE);
	register_enabled(&c, EV_ASYNC_PF);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_OK);
	CHECK_EQ(ev_raise(&c, EV_SOFTWARE), EV_OK);
	/* Disable the software event so the async one is delivered. */
	CHECK_EQ(ev_apply(&c.ev[EV_SOFTWARE], EV_DISABLE), EV_OK);
	CHECK_EQ(ev_next(&c), EV_ASYNC_PF);
	ev_begin(&c, EV_ASYNC_PF);

	ev_vcpu_reset(&c);
	CHECK_EQ(c.ev[EV_SOFTWARE].state, EV_UNREGISTERED);
	CHECK_EQ(c.ev[EV_SOFTWARE].pending, 0);
	CHECK_EQ(c.ev[EV_ASYNC_PF].state, EV_UNREGISTER_PENDING);
	CHECK_EQ(c.ev[EV_ASYNC_PF].pending, 0);
	CHECK_EQ(c.running, EV_ASYNC_PF);
	CHECK_EQ(ev_raise(&c, EV_ASYNC_PF), EV_DENIED);
	CHECK_EQ(ev_next(&c), -1);

	/* The handler's return releases it. */
	CHECK_EQ(ev_complete(&c, &idx), EV_OK);
	CHECK_EQ(idx, EV_ASYNC_PF);
	CHECK_EQ(c.running, -1);
	CHECK_EQ(c.ev[EV_ASYNC_PF].state, EV_UNREGISTERED);
	CHECK_EQ(c.ev[EV_ASYNC_PF].pending, 0);
	CHECK_EQ(ev_next(&c), -1);
	CHECK_EQ(ev_complete(&c, &idx), EV_DENIED);
}
