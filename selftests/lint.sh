#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks of the module, as TAP: checkpatch --strict, and a W=1 +
# sparse build against each VM kernel that must print no warning.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
cd "$top"
n=0 rc=0

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n lint/$2"
	else
		echo "not ok $n lint/$2"
		rc=1
	fi
}

# kmod/sip/shim_user.h is the userspace half of the shim (libc types), not
# kernel code.
out=$(perl "$build/linux-src/scripts/checkpatch.pl" --strict --no-tree \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,MODULE_LICENSE \
	--terse --show-types -f $(ls kmod/*.[ch] kmod/sip/*.[ch] kmod/uapi/*.h | grep -v -e '\.mod\.c$' -e 'shim_user\.h$') 2>&1 |
	grep -E ': (ERROR|WARNING|CHECK):')
[ -n "$out" ] && echo "$out" | sed 's/^/# /'
result "$([ -z "$out" ]; echo $?)" checkpatch

for series in 6.1 6.12; do
	. "$build/kernels/$series/env"
	dir=$build/lint-$series
	rm -rf "$dir" && mkdir -p "$dir"
	for f in $(find Kbuild kmod -name '*.[ch]' -o -name Kbuild -o -name '*.mk'); do
		mkdir -p "$dir/$(dirname "$f")" && ln -s "$top/$f" "$dir/$f"
	done
	out=$(make -C "$KDIR" M="$dir" W=1 C=2 modules 2>&1)
	status=$?
	warn=$(echo "$out" | grep -E 'warning:|error:' | grep -v 'Skipping BTF')
	[ -n "$warn" ] && echo "$warn" | sed 's/^/# /'
	[ $status != 0 ] && echo "$out" | tail -n 20 | sed 's/^/# /'
	result "$([ $status = 0 ] && [ -z "$warn" ]; echo $?)" "w1-sparse-$series"
done
exit $rc
