# shellcheck shell=bash
# Shared by build-kernel.sh, mkinitramfs.sh and check-native.sh (sourced,
# not run).
# Everything built or extracted lives in $TERN_CACHE, never in the checkout.

: "${TERN_CACHE:=$HOME/.cache/tern}"
GUEST_CACHE=$TERN_CACHE/guests/riscv
LINUX_TARBALL=/usr/src/linux-source-6.1.tar.xz
# shellcheck disable=SC2034 # used by the scripts that source this file
CROSS_COMPILE=riscv64-linux-gnu-
export TERN_CACHE

die() { echo "error: $*" >&2; exit 1; }

# need_packages PKG...: install what is missing as root; otherwise print the
# exact apt-get line and stop (the same policy as scripts/deps.sh).
need_packages() {
	local p status missing=()
	for p in "$@"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[[ $status == "install ok installed" ]] || missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	if [[ $(id -u) -ne 0 ]]; then
		echo "missing Debian packages: ${missing[*]}" >&2
		echo "run as root:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	echo "installing ${missing[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# The Debian version of linux-source-6.1: part of every cache key, so a
# Debian update of the source rebuilds rather than reusing an old Image.
linux_source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || die "linux-source-6.1 is not installed"
}

# A fixed build date, for reproducible builds: the date of the newest Debian
# changelog entry of linux-source-6.1 (it must be a date `date -d` parses:
# the kernel's usr/gen_initramfs.sh feeds KBUILD_BUILD_TIMESTAMP to it).
linux_source_date() {
	local d
	d=$(zcat /usr/share/doc/linux-source-6.1/changelog.Debian.gz 2>/dev/null |
		sed -n 's/^ -- .*>  //p' | head -n1)
	[[ -n $d ]] && date -d "$d" >/dev/null 2>&1 || d="2023-06-10 00:00:00 UTC"
	echo "$d"
}

# linux_source_dir: extract the whole source tree once (about 1.4 GB, a
# minute or two) into the cache and print its path. Extraction goes to a
# temporary directory renamed into place, so an interrupted run never leaves
# a half tree that looks complete; a lock keeps two runs from extracting at
# once. Called as $(linux_source_dir): the lock goes with the subshell.
linux_source_dir() {
	local dir tmp
	dir=$TERN_CACHE/src/linux-source-6.1_$(linux_source_version)
	if [[ ! -f $dir/.extracted ]]; then
		[[ -f $LINUX_TARBALL ]] || die "$LINUX_TARBALL not found (apt-get install linux-source-6.1)"
		mkdir -p "$TERN_CACHE/src"
		exec 8>"$TERN_CACHE/src/.lock"
		flock 8
		[[ -f $dir/.extracted ]] && { echo "$dir"; return 0; }
		rm -rf "$dir"
		tmp=$(mktemp -d "$TERN_CACHE/src/extract.XXXXXX")
		echo "extracting $LINUX_TARBALL into $dir" >&2
		tar -xJf "$LINUX_TARBALL" -C "$tmp" || { rm -rf "$tmp"; die "extracting $LINUX_TARBALL failed"; }
		mv "$tmp/linux-source-6.1" "$dir"
		rmdir "$tmp"
		touch "$dir/.extracted"
	fi
	echo "$dir"
}

# lock_cache NAME: serialise runs that build the same thing (say `make -j`
# asking twice for one kernel variant); held until the script exits.
lock_cache() {
	mkdir -p "$GUEST_CACHE"
	exec 9>"$GUEST_CACHE/.lock-$1"
	flock 9
}
