# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (busybox sh). Without arguments: every test in
# tests/, each in a fresh topology with a time limit, as TAP. With
# --script PATH: that one script, its output streamed, its exit status
# reported. Either way the last line is "# SIPREG-DONE ...", which the host
# needs to see: a VM that dies before it prints it has failed.

. /sipreg/selftests/vm/lib.sh
TEST_TIMEOUT=${TEST_TIMEOUT:-180}

# run_one SCRIPT: fresh topology, no module left behind, bounded time.
run_one() {
	topology_up || { echo "# topology setup failed"; return 1; }
	# lib.sh first, so that even a user's script gets iproute2's "ip".
	(cd "$(dirname "$1")" && timeout -s KILL $TEST_TIMEOUT \
		sh -c '. /sipreg/selftests/vm/lib.sh && . "$0"' "$1")
	local rc=$?
	[ $rc = 137 ] && echo "# timed out after ${TEST_TIMEOUT}s"
	topology_down
	if module_loaded && ! rmmod sipreg; then
		echo "# rmmod sipreg after the test failed"
		rc=1
	fi
	return $rc
}

if [ "$1" = --script ]; then
	run_one "$2"
	echo "# SIPREG-DONE exit=$?"
	exit 0
fi

tests=$(ls /sipreg/selftests/vm/tests/*.sh)
# SHARD=I/N (sipreg.shard): every Nth test from the Ith, so that N VMs
# share a slow kernel's tests.
if [ -n "${SHARD:-}" ]; then
	tests=$(echo "$tests" | awk -v i="${SHARD%/*}" -v n="${SHARD#*/}" \
		'(NR - i) % n == 0')
fi
echo "TAP version 13"
echo "1..$(echo "$tests" | wc -l)"
n=0 pass=0 fail=0 skip=0
for t in $tests; do
	n=$((n + 1))
	name=$(basename "$t" .sh)
	echo "# ---- $name"
	t0=$(date +%s)
	run_one "$t"
	rc=$?
	echo "# $name took $(( $(date +%s) - t0 ))s"
	case $rc in
	0) echo "ok $n $name"; pass=$((pass + 1)) ;;
	4) echo "ok $n $name # SKIP"; skip=$((skip + 1)) ;;
	*) echo "not ok $n $name"; fail=$((fail + 1)) ;;
	esac
done
echo "# SIPREG-DONE pass=$pass fail=$fail skip=$skip"
