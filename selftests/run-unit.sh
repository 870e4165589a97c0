#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-unit.sh BUILD NAME...: runs each unit test binary BUILD/unit/NAME and
# each executable selftests/unit/*.sh (given BUILD as $1), from the top of
# the tree. They print TAP; a binary that dies without saying so (ASan,
# UBSan, a signal) gets a "not ok" line here.
set -u
build=$1
shift
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rc=0
for t in "$@" $(ls selftests/unit/*.sh 2>/dev/null); do
	case $t in
	*.sh)	[ -x "$t" ] || continue
		name=$(basename "$t" .sh)
		"$t" "$build" ;;
	*)	name=$t
		"$build/unit/$t" ;;
	esac
	code=$?
	if [ $code != 0 ]; then
		echo "not ok - $name exited with status $code"
		rc=1
	fi
done
exit $rc
