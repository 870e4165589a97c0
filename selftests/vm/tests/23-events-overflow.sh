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
LOAD=
trap '[ -n "$LOAD" ] && kill $LOAD 2>/dev/null; sipregd_kill' EXIT
gw_ctl config set rate 0 || fail "config set rate 0"

# The overflow made sure of: sipregd stopped (SIGSTOP) while the kernel
# goes on refreshing, so that the refresh events pile up unread in the
# tiny socket. (sipregd filters out the echoes of its own writes: an
# unpaced load alone no longer overran it on a fast machine.) The phones
# hold their bindings before the stop: every request meanwhile is a
# kernel refresh, none waits for the stopped daemon. The load runs until
# it is told to stop (SIGTERM), not for a fixed time: on a slow kernel
# the phones may take most of any fixed time to register.
overflowed() { grep -q "events lost (overflow)" $SIPREGD_DIR/log; }
load_bg /tmp/load.out -m register -n 100 -r 400 -d 600
bound() {
	kill -0 $LOAD 2>/dev/null || fail "the load ended early: $(tail -n 5 /tmp/load.out)"
	[ "$(kernel_bindings)" -ge 100 ]
}
wait_until 60 bound || fail "only $(kernel_bindings) of 100 bound in the kernel"
r0=$(counter gateway refreshes)
kill -STOP $SIPREGD_PID
moved() { [ "$(counter gateway refreshes)" -ge $((r0 + 200)) ]; }
wait_until 30 moved
stopped_ok=$?
kill -CONT $SIPREGD_PID
[ $stopped_ok = 0 ] ||
	fail "$(( $(counter gateway refreshes) - r0 )) refreshes by the kernel while sipregd was stopped, want 200"
kill -TERM $LOAD
wait $LOAD || fail "load: $(tail -n 5 /tmp/load.out)"
LOAD=
wait_until 10 overflowed
refreshes=$(counter gateway refreshes)
log "kernel refreshes: $refreshes, $(( refreshes - r0 )) since sipregd was stopped"
[ "$refreshes" -gt 0 ] || fail "no refresh answered by the kernel"
overflowed || { sipregd_log; fail "no overflow seen after $refreshes refreshes"; }
same() { [ "$(kernel_cseqs)" = "$(db_cseqs)" ]; }
wait_until 5 same || {
	kernel_cseqs > /tmp/k; db_cseqs > /tmp/d
	diff /tmp/k /tmp/d | head -n 10 | sed 's/^/# /'
	fail "database and kernel differ after the reconcile"
}
[ "$(sd binding list | grep -c .)" = 100 ] || fail "bindings lost: $(sd binding list | grep -c .)"
sipregd_stats | sed 's/^/# /'
sipregd_own | grep "kernel stats" | tail -n 1 | grep -Eq "overflows [1-9]" ||
	fail "overflows not counted"
exit 0
