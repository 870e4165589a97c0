# SPDX-License-Identifier: GPL-2.0
# Issue 12, finding 11: REGISTERs sent to a multicast or broadcast
# address (ff02::1, 224.0.0.1, 192.0.2.255) are never answered: no 401
# sent, none attempted (tx_failed), all left to the stack.
. /sipreg/selftests/vm/lib.sh

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
	sip_ua -b $C -t $dst --broadcast --timeout 500 > /dev/null
	[ "$(counter gateway challenges)" = "$ch0" ] || fail "$dst: answered"
	[ "$(counter gateway tx_failed)" = "$t0" ] || fail "$dst: an answer was attempted"
	[ "$(counter gateway passed)" -gt "$p0" ] || fail "$dst: never reached the module"
done
exit 0
