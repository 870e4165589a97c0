# SPDX-License-Identifier: GPL-2.0
# In the test VM (run.sh run): the VM tests named in /user/list, each in
# a fresh topology, as runner.sh runs them; fails if any fails.
rc=0
for t in $(cat /user/list); do
	topology_down; topology_up
	echo "# ---- $t"
	(cd /sipreg/selftests/vm/tests && timeout -s KILL 170 sh -c '. /sipreg/selftests/vm/lib.sh && . "$0"' ./$t.sh)
	r=$?
	module_loaded && rmmod sipreg
	echo "# RESULT $t rc=$r"
	[ $r = 0 ] || rc=1
done
exit $rc
