#!/usr/bin/env bash
# Run each fuzzer through tests/fuzz/fuzz.mk and report as the other stages
# of make test do: "PASS fuzz/<name>" or "FAIL fuzz/<name>" with the end of
# its log, then "N passed, N failed". FUZZ_MODE=short runs each briefly
# (short-<fuzzer>: make test), long for FUZZ_TIME seconds (run-<fuzzer>:
# make fuzz). Called by fuzz.mk's report target, which sets O, FUZZERS,
# FUZZ_MODE and MAKE; the sub-makes get the caller's variables (LIBFDT_SRC,
# FUZZ_TIME, ...) through MAKEFLAGS. Logs: $O/log/<fuzzer>.log.
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p "$O/log"
pass=0 fail=0
target=$([[ $FUZZ_MODE == short ]] && echo short || echo run)
fz() { ${MAKE:-make} --no-print-directory -f tests/fuzz/fuzz.mk "$@"; }

failed() { # name, log
	local why
	echo "FAIL fuzz/$1"
	# What broke and the input that did it; else the end of the log.
	why=$(grep -E 'REQUIRE|ERROR: |SUMMARY: |runtime error|Test unit written|error:| not found|^make.*\*\*\*' "$2")
	sed 's/^/  /' <<<"${why:-$(tail -n 15 "$2")}" | head -n 15
	echo "  (log: $2)"
	fail=$((fail + 1))
}

# One build first, so a harness that no longer compiles says so once.
if ! fz build seeds >"$O/log/build.log" 2>&1; then
	failed build "$O/log/build.log"
	echo "$pass passed, $fail failed"
	exit 1
fi
for f in $FUZZERS; do
	log="$O/log/$f.log"
	start=$SECONDS
	if fz "$target-$f" >"$log" 2>&1; then
		echo "PASS fuzz/${f#fuzz_}"
		pass=$((pass + 1))
		if [[ $target == run ]]; then
			runs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -n 1)
			echo "  ${runs:-?} inputs in $((SECONDS - start)) s, corpus $(ls "$O/corpus-$f" | wc -l)"
		fi
	else
		failed "${f#fuzz_}" "$log"
	fi
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
