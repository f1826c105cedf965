/*
 * A VM's MMIO bus: a small sorted array of emulated devices. Every emulated
 * access of a guest comes through here: the device the last access found
 * is tried first (a driver talks to one device at a time), then a binary
 * search.
 */
#include <tern/errno.h>
#include <tern/mmio.h>

static bool overlaps(const struct mmio_device *d, paddr_t base, uint64_t size)
{
	return base < d->base + d->size && d->base < base + size;
}

int mmio_register(struct mmio_bus *bus, struct mmio_device *dev)
{
	unsigned int i;

	if (!dev->ops || dev->size == 0 || dev->base + dev->size < dev->base)
		return -E_INVAL;
	for (i = 0; i < bus->nr; i++)
		if (overlaps(bus->devs[i], dev->base, dev->size))
			return -E_EXIST;
	if (bus->nr == MMIO_MAX_DEVICES)
		return -E_NOMEM;
	for (i = bus->nr; i > 0 && bus->devs[i - 1]->base > dev->base; i--)
		bus->devs[i] = bus->devs[i - 1];
	bus->devs[i] = dev;
	bus->nr++;
	return 0;
}

/* The whole access must fall inside the one device. */
static bool fits(const struct mmio_device *d, paddr_t addr, unsigned int size)
{
	return size <= d->size - (addr - d->base);
}

struct mmio_device *mmio_find(struct mmio_bus *bus, paddr_t addr, unsigned int size)
{
	/* Relaxed: devices are never removed from a running VM's bus, so any
	 * pointer read here is one of them. */
	struct mmio_device *last = __atomic_load_n(&bus->last, __ATOMIC_RELAXED);
	unsigned int lo = 0, hi = bus->nr;

	if (last && addr - last->base < last->size)
		return fits(last, addr, size) ? last : NULL;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		struct mmio_device *d = bus->devs[mid];

		if (addr < d->base) {
			hi = mid;
		} else if (addr - d->base >= d->size) {
			lo = mid + 1;
		} else {
			__atomic_store_n(&bus->last, d, __ATOMIC_RELAXED);
			return fits(d, addr, size) ? d : NULL;
		}
	}
	return NULL;
}

int mmio_access(struct mmio_bus *bus, struct vcpu *v, paddr_t addr, unsigned int size,
		bool write, uint64_t *value)
{
	struct mmio_device *d;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -E_INVAL;
	d = mmio_find(bus, addr, size);
	if (!d)
		return -E_NOENT;
	if (write)
		return d->ops->write ? d->ops->write(d, v, addr - d->base, size, *value) : -E_NOTSUP;
	if (!d->ops->read)
		return -E_NOTSUP;
	*value = 0;
	return d->ops->read(d, v, addr - d->base, size, value);
}
