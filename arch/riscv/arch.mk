# RISC-V (riscv64, HS-mode on top of SBI firmware).
#
# No F/D: tern itself never touches floating point, so a guest's FP state
# can be switched lazily (sstatus.FS) instead of on every trap.
# medany: tern runs wherever it is loaded, above 2 GiB on every board we know.
# -mno-relax (and --no-relax): linker relaxation would turn accesses into
# gp-relative ones; gp means nothing in tern's HS-mode, so there is no
# __global_pointer$ and no small-data sections (-msmall-data-limit=0) either.
# -mstrict-align: a misaligned access may trap to M-mode firmware, which
# emulates it slowly or not at all, depending on the hart.
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax \
	-msmall-data-limit=0 -mstrict-align
ARCH_LDFLAGS := --no-relax

# Entry, traps and the arch contract (include/tern/arch.h). pte.c, isa.c,
# trap_decode.c and unwind.c are pure C, also built for host unit tests.
arch-y := arch/riscv/head.S arch/riscv/vectors.S arch/riscv/trap.c \
	arch/riscv/trap_decode.c arch/riscv/backtrace.c arch/riscv/unwind.c \
	arch/riscv/pte.c arch/riscv/mmu.c arch/riscv/sbi.c arch/riscv/cpu.c \
	arch/riscv/isa.c

# Guests in VS-mode: the world switch, exits, vCPUs, G-stage, the guest's
# PLIC and timer, the host PLIC, and the SBI tern implements for guests
# (vsbi/, one file per extension).
arch-y += arch/riscv/guest_entry.S
arch-$(CONFIG_ARCH_HAS_GUESTS) += \
	arch/riscv/vcpu.c \
	arch/riscv/fence.c \
	arch/riscv/exit.c \
	arch/riscv/mmio_decode.c \
	arch/riscv/guest_mem.c \
	arch/riscv/guest_vm.c \
	arch/riscv/vmid.c \
	arch/riscv/timer.c \
	arch/riscv/plic.c \
	arch/riscv/vplic.c \
	arch/riscv/vplic_model.c \
	arch/riscv/vsbi/harts.c \
	arch/riscv/vsbi/base.c \
	arch/riscv/vsbi/legacy.c \
	arch/riscv/vsbi/time.c \
	arch/riscv/vsbi/ipi.c \
	arch/riscv/vsbi/rfence.c \
	arch/riscv/vsbi/hsm.c \
	arch/riscv/vsbi/srst.c \
	arch/riscv/vsbi/dbcn.c \
	arch/riscv/vsbi/sse.c \
	arch/riscv/vsbi/fwft.c \
	arch/riscv/sse_deliver.c
