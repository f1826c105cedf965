#!/bin/sh
# Runs each host unit-test binary named, in turn (tests/unit/unit.mk's run:
# $(O)/unit-tests, then the SBI tests' $(O)/unit-tests-sbi), passing their
# output through with each one's own "N passed, M failed" line renamed
# "<binary>: N passed, M failed", and ends with one "N passed, M failed"
# line of the sums: the line scripts/test.sh counts for the unit stage.
# A binary that exits non-zero counts as at least one failure even when its
# summary says none (a sanitizer report after main returned) or it printed
# none (a crash). Exits 1 if anything failed.
set -u
pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for bin in "$@"; do
	name=${bin##*/}
	rm -f "$tmp/rc" "$tmp/sum"
	{ "$bin"; echo $? >"$tmp/rc"; } | awk -v name="$name" -v sum="$tmp/sum" '
		/^[0-9]+ passed, [0-9]+ failed$/ { print name ": " $0; print $1, $3 >sum; fflush(); next }
		{ print; fflush() }'
	rc=$(cat "$tmp/rc" 2>/dev/null || echo 1)
	p=0 f=0
	if [ -s "$tmp/sum" ]; then
		read -r p f <"$tmp/sum"
	else
		echo "FAIL $name (ended without a summary, exit $rc)"
		f=1
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name (exit $rc)"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
