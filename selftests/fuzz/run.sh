#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh BUILD SECONDS NAME...: runs each libFuzzer target BUILD/fuzz/NAME
# for SECONDS on a scratch copy of selftests/fuzz/corpus/<NAME without
# fuzz_>/ (the tracked corpus never grows in CI), with
# selftests/fuzz/corpus/<that>.dict if there is one. <that>.seeds, if there
# is one, adds seeds and a dictionary, a line each: "dir PATH" (its files),
# "protos PATH" (PROTOS c07-sip cases, by protos-seeds.py), "dict PATH";
# relative PATHs are from the top of the tree, missing ones are skipped with
# a comment. FUZZ_RUNS=N stops each target after N inputs instead of at
# SECONDS. Prints TAP with the
# execs and coverage as a comment; a crash, leak, timeout or broken
# invariant is "not ok", its artefact kept under BUILD/fuzz/artifacts/ and
# the log under BUILD/fuzz/logs/. Exits non-zero if any target failed.
set -u
if [ $# -lt 3 ]; then
	echo "usage: $0 BUILD SECONDS NAME..." >&2
	exit 2
fi
build=$1 secs=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "1..$#"
n=0 rc=0
for name in "$@"; do
	n=$((n + 1))
	short=${name#fuzz_}
	bin=$build/fuzz/$name
	work=$build/fuzz/work/$name
	log=$build/fuzz/logs/$name.log
	arts=$build/fuzz/artifacts
	rm -rf "$work" && mkdir -p "$work" "$arts" "$(dirname "$log")"
	if [ ! -x "$bin" ]; then
		echo "not ok $n $name # no binary $bin"
		rc=1
		continue
	fi
	[ -d "selftests/fuzz/corpus/$short" ] &&
		cp -r "selftests/fuzz/corpus/$short/." "$work/"
	dict=()
	[ -f "selftests/fuzz/corpus/$short.dict" ] &&
		dict=(-dict="selftests/fuzz/corpus/$short.dict")
	seeds=selftests/fuzz/corpus/$short.seeds
	[ -f "$seeds" ] && while read -r kind path; do
		case $kind in ''|'#'*) continue ;; esac
		if [ ! -e "$path" ]; then
			echo "# $name: no $path, seeds skipped"
			continue
		fi
		case $kind in
		dir) cp -r "$path/." "$work/" ;;
		protos) python3 selftests/fuzz/protos-seeds.py "$path" "$work" >/dev/null ;;
		dict) dict=(-dict="$path") ;;
		esac
	done <"$seeds"
	limit=(-max_total_time="$secs")
	[ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
	"$bin" "${limit[@]}" -timeout=10 -max_len=8192 \
		-print_final_stats=1 -artifact_prefix="$arts/$name-" \
		"${dict[@]}" "$work" >"$log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -n 1 |
	      grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*')
	if [ $status = 0 ]; then
		echo "ok $n $name # execs ${execs:-?} ${cov:-}"
	else
		echo "not ok $n $name # exit $status, execs ${execs:-?} ${cov:-}; log $log"
		grep -E 'ERROR|invariant|SUMMARY|artifact' "$log" | head -n 5 | sed 's/^/# /'
		rc=1
	fi
done
exit $rc
