# SPDX-License-Identifier: GPL-2.0
# A flood of initial REGISTERs from one source: the 401s sent stay within
# rate x time + burst; the rest are dropped and counted, not reflected.
. /sipreg/selftests/vm/lib.sh
N=300

module_load
gateway_on
in_gateway sipregctl config set rate 10 burst 10 || fail "config set"
start=$(cut -d ' ' -f 1 /proc/uptime)
sipp_client -sf $SIPP_DIR/register-send.xml -m $N -r 1000 -i $CLIENT4 -p 5061 $GATEWAY4:5060 ||
	fail "sipp failed"
# Sent at 1000/s: a busy host may lose a few before the hook.
rx=$(settled gateway rx_packets)
[ "$rx" -le $N ] && [ "$rx" -ge $((N / 2)) ] || fail "rx_packets $rx for $N sent"
end=$(cut -d ' ' -f 1 /proc/uptime)
sent=$(counter gateway challenges)
limited=$(counter gateway rate_limited)
# allowed: burst + rate per second elapsed (rounded up), plus one
allowed=$(awk -v s=$start -v e=$end 'BEGIN { printf "%d", 10 + 10 * (e - s + 1) + 1 }')
log "sent $sent 401s, limited $limited, allowed $allowed in $(awk -v s=$start -v e=$end 'BEGIN { print e - s }') s"
[ "$sent" -ge 10 ] || fail "not even the burst was answered: $sent"
[ "$sent" -le "$allowed" ] || fail "rate limit exceeded: $sent > $allowed"
[ $((sent + limited)) = "$rx" ] || fail "sent $sent + limited $limited != $rx received"
# Another source is not limited by the first one's bucket.
in_client ip addr add 192.0.2.3/24 dev veth-c
r=$(in_client sipreg-ua -b 192.0.2.3 -t $GATEWAY4 -p 5062) || fail "second source got no 401"
exit 0
