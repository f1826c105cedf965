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
	arch/arm64/irq.c
