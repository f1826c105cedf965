/*
 * A ticket spinlock on C11 atomics. Waiters call arch_cpu_relax(), which on
 * arm64 is WFE: a busy loop without it starves other vCPUs under QEMU's
 * single-threaded -icount mode, and wastes power on hardware.
 */
#ifndef TERN_SPINLOCK_H
#define TERN_SPINLOCK_H

#include <stdatomic.h>
#include <tern/types.h>

typedef struct {
	atomic_uint next;
	atomic_uint owner;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);

#endif
