# Fuzzing what tern parses from user input, with libFuzzer, ASan and UBSan:
#   fuzz_bundle      the guest bundle (cpio newc) and vmN/config
#   fuzz_guest_load  kernel Image/ELF headers and user DTBs, through guest_load
# Needs clang (Debian's clang ships libFuzzer), dtc and python3 for seeds.
# Invoked by the top-level Makefile, or by hand from the top of the tree:
#   make -f tests/fuzz/fuzz.mk O=build/fuzz LIBFDT_SRC=... run    each for FUZZ_TIME s
#   make -f tests/fuzz/fuzz.mk O=build/fuzz LIBFDT_SRC=... check  replay seeds + corpora
# New inputs go to $(O)/corpus-<fuzzer>; a crash is saved as
# $(O)/<fuzzer>-crash-<sha1> (replay: $(O)/<fuzzer> <file>).
O ?= build/fuzz
CLANG ?= clang
PYTHON ?= python3
LIBFDT_SRC ?= $(HOME)/.cache/tern/libfdt-6.1
FUZZ_TIME ?= 60
FUZZ_MAX_LEN ?= 4096

SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
CFLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer $(SAN) \
	-fsanitize=fuzzer-no-link -Iinclude -Iarch/host/include -I$(LIBFDT_SRC)
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
LIBFDT_C := fdt.c fdt_ro.c fdt_wip.c fdt_sw.c fdt_rw.c fdt_strerror.c fdt_addresses.c
LIBFDT_OBJS := $(patsubst %.c,$(O)/libfdt/%.o,$(LIBFDT_C))

FUZZERS := fuzz_bundle fuzz_guest_load
OBJS_fuzz_bundle := tests/fuzz/fuzz_bundle.o core/bundle.o core/vm_config.o core/format.o
OBJS_fuzz_guest_load := tests/fuzz/fuzz_guest_load.o core/guest_loader.o core/guest_dt.o \
	core/format.o core/errno.o
FLAGS_fuzz_bundle := -dict=tests/fuzz/bundle.dict
FLAGS_fuzz_guest_load :=
# libFuzzer options for one fuzzer: its dictionary, and crashes kept by name.
fuzz_flags = $(FLAGS_$(1)) -max_len=$(FUZZ_MAX_LEN) -artifact_prefix=$(O)/$(1)-

.PHONY: build seeds run check
build: $(addprefix $(O)/,$(FUZZERS))

$(O)/fuzz_bundle: $(addprefix $(O)/,$(OBJS_fuzz_bundle))
	$(CLANG) $(SAN) -fsanitize=fuzzer -o $@ $^
$(O)/fuzz_guest_load: $(addprefix $(O)/,$(OBJS_fuzz_guest_load)) $(LIBFDT_OBJS)
	$(CLANG) $(SAN) -fsanitize=fuzzer -o $@ $^

$(O)/%.o: %.c tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	@command -v $(CLANG) >/dev/null || { echo "fuzz: $(CLANG) not found: apt-get install clang"; exit 1; }
	$(CLANG) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

# libfdt is someone else's code: its warnings are not ours to fail on.
$(O)/libfdt/%.o: $(LIBFDT_SRC)/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) -w -c $< -o $@

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# Seeds, made fresh (nothing binary is kept in git): real bundles from
# mkbundle.sh and config texts; an Image, an ELF, a raw binary and a DTB.
seeds: $(O)/seeds-fuzz_bundle/.made $(O)/seeds-fuzz_guest_load/.made

$(O)/seeds-fuzz_guest_load/.made: tests/fuzz/loader_seeds.py
	$(PYTHON) tests/fuzz/loader_seeds.py $(dir $@)
	@touch $@

$(O)/seeds-fuzz_bundle/.made: scripts/mkbundle.sh tests/fuzz/fuzz.mk
	@rm -rf $(dir $@) && mkdir -p $(dir $@) $(O)/seed-files
	@printf 'KERNEL' > $(O)/seed-files/k
	@printf 'INITRD' > $(O)/seed-files/i
	scripts/mkbundle.sh -o $(dir $@)one.cpio --kernel $(O)/seed-files/k >/dev/null
	scripts/mkbundle.sh -o $(dir $@)full.cpio --kernel $(O)/seed-files/k \
		--initrd $(O)/seed-files/i --dtb $(O)/seed-files/i --cmdline 'console=ttyAMA0 a=b' \
		--vcpus 2 --memory 512M --name linux --sbi v0.1 \
		--vm --kernel $(O)/seed-files/k --memory 0x2000000 >/dev/null
	@printf 'name = a\nvcpus = 16\nmemory = 2G\ncmdline = x=y z\nsbi = v2\n' > $(dir $@)config1
	@printf '# c\r\n\r\nmemory=16M\r\ncmdline =\r\n' > $(dir $@)config2
	@touch $@

run: $(addprefix run-,$(FUZZERS))
check: $(addprefix check-,$(FUZZERS))
# (run-<fuzzer> and check-<fuzzer> are pattern rules: make skips those for
# .PHONY targets, and no file of those names is ever made.)

run-%: $(O)/% seeds
	@mkdir -p $(O)/corpus-$*
	$(O)/$* $(call fuzz_flags,$*) -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
		$(O)/corpus-$* $(O)/seeds-$*

check-%: $(O)/% seeds
	@mkdir -p $(O)/corpus-$*
	$(O)/$* $(call fuzz_flags,$*) -runs=0 $(O)/corpus-$* $(O)/seeds-$*
