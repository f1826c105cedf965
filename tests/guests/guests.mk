# tern's bare-metal test guests. Invoked by the top-level Makefile:
#   make -f tests/guests/guests.mk ARCH=arm64|riscv O=<outdir> \
#        CROSS_COMPILE=<prefix> LIBFDT_SRC=<libfdt sources>
#
# Every directory tests/guests/<name>/ other than lib/ is one guest: its *.c
# plus <name>/$(ARCH)/*.c, linked with the runtime in lib/, give
# $(O)/<name>.elf and $(O)/<name>.bin (a Linux Image for QEMU -kernel). A
# guest with nothing for an architecture is not built for it.

ARCH ?= arm64
O ?= build/$(ARCH)/guests
override O := $(abspath $(O))
CROSS_COMPILE ?=
LIBFDT_SRC ?= $(HOME)/.cache/tern/libfdt-6.1

CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
READELF := $(CROSS_COMPILE)readelf

G := tests/guests

# Guests run with the MMU off. arm64 then treats all data as Device memory,
# where unaligned accesses fault (-mstrict-align); FP/SIMD may trap at EL1
# and nothing needs it; outline atomics would call into a libgcc we do not
# link. RISC-V: no F/D for the same reason, medany for a high load address,
# no relaxation so nothing becomes relative to a gp we never set.
ARCH_CFLAGS_arm64 := -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics
ARCH_CFLAGS_riscv := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax \
	-msmall-data-limit=0 -mstrict-align
ARCH_LDFLAGS_riscv := --no-relax
RELATIVE_RELOC_arm64 := R_AARCH64_RELATIVE
RELATIVE_RELOC_riscv := R_RISCV_RELATIVE

ifeq ($(ARCH_CFLAGS_$(ARCH)),)
$(error guests.mk: ARCH=$(ARCH) is not supported: use ARCH=arm64 or ARCH=riscv)
endif

GCC_INCLUDE := $(shell $(CC) -print-file-name=include 2>/dev/null)
# -fno-tree-loop-distribute-patterns: core/string.c's loops must not be
# turned into calls to the very functions they implement.
COMMON_CFLAGS := -std=c11 -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
	-I$(G)/lib -I$(G)/lib/$(ARCH) -Iinclude -Iinclude/libc -I$(LIBFDT_SRC) \
	-O2 -g -fno-omit-frame-pointer -fno-stack-protector -fno-common -fpie \
	-fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-MMD -MP $(ARCH_CFLAGS_$(ARCH))
WARN_CFLAGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter
CFLAGS := $(COMMON_CFLAGS) $(WARN_CFLAGS)
LIBFDT_CFLAGS := $(COMMON_CFLAGS) -w
ASFLAGS := $(COMMON_CFLAGS) -D__ASSEMBLY__
LDFLAGS := -nostdlib -static -pie --no-dynamic-linker -z text -z norelro -z noexecstack \
	--gc-sections --build-id=none --no-warn-rwx-segments $(ARCH_LDFLAGS_$(ARCH))

# The runtime, tern's formatter and string functions (shared, not copied),
# and the part of libfdt a guest reads a DT with.
LIB_SRCS := $(wildcard $(G)/lib/*.c $(G)/lib/$(ARCH)/*.c $(G)/lib/$(ARCH)/*.S) \
	core/format.c core/string.c
LIBFDT_C := fdt.c fdt_ro.c fdt_addresses.c fdt_strerror.c
LIB_OBJS := $(addprefix $(O)/,$(addsuffix .o,$(basename $(LIB_SRCS)))) \
	$(addprefix $(O)/libfdt/,$(LIBFDT_C:.c=.o))

guest_srcs = $(wildcard $(G)/$(1)/*.c $(G)/$(1)/$(ARCH)/*.c $(G)/$(1)/$(ARCH)/*.S)
# lib/ is the runtime; linux/ holds the Linux guests' userspace, built by scripts/guest/.
GUEST_DIRS := $(filter-out lib linux,$(patsubst $(G)/%/,%,$(sort $(dir $(wildcard $(G)/*/)))))
GUESTS := $(foreach g,$(GUEST_DIRS),$(if $(call guest_srcs,$(g)),$(g)))
ALL_OBJS := $(LIB_OBJS) $(foreach g,$(GUESTS),\
	$(addprefix $(O)/,$(addsuffix .o,$(basename $(call guest_srcs,$(g))))))

.PHONY: all clean
# Keep the .elf (debugging, symbols) though it is only a step to the .bin.
.SECONDARY:
all: $(addprefix $(O)/,$(addsuffix .bin,$(GUESTS)))

# New flags must rebuild everything.
$(ALL_OBJS): $(G)/guests.mk

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(O)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c $< -o $@

$(O)/libfdt/%.o: $(LIBFDT_SRC)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LIBFDT_CFLAGS) -c $< -o $@

# Second expansion: a guest's objects are only known from its name.
.SECONDEXPANSION:
# The entry code applies only RELATIVE relocations: refuse an image that
# needs any other kind rather than boot it half relocated.
$(O)/%.elf: $$(addprefix $(O)/,$$(addsuffix .o,$$(basename $$(call guest_srcs,$$*)))) \
		$(LIB_OBJS) $(G)/lib/guest.ld
	$(LD) $(LDFLAGS) -T $(G)/lib/guest.ld -Map $(O)/$*.map -o $@ $(filter %.o,$^)
	@if $(READELF) -rW $@ | awk 'NF >= 3 && $$1 ~ /^[0-9a-f]+$$/ && $$3 != "$(RELATIVE_RELOC_$(ARCH))"' \
		| grep -q .; then \
		echo "error: $@ needs relocations other than $(RELATIVE_RELOC_$(ARCH)):"; \
		$(READELF) -rW $@; rm -f $@; exit 1; fi

$(O)/%.bin: $(O)/%.elf
	$(OBJCOPY) -O binary $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"

clean:
	rm -rf $(O)

-include $(ALL_OBJS:.o=.d)
