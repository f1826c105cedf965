#!/usr/bin/env bash
# Build the initramfs of tern's riscv64 Linux test guest: a gzipped newc cpio
# holding /init (tests/guests/linux/riscv/init.c, static, glibc) and the
# directories it mounts on.
#
#   scripts/guest/riscv/mkinitramfs.sh [DEST]
#
# The archive lands in $TERN_CACHE/guests/riscv/initramfs-<hash>/
# initramfs.cpio.gz (<hash> covers init.c, these scripts and the toolchain
# versions); DEST, if given, gets a copy. The path of the cached archive is
# the last line on stdout.
#
# No root needed: the archive is written by the kernel's own usr/gen_init_cpio
# (built from Debian's linux-source-6.1), which describes device nodes, owners
# and modes in a spec file instead of needing them on disk. Timestamps are
# fixed and gzip stores no name or date, so the output is reproducible.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck source=SCRIPTDIR/common.sh
source "$here/common.sh"

[[ $# -le 1 ]] || { echo "usage: $0 [DEST]" >&2; exit 2; }
dest=${1:-}
init_c=$top/tests/guests/linux/riscv/init.c
[[ -f $init_c ]] || die "$init_c is missing"

need_packages gcc libc6-dev gcc-riscv64-linux-gnu libc6-dev-riscv64-cross \
	linux-source-6.1 xz-utils gzip

hash=$({
	cat "$init_c" "$here/mkinitramfs.sh" "$here/common.sh"
	dpkg-query -W -f='${Version}\n' gcc-riscv64-linux-gnu libc6-dev-riscv64-cross linux-source-6.1
} | sha256sum | cut -c1-12)
out=$GUEST_CACHE/initramfs-$hash

deliver() {
	if [[ -n $dest ]]; then
		mkdir -p "$(dirname "$dest")"
		# Unchanged files keep their date, so make sees nothing new.
		if ! cmp -s "$out/initramfs.cpio.gz" "$dest"; then
			cp -f "$out/initramfs.cpio.gz" "$dest"
			echo "copied to $dest" >&2
		fi
	fi
	echo "$out/initramfs.cpio.gz"
}

if [[ -f $out/initramfs.cpio.gz ]]; then
	echo "initramfs: cached" >&2
	deliver
	exit 0
fi
lock_cache initramfs
if [[ -f $out/initramfs.cpio.gz ]]; then deliver; exit 0; fi

# gen_init_cpio is a single C file with no dependencies: build it with the
# host compiler rather than require a configured kernel tree.
src=$(linux_source_dir)
tool=$GUEST_CACHE/tools/gen_init_cpio
if [[ ! -x $tool || $src/usr/gen_init_cpio.c -nt $tool ]]; then
	mkdir -p "${tool%/*}"
	gcc -O2 -o "$tool" "$src/usr/gen_init_cpio.c" || die "building gen_init_cpio failed"
fi

tmp=$(mktemp -d "$GUEST_CACHE/.initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# -s: no symbols, a smaller archive; -Werror: init.c stays warning-free.
"${CROSS_COMPILE}gcc" -static -O2 -s -Wall -Wextra -Werror -o "$tmp/init" "$init_c" ||
	die "compiling $init_c failed"

epoch=$(date -d "$(linux_source_date)" +%s)
# gen_init_cpio takes a regular file's mtime from the file itself.
touch -d "@$epoch" "$tmp/init"
# /dev/console: the kernel opens it for init's stdin/stdout/stderr before
# /init runs, from the initramfs (devtmpfs is mounted later, by init). The
# kernel's built-in default initramfs (CONFIG_BLK_DEV_INITRD with no
# INITRAMFS_SOURCE) already has it, but this archive should not depend on
# that; init mounts devtmpfs over /dev afterwards.
cat >"$tmp/spec" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /root 0700 0 0
file /init $tmp/init 0755 0 0
EOF
"$tool" -t "$epoch" "$tmp/spec" | gzip -9 -n >"$tmp/initramfs.cpio.gz"

mkdir -p "$tmp/out"
mv "$tmp/initramfs.cpio.gz" "$tmp/out/"
chmod 755 "$tmp/out"
rm -rf "$out"
mv "$tmp/out" "$out"
echo "initramfs: $out/initramfs.cpio.gz ($(stat -c %s "$out/initramfs.cpio.gz") bytes)" >&2
deliver
