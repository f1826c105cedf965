/* tern's own address space: identity mapped, W^X, with stack guard pages. */
#ifndef TERN_HOST_MMU_H
#define TERN_HOST_MMU_H

#include <tern/platform.h>

/* Build the tables from the platform and turn the boot CPU's MMU on. */
int host_mmu_init(const struct platform *p);
/* Turn a secondary CPU's MMU on with the same tables. */
void host_mmu_enable_secondary(void);
/* Whether va is mapped in tern's tables (for diagnostics and tests). */
bool host_mmu_is_mapped(uintptr_t va);
/* Lowest address of a CPU's stack guard page, which is never mapped. */
uintptr_t host_stack_guard(unsigned int cpu);

#endif
