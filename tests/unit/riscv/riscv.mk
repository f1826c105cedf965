# Host unit tests of the SBI tern offers RISC-V guests (arch/riscv/vsbi/),
# a second unit-test binary beside unit.mk's: the vsbi files need RISC-V's
# arch headers and a RISC-V config.h, not the host arch's, so they and the
# core files they call are built again here, with unit.mk's flags (gcc,
# -Werror, ASan, UBSan) and -Iarch/riscv/include. Their inline assembly
# sits only in static inline functions these files never call. What they
# call in the rest of arch/riscv is a recording double (doubles.c).
# Included by tests/unit/unit.mk, whose `build` builds $(RV_UNIT_BIN) and
# whose `run` runs it after $(O)/unit-tests (run-all.sh sums the two).
RV_O := $(O)/riscv-sbi
RV_UNIT_BIN := $(O)/unit-tests-sbi
RV_CONFIG := $(RV_O)/include/generated/config.h
RV_KCONFIG_ENV := KCONFIG_CONFIG=$(RV_O)/.config ARCH=riscv srctree=$(CURDIR)

# The real sources under test, and those they call that build as they are.
RV_UNIT_SRCS := $(wildcard arch/riscv/vsbi/*.c) core/fwcall.c core/vcpu.c core/event.c \
	core/spinlock.c core/cpu.c
RV_UNIT_TESTS := $(wildcard tests/unit/riscv/*.c) tests/unit/main.c
RV_UNIT_OBJS := $(patsubst %.c,$(RV_O)/%.o,$(RV_UNIT_SRCS) $(RV_UNIT_TESTS))

RV_CFLAGS := $(filter-out -Iarch/host/include -I$(O)/include -I$(LIBFDT_SRC) -DUNIT_DTB_DIR=%,\
	$(CFLAGS)) -Iarch/riscv/include -I$(RV_O)/include

build: $(RV_UNIT_BIN)

$(RV_UNIT_BIN): $(RV_UNIT_OBJS)
	$(HOSTCC) $(SAN) -o $@ $^

$(RV_O)/%.o: %.c $(RV_CONFIG) tests/unit/riscv/riscv.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(RV_CFLAGS) -c $< -o $@

$(RV_CONFIG): Kconfig arch/riscv/Kconfig platform/qemu-virt/riscv_defconfig
	@mkdir -p $(dir $@)
	$(RV_KCONFIG_ENV) $(PYTHON) -m defconfig --kconfig Kconfig \
		platform/qemu-virt/riscv_defconfig >/dev/null
	$(RV_KCONFIG_ENV) $(PYTHON) -m genconfig --header-path $@ Kconfig

-include $(RV_UNIT_OBJS:.o=.d)

# The remote-fence protocol (arch/riscv/fence.c) on real threads: a third
# binary, as the SBI tests above keep recording stand-ins of its functions.
# What fence.c calls outside itself is stood in for in the test file.
RV_FENCE_BIN := $(O)/unit-tests-fence
RV_FENCE_SRCS := arch/riscv/fence.c core/spinlock.c tests/unit/riscv/fence/test_fence.c \
	tests/unit/main.c
RV_FENCE_OBJS := $(patsubst %.c,$(RV_O)/fence/%.o,$(RV_FENCE_SRCS))

build: $(RV_FENCE_BIN)

$(RV_FENCE_BIN): $(RV_FENCE_OBJS)
	$(HOSTCC) $(SAN) -pthread -o $@ $^

$(RV_O)/fence/%.o: %.c $(RV_CONFIG) tests/unit/riscv/riscv.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(RV_CFLAGS) -c $< -o $@

-include $(RV_FENCE_OBJS:.o=.d)
