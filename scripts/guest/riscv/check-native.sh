#!/usr/bin/env bash
# Prove the riscv64 Linux guest images natively: boot them on QEMU virt with
# its default OpenSBI (no tern) and check that userspace prints its marker
# and that the guest powers the machine off by itself (QEMU exit status 0).
#
#   scripts/guest/riscv/check-native.sh [--icount]
#
# Builds what is missing first (build-kernel.sh, mkinitramfs.sh: cached).
# --icount adds a boot under -icount shift=0,sleep=off with one CPU and
# reports the guest's virtual time to the marker (printk clock).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$here/common.sh"

icount=0
case ${1:-} in
--icount) icount=1 ;;
"") ;;
*) echo "usage: $0 [--icount]" >&2; exit 2 ;;
esac

need_packages qemu-system-misc opensbi
base=$("$here/build-kernel.sh" base | tail -n1)
v01=$("$here/build-kernel.sh" v01 | tail -n1)
initrd=$("$here/mkinitramfs.sh" | tail -n1)
log_dir=$GUEST_CACHE/check
mkdir -p "$log_dir"

failed=0
# boot NAME TIMEOUT EXPECTED-CPUS IMAGE APPEND QEMU-ARGS...
boot() {
	local name=$1 timeout=$2 cpus=$3 image=$4 append=$5 rc start wall
	shift 5
	local log=$log_dir/$name.log
	local cmd=(qemu-system-riscv64 -M virt "$@" -nographic -no-reboot -monitor none
		-kernel "$image" -initrd "$initrd" -append "$append")
	echo "== $name"
	echo "   ${cmd[*]}"
	start=$(date +%s%N)
	rc=0
	timeout "$timeout" "${cmd[@]}" </dev/null >"$log" 2>&1 || rc=$?
	wall=$(( ($(date +%s%N) - start) / 1000000 ))
	tr -d '\r' <"$log" | grep -aE '^(TERN-GUEST|kmsg:)|reboot: Power down' | sed 's/^/   /' || true
	if [[ $rc -ne 0 ]]; then
		echo "FAIL $name: QEMU exit status $rc$([[ $rc -eq 124 ]] && echo " (timeout ${timeout}s)") (log: $log)"
		failed=1
	elif ! grep -aq "^TERN-GUEST-USERSPACE-OK cpus=$cpus kernel=" "$log"; then
		echo "FAIL $name: no 'TERN-GUEST-USERSPACE-OK cpus=$cpus' (log: $log)"
		failed=1
	else
		echo "PASS $name: exit status 0, ${wall} ms wall"
	fi
}

boot base 60 4 "$base" "console=ttyS0 tern.init=poweroff" -cpu rv64 -smp 4 -m 1G
boot base-nosstc 60 4 "$base" "console=ttyS0 tern.init=poweroff tern.grep=riscv-timer" \
	-cpu rv64,sstc=off -smp 4 -m 1G
boot v01-hvc0 60 4 "$v01" "console=hvc0 tern.init=poweroff tern.grep=SBI" -cpu rv64 -smp 4 -m 1G
if [[ $icount -eq 1 ]]; then
	# One CPU: with several, QEMU's round-robin icount scheduler lets a vCPU
	# that busy-waits for another (IPIs, remote fences in OpenSBI) spin for
	# a whole time slice, and the boot takes minutes (see the README).
	boot base-icount 120 1 "$base" "console=ttyS0 tern.init=poweroff" \
		-cpu rv64 -smp 1 -m 1G -icount shift=0,sleep=off
	echo "   virtual time to the marker: about $(tr -d '\r' <"$log_dir/base-icount.log" |
		sed -n 's/^\[ *\([0-9.]*\)\] reboot: Power down.*/\1/p') s after the timer started"
fi
if [[ $failed -ne 0 ]]; then
	echo "some native boots FAILED"
	exit 1
fi
echo "all native boots passed"
