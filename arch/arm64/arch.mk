# arm64: tern runs at EL2 (non-VHE) on ARMv8.0 and later.
#
# -mstrict-align: core C runs with the MMU off before tern's tables exist,
#   when every data access is Device memory and an unaligned one faults.
# -mgeneral-regs-only: tern never touches FP/SIMD registers, so guest FP
#   state can be switched lazily.
# -mno-outline-atomics: C11 atomics become inline LL/SC instead of calls
#   into libgcc helpers, which a freestanding tern does not link.
# No unwind tables: backtraces walk frame pointers, and .eh_frame would
#   only add size.
ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fno-asynchronous-unwind-tables -fno-unwind-tables
# One 4 KiB page per region boundary, not 64 KiB segment alignment.
ARCH_LDFLAGS := -z max-page-size=4096 -z common-page-size=4096

arch-y := \
	arch/arm64/head.S \
	arch/arm64/vectors.S \
	arch/arm64/smccc.S \
	arch/arm64/trap.c \
	arch/arm64/esr_decode.c \
	arch/arm64/backtrace.c \
	arch/arm64/frame_walk.c \
	arch/arm64/cpu.c \
	arch/arm64/mmu.c \
	arch/arm64/pte.c \
	arch/arm64/psci.c \
	arch/arm64/irq.c \
	arch/arm64/guest_entry.S

# Guests at EL1: the world switch above is always linked (the lower-EL
# vectors lead there); the rest once the arch offers guests (Kconfig).
arch-$(CONFIG_ARCH_HAS_GUESTS) += \
	arch/arm64/vcpu.c \
	arch/arm64/exit.c \
	arch/arm64/inject.c \
	arch/arm64/sysreg_trap.c \
	arch/arm64/id_regs.c \
	arch/arm64/mmio_decode.c \
	arch/arm64/stage2.c \
	arch/arm64/guest_dt.c \
	arch/arm64/guest_irq.c \
	arch/arm64/guest_image.c \
	arch/arm64/idle.c \
	arch/arm64/debug_regs.c \
	arch/arm64/sdei_deliver.c

# Interrupts and time for guests: the physical GIC driver (arm64-only, so
# listed here rather than as a Kconfig driver), the vGIC and its pure
# register models, the guests' virtual timer and tern's own EL2 timer.
arch-$(CONFIG_ARCH_HAS_GUESTS) += \
	drivers/irqchip/gic.c \
	drivers/irqchip/gicv3.c \
	drivers/irqchip/gicv2.c \
	arch/arm64/vgic.c \
	arch/arm64/vgic_v3.c \
	arch/arm64/vgic_v2.c \
	arch/arm64/vgic_model.c \
	arch/arm64/vgic_lr.c \
	arch/arm64/vgic_route.c \
	arch/arm64/vgic_regs.c \
	arch/arm64/vgic_v3_regs.c \
	arch/arm64/vgic_v2_regs.c \
	arch/arm64/vtimer.c \
	arch/arm64/vtimer_line.c \
	arch/arm64/ptimer.c \
	arch/arm64/hyp_timer.c
