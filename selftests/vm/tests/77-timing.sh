# SPDX-License-Identifier: GPL-2.0
# Issue 14 item 1, the kernel's own cost: with 'config set timing on' the
# hook counts each request it served in the timed_* of its class and its
# nanoseconds, entry to verdict, in time_ns_*. Off by default, and off
# again, nothing moves. The requests are sent one at a time and answered
# (or not) before the next, so every count is exact: a class's timed_*
# moves with the counter the same code moves (challenges, refreshes,
# retransmissions, passed), and all of them with rx_packets. Nothing is
# asserted about speed: ns > 0 only, and only on a fine clock. Then the
# floor module's timing file.
. /sipreg/selftests/vm/lib.sh

# A kernel without a tsc clocksource keeps time in ticks: the debug kernel
# here (no HPET or PM timer in its configuration, and its watchdog marks
# the TSC unstable against jiffies under emulation), or a boot that could
# not calibrate the TSC. local_clock() is then held within the tick and a
# short request can take 0 ns (seen in CI: time_ns_pass did not move on
# the debug kernel). There the counts are checked, the nanoseconds not.
fine_clock() {
	grep -qw tsc /sys/devices/system/clocksource/clocksource0/available_clocksource
}

AOR=sip:alice@sipreg
CT="sip:alice@$CLIENT4:5061"
CID=timing-1
FLOOR_KO=/lib/modules/sipreg_floor.ko
CLASSES="challenge refresh retransmission miss pass other"

ua() { in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -i $CID -C "$CT" "$@"; }

# snap: every counter this test compares, as shell variables NAME_0.
snap() {
	local out c
	out=$(gw_ctl stats) || fail "sipregctl stats"
	for c in rx_packets challenges refreshes retransmissions passed \
		 $(for k in $CLASSES; do echo timed_$k time_ns_$k; done); do
		eval "${c}_0=$(echo "$out" | awk -v n=$c '$1 == n { print $2 }')"
		[ -n "$(eval echo \$${c}_0)" ] || fail "no $c in sipregctl stats"
	done
}

# moved NAME: how much NAME grew since snap.
moved() { echo $(( $(counter gateway "$1") - $(eval echo \$${1}_0) )); }

CSEQ=1
NC=0
# traffic: 3 challenges, 3 refreshes, 1 retransmission, 1 bad digest
# (no daemon: left to the stack), each answered before the next is sent.
traffic() {
	local i r nonce
	for i in 1 2 3; do
		r=$(ua -c $CSEQ -B z9hG4bK-c$CSEQ) || fail "challenge $i: no answer"
		[ "$(echo "$r" | status_of)" = 401 ] || fail "challenge $i: $(echo "$r" | head -n 1)"
		CSEQ=$((CSEQ + 1))
	done
	nonce=$(echo "$r" | nonce_of)
	for i in 1 2 3; do
		NC=$((NC + 1))
		r=$(ua -c $CSEQ -B z9hG4bK-r$CSEQ --nonce $nonce --password pw \
			--nc $(printf %08x $NC)) || fail "refresh $i: no answer"
		[ "$(echo "$r" | status_of)" = 200 ] || fail "refresh $i: $(echo "$r" | head -n 1)"
		CSEQ=$((CSEQ + 1))
	done
	CSEQ=$((CSEQ - 1))
	r=$(ua -c $CSEQ -B z9hG4bK-r$CSEQ --nonce $nonce --password pw \
		--nc $(printf %08x $NC)) || fail "retransmission: no answer"
	[ "$(echo "$r" | status_of)" = 200 ] || fail "retransmission: $(echo "$r" | head -n 1)"
	CSEQ=$((CSEQ + 1))
	NC=$((NC + 1))
	r=$(ua -c $CSEQ -B z9hG4bK-x$CSEQ --nonce $nonce --password wrong \
		--nc $(printf %08x $NC) --timeout 300)
	[ -z "$r" ] || fail "bad digest answered: $(echo "$r" | head -n 1)"
	CSEQ=$((CSEQ + 1))
}

module_load
gateway_on
echo pw | gw_ctl user add alice realm sipreg || fail "user add"
gw_ctl binding add $AOR contact "$CT" call-id $CID cseq 1 expires 600 ||
	fail "binding add"
CSEQ=2

# 1. off by default: the counters exist and stay at zero.
gw_ctl config show | grep -qx "timing off" ||
	fail "default timing: $(gw_ctl config show | grep timing)"
snap
traffic
[ "$(moved challenges)" = 3 ] && [ "$(moved refreshes)" = 3 ] ||
	fail "traffic: challenges +$(moved challenges), refreshes +$(moved refreshes)"
for k in $CLASSES; do
	counter_is gateway timed_$k 0 || fail "timing off: timed_$k $(counter gateway timed_$k)"
	counter_is gateway time_ns_$k 0 || fail "timing off: time_ns_$k $(counter gateway time_ns_$k)"
done
gw_ctl stats | grep -q '^timing' && fail "timing section while nothing was timed"
log "off by default: nothing timed"

# 2. on: each class moves with its own counter, every request is timed.
gw_ctl config set timing on || fail "config set timing on"
gw_ctl config show | grep -qx "timing on" || fail "config show: timing not on"
snap
traffic
for pair in challenge:challenges refresh:refreshes \
	    retransmission:retransmissions pass:passed; do
	k=${pair%%:*}
	c=${pair#*:}
	[ "$(moved $c)" -ge 1 ] || fail "$c did not move"
	[ "$(moved timed_$k)" = "$(moved $c)" ] ||
		fail "timed_$k +$(moved timed_$k), $c +$(moved $c)"
	[ "$(moved time_ns_$k)" -gt 0 ] || ! fine_clock || fail "time_ns_$k did not move"
	log "$k: $(moved timed_$k) timed, $(( $(moved time_ns_$k) / $(moved timed_$k) )) ns each"
done
fine_clock || log "no tsc clocksource: a clock in ticks, nanoseconds not checked"
[ "$(moved challenges)" = 3 ] && [ "$(moved refreshes)" = 3 ] &&
	[ "$(moved retransmissions)" = 1 ] ||
	fail "challenges +$(moved challenges) refreshes +$(moved refreshes) retransmissions +$(moved retransmissions)"
total=0
for k in $CLASSES; do total=$((total + $(moved timed_$k))); done
[ "$total" = "$(moved rx_packets)" ] ||
	fail "timed $total of $(moved rx_packets) datagrams"
out=$(gw_ctl stats)
echo "$out" | grep -q '^timing (ns per request in the hook):' || fail "no timing section: $out"
echo "$out" | grep -Eq '^  challenge +[0-9]+$' || fail "no challenge in the timing section: $out"
json=$(gw_ctl -j stats)
echo "$json" | sipreg-jsoncheck || fail "stats -j is not JSON: $json"
echo "$json" | grep -q '"timing_ns_per_request":{"challenge":[0-9]' ||
	fail "JSON timing: $json"

# 3. off again: nothing moves, the answers go on.
gw_ctl config set timing off || fail "config set timing off"
snap
traffic
[ "$(moved challenges)" = 3 ] || fail "challenges +$(moved challenges) after timing off"
for k in $CLASSES; do
	[ "$(moved timed_$k)" = 0 ] && [ "$(moved time_ns_$k)" = 0 ] ||
		fail "timing off: timed_$k +$(moved timed_$k) time_ns_$k +$(moved time_ns_$k)"
done
ctl_refused 1 "use on or off" config set timing maybe
log "off again: nothing timed"

# 4. The floor module (make bench): always timing its echoes, read from
# /sys/module/sipreg_floor/parameters/timing as "ECHOES NS".
[ -f $FLOOR_KO ] || skip "no $FLOOR_KO in this VM (make bench-floor)"
insmod $FLOOR_KO port=5070 || fail "insmod $FLOOR_KO"
T=/sys/module/sipreg_floor/parameters/timing
[ -r $T ] || { rmmod sipreg_floor; fail "no $T"; }
read e0 n0 < $T
for i in 1 2 3; do
	in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 --dport 5070 -i floor-$i \
		--timeout 300 > /dev/null
done
read e1 n1 < $T
rmmod sipreg_floor || fail "rmmod sipreg_floor"
log "floor: $e0 $n0 -> $e1 $n1"
[ "$e0" = 0 ] && [ "$n0" = 0 ] || fail "floor timing not zero at load: $e0 $n0"
[ "$e1" = 3 ] || fail "floor: $e1 echoes timed, 3 sent"
[ "$n1" -gt 0 ] || ! fine_clock || fail "floor: no ns"
exit 0
