# SPDX-License-Identifier: GPL-2.0
# The storm valve by expected wait (kmod/drain.c): a REGISTER that would
# wait in the daemon's miss queue longer than miss-queue-wait ms, at the
# rate the daemon has been taking misses, gets 503 (busy_wait), so the
# daemon is never given more than it can answer in time:
# - a claimant that takes 5 misses a second, fed faster: once its rate is
#   known, the queue holds about a second's worth (the limit) and the rest
#   get 503; what was queued is bounded by what it took;
# - one that takes misses as fast as they come: no 503, the same bursts;
# - miss-queue-wait 0: no such limit.
# The claimant is sipreg-drainer (a daemon of known speed, that answers
# nothing); a claimant that never reads is tests 81 and 84's.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
gw_ctl config show | grep -qx "miss-queue-wait 2000" ||
	fail "default miss-queue-wait: $(gw_ctl config show | grep miss-queue)"
ctl_refused 1 "miss-queue-wait" config set miss-queue-wait 60001
# Every REGISTER a miss: no credentials needed.
gw_ctl config set fastpath off || fail "config set fastpath off"

drainer=
# drain RATE: a new claimant, with an empty queue, taking RATE a second.
drain() {
	if [ -n "$drainer" ]; then
		kill $drainer
		wait $drainer 2>/dev/null
		wait_until 5 gw_ctl daemon claim || fail "claim still held"
	fi
	/sbin/ip netns exec gateway sipreg-drainer "$1" > /tmp/drainer.out 2>&1 &
	drainer=$!
	wait_until 5 grep -q "miss channel claimed" /tmp/drainer.out ||
		fail "drainer did not claim: $(cat /tmp/drainer.out)"
}
# burst ID: ten new transactions back to back, every answer printed
burst() {
	in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -C "sip:alice@$CLIENT4:5061" \
		-i "$1" --count 10 --distinct --timeout 200
}
delta() { echo $(( $(counter gateway "$1") - $2 )); }
# rounds N PREFIX: N bursts; sets answers (every status line seen)
rounds() {
	local k=0
	answers=
	while [ $k -lt "$1" ]; do
		answers="$answers$(burst "$2-$k" | grep '^SIP/2.0 ')
"
		k=$((k + 1))
	done
}

# -- a slow daemon ----------------------------------------------------------------
drain 5
gw_ctl config set miss-queue-wait 1000 || fail "config set miss-queue-wait 1000"
sent0=$(counter gateway miss_sent)
wait0=$(counter gateway busy_wait)
bytes0=$(counter gateway busy_bytes)
t0=$(date +%s)
rounds 30 slow
t=$(( $(date +%s) - t0 + 1 ))
queued=$(delta miss_sent $sent0)
n503=$(echo "$answers" | grep -c '^SIP/2.0 503 Service Unavailable')
log "5/s daemon, 300 REGISTERs in ${t} s: $queued queued, $n503 answered 503, busy_wait $(delta busy_wait $wait0)"
[ "$n503" -ge 1 ] || fail "no 503 while the queue grew beyond a second's worth"
[ "$(echo "$answers" | grep -c '^SIP/2.0 ')" = "$n503" ] ||
	fail "an answer other than 503: $(echo "$answers" | grep -v '503' | head -n 1)"
[ "$(delta busy_wait $wait0)" -ge "$n503" ] || fail "busy_wait $(delta busy_wait $wait0) < $n503 503s"
counter_is gateway busy_bytes "$bytes0" || fail "busy_bytes moved: the wait did not hold the queue"
# It took at most 5 a second: what went beyond that stayed queued, and the
# limit keeps that near a second's worth (slack: the first second, before
# a window of a second proves its rate, and a burst).
[ "$queued" -le $(( 5 * t + 80 )) ] ||
	fail "$queued queued in ${t} s for a daemon taking 5 a second"

# -- a fast one ----------------------------------------------------------------------
drain 100000
gw_ctl config set miss-queue-wait 5000 || fail "config set miss-queue-wait 5000"
sent0=$(counter gateway miss_sent)
wait0=$(counter gateway busy_wait)
rounds 20 fast
log "fast daemon, 200 REGISTERs: $(delta miss_sent $sent0) queued, busy_wait $(delta busy_wait $wait0)"
[ -z "$(echo "$answers" | grep '^SIP')" ] || fail "answered: $(echo "$answers" | grep '^SIP' | head -n 1)"
counter_is gateway busy_wait "$wait0" || fail "busy_wait moved for a daemon that keeps up"
[ "$(delta miss_sent $sent0)" -ge 100 ] || fail "only $(delta miss_sent $sent0) of 200 queued"

# -- off -----------------------------------------------------------------------------------
drain 5
gw_ctl config set miss-queue-wait 0 || fail "config set miss-queue-wait 0"
wait0=$(counter gateway busy_wait)
rounds 10 off
counter_is gateway busy_wait "$wait0" || fail "busy_wait moved with miss-queue-wait 0"
[ -z "$(echo "$answers" | grep '^SIP')" ] || fail "answered with miss-queue-wait 0"

kill $drainer
wait $drainer 2>/dev/null
exit 0
