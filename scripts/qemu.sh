#!/usr/bin/env bash
# Run tern on QEMU, as `make run`, `make debug` and `make gdb` do.
#   scripts/qemu.sh run|debug|gdb
# Environment (from the Makefile): ARCH O SMP MEM GIC CPU QEMU_MACHINE
# QEMU_CPU QEMU_ARGS APPEND BIOS, and the guest: GUEST_KERNEL GUEST_INITRD
# GUEST_CMDLINE GUEST_DTB GUEST_MEM VCPUS SBI GUEST_DEFAULT (the directory of
# the arch's default guest, used when GUEST_KERNEL is empty). The guest goes
# into a bundle, tern's initrd. The command line is printed before it runs.
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

die() { echo "qemu.sh: $*" >&2; exit 1; }

# mib SIZE: QEMU's -m size (a number of MiB, or with a K/M/G/T suffix) in MiB.
mib() {
	local v=${1^^}
	case $v in
	*[0-9]) echo "$v" ;;
	*K | *KB) echo $((${v%%K*} / 1024)) ;;
	*M | *MB) echo "${v%%M*}" ;;
	*G | *GB) echo $((${v%%G*} * 1024)) ;;
	*T | *TB) echo $((${v%%T*} * 1024 * 1024)) ;;
	*) die "MEM=$1 is not a size QEMU's -m takes (e.g. 2G, 512M)" ;;
	esac
}

# The guest bundle: GUEST_KERNEL, or the arch's default guest.
bundle=
# The riscv kernel built for SBI v0.1 has its console on SBI (hvc0).
if [[ -z ${GUEST_KERNEL:-} && -n ${GUEST_DEFAULT:-} ]]; then
	GUEST_KERNEL=$GUEST_DEFAULT/Image
	[[ $ARCH == riscv && ${SBI:-} == v0.1 ]] && GUEST_KERNEL=$GUEST_DEFAULT/Image-v01
	GUEST_INITRD=${GUEST_INITRD:-$GUEST_DEFAULT/initramfs.cpio.gz}
	case $ARCH/${SBI:-} in
	arm64/*) : "${GUEST_CMDLINE:=console=ttyAMA0}" ;;
	riscv/v0.1) : "${GUEST_CMDLINE:=console=hvc0}" ;;
	*) : "${GUEST_CMDLINE:=console=ttyS0}" ;;
	esac
fi
if [[ -n ${GUEST_KERNEL:-} ]]; then
	for f in GUEST_KERNEL GUEST_INITRD GUEST_DTB; do
		[[ -z ${!f:-} || -f ${!f} ]] || die "$f=${!f}: no such file"
	done
	[[ ${MEM:-} =~ ^[0-9]+[KkMmGgTt]?[Bb]?$ ]] || die "MEM=$MEM is not a size QEMU's -m takes (e.g. 2G, 512M)"
	host_mib=$(mib "$MEM")
	# Half of the board's memory unless told: tern keeps the bundle and its
	# own pages in the rest.
	guest_mem=${GUEST_MEM:-$((host_mib / 2))M}
	bundle=$O/bundle.cpio
	# The VM is named after its kernel file, as tern's messages will say.
	name=$(basename "$GUEST_KERNEL")
	name=${name%%.*}
	name=${name//[^A-Za-z0-9._-]/_}
	name=${name:0:15}
	mk=(scripts/mkbundle.sh -o "$bundle" --kernel "$GUEST_KERNEL" --vcpus "${VCPUS:-$SMP}"
		--memory "$guest_mem" --name "${name:-guest}")
	[[ -n ${GUEST_INITRD:-} ]] && mk+=(--initrd "$GUEST_INITRD")
	[[ -n ${GUEST_DTB:-} ]] && mk+=(--dtb "$GUEST_DTB")
	[[ -n ${GUEST_CMDLINE:-} ]] && mk+=(--cmdline "$GUEST_CMDLINE")
	[[ -n ${SBI:-} ]] && mk+=(--sbi "$SBI")
	"${mk[@]}" >&2
fi

args=(-M "$QEMU_MACHINE" -cpu "$QEMU_CPU" -smp "$SMP" -m "$MEM" -nographic -kernel "$O/tern.bin")
[[ -n $bundle ]] && args+=(-initrd "$bundle")
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
