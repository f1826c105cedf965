#!/usr/bin/env bash
# Extract libfdt's sources from Debian's linux-source-6.1 into a cache
# directory outside the checkout. tern compiles them per target; they are
# never copied into git.
set -euo pipefail
dest=${1:?usage: fetch-libfdt.sh DEST}
tarball=/usr/src/linux-source-6.1.tar.xz
if [[ ! -f $tarball ]]; then
	echo "error: $tarball not found: apt-get install linux-source-6.1 (or run 'make deps')" >&2
	exit 1
fi
tmp=$(mktemp -d "${dest%/*}/libfdt.XXXXXX" 2>/dev/null || { mkdir -p "${dest%/*}"; mktemp -d "${dest%/*}/libfdt.XXXXXX"; })
trap 'rm -rf "$tmp"' EXIT
echo "libfdt: extracting from $tarball"
tar -xJf "$tarball" -C "$tmp" --wildcards 'linux-source-6.1/scripts/dtc/libfdt/*'
rm -rf "$dest"
mv "$tmp/linux-source-6.1/scripts/dtc/libfdt" "$dest"
touch "$dest/.extracted"
