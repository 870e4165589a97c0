#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-all.sh KERNEL...: `make vm-check`. Runs every VM test on each
# KERNEL (selftests/vm/run.sh check), VM_JOBS VMs at a time (the number of
# CPUs by default: a TCG VM is one busy host thread), in the order given,
# so the slowest kernel should come first; a debug kernel's tests are
# shared by several VMs. Each VM's TAP is printed whole
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

# A debug kernel's tests are spread over DEBUG_SHARDS VMs (default: as
# many as VMs run at once): it runs three to four times slower than the
# others, and alone it would keep the check waiting on one CPU.
shards=${DEBUG_SHARDS:-$jobs}
runs=()
for k in "$@"; do
	case $k in
	*-debug) for ((i = 1; i <= shards; i++)); do runs+=("$k $i/$shards"); done ;;
	*) runs+=("$k") ;;
	esac
done

for r in "${runs[@]}"; do
	while [ "${#pid_of[@]}" -ge "$jobs" ]; do reap; done
	k=${r% *} shard=
	[ "$k" != "$r" ] && shard=${r#* }
	out=$build/vm/check-${r//[ \/]/-}.tap
	mkdir -p "$build/vm"
	out_of[$r]=$out
	echo "# $r: VM started ($(date +%T))"
	VM_SHARD=$shard "$top/selftests/vm/run.sh" check "$k" > "$out" 2>&1 &
	pid_of[$r]=$!
done
while [ "${#pid_of[@]}" -gt 0 ]; do reap; done
exit $rc
