#!/usr/bin/env bash
# Build the initramfs of tern's Linux test guests: a gzip'd newc cpio holding a
# static busybox, the applet links /init needs, a /dev/console node, and /init.
#
#   mkinitramfs-busybox.sh BUSYBOX INIT OUT.cpio.gz
#
# BUSYBOX is a statically linked busybox for the guest's arch (Debian's
# busybox-static, extracted by fetch-debian-arm64.sh); INIT is the script that
# runs as PID 1 (tests/guests/linux/arm64/init). Works without root: the
# archive is written by mkcpio.py, which needs no mknod. The output is
# reproducible: same inputs, same bytes (fixed owner, mtime and order; gzip -n).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ $# -ne 3 ]]; then
	echo "usage: $0 BUSYBOX INIT OUT.cpio.gz" >&2
	exit 2
fi
busybox=$1 init=$2 out=$3
for f in "$busybox" "$init"; do
	if [[ ! -f $f ]]; then
		echo "mkinitramfs: $f not found" >&2
		exit 1
	fi
done
# The Makefile prefers Debian's python3 (a pyenv or venv one may shadow it);
# mkcpio.py needs only the standard library, so any python3 will do.
python=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3 || true)}
if [[ -z $python ]]; then
	echo "mkinitramfs: python3 not found: apt-get install python3 (or run 'make deps')" >&2
	exit 1
fi
if ! command -v gzip >/dev/null; then
	echo "mkinitramfs: gzip not found: apt-get install gzip" >&2
	exit 1
fi

# What /init itself runs before anything else exists (for the interactive
# shell it adds every other applet with 'busybox --install -s').
applets=(sh cat cttyhack dmesg grep mount nproc poweroff reboot sed setsid sleep uname)

# Permissions end up in the archive: make them independent of the caller.
umask 022
stage=$(mktemp -d "${TMPDIR:-/tmp}/tern-initramfs.XXXXXX")
trap 'rm -rf "$stage" "$out.tmp"' EXIT
# Everything the kernel or /init mounts on or writes to must exist as a
# directory; sbin and usr/* are where 'busybox --install' puts links.
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,run}
chmod 1777 "$stage/tmp"
chmod 700 "$stage/root"
install -m 755 "$busybox" "$stage/bin/busybox"
install -m 755 "$init" "$stage/init"
for a in "${applets[@]}"; do
	ln -s busybox "$stage/bin/$a"
done

# /dev/console (char 5:1) lets the kernel open init's stdin/stdout/stderr
# before any devtmpfs is mounted; without it the kernel warns "unable to open
# an initial console" and init starts with no output until it mounts /dev.
"$python" "$here/mkcpio.py" "$stage" --node dev/console:c:5:1:600 | gzip -9 -n >"$out.tmp"
mv "$out.tmp" "$out"
