# SPDX-License-Identifier: GPL-2.0
# Allocation failures (issue 12, section 2): every write command of the
# sipreg family, and the replies of every read, run with their 1st, 2nd,
# ... allocation failing (fail-nth, failslab and fail_page_alloc); after
# each, nothing half applied and the answer says so (sipreg-kfuzz-netlink
# --failnth). Then rmmod, and kmemleak must not find anything of the
# module. Needs a kernel with FAILSLAB and FAULT_INJECTION_DEBUG_FS (the
# debug kernel): skipped on Debian's stock kernels.
. /sipreg/selftests/vm/lib.sh
. /sipreg/selftests/kfuzz/lib.sh
D=/sys/kernel/debug

[ -d $D/failslab ] && [ -e /proc/self/fail-nth ] ||
	skip "no failslab or fail-nth in this kernel (needs the debug kernel)"

# fail-nth counts only the allocations failslab may fail: the sleeping
# ones too; no stack dump per failure (the console must stay clean).
for a in failslab fail_page_alloc; do
	[ -d $D/$a ] || continue
	echo N > $D/$a/ignore-gfp-wait
	echo 0 > $D/$a/verbose
done
restore() {
	for a in failslab fail_page_alloc; do
		[ -d $D/$a ] || continue
		echo Y > $D/$a/ignore-gfp-wait
		echo 2 > $D/$a/verbose
	done
}
trap restore EXIT

leak=
if [ -w $D/kmemleak ]; then
	leak=1
	echo scan > $D/kmemleak
	echo clear > $D/kmemleak
fi

module_load
kf_log "fail-nth on every command"
in_gateway sipreg-kfuzz-netlink --failnth -n 300 > $KF/failnth.out 2>&1
rc=$?
cat $KF/failnth.out
[ $rc = 0 ] || fail "sipreg-kfuzz-netlink --failnth: exit $rc"
grep -q "allocation points" $KF/failnth.out || fail "no command was run"
module_unload

if [ -n "$leak" ]; then
	# kmemleak reports objects at least 5 s old, found unreferenced by
	# two scans.
	echo scan > $D/kmemleak
	sleep 6
	echo scan > $D/kmemleak
	if grep -q sipreg $D/kmemleak; then
		grep -B 3 -A 20 sipreg $D/kmemleak | head -n 60 | sed 's/^/# /'
		fail "kmemleak: the module leaked"
	fi
	log "kmemleak: nothing of sipreg"
fi
exit 0
