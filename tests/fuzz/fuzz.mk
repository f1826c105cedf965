# Fuzzing what tern decodes from guests and users, with libFuzzer, ASan and
# UBSan (docs/fuzzing.md). One harness per decoder, each built against the
# real sources listed below:
#   fuzz_bundle        the guest bundle (cpio newc) and vmN/config
#   fuzz_guest_load    kernel Image/ELF headers and user DTBs, through guest_load
#   fuzz_arm64_decode  arm64 data-abort syndromes as MMIO accesses, ESR/SPSR text
#   fuzz_riscv_decode  RISC-V load/store words (32-bit, compressed, htinst), scause
#   fuzz_vgic          vGICv2/v3 distributor and redistributor registers, SGI1R,
#                      list registers, in guest-driven sequences
#   fuzz_vplic         the guest PLIC's registers, claims and lines, in sequences
#   fuzz_sbi_harts     SBI hart masks (IPI, RFENCE) and remote-fence ranges
# Needs clang with libFuzzer (Debian: clang, libclang-rt-14-dev), dtc and
# python3 (with kconfiglib) for seeds and config.h. Invoked by the
# top-level Makefile (make fuzz), or by hand from the top of the tree:
#   make -f tests/fuzz/fuzz.mk O=build/fuzz LIBFDT_SRC=... build        build them
#   make -f tests/fuzz/fuzz.mk O=build/fuzz LIBFDT_SRC=... check        replay seeds + corpora
#   make -f tests/fuzz/fuzz.mk O=build/fuzz LIBFDT_SRC=... run          each for FUZZ_TIME s
#   make -f tests/fuzz/fuzz.mk O=build/fuzz LIBFDT_SRC=... report       the same, as make test reports
#                                          (FUZZ_MODE=short: FUZZ_SHORT_RUNS each, what make test runs)
#   make -f tests/fuzz/fuzz.mk ... run-fuzz_vgic / check-fuzz_vgic / short-fuzz_vgic   one of them
# New inputs go to $(O)/corpus-<fuzzer>; a crash is saved as
# $(O)/<fuzzer>-crash-<sha1> (replay: $(O)/<fuzzer> <file>).
O ?= build/fuzz
CLANG ?= clang
# Debian's python3 carries python3-kconfiglib; a python3 earlier in PATH may not.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
LIBFDT_SRC ?= $(HOME)/.cache/tern/libfdt-6.1
FUZZ_TIME ?= 60
FUZZ_MAX_LEN ?= 4096
# Short mode (make test): each fuzzer this many inputs, and never longer
# than this many seconds, so the stage stays bounded on a slow machine.
FUZZ_SHORT_RUNS ?= 20000
FUZZ_SHORT_TIME ?= 8
FUZZ_MODE ?= long

SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
CFLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer $(SAN) \
	-fsanitize=fuzzer-no-link -Iinclude -Iarch/host/include -I$(LIBFDT_SRC)
# arch/riscv/vsbi/harts.c (and core/vcpu.c beside it) need RISC-V's arch
# headers and a config.h, as in tern's riscv build: objects in $(O)/rv/.
RV_CONFIG := $(O)/riscv/include/generated/config.h
RV_CFLAGS := $(filter-out -Iarch/host/include,$(CFLAGS)) -Iarch/riscv/include -I$(O)/riscv/include
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
LIBFDT_C := fdt.c fdt_ro.c fdt_wip.c fdt_sw.c fdt_rw.c fdt_strerror.c fdt_addresses.c
LIBFDT_OBJS := $(patsubst %.c,$(O)/libfdt/%.o,$(LIBFDT_C))

FUZZERS := fuzz_bundle fuzz_guest_load fuzz_arm64_decode fuzz_riscv_decode fuzz_vgic \
	fuzz_vplic fuzz_sbi_harts
# The real sources each harness (tests/fuzz/<fuzzer>.c) drives, with the
# host arch's headers ...
SRCS_fuzz_bundle := core/bundle.c core/vm_config.c core/format.c
SRCS_fuzz_guest_load := core/guest_loader.c core/guest_dt.c core/format.c core/errno.c
SRCS_fuzz_arm64_decode := arch/arm64/mmio_decode.c arch/arm64/esr_decode.c core/format.c
SRCS_fuzz_riscv_decode := arch/riscv/mmio_decode.c arch/riscv/trap_decode.c core/format.c
SRCS_fuzz_vgic := arch/arm64/vgic_model.c arch/arm64/vgic_regs.c arch/arm64/vgic_v3_regs.c \
	arch/arm64/vgic_v2_regs.c arch/arm64/vgic_route.c arch/arm64/vgic_lr.c
SRCS_fuzz_vplic := arch/riscv/vplic_model.c
# ... or with RISC-V's, the harness too (its struct vm is RISC-V's then).
RV_SRCS_fuzz_sbi_harts := tests/fuzz/fuzz_sbi_harts.c arch/riscv/vsbi/harts.c core/vcpu.c
LIBS_fuzz_guest_load := $(LIBFDT_OBJS)
# libFuzzer options for one fuzzer: its dictionary, and crashes kept by name.
FLAGS_fuzz_bundle := -dict=tests/fuzz/bundle.dict
fuzz_flags = $(FLAGS_$(1)) -max_len=$(FUZZ_MAX_LEN) -timeout=10 -artifact_prefix=$(O)/$(1)-

objs = $(if $(RV_SRCS_$(1)),,$(O)/tests/fuzz/$(1).o) \
	$(patsubst %.c,$(O)/%.o,$(SRCS_$(1))) $(patsubst %.c,$(O)/rv/%.o,$(RV_SRCS_$(1))) \
	$(LIBS_$(1))

.PHONY: build seeds run check report list
# Stamps reached only through pattern rules would be deleted as
# intermediate, and the seeds made again on every run.
.PRECIOUS: $(O)/seeds-%/.made $(O)/regress-%/.made
build: $(addprefix $(O)/,$(FUZZERS))

define link_fuzzer
$(O)/$(1): $(call objs,$(1))
	$$(CLANG) $$(SAN) -fsanitize=fuzzer -o $$@ $$^
endef
$(foreach f,$(FUZZERS),$(eval $(call link_fuzzer,$(f))))

$(O)/%.o: %.c tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	@command -v $(CLANG) >/dev/null || { echo "fuzz: $(CLANG) not found: apt-get install clang libclang-rt-14-dev"; exit 1; }
	$(CLANG) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(O)/rv/%.o: %.c $(RV_CONFIG) tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	$(CLANG) $(RV_CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(RV_CONFIG): Kconfig arch/riscv/Kconfig platform/qemu-virt/riscv_defconfig
	@mkdir -p $(dir $@)
	KCONFIG_CONFIG=$(O)/riscv/.config ARCH=riscv srctree=$(CURDIR) $(PYTHON) -m defconfig \
		--kconfig Kconfig platform/qemu-virt/riscv_defconfig >/dev/null
	KCONFIG_CONFIG=$(O)/riscv/.config ARCH=riscv srctree=$(CURDIR) $(PYTHON) -m genconfig \
		--header-path $@ Kconfig

# libfdt is someone else's code: its warnings are not ours to fail on.
$(O)/libfdt/%.o: $(LIBFDT_SRC)/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) -w -c $< -o $@

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# Seeds, made fresh (nothing binary is kept in git): real bundles from
# mkbundle.sh and config texts; an Image, an ELF, a raw binary and a DTB;
# for the others, records built by model_seeds.py (what Linux does first).
seeds: $(foreach f,$(FUZZERS),$(O)/seeds-$(f)/.made)

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

$(O)/seeds-%/.made: tests/fuzz/model_seeds.py
	@rm -rf $(dir $@)
	$(PYTHON) tests/fuzz/model_seeds.py $* $(dir $@)
	@touch $@

# Inputs that once failed (tests/fuzz/regress/<fuzzer>-*.hex: hex text,
# '#' comments), replayed by check, run and every short run.
REGRESS = $(wildcard tests/fuzz/regress/$(1)-*.hex)
$(O)/regress-%/.made: $(wildcard tests/fuzz/regress tests/fuzz/regress/*.hex) tests/fuzz/fuzz.mk
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	@for f in $(call REGRESS,$*); do \
		$(PYTHON) -c 'import sys; sys.stdout.buffer.write(bytes.fromhex("".join(l.split("#")[0] for l in open(sys.argv[1]))))' \
			$$f > $(dir $@)$$(basename $$f .hex) || exit 1; done
	@touch $@

list:
	@echo $(FUZZERS)

run: $(addprefix run-,$(FUZZERS))
check: $(addprefix check-,$(FUZZERS))
# (run-<fuzzer>, check-<fuzzer> and short-<fuzzer> are pattern rules: make
# skips those for .PHONY targets, and no file of those names is ever made.)
inputs = $(O)/corpus-$(1) $(O)/seeds-$(1) $(O)/regress-$(1)

run-%: $(O)/% $(O)/seeds-%/.made $(O)/regress-%/.made
	@mkdir -p $(O)/corpus-$*
	$(O)/$* $(call fuzz_flags,$*) -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
		$(call inputs,$*)

check-%: $(O)/% $(O)/seeds-%/.made $(O)/regress-%/.made
	@mkdir -p $(O)/corpus-$*
	$(O)/$* $(call fuzz_flags,$*) -runs=0 $(call inputs,$*)

short-%: $(O)/% $(O)/seeds-%/.made $(O)/regress-%/.made
	@mkdir -p $(O)/corpus-$*
	$(O)/$* $(call fuzz_flags,$*) -runs=$(FUZZ_SHORT_RUNS) -max_total_time=$(FUZZ_SHORT_TIME) \
		-print_final_stats=1 $(call inputs,$*)

# Every fuzzer in turn, with PASS/FAIL lines and "N passed, N failed" as
# the other stages of make test print them (tests/fuzz/report.sh).
report:
	@O=$(O) FUZZERS="$(FUZZERS)" FUZZ_MODE=$(FUZZ_MODE) MAKE="$(MAKE)" tests/fuzz/report.sh
