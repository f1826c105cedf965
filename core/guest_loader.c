/*
 * Putting a VM's kernel, initrd and device tree into its RAM, as QEMU's
 * -kernel does, so that whatever boots there boots here:
 *
 *   kernel  a Linux Image of this arch: at a 2 MiB aligned RAM base plus the
 *           header's text_offset, owning image_size bytes (its bss too);
 *           an ELF64 of this arch: each PT_LOAD at its p_paddr, bss zeroed;
 *           anything else: a raw binary at RAM base + arch_image_default_offset.
 *   DTB     a 2 MiB block of its own, the last one in RAM (the first when
 *           the kernel sits at the top): 8-byte aligned, at most 2 MiB and
 *           sharing its 2 MiB block with nothing, as arm64's booting.rst
 *           asks; far from the kernel so nothing the kernel does early
 *           (bss, page tables after its image) reaches it.
 *   initrd  2 MiB aligned after the kernel and at least min(RAM/2, 128 MiB)
 *           into RAM, like QEMU: a raw binary's bss, which no header
 *           announces, stays clear of it. When that does not fit, right
 *           after the kernel; then anywhere else that is free.
 *
 * The images come from the user, so every size and offset is checked
 * against the VM's memory before anything is written, and a failure says
 * which image needs how much ("the kernel (34 MiB) does not fit in the VM's
 * 32 MiB of memory").
 */
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>
#include <tern/arch.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/guest_loader.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <tern/vm.h>

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

#define IMAGE_HEADER_SIZE 64
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_FLAG_BIG_ENDIAN 1ULL /* flags bit 0 on arm64 and RISC-V alike */
#define IMAGE_BASE_ALIGN (2 * MiB)
#define DTB_BLOCK (2 * MiB)        /* Linux's limit on a DTB's size, and its block */
#define DTB_BUILD_SIZE (64 * KiB)  /* tern's own guest DTBs are a few KiB */
#define DTB_FIXUP_ROOM (1 * KiB)   /* /chosen and its properties, beside the cmdline */
#define INITRD_LOW_MAX (128 * MiB)
/* No IPA space reaches this far; keeps every sum below from wrapping. */
#define RAM_END_MAX (1ULL << 60)

#define ELF_HEADER_SIZE 64
#define ELF_PHDR_SIZE 56
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define ET_DYN 3
#define PT_LOAD 1
#define PF_X 1
#define PN_XNUM 0xffff

enum kernel_kind { KERNEL_IMAGE, KERNEL_ELF, KERNEL_RAW };

/* [start, end) of guest physical addresses. */
struct region {
	paddr_t start, end;
};

struct load_plan {
	struct vm *vm;
	const struct vm_config *cfg;
	paddr_t ram_start, ram_end;
	enum kernel_kind kind;
	struct region kernel; /* everything the kernel owns, bss included */
	paddr_t entry;
	struct region dtb;    /* the block set aside for it */
	struct region initrd;
	const char **why;
};

/* Messages with sizes in them are formatted here, one buffer per VM slot,
 * so VMs being (re)loaded on different CPUs never share one. */
static char why_text[VM_MAX_VMS][160];

static int fail(struct load_plan *p, int rc, const char *fmt, ...) __printf(3, 4);

static int fail(struct load_plan *p, int rc, const char *fmt, ...)
{
	char *buf = why_text[p->vm->id < VM_MAX_VMS ? p->vm->id : 0];
	va_list ap;

	va_start(ap, fmt);
	tern_vsnprintf(buf, sizeof(why_text[0]), fmt, ap);
	va_end(ap);
	if (p->why)
		*p->why = buf;
	return rc;
}

/* A size as people say it: "32 MiB", "2 GiB", "900 KiB"; rounded up, so
 * an image a little over the VM's memory never reads as equal to it. A
 * struct so that several can appear in one message. */
struct size_text {
	char s[24];
};

static struct size_text size_text(uint64_t b)
{
	struct size_text t;

	if (b >= GiB && b % GiB == 0)
		tern_snprintf(t.s, sizeof(t.s), "%llu GiB", (unsigned long long)(b / GiB));
	else if (b >= MiB)
		tern_snprintf(t.s, sizeof(t.s), "%llu MiB", (unsigned long long)((b - 1) / MiB + 1));
	else if (b >= KiB)
		tern_snprintf(t.s, sizeof(t.s), "%llu KiB", (unsigned long long)((b - 1) / KiB + 1));
	else
		tern_snprintf(t.s, sizeof(t.s), "%llu bytes", (unsigned long long)b);
	return t;
}

/* Image and ELF headers are little-endian and, inside the bundle, only
 * 4-byte aligned: read them byte by byte. */
static uint64_t get_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static bool in_ram(const struct load_plan *p, paddr_t start, uint64_t size)
{
	return start >= p->ram_start && start <= p->ram_end && size <= p->ram_end - start;
}

static bool overlaps(struct region r, paddr_t start, uint64_t size)
{
	return size && r.end > r.start && start < r.end && start + size > r.start;
}

static int kernel_too_big(struct load_plan *p, paddr_t start, uint64_t size)
{
	uint64_t ram = p->ram_end - p->ram_start;

	if (start > p->ram_start && start - p->ram_start < ram)
		return fail(p, -E_RANGE, "the kernel (%s, loaded %s into RAM) does not fit in "
			    "the VM's %s of memory", size_text(size).s,
			    size_text(start - p->ram_start).s, size_text(ram).s);
	return fail(p, -E_RANGE, "the kernel (%s) does not fit in the VM's %s of memory",
		    size_text(size).s, size_text(ram).s);
}

static int place_kernel_at(struct load_plan *p, uint64_t offset, uint64_t size)
{
	paddr_t start = p->ram_start + offset;

	if (offset > p->ram_end - p->ram_start || !in_ram(p, start, size))
		return kernel_too_big(p, start, size);
	p->kernel = (struct region){ start, start + size };
	p->entry = start;
	return 0;
}

static int plan_image(struct load_plan *p, const uint8_t *k, uint64_t len)
{
	uint64_t text_offset = get_le(k + 8, 8);
	uint64_t image_size = get_le(k + 16, 8);
	uint64_t base = ALIGN_UP(p->ram_start, IMAGE_BASE_ALIGN) - p->ram_start;

	if (get_le(k + 24, 8) & IMAGE_FLAG_BIG_ENDIAN)
		return fail(p, -E_NOTSUP, "the kernel Image is big-endian (header flags bit 0); "
			    "tern starts guests little-endian");
	/* arm64 booting.rst: an image_size of 0 marks a kernel older than
	 * 3.17, whose text_offset may be in either byte order and is 0x80000:
	 * the arch's default, which RISC-V's (0x200000) also is for its own. */
	if (image_size == 0)
		text_offset = arch_image_default_offset;
	if (text_offset >= p->ram_end - p->ram_start)
		return fail(p, -E_RANGE, "the kernel Image's text_offset 0x%llx lies beyond the "
			    "VM's %s of memory", (unsigned long long)text_offset,
			    size_text(p->ram_end - p->ram_start).s);
	p->kind = KERNEL_IMAGE;
	return place_kernel_at(p, base + text_offset, MAX(image_size, len));
}

static int plan_elf(struct load_plan *p, const uint8_t *k, uint64_t len)
{
	uint64_t phoff, e_entry;
	unsigned int phnum, phentsize, type, machine, loads = 0;
	paddr_t entry;

	if (len < ELF_HEADER_SIZE)
		return fail(p, -E_INVAL, "the kernel ELF is cut short (%llu bytes)",
			    (unsigned long long)len);
	if (k[4] != ELFCLASS64)
		return fail(p, -E_NOTSUP, "the kernel is a 32-bit ELF; tern runs 64-bit guests");
	if (k[5] != ELFDATA2LSB)
		return fail(p, -E_NOTSUP, "the kernel ELF is big-endian; tern runs little-endian "
			    "guests");
	type = (unsigned int)get_le(k + 16, 2);
	machine = (unsigned int)get_le(k + 18, 2);
	e_entry = get_le(k + 24, 8);
	phoff = get_le(k + 32, 8);
	phentsize = (unsigned int)get_le(k + 54, 2);
	phnum = (unsigned int)get_le(k + 56, 2);
	if (machine != arch_elf_machine)
		return fail(p, -E_NOTSUP, "the kernel is an ELF for another machine (e_machine "
			    "%u; %s guests need %u)", machine, arch_name, arch_elf_machine);
	if (type != ET_EXEC && type != ET_DYN)
		return fail(p, -E_INVAL, "the kernel ELF is not an executable (e_type %u)", type);
	if (phentsize < ELF_PHDR_SIZE || phnum == 0 || phnum == PN_XNUM || phoff > len ||
	    (uint64_t)phnum * phentsize > len - phoff)
		return fail(p, -E_INVAL, "the kernel ELF's program headers are missing or cut short");

	p->kind = KERNEL_ELF;
	entry = e_entry;
	for (unsigned int i = 0; i < phnum; i++) {
		const uint8_t *ph = k + phoff + (uint64_t)i * phentsize;
		uint64_t offset = get_le(ph + 8, 8), vaddr = get_le(ph + 16, 8);
		uint64_t paddr = get_le(ph + 24, 8), filesz = get_le(ph + 32, 8);
		uint64_t memsz = get_le(ph + 40, 8);

		if (get_le(ph, 4) != PT_LOAD || memsz == 0)
			continue;
		if (filesz > memsz)
			return fail(p, -E_INVAL, "kernel ELF segment %u: file size larger than "
				    "memory size", i);
		if (offset > len || filesz > len - offset)
			return fail(p, -E_INVAL, "kernel ELF segment %u runs past the end of the "
				    "file", i);
		if (!in_ram(p, paddr, memsz))
			return fail(p, -E_RANGE, "kernel ELF segment %u (0x%llx-0x%llx) is outside "
				    "the VM's memory (0x%llx-0x%llx)", i,
				    (unsigned long long)paddr,
				    (unsigned long long)(paddr + memsz < paddr ? UINT64_MAX
									: paddr + memsz),
				    (unsigned long long)p->ram_start,
				    (unsigned long long)p->ram_end);
		if (!loads++) {
			p->kernel = (struct region){ paddr, paddr + memsz };
		} else {
			p->kernel.start = MIN(p->kernel.start, paddr);
			p->kernel.end = MAX(p->kernel.end, paddr + memsz);
		}
		/* e_entry is a virtual address: where a segment is linked at
		 * one address and loaded at another, the entry moves with it
		 * (QEMU's rule, so the same ELFs boot). */
		if (vaddr != paddr && (get_le(ph + 4, 4) & PF_X) && e_entry >= vaddr &&
		    e_entry - vaddr < filesz)
			entry = e_entry - vaddr + paddr;
	}
	if (!loads)
		return fail(p, -E_INVAL, "the kernel ELF has no loadable segment");
	if (!in_ram(p, entry, 4))
		return fail(p, -E_RANGE, "the kernel ELF's entry point 0x%llx is outside the VM's "
			    "memory (0x%llx-0x%llx)", (unsigned long long)entry,
			    (unsigned long long)p->ram_start, (unsigned long long)p->ram_end);
	p->entry = entry;
	return 0;
}

/* Linux Image magics tern knows, to name a kernel built for the other
 * arch instead of booting it as a raw binary. */
static const struct {
	char magic[4];
	const char *arch;
} image_magics[] = {
	{ "ARM\x64", "arm64" },
	{ "RSC\x05", "RISC-V" },
};

static int plan_kernel(struct load_plan *p)
{
	const uint8_t *k = p->cfg->kernel.data;
	uint64_t len = p->cfg->kernel.size;

	if (!k || !len)
		return fail(p, -E_INVAL, "the VM has no kernel");
	if (len >= 4 && memcmp(k, "\177ELF", 4) == 0)
		return plan_elf(p, k, len);
	if (len >= 2 && k[0] == 0x1f && k[1] == 0x8b)
		return fail(p, -E_NOTSUP, "the kernel is gzip-compressed (like Debian's vmlinuz): "
			    "give tern the uncompressed Image (zcat vmlinuz > Image)");
	if (len >= IMAGE_HEADER_SIZE && memcmp(k, "MZ", 2) == 0 && memcmp(k + 4, "zimg", 4) == 0)
		return fail(p, -E_NOTSUP, "the kernel is a compressed EFI zboot image: give tern "
			    "the uncompressed Image");
	if (len >= IMAGE_HEADER_SIZE) {
		const uint8_t *magic = k + IMAGE_MAGIC_OFFSET;

		if (memcmp(magic, arch_image_magic, 4) == 0)
			return plan_image(p, k, len);
		for (size_t i = 0; i < ARRAY_SIZE(image_magics); i++)
			if (memcmp(magic, image_magics[i].magic, 4) == 0)
				return fail(p, -E_NOTSUP, "the kernel is a Linux Image for %s; "
					    "this tern runs %s guests", image_magics[i].arch, arch_name);
	}
	p->kind = KERNEL_RAW;
	return place_kernel_at(p, arch_image_default_offset, len);
}

static int plan_dtb(struct load_plan *p)
{
	paddr_t top = ALIGN_DOWN(p->ram_end - DTB_BLOCK, DTB_BLOCK);
	paddr_t bottom = ALIGN_UP(p->ram_start, DTB_BLOCK);
	const paddr_t cands[] = { top, bottom };

	if (p->ram_end - p->ram_start >= DTB_BLOCK) {
		for (size_t i = 0; i < ARRAY_SIZE(cands); i++) {
			if (in_ram(p, cands[i], DTB_BLOCK) &&
			    !overlaps(p->kernel, cands[i], DTB_BLOCK)) {
				p->dtb = (struct region){ cands[i], cands[i] + DTB_BLOCK };
				return 0;
			}
		}
	}
	return fail(p, -E_RANGE, "the kernel (%s) leaves no room for the device tree (2 MiB "
		    "block) in the VM's %s of memory",
		    size_text(p->kernel.end - p->kernel.start).s,
		    size_text(p->ram_end - p->ram_start).s);
}

static int plan_initrd(struct load_plan *p)
{
	uint64_t size = p->cfg->initrd.size, ram = p->ram_end - p->ram_start;
	paddr_t low = ALIGN_UP(p->ram_start + MIN(ram / 2, INITRD_LOW_MAX), 2 * MiB);
	const paddr_t cands[] = {
		MAX(ALIGN_UP(p->kernel.end, 2 * MiB), low),
		ALIGN_UP(p->kernel.end, PAGE_SIZE),
		ALIGN_UP(p->dtb.end, PAGE_SIZE),
		ALIGN_UP(p->ram_start, PAGE_SIZE),
	};

	if (!p->cfg->initrd.data || !size)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(cands); i++) {
		if (in_ram(p, cands[i], size) && !overlaps(p->kernel, cands[i], size) &&
		    !overlaps(p->dtb, cands[i], size)) {
			p->initrd = (struct region){ cands[i], cands[i] + size };
			return 0;
		}
	}
	return fail(p, -E_RANGE, "the initrd (%s) does not fit in the VM's %s of memory beside "
		    "the kernel (%s) and the device tree (2 MiB block)", size_text(size).s,
		    size_text(ram).s, size_text(p->kernel.end - p->kernel.start).s);
}

/*
 * Whether a user's DTB is whole: its header, its blocks aligned, a
 * terminated reservation map, then every tag of its structure block in bounds, properties inside nodes with names in the
 * strings block, nodes balanced. Linux 6.1's copy of libfdt has no
 * fdt_check_full (no fdt_check.c), and the read-write calls below trust
 * what they walk more than a user's file deserves. 0 or -FDT_ERR_*.
 */
static int dtb_check(const void *fdt, uint64_t size)
{
	int offset = 0, next, depth = 0, len, rc;
	uint32_t nameoff, strings_size;
	const char *strings;
	bool root = false;

	if (size < FDT_V17_SIZE)
		return -FDT_ERR_TRUNCATED;
	rc = fdt_check_header(fdt);
	if (rc)
		return rc;
	if (fdt_totalsize(fdt) > size)
		return -FDT_ERR_TRUNCATED;
	/* The spec's alignments, which libfdt's 32-bit tag loads assume
	 * (found by fuzzing: an odd off_dt_struct, misaligned loads). */
	if (fdt_off_dt_struct(fdt) % 4 || fdt_off_mem_rsvmap(fdt) % 8)
		return -FDT_ERR_ALIGNMENT;
	/* fdt_open_into sizes the reservation map from this count without
	 * checking it for an error (found by fuzzing: a map with no
	 * terminating entry became a negative memmove). */
	rc = fdt_num_mem_rsv(fdt);
	if (rc < 0)
		return rc;
	/* fdt_check_header put the strings block inside totalsize. */
	strings = (const char *)fdt + fdt_off_dt_strings(fdt);
	strings_size = fdt_size_dt_strings(fdt);
	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, offset, &next);
		const struct fdt_property *prop;

		if (next < 0)
			return next;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0 && root)
				return -FDT_ERR_BADSTRUCTURE; /* a second root */
			root = true;
			if (++depth > 64)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_PROP:
			prop = fdt_get_property_by_offset(fdt, offset, &len);
			if (!prop)
				return len;
			/* The name must end inside size_dt_strings, which is all
			 * fdt_open_into copies; fdt_get_string does not hold a
			 * version 16 tree to it (found by fuzzing). */
			nameoff = fdt32_to_cpu(prop->nameoff);
			if (depth < 1 || nameoff >= strings_size ||
			    !memchr(strings + nameoff, '\0', strings_size - nameoff))
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return root && depth == 0 ? 0 : -FDT_ERR_BADSTRUCTURE;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		offset = next;
	}
}

/* The user's DTB, opened into buf with room to grow, its /chosen made to
 * match this boot. stage (size bytes too) holds the checked copy. Returns
 * its size or a negative E_*. */
static int fixup_user_dtb(struct load_plan *p, void *buf, void *stage, size_t size)
{
	const struct vm_config *cfg = p->cfg;
	size_t copied = (size_t)MIN(cfg->dtb.size, size);
	int rc, chosen;

	/* libfdt wants its trees 8-byte aligned; in the bundle they are only
	 * 4-byte aligned: check a copy. It is opened into another buffer, as
	 * libfdt opening in place may move a tree to an unaligned address
	 * (found by fuzzing). */
	memcpy(stage, cfg->dtb.data, copied);
	rc = dtb_check(stage, copied);
	if (rc == -FDT_ERR_TRUNCATED && copied < cfg->dtb.size)
		goto too_big;
	if (rc)
		return fail(p, -E_INVAL, "the VM's dtb is not a valid device tree (%s)",
			    fdt_strerror(rc));
	rc = fdt_open_into(stage, buf, (int)size);
	if (rc == -FDT_ERR_NOSPACE)
		goto too_big;
	if (rc)
		return fail(p, -E_INVAL, "the VM's dtb cannot be opened (%s)", fdt_strerror(rc));
	chosen = fdt_path_offset(buf, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(buf, 0, "chosen");
	rc = chosen < 0 ? chosen : 0;
	if (!rc && cfg->cmdline[0])
		rc = fdt_setprop_string(buf, chosen, "bootargs", cfg->cmdline);
	if (!rc && p->initrd.end) {
		rc = fdt_setprop_u64(buf, chosen, "linux,initrd-start", p->initrd.start);
		if (!rc)
			rc = fdt_setprop_u64(buf, chosen, "linux,initrd-end", p->initrd.end);
	} else if (!rc) {
		/* A range left in the user's tree would point the kernel at
		 * whatever lies there now. */
		fdt_delprop(buf, chosen, "linux,initrd-start");
		fdt_delprop(buf, chosen, "linux,initrd-end");
	}
	if (rc == -FDT_ERR_NOSPACE)
		goto too_big;
	if (rc)
		return fail(p, -E_INVAL, "could not set /chosen in the VM's dtb (%s)",
			    fdt_strerror(rc));
	fdt_pack(buf);
	return (int)fdt_totalsize(buf);

too_big:
	return fail(p, -E_RANGE, "the VM's dtb (%s) with its /chosen is larger than the 2 MiB "
		    "a Linux guest accepts", size_text(cfg->dtb.size).s);
}

static int write_zeros(struct vm *vm, paddr_t at, uint64_t len)
{
	static const uint8_t zeros[4096];

	while (len) {
		size_t n = (size_t)MIN(len, sizeof(zeros));
		int rc = guest_write(vm, at, zeros, n);

		if (rc)
			return rc;
		at += n;
		len -= n;
	}
	return 0;
}

static int write_kernel(struct load_plan *p)
{
	const uint8_t *k = p->cfg->kernel.data;
	uint64_t phoff;
	unsigned int phnum, phentsize;
	int rc = 0;

	if (p->kind != KERNEL_ELF)
		return guest_write(p->vm, p->kernel.start, k, p->cfg->kernel.size);
	/* plan_elf checked every field used here. */
	phoff = get_le(k + 32, 8);
	phentsize = (unsigned int)get_le(k + 54, 2);
	phnum = (unsigned int)get_le(k + 56, 2);
	for (unsigned int i = 0; i < phnum && !rc; i++) {
		const uint8_t *ph = k + phoff + (uint64_t)i * phentsize;
		uint64_t offset = get_le(ph + 8, 8), paddr = get_le(ph + 24, 8);
		uint64_t filesz = get_le(ph + 32, 8), memsz = get_le(ph + 40, 8);

		if (get_le(ph, 4) != PT_LOAD || memsz == 0)
			continue;
		rc = guest_write(p->vm, paddr, k + offset, filesz);
		if (!rc)
			rc = write_zeros(p->vm, paddr + filesz, memsz - filesz);
	}
	return rc;
}

int guest_load(struct vm *vm, struct guest_layout *out, const char **why)
{
	struct load_plan p = { .vm = vm, .cfg = &vm->cfg, .why = why };
	struct guest_layout l = { 0 };
	size_t buf_size = DTB_BUILD_SIZE, alloc_size;
	uint8_t *buf;
	int rc, dtb_size;

	p.ram_start = vm->ram_ipa;
	p.ram_end = vm->ram_ipa + vm->ram_size;
	if (!vm->ram_size || p.ram_end < p.ram_start || p.ram_end > RAM_END_MAX)
		return fail(&p, -E_INVAL, "the VM's memory (0x%llx, %s) is not a usable range",
			    (unsigned long long)vm->ram_ipa, size_text(vm->ram_size).s);
	rc = plan_kernel(&p);
	if (!rc)
		rc = plan_dtb(&p);
	if (!rc)
		rc = plan_initrd(&p);
	if (rc)
		return rc;

	l.entry = p.entry;
	l.kernel_start = p.kernel.start;
	l.kernel_end = p.kernel.end;
	l.initrd_start = p.initrd.start;
	l.initrd_size = p.initrd.end - p.initrd.start;
	l.dtb = p.dtb.start;

	if (vm->cfg.dtb.data) {
		uint64_t want = vm->cfg.dtb.size + strlen(vm->cfg.cmdline) + DTB_FIXUP_ROOM;

		buf_size = (size_t)ALIGN_UP(MIN(want, DTB_BLOCK), PAGE_SIZE);
	}
	/* A user's DTB needs a staging copy beside the tree being built. */
	alloc_size = vm->cfg.dtb.data ? 2 * buf_size : buf_size;
	buf = pages_alloc(alloc_size, 0);
	if (!buf)
		return fail(&p, -E_NOMEM, "no memory left for the VM's device tree (%s)",
			    size_text(alloc_size).s);
	if (vm->cfg.dtb.data) {
		dtb_size = fixup_user_dtb(&p, buf, buf + buf_size, buf_size);
	} else {
		dtb_size = guest_dt_build(vm, &l, buf, buf_size);
		if (dtb_size < 0)
			fail(&p, dtb_size, "could not build the VM's device tree (%s)",
			     tern_strerror(dtb_size));
	}
	if (dtb_size < 0) {
		pages_free(buf, alloc_size);
		return dtb_size;
	}
	l.dtb_size = (uint64_t)dtb_size;

	rc = write_kernel(&p);
	if (!rc && l.initrd_size)
		rc = guest_write(vm, l.initrd_start, vm->cfg.initrd.data, l.initrd_size);
	if (!rc)
		rc = guest_write(vm, l.dtb, buf, l.dtb_size);
	pages_free(buf, alloc_size);
	if (rc)
		return fail(&p, rc, "could not write the VM's images into its memory (%s)",
			    tern_strerror(rc));
	*out = l;
	return 0;
}
