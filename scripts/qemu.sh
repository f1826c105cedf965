#!/usr/bin/env bash
# Run tern on QEMU, as `make run`, `make debug` and `make gdb` do.
#   scripts/qemu.sh run|debug|gdb
# Environment (from the Makefile): ARCH O SMP MEM GIC CPU QEMU_MACHINE
# QEMU_CPU QEMU_ARGS APPEND BIOS. The command line is printed before it runs.
set -euo pipefail
mode=${1:?usage: qemu.sh run|debug|gdb}
: "${ARCH:=arm64}" "${O:=build/$ARCH}" "${SMP:=4}" "${MEM:=2G}"

case $ARCH in
arm64) qemu=qemu-system-aarch64 ;;
riscv) qemu=qemu-system-riscv64 ;;
*) echo "qemu.sh: unknown ARCH=$ARCH" >&2; exit 2 ;;
esac

if [[ $mode == gdb ]]; then
	# Symbols match without an offset: tern is linked where QEMU loads it.
	exec gdb-multiarch -q "$O/tern.elf" -ex "target remote localhost:${GDB_PORT:-1234}"
fi

args=(-M "$QEMU_MACHINE" -cpu "$QEMU_CPU" -smp "$SMP" -m "$MEM" -nographic -kernel "$O/tern.bin")
[[ -n ${BIOS:-} ]] && args+=(-bios "$BIOS")
[[ -n ${APPEND:-} ]] && args+=(-append "$APPEND")
# shellcheck disable=SC2206 # QEMU_ARGS is deliberately word-split
[[ -n ${QEMU_ARGS:-} ]] && args+=($QEMU_ARGS)
if [[ $mode == debug ]]; then
	args+=(-gdb "tcp::${GDB_PORT:-1234}" -S)
	echo "QEMU waits for a debugger: run 'make gdb ARCH=$ARCH' in another terminal."
fi
echo "$qemu ${args[*]}"
[[ -t 0 ]] && echo "(quit QEMU with Ctrl-A X)"
exec "$qemu" "${args[@]}"
