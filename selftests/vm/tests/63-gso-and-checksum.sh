# SPDX-License-Identifier: GPL-2.0
# Issue 12, findings 8 and 9: a GSO super-packet (three REGISTERs in one
# UDP_SEGMENT send) is left to the stack, which splits it, instead of being
# answered as one request; a datagram with a wrong UDP checksum is never
# acted on (csum_errors counts it) while the same one with a right
# checksum, sent the same way, is answered. IPv4 and IPv6.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
config_ns gateway rate 0
for fam in 4 6; do
	if [ $fam = 4 ]; then C=$CLIENT4 G=$GATEWAY4; else C=$CLIENT6 G=$GATEWAY6; fi
	log "IPv$fam"
	ch0=$(counter gateway challenges) p0=$(counter gateway passed)
	r=$(sip_ua -b $C -t $G --gso 3 --count 3 --timeout 500)
	[ -z "$r" ] || fail "GSO super-packet answered: $(echo "$r" | head -n 1)"
	[ "$(counter gateway challenges)" = "$ch0" ] || fail "a 401 for a GSO super-packet"
	[ "$(counter gateway passed)" -gt "$p0" ] || fail "GSO super-packet not passed"

	r=$(sip_ua -b $C -t $G --raw csum-bad --timeout 500)
	[ -z "$r" ] || fail "wrong UDP checksum answered: $(echo "$r" | head -n 1)"
	counter_is gateway csum_errors $(( fam == 4 ? 1 : 2 )) ||
		fail "csum_errors is $(counter gateway csum_errors)"
	r=$(sip_ua -b $C -t $G --raw csum-good)
	[ "$(echo "$r" | status_of)" = 401 ] || fail "right checksum, raw socket: no 401"
done
exit 0
