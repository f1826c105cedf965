/*
 * The guest bundle: the cpio "newc" archive tern is booted with as its
 * initrd, holding vmN/config, vmN/kernel, vmN/initrd and vmN/dtb for each
 * VM. Its bytes come from whoever built the boot media, so every field is
 * checked before it is used: a truncated or corrupt bundle gives a message
 * naming the entry and offset, never a read past its end.
 *
 * newc layout (cpio(5)): a 110-byte header of "070701" (or "070702", which
 * adds a checksum of the data) and thirteen 8-digit hex fields, then the
 * name with its NUL, padded so header plus name is a multiple of 4, then the
 * data, padded to 4. The entry named "TRAILER!!!" ends the archive.
 */
#include <stdarg.h>
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm_config.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_TRAILER "TRAILER!!!"

#define S_IFMT_BITS 0170000u
#define S_IFREG_BITS 0100000u
#define S_IFDIR_BITS 0040000u
#define S_IFLNK_BITS 0120000u

/* Field order in the header, after the 6-byte magic. */
enum cpio_field {
	CPIO_INO, CPIO_MODE, CPIO_UID, CPIO_GID, CPIO_NLINK, CPIO_MTIME, CPIO_FILESIZE,
	CPIO_DEVMAJOR, CPIO_DEVMINOR, CPIO_RDEVMAJOR, CPIO_RDEVMINOR, CPIO_NAMESIZE, CPIO_CHECK,
	CPIO_NR_FIELDS
};

static const char *const cpio_field_names[CPIO_NR_FIELDS] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

struct cpio_entry {
	uint64_t offset;  /* of its header, for messages */
	const char *name; /* NUL-terminated inside the archive */
	uint32_t mode;
	const uint8_t *data;
	uint64_t size;
};

/* The files a VM directory may hold, in the order messages list them. */
enum vm_file { VM_FILE_CONFIG, VM_FILE_KERNEL, VM_FILE_INITRD, VM_FILE_DTB, VM_NR_FILES };

static const char *const vm_file_names[VM_NR_FILES] = { "config", "kernel", "initrd", "dtb" };

struct vm_files {
	bool present;                      /* any entry under vmN/ */
	bool have[VM_NR_FILES];
	struct vm_image file[VM_NR_FILES];
};

static int fail(struct bundle_error *err, int rc, const char *fmt, ...) __printf(3, 4);

static int fail(struct bundle_error *err, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		tern_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return rc;
}

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly eight hex digits; newc has no sign, space or short form. */
static bool parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/* Why a first header is not newc, in the words a user can act on. */
static int not_newc(const uint8_t *p, uint64_t size, struct bundle_error *err)
{
	if (size >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return fail(err, -E_INVAL, "the bundle is gzip-compressed: give tern an "
			    "uncompressed cpio archive (made with -H newc)");
	if (size >= 6 && memcmp(p, "070707", 6) == 0)
		return fail(err, -E_INVAL, "the bundle is an old-format (odc) cpio archive: "
			    "make it with cpio -H newc");
	return fail(err, -E_INVAL, "the bundle is not a cpio newc archive "
		    "(no \"070701\" at its start)");
}

/*
 * The entry at *off. Returns 1 with *e filled and *off moved past it, 0 at
 * the trailer, or a negative E_* with err set.
 */
static int cpio_next(const uint8_t *base, uint64_t size, uint64_t *off, struct cpio_entry *e,
		     struct bundle_error *err)
{
	uint64_t at = *off, name_at, data_at, end;
	uint32_t f[CPIO_NR_FIELDS];
	const uint8_t *h;
	bool has_crc;

	/* The first bytes decide whether this is a newc archive at all, even
	 * when there are fewer of them than a header. */
	if (at == 0 && (size < 6 || (memcmp(base, "070701", 6) != 0 &&
				     memcmp(base, "070702", 6) != 0)))
		return not_newc(base, size, err);
	if (at >= size)
		return fail(err, -E_INVAL, "the bundle ends without a TRAILER!!! entry "
			    "(truncated? check the size given to the loader)");
	if (size - at < CPIO_HEADER_SIZE)
		return fail(err, -E_INVAL, "bundle offset %llu: cpio header cut short "
			    "(truncated bundle?)", (unsigned long long)at);
	h = base + at;
	if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0)
		return fail(err, -E_INVAL, "bundle offset %llu: bad cpio header magic",
			    (unsigned long long)at);
	has_crc = h[5] == '2';
	for (int i = 0; i < CPIO_NR_FIELDS; i++)
		if (!parse_hex8(h + 6 + 8 * i, &f[i]))
			return fail(err, -E_INVAL, "bundle offset %llu: bad %s field in cpio header",
				    (unsigned long long)at, cpio_field_names[i]);

	name_at = at + CPIO_HEADER_SIZE;
	if (f[CPIO_NAMESIZE] == 0)
		return fail(err, -E_INVAL, "bundle offset %llu: cpio entry with an empty name",
			    (unsigned long long)at);
	if (f[CPIO_NAMESIZE] > size - name_at)
		return fail(err, -E_INVAL, "bundle offset %llu: entry name runs past the end of "
			    "the bundle", (unsigned long long)at);
	/* The name must be one C string filling namesize exactly: no missing
	 * terminator, no early NUL hiding the rest. */
	if (strnlen((const char *)base + name_at, f[CPIO_NAMESIZE]) != f[CPIO_NAMESIZE] - 1)
		return fail(err, -E_INVAL, "bundle offset %llu: entry name is not a "
			    "NUL-terminated string of namesize bytes", (unsigned long long)at);
	e->offset = at;
	e->name = (const char *)base + name_at;
	e->mode = f[CPIO_MODE];
	if (strcmp(e->name, CPIO_TRAILER) == 0)
		return 0; /* what follows is block padding */

	/* Both sizes are 32-bit, so these sums cannot wrap a uint64_t. */
	data_at = ALIGN_UP(name_at + f[CPIO_NAMESIZE], 4);
	end = data_at + f[CPIO_FILESIZE];
	if (data_at > size || f[CPIO_FILESIZE] > size - data_at)
		return fail(err, -E_INVAL, "%.64s: %u bytes run past the end of the bundle "
			    "(truncated bundle?)", e->name, f[CPIO_FILESIZE]);
	e->data = base + data_at;
	e->size = f[CPIO_FILESIZE];
	if (has_crc) {
		uint32_t sum = 0;

		for (uint64_t i = 0; i < e->size; i++)
			sum += e->data[i];
		if (sum != f[CPIO_CHECK])
			return fail(err, -E_INVAL, "%.64s: checksum mismatch (corrupt bundle)",
				    e->name);
	}
	*off = ALIGN_UP(end, 4); /* may pass size: the next call says so */
	return 1;
}

/* Drop the "./" or "/" prefixes archivers put on names. */
static const char *strip_prefix(const char *name)
{
	for (;;) {
		if (name[0] == '.' && name[1] == '/')
			name += 2;
		else if (name[0] == '/')
			name++;
		else
			return name;
	}
}

/*
 * If path is "vmN" or "vmN/...", return N (and *rest points past "vmN");
 * -1 for anything else. N is decimal without leading zeros, as mkbundle.sh
 * writes it, so "vm01" is not quietly taken for vm1.
 */
static int vm_index(const char *path, const char **rest)
{
	int n = 0, digits = 0;
	const char *p = path + 2;

	if (path[0] != 'v' || path[1] != 'm')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (digits == 4)
			return -1;
		n = n * 10 + (*p - '0');
	}
	if (!digits || (digits > 1 && path[2] == '0') || (*p != '\0' && *p != '/'))
		return -1;
	*rest = p;
	return n;
}

/* File this entry is, or -1. */
static int vm_file_kind(const char *name)
{
	for (int k = 0; k < VM_NR_FILES; k++)
		if (strcmp(name, vm_file_names[k]) == 0)
			return k;
	return -1;
}

static int add_entry(const struct cpio_entry *e, struct vm_files *vms, unsigned int max,
		     struct bundle_error *err)
{
	const char *path = strip_prefix(e->name), *rest;
	uint32_t type = e->mode & S_IFMT_BITS;
	int n = vm_index(path, &rest), kind;

	if (n < 0) {
		/* The archive's own directories (".") and anything that is not a
		 * file carry nothing tern reads. */
		if (type != S_IFREG_BITS)
			return 0;
		return fail(err, -E_INVAL, "%.64s: unknown file in the bundle (expected "
			    "vmN/config, vmN/kernel, vmN/initrd, vmN/dtb)", path);
	}
	if ((unsigned int)n >= max)
		return fail(err, -E_RANGE, "%.64s: the bundle may hold at most %u VMs "
			    "(vm0 to vm%u)", path, max, max - 1);
	vms[n].present = true;
	if (*rest == '\0' || (rest[0] == '/' && rest[1] == '\0'))
		return 0; /* the vmN directory itself */
	kind = vm_file_kind(rest + 1);
	if (type == S_IFDIR_BITS)
		return 0;
	if (kind < 0)
		return fail(err, -E_INVAL, "%.64s: unknown file in the bundle (expected "
			    "vmN/config, vmN/kernel, vmN/initrd, vmN/dtb)", path);
	if (type != S_IFREG_BITS)
		return fail(err, -E_INVAL, "%.64s is %s, not a regular file (put the file "
			    "itself in the bundle)", path,
			    type == S_IFLNK_BITS ? "a symbolic link" : "a special file");
	if (vms[n].have[kind])
		return fail(err, -E_EXIST, "%.64s appears twice in the bundle", path);
	vms[n].have[kind] = true;
	vms[n].file[kind].data = e->data;
	vms[n].file[kind].size = e->size;
	return 0;
}

/* Turn one VM's files into its configuration. */
static int make_config(unsigned int n, const struct vm_files *f, struct vm_config *cfg,
		       struct bundle_error *err)
{
	const struct vm_image *conf = &f->file[VM_FILE_CONFIG];
	int rc;

	rc = vm_config_parse(conf->data, f->have[VM_FILE_CONFIG] ? conf->size : 0, cfg, err);
	if (rc) {
		char why[sizeof(err->msg)];

		memcpy(why, err->msg, sizeof(why));
		return fail(err, rc, "vm%u/config %s", n, why);
	}
	if (!f->have[VM_FILE_KERNEL])
		return fail(err, -E_NOENT, "vm%u/ has no kernel", n);
	for (int k = VM_FILE_KERNEL; k < VM_NR_FILES; k++) {
		/* An empty file is a mistake in how the bundle was made (a failed
		 * download, a hard link cpio stored once): say so rather than
		 * boot without it. */
		if (f->have[k] && f->file[k].size == 0)
			return fail(err, -E_INVAL, "vm%u/%s is empty", n, vm_file_names[k]);
	}
	cfg->kernel = f->file[VM_FILE_KERNEL];
	if (f->have[VM_FILE_INITRD])
		cfg->initrd = f->file[VM_FILE_INITRD];
	if (f->have[VM_FILE_DTB])
		cfg->dtb = f->file[VM_FILE_DTB];
	if (!cfg->name[0])
		tern_snprintf(cfg->name, sizeof(cfg->name), "vm%u", n);
	return 0;
}

int bundle_parse(const void *data, uint64_t size, struct vm_config *cfgs, unsigned int max,
		 struct bundle_error *err)
{
	struct vm_files vms[BUNDLE_MAX_VMS];
	struct bundle_error local;
	uint64_t off = 0;
	unsigned int nr = 0;
	int rc;

	if (!err)
		err = &local;
	err->msg[0] = '\0';
	if (max > BUNDLE_MAX_VMS)
		max = BUNDLE_MAX_VMS;
	if (!data || size == 0)
		return fail(err, -E_NOENT, "the bundle is empty");
	if (max == 0)
		return fail(err, -E_INVAL, "no room for any VM");
	memset(vms, 0, sizeof(vms));

	for (;;) {
		struct cpio_entry e = { 0 };

		rc = cpio_next(data, size, &off, &e, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		rc = add_entry(&e, vms, max, err);
		if (rc < 0)
			return rc;
	}

	while (nr < max && vms[nr].present)
		nr++;
	for (unsigned int i = nr; i < max; i++)
		if (vms[i].present)
			return fail(err, -E_INVAL, "the bundle has vm%u/ but no vm%u/ (VMs are "
				    "numbered from vm0 without gaps)", i, nr);
	if (nr == 0)
		return fail(err, -E_NOENT, "the bundle holds no VM (expected vm0/kernel and "
			    "vm0/config)");

	for (unsigned int i = 0; i < nr; i++) {
		rc = make_config(i, &vms[i], &cfgs[i], err);
		if (rc < 0)
			return rc;
		/* Names tell VMs apart in every log line. */
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(cfgs[i].name, cfgs[j].name) == 0)
				return fail(err, -E_EXIST, "vm%u/config: name \"%s\" is already "
					    "used by vm%u", i, cfgs[i].name, j);
	}
	return (int)nr;
}
