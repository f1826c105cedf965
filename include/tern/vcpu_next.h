/*
 * What happens to a vCPU once an exit is handled: the one result type of
 * exit handlers, firmware calls and the run loop (core/vcpu_run.c), on
 * every arch, so nothing translates between result enums.
 */
#ifndef TERN_VCPU_NEXT_H
#define TERN_VCPU_NEXT_H

enum vcpu_next {
	VCPU_NEXT_RUN,     /* handled: straight back into the guest (0: the default) */
	VCPU_NEXT_PREEMPT, /* the scheduler's turn: a kick, the time slice, WFE */
	VCPU_NEXT_BLOCK,   /* wait for an interrupt: WFI, CPU_SUSPEND, HSM suspend */
	VCPU_NEXT_OFF,     /* the vCPU powered itself off: CPU_OFF, HSM HART_STOP */
	VCPU_NEXT_VM_STOP, /* the VM stops or resets (vm->stop says which) */
};

#endif
