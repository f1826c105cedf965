/* Physical CPU records and their stacks. */
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/page_alloc.h>

struct pcpu pcpus[NR_CPUS];
unsigned int nr_pcpus = 1;

/*
 * Page aligned so that the lowest page of each stack can be left unmapped
 * as a guard: an overflow faults instead of silently corrupting the stack
 * of the CPU below.
 */
uint8_t cpu_stacks[NR_CPUS][STACK_SIZE] __aligned(PAGE_SIZE);

_Static_assert(__builtin_offsetof(struct pcpu, stack_top) == 0,
	       "entry code loads stack_top from offset 0");
_Static_assert(STACK_SIZE % PAGE_SIZE == 0 && STACK_SIZE >= 2 * PAGE_SIZE,
	       "CONFIG_STACK_SIZE must be whole pages, one of them the guard");
