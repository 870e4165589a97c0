# SPDX-License-Identifier: GPL-2.0
# A short run of what `make bench-sipp` measures, as a test: sipp
# (selftests/sipp/register-refresh.xml) registers a handful of users
# through the fast path with sipregd behind it (the kernel's 401, the
# daemon's 200 for each new binding), then refreshes every binding on one
# challenge. Every call must succeed and every refresh must be answered
# by the kernel; nothing is asserted about speed.
. /sipreg/selftests/vm/lib.sh

USERS=5 AUTHS=4 CSV=/tmp/sipp-users.csv

# calls_ok WHAT: sipp's last run had USERS successful calls, none failed.
calls_ok() {
	if [ "$(sipp_calls Successful)" != $USERS ] || [ "$(sipp_calls Failed)" != 0 ]; then
		fail "$1: $(sipp_calls Successful) calls successful, $(sipp_calls Failed) failed"
	fi
}

module_load
fastpath_or_skip
sipregd_setup
sipregd_users $USERS
$SIPP_DIR/users.sh -sipp $USERS > $CSV
sipregd_start
trap 'sipregd_kill' EXIT

# CSeq 1: 401 from the kernel; CSeq 2: a miss, the daemon's 200.
sipp_reg sipreg $CSV $USERS 1 1 || { sipregd_log; fail "registrations: sipp failed"; }
calls_ok registrations
all_bound() { [ "$(kernel_bindings)" = $USERS ]; }
wait_until 10 all_bound || fail "$(kernel_bindings) of $USERS AORs bound in the kernel"

# CSeq 3: 401; 4 to 3 + AUTHS: refreshes of the daemon's bindings.
rf0=$(counter gateway refreshes)
sipp_reg sipreg $CSV $USERS $AUTHS 3 || { sipregd_log; fail "refreshes: sipp failed"; }
calls_ok refreshes
rf=$(( $(counter gateway refreshes) - rf0 ))
# At least: a retransmitted refresh may be answered (and counted) twice.
[ $rf -ge $((USERS * AUTHS)) ] || {
	gw_ctl stats | grep -v ' 0$' | sed 's/^/# /'
	sipregd_log
	fail "the kernel answered $rf refreshes of $((USERS * AUTHS))"
}
log "$USERS registrations, $((USERS * AUTHS)) refreshes; the kernel answered $rf"
exit 0
