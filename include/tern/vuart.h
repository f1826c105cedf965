/*
 * The console UART a guest sees: emulated by tern (core/vuart_*.c) on the
 * VM's MMIO bus, one per VM, at the host console UART's address and
 * interrupt, with the host UART's model (PL011 on arm64 virt, NS16550 on
 * RISC-V virt). Output goes to tern's console; input typed on the physical
 * console goes to the VM that owns the console.
 */
#ifndef TERN_VUART_H
#define TERN_VUART_H

#include <tern/platform.h>
#include <tern/types.h>

struct vm;

/* Create the VM's UART from the host UART's description. */
int vuart_create(struct vm *vm, const struct plat_uart *host, const char **why);
/* Add its node to a guest DTB being built (libfdt sequential write, inside
 * the root node); *path receives its node path for /chosen/stdout-path. */
int vuart_dt_node(struct vm *vm, void *fdt, char *path, size_t path_size);
/* Characters typed on the physical console, for the VM owning it. */
void vuart_receive(struct vm *vm, const char *buf, size_t len);

#endif
