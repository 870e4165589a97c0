# SPDX-License-Identifier: GPL-2.0
# Random bytes and mangled REGISTERs on the SIP port: no oops, and every
# datagram that reached the hook is counted under a parser verdict. The
# flood is unpaced, so the sender's count is only an upper bound.
. /sipreg/selftests/vm/lib.sh
N=3000

module_load
gateway_on
in_gateway sipregctl config set rate 0 || fail "config set"
# The flood is not paced: room for all of it in the receive backlog.
sysctl -qw net.core.netdev_max_backlog=20000
in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 --flood $N || fail "flood (v4) failed"
in_client sipreg-ua -b $CLIENT6 -t $GATEWAY6 --flood $N || fail "flood (v6) failed"
rx=$(settled gateway rx_packets)
log "$rx of $((2 * N)) datagrams reached the hook"
[ "$rx" -le $((2 * N)) ] || fail "rx_packets $rx, more than the $((2 * N)) sent"
[ "$rx" -ge $((N / 2)) ] || fail "only $rx of $((2 * N)) datagrams reached the hook"
verdicts=$(in_gateway sipregctl stats | awk '$1 ~ /^verdict\./ { s += $2 } END { print s + 0 }')
log "verdicts: $(in_gateway sipregctl stats | awk '$1 ~ /^verdict\./ && $2 { printf "%s=%s ", $1, $2 }')"
[ "$verdicts" = "$rx" ] || fail "$verdicts verdicts for $rx datagrams"
# Still answering afterwards.
r=$(in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4) || fail "no 401 after the flood"
exit 0
