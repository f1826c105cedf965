# Host unit tests of core/ (and pure logic from arch/ and drivers/), built
# with the host gcc, AddressSanitizer and UndefinedBehaviorSanitizer against
# the C-only host arch. Invoked by the top-level Makefile:
#   make -f tests/unit/unit.mk O=build/host LIBFDT_SRC=... run
O ?= build/host
HOSTCC ?= gcc
PYTHON ?= python3
KCONFIG_ENV := KCONFIG_CONFIG=$(O)/.config ARCH=host srctree=$(CURDIR)

# core/ files that hold logic (not boot glue) and the tests of them.
UNIT_CORE := core/format.c core/platform_fdt.c core/page_alloc.c core/pgtable.c core/mmio.c \
	core/fwcall.c core/fw/smccc_arch.c core/fw/psci.c core/fw/tern_vendor.c core/vcpu.c core/cpu.c \
	core/spinlock.c core/errno.c core/bootargs.c core/bundle.c core/vm_config.c \
	core/guest_loader.c core/guest_dt.c core/vuart_pl011.c core/vuart_ns16550.c core/fw/sdei.c core/event.c \
	core/vuart.c core/vm.c core/sched.c core/vcpu_run.c core/printk.c
UNIT_ARCH := arch/host/host.c arch/host/guest.c arch/host/image.c arch/arm64/pte.c arch/arm64/esr_decode.c arch/arm64/frame_walk.c \
	arch/riscv/pte.c arch/riscv/isa.c arch/riscv/trap_decode.c arch/riscv/unwind.c \
	arch/arm64/vgic_model.c arch/arm64/vgic_lr.c arch/arm64/vgic_route.c \
	arch/arm64/vgic_regs.c arch/arm64/vgic_v3_regs.c arch/arm64/vgic_v2_regs.c \
	arch/arm64/vtimer_line.c arch/arm64/mmio_decode.c arch/arm64/id_regs.c \
	arch/riscv/mmio_decode.c arch/riscv/vplic_model.c arch/riscv/vmid.c
UNIT_TESTS := $(wildcard tests/unit/test_*.c) tests/unit/main.c
LIBFDT_C := fdt.c fdt_ro.c fdt_wip.c fdt_sw.c fdt_rw.c fdt_strerror.c fdt_addresses.c
DTS := $(wildcard tests/unit/dts/*.dts)
DTBS := $(patsubst tests/unit/dts/%.dts,$(O)/dtb/%.dtb,$(DTS))

SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
CFLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter $(SAN) \
	-Iinclude -Iarch/host/include -I$(O)/include -I$(LIBFDT_SRC) -MMD -MP \
	-DUNIT_DTB_DIR='"$(O)/dtb"'

OBJS := $(patsubst %.c,$(O)/%.o,$(UNIT_CORE) $(UNIT_ARCH) $(UNIT_TESTS)) \
	$(patsubst %.c,$(O)/libfdt/%.o,$(LIBFDT_C))

.PHONY: run build
# The three binaries, and one summary line of their sums (scripts/test.sh counts it).
run: build
	@sh tests/unit/riscv/run-all.sh $(O)/unit-tests $(RV_UNIT_BIN) $(RV_FENCE_BIN)

build: $(O)/unit-tests $(DTBS)

$(O)/.config:
	@mkdir -p $(O)
	$(KCONFIG_ENV) $(PYTHON) -m alldefconfig Kconfig >/dev/null

$(O)/include/generated/config.h: $(O)/.config
	@mkdir -p $(dir $@)
	$(KCONFIG_ENV) $(PYTHON) -m genconfig --header-path $@ Kconfig

$(O)/unit-tests: $(OBJS)
	$(HOSTCC) $(SAN) -pthread -o $@ $^

$(O)/%.o: %.c $(O)/include/generated/config.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CFLAGS) -c $< -o $@

$(O)/libfdt/%.o: $(LIBFDT_SRC)/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(filter-out -Werror -Wall -Wextra,$(CFLAGS)) -w -c $< -o $@

$(O)/dtb/%.dtb: tests/unit/dts/%.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

-include $(OBJS:.o=.d)

# The SBI of RISC-V guests (arch/riscv/vsbi/), built against RISC-V's arch
# headers: a second binary, $(RV_UNIT_BIN).
include tests/unit/riscv/riscv.mk

# Real device trees from this machine's QEMU, made at test time (not kept in
# git): the parser is checked against what the boards really pass.
QEMU_DTBS := $(O)/dtb/qemu-arm64-gicv3.dtb $(O)/dtb/qemu-arm64-gicv2.dtb $(O)/dtb/qemu-riscv64.dtb
build: $(QEMU_DTBS)
$(O)/dtb/qemu-arm64-gicv3.dtb:
	@mkdir -p $(dir $@)
	qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,dumpdtb=$@ -cpu max -smp 4 -m 2G -display none >/dev/null 2>&1
$(O)/dtb/qemu-arm64-gicv2.dtb:
	@mkdir -p $(dir $@)
	qemu-system-aarch64 -M virt,virtualization=on,gic-version=2,dumpdtb=$@ -cpu cortex-a53 -smp 2 -m 1G -display none >/dev/null 2>&1
$(O)/dtb/qemu-riscv64.dtb:
	@mkdir -p $(dir $@)
	qemu-system-riscv64 -M virt,dumpdtb=$@ -cpu rv64 -smp 4 -m 2G -display none >/dev/null 2>&1
