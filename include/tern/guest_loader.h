/*
 * Putting a guest's images into its RAM and building its device tree
 * (core/guest_loader.c, core/guest_dt.c). Layout, as QEMU's -kernel does it:
 * kernel at the RAM base plus its offset, initrd after it, DTB after that.
 */
#ifndef TERN_GUEST_LOADER_H
#define TERN_GUEST_LOADER_H

#include <tern/types.h>
#include <tern/vm_config.h>

struct vm;

struct guest_layout {
	paddr_t entry;        /* where vCPU 0 starts */
	paddr_t kernel_start, kernel_end;
	paddr_t initrd_start; /* 0 if none */
	uint64_t initrd_size;
	paddr_t dtb;          /* passed in x0 (arm64) / a1 (RISC-V) */
	uint64_t dtb_size;
};

/*
 * Load the VM's kernel (a Linux Image of this arch with its header
 * honoured, an ELF whose segments must land in guest RAM, or a raw binary
 * at RAM base + arch_image_default_offset), its initrd, and its DTB (the
 * user's, with /chosen fixed up, or one built by guest_dt_build). Returns 0
 * or a negative E_* with *why naming the problem (an image too big for the
 * VM's memory, a bad header, ...).
 */
int guest_load(struct vm *vm, struct guest_layout *out, const char **why);

/* Build the guest DTB into buf: root, memory, /chosen (bootargs, stdout-path,
 * initrd), the console UART (vuart_dt_node) and the arch's nodes
 * (arch_guest_dt_nodes). Returns its size or a negative E_*. */
int guest_dt_build(struct vm *vm, const struct guest_layout *l, void *buf, size_t size);

#endif
