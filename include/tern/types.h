/* Basic types shared by every layer of tern. */
#ifndef TERN_TYPES_H
#define TERN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* a physical (or intermediate physical) address */
typedef uint64_t vaddr_t; /* a virtual address in tern's own address space */

#endif
