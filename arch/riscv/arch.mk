# RISC-V (riscv64, HS-mode on top of SBI firmware).
#
# No F/D: tern itself never touches floating point, so a guest's FP state can
# be switched lazily (sstatus.FS) instead of on every trap. medany because
# tern runs wherever it is loaded (above 2 GiB on every board we know).
# -mno-relax in both steps: linker relaxation would turn accesses into
# gp-relative ones, and tern does not set up (or give gp any meaning) in
# HS-mode; keeping gp free also avoids a __global_pointer$ in the image.
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax \
	-msmall-data-limit=0 -mstrict-align
ARCH_LDFLAGS := --no-relax

arch-y := arch/riscv/head.S arch/riscv/vectors.S arch/riscv/trap.c arch/riscv/trap_decode.c \
	arch/riscv/backtrace.c arch/riscv/unwind.c arch/riscv/pte.c arch/riscv/mmu.c arch/riscv/sbi.c \
	arch/riscv/cpu.c arch/riscv/isa.c
