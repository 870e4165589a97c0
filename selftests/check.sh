#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build, unit tests (ASan/UBSan), fuzz smoke, static checks,
# VM tests on Debian 6.1 and 6.12 and on the debug kernel. Every stage runs even when an earlier one
# failed; every line of TAP is kept under $BUILD/logs/, and the last line
# is the total: "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
logs=$build/logs
cd "$top"
rm -rf "$logs" && mkdir -p "$logs"

# stage NAME TARGET...: one make invocation, output streamed and logged; a
# stage that fails without a "not ok" line of its own gets one.
stage() {
	local name=$1 start=$SECONDS
	shift
	echo "# ==== $name"
	make --no-print-directory "$@" 2>&1 | tee "$logs/$name.log"
	local rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$logs/$name.log"; then
		echo "not ok - $name (make $* exited $rc)" | tee -a "$logs/$name.log"
	fi
	echo "# $name took $((SECONDS - start))s"
}

stage build all
stage unit unit
stage fuzz fuzz-smoke
stage lint lint
# Once per machine this builds the debug kernel (see README); then it is a
# cache lookup.
stage debug-kernel debug-kernel
stage vm vm-check

pass=$(cat "$logs"/*.log | grep -c '^ok ')
fail=$(cat "$logs"/*.log | grep -c '^not ok')
echo
if [ "$fail" != 0 ]; then
	echo "# failed:"
	cat "$logs"/*.log | grep '^not ok' | sed 's/^/#   /'
fi
echo "# logs: $logs, VM consoles: $build/vm/*/console.log; took ${SECONDS}s"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" != 0 ]
