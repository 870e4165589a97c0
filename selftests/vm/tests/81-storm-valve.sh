# SPDX-License-Identifier: GPL-2.0
# The registration storm's valve beyond bytes (kmod/netlink.c, absorb.c):
# - a retransmission of a REGISTER handed to the daemon moments ago (same
#   source, Call-ID, CSeq and branch) is dropped and counted as
#   miss_absorbed, while a new transaction (another CSeq, branch or
#   source port) is not;
# - miss-queue-max N: with N misses queued, the next gets 503 (busy_count);
# - miss-queue-age MS: once the oldest queued miss has waited MS, the next
#   gets 503 (busy_age); 0 turns each limit off.
# The daemon is a claimant that never reads (sipregctl daemon claim hold),
# so the queue only grows and the counts do not depend on its speed.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
gw_ctl config show | grep -qx "miss-queue-max 0" ||
	fail "default miss-queue-max: $(gw_ctl config show | grep miss-queue)"
gw_ctl config show | grep -qx "miss-queue-age 0" ||
	fail "default miss-queue-age: $(gw_ctl config show | grep miss-queue)"
ctl_refused 1 "miss-queue-age" config set miss-queue-age 60001
ctl_refused 1 "miss-queue-max" config set miss-queue-max 1048577
# Every REGISTER a miss: no credentials needed.
gw_ctl config set fastpath off || fail "config set fastpath off"
# The expected wait is test 86's: here a claimant that never reads.
gw_ctl config set miss-queue-wait 0 || fail "config set miss-queue-wait 0"

holder=
# hold: a new claimant, with an empty queue, that never reads it.
hold() {
	if [ -n "$holder" ]; then
		kill $holder
		wait $holder 2>/dev/null
		wait_until 5 gw_ctl daemon claim || fail "claim still held"
	fi
	/sbin/ip netns exec gateway sipregctl daemon claim hold > /tmp/hold.out 2>&1 &
	holder=$!
	wait_until 5 grep -q "miss channel claimed" /tmp/hold.out ||
		fail "holder did not claim: $(cat /tmp/hold.out)"
}
# ua ARGS...: one REGISTER (or --count N of them), every answer printed.
ua() {
	in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -C "sip:alice@$CLIENT4:5061" \
		--timeout 300 "$@"
}
delta() { echo $(( $(counter gateway "$1") - $2 )); }

# -- retransmissions absorbed ------------------------------------------------
hold
sent0=$(counter gateway miss_sent)
abs0=$(counter gateway miss_absorbed)
busy0=$(counter gateway busy)
# four copies of one request, back to back: the first queued, three absorbed
r=$(ua -i absorb-1 --count 4)
[ -z "$r" ] || fail "a copy answered: $(echo "$r" | head -n 1)"
[ "$(delta miss_sent $sent0)" = 1 ] || fail "queued $(delta miss_sent $sent0) of 4 copies, expected 1"
[ "$(delta miss_absorbed $abs0)" = 3 ] || fail "absorbed $(delta miss_absorbed $abs0) of 4 copies, expected 3"
counter_is gateway busy "$busy0" || fail "a copy got 503"
# new transactions: another CSeq, another branch, another source port
ua -i absorb-1 -c 2 -B z9hG4bK-2 > /dev/null
ua -i absorb-1 -c 1 -B z9hG4bK-3 > /dev/null
ua -i absorb-1 -p 5062 > /dev/null
[ "$(delta miss_absorbed $abs0)" = 3 ] || fail "a new transaction absorbed: $(delta miss_absorbed $abs0)"
[ $(( $(delta miss_sent $sent0) + $(delta busy $busy0) )) = 4 ] ||
	fail "new transactions: $(delta miss_sent $sent0) queued, $(delta busy $busy0) 503s, expected 4 in all"
log "absorbed $(delta miss_absorbed $abs0), queued $(delta miss_sent $sent0)"

# -- by count --------------------------------------------------------------------
hold
gw_ctl config set miss-queue-age 0 miss-queue-max 5 || fail "config set miss-queue-max 5"
sent0=$(counter gateway miss_sent)
cnt0=$(counter gateway busy_count)
age0=$(counter gateway busy_age)
r=$(ua -i count-1 --count 20 --distinct)
n503=$(echo "$r" | grep -c '^SIP/2.0 503 Service Unavailable')
log "miss-queue-max 5: $(delta miss_sent $sent0) queued, $n503 answered 503, busy_count $(delta busy_count $cnt0)"
[ "$(delta miss_sent $sent0)" = 5 ] || fail "queued $(delta miss_sent $sent0) with miss-queue-max 5"
[ "$n503" -ge 1 ] || fail "no 503 past miss-queue-max"
[ "$(delta busy_count $cnt0)" -ge "$n503" ] || fail "busy_count $(delta busy_count $cnt0) < $n503 503s"
counter_is gateway busy_age "$age0" || fail "busy_age moved with miss-queue-age 0"
for s in $(echo "$r" | tr -d '\r' | sed -n 's/^Retry-After: //p'); do
	[ "$s" -ge 20 ] && [ "$s" -le 40 ] || fail "Retry-After $s not in 20..40"
done

# -- by age ----------------------------------------------------------------------
hold
gw_ctl config set miss-queue-max 0 miss-queue-age 100 || fail "config set miss-queue-age 100"
sent0=$(counter gateway miss_sent)
cnt0=$(counter gateway busy_count)
age0=$(counter gateway busy_age)
ua -i age-0 > /dev/null
[ "$(delta miss_sent $sent0)" = 1 ] || fail "the first miss was not queued"
n_aged=0
# a new request now and then until one finds the head older than 100 ms
aged() {
	n_aged=$((n_aged + 1))
	ua -i age-$n_aged > /dev/null
	[ "$(counter gateway busy_age)" -gt "$age0" ]
}
wait_until 20 aged || fail "no 503 for age after $n_aged requests"
counter_is gateway busy_count "$cnt0" || fail "busy_count moved with miss-queue-max 0"
log "miss-queue-age 100: 503 after $n_aged requests"
# both off: only bytes are left, far from full
gw_ctl config set miss-queue-age 0 || fail "config set miss-queue-age 0"
sent1=$(counter gateway miss_sent)
age1=$(counter gateway busy_age)
ua -i age-off > /dev/null
[ "$(delta miss_sent $sent1)" = 1 ] || fail "not queued with every limit off"
counter_is gateway busy_age "$age1" || fail "busy_age moved with miss-queue-age 0"
[ "$(counter gateway busy_bytes)" = 0 ] || fail "busy_bytes $(counter gateway busy_bytes) from a few misses"

kill $holder
wait $holder 2>/dev/null
exit 0
