/*
 * The MMIO bus of a VM: emulated devices registered by address range. A
 * guest access that faults in stage-2 outside RAM comes here; one no device
 * claims (or a device refuses) is answered with an abort injected into the
 * guest, never a stop of tern.
 */
#ifndef TERN_MMIO_H
#define TERN_MMIO_H

#include <tern/types.h>

struct vcpu;
struct mmio_device;

struct mmio_ops {
	/* offset is from the device's base; size is 1, 2, 4 or 8 bytes. Return
	 * 0, or a negative E_* code to have the access aborted in the guest. */
	int (*read)(struct mmio_device *dev, struct vcpu *v, uint64_t offset, unsigned int size,
		    uint64_t *value);
	int (*write)(struct mmio_device *dev, struct vcpu *v, uint64_t offset, unsigned int size,
		     uint64_t value);
};

struct mmio_device {
	const char *name;
	paddr_t base;
	uint64_t size;
	const struct mmio_ops *ops;
	void *priv;
};

#define MMIO_MAX_DEVICES 16

struct mmio_bus {
	struct mmio_device *devs[MMIO_MAX_DEVICES]; /* sorted by base, no overlaps */
	unsigned int nr;
	struct mmio_device *last; /* the device the last lookup found (a hint) */
};

/* -E_EXIST if it overlaps a registered device, -E_NOMEM when the bus is full,
 * -E_INVAL for an empty or wrapping range. */
int mmio_register(struct mmio_bus *bus, struct mmio_device *dev);
struct mmio_device *mmio_find(struct mmio_bus *bus, paddr_t addr, unsigned int size);
/* Perform a guest access: -E_NOENT when no device covers all of it. */
int mmio_access(struct mmio_bus *bus, struct vcpu *v, paddr_t addr, unsigned int size,
		bool write, uint64_t *value);

#endif
