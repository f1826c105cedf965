#!/usr/bin/env bash
# Broken host device trees for tern's bad-input tests, made from the DTB this
# machine's QEMU generates (so they match its board), with dtc's fdtput.
#   tests/e2e/make-dtbs.sh OUTDIR
# RISC-V only: QEMU's arm virt board rewrites /memory of a user DTB, and on
# arm64 a tree without a console leaves tern no way to speak at all.
set -euo pipefail
out=${1:?usage: make-dtbs.sh OUTDIR}
mkdir -p "$out"
base=$out/riscv-virt-smp2.dtb
qemu-system-riscv64 -M virt,dumpdtb="$base" -cpu rv64 -smp 2 -m 1G -display none >/dev/null 2>&1

cp "$base" "$out/riscv-no-memory.dtb"
fdtput -r "$out/riscv-no-memory.dtb" /memory@80000000

cp "$base" "$out/riscv-no-stdout.dtb"
fdtput -d "$out/riscv-no-stdout.dtb" /chosen stdout-path
