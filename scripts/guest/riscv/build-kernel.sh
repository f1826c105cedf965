#!/usr/bin/env bash
# Build tern's riscv64 Linux test guest kernel from Debian's unmodified
# linux-source-6.1 and cache it outside the checkout.
#
#   scripts/guest/riscv/build-kernel.sh [base|v01] [DEST]
#
# base: tinyconfig + tests/guests/linux/riscv/base.config (console=ttyS0)
# v01:  the same + v01.config (legacy SBI v0.1 calls, console=hvc0)
#
# The Image lands in $TERN_CACHE/guests/riscv/<variant>-<hash>/Image, where
# <hash> covers the fragments, these scripts and the Debian source version:
# a second run with nothing changed is instant. DEST, if given, gets a copy
# (e.g. build/riscv/linux/base/Image for the e2e manifest). The path of the
# cached Image is the last line on stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$here/common.sh"

usage() { echo "usage: $0 [base|v01] [DEST]" >&2; exit 2; }
[[ $# -le 2 ]] || usage
variant=${1:-base}
dest=${2:-}
frag_dir=$top/tests/guests/linux/riscv
case $variant in
base) fragments=("$frag_dir/base.config") ;;
v01) fragments=("$frag_dir/base.config" "$frag_dir/v01.config") ;;
*) usage ;;
esac
for f in "${fragments[@]}"; do [[ -f $f ]] || die "config fragment $f is missing"; done

# Host side of a kernel build: make and gcc for the host tools (kconfig,
# fixdep, ...), flex and bison for the kconfig parser, bc for timeconst.h.
# No libssl-dev (no module signing, no trusted keys) and no libelf-dev
# (riscv has no objtool in 6.1, and there is no BTF) with these fragments.
need_packages make gcc libc6-dev flex bison bc xz-utils linux-source-6.1 gcc-riscv64-linux-gnu

hash=$({
	linux_source_version
	cat "${fragments[@]}" "$here/build-kernel.sh" "$here/common.sh"
} | sha256sum | cut -c1-12)
out=$GUEST_CACHE/$variant-$hash

deliver() {
	if [[ -n $dest ]]; then
		mkdir -p "$(dirname "$dest")"
		# Unchanged files keep their date, so make sees nothing new.
		if ! cmp -s "$out/Image" "$dest"; then
			cp -f "$out/Image" "$dest"
			echo "copied to $dest" >&2
		fi
	fi
	echo "$out/Image"
}

if [[ -f $out/Image ]]; then
	echo "kernel $variant: cached" >&2
	deliver
	exit 0
fi
lock_cache "kernel-$variant"
# Another run may have built it while we waited for the lock.
if [[ -f $out/Image ]]; then deliver; exit 0; fi

src=$(linux_source_dir)
# One object directory per variant, kept between runs so that a changed
# fragment rebuilds incrementally. It belongs to one source tree: start over
# when the Debian source version changed.
obj=$GUEST_CACHE/obj-$variant
if [[ ! -f $obj/.tern-src || $(cat "$obj/.tern-src") != "$src" ]]; then
	rm -rf "$obj"
	mkdir -p "$obj"
	echo "$src" >"$obj/.tern-src"
fi
log=$GUEST_CACHE/build-$variant.log
: >"$log"

# Fixed user, host and date make the build reproducible (they end up in
# `uname -v` and in the built-in initramfs).
build_date=$(linux_source_date)
kmake() {
	make -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE="$CROSS_COMPILE" \
		KBUILD_BUILD_USER=tern KBUILD_BUILD_HOST=tern \
		KBUILD_BUILD_TIMESTAMP="$build_date" "$@" >>"$log" 2>&1 ||
		{ tail -n 40 "$log" >&2; die "kernel $variant: 'make $*' failed (full log: $log)"; }
}

echo "kernel $variant: configuring (tinyconfig + ${fragments[*]##*/})" >&2
kmake tinyconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${fragments[@]}" >>"$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; die "merge_config.sh failed (log: $log)"; }
kmake olddefconfig

# Kconfig silently drops what it cannot honour (an unmet dependency, a typo):
# check that every line of every fragment made it, the last fragment winning.
declare -A want=()
order=()
for f in "${fragments[@]}"; do
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=.*$ ]]; then
			sym=${BASH_REMATCH[1]}
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
		else
			continue
		fi
		[[ -v want[$sym] ]] || order+=("$sym")
		want[$sym]=$line
	done <"$f"
done
bad=0
for sym in "${order[@]}"; do
	line=${want[$sym]}
	got=$(grep -E "^$sym=|^# $sym is not set$" "$obj/.config" || true)
	if [[ $line == "# "* ]]; then
		# Not set: absent from .config (dependencies unmet) is as good.
		[[ -z $got || $got == "$line" ]] && continue
	else
		[[ $got == "$line" ]] && continue
	fi
	echo "kernel $variant: asked '$line', got '${got:-nothing (a dependency is not met)}'" >&2
	bad=1
done
[[ $bad -eq 0 ]] || die "kernel $variant: the config does not match the fragments (see $obj/.config)"

echo "kernel $variant: building Image with -j$(nproc) (log: $log)" >&2
start=$SECONDS
kmake -j"$(nproc)" Image
echo "kernel $variant: built in $((SECONDS - start)) s" >&2

tmp=$(mktemp -d "$GUEST_CACHE/.out.XXXXXX")
cp "$obj/arch/riscv/boot/Image" "$tmp/Image"
cp "$obj/.config" "$tmp/config"
chmod 755 "$tmp"
rm -rf "$out"
mv "$tmp" "$out"
echo "kernel $variant: $out/Image ($(stat -c %s "$out/Image") bytes)" >&2
deliver
