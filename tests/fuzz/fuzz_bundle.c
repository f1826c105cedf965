/*
 * libFuzzer harness for what tern parses from its guest bundle: the cpio
 * newc reader with everything behind it (bundle_parse), and one vmN/config
 * text alone (vm_config_parse). Both take bytes a user made, so no input may
 * crash them, read outside it, or return a result that breaks the contract
 * callers rely on; a broken contract traps here, so the fuzzer keeps the
 * input. Built by tests/fuzz/fuzz.mk with clang -fsanitize=fuzzer,address,
 * undefined.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <tern/vm_config.h>

#define REQUIRE(cond)                    \
	do {                             \
		if (!(cond))             \
			__builtin_trap(); \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void image_inside(const struct vm_image *im, const uint8_t *data, size_t size)
{
	const uint8_t *p = im->data;

	if (!p) {
		REQUIRE(im->size == 0);
		return;
	}
	REQUIRE(p >= data && p <= data + size && im->size <= (uint64_t)(data + size - p));
}

static void config_sane(const struct vm_config *c)
{
	REQUIRE(memchr(c->name, '\0', sizeof(c->name)) != NULL);
	REQUIRE(memchr(c->cmdline, '\0', sizeof(c->cmdline)) != NULL);
	REQUIRE(c->vcpus >= 1 && c->vcpus <= 16);
	REQUIRE(c->mem_size >= (16u << 20) && c->mem_size % 4096 == 0);
	REQUIRE(c->sbi == SBI_LEVEL_V2 || c->sbi == SBI_LEVEL_V01);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_config cfgs[BUNDLE_MAX_VMS], one;
	struct bundle_error err;
	int n;

	n = bundle_parse(data, size, cfgs, BUNDLE_MAX_VMS, &err);
	REQUIRE(n != 0 && n <= BUNDLE_MAX_VMS);
	REQUIRE(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	if (n < 0) {
		REQUIRE(err.msg[0] != '\0'); /* every failure says why */
	} else {
		for (int i = 0; i < n; i++) {
			config_sane(&cfgs[i]);
			REQUIRE(cfgs[i].name[0] != '\0');
			REQUIRE(cfgs[i].kernel.data && cfgs[i].kernel.size > 0);
			image_inside(&cfgs[i].kernel, data, size);
			image_inside(&cfgs[i].initrd, data, size);
			image_inside(&cfgs[i].dtb, data, size);
		}
	}

	n = vm_config_parse((const char *)data, size, &one, &err);
	REQUIRE(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	if (n == 0)
		config_sane(&one);
	else
		REQUIRE(n < 0 && err.msg[0] != '\0');
	return 0;
}
