#!/usr/bin/env bash
# Fetch tern's arm64 Linux guest from Debian 12's own packages and build its
# initramfs:
#
#   fetch-debian-arm64.sh [OUTDIR]      (default $TERN_CACHE/guests/arm64)
#
# OUTDIR then holds
#   Image              Debian's stock kernel (linux-image-6.1.0-*-arm64, the
#                      version linux-image-arm64 depends on), uncompressed
#   initramfs.cpio.gz  busybox-static:arm64 + tests/guests/linux/arm64/init
#   config             the kernel's .config, to check what it was built with
#   VERSION            the package versions and hashes the files come from
#
# The packages are only downloaded, never installed, through apt with a private
# state, cache and list directory under $TERN_CACHE/apt/arm64 and an empty
# dpkg status: the system's apt configuration and dpkg architectures are left
# alone (no 'dpkg --add-architecture'), and root is not needed. The system's
# sources (/etc/apt/sources.list, /etc/apt/sources.list.d/) are read as they
# are. Downloads (.deb files) are kept in $TERN_CACHE/debs/arm64.
#
# Quick when nothing changed: outputs are keyed by the resolved package
# versions and the hashes of the initramfs inputs, and the package lists are
# refreshed at most once a day. Environment:
#   TERN_CACHE                 cache directory (default ~/.cache/tern)
#   TERN_APT_REFRESH=auto      refresh the lists when older than
#                              TERN_APT_MAX_AGE_HOURS (default 24)
#   TERN_APT_REFRESH=always    refresh now (pick up a new kernel at once)
#   TERN_APT_REFRESH=never     use the lists already fetched (offline, pinned)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${TERN_CACHE:-${HOME:?HOME is not set: set TERN_CACHE to a cache directory}/.cache/tern}
out=${1:-$cache/guests/arm64}
aptdir=$cache/apt/arm64
debdir=$cache/debs/arm64
init=$top/tests/guests/linux/arm64/init
refresh=${TERN_APT_REFRESH:-auto}
max_age_hours=${TERN_APT_MAX_AGE_HOURS:-24}

say() { echo "guest arm64: $*"; }
die() { echo "guest arm64: error: $*" >&2; exit 1; }

case $refresh in auto | always | never) ;; *)
	die "TERN_APT_REFRESH=$refresh: use auto, always or never" ;;
esac
[[ $max_age_hours =~ ^[0-9]+$ ]] || die "TERN_APT_MAX_AGE_HOURS=$max_age_hours is not a number of hours"

need() { # command, Debian package
	command -v "$1" >/dev/null || die "$1 not found: apt-get install $2 (or run 'make deps')"
}
need apt-get apt
need apt-cache apt
need dpkg-deb dpkg
need tar tar
need gzip gzip
need od coreutils
need sha256sum coreutils
need flock util-linux
[[ -f $init ]] || die "$init is missing (it is part of the tern tree)"

mkdir -p "$out" "$debdir" "$aptdir/state/lists/partial" "$aptdir/cache/archives/partial"
out=$(cd "$out" && pwd)
# One run at a time per output directory (make -j, parallel test runners).
exec 9>"$out/.lock"
flock -w 900 9 || die "another fetch-debian-arm64.sh holds $out/.lock"

# --- apt, privately ----------------------------------------------------------
# An empty dpkg status: nothing counts as installed, so apt never looks at (or
# wants to change) the host's packages, and arm64 is the only architecture.
: >>"$aptdir/status"
apt_opts=(
	-o "Dir::State=$aptdir/state"
	-o "Dir::State::Lists=$aptdir/state/lists"
	-o "Dir::State::status=$aptdir/status"
	-o "Dir::Cache=$aptdir/cache"
	# Keep apt's binary cache of the lists (container images often switch
	# it off): it makes each apt-cache call here ten times faster. Its
	# twin for source packages would only cost another 36 MB.
	-o Dir::Cache::pkgcache=pkgcache.bin
	-o Dir::Cache::srcpkgcache=
	-o "Dir::Etc::SourceList=/etc/apt/sources.list"
	-o "Dir::Etc::SourceParts=/etc/apt/sources.list.d"
	-o APT::Architecture=arm64
	-o APT::Architectures=arm64
	-o Acquire::Languages=none
)
# As root apt downloads as the unprivileged _apt user, which cannot enter a
# private cache under /root; it would warn and fall back to root anyway.
if [[ $(id -u) -eq 0 ]]; then
	apt_opts+=(-o APT::Sandbox::User=root)
fi

stamp=$aptdir/state/updated
have_lists() { compgen -G "$aptdir/state/lists/*_Packages*" >/dev/null; }
update_lists() {
	local t0=$SECONDS log=$aptdir/update.log
	say "refreshing the arm64 package lists (apt-get update, about 10 MB)"
	if apt-get "${apt_opts[@]}" -q update >"$log" 2>&1; then
		touch "$stamp"
		# e.g. an unreachable third-party source that does not matter here
		grep '^[WE]: ' "$log" | sed 's/^/  apt: /' >&2 || true
		say "package lists refreshed in $((SECONDS - t0))s"
	elif have_lists; then
		sed 's/^/  /' "$log" >&2
		say "warning: apt-get update failed (above); using the package lists fetched before"
	else
		sed 's/^/  /' "$log" >&2
		die "apt-get update failed (above) and there are no package lists yet: a Debian mirror must be reachable through /etc/apt/sources.list*"
	fi
}
case $refresh in
always) update_lists ;;
never) have_lists || die "no package lists in $aptdir yet: run once with TERN_APT_REFRESH=auto" ;;
auto)
	if [[ ! -f $stamp ]] || ! have_lists ||
		[[ -z $(find "$stamp" -mmin -$((max_age_hours * 60)) 2>/dev/null) ]]; then
		update_lists
	fi ;;
esac

candidate() { # package -> the version apt would pick, or nothing
	apt-cache "${apt_opts[@]}" policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
}

# --- resolve -----------------------------------------------------------------
# The kernel's ABI number (6.1.0-N) changes with Debian's updates; the
# metapackage linux-image-arm64 always depends on the current one.
meta_version=$(candidate linux-image-arm64)
[[ -n $meta_version ]] || die "linux-image-arm64 has no arm64 candidate: /etc/apt/sources.list* needs Debian 12 (bookworm) main"
# (awk reads to the end: with pipefail, head could fail the pipe on SIGPIPE)
depends=$(apt-cache "${apt_opts[@]}" show "linux-image-arm64=$meta_version" |
	awk '/^Depends: / && !n++ { sub(/^Depends: /, ""); print }')
dep=$(tr ',|' '\n' <<<"$depends" | sed 's/^ *//; s/ *$//' | grep -E '^linux-image-6\.1\.0-[0-9]+-arm64( |$)' | head -n 1 || true)
[[ -n $dep ]] || die "linux-image-arm64 $meta_version does not depend on a linux-image-6.1.0-*-arm64 (Depends: $depends): is this Debian 12?"
kernel_package=${dep%% *}
kernel_version=$(sed -n 's/.*(= *\([^)]*\)).*/\1/p' <<<"$dep")
[[ -n $kernel_version ]] || kernel_version=$(candidate "$kernel_package")
[[ -n $kernel_version ]] || die "$kernel_package has no arm64 candidate"
kernel_release=${kernel_package#linux-image-}
busybox_version=$(candidate busybox-static)
[[ -n $busybox_version ]] || die "busybox-static has no arm64 candidate: /etc/apt/sources.list* needs Debian 12 (bookworm) main"

# Everything the initramfs is made from, besides busybox itself.
initramfs_inputs=$(cat "$init" "$here/mkinitramfs-busybox.sh" "$here/mkcpio.py" | sha256sum | cut -d' ' -f1)

old() { # key -> its value in the VERSION of the last run, or nothing
	if [[ -f $out/VERSION ]]; then awk -v k="$1=" 'index($0, k) == 1 && !n++ { print substr($0, length(k) + 1) }' "$out/VERSION"; fi
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

# --- download ----------------------------------------------------------------
fetch_deb() { # package version -> prints the .deb's path
	local pkg=$1 ver=$2 file tmp t0=$SECONDS
	file=$debdir/${pkg}_${ver//:/%3a}_arm64.deb
	if [[ -f $file ]] && [[ $(dpkg-deb -f "$file" Package Version 2>/dev/null | tr '\n' ' ') == "Package: $pkg Version: $ver " ]]; then
		echo "$file"
		return
	fi
	tmp=$(mktemp -d "$debdir/.download.XXXXXX")
	# apt-get download checks the file against the signed index's hash.
	if ! (cd "$tmp" && apt-get "${apt_opts[@]}" -q download "$pkg=$ver" >"$tmp/log" 2>&1); then
		sed 's/^/  /' "$tmp/log" >&2
		rm -rf "$tmp"
		die "could not download $pkg $ver (above)"
	fi
	mv "$tmp"/*.deb "$file"
	rm -rf "$tmp"
	# Older versions of this package are no longer needed.
	find "$debdir" -maxdepth 1 -name "${pkg}_*_arm64.deb" ! -path "$file" -delete
	say "downloaded $pkg $ver ($(du -h "$file" | cut -f1)) in $((SECONDS - t0))s" >&2
	echo "$file"
}

# --- the kernel ----------------------------------------------------------------
image_sha=$(old Image_sha256)
if [[ -f $out/Image && -f $out/config && $(old kernel_package) == "$kernel_package" &&
	$(old kernel_version) == "$kernel_version" && $(sha "$out/Image") == "$image_sha" ]]; then
	say "Image: $kernel_package $kernel_version, up to date"
else
	deb=$(fetch_deb "$kernel_package" "$kernel_version")
	tmp=$(mktemp -d "$out/.extract.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# Only /boot: the package's 350 MB of modules are of no use to an
	# initramfs-only guest (dpkg-deb -x would unpack them all).
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xf - -C "$tmp" "./boot/vmlinuz-$kernel_release" "./boot/config-$kernel_release"
	vmlinuz=$tmp/boot/vmlinuz-$kernel_release
	# Debian's arm64 vmlinuz has been a gzip'd Image, and is a plain (EFI
	# stub) Image in the signed packages of later 6.1 updates: accept both.
	if [[ $(od -An -tx1 -N2 "$vmlinuz" | tr -d ' \n') == 1f8b ]]; then
		gzip -dc "$vmlinuz" >"$tmp/Image"
		how="gunzipped from vmlinuz-$kernel_release"
	else
		mv "$vmlinuz" "$tmp/Image"
		how="vmlinuz-$kernel_release is already uncompressed"
	fi
	# The arm64 boot protocol's Image header: magic "ARM\x64" at offset 56.
	[[ $(od -An -tx1 -j56 -N4 "$tmp/Image" | tr -d ' \n') == 41524d64 ]] ||
		die "$kernel_package $kernel_version: $vmlinuz is not an arm64 Image (no ARM\\x64 magic at offset 56)"
	mv "$tmp/boot/config-$kernel_release" "$out/config"
	mv "$tmp/Image" "$out/Image"
	image_sha=$(sha "$out/Image")
	rm -rf "$tmp"
	trap - EXIT
	say "Image: $kernel_package $kernel_version ($how, $(du -h "$out/Image" | cut -f1))"
fi

# --- the initramfs ---------------------------------------------------------------
initramfs_sha=$(old initramfs_sha256)
if [[ -f $out/initramfs.cpio.gz && $(old busybox_version) == "$busybox_version" &&
	$(old initramfs_inputs) == "$initramfs_inputs" && $(sha "$out/initramfs.cpio.gz") == "$initramfs_sha" ]]; then
	say "initramfs.cpio.gz: busybox-static $busybox_version, up to date"
else
	deb=$(fetch_deb busybox-static "$busybox_version")
	tmp=$(mktemp -d "$out/.extract.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	dpkg-deb --fsys-tarfile "$deb" | tar -xf - -C "$tmp" ./bin/busybox
	"$here/mkinitramfs-busybox.sh" "$tmp/bin/busybox" "$init" "$out/initramfs.cpio.gz"
	initramfs_sha=$(sha "$out/initramfs.cpio.gz")
	rm -rf "$tmp"
	trap - EXIT
	say "initramfs.cpio.gz: busybox-static $busybox_version + ${init#"$top"/} ($(du -h "$out/initramfs.cpio.gz" | cut -f1))"
fi

# --- VERSION: what the outputs are, and the key for the next run ----------------
cat >"$out/VERSION.tmp" <<EOF
# tern's arm64 Linux guest, written by scripts/guest/fetch-debian-arm64.sh
kernel_package=$kernel_package
kernel_version=$kernel_version
kernel_release=$kernel_release
busybox_version=$busybox_version
initramfs_inputs=$initramfs_inputs
Image_sha256=$image_sha
initramfs_sha256=$initramfs_sha
EOF
if cmp -s "$out/VERSION.tmp" "$out/VERSION"; then
	rm "$out/VERSION.tmp"
else
	mv "$out/VERSION.tmp" "$out/VERSION"
fi
say "ready in $out; boot it natively with"
echo "  qemu-system-aarch64 -M virt -cpu max -smp 4 -m 1G -nographic -kernel $out/Image -initrd $out/initramfs.cpio.gz -append console=ttyAMA0"
