/*
 * vCPU and guest-memory helpers shared by every firmware service and
 * device model: finding a vCPU by its hwid, waking and kicking vCPUs, and
 * the one pair of functions through which tern reads or writes guest RAM
 * (seed 001: every guest pointer is checked here, never dereferenced raw).
 */
#include <string.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/vm.h>

struct vcpu *vm_vcpu_by_hwid(struct vm *vm, uint64_t hwid)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].hwid == hwid)
			return &vm->vcpus[i];
	return NULL;
}

bool guest_ram_contains(const struct vm *vm, paddr_t ipa, uint64_t len)
{
	return len <= vm->ram_size && ipa >= vm->ram_ipa &&
	       ipa - vm->ram_ipa <= vm->ram_size - len;
}

/* Guest RAM is one contiguous host range, identity mapped in tern. */
static void *guest_ram_ptr(struct vm *vm, paddr_t ipa)
{
	return (void *)(uintptr_t)(vm->ram_pa + (ipa - vm->ram_ipa));
}

int guest_read(struct vm *vm, paddr_t ipa, void *buf, size_t len)
{
	if (!guest_ram_contains(vm, ipa, len))
		return -E_FAULT;
	memcpy(buf, guest_ram_ptr(vm, ipa), len);
	return 0;
}

int guest_write(struct vm *vm, paddr_t ipa, const void *buf, size_t len)
{
	if (!guest_ram_contains(vm, ipa, len))
		return -E_FAULT;
	memcpy(guest_ram_ptr(vm, ipa), buf, len);
	return 0;
}

void vcpu_events_reset(struct vcpu *v)
{
	spin_lock(&v->events.lock);
	ev_vcpu_init(&v->events);
	spin_unlock(&v->events.lock);
}

bool vcpu_event_due(struct vcpu *v)
{
	bool due;

	if (!ev_maybe_due(&v->events))
		return false;
	spin_lock(&v->events.lock);
	due = ev_next(&v->events) >= 0;
	spin_unlock(&v->events.lock);
	return due;
}

enum vcpu_power vcpu_power_on(struct vcpu *t, uint64_t entry, uint64_t arg)
{
	enum vcpu_power expected = VCPU_OFF;

	if (!atomic_compare_exchange_strong(&t->power, &expected, VCPU_STARTING))
		return expected;
	/* t is off and STARTING is not runnable: nothing loads it until the
	 * store below, so resetting it here is safe. A PE / hart that powers
	 * on has its events reset and masked. */
	arch_vcpu_reset(t, entry, arg);
	vcpu_events_reset(t);
	atomic_store(&t->power, VCPU_ON_PENDING);
	vcpu_wake(t);
	return VCPU_OFF;
}

void vcpu_wake(struct vcpu *v)
{
	atomic_store(&v->wake, true);
	/* Its home CPU may be idle in WFI: interrupt it to re-run its scheduler. */
	if (v->home && v->home != this_cpu())
		arch_kick_cpu(v->home);
}

void vcpu_kick(struct vcpu *v)
{
	struct pcpu *on = v->running_on;

	atomic_store(&v->kick, true);
	if (on && on != this_cpu())
		arch_kick_cpu(on);
	else if (!on && v->home && v->home != this_cpu())
		arch_kick_cpu(v->home);
}

void vcpu_notify(struct vcpu *v)
{
	struct pcpu *on = v->running_on, *target = on ? on : v->home;

	atomic_store(&v->wake, true);
	atomic_store(&v->kick, true);
	/* One IPI: where it runs, or its home CPU's scheduler. */
	if (target && target != this_cpu())
		arch_kick_cpu(target);
}

void vm_request_stop(struct vm *vm, enum vm_stop why)
{
	enum vm_stop expected = VM_RUNNING;

	/* The first request wins: a SYSTEM_OFF racing a SYSTEM_RESET stays off. */
	if (!atomic_compare_exchange_strong(&vm->stop, &expected, why))
		return;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
}
