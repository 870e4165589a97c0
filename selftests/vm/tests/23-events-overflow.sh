# SPDX-License-Identifier: GPL-2.0
# The events socket made tiny (events_rcvbuf) under a refresh load: the
# kernel's REFRESHED events overflow it, sipregd sees ENOBUFS, dumps the
# kernel's bindings and reconciles, and in the end nothing is lost: the
# database holds every binding at the kernel's CSeq.
. /sipreg/selftests/vm/lib.sh

module_load
fastpath_or_skip
sipregd_setup events_rcvbuf=1
sipregd_users 100
sipregd_start
trap 'sipregd_kill' EXIT
gw_ctl config set rate 0 || fail "config set rate 0"

# A slow machine (the debug kernel) refreshes fewer per run: up to six
# runs, until the socket has overflowed (sipregd filters out the echoes of
# its own writes: only the refreshes fill it).
overflowed() { grep -q "events lost (overflow)" $SIPREGD_DIR/log; }
for run in 1 2 3 4 5 6; do
	load -m register -n 100 -r 400 -d 6 > /tmp/load.out 2>&1 ||
		fail "load: $(tail -n 5 /tmp/load.out)"
	wait_until 5 overflowed && break
done
refreshes=$(counter gateway refreshes)
log "kernel refreshes: $refreshes in $run runs"
[ "$refreshes" -gt 0 ] || fail "no refresh answered by the kernel"
overflowed || { sipregd_log; fail "no overflow seen after $refreshes refreshes"; }
same() { [ "$(kernel_cseqs)" = "$(db_cseqs)" ]; }
wait_until 5 same || {
	kernel_cseqs > /tmp/k; db_cseqs > /tmp/d
	diff /tmp/k /tmp/d | head -n 10 | sed 's/^/# /'
	fail "database and kernel differ after the reconcile"
}
# Each run registers from new ports (new contacts): every AOR, any run's.
aors=$(sd binding list | cut -d' ' -f1 | sort -u | grep -c .)
[ "$aors" = 100 ] || fail "AORs lost: $aors of 100 in the database"
sipregd_stats | sed 's/^/# /'
grep "kernel stats" $SIPREGD_DIR/log | tail -n 1 | grep -Eq "overflows [1-9]" ||
	fail "overflows not counted"
exit 0
