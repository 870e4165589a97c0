# SPDX-License-Identifier: GPL-2.0
# Issue 12, finding 11: REGISTERs sent to a multicast or broadcast
# address (ff02::1, 224.0.0.1, 192.0.2.255) are never answered: no 401
# sent, none attempted (tx_failed), all left to the stack.
. /sipreg/selftests/vm/lib.sh

counter_gt() { [ "$(counter "$1" "$2")" -gt "$3" ]; }

module_load
gateway_on
config_ns gateway rate 0
in_client ip route add 224.0.0.0/4 dev veth-c
r=$(sip_ua -b $CLIENT4 -t $GATEWAY4)
[ "$(echo "$r" | status_of)" = 401 ] || fail "unicast: no 401"
for dst in ff02::1%veth-c 224.0.0.1 192.0.2.255; do
	case $dst in *:*) C=$CLIENT6;; *) C=$CLIENT4;; esac
	ch0=$(counter gateway challenges) t0=$(counter gateway tx_failed)
	p0=$(counter gateway passed)
	# A busy host may lose or delay one datagram before the hook: up to
	# three sends, each given 5 s to be counted. Any answer is a failure.
	n=0
	while [ $n -lt 3 ]; do
		n=$((n + 1))
		sip_ua -b $C -t $dst --broadcast --timeout 500 > /dev/null 2> /tmp/ua.err
		rc=$?
		[ $rc = 0 ] && fail "$dst: an answer came"
		[ $rc = 1 ] || sed "s/^/# ua (exit $rc): /" /tmp/ua.err
		wait_until 5 counter_gt gateway passed "$p0" && break
		echo "# $dst: send $n not seen by the module yet"
	done
	[ "$(counter gateway challenges)" = "$ch0" ] || fail "$dst: answered"
	[ "$(counter gateway tx_failed)" = "$t0" ] || fail "$dst: an answer was attempted"
	[ "$(counter gateway passed)" -gt "$p0" ] || fail "$dst: never reached the module in $n sends"
done
exit 0
