/*
 * What a VM is made of, as the user gave it: images and settings, read from
 * the guest bundle tern is booted with (core/bundle.c; the bundle is tern's
 * "initrd": a cpio archive with vmN/config, vmN/kernel, vmN/initrd, vmN/dtb).
 * See docs/configuration.md for the keys.
 */
#ifndef TERN_VM_CONFIG_H
#define TERN_VM_CONFIG_H

#include <tern/types.h>

struct vm_image {
	const void *data; /* inside the bundle; NULL when absent */
	uint64_t size;
};

enum sbi_level { SBI_LEVEL_V2 = 0, SBI_LEVEL_V01 = 1 };

struct vm_config {
	char name[16];
	struct vm_image kernel;  /* arm64/RISC-V Linux Image, ELF, or raw binary */
	struct vm_image initrd;  /* optional */
	struct vm_image dtb;     /* optional: the user's guest DTB instead of a generated one */
	char cmdline[512];
	unsigned int vcpus;      /* default 1 */
	uint64_t mem_size;       /* bytes of guest RAM; default 256 MiB */
	enum sbi_level sbi;      /* RISC-V: which SBI interface the guest sees */
};

#define BUNDLE_MAX_VMS 4

struct bundle_error {
	char msg[160];
};

/*
 * Parse a bundle (a cpio "newc" archive) into up to max configs. Returns the
 * number of VMs found (>= 1), or a negative E_* code with err->msg naming
 * the file, line and problem. Images point into data, which must stay.
 */
int bundle_parse(const void *data, uint64_t size, struct vm_config *cfgs, unsigned int max,
		 struct bundle_error *err);

/* Parse one vmN/config text into cfg (defaults applied first). */
int vm_config_parse(const char *text, uint64_t len, struct vm_config *cfg, struct bundle_error *err);

#endif
