#!/usr/bin/env bash
# make test: host unit tests of core/, then the QEMU end-to-end tests of both
# arches. Each stage prints PASS/FAIL lines and its own summary; the last
# line is the total. Exits non-zero if anything failed or did not run.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
make=${MAKE:-make}
total_pass=0 total_fail=0

# Run one stage, show its output, and add its "N passed, N failed" line.
stage() {
	local name=$1; shift
	local log=build/test-$name.log
	echo "== $name"
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local summary
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ -z $summary ]]; then
		echo "FAIL $name (stage ended without a summary, exit $rc)"
		total_fail=$((total_fail + 1))
		return
	fi
	local p f
	read -r p _ f _ <<<"${summary//,/}"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [[ $rc -ne 0 && $f -eq 0 ]]; then
		echo "FAIL $name (exit $rc)"
		total_fail=$((total_fail + 1))
	fi
}

stage unit "$make" --no-print-directory unit
# Each libFuzzer harness briefly (tests/fuzz/fuzz.mk); make fuzz runs them long.
stage fuzz "$make" --no-print-directory fuzz FUZZ_MODE=short
stage build tests/build/run.sh
stage e2e "$make" --no-print-directory e2e

echo "== total"
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
