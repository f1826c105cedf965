#!/usr/bin/env bash
# Tests of the build itself: out-of-tree builds, the image headers QEMU and
# U-Boot look for, Kconfig round trips, and a clear error for a missing
# cross compiler, and `make run` with its guest variables. One PASS/FAIL line
# per test, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
make=${MAKE:-make}

result() { # name, status (0 = pass), detail
	if [[ $2 -eq 0 ]]; then
		echo "PASS build/$1"; pass=$((pass + 1))
	else
		echo "FAIL build/$1"; [[ -n ${3:-} ]] && sed 's/^/  /' <<<"$3" | tail -n 15
		fail=$((fail + 1))
	fi
}

# Bytes at an offset of a file, as hex.
hexat() { od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }

for arch in arm64 riscv; do
	out="$tmp/out-$arch"
	before=$(git status --porcelain --untracked-files=all 2>/dev/null | grep -v '^?? build/' | sort)
	log=$("$make" --no-print-directory ARCH=$arch O="$out" 2>&1)
	rc=$?
	after=$(git status --porcelain --untracked-files=all 2>/dev/null | grep -v '^?? build/' | sort)
	[[ $rc -eq 0 && -f "$out/tern.bin" && -f "$out/tern.elf" && -f "$out/tern.map" && "$before" == "$after" ]]
	result "$arch-out-of-tree" $? "$log"

	# The Linux image header: arm64 "ARM\x64" at 56; RISC-V "RSC\x05" at 56.
	want=$([[ $arch == arm64 ]] && echo 41524d64 || echo 52534305)
	got=$(hexat "$out/tern.bin" 56 4 2>/dev/null)
	[[ $got == "$want" ]]
	result "$arch-image-magic" $? "magic at 56: $got, want $want"

	# image_size (offset 16) covers the whole image including bss.
	size_le=$(hexat "$out/tern.bin" 16 8 2>/dev/null)
	size=$((16#$(echo "$size_le" | sed 's/\(..\)/\1 /g' | awk '{for(i=NF;i>0;i--) printf $i}')))
	filesz=$(stat -c %s "$out/tern.bin" 2>/dev/null || echo 0)
	[[ $size -ge $filesz && $((size % 4096)) -eq 0 ]]
	result "$arch-image-size" $? "image_size $size, file $filesz"

	# savedefconfig then defconfig from it gives the same configuration.
	"$make" --no-print-directory ARCH=$arch O="$out" savedefconfig >/dev/null 2>&1 &&
		cp "$out/.config" "$tmp/config.before" &&
		cp "$out/defconfig" "$tmp/$arch.saved" &&
		KCONFIG_CONFIG="$out/.config" ARCH=$arch srctree=$PWD ${PYTHON:-/usr/bin/python3} \
			-m defconfig --kconfig Kconfig "$tmp/$arch.saved" >/dev/null 2>&1 &&
		diff <(grep -v '^#' "$tmp/config.before") <(grep -v '^#' "$out/.config") >/dev/null
	result "$arch-savedefconfig-roundtrip" $?
done

log=$("$make" --no-print-directory ARCH=arm64 O="$tmp/nocc" CROSS_COMPILE=/nonexistent/aarch64-none- 2>&1)
rc=$?
[[ $rc -ne 0 ]] && grep -q "apt-get install gcc-aarch64-linux-gnu" <<<"$log"
result "missing-cross-compiler-names-package" $? "$log"

log=$("$make" --no-print-directory ARCH=sparc O="$tmp/sparc" 2>&1)
[[ $? -ne 0 ]] && grep -q "ARCH=sparc is not supported" <<<"$log"
result "unknown-arch-is-an-error" $? "$log"

# `make run` as a user runs it, non-interactively: Debian's kernel boots
# under tern and the guest's poweroff ends QEMU (and make) with status 0.
log=$(timeout 300 "$make" --no-print-directory run SMP=2 VCPUS=2 MEM=1G \
	GUEST_CMDLINE="console=ttyAMA0 tern.init=poweroff" </dev/null 2>&1)
rc=$?
[[ $rc -eq 0 ]] && grep -q "^TERN-GUEST-USERSPACE-OK cpus=2 " <<<"$log" &&
	grep -q "^tern: every VM has stopped" <<<"$log"
result "make-run-arm64-linux-poweroff" $? "exit $rc"$'\n'"$log"

# The first run builds the riscv kernels (about 4 minutes each on 2 cores).
log=$(timeout 1800 "$make" --no-print-directory run ARCH=riscv SMP=2 VCPUS=2 MEM=1G \
	GUEST_CMDLINE="console=ttyS0 tern.init=poweroff" </dev/null 2>&1)
rc=$?
[[ $rc -eq 0 ]] && grep -q "^TERN-GUEST-USERSPACE-OK cpus=2 " <<<"$log" &&
	grep -q "^tern: every VM has stopped" <<<"$log"
result "make-run-riscv-linux-poweroff" $? "exit $rc"$'\n'"$log"

log=$("$make" --no-print-directory run GUEST_KERNEL="$tmp/no-such-Image" </dev/null 2>&1)
[[ $? -ne 0 ]] && grep -q "GUEST_KERNEL=$tmp/no-such-Image: no such file" <<<"$log"
result "make-run-missing-guest-kernel" $? "$log"

log=$("$make" --no-print-directory run MEM=lots </dev/null 2>&1)
[[ $? -ne 0 ]] && grep -q "MEM=lots is not a size" <<<"$log"
result "make-run-bad-mem" $? "$log"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
