/* Starting the VMs tern was booted with (core/vm_boot.c). */
#ifndef TERN_VM_BOOT_H
#define TERN_VM_BOOT_H

#include <tern/compiler.h>
#include <tern/platform.h>

/* The machine tern runs on, for code that places guests on it. */
extern const struct platform *host_platform;

/*
 * Read the guest bundle (tern's initrd), create its VMs and run them on
 * every CPU; the boot CPU never returns. Returns only if there is no
 * bundle, after saying so; a bundle of which no VM starts (not valid, or
 * every VM failed) powers the board off, after saying why.
 */
void vms_start(const struct platform *p);

/* Secondary CPUs: join the scheduler once online. */
noreturn void vms_secondary_enter(void);

/* Every VM has stopped for good: power the machine off. */
noreturn void vms_all_stopped(void);

#endif
