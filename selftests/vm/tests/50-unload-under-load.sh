# SPDX-License-Identifier: GPL-2.0
# Issue 12 §3.1: rmmod while everything that runs on its own is busy: the
# hook (401s, fast-path refreshes, misses unicast to the daemon), the
# batched refresh events (a monitor listens), the expiry work (bindings of
# a second expire every second) and the nonce rotation. Three rounds; the
# console is checked for oopses by run.sh (a use-after-free shows there on
# the debug kernel, and as an oops on any kernel when freed module code or
# a freed work item runs).
. /sipreg/selftests/vm/lib.sh

sipregd_setup
sipregd_users 100
MON=
LOAD=
FLOOD=
stop_all() {
	for p in $LOAD $FLOOD $MON; do kill $p 2>/dev/null; wait $p 2>/dev/null; done
	LOAD= FLOOD= MON=
	sipregd_kill
}
trap stop_all EXIT

for round in 1 2 3; do
	log "round $round"
	module_load
	sipregd_start
	gw_ctl config set rate 0 || fail "config set"
	/sbin/ip netns exec gateway sipregctl monitor > /tmp/mon.txt 2>&1 &
	MON=$!
	i=0
	while [ $i -lt 20 ]; do
		gw_ctl binding add sip:exp$i@sipreg contact sip:e@192.0.2.1 call-id e$i \
			cseq 1 expires 1 || fail "binding add"
		i=$((i + 1))
	done
	load -m register -n 100 -r 300 -d 30 -j > /tmp/load.json 2> /tmp/load.err &
	LOAD=$!
	in_client sipp -nostdin -sf $SIPP_DIR/register-send.xml -m 20000 -r 300 \
		-i $CLIENT4 -p 5071 $GATEWAY4:5060 > /dev/null 2>&1 &
	FLOOD=$!
	busy() {
		[ "$(counter gateway refreshes)" -gt 20 ] &&
		[ "$(counter gateway challenges)" -gt 100 ] &&
		[ "$(counter gateway miss_sent)" -gt 0 ] &&
		grep -q binding_refreshed /tmp/mon.txt
	}
	wait_until 60 busy || {
		gw_ctl stats | sed 's/^/# /'; sipregd_log; fail "round $round: load did not build up"; }
	# Unload while all of it runs; the daemon and the monitor keep their
	# sockets open across the unload.
	module_unload
	stop_all
done
exit 0
