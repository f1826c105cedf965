#!/usr/bin/env bash
# The guest-side fuzzer's long campaigns (make fuzz): for each arch, the
# fuzz test guest (tests/guests/fuzz) under tern with several seeds, OPS
# operations each. A run passes when the guest reports its 3 checks with no
# failure, tern powers off after it, and tern printed no error-level message
# and took no unexpected trap. Prints one PASS/FAIL line per run (with its
# seed, to replay it) and "N passed, M failed".
#   scripts/fuzz-guests.sh [ARCH...]   (default: arm64 riscv)
# Environment: FUZZ_GUEST_OPS (default 250000), FUZZ_GUEST_SEEDS (default
# "1 2 3 4": 10^6 operations per arch), FUZZ_GUEST_TIMEOUT (s, default 900).
set -uo pipefail
cd "$(dirname "$0")/.."
ops=${FUZZ_GUEST_OPS:-250000}
seeds=${FUZZ_GUEST_SEEDS:-"1 2 3 4"}
limit=${FUZZ_GUEST_TIMEOUT:-900}
arches=("$@")
[[ ${#arches[@]} -gt 0 ]] || arches=(arm64 riscv)
out=build/fuzz-guests
mkdir -p "$out"
pass=0 fail=0
for arch in "${arches[@]}"; do
	case $arch in
	arm64) qemu=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max) ;;
	riscv) qemu=(qemu-system-riscv64 -M virt -cpu rv64) ;;
	*) echo "fuzz-guests.sh: unknown arch $arch" >&2; exit 2 ;;
	esac
	for seed in $seeds; do
		name="$arch/seed-$seed"
		log="$out/$arch-seed-$seed.log"
		bundle="$out/$arch-seed-$seed.cpio"
		scripts/mkbundle.sh -o "$bundle" --kernel "build/$arch/guests/fuzz.bin" --memory 64M \
			--name fuzz --cmdline "seed=$seed ops=$ops" >/dev/null || { echo "FAIL $name: mkbundle"; fail=$((fail + 1)); continue; }
		timeout -k 5 "$limit" "${qemu[@]}" -smp 1 -m 512M -nographic -no-reboot -monitor none \
			-kernel "build/$arch/tern.bin" -initrd "$bundle" </dev/null >"$log" 2>&1
		code=$?
		why=""
		grep -aq '^SUMMARY: 3 tests, 0 failures' "$log" || why="no 'SUMMARY: 3 tests, 0 failures'"
		grep -aq '^tern: every VM has stopped' "$log" || why="${why:+$why; }tern did not finish"
		grep -aqE 'error messages were printed|Unexpected trap|Unexpected exception|(P|p)anic' "$log" &&
			why="${why:+$why; }tern reported an error: $(grep -aE 'error messages|Unexpected|anic' "$log" | head -1)"
		[[ $code -eq 124 ]] && why="${why:+$why; }timed out after ${limit}s"
		if [[ -z $why ]]; then
			echo "PASS $name ($ops operations; $(grep -a 'came through' "$log" | tr -d '\r' | sed 's/.*(//; s/)$//'))"
			pass=$((pass + 1))
		else
			echo "FAIL $name ($ops operations): $why (log: $log)"
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
