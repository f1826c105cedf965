# tern: a small bare-metal Type-1 hypervisor for arm64 and RISC-V.
#
#   make [ARCH=arm64|riscv] [PLATFORM=qemu-virt] [O=dir]   build tern.bin
#   make run | debug | gdb                                   run it on QEMU
#   make test                                                every test
#   make bench                                               benchmarks
#   make fuzz                                                long fuzzing campaigns
#   make defconfig | menuconfig | savedefconfig              configuration
#   make deps                                                Debian packages
#
# Builds are out of tree: everything goes to $(O) (default build/$(ARCH)),
# downloads and extracted sources to $(TERN_CACHE) (default ~/.cache/tern).

ARCH ?= arm64
override ARCH := $(patsubst aarch64,arm64,$(patsubst riscv64,riscv,$(ARCH)))
PLATFORM ?= qemu-virt
O ?= build/$(ARCH)
override O := $(abspath $(O))
TERN_CACHE ?= $(HOME)/.cache/tern
export TERN_CACHE
# Debian's python3 carries python3-kconfiglib; a python3 earlier in PATH
# (pyenv, a venv) may not.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
export PYTHON

ifeq ($(filter $(ARCH),arm64 riscv host),)
$(error ARCH=$(ARCH) is not supported: use ARCH=arm64 or ARCH=riscv)
endif
ifeq ($(wildcard platform/$(PLATFORM)/$(ARCH)_defconfig),)
ifneq ($(ARCH),host)
$(error PLATFORM=$(PLATFORM) has no $(ARCH) defconfig (platform/$(PLATFORM)/$(ARCH)_defconfig))
endif
endif

SRCDIR := $(CURDIR)
KCONFIG_ENV := KCONFIG_CONFIG=$(O)/.config ARCH=$(ARCH) srctree=$(SRCDIR)
CONFIG_HEADER := $(O)/include/generated/config.h

# --- toolchain --------------------------------------------------------------
CROSS_PREFIXES_arm64 := aarch64-linux-gnu- aarch64-none-elf- aarch64-elf-
CROSS_PREFIXES_riscv := riscv64-linux-gnu- riscv64-unknown-elf- riscv64-elf-
CROSS_PACKAGE_arm64 := gcc-aarch64-linux-gnu
CROSS_PACKAGE_riscv := gcc-riscv64-linux-gnu
ifeq ($(origin CROSS_COMPILE),undefined)
CROSS_COMPILE := $(firstword $(foreach p,$(CROSS_PREFIXES_$(ARCH)),\
	$(if $(shell command -v $(p)gcc 2>/dev/null),$(p))))
endif
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm

.DEFAULT_GOAL := all
.PHONY: all run debug gdb test unit e2e bench guests deps check-cc defconfig \
	menuconfig savedefconfig olddefconfig clean distclean help libfdt linux-guests \
	linux-guests-arm64 linux-guests-riscv

help:
	@sed -n '3,13p' Makefile | sed 's/^# \{0,1\}//'

# The configuration decides what is built (drivers-$(CONFIG_...)), so it is
# read for every goal except those that never build tern itself. A missing
# .config is made from the platform's defconfig (the rule below).
NO_CONFIG_TARGETS := deps clean distclean help test unit fuzz fuzz-guests e2e bench libfdt gdb linux-guests \
	linux-guests-arm64 linux-guests-riscv
ifneq ($(filter-out $(NO_CONFIG_TARGETS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(ARCH),host)
-include $(O)/.config
endif
endif

# --- configuration ----------------------------------------------------------
$(O)/.config:
	@mkdir -p $(O)
	$(KCONFIG_ENV) $(PYTHON) -m defconfig --kconfig Kconfig platform/$(PLATFORM)/$(ARCH)_defconfig

defconfig:
	@mkdir -p $(O)
	$(KCONFIG_ENV) $(PYTHON) -m defconfig --kconfig Kconfig platform/$(PLATFORM)/$(ARCH)_defconfig
	@$(MAKE) --no-print-directory $(CONFIG_HEADER)

menuconfig: | $(O)/.config
	$(KCONFIG_ENV) $(PYTHON) -m menuconfig Kconfig
	@$(MAKE) --no-print-directory $(CONFIG_HEADER)

olddefconfig: | $(O)/.config
	$(KCONFIG_ENV) $(PYTHON) -m olddefconfig Kconfig

savedefconfig: | $(O)/.config
	$(KCONFIG_ENV) $(PYTHON) -m savedefconfig --kconfig Kconfig --out $(O)/defconfig
	@echo "wrote $(O)/defconfig; copy it to platform/$(PLATFORM)/$(ARCH)_defconfig to keep it"

$(CONFIG_HEADER): $(O)/.config Kconfig $(wildcard arch/$(ARCH)/Kconfig)
	@mkdir -p $(dir $@)
	$(KCONFIG_ENV) $(PYTHON) -m olddefconfig Kconfig >/dev/null
	$(KCONFIG_ENV) $(PYTHON) -m genconfig --header-path $@ Kconfig

# --- dependencies -----------------------------------------------------------
deps:
	@scripts/deps.sh

LIBFDT_SRC := $(TERN_CACHE)/libfdt-6.1
LIBFDT_STAMP := $(LIBFDT_SRC)/.extracted
libfdt: $(LIBFDT_STAMP)
$(LIBFDT_STAMP):
	@scripts/fetch-libfdt.sh $(LIBFDT_SRC)

# --- the hypervisor ----------------------------------------------------------
ifneq ($(ARCH),host)
-include arch/$(ARCH)/arch.mk
-include platform/$(PLATFORM)/platform.mk

core-y := core/main.c core/format.c core/printk.c core/console.c core/platform_fdt.c \
	core/page_alloc.c core/pgtable.c core/spinlock.c core/string.c core/cpu.c \
	core/errno.c core/host_mmu.c core/panic.c core/smp.c core/bootargs.c
# Guest support, for arches that implement the guest half of the contract.
core-$(CONFIG_ARCH_HAS_GUESTS) += core/vm.c core/vcpu.c core/sched.c core/vcpu_run.c core/vm_start.c \
	core/mmio.c core/fwcall.c core/event.c \
	core/bundle.c core/vm_config.c core/guest_loader.c core/guest_dt.c \
	core/vuart.c core/vuart_pl011.c core/vuart_ns16550.c
# The SMCCC services (arch calls, PSCI, SDEI, tern's own) are reachable
# only through HVC/SMC: arm64's. RISC-V guests get the SBI services of
# arch/riscv/vsbi/ (SSE on the same event core as SDEI).
core-$(CONFIG_ARM64_GUESTS) += core/fw/smccc_arch.c core/fw/psci.c core/fw/tern_vendor.c \
	core/fw/sdei.c
drivers-y :=
drivers-$(CONFIG_UART_PL011) += drivers/uart/pl011.c
drivers-$(CONFIG_UART_NS16550) += drivers/uart/ns16550.c
LIBFDT_OBJS := fdt.o fdt_ro.o fdt_wip.o fdt_sw.o fdt_rw.o fdt_strerror.o fdt_addresses.o

SRCS := $(arch-y) $(core-y) $(drivers-y)
OBJS := $(addprefix $(O)/,$(addsuffix .o,$(basename $(SRCS)))) \
	$(addprefix $(O)/libfdt/,$(LIBFDT_OBJS))

GCC_INCLUDE := $(shell $(CC) -print-file-name=include 2>/dev/null)
COMMON_CFLAGS := -std=c11 -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
	-Iinclude -Iinclude/libc -Iarch/$(ARCH)/include -I$(O)/include -I$(LIBFDT_SRC) \
	-O2 -g -fno-omit-frame-pointer -fno-stack-protector -fno-common -fpie \
	-ffunction-sections -fdata-sections -MMD -MP $(ARCH_CFLAGS)
WARN_CFLAGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter
CFLAGS := $(COMMON_CFLAGS) $(WARN_CFLAGS)
# libfdt is someone else's code: build it with its own standards, not -Werror.
LIBFDT_CFLAGS := $(COMMON_CFLAGS) -w
ASFLAGS := $(COMMON_CFLAGS) -D__ASSEMBLY__
LDFLAGS := -nostdlib -static -pie --no-dynamic-linker -z text -z norelro \
	-z noexecstack --gc-sections --build-id=none $(ARCH_LDFLAGS)
LINKER_SCRIPT := linker/$(ARCH).ld

all: check-cc $(O)/tern.bin

check-cc:
	@if [ -z "$(CROSS_COMPILE)" ] || ! command -v $(CC) >/dev/null 2>&1; then \
		echo "error: no $(ARCH) cross compiler found (tried $(or $(CROSS_COMPILE),$(CROSS_PREFIXES_$(ARCH))))."; \
		echo "       Install Debian's package: apt-get install $(CROSS_PACKAGE_$(ARCH))"; \
		echo "       or name one with CROSS_COMPILE=<prefix>"; exit 1; fi

$(OBJS): $(CONFIG_HEADER) $(O)/include/generated/asm-offsets.h | $(LIBFDT_STAMP)

# GCC would turn the byte loops of memcpy/memset into calls to themselves.
$(O)/core/string.o: CFLAGS += -fno-tree-loop-distribute-patterns

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(O)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c $< -o $@

# A static pattern rule, not $(O)/libfdt/%.o: $(LIBFDT_SRC)/%.c: on a machine
# whose cache has no libfdt yet, make would find no source for that rule
# before the stamp's recipe runs, and link objects it never built.
$(addprefix $(O)/libfdt/,$(LIBFDT_OBJS)): $(O)/libfdt/%.o: | $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LIBFDT_CFLAGS) -c $(LIBFDT_SRC)/$*.c -o $@

# Structure offsets for assembly, generated from C so they cannot drift.
# Its dependency file makes it follow every header the C file includes.
$(O)/include/generated/asm-offsets.h: arch/$(ARCH)/asm-offsets.c $(CONFIG_HEADER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MF $(O)/asm-offsets.d -MT $@ -S $< -o $(O)/asm-offsets.s
	scripts/asm-offsets.sh < $(O)/asm-offsets.s > $@
-include $(O)/asm-offsets.d

$(O)/tern.elf: $(OBJS) $(LINKER_SCRIPT)
	$(LD) $(LDFLAGS) -T $(LINKER_SCRIPT) -Map $(O)/tern.map -o $@ $(OBJS)

$(O)/tern.bin: $(O)/tern.elf
	$(OBJCOPY) -O binary $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"

-include $(OBJS:.o=.d)
endif

# --- running on QEMU ----------------------------------------------------------
SMP ?= 4
MEM ?= 2G
GIC ?= 3
QEMU_ARGS ?=
# The guest: what `make run` boots under tern (docs/user-guide.md). Without
# GUEST_KERNEL, arm64 boots Debian's stock kernel and riscv a kernel built
# from Debian's linux-source-6.1 (make linux-guests).
GUEST_KERNEL ?=
GUEST_INITRD ?=
GUEST_CMDLINE ?=
GUEST_DTB ?=
GUEST_MEM ?=
VCPUS ?=
SBI ?=
# The default guest of each arch, fetched or built when GUEST_KERNEL is unset.
GUEST_DEFAULT_arm64 := build/linux/arm64
GUEST_DEFAULT_riscv := build/linux/riscv
RUN_GUEST_arm64 := $(if $(GUEST_KERNEL),,linux-guests-arm64)
RUN_GUEST_riscv := $(if $(GUEST_KERNEL),,linux-guests-riscv)
RUN_ENV := ARCH=$(ARCH) O=$(O) SMP=$(SMP) MEM=$(MEM) GIC=$(GIC) CPU=$(CPU) BIOS=$(BIOS) \
	QEMU_MACHINE=$(QEMU_MACHINE_$(ARCH)) QEMU_CPU=$(QEMU_CPU_$(ARCH)) \
	QEMU_ARGS="$(QEMU_ARGS)" APPEND="$(APPEND)" \
	GUEST_KERNEL="$(GUEST_KERNEL)" GUEST_INITRD="$(GUEST_INITRD)" \
	GUEST_CMDLINE="$(GUEST_CMDLINE)" GUEST_DTB="$(GUEST_DTB)" GUEST_MEM="$(GUEST_MEM)" \
	VCPUS="$(VCPUS)" SBI="$(SBI)" GUEST_DEFAULT="$(GUEST_DEFAULT_$(ARCH))"

run: deps all $(RUN_GUEST_$(ARCH))
	@$(RUN_ENV) scripts/qemu.sh run

debug: deps all $(RUN_GUEST_$(ARCH))
	@$(RUN_ENV) scripts/qemu.sh debug

gdb:
	@$(RUN_ENV) scripts/qemu.sh gdb

# --- tests --------------------------------------------------------------------
HOST_O := $(abspath build/host)

test: deps
	@scripts/test.sh

unit: libfdt
	@$(MAKE) --no-print-directory -f tests/unit/unit.mk O=$(HOST_O) LIBFDT_SRC=$(LIBFDT_SRC) run

# libFuzzer harnesses of what tern decodes from guests and users
# (tests/fuzz/fuzz.mk, docs/fuzzing.md): each for FUZZ_TIME seconds, one
# after the other; FUZZ_MODE=short runs each briefly, as make test does.
FUZZ_TIME ?= 300
FUZZ_MODE ?= long
.PHONY: fuzz fuzz-guests
fuzz: libfdt
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk O=$(abspath build/fuzz) \
		LIBFDT_SRC=$(LIBFDT_SRC) FUZZ_TIME=$(FUZZ_TIME) FUZZ_MODE=$(FUZZ_MODE) report
	@if [ "$(FUZZ_MODE)" = long ]; then $(MAKE) --no-print-directory fuzz-guests; fi

# The guest-side fuzzer's long campaigns under tern (scripts/fuzz-guests.sh):
# FUZZ_GUEST_OPS operations (250000) for each of FUZZ_GUEST_SEEDS ("1 2 3 4"),
# per arch. make test runs short ones (tests/e2e, 10^4 operations).
fuzz-guests: deps
	@$(MAKE) --no-print-directory ARCH=arm64 O=build/arm64 all guests
	@$(MAKE) --no-print-directory ARCH=riscv O=build/riscv all guests
	@scripts/fuzz-guests.sh

e2e: deps
	@$(MAKE) --no-print-directory ARCH=arm64 O=build/arm64 all guests
	@$(MAKE) --no-print-directory ARCH=riscv O=build/riscv all guests
	@tests/e2e/make-dtbs.sh build/e2e/dtb
	@$(MAKE) --no-print-directory linux-guests
	@$(PYTHON) tests/e2e/run.py $(E2E_ARGS)

# --- benchmarks: instructions per operation under QEMU -icount (docs/bench.md)
# Both arches unless ARCH= is given on the command line.
BENCH_ARCHES := $(if $(filter command line,$(origin ARCH)),$(ARCH),arm64 riscv)
bench: deps
	@$(MAKE) --no-print-directory ARCH=arm64 O=build/arm64 all guests
	@$(MAKE) --no-print-directory ARCH=riscv O=build/riscv all guests
	@$(MAKE) --no-print-directory linux-guests
	@BASELINE="$(BASELINE)" scripts/bench.sh $(BENCH_ARCHES)

# --- Linux guests: built from Debian's packages, cached outside the checkout --
# build/linux/<arch> links to the cache so tests can name repository paths.
# riscv64: both kernel variants (SBI v2 and v0.1) and the C init, built
# once into the cache and copied here when they change.
LINUX_GUEST_arm64 := $(TERN_CACHE)/guests/arm64
linux-guests: linux-guests-arm64 linux-guests-riscv

linux-guests-arm64:
	@scripts/guest/fetch-debian-arm64.sh $(LINUX_GUEST_arm64)
	@mkdir -p build/linux
	@ln -sfn $(LINUX_GUEST_arm64) build/linux/arm64

linux-guests-riscv:
	@scripts/guest/riscv/build-kernel.sh base build/linux/riscv/Image >/dev/null
	@scripts/guest/riscv/build-kernel.sh v01 build/linux/riscv/Image-v01 >/dev/null
	@scripts/guest/riscv/mkinitramfs.sh build/linux/riscv/initramfs.cpio.gz >/dev/null
	@echo "guest riscv: ready in build/linux/riscv (Image, Image-v01, initramfs.cpio.gz)"

guests: check-cc libfdt
	@$(MAKE) --no-print-directory -f tests/guests/guests.mk ARCH=$(ARCH) \
		O=$(O)/guests CROSS_COMPILE=$(CROSS_COMPILE) LIBFDT_SRC=$(LIBFDT_SRC)

clean:
	rm -rf $(O)

distclean:
	rm -rf build
