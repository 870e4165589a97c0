# SPDX-License-Identifier: GPL-2.0
# A registration storm: while the daemon's miss queue is full (three
# quarters of its bytes here; by count and age: test 81), a REGISTER
# that would go to it gets 503 with a Retry-After drawn
# from N..2N (RFC 3261 21.5.4), counted as "busy", instead of falling out
# of the queue unanswered. The daemon here is a claimant that never reads
# (sipregctl daemon claim hold), so the queue fills whatever the speed of
# the machine; with busy-retry-after 0, or no claimant, nothing answers.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
gw_ctl config show | grep -qx "busy-retry-after 20" ||
	fail "default busy-retry-after: $(gw_ctl config show | grep busy)"
# Every REGISTER a miss: no credentials needed to fill the queue.
gw_ctl config set fastpath off || fail "config set fastpath off"
# The expected wait is test 86's: here a claimant that never reads.
gw_ctl config set miss-queue-wait 0 || fail "config set miss-queue-wait 0"

/sbin/ip netns exec gateway sipregctl daemon claim hold > /tmp/hold.out 2>&1 &
holder=$!
held() { grep -q "miss channel claimed" /tmp/hold.out; }
wait_until 5 held || fail "holder did not claim: $(cat /tmp/hold.out)"

# flood CALL-ID: 400 REGISTERs of one Call-ID, each a new transaction
# (copies of one would be absorbed as retransmissions: test 81); every
# answer printed.
flood() {
	in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -i "$1" -C "sip:alice@$CLIENT4:5061" \
		--count 400 --distinct --timeout 1000
}
# retry_afters < ANSWERS: the Retry-After values of the 503s, one a line.
retry_afters() { tr -d '\r' | sed -n 's/^Retry-After: //p'; }

sent0=$(counter gateway miss_sent)
r=$(flood storm-1)
n503=$(echo "$r" | grep -c '^SIP/2.0 503 Service Unavailable')
log "first flood: $n503 answers 503, miss_sent $(counter gateway miss_sent), busy $(counter gateway busy)"
[ "$n503" -ge 1 ] || fail "no 503 once the queue filled: $(echo "$r" | head -n 3)"
[ "$(counter gateway miss_sent)" -gt "$sent0" ] || fail "nothing was queued before the 503s"
[ "$(echo "$r" | grep -c '^SIP/2.0 ')" = "$n503" ] || fail "an answer other than 503"
[ "$(counter gateway busy)" -ge "$n503" ] || fail "busy $(counter gateway busy) < $n503 503s seen"
echo "$r" | awk '/^SIP\/2.0 503/ { p = 1 } p { print "#   " $0 } /^\r?$/ { if (p) exit }'
echo "$r" | grep -q '^To: <sip:alice@sipreg>;tag=' || fail "503 To without tag"
echo "$r" | grep -q '^Call-ID: storm-1' || fail "503 Call-ID"
echo "$r" | grep -q "^Via: SIP/2.0/UDP .*;received=$CLIENT4" || fail "503 Via"
for s in $(echo "$r" | retry_afters); do
	[ "$s" -ge 20 ] && [ "$s" -le 40 ] || fail "Retry-After $s not in 20..40"
done
[ "$(echo "$r" | retry_afters | wc -l)" = "$n503" ] || fail "a 503 without Retry-After"

# The admin's base, and off.
gw_ctl config set busy-retry-after 3 || fail "config set busy-retry-after 3"
r=$(flood storm-2)
[ "$(echo "$r" | grep -c '^SIP/2.0 503')" -ge 1 ] || fail "no 503 with busy-retry-after 3"
for s in $(echo "$r" | retry_afters); do
	[ "$s" -ge 3 ] && [ "$s" -le 6 ] || fail "Retry-After $s not in 3..6"
done
gw_ctl config set busy-retry-after 0 || fail "config set busy-retry-after 0"
b0=$(counter gateway busy)
r=$(flood storm-3)
[ -z "$r" ] || fail "answered with busy-retry-after 0: $(echo "$r" | head -n 1)"
counter_is gateway busy "$b0" || fail "busy moved while off"

# No claimant: misses go to the stack, never a 503.
gw_ctl config set busy-retry-after 20 || fail "config set busy-retry-after 20"
kill $holder
wait $holder 2>/dev/null
free() { gw_ctl daemon claim; }
wait_until 5 free || fail "claim still held after the holder was killed"
r=$(flood storm-4)
[ -z "$r" ] || fail "answered with no daemon: $(echo "$r" | head -n 1)"
counter_is gateway busy "$b0" || fail "busy moved with no daemon"

ctl_refused 1 "busy-retry-after" config set busy-retry-after 3601
exit 0
