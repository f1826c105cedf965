/* Internals shared by the runtime's files; guests include only guest.h. */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>

/* Finds the UART behind /chosen/stdout-path; false if there is none we
 * can drive (then nothing can be printed). */
bool console_init(const void *fdt);

/* A node counts unless its "status" says otherwise. */
bool fdt_node_enabled(const void *fdt, int node);
/* The node's first "reg" address; false if it has none we can read. */
bool fdt_reg_address(const void *fdt, int node, uint64_t *addr);

/* Stop this CPU for good with interrupts masked (arch.c). */
noreturn void halt_forever(void);

#endif
