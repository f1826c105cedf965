/*
 * The console UART a guest sees: emulated by tern (core/vuart_*.c) on the
 * VM's MMIO bus, one per VM, at the host console UART's address and
 * interrupt, with the host UART's model (PL011 on arm64 virt, NS16550 on
 * RISC-V virt). Output goes to tern's console; input typed on the physical
 * console goes to the VM that owns the console (VM 0).
 *
 * A host without a console UART (UART_NONE) gives its VMs none either:
 * vuart_create succeeds and vuart_dt_node returns -E_NOENT, so the guest DT
 * has no UART and no stdout-path.
 */
#ifndef TERN_VUART_H
#define TERN_VUART_H

#include <tern/platform.h>
#include <tern/types.h>

struct vm;

/* The phandle of the fixed clock node vuart_dt_node adds for a PL011 (its
 * UARTCLK and APB clock). Nothing else in a guest DT tern builds may use
 * it. */
#define VUART_DT_CLOCK_PHANDLE 0x8000

/* Create the VM's UART from the host UART's description, on its MMIO bus.
 * Call after arch_vm_init: for VM 0 this connects the physical console's
 * input, whose interrupt may then reach the VM's interrupt controller at
 * once. */
int vuart_create(struct vm *vm, const struct plat_uart *host, const char **why);
/* Add its node to a guest DTB being built (libfdt sequential write, inside
 * a root node with #address-cells = #size-cells = 2); path receives its
 * node path for /chosen/stdout-path. 0, -E_NOENT when the VM has no UART,
 * -E_NOMEM when the DTB buffer is full, -E_RANGE when path is too small. */
int vuart_dt_node(struct vm *vm, void *fdt, char *path, size_t path_size);
/* Characters typed on the physical console, for the VM owning it. */
void vuart_receive(struct vm *vm, const char *buf, size_t len);
/* Put the VM's UART in its power-on state (SYSTEM_RESET), lowering its
 * interrupt line if it was raised. */
void vuart_reset(struct vm *vm);
/* Input typed for the VM that its UART has not handed out yet, taken by
 * firmware-console reads instead (SBI getchar, DBCN read): up to len
 * bytes, the number returned. */
size_t vuart_take_input(struct vm *vm, uint8_t *buf, size_t len);

#endif
