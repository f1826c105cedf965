/*
 * SBI SSE on core's event table: event IDs, the state transitions and
 * their errors, attributes, INJECT, masking and COMPLETE. Entering a
 * handler is arch/riscv/sse_deliver.c (CSRs, not on the host); the tests
 * put an event in RUNNING as it does, with core's ev_begin.
 */
#include "sbi_test.h"

enum { READ_ATTRS, WRITE_ATTRS, REGISTER, UNREGISTER, ENABLE, DISABLE, COMPLETE, INJECT,
       HART_UNMASK, HART_MASK };
enum { A_STATUS, A_PRIORITY, A_CONFIG, A_PREFERRED_HART, A_ENTRY_PC, A_ENTRY_ARG,
       A_INTERRUPTED_SEPC, A_INTERRUPTED_FLAGS, A_INTERRUPTED_A6, A_INTERRUPTED_A7, A_COUNT };
enum { UNUSED, REGISTERED, ENABLED, RUNNING };
#define PENDING 4
#define INJECTABLE 8

#define SW 0xffff0000u  /* software-injected local event */
#define APF 0xffff4000u /* tern's async page-fault notice */

/* The guest's attribute buffer. */
#define BUF 0x800
#define BUF_IPA (RAM_IPA + BUF)

static int64_t sse(unsigned int hart, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct fw_call c = SBI(hart, SBI_EXT_SSE, fid, a0, a1, a2);

	CHECK_EQ(VAL(c), 0);
	CHECK_EQ(c.next, VCPU_NEXT_RUN);
	return ERR(c);
}

static int64_t read_attrs(unsigned int hart, uint64_t ev, uint64_t base, uint64_t count,
			  uint64_t *vals)
{
	struct fw_call c = SBI(hart, SBI_EXT_SSE, READ_ATTRS, ev, base, count, BUF_IPA, 0);

	CHECK_EQ(VAL(c), 0);
	if (ERR(c) == SBI_SUCCESS && vals)
		memcpy(vals, vm_ram + BUF, count * 8);
	return ERR(c);
}

static int64_t write_attrs(unsigned int hart, uint64_t ev, uint64_t base, uint64_t count,
			   const uint64_t *vals)
{
	memcpy(vm_ram + BUF, vals, count * 8);
	return ERR(SBI(hart, SBI_EXT_SSE, WRITE_ATTRS, ev, base, count, BUF_IPA, 0));
}

static uint64_t attr(unsigned int hart, uint64_t ev, unsigned int a)
{
	uint64_t v = 0xdead;

	CHECK_EQ(read_attrs(hart, ev, a, 1, &v), SBI_SUCCESS);
	return v;
}

static int64_t write_attr(unsigned int hart, uint64_t ev, unsigned int a, uint64_t v)
{
	return write_attrs(hart, ev, a, 1, &v);
}

#define STATUS(hart, ev) attr((hart), (ev), A_STATUS)

/* What riscv_sse_deliver does with the event table on an entry: the event
 * due becomes RUNNING, one raise consumed. */
static void deliver(unsigned int h, unsigned int idx)
{
	struct vcpu *v = hart(h);

	CHECK(vcpu_event_due(v));
	spin_lock(&v->events.lock);
	CHECK_EQ(ev_next(&v->events), (int)idx);
	ev_begin(&v->events, idx);
	v->arch.sse.active = idx;
	spin_unlock(&v->events.lock);
}

TEST(sbi_sse_event_ids)
{
	static const uint32_t unsupported[] = {
		0x00000000, 0x00000001, 0x00008000, 0x00010000, 0x00100000, 0x00108000, 0xffff8000,
	};
	static const uint64_t invalid[] = {
		0x00000002, 0x00004000, 0x0000c000, 0x00010001, 0xffff0001, 0xffff4001,
		0xffff7fff, 0xffffc000, 0xffffffff, 0x12345678,
	};
	static const unsigned int fids[] = { READ_ATTRS, WRITE_ATTRS, REGISTER, UNREGISTER,
					     ENABLE, DISABLE, INJECT };

	vm_setup(2, false);
	memset(vm_ram + BUF, 0xa5, 80);
	for (unsigned int f = 0; f < sizeof(fids) / sizeof(fids[0]); f++) {
		/* Arguments that are fine for each function otherwise. */
		uint64_t a1 = fids[f] == REGISTER ? RAM_IPA : fids[f] == INJECT ? 0 : A_PRIORITY;

		for (unsigned int i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
			struct fw_call c = SBI(0, SBI_EXT_SSE, fids[f], unsupported[i], a1, 1,
					       BUF_IPA, 0);

			CHECK_EQ(ERR(c), SBI_ERR_NOT_SUPPORTED);
			CHECK_EQ(VAL(c), 0);
		}
		for (unsigned int i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
			struct fw_call c = SBI(0, SBI_EXT_SSE, fids[f], invalid[i], a1, 1, BUF_IPA, 0);

			CHECK_EQ(ERR(c), SBI_ERR_INVALID_PARAM);
			CHECK_EQ(VAL(c), 0);
		}
		/* The event is answered first: even with a bad buffer. */
		CHECK_EQ(ERR(SBI(0, SBI_EXT_SSE, fids[f], 0x2, a1, 0, 3, 1)), SBI_ERR_INVALID_PARAM);
		CHECK_EQ(ERR(SBI(0, SBI_EXT_SSE, fids[f], 0x1, a1, 0, 3, 1)), SBI_ERR_NOT_SUPPORTED);
	}
	for (unsigned int i = 0; i < 80; i++)
		CHECK_EQ(vm_ram[BUF + i], 0xa5);
	for (unsigned int i = 0; i < EV_COUNT; i++)
		CHECK_EQ(hart(0)->events.ev[i].state, EV_UNREGISTERED);
	CHECK(doubles_untouched());

	/* event_id is the low 32 bits of a0. */
	CHECK_EQ(sse(0, REGISTER, 1ull << 32 | SW, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(hart(0)->events.ev[EV_SOFTWARE].state, EV_REGISTERED);
	CHECK_EQ(sse(0, REGISTER, 0xffffffff00000000ull | APF, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(hart(0)->events.ev[EV_ASYNC_PF].state, EV_REGISTERED);
}

TEST(sbi_sse_state_transitions)
{
	vm_setup(1, false);
	for (unsigned int i = 0; i < EV_COUNT; i++) {
		uint64_t ev = i ? APF : SW, inj = i ? 0 : INJECTABLE;
		enum ev_index idx = i ? EV_ASYNC_PF : EV_SOFTWARE;
		struct ev_event *e = &hart(0)->events.ev[idx];

		CHECK_EQ(STATUS(0, ev), UNUSED | inj);
		/* From UNUSED only REGISTER. */
		CHECK_EQ(sse(0, UNREGISTER, ev, 0, 0), SBI_ERR_INVALID_STATE);
		CHECK_EQ(sse(0, ENABLE, ev, 0, 0), SBI_ERR_INVALID_STATE);
		CHECK_EQ(sse(0, DISABLE, ev, 0, 0), SBI_ERR_INVALID_STATE);
		CHECK_EQ(sse(0, REGISTER, ev, RAM_IPA + 0x1001, 0), SBI_ERR_INVALID_PARAM); /* odd pc */
		CHECK_EQ(e->state, EV_UNREGISTERED);
		/* A virtual address: anything 2-byte aligned, in RAM or not. */
		CHECK_EQ(sse(0, REGISTER, ev, 0xffffffc000001002ull, 0x1234), SBI_SUCCESS);
		CHECK_EQ(e->state, EV_REGISTERED);
		CHECK_EQ(STATUS(0, ev), REGISTERED | inj);
		CHECK_EQ(attr(0, ev, A_ENTRY_PC), 0xffffffc000001002ull);
		CHECK_EQ(attr(0, ev, A_ENTRY_ARG), 0x1234);
		/* From REGISTERED: not REGISTER (alignment first), not DISABLE. */
		CHECK_EQ(sse(0, REGISTER, ev, RAM_IPA, 0), SBI_ERR_INVALID_STATE);
		CHECK_EQ(sse(0, REGISTER, ev, RAM_IPA + 1, 0), SBI_ERR_INVALID_PARAM);
		CHECK_EQ(sse(0, DISABLE, ev, 0, 0), SBI_ERR_INVALID_STATE);
		CHECK_EQ(attr(0, ev, A_ENTRY_PC), 0xffffffc000001002ull);
		/* UNREGISTER and REGISTER again, with another handler. */
		CHECK_EQ(sse(0, UNREGISTER, ev, 0, 0), SBI_SUCCESS);
		CHECK_EQ(e->state, EV_UNREGISTERED);
		CHECK_EQ(STATUS(0, ev), UNUSED | inj);
		CHECK_EQ(sse(0, REGISTER, ev, RAM_IPA + 0x2000, 0x99), SBI_SUCCESS);
		CHECK_EQ(attr(0, ev, A_ENTRY_ARG), 0x99);
		/* ENABLE; from ENABLED only DISABLE. */
		CHECK_EQ(sse(0, ENABLE, ev, 0, 0), SBI_SUCCESS);
		CHECK_EQ(e->state, EV_ENABLED);
		CHECK_EQ(STATUS(0, ev), ENABLED | inj);
		CHECK_EQ(sse(0, ENABLE, ev, 0, 0), SBI_ERR_INVALID_STATE);
		CHECK_EQ(sse(0, REGISTER, ev, RAM_IPA, 0), SBI_ERR_INVALID_STATE);
		CHECK_EQ(sse(0, UNREGISTER, ev, 0, 0), SBI_ERR_INVALID_STATE);
		CHECK_EQ(e->state, EV_ENABLED);
		CHECK_EQ(sse(0, DISABLE, ev, 0, 0), SBI_SUCCESS);
		CHECK_EQ(e->state, EV_REGISTERED);
		CHECK_EQ(STATUS(0, ev), REGISTERED | inj);
		CHECK_EQ(sse(0, UNREGISTER, ev, 0, 0), SBI_SUCCESS);
		CHECK_EQ(STATUS(0, ev), UNUSED | inj);
	}
	CHECK(doubles_untouched());
}

TEST(sbi_sse_read_attrs)
{
	uint64_t v[A_COUNT];

	vm_setup(3, false);
	atomic_store(&hart(2)->power, VCPU_ON);
	CHECK_EQ(sse(2, REGISTER, SW, RAM_IPA + 0x3000, 0xfeed), SBI_SUCCESS);
	CHECK_EQ(read_attrs(2, SW, 0, A_COUNT, v), SBI_SUCCESS);
	CHECK_EQ(v[A_STATUS], REGISTERED | INJECTABLE);
	CHECK_EQ(v[A_PRIORITY], 0);
	CHECK_EQ(v[A_CONFIG], 0);
	CHECK_EQ(v[A_PREFERRED_HART], 2); /* local: the calling hart */
	CHECK_EQ(v[A_ENTRY_PC], RAM_IPA + 0x3000);
	CHECK_EQ(v[A_ENTRY_ARG], 0xfeed);
	for (unsigned int a = A_INTERRUPTED_SEPC; a < A_COUNT; a++)
		CHECK_EQ(v[a], 0);
	/* Value i of the buffer is attribute base + i. */
	memset(v, 0, sizeof(v));
	CHECK_EQ(read_attrs(2, SW, A_ENTRY_PC, 2, v), SBI_SUCCESS);
	CHECK_EQ(v[0], RAM_IPA + 0x3000);
	CHECK_EQ(v[1], 0xfeed);
	CHECK_EQ(attr(2, SW, A_INTERRUPTED_A7), 0);
	/* The other hart's copy of the event is its own. */
	CHECK_EQ(read_attrs(0, SW, 0, A_COUNT, v), SBI_SUCCESS);
	CHECK_EQ(v[A_STATUS], UNUSED | INJECTABLE);
	CHECK_EQ(v[A_PREFERRED_HART], 0);
	CHECK_EQ(v[A_ENTRY_PC], 0);
	CHECK_EQ(STATUS(0, APF), UNUSED);
	CHECK(doubles_untouched());
}

TEST(sbi_sse_attr_buffer_errors)
{
	static const struct {
		uint64_t base, count, lo, hi;
		int64_t err;
	} bad[] = {
		{ 0, 0, BUF_IPA, 0, SBI_ERR_INVALID_PARAM },            /* count 0 */
		{ A_COUNT, 1, BUF_IPA, 0, SBI_ERR_BAD_RANGE },           /* attribute 10 */
		{ 5, 6, BUF_IPA, 0, SBI_ERR_BAD_RANGE },
		{ 0, 11, BUF_IPA, 0, SBI_ERR_BAD_RANGE },
		{ 0xffffffff, 2, BUF_IPA, 0, SBI_ERR_BAD_RANGE },        /* no wrap to 0 */
		{ 1, 0xffffffff, BUF_IPA, 0, SBI_ERR_BAD_RANGE },
		{ 0, 1, BUF_IPA + 4, 0, SBI_ERR_INVALID_ADDRESS },       /* not 8-byte aligned */
		{ 0, 1, BUF_IPA + 1, 0, SBI_ERR_INVALID_ADDRESS },
		{ 0, 1, BUF_IPA, 1, SBI_ERR_INVALID_ADDRESS },           /* phys_hi set */
		{ 0, 1, RAM_IPA - 8, 0, SBI_ERR_INVALID_ADDRESS },
		{ 0, 2, RAM_IPA + RAM_SIZE - 8, 0, SBI_ERR_INVALID_ADDRESS }, /* runs past RAM */
		{ 0, 1, 0, 0, SBI_ERR_INVALID_ADDRESS },
		{ 0, 1, ~7ull, 0, SBI_ERR_INVALID_ADDRESS },
		/* The order: count, range, then the buffer. */
		{ 0, 0, 3, 1, SBI_ERR_INVALID_PARAM },
		{ 9, 2, 3, 1, SBI_ERR_BAD_RANGE },
	};

	vm_setup(1, false);
	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA, 0), SBI_SUCCESS);
	memset(vm_ram + BUF, 0xa5, 16 * 8);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (unsigned int w = 0; w < 2; w++) {
			struct fw_call c = SBI(0, SBI_EXT_SSE, w ? WRITE_ATTRS : READ_ATTRS, SW,
					       bad[i].base, bad[i].count, bad[i].lo, bad[i].hi);

			CHECK_EQ(ERR(c), bad[i].err);
			CHECK_EQ(VAL(c), 0);
		}
	}
	/* Nothing written by the failed reads, nothing changed by the writes. */
	for (unsigned int i = 0; i < 16 * 8; i++)
		CHECK_EQ(vm_ram[BUF + i], 0xa5);
	/* base and count are 32 bits each: one value, attribute 4. */
	CHECK_EQ(read_attrs(0, SW, 1ull << 32 | A_ENTRY_PC, 1ull << 32 | 1, NULL), SBI_SUCCESS);
	CHECK_EQ(vm_ram[BUF + 7], 0x00);
	CHECK_EQ(vm_ram[BUF + 8], 0xa5);
	/* The last attribute at the very end of RAM. */
	CHECK_EQ(ERR(SBI(0, SBI_EXT_SSE, READ_ATTRS, SW, A_INTERRUPTED_A7, 1,
			 RAM_IPA + RAM_SIZE - 8, 0)), SBI_SUCCESS);
	CHECK_EQ(attr(0, SW, A_PRIORITY), 0);
	CHECK_EQ(attr(0, SW, A_CONFIG), 0);
	CHECK(doubles_untouched());
}

TEST(sbi_sse_write_attrs)
{
	uint64_t v[A_COUNT] = { 0 };

	vm_setup(1, false);
	/* PRIORITY and CONFIG: writable while UNUSED or REGISTERED. */
	CHECK_EQ(write_attr(0, SW, A_PRIORITY, 5), SBI_SUCCESS);
	CHECK_EQ(attr(0, SW, A_PRIORITY), 5);
	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(attr(0, SW, A_PRIORITY), 5); /* kept across REGISTER */
	v[0] = 0xffffffff;
	v[1] = 1; /* one-shot */
	CHECK_EQ(write_attrs(0, SW, A_PRIORITY, 2, v), SBI_SUCCESS);
	CHECK_EQ(attr(0, SW, A_PRIORITY), 0xffffffff);
	CHECK_EQ(attr(0, SW, A_CONFIG), 1);
	/* Illegal values. */
	CHECK_EQ(write_attr(0, SW, A_PRIORITY, 1ull << 32), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(write_attr(0, SW, A_CONFIG, 2), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(write_attr(0, SW, A_CONFIG, 1ull << 63), SBI_ERR_INVALID_PARAM);
	/* Read-only: STATUS, PREFERRED_HART (a local event), ENTRY_*. */
	CHECK_EQ(write_attr(0, SW, A_STATUS, REGISTERED | INJECTABLE), SBI_ERR_DENIED);
	CHECK_EQ(write_attr(0, SW, A_PREFERRED_HART, 0), SBI_ERR_DENIED);
	CHECK_EQ(write_attr(0, SW, A_ENTRY_PC, RAM_IPA), SBI_ERR_DENIED);
	CHECK_EQ(write_attr(0, SW, A_ENTRY_ARG, 0), SBI_ERR_DENIED);
	/* INTERRUPTED_*: only while RUNNING (flags' own bits checked first). */
	CHECK_EQ(write_attr(0, SW, A_INTERRUPTED_SEPC, RAM_IPA), SBI_ERR_INVALID_STATE);
	CHECK_EQ(write_attr(0, SW, A_INTERRUPTED_FLAGS, 0x3f), SBI_ERR_INVALID_STATE);
	CHECK_EQ(write_attr(0, SW, A_INTERRUPTED_FLAGS, 0x40), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(write_attr(0, SW, A_INTERRUPTED_A6, 1), SBI_ERR_INVALID_STATE);
	CHECK_EQ(write_attr(0, SW, A_INTERRUPTED_A7, 1), SBI_ERR_INVALID_STATE);
	CHECK_EQ(attr(0, SW, A_INTERRUPTED_SEPC), 0);

	/* The first error in attribute order, and then nothing is written. */
	v[0] = 7; /* PRIORITY: fine */
	v[1] = 2; /* CONFIG: illegal */
	CHECK_EQ(write_attrs(0, SW, A_PRIORITY, 2, v), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(attr(0, SW, A_PRIORITY), 0xffffffff);
	v[0] = 0; /* STATUS: read-only */
	v[1] = 7;
	v[2] = 2;
	CHECK_EQ(write_attrs(0, SW, A_STATUS, 3, v), SBI_ERR_DENIED);
	v[0] = 3;
	v[1] = 0;
	v[2] = 1; /* PREFERRED_HART */
	CHECK_EQ(write_attrs(0, SW, A_PRIORITY, 3, v), SBI_ERR_DENIED);
	v[0] = 1ull << 40;
	v[1] = 0;
	v[2] = 0;
	CHECK_EQ(write_attrs(0, SW, A_PRIORITY, 3, v), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(attr(0, SW, A_PRIORITY), 0xffffffff);
	CHECK_EQ(attr(0, SW, A_CONFIG), 1);

	/* ENABLED: PRIORITY and CONFIG no longer (a bad value says so first). */
	CHECK_EQ(sse(0, ENABLE, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(write_attr(0, SW, A_PRIORITY, 1), SBI_ERR_INVALID_STATE);
	CHECK_EQ(write_attr(0, SW, A_CONFIG, 0), SBI_ERR_INVALID_STATE);
	CHECK_EQ(write_attr(0, SW, A_CONFIG, 4), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(attr(0, SW, A_PRIORITY), 0xffffffff);
	CHECK_EQ(attr(0, SW, A_CONFIG), 1);
	/* The other event's attributes are its own. */
	CHECK_EQ(attr(0, APF, A_PRIORITY), 0);
	CHECK_EQ(write_attr(0, APF, A_PRIORITY, 9), SBI_SUCCESS);
	CHECK_EQ(attr(0, SW, A_PRIORITY), 0xffffffff);
	CHECK(doubles_untouched());
}

TEST(sbi_sse_inject)
{
	vm_setup(3, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	/* Not registered on the target: FAILED, nothing counted. */
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_ERR_FAILED);
	CHECK_EQ(sse(0, INJECT, SW, 1, 0), SBI_ERR_FAILED);
	CHECK_EQ(hart(0)->events.ev[EV_SOFTWARE].pending, 0);

	/* To itself: pending, no wake-up or kick needed. Pending is a flag
	 * (STATUS bit 2): injecting a pending event again adds nothing. */
	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(STATUS(0, SW), REGISTERED | PENDING | INJECTABLE);
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(STATUS(0, SW), REGISTERED | PENDING | INJECTABLE);
	CHECK_EQ(hart(0)->events.ev[EV_SOFTWARE].pending, 1);
	CHECK(doubles_untouched());

	/* Only the software event is injectable; harts must exist, be on. */
	CHECK_EQ(sse(0, REGISTER, APF, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, INJECT, APF, 0, 0), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(hart(0)->events.ev[EV_ASYNC_PF].pending, 0);
	CHECK_EQ(sse(0, INJECT, SW, 3, 0), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(sse(0, INJECT, SW, -1ull, 0), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(sse(0, INJECT, SW, 2, 0), SBI_ERR_FAILED); /* stopped */
	CHECK(doubles_untouched());

	/* To another hart that registered it: pending there, and that hart
	 * is woken and made to leave the guest (its CPU interrupted). */
	CHECK_EQ(sse(1, REGISTER, SW, RAM_IPA + 0x100, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, INJECT, SW, 1, 0), SBI_SUCCESS);
	CHECK_EQ(STATUS(1, SW), REGISTERED | PENDING | INJECTABLE);
	CHECK_EQ(hart(1)->events.ev[EV_SOFTWARE].pending, 1);
	CHECK_EQ(hart(0)->events.ev[EV_SOFTWARE].pending, 1);
	CHECK(atomic_load(&hart(1)->wake));
	CHECK(atomic_load(&hart(1)->kick));
	CHECK(dbl.nkicked >= 1);
	for (unsigned int i = 0; i < dbl.nkicked; i++)
		CHECK(dbl.kicked[i] == &pcpus[1]);
	CHECK(!atomic_load(&hart(0)->kick) && !atomic_load(&hart(2)->wake));

	/* What was raised for a registration is not for the next one. */
	CHECK_EQ(sse(0, UNREGISTER, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(STATUS(0, SW), REGISTERED | INJECTABLE);
	CHECK_EQ(hart(0)->events.ev[EV_SOFTWARE].pending, 0);
}

TEST(sbi_sse_hart_mask_unmask)
{
	vm_setup(2, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	/* A hart starts masked. */
	CHECK_EQ(sse(0, HART_MASK, 0, 0, 0), SBI_ERR_ALREADY_STOPPED);
	CHECK_EQ(sse(0, HART_UNMASK, 0, 0, 0), SBI_SUCCESS);
	CHECK(!hart(0)->events.masked);
	CHECK_EQ(sse(0, HART_UNMASK, 0, 0, 0), SBI_ERR_ALREADY_STARTED);
	/* Per hart. */
	CHECK(hart(1)->events.masked);
	CHECK_EQ(sse(1, HART_UNMASK, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, HART_MASK, 0, 0, 0), SBI_SUCCESS);
	CHECK(hart(0)->events.masked);
	CHECK_EQ(sse(0, HART_MASK, 0, 0, 0), SBI_ERR_ALREADY_STOPPED);
	CHECK(!hart(1)->events.masked);

	/* Delivery needs the event enabled, pending and the hart unmasked. */
	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_SUCCESS);
	CHECK(!vcpu_event_due(hart(0))); /* registered only */
	CHECK_EQ(sse(0, ENABLE, SW, 0, 0), SBI_SUCCESS);
	CHECK(!vcpu_event_due(hart(0))); /* masked */
	CHECK_EQ(sse(0, HART_UNMASK, 0, 0, 0), SBI_SUCCESS);
	CHECK(vcpu_event_due(hart(0)));
	CHECK_EQ(sse(0, HART_MASK, 0, 0, 0), SBI_SUCCESS);
	CHECK(!vcpu_event_due(hart(0)));
	CHECK_EQ(sse(0, HART_UNMASK, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, DISABLE, SW, 0, 0), SBI_SUCCESS);
	CHECK(!vcpu_event_due(hart(0)));
	CHECK(!vcpu_event_due(hart(1)));
	CHECK(doubles_untouched());
}

TEST(sbi_sse_running_and_complete)
{
	uint64_t v[4] = { RAM_IPA + 0x1234, 0x3f, 0x66, 0x77 };

	vm_setup(1, false);
	/* Nothing running: COMPLETE succeeds and does nothing. */
	CHECK_EQ(sse(0, COMPLETE, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(dbl.nevent_returns, 0);

	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA + 0x4000, 0xa1), SBI_SUCCESS);
	CHECK_EQ(sse(0, ENABLE, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, HART_UNMASK, 0, 0, 0), SBI_SUCCESS);
	deliver(0, EV_SOFTWARE);
	CHECK_EQ(STATUS(0, SW), RUNNING | INJECTABLE); /* the raise consumed */
	CHECK(!vcpu_event_due(hart(0)));

	/* RUNNING: no REGISTER, ENABLE, DISABLE or UNREGISTER. */
	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA, 0), SBI_ERR_INVALID_STATE);
	CHECK_EQ(sse(0, ENABLE, SW, 0, 0), SBI_ERR_INVALID_STATE);
	CHECK_EQ(sse(0, DISABLE, SW, 0, 0), SBI_ERR_INVALID_STATE);
	CHECK_EQ(sse(0, UNREGISTER, SW, 0, 0), SBI_ERR_INVALID_STATE);
	CHECK_EQ(hart(0)->events.ev[EV_SOFTWARE].state, EV_RUNNING_ENABLED);
	/* PRIORITY and CONFIG are fixed; INTERRUPTED_* writable, all six
	 * flag bits, read back as written. */
	CHECK_EQ(write_attr(0, SW, A_PRIORITY, 1), SBI_ERR_INVALID_STATE);
	CHECK_EQ(write_attr(0, SW, A_CONFIG, 1), SBI_ERR_INVALID_STATE);
	CHECK_EQ(write_attrs(0, SW, A_INTERRUPTED_SEPC, 4, v), SBI_SUCCESS);
	CHECK_EQ(attr(0, SW, A_INTERRUPTED_SEPC), RAM_IPA + 0x1234);
	CHECK_EQ(attr(0, SW, A_INTERRUPTED_FLAGS), 0x3f);
	CHECK_EQ(attr(0, SW, A_INTERRUPTED_A6), 0x66);
	CHECK_EQ(attr(0, SW, A_INTERRUPTED_A7), 0x77);
	CHECK_EQ(write_attr(0, SW, A_INTERRUPTED_FLAGS, 0x40), SBI_ERR_INVALID_PARAM);
	CHECK_EQ(attr(0, SW, A_INTERRUPTED_FLAGS), 0x3f);
	CHECK_EQ(write_attr(0, SW, A_INTERRUPTED_FLAGS, 0x1), SBI_SUCCESS);
	CHECK_EQ(attr(0, SW, A_INTERRUPTED_FLAGS), 0x1);
	/* The async page-fault event is not running: its own state rules. */
	CHECK_EQ(write_attr(0, APF, A_INTERRUPTED_A6, 1), SBI_ERR_INVALID_STATE);
	/* Raised again while running (twice: once is what counts): pending
	 * until COMPLETE, then delivered once. */
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(STATUS(0, SW), RUNNING | PENDING | INJECTABLE);
	CHECK(!vcpu_event_due(hart(0)));
	CHECK_EQ(dbl.nevent_returns, 0);

	/* COMPLETE: back to ENABLED, the interrupted context restored. */
	CHECK_EQ(sse(0, COMPLETE, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(dbl.nevent_returns, 1);
	CHECK(dbl.event_returns[0].v == hart(0));
	CHECK(!dbl.event_returns[0].resume);
	CHECK_EQ(hart(0)->events.running, -1);
	CHECK_EQ(STATUS(0, SW), ENABLED | PENDING | INJECTABLE);
	CHECK(vcpu_event_due(hart(0))); /* the second raise */
	/* Once only. */
	CHECK_EQ(sse(0, COMPLETE, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(dbl.nevent_returns, 1);
	deliver(0, EV_SOFTWARE);
	CHECK_EQ(sse(0, COMPLETE, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(dbl.nevent_returns, 2);
	CHECK_EQ(STATUS(0, SW), ENABLED | INJECTABLE);
	CHECK(!vcpu_event_due(hart(0)));
}

TEST(sbi_sse_one_shot)
{
	vm_setup(1, false);
	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(write_attr(0, SW, A_CONFIG, 1), SBI_SUCCESS);
	CHECK_EQ(sse(0, ENABLE, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, HART_UNMASK, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_SUCCESS);
	deliver(0, EV_SOFTWARE);
	CHECK_EQ(sse(0, INJECT, SW, 0, 0), SBI_SUCCESS); /* raised again while it runs */
	CHECK_EQ(sse(0, COMPLETE, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(dbl.nevent_returns, 1);
	/* Disabled on completion: the second raise waits for ENABLE. */
	CHECK_EQ(STATUS(0, SW), REGISTERED | PENDING | INJECTABLE);
	CHECK_EQ(hart(0)->events.ev[EV_SOFTWARE].state, EV_REGISTERED);
	CHECK(!vcpu_event_due(hart(0)));
	CHECK_EQ(sse(0, ENABLE, SW, 0, 0), SBI_SUCCESS);
	CHECK(vcpu_event_due(hart(0)));
}

TEST(sbi_sse_hart_start_and_suspend)
{
	vm_setup(2, false);
	atomic_store(&hart(1)->power, VCPU_ON);
	CHECK_EQ(sse(1, REGISTER, SW, RAM_IPA, 0), SBI_SUCCESS);
	CHECK_EQ(write_attr(1, SW, A_PRIORITY, 5), SBI_SUCCESS);
	CHECK_EQ(sse(1, ENABLE, SW, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(1, HART_UNMASK, 0, 0, 0), SBI_SUCCESS);
	CHECK_EQ(sse(0, INJECT, SW, 1, 0), SBI_SUCCESS);

	/* A non-retentive suspend keeps the registrations. */
	CHECK_EQ(ERR(SBI(1, SBI_EXT_HSM, 3, 0x80000000, RAM_IPA, 0)), SBI_SUCCESS);
	CHECK_EQ(STATUS(1, SW), ENABLED | PENDING | INJECTABLE);
	CHECK(!hart(1)->events.masked);
	CHECK_EQ(dbl.nresets, 0);

	/* Stopped, then started again: masked, nothing registered, nothing
	 * pending, the attributes at their reset values. */
	CHECK_EQ(SBI(1, SBI_EXT_HSM, 1, 0).next, VCPU_NEXT_OFF);
	atomic_store(&hart(1)->power, VCPU_OFF);
	CHECK_EQ(sse(0, INJECT, SW, 1, 0), SBI_ERR_FAILED);
	CHECK_EQ(ERR(SBI(0, SBI_EXT_HSM, 0, 1, RAM_IPA + 0x100, 0)), SBI_SUCCESS);
	CHECK(hart(1)->events.masked);
	for (unsigned int i = 0; i < EV_COUNT; i++) {
		CHECK_EQ(hart(1)->events.ev[i].state, EV_UNREGISTERED);
		CHECK_EQ(hart(1)->events.ev[i].pending, 0);
	}
	atomic_store(&hart(1)->power, VCPU_ON);
	CHECK_EQ(STATUS(1, SW), UNUSED | INJECTABLE);
	/* (The attributes are arch_vcpu_reset's: its double does what
	 * arch/riscv/vcpu.c does to them.) */
	CHECK_EQ(attr(1, SW, A_PRIORITY), 0);
	CHECK_EQ(sse(1, HART_MASK, 0, 0, 0), SBI_ERR_ALREADY_STOPPED);
	CHECK_EQ(sse(0, INJECT, SW, 1, 0), SBI_ERR_FAILED); /* not registered now */
}

TEST(sbi_sse_unknown_functions)
{
	static const uint64_t fids[] = { 10, 11, 0x7fffffff, 1ull << 32 | HART_UNMASK, ~0ull };

	vm_setup(1, false);
	CHECK_EQ(sse(0, REGISTER, SW, RAM_IPA, 0), SBI_SUCCESS);
	for (unsigned int i = 0; i < sizeof(fids) / sizeof(fids[0]); i++)
		CHECK_EQ(sse(0, fids[i], SW, 0, 0), SBI_ERR_NOT_SUPPORTED);
	CHECK(hart(0)->events.masked);
	CHECK_EQ(STATUS(0, SW), REGISTERED | INJECTABLE);
	CHECK(doubles_untouched());
}
