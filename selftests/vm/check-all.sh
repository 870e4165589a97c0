#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-all.sh KERNEL...: `make vm-check`. Runs every VM test on each
# KERNEL (selftests/vm/run.sh check), VM_JOBS VMs at a time (the number of
# CPUs by default: a TCG VM is one busy host thread), in the order given,
# so the slowest kernel should come first. Each VM's TAP is printed whole
# when it ends; the status is 0 only if every VM passed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
jobs=${VM_JOBS:-$(nproc)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1

declare -A pid_of=() out_of=()
rc=0
# reap: waits for any one VM, prints its TAP, forgets it.
reap() {
	local k p status
	wait -n -p p
	status=$?
	for k in "${!pid_of[@]}"; do
		[ "${pid_of[$k]}" = "$p" ] || continue
		cat "${out_of[$k]}"
		[ "$status" = 0 ] || rc=1
		unset "pid_of[$k]"
		return
	done
}

for k in "$@"; do
	while [ "${#pid_of[@]}" -ge "$jobs" ]; do reap; done
	mkdir -p "$build/vm/$k"
	out_of[$k]=$build/vm/$k/check.tap
	echo "# $k: VM started ($(date +%T))"
	"$top/selftests/vm/run.sh" check "$k" > "${out_of[$k]}" 2>&1 &
	pid_of[$k]=$!
done
while [ "${#pid_of[@]}" -gt 0 ]; do reap; done
exit $rc
