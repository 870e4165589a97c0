# SPDX-License-Identifier: GPL-2.0
# sipregd killed with SIGKILL in the middle of a load (registrations
# through it, refreshes through the kernel), the load going on without it,
# then restarted: every binding that got a 200 is in the database, and the
# database took the refreshes the kernel did meanwhile (the kernel wins for
# expiry and CSeq), so both hold the same bindings at the same CSeq.
. /sipreg/selftests/vm/lib.sh

module_load
fastpath_or_skip
sipregd_setup
sipregd_users 300
sipregd_start
trap 'sipregd_kill KILL' EXIT
gw_ctl config set rate 0 || fail "config set rate 0"

# The load runs until it is stopped below (at most 120 s): on the debug
# kernel of a busy host a registration through sipregd takes seconds, so
# no fixed duration leaves time both before and after the kill.
# Not through load(): $! must be sipreg-load itself (ip netns exec execs it)
# for the SIGTERM that ends it, and with it its JSON report.
/sbin/ip netns exec client sipreg-load -t $GATEWAY4:5060 -b $CLIENT4 \
	-f $SIPREGD_DIR/load-users.txt --realm sipreg \
	-m register -n 300 -r 200 -d 120 -j > /tmp/load.json 2> /tmp/load.err &
lp=$!
# Killed once the kernel refreshes (bindings installed, refreshes flowing),
# not after a guessed time: on a busy host the first ones come late.
refreshing() { [ "$(counter gateway refreshes)" -gt 0 ]; }
wait_until 60 refreshing || fail "no refresh by the kernel before the kill"
sipregd_kill KILL
log "sipregd killed with $(sd binding list | grep -c .) bindings in the database"
rf0=$(counter gateway refreshes)
more_refreshes() { [ "$(counter gateway refreshes)" -gt "$rf0" ]; }
wait_until 30 more_refreshes
sleep 2
kill -TERM $lp
wait $lp
ok=$(json_num users_ok < /tmp/load.json)
rf=$(( $(counter gateway refreshes) - rf0 ))
log "load: $ok users got a 200; $rf refreshes by the kernel after the kill"
[ -n "$ok" ] && [ "$ok" -gt 0 ] || fail "no registration before the kill: $(cat /tmp/load.err)"
[ "$rf" -gt 0 ] || fail "no refresh by the kernel while the daemon was down"

sipregd_start
[ "$(sipregd_syncs)" = 2 ] || { sipregd_log; fail "no sync after the restart"; }
db=$(sd binding list | grep -c .)
[ "$db" -ge "$ok" ] || fail "$ok users had a 200, $db bindings in the database"
k=$(kernel_cseqs)
d=$(db_cseqs)
[ "$(echo "$k" | grep -c .)" = "$db" ] || fail "kernel has $(echo "$k" | grep -c .) bindings, database $db"
[ "$k" = "$d" ] || {
	echo "$k" > /tmp/k; echo "$d" > /tmp/d
	diff /tmp/k /tmp/d | head -n 10 | sed 's/^/# /'
	fail "kernel and database differ"
}
grep -q "taken from the kernel" $SIPREGD_DIR/log || fail "no reconcile logged"
sipregd_log 4
exit 0
