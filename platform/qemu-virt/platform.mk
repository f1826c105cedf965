# QEMU virt: the few facts a device tree cannot give, and how to run it.
# Everything about devices and memory comes from the DTB QEMU passes.
QEMU_MACHINE_arm64 = virt,virtualization=on,gic-version=$(GIC)
QEMU_MACHINE_riscv = virt
# pauth-impdef=on: every feature of -cpu max, with a pointer-authentication
# algorithm QEMU emulates 2-4x faster (Linux boots that much sooner).
comma := ,
QEMU_CPU_arm64 = $(or $(CPU),max$(comma)pauth-impdef=on)
QEMU_CPU_riscv = $(or $(CPU),rv64)
