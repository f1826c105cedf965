#!/usr/bin/env bash
# Install the Debian packages that building, running and testing tern need.
# As root it installs what is missing; otherwise it prints the exact
# apt-get line and fails. Quick when everything is present.
set -euo pipefail

packages=(
	make gcc libc6-dev                       # host unit tests
	clang libclang-rt-14-dev                 # fuzzers: libFuzzer, ASan, UBSan (a Recommends of clang)
	gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu
	qemu-system-arm qemu-system-misc opensbi u-boot-qemu
	ipxe-qemu                                # the ROM of the virt board's default NIC
	device-tree-compiler python3 python3-kconfiglib
	linux-source-6.1 xz-utils cpio flex bison bc
	gdb-multiarch
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
	echo "tern needs these Debian packages: ${missing[*]}" >&2
	echo "run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
