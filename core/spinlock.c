/* Ticket spinlock: fair between CPUs, which matters when one CPU would
 * otherwise win every time under QEMU's round-robin scheduling. */
#include <tern/arch.h>
#include <tern/spinlock.h>

void spin_lock(spinlock_t *l)
{
	unsigned int ticket = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);

	while (atomic_load_explicit(&l->owner, memory_order_acquire) != ticket)
		arch_cpu_relax();
}

void spin_unlock(spinlock_t *l)
{
	unsigned int owner = atomic_load_explicit(&l->owner, memory_order_relaxed);

	atomic_store_explicit(&l->owner, owner + 1, memory_order_release);
	arch_cpu_wake_all();
}
