#include <tern/errno.h>
#include <tern/mmio.h>
#include "test.h"

static uint64_t last_off, last_val;
static unsigned int last_size;

static int dev_read(struct mmio_device *d, struct vcpu *v, uint64_t off, unsigned int size,
		    uint64_t *val)
{
	last_off = off;
	last_size = size;
	*val = 0x1234 + off;
	return 0;
}

static int dev_write(struct mmio_device *d, struct vcpu *v, uint64_t off, unsigned int size,
		     uint64_t val)
{
	last_off = off;
	last_size = size;
	last_val = val;
	return off == 0xff ? -E_INVAL : 0;
}

static const struct mmio_ops ops = { dev_read, dev_write };
static const struct mmio_ops read_only = { dev_read, NULL };

TEST(mmio_register_keeps_order_and_refuses_overlap)
{
	struct mmio_bus bus = { 0 };
	struct mmio_device a = { "a", 0x2000, 0x1000, &ops, NULL };
	struct mmio_device b = { "b", 0x1000, 0x1000, &ops, NULL };
	struct mmio_device c = { "c", 0x1800, 0x10, &ops, NULL };
	struct mmio_device empty = { "e", 0x9000, 0, &ops, NULL };
	struct mmio_device wrap = { "w", ~0ULL - 0x10, 0x100, &ops, NULL };

	CHECK_EQ(mmio_register(&bus, &a), 0);
	CHECK_EQ(mmio_register(&bus, &b), 0);
	CHECK_EQ(mmio_register(&bus, &c), -E_EXIST);
	CHECK_EQ(mmio_register(&bus, &empty), -E_INVAL);
	CHECK_EQ(mmio_register(&bus, &wrap), -E_INVAL);
	CHECK_EQ(bus.nr, 2);
	CHECK(bus.devs[0] == &b && bus.devs[1] == &a);
	CHECK(mmio_find(&bus, 0x1fff, 1) == &b);
	CHECK(mmio_find(&bus, 0x2000, 4) == &a);
	CHECK(mmio_find(&bus, 0x2ffc, 8) == NULL); /* straddles the end */
	CHECK(mmio_find(&bus, 0x3000, 4) == NULL);
	CHECK(mmio_find(&bus, 0x0fff, 1) == NULL);
}

/* The last device found is tried first: it must never answer for an
 * address outside it, nor for an access that straddles its end. */
TEST(mmio_find_hint_never_answers_for_another)
{
	struct mmio_bus bus = { 0 };
	struct mmio_device a = { "a", 0x2000, 0x1000, &ops, NULL };
	struct mmio_device b = { "b", 0x1000, 0x1000, &ops, NULL };

	CHECK_EQ(mmio_register(&bus, &a), 0);
	CHECK_EQ(mmio_register(&bus, &b), 0);
	CHECK(mmio_find(&bus, 0x2010, 4) == &a);
	CHECK(bus.last == &a);
	CHECK(mmio_find(&bus, 0x2ffc, 8) == NULL);  /* a's end, with a the hint */
	CHECK(mmio_find(&bus, 0x1ffc, 4) == &b);    /* just below a */
	CHECK(bus.last == &b);
	CHECK(mmio_find(&bus, 0x0fff, 1) == NULL);  /* below b, b the hint */
	CHECK(mmio_find(&bus, 0x3000, 1) == NULL);  /* above a */
	CHECK(mmio_find(&bus, 0x2000, 1) == &a);
	CHECK(mmio_find(&bus, 0x1000, 8) == &b);
}

TEST(mmio_bus_full)
{
	struct mmio_bus bus = { 0 };
	struct mmio_device devs[MMIO_MAX_DEVICES + 1];

	for (unsigned int i = 0; i <= MMIO_MAX_DEVICES; i++) {
		devs[i] = (struct mmio_device){ "d", 0x10000 * (i + 1), 0x100, &ops, NULL };
		CHECK_EQ(mmio_register(&bus, &devs[i]), i < MMIO_MAX_DEVICES ? 0 : -E_NOMEM);
	}
	for (unsigned int i = 0; i < MMIO_MAX_DEVICES; i++)
		CHECK(mmio_find(&bus, 0x10000 * (i + 1) + 0x80, 4) == &devs[i]);
}

TEST(mmio_access_dispatches_with_offsets)
{
	struct mmio_bus bus = { 0 };
	struct mmio_device a = { "a", 0x9000000, 0x1000, &ops, NULL };
	struct mmio_device r = { "r", 0x8000000, 0x1000, &read_only, NULL };
	uint64_t v = 0;

	mmio_register(&bus, &a);
	mmio_register(&bus, &r);
	CHECK_EQ(mmio_access(&bus, NULL, 0x9000018, 4, false, &v), 0);
	CHECK_EQ(v, 0x1234 + 0x18);
	CHECK_EQ(last_off, 0x18);
	CHECK_EQ(last_size, 4);
	v = 0xab;
	CHECK_EQ(mmio_access(&bus, NULL, 0x9000000, 1, true, &v), 0);
	CHECK_EQ(last_val, 0xab);
	v = 1;
	CHECK_EQ(mmio_access(&bus, NULL, 0x90000ff, 1, true, &v), -E_INVAL); /* device refuses */
	CHECK_EQ(mmio_access(&bus, NULL, 0x8000000, 4, true, &v), -E_NOTSUP);
	CHECK_EQ(mmio_access(&bus, NULL, 0xa000000, 4, false, &v), -E_NOENT);
	CHECK_EQ(mmio_access(&bus, NULL, 0x9000000, 3, false, &v), -E_INVAL);
}
