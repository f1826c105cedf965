#!/usr/bin/env bash
# Benchmark tern on QEMU (docs/bench.md). `make bench` builds everything
# first; after `make ARCH=<arch> all guests` and `make linux-guests` run
#
#   scripts/bench.sh [--short] [arm64] [riscv]     (default: both)
#
# Every run uses -icount shift=0,sleep=off: the guest's cycle counter then
# counts executed instructions at every privilege level (and 1 ns of
# virtual time is 1 instruction), so the figures are deterministic.
# Per arch it runs the bench guest (tests/guests/bench/) natively and under
# tern, boots the Linux guest natively and under tern, and writes
#   build/bench/<arch>.json        ops, boot, footprint
#   build/bench/<arch>.wall.json   wall-clock seconds of the two Linux boots
#   build/bench/<arch>-*.log       every QEMU run's serial output
#   build/bench/bench.png          the chart (gnuplot)
# --short passes "short" to the guest (10 iterations) and skips Linux.
# BASELINE=<json or directory> (make bench BASELINE=...) prints each figure
# beside a previous run's (a build/bench/<arch>.json kept from before, or
# the directory holding them) and the ratio new/old.
set -euo pipefail

prog=${0##*/}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/bench
short=
arches=()
for a in "$@"; do
	case $a in
	--short) short=short ;;
	arm64 | riscv) arches+=("$a") ;;
	-h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "$prog: unknown argument '$a' (arm64, riscv, --short)" >&2; exit 2 ;;
	esac
done
[[ ${#arches[@]} -gt 0 ]] || arches=(arm64 riscv)
mkdir -p "$out"
status=0

# gnuplot for the chart: installed here when run as root, as scripts/deps.sh
# does for the build's packages.
have_gnuplot=1
if ! command -v gnuplot >/dev/null 2>&1; then
	if [[ $(id -u) -eq 0 ]]; then
		echo "bench: installing gnuplot-nox"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			gnuplot-nox >/dev/null || { apt-get update -q >/dev/null &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				--no-install-recommends gnuplot-nox >/dev/null; }
	else
		echo "bench: gnuplot is missing; no chart. As root:" >&2
		echo "  apt-get update && apt-get install -y gnuplot-nox" >&2
		have_gnuplot=0
		status=1
	fi
fi

ICOUNT="-icount shift=0,sleep=off"
COMMON="-nographic -no-reboot -monitor none $ICOUNT"

qemu_bin() { [[ $1 == arm64 ]] && echo qemu-system-aarch64 || echo qemu-system-riscv64; }
# The board natively (guest at EL1 on QEMU's PSCI / S-mode on OpenSBI) ...
native_machine() {
	[[ $1 == arm64 ]] && echo "-M virt,gic-version=3 -cpu max,pauth-impdef=on" ||
		echo "-M virt -cpu rv64"
}
# ... and with tern below (EL2 / HS-mode).
tern_machine() {
	[[ $1 == arm64 ]] && echo "-M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on" ||
		echo "-M virt -cpu rv64"
}
size_tool() {
	local p
	for p in $([[ $1 == arm64 ]] && echo "aarch64-linux-gnu- aarch64-none-elf- aarch64-elf-" ||
		echo "riscv64-linux-gnu- riscv64-unknown-elf- riscv64-elf-"); do
		command -v "${p}size" >/dev/null 2>&1 && { echo "${p}size"; return; }
	done
	echo size
}

# run LOG TIMEOUT QEMU-ARGS...: one QEMU run, serial output to LOG, wall
# seconds to LOG.wall.
run() {
	local log=$1 secs=$2 t0 t1
	shift 2
	echo "bench: $(basename "$log" .log): $*" >&2
	t0=$(date +%s.%N)
	timeout "$secs" "$@" </dev/null >"$log" 2>&1 || echo "bench: $log: QEMU exited with $?" >&2
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }' >"$log.wall"
}

bench_arch() {
	local arch=$1 q tern guest
	q=$(qemu_bin "$arch")
	tern=build/$arch/tern.bin
	guest=build/$arch/guests/bench.bin
	for f in "$tern" "$guest" "build/$arch/tern.elf"; do
		[[ -f $f ]] || { echo "$prog: $f is missing: make ARCH=$arch all guests" >&2; return 1; }
	done

	# The bench guest: natively, then under tern. One CPU for the
	# one-CPU ops; two vCPUs on two CPUs (ipi) and on one (switch).
	run "$out/$arch-native.log" 300 $q $(native_machine "$arch") -smp 1 -m 256M $COMMON \
		-kernel "$guest" -append "native $short"
	run "$out/$arch-native-ipi.log" 300 $q $(native_machine "$arch") -smp 2 -m 256M $COMMON \
		-kernel "$guest" -append "native ipi $short"
	local mode vcpus smp
	for mode in one ipi switch; do
		case $mode in
		one) vcpus=1 smp=1 ;;
		ipi) vcpus=2 smp=2 ;;
		switch) vcpus=2 smp=1 ;;
		esac
		local args="$short"
		[[ $mode == one ]] || args="$mode $short"
		scripts/mkbundle.sh -o "$out/$arch-tern-$mode.cpio" --kernel "$guest" --vcpus $vcpus \
			--memory 64M --name bench --cmdline "$args" >/dev/null
		run "$out/$arch-tern-$mode.log" 300 $q $(tern_machine "$arch") -smp $smp -m 512M $COMMON \
			-kernel "$tern" -initrd "$out/$arch-tern-$mode.cpio"
	done

	# Linux to its userspace, natively and under tern: one CPU, one vCPU.
	local img=build/linux/$arch/Image initrd=build/linux/$arch/initramfs.cpio.gz console
	console=$([[ $arch == arm64 ]] && echo ttyAMA0 || echo ttyS0)
	rm -f "$out/$arch-linux-native.log" "$out/$arch-linux-tern.log"
	if [[ -n $short ]]; then
		echo "bench: --short: no Linux boots" >&2
	elif [[ -f $img && -f $initrd ]]; then
		run "$out/$arch-linux-native.log" 900 $q $(native_machine "$arch") -smp 1 -m 256M $COMMON \
			-kernel "$img" -initrd "$initrd" -append "console=$console tern.init=poweroff"
		scripts/mkbundle.sh -o "$out/$arch-linux.cpio" --kernel "$img" --initrd "$initrd" \
			--vcpus 1 --memory 256M --name linux \
			--cmdline "console=$console tern.init=poweroff" >/dev/null
		run "$out/$arch-linux-tern.log" 900 $q $(tern_machine "$arch") -smp 1 -m 512M $COMMON \
			-kernel "$tern" -initrd "$out/$arch-linux.cpio"
	else
		echo "bench: $img or $initrd missing (make linux-guests): no boot figures" >&2
	fi

	"$(size_tool "$arch")" -B "build/$arch/tern.elf" >"$out/$arch-size.txt"
	python3 - "$arch" "$out" "$($q --version | head -1 | sed 's/^QEMU emulator version //')" \
		"$(git describe --always --dirty 2>/dev/null || echo unknown)" "${BASELINE:-}" <<'EOF'
import json, re, sys
from pathlib import Path

arch, out, qemu, git, baseline = sys.argv[1:6]
out = Path(out)

# A previous run to compare with: its <arch>.json, or the file itself when
# it is this arch's.
base = None
if baseline:
    bp = Path(baseline)
    bp = bp / f"{arch}.json" if bp.is_dir() else bp
    try:
        b = json.loads(bp.read_text())
        base = b if b.get("arch") == arch else None
    except (OSError, ValueError) as e:
        print(f"bench: BASELINE {bp}: {e}", file=sys.stderr)

def log(name):
    p = out / f"{arch}-{name}.log"
    return p.read_text(errors="replace") if p.exists() else ""

def bench_lines(text):
    ops, unmeasured = {}, {}
    for m in re.finditer(r"^BENCH name=(\w+) iterations=(\d+) median=(\d+) min=(\d+) max=(\d+)",
                         text, re.M):
        ops[m[1]] = {"median": int(m[3]), "min": int(m[4]), "max": int(m[5]),
                     "iterations": int(m[2])}
    for m in re.finditer(r'^BENCH name=(\w+) unmeasured reason="([^"]*)"', text, re.M):
        unmeasured[m[1]] = m[2]
    return ops, unmeasured

problems = []
for name in ("native", "native-ipi", "tern-one", "tern-ipi", "tern-switch"):
    text = log(name)
    m = re.search(r"^SUMMARY: (\d+) tests, (\d+) failures", text, re.M)
    if not m or m[2] != "0":
        problems.append(f"{arch}-{name}: " + (m[0] if m else "no SUMMARY line"))

tern_ops, why = {}, {}
for name in ("tern-one", "tern-ipi", "tern-switch"):
    o, u = bench_lines(log(name))
    tern_ops.update(o)
    why.update(u)
native_ops, native_why = {}, {}
for name in ("native", "native-ipi"):
    o, u = bench_lines(log(name))
    native_ops.update(o)
    native_why.update(u)

ORDER = ["null_hypercall", "firmware_version", "mmio_read", "mmio_write", "virq_timer", "ipi",
         "vcpu_switch", "stage2_fault"]
ops = {}
for name in ORDER:
    if name in tern_ops:
        ops[name] = dict(tern_ops[name])
        ops[name]["native"] = native_ops.get(name, {}).get("median")

def init_insns(text):
    # printk time of the first userspace step: 1 ns = 1 instruction.
    m = re.search(r"\[\s*(\d+)\.(\d+)\] Run /init as init process", text)
    return int(m[1]) * 10**9 + int(m[2].ljust(9, "0")[:9]) if m else None

def wall(name):
    p = out / f"{arch}-{name}.log.wall"
    return float(p.read_text()) if p.exists() and (out / f"{arch}-{name}.log").exists() else None

bn, bt = init_insns(log("linux-native")), init_insns(log("linux-tern"))
boot = {"native": bn, "tern": bt, "ratio": round(bt / bn, 3) if bn and bt else None}
wn, wt = wall("linux-native"), wall("linux-tern")
walls = {"native_s": wn, "tern_s": wt, "ratio": round(wt / wn, 3) if wn and wt else None}

size = (out / f"{arch}-size.txt").read_text().splitlines()[1].split()
m = re.search(r"^tern: peak memory: tern (\d+) KiB", log("tern-one"), re.M)
vm = re.search(r"^tern: peak memory: bench (\d+) KiB beyond its RAM", log("tern-one"), re.M)
footprint = {"text": int(size[0]), "data": int(size[1]), "bss": int(size[2]),
             "peak_heap": int(m[1]) * 1024 if m else None}

result = {"arch": arch, "qemu": qemu, "git": git, "ops": ops, "boot": boot,
          "footprint": footprint}
(out / f"{arch}.json").write_text(json.dumps(result, indent=2) + "\n")
(out / f"{arch}.wall.json").write_text(json.dumps(walls, indent=2) + "\n")

def fmt(v):
    return "-" if v is None else str(v)

print(f"\n== {arch}: instructions per operation (QEMU {qemu}, tern {git}, -icount shift=0)")
if base:
    print(f"   beside {base.get('git', '?')} (BASELINE): its median and new/old")
print(f"{'op':<18}{'median':>9}{'min':>9}{'max':>9}{'iters':>7}{'native':>9}{'x':>8}"
      + (f"{'base':>9}{'new/old':>9}" if base else ""))
for name in ORDER:
    if name in ops:
        o = ops[name]
        ratio = f"{o['median'] / o['native']:.1f}" if o["native"] else "-"
        cmp = ""
        if base:
            bo = base.get("ops", {}).get(name)
            cmp = (f"{bo['median']:>9}{o['median'] / bo['median']:>9.2f}" if bo and bo.get("median")
                   else f"{'-':>9}{'-':>9}")
        print(f"{name:<18}{o['median']:>9}{o['min']:>9}{o['max']:>9}{o['iterations']:>7}"
              f"{fmt(o['native']):>9}{ratio:>8}{cmp}")
    else:
        reason = why.get(name) or "no result (see the logs in build/bench/)"
        print(f"{name:<18}  not measured: {reason}")
print(f"{'boot to /init':<18}native {fmt(bn)}  tern {fmt(bt)}  ratio {fmt(boot['ratio'])}"
      "  (instructions, from printk time)"
      + (f"; BASELINE ratio {fmt(base.get('boot', {}).get('ratio'))}" if base else ""))
print(f"{'boot wall clock':<18}native {fmt(wn)} s  tern {fmt(wt)} s  ratio {fmt(walls['ratio'])}")
print(f"{'footprint':<18}text {footprint['text']}  data {footprint['data']}  bss {footprint['bss']}"
      f"  peak heap {fmt(footprint['peak_heap'])} B"
      + (f"  (VM beyond its RAM: {int(vm[1]) * 1024} B)" if vm else ""))
for p in problems:
    print(f"WARNING: {p}")
sys.exit(1 if problems else 0)
EOF
}

for arch in "${arches[@]}"; do
	bench_arch "$arch" || status=1
done

# The chart: tern vs native per op and arch (log scale), and the boots.
if [[ $have_gnuplot -eq 1 ]]; then
	python3 - "$out" <<'EOF'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
ops, boots = [], []
for arch in ("arm64", "riscv"):
    p = out / f"{arch}.json"
    if not p.exists():
        continue
    r = json.loads(p.read_text())
    for name, o in r["ops"].items():
        ops.append(f'"{arch} {name}" {o["median"]} {o["native"] if o["native"] else "?"}')
    b = r["boot"]
    if b["native"] and b["tern"]:
        boots.append(f'"{arch}" {b["tern"] / 1e6:.1f} {b["native"] / 1e6:.1f}')
(out / "ops.dat").write_text("\n".join(ops) + "\n")
(out / "boot.dat").write_text("\n".join(boots or ['"none" ? ?']) + "\n")
EOF
	gnuplot <<EOF || status=1
set terminal pngcairo size 1400,640 font ",10" noenhanced
set output "$out/bench.png"
set datafile missing "?"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top left
set tmargin 5
set grid ytics
set multiplot layout 1,2 title "tern on QEMU virt (-icount shift=0): instructions, tern vs native"
set size 0.75,1
set origin 0,0
set title "per operation (median, log scale; no native bar: no native form)"
set logscale y
set yrange [1:*]
set xtics rotate by -40 scale 0
plot "$out/ops.dat" using 2:xtic(1) title "tern" lc rgb "#c0392b", \
     '' using 3 title "native" lc rgb "#2471a3"
unset logscale y
set size 0.25,1
set origin 0.75,0
set title "Linux boot to /init (millions)"
set yrange [0:*]
set xtics norotate
plot "$out/boot.dat" using 2:xtic(1) title "tern" lc rgb "#c0392b", \
     '' using 3 title "native" lc rgb "#2471a3"
unset multiplot
EOF
	[[ -f $out/bench.png ]] && echo "bench: chart in $out/bench.png"
fi
exit $status
