/* Turning the guest bundle tern was booted with into running VMs
 * (core/vm_start.c). */
#ifndef TERN_VM_START_H
#define TERN_VM_START_H

#include <tern/compiler.h>
#include <tern/platform.h>

/*
 * Read the guest bundle (tern's initrd), create its VMs and run them on
 * every CPU; the boot CPU never returns. Returns only if there is no
 * bundle, after saying so; a bundle of which no VM starts (not valid, or
 * every VM failed) powers the board off, after saying why.
 */
void vms_start(const struct platform *p);

/* Secondary CPUs: join the scheduler once the VMs exist. */
noreturn void vms_secondary_enter(void);

#endif
