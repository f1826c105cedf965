#!/usr/bin/env bash
# Make a guest bundle: the cpio (newc) archive tern is booted with as its
# initrd, holding vmN/config, vmN/kernel and optionally vmN/initrd and
# vmN/dtb for each VM. See docs/configuration.md.
#
#   mkbundle.sh -o OUT [--vm] --kernel K [--initrd I] [--dtb D] [--cmdline "..."]
#               [--vcpus N] [--memory 512M] [--sbi v0.1|v2] [--name X] [--vm ...]
#
# Options after a --vm describe the next VM (a leading --vm is optional).
# The archive is reproducible: sorted names, owner 0:0, fixed modes, and
# every mtime set to $SOURCE_DATE_EPOCH (default 0).
set -euo pipefail

prog=${0##*/}
die() {
	echo "$prog: error: $*" >&2
	exit 1
}

usage() {
	sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}

command -v cpio >/dev/null 2>&1 || die "cpio not found: apt-get install cpio"

out=
vm=0
declare -A opt=() # "<vm>,<key>" -> value

set_opt() { # set_opt KEY VALUE: one value per VM and key
	local key=$1 value=$2
	if [[ -v opt["$vm,$key"] ]]; then
		die "--$key given twice for vm$vm (use --vm to start the next VM)"
	fi
	opt["$vm,$key"]=$value
}

vm_has_options() {
	local k
	for k in "${!opt[@]}"; do
		[[ $k == "$vm,"* ]] && return 0
	done
	return 1
}

while [[ $# -gt 0 ]]; do
	case $1 in
	-o | --output)
		[[ $# -ge 2 ]] || die "$1 needs a file name"
		out=$2
		shift 2
		;;
	--vm)
		# Only a VM that has options ends here: a leading --vm is allowed.
		if vm_has_options; then
			vm=$((vm + 1))
		fi
		shift
		;;
	--kernel | --initrd | --dtb | --cmdline | --vcpus | --memory | --sbi | --name)
		[[ $# -ge 2 ]] || die "$1 needs a value"
		set_opt "${1#--}" "$2"
		shift 2
		;;
	--kernel=* | --initrd=* | --dtb=* | --cmdline=* | --vcpus=* | --memory=* | --sbi=* | --name=*)
		key=${1%%=*}
		set_opt "${key#--}" "${1#*=}"
		shift
		;;
	-h | --help)
		usage 0
		;;
	*)
		die "unknown argument '$1' (try --help)"
		;;
	esac
done

[[ -n $out ]] || die "no output file: give -o OUT"
if ! vm_has_options && [[ $vm -gt 0 ]]; then
	vm=$((vm - 1)) # a trailing --vm
fi
nr_vms=$((vm + 1))
[[ $nr_vms -le 4 ]] || die "$nr_vms VMs: tern runs at most 4"

# Check everything before writing anything: each message names the VM.
for ((i = 0; i < nr_vms; i++)); do
	[[ -v opt["$i,kernel"] ]] || die "vm$i has no --kernel"
	for f in kernel initrd dtb; do
		[[ -v opt["$i,$f"] ]] || continue
		path=${opt["$i,$f"]}
		[[ -e $path ]] || die "vm$i: --$f $path: no such file"
		[[ -f $path ]] || die "vm$i: --$f $path: not a regular file"
		[[ -r $path ]] || die "vm$i: --$f $path: not readable"
		[[ -s $path ]] || die "vm$i: --$f $path is empty"
		size=$(stat -L -c %s -- "$path")
		# newc stores sizes in 32 bits.
		[[ $size -lt 4294967296 ]] || die "vm$i: --$f $path is 4 GiB or more (cpio newc cannot hold it)"
	done
	if [[ -v opt["$i,vcpus"] ]]; then
		v=${opt["$i,vcpus"]}
		[[ $v =~ ^[0-9]+$ ]] && ((10#$v >= 1 && 10#$v <= 16)) ||
			die "vm$i: --vcpus '$v': give a number from 1 to 16"
	fi
	if [[ -v opt["$i,memory"] ]]; then
		v=${opt["$i,memory"]}
		[[ $v =~ ^(0[xX][0-9a-fA-F]+|[0-9]+)[kKmMgGtT]?$ ]] ||
			die "vm$i: --memory '$v': give a size like 512M or 2G"
	fi
	if [[ -v opt["$i,sbi"] ]]; then
		v=${opt["$i,sbi"]}
		[[ $v == v0.1 || $v == v2 ]] || die "vm$i: --sbi '$v': give v0.1 or v2"
	fi
	if [[ -v opt["$i,name"] ]]; then
		v=${opt["$i,name"]}
		[[ $v =~ ^[A-Za-z0-9._-]{1,15}$ ]] ||
			die "vm$i: --name '$v': 1 to 15 letters, digits, '.', '_' or '-'"
	fi
	if [[ -v opt["$i,cmdline"] ]]; then
		v=${opt["$i,cmdline"]}
		[[ $v != *$'\n'* && $v != *$'\r'* ]] || die "vm$i: --cmdline must be one line"
		[[ ${#v} -le 511 ]] || die "vm$i: --cmdline is longer than 511 characters"
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((i = 0; i < nr_vms; i++)); do
	d=$tmp/vm$i
	mkdir "$d"
	{
		echo "# vm$i, made by mkbundle.sh"
		for key in name vcpus memory sbi cmdline; do
			[[ -v opt["$i,$key"] ]] && echo "$key = ${opt["$i,$key"]}"
		done
	} >"$d/config"
	for f in kernel initrd dtb; do
		[[ -v opt["$i,$f"] ]] && cp -L -- "${opt["$i,$f"]}" "$d/$f"
	done
done

# Same inputs, same bytes: modes, owners, times and order fixed.
find "$tmp" -type d -exec chmod 0755 {} +
find "$tmp" -type f -exec chmod 0644 {} +
find "$tmp" -mindepth 1 -exec touch -h -d "@${SOURCE_DATE_EPOCH:-0}" {} +
(
	cd "$tmp"
	find vm* -print | LC_ALL=C sort | cpio -o -H newc --reproducible -R 0:0 --quiet
) >"$tmp/bundle.cpio"
mv -f "$tmp/bundle.cpio" "$out"
echo "$prog: wrote $out ($nr_vms VM$([[ $nr_vms -eq 1 ]] || echo s), $(stat -c %s "$out") bytes)"
