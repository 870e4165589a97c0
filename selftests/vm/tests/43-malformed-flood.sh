# SPDX-License-Identifier: GPL-2.0
# Random bytes and mangled REGISTERs on the SIP port: no oops, and every
# datagram is counted under a parser verdict.
. /sipreg/selftests/vm/lib.sh
N=3000

module_load
gateway_on
in_gateway sipregctl config set rate 0 || fail "config set"
# The flood is not paced: room for all of it in the receive backlog.
sysctl -qw net.core.netdev_max_backlog=20000
in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 --flood $N || fail "flood (v4) failed"
in_client sipreg-ua -b $CLIENT6 -t $GATEWAY6 --flood $N || fail "flood (v6) failed"
expect_stat gateway rx_packets $((2 * N))
verdicts=$(in_gateway sipregctl stats | awk '$1 ~ /^verdict\./ { s += $2 } END { print s + 0 }')
log "verdicts: $(in_gateway sipregctl stats | awk '$1 ~ /^verdict\./ && $2 { printf "%s=%s ", $1, $2 }')"
[ "$verdicts" = $((2 * N)) ] || fail "$verdicts verdicts for $((2 * N)) datagrams"
# Still answering afterwards.
r=$(in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4) || fail "no 401 after the flood"
exit 0
