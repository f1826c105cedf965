/*
 * The guest bundle reader (core/bundle.c) and the vmN/config parser
 * (core/vm_config.c). Bundles are made here by a small newc writer, so every
 * malformed case is built on purpose; each parse gets a buffer of exactly
 * the bundle's size, so ASan sees any read past its end.
 */
#include <stdlib.h>
#include <tern/errno.h>
#include <tern/vm_config.h>
#include "test.h"

/* --- a small cpio newc writer -------------------------------------------- */

struct cpio_out {
	unsigned char buf[8192];
	size_t len;
};

#define MODE_FILE 0100644u
#define MODE_DIR 0040755u
#define MODE_LINK 0120777u

static void put(struct cpio_out *w, const void *p, size_t n)
{
	if (!n)
		return;
	if (w->len + n > sizeof(w->buf)) {
		printf("  test cpio buffer full\n");
		unit_failures++;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void pad4(struct cpio_out *w)
{
	static const char zero[4];

	put(w, zero, (4 - w->len % 4) % 4);
}

/* One entry, with namesize and magic as given (so tests can lie). */
static void entry_raw(struct cpio_out *w, const char *magic, const char *name, size_t namesize,
		      uint32_t mode, const void *data, size_t size, uint32_t check)
{
	char h[111];

	snprintf(h, sizeof(h), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", magic,
		 1u, mode, 0u, 0u, 1u, 0u, (unsigned int)size, 0u, 0u, 0u, 0u,
		 (unsigned int)namesize, check);
	put(w, h, 110);
	put(w, name, namesize);
	pad4(w);
	put(w, data, size);
	pad4(w);
}

static void entry(struct cpio_out *w, const char *name, uint32_t mode, const void *data,
		  size_t size)
{
	entry_raw(w, "070701", name, strlen(name) + 1, mode, data, size, 0);
}

static void file(struct cpio_out *w, const char *name, const char *text)
{
	entry(w, name, MODE_FILE, text, strlen(text));
}

static void trailer(struct cpio_out *w)
{
	entry(w, "TRAILER!!!", 0, NULL, 0);
}

static const char kernel_bytes[] = "KERNEL-IMAGE-BYTES";
static const char initrd_bytes[] = "INITRD";

/* vm0 with all four files, as mkbundle.sh makes it. */
static void good_bundle(struct cpio_out *w)
{
	memset(w, 0, sizeof(*w));
	entry(w, "vm0", MODE_DIR, NULL, 0);
	file(w, "vm0/config", "name = linux\nvcpus = 2\nmemory = 512M\n"
			      "cmdline = console=ttyAMA0 root=/dev/ram rdinit=/init\n");
	file(w, "vm0/dtb", "\xd0\x0d\xfe\xed");
	file(w, "vm0/initrd", initrd_bytes);
	file(w, "vm0/kernel", kernel_bytes);
	trailer(w);
}

/* Parse exactly len bytes of w, in a buffer of that size. */
static int parse(const struct cpio_out *w, size_t len, struct vm_config *cfgs, unsigned int max,
		 struct bundle_error *err)
{
	unsigned char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, w->buf, len);
	memset(cfgs, 0x5a, sizeof(*cfgs) * max);
	rc = bundle_parse(len ? copy : NULL, len, cfgs, max, err);
	/* Images point into the bundle: check them before it goes. */
	for (int i = 0; i < rc; i++) {
		struct vm_image *im[3] = { &cfgs[i].kernel, &cfgs[i].initrd, &cfgs[i].dtb };

		for (int j = 0; j < 3; j++) {
			if (im[j]->data) {
				CHECK((const unsigned char *)im[j]->data >= copy);
				CHECK((const unsigned char *)im[j]->data + im[j]->size <= copy + len);
				/* Rebase onto w so callers can compare bytes after free. */
				im[j]->data = w->buf + ((const unsigned char *)im[j]->data - copy);
			}
		}
	}
	free(copy);
	return rc;
}

static int parse_all(const struct cpio_out *w, struct vm_config *cfgs, struct bundle_error *err)
{
	return parse(w, w->len, cfgs, BUNDLE_MAX_VMS, err);
}

#define CHECK_FAILS(w, want)                                              \
	do {                                                             \
		struct vm_config _c[BUNDLE_MAX_VMS];                     \
		struct bundle_error _e;                                  \
		CHECK(parse_all((w), _c, &_e) < 0);                      \
		CHECK_STR(_e.msg, (want));                                \
	} while (0)

/* --- good bundles --------------------------------------------------------- */

TEST(bundle_parses_one_vm)
{
	struct cpio_out w;
	struct vm_config c[BUNDLE_MAX_VMS];
	struct bundle_error e;

	good_bundle(&w);
	CHECK_EQ(parse_all(&w, c, &e), 1);
	CHECK_STR(c[0].name, "linux");
	CHECK_EQ(c[0].vcpus, 2);
	CHECK_EQ(c[0].mem_size, 512ull << 20);
	CHECK_STR(c[0].cmdline, "console=ttyAMA0 root=/dev/ram rdinit=/init");
	CHECK_EQ(c[0].sbi, SBI_LEVEL_V2);
	CHECK_EQ(c[0].kernel.size, strlen(kernel_bytes));
	CHECK(c[0].kernel.data && memcmp(c[0].kernel.data, kernel_bytes, strlen(kernel_bytes)) == 0);
	CHECK_EQ(c[0].initrd.size, strlen(initrd_bytes));
	CHECK(c[0].initrd.data && memcmp(c[0].initrd.data, initrd_bytes, 6) == 0);
	CHECK_EQ(c[0].dtb.size, 4);
	CHECK(c[0].dtb.data && memcmp(c[0].dtb.data, "\xd0\x0d\xfe\xed", 4) == 0);
}

TEST(bundle_accepts_dot_slash_names_and_defaults)
{
	struct cpio_out w = { .len = 0 };
	struct vm_config c[BUNDLE_MAX_VMS];
	struct bundle_error e;

	entry(&w, ".", MODE_DIR, NULL, 0);
	entry(&w, "./vm0", MODE_DIR, NULL, 0);
	file(&w, "./vm0/kernel", kernel_bytes);
	entry(&w, "vm1/", MODE_DIR, NULL, 0);
	file(&w, "/vm1/kernel", "k1");
	file(&w, "vm1/config", "# only a comment\n");
	entry(&w, "docs", MODE_DIR, NULL, 0);     /* other directories: ignored */
	entry(&w, "dev-null", 0020666, NULL, 0); /* other entry types too */
	trailer(&w);
	CHECK_EQ(parse_all(&w, c, &e), 2);
	/* No config: the defaults, named after the directory. */
	CHECK_STR(c[0].name, "vm0");
	CHECK_EQ(c[0].vcpus, 1);
	CHECK_EQ(c[0].mem_size, 256ull << 20);
	CHECK_STR(c[0].cmdline, "");
	CHECK(c[0].initrd.data == NULL && c[0].initrd.size == 0);
	CHECK(c[0].dtb.data == NULL && c[0].dtb.size == 0);
	CHECK_STR(c[1].name, "vm1");
	CHECK_EQ(c[1].kernel.size, 2);
}

TEST(bundle_crc_format_and_trailer_padding)
{
	struct cpio_out w = { .len = 0 };
	struct vm_config c[BUNDLE_MAX_VMS];
	struct bundle_error e;
	uint32_t sum = 0;
	static const char junk[] = "after the trailer: block padding or anything";

	for (size_t i = 0; i < strlen(kernel_bytes); i++)
		sum += (unsigned char)kernel_bytes[i];
	entry_raw(&w, "070702", "vm0/kernel", 11, MODE_FILE, kernel_bytes, strlen(kernel_bytes),
		  sum);
	trailer(&w);
	put(&w, junk, sizeof(junk));
	CHECK_EQ(parse_all(&w, c, &e), 1);

	/* A wrong checksum is a corrupt bundle. */
	w.len = 0;
	entry_raw(&w, "070702", "vm0/kernel", 11, MODE_FILE, kernel_bytes, strlen(kernel_bytes),
		  sum + 1);
	trailer(&w);
	CHECK_FAILS(&w, "vm0/kernel: checksum mismatch (corrupt bundle)");
}

TEST(bundle_respects_max)
{
	struct cpio_out w = { .len = 0 };
	struct vm_config c[2];
	struct bundle_error e;

	file(&w, "vm0/kernel", "k");
	file(&w, "vm1/kernel", "k");
	file(&w, "vm2/kernel", "k");
	trailer(&w);
	CHECK_EQ(parse(&w, w.len, c, 2, &e), -E_RANGE);
	CHECK_STR(e.msg, "vm2/kernel: the bundle may hold at most 2 VMs (vm0 to vm1)");

	w.len = 0;
	for (int i = 0; i <= BUNDLE_MAX_VMS; i++) {
		char name[32];

		snprintf(name, sizeof(name), "vm%d/kernel", i);
		file(&w, name, "k");
	}
	trailer(&w);
	CHECK_FAILS(&w, "vm4/kernel: the bundle may hold at most 4 VMs (vm0 to vm3)");
}

/* --- malformed archives --------------------------------------------------- */

TEST(bundle_rejects_non_newc_input)
{
	struct cpio_out w = { .len = 0 };
	struct vm_config c[1];
	struct bundle_error e;

	CHECK_EQ(parse(&w, 0, c, 1, &e), -E_NOENT);
	CHECK_STR(e.msg, "the bundle is empty");

	put(&w, "\x1f\x8b\x08\x00", 4);
	CHECK_FAILS(&w, "the bundle is gzip-compressed: give tern an uncompressed cpio archive "
			"(made with -H newc)");
	w.len = 0;
	put(&w, "070707", 6);
	for (int i = 0; i < 70; i++)
		put(&w, "0", 1);
	CHECK_FAILS(&w, "the bundle is an old-format (odc) cpio archive: make it with cpio -H newc");
	w.len = 0;
	for (int i = 0; i < 200; i++)
		put(&w, "A", 1);
	CHECK_FAILS(&w, "the bundle is not a cpio newc archive (no \"070701\" at its start)");
}

TEST(bundle_rejects_every_truncation)
{
	struct cpio_out w;
	struct vm_config c[BUNDLE_MAX_VMS];
	struct bundle_error e;
	size_t trailer_end;

	good_bundle(&w);
	/* The trailer entry is 110 + 11 bytes, padded to 124. */
	trailer_end = w.len - 124 + 110 + 11;
	for (size_t len = 0; len <= w.len; len++) {
		int rc = parse(&w, len, c, BUNDLE_MAX_VMS, &e);

		if (len < trailer_end) {
			CHECK(rc < 0);
			CHECK(e.msg[0] != '\0');
		} else {
			CHECK_EQ(rc, 1); /* only the trailer's padding is missing */
		}
	}
	good_bundle(&w);
	w.len -= 124;
	CHECK_FAILS(&w, "the bundle ends without a TRAILER!!! entry (truncated? check the size "
			"given to the loader)");
	good_bundle(&w);
	w.len -= 124 - 50;
	CHECK_FAILS(&w, "bundle offset 732: cpio header cut short (truncated bundle?)");
}

TEST(bundle_rejects_bad_headers)
{
	struct cpio_out w = { .len = 0 };

	/* A non-hex digit in each field in turn. */
	static const char *const fields[] = { "ino", "mode", "uid", "gid", "nlink", "mtime",
					      "filesize", "devmajor", "devminor", "rdevmajor",
					      "rdevminor", "namesize", "check" };
	for (int f = 0; f < 13; f++) {
		char want[80];

		good_bundle(&w);
		w.buf[6 + 8 * f + 3] = 'g';
		snprintf(want, sizeof(want), "bundle offset 0: bad %s field in cpio header", fields[f]);
		CHECK_FAILS(&w, want);
	}
	/* A later header with a bad magic. */
	good_bundle(&w);
	w.buf[116] = '9'; /* vm0 entry is 110 + 4 bytes: the next starts at 116 */
	CHECK_FAILS(&w, "bundle offset 116: bad cpio header magic");

	/* namesize 0; a name missing its NUL; a NUL inside the name. */
	w.len = 0;
	entry_raw(&w, "070701", "", 0, MODE_FILE, NULL, 0, 0);
	CHECK_FAILS(&w, "bundle offset 0: cpio entry with an empty name");
	w.len = 0;
	entry_raw(&w, "070701", "vm0/kernel", 10, MODE_FILE, "k", 1, 0);
	trailer(&w);
	CHECK_FAILS(&w, "bundle offset 0: entry name is not a NUL-terminated string of namesize "
			"bytes");
	w.len = 0;
	entry_raw(&w, "070701", "vm0\0kernel", 11, MODE_FILE, "k", 1, 0);
	trailer(&w);
	CHECK_FAILS(&w, "bundle offset 0: entry name is not a NUL-terminated string of namesize "
			"bytes");
	/* A name or data size running past the end. */
	w.len = 0;
	entry_raw(&w, "070701", "vm0/kernel", 11, MODE_FILE, "k", 1, 0);
	memcpy(w.buf + 6 + 8 * 11, "0000FFFF", 8);
	CHECK_FAILS(&w, "bundle offset 0: entry name runs past the end of the bundle");
	w.len = 0;
	entry_raw(&w, "070701", "vm0/kernel", 11, MODE_FILE, "k", 1, 0);
	trailer(&w);
	memcpy(w.buf + 6 + 8 * 6, "FFFFFFFF", 8);
	CHECK_FAILS(&w, "vm0/kernel: 4294967295 bytes run past the end of the bundle (truncated "
			"bundle?)");
}

TEST(bundle_survives_any_single_byte_change)
{
	static const unsigned char values[] = { 0, 0xff, '0', 'F', 'x', '/', 0x80 };
	struct cpio_out w, good;
	struct vm_config c[BUNDLE_MAX_VMS];
	struct bundle_error e;
	int ok = 0, bad = 0;

	good_bundle(&good);
	for (size_t i = 0; i < good.len; i++) {
		for (size_t v = 0; v < sizeof(values); v++) {
			int rc;

			w = good;
			w.buf[i] = values[v];
			rc = parse_all(&w, c, &e);
			if (rc < 0) {
				bad++;
				CHECK(e.msg[0] != '\0');
			} else {
				ok++;
				CHECK(rc >= 1 && rc <= BUNDLE_MAX_VMS);
			}
		}
	}
	CHECK(ok > 0 && bad > 0);
}

/* --- what the archive holds ----------------------------------------------- */

TEST(bundle_rejects_bad_contents)
{
	struct cpio_out w = { .len = 0 };

	trailer(&w);
	CHECK_FAILS(&w, "the bundle holds no VM (expected vm0/kernel and vm0/config)");

	w.len = 0;
	file(&w, "vm0/kernal", "k");
	trailer(&w);
	CHECK_FAILS(&w, "vm0/kernal: unknown file in the bundle (expected vmN/config, vmN/kernel, "
			"vmN/initrd, vmN/dtb)");
	w.len = 0;
	file(&w, "README", "hello");
	trailer(&w);
	CHECK_FAILS(&w, "README: unknown file in the bundle (expected vmN/config, vmN/kernel, "
			"vmN/initrd, vmN/dtb)");
	w.len = 0;
	file(&w, "vm01/kernel", "k"); /* not quietly vm1 */
	trailer(&w);
	CHECK_FAILS(&w, "vm01/kernel: unknown file in the bundle (expected vmN/config, vmN/kernel, "
			"vmN/initrd, vmN/dtb)");
	w.len = 0;
	entry(&w, "vm0/kernel", MODE_LINK, "../Image", 8);
	trailer(&w);
	CHECK_FAILS(&w, "vm0/kernel is a symbolic link, not a regular file (put the file itself "
			"in the bundle)");
	w.len = 0;
	file(&w, "vm0/kernel", "k");
	file(&w, "./vm0/kernel", "k");
	trailer(&w);
	CHECK_FAILS(&w, "vm0/kernel appears twice in the bundle");
	w.len = 0;
	file(&w, "vm0/kernel", "k");
	file(&w, "vm2/kernel", "k");
	trailer(&w);
	CHECK_FAILS(&w, "the bundle has vm2/ but no vm1/ (VMs are numbered from vm0 without gaps)");
	w.len = 0;
	file(&w, "vm0/kernel", "k");
	entry(&w, "vm1", MODE_DIR, NULL, 0);
	file(&w, "vm1/config", "name = b\n");
	trailer(&w);
	CHECK_FAILS(&w, "vm1/ has no kernel");
	w.len = 0;
	file(&w, "vm0/kernel", "");
	trailer(&w);
	CHECK_FAILS(&w, "vm0/kernel is empty");
	w.len = 0;
	file(&w, "vm0/kernel", "k");
	file(&w, "vm0/initrd", "");
	trailer(&w);
	CHECK_FAILS(&w, "vm0/initrd is empty");
	w.len = 0;
	file(&w, "vm0/config", "name = a\nvcpu = 2\n");
	file(&w, "vm0/kernel", "k");
	trailer(&w);
	CHECK_FAILS(&w, "vm0/config line 2: unknown key \"vcpu\" (known: name, vcpus, memory, "
			"cmdline, sbi)");
	w.len = 0;
	file(&w, "vm0/config", "name = same\n");
	file(&w, "vm0/kernel", "k");
	file(&w, "vm1/config", "name = same\n");
	file(&w, "vm1/kernel", "k");
	trailer(&w);
	CHECK_FAILS(&w, "vm1/config: name \"same\" is already used by vm0");
}

/* --- vmN/config ------------------------------------------------------------ */

static int conf(const char *text, struct vm_config *c, struct bundle_error *e)
{
	size_t n = strlen(text);
	char *copy = malloc(n ? n : 1); /* no NUL: the parser must not need one */
	int rc;

	memcpy(copy, text, n);
	rc = vm_config_parse(copy, n, c, e);
	free(copy);
	return rc;
}

#define CHECK_CONF_FAILS(text, want)                                      \
	do {                                                             \
		struct vm_config _c;                                     \
		struct bundle_error _e;                                  \
		CHECK(conf((text), &_c, &_e) < 0);                       \
		CHECK_STR(_e.msg, (want));                                \
	} while (0)

TEST(config_defaults_and_every_key)
{
	struct vm_config c;
	struct bundle_error e;

	CHECK_EQ(conf("", &c, &e), 0);
	CHECK_STR(c.name, "");
	/* No config file at all (found by fuzzing: NULL + 0 is undefined). */
	CHECK_EQ(vm_config_parse(NULL, 0, &c, &e), 0);
	CHECK_EQ(c.vcpus, 1);
	CHECK_EQ(c.vcpus, 1);
	CHECK_EQ(c.mem_size, 256ull << 20);
	CHECK_EQ(c.sbi, SBI_LEVEL_V2);
	CHECK(c.kernel.data == NULL);

	CHECK_EQ(conf("# a VM\r\n"
		      "\n"
		      "  name\t=  rtos-1.0_b  \r\n"
		      "vcpus=16\n"
		      "memory = 2G\n"
		      "   # indented comment\n"
		      "cmdline = console=ttyS0 init=/bin/sh  foo=\"a b\" # not a comment \n"
		      "sbi = v0.1",
		      &c, &e), 0);
	CHECK_STR(c.name, "rtos-1.0_b");
	CHECK_EQ(c.vcpus, 16);
	CHECK_EQ(c.mem_size, 2ull << 30);
	CHECK_STR(c.cmdline, "console=ttyS0 init=/bin/sh  foo=\"a b\" # not a comment");
	CHECK_EQ(c.sbi, SBI_LEVEL_V01);

	CHECK_EQ(conf("cmdline =\nsbi = v2\n", &c, &e), 0);
	CHECK_STR(c.cmdline, "");
	CHECK_EQ(c.sbi, SBI_LEVEL_V2);
}

TEST(config_memory_sizes)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} ok[] = {
		{ "memory = 16M", 16ull << 20 },   { "memory = 512m", 512ull << 20 },
		{ "memory = 65536K", 64ull << 20 }, { "memory = 1t", 1ull << 40 },
		{ "memory = 0x1000000", 16ull << 20 }, { "memory = 0X2000000", 32ull << 20 },
		{ "memory = 33554432", 32ull << 20 }, { "memory = 0x10G", 16ull << 30 },
	};
	struct vm_config c;
	struct bundle_error e;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_EQ(conf(ok[i].text, &c, &e), 0);
		CHECK_EQ(c.mem_size, ok[i].bytes);
	}
	CHECK_CONF_FAILS("memory = 8M", "line 1: memory \"8M\" is less than the 16M minimum");
	CHECK_CONF_FAILS("memory = 0", "line 1: memory \"0\" is less than the 16M minimum");
	CHECK_CONF_FAILS("memory = 16777217", "line 1: memory \"16777217\" is not a multiple of 4K");
	CHECK_CONF_FAILS("memory = 12Q", "line 1: memory must be a size like 512M or 2G, not \"12Q\"");
	CHECK_CONF_FAILS("memory = M", "line 1: memory must be a size like 512M or 2G, not \"M\"");
	CHECK_CONF_FAILS("memory = 0x", "line 1: memory must be a size like 512M or 2G, not \"0x\"");
	CHECK_CONF_FAILS("memory = -1G", "line 1: memory must be a size like 512M or 2G, not \"-1G\"");
	CHECK_CONF_FAILS("memory = 1 G", "line 1: memory must be a size like 512M or 2G, not \"1 G\"");
	CHECK_CONF_FAILS("memory = 18446744073709551616",
			 "line 1: memory must be a size like 512M or 2G, not \"18446744073709551616\"");
	CHECK_CONF_FAILS("memory = 17179869184G", "line 1: memory \"17179869184G\" is too large");
}

TEST(config_errors_name_line_and_problem)
{
	char longline[700];

	CHECK_CONF_FAILS("\n# c\nvcpu = 2\n",
			 "line 3: unknown key \"vcpu\" (known: name, vcpus, memory, cmdline, sbi)");
	CHECK_CONF_FAILS("vcpus = 1\nname = a\nvcpus = 2\n",
			 "line 3: vcpus given twice (first on line 1)");
	CHECK_CONF_FAILS("name", "line 1: expected \"key = value\"");
	CHECK_CONF_FAILS(" = 3", "line 1: expected \"key = value\"");
	CHECK_CONF_FAILS("vcpus =", "line 1: vcpus has no value");
	CHECK_CONF_FAILS("name =   ", "line 1: name has no value");
	CHECK_CONF_FAILS("vcpus = 0", "line 1: vcpus must be a number from 1 to 16, not \"0\"");
	CHECK_CONF_FAILS("vcpus = 17", "line 1: vcpus must be a number from 1 to 16, not \"17\"");
	CHECK_CONF_FAILS("vcpus = 2 # two",
			 "line 1: vcpus must be a number from 1 to 16, not \"2 # two\"");
	CHECK_CONF_FAILS("vcpus = four", "line 1: vcpus must be a number from 1 to 16, not \"four\"");
	CHECK_CONF_FAILS("sbi = v3", "line 1: sbi must be v0.1 or v2, not \"v3\"");
	CHECK_CONF_FAILS("name = a-very-long-name",
			 "line 1: name \"a-very-long-name\" is longer than 15 characters");
	CHECK_CONF_FAILS("name = my vm",
			 "line 1: name \"my vm\" may only use letters, digits, '.', '_' and '-'");
	CHECK_CONF_FAILS("name = a\001b", "line 1: unexpected control character 0x01");
	CHECK_CONF_FAILS("name = a\rb", "line 1: unexpected control character 0x0d");
	CHECK_CONF_FAILS("Name = a", "line 1: unknown key \"Name\" (known: name, vcpus, memory, "
				     "cmdline, sbi)");
	CHECK_CONF_FAILS("a-key-that-goes-on-and-on-and-on-and-on-forever = 1",
			 "line 1: unknown key \"a-key-that-goes-on-and-on-and-on-and-on-\"... (known: name, "
			 "vcpus, memory, cmdline, sbi)");

	/* 511 characters of command line fit; 512 do not. */
	snprintf(longline, sizeof(longline), "cmdline = %0511d", 7);
	{
		struct vm_config c;
		struct bundle_error e;

		CHECK_EQ(conf(longline, &c, &e), 0);
		CHECK_EQ(strlen(c.cmdline), 511);
	}
	snprintf(longline, sizeof(longline), "cmdline = %0512d", 7);
	CHECK_CONF_FAILS(longline, "line 1: cmdline is longer than 511 characters");
}

TEST(config_handles_nul_bytes_and_long_values)
{
	static const char with_nul[] = "name = a\0b\n";
	char value[300];
	struct vm_config c;
	struct bundle_error e;

	CHECK(vm_config_parse(with_nul, sizeof(with_nul) - 1, &c, &e) < 0);
	CHECK_STR(e.msg, "line 1: unexpected control character 0x00");
	/* A long bad value is cut in the message, which still ends sensibly. */
	memset(value, '9', sizeof(value));
	memcpy(value, "vcpus = ", 8);
	value[sizeof(value) - 1] = '\0';
	CHECK(conf(value, &c, &e) < 0);
	CHECK_STR(e.msg, "line 1: vcpus must be a number from 1 to 16, not "
			 "\"9999999999999999999999999999999999999999\"...");
}

/* --- scripts/mkbundle.sh ----------------------------------------------------- */

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* What the script writes, tern reads: two VMs, every option. */
TEST(bundle_reads_what_mkbundle_writes)
{
	char dir[] = "/tmp/tern-mkbundle-XXXXXX", cmd[1024], path[256];
	struct vm_config c[BUNDLE_MAX_VMS];
	struct bundle_error e;
	unsigned char *b;
	size_t len = 0;
	FILE *f;

	if (system("command -v cpio >/dev/null 2>&1") != 0) {
		printf("  skipped: no cpio (apt-get install cpio)\n");
		return;
	}
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/Image", dir);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(kernel_bytes, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "scripts/mkbundle.sh -o %s/b.cpio --kernel %s/Image --initrd %s/Image "
		 "--cmdline 'console=ttyAMA0 rdinit=/init a=b' --vcpus 4 --memory 1G --name linux "
		 "--vm --kernel %s/Image --sbi v0.1 --memory 0x2000000 >/dev/null",
		 dir, dir, dir, dir);
	CHECK_EQ(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/b.cpio", dir);
	b = read_file(path, &len);
	CHECK(b != NULL);
	if (b) {
		CHECK_EQ(bundle_parse(b, len, c, BUNDLE_MAX_VMS, &e), 2);
		CHECK_STR(c[0].name, "linux");
		CHECK_EQ(c[0].vcpus, 4);
		CHECK_EQ(c[0].mem_size, 1ull << 30);
		CHECK_STR(c[0].cmdline, "console=ttyAMA0 rdinit=/init a=b");
		CHECK_EQ(c[0].kernel.size, strlen(kernel_bytes));
		CHECK_EQ(c[0].initrd.size, strlen(kernel_bytes));
		CHECK(c[0].dtb.data == NULL);
		CHECK_STR(c[1].name, "vm1");
		CHECK_EQ(c[1].sbi, SBI_LEVEL_V01);
		CHECK_EQ(c[1].mem_size, 32ull << 20);
		free(b);
	}
	/* A missing file is named, and nothing is written. */
	snprintf(cmd, sizeof(cmd), "scripts/mkbundle.sh -o %s/c.cpio --kernel %s/nope 2>/dev/null",
		 dir, dir);
	CHECK(system(cmd) != 0);
	snprintf(path, sizeof(path), "%s/c.cpio", dir);
	CHECK(fopen(path, "rb") == NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);
}
