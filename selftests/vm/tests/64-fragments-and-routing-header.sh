# SPDX-License-Identifier: GPL-2.0
# Issue 12, findings 12 and 16. Without nf_defrag_ipv6 LOCAL_IN sees IPv6
# fragments one by one: a first fragment whose UDP length claims no more
# than it carries is not a datagram, and gets no answer; nor does a packet
# whose routing header still has a segment to visit. A REGISTER too large
# for one packet (fragmented by the sender) is treated alike in both
# families: left to the stack. Before, IPv4 answered it (reassembled
# before LOCAL_IN, and IPSKB_FRAG_COMPLETE only marks fragments a host
# sends) while IPv6 could not: the PROTOS corpus's IPv4/IPv6 difference.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
config_ns gateway rate 0
r=$(sip_ua -b $CLIENT6 -t $GATEWAY6 --raw csum-good --timeout 5000)
[ "$(echo "$r" | status_of)" = 401 ] || fail "raw IPv6 REGISTER: no 401"
r=$(sip_ua -b $CLIENT6 -t $GATEWAY6 --raw frag --timeout 500)
[ -z "$r" ] || fail "first fragment answered: $(echo "$r" | head -n 1)"
r=$(sip_ua -b $CLIENT6 -t $GATEWAY6 --raw rthdr --timeout 500)
[ -z "$r" ] || fail "routing header with segments left answered: $(echo "$r" | head -n 1)"

# A 3000-byte REGISTER: 20 lines of padding.
big() {
	local i=0
	printf 'REGISTER sip:%s SIP/2.0\r\n' "$2"
	printf 'Via: SIP/2.0/UDP %s:5061;branch=z9hG4bK-big;rport\r\n' "$1"
	printf 'Max-Forwards: 70\r\nFrom: <sip:alice@sipreg>;tag=fbig\r\n'
	printf 'To: <sip:alice@sipreg>\r\nCall-ID: big\r\nCSeq: 1 REGISTER\r\n'
	printf 'Contact: <sip:alice@%s:5061>\r\n' "$1"
	while [ $i -lt 20 ]; do
		printf 'X-Pad-%02d: %0140d\r\n' $i 0
		i=$((i + 1))
	done
	printf 'Content-Length: 0\r\n\r\n'
}
big $CLIENT4 $GATEWAY4 > /tmp/big4.sip
big "[$CLIENT6]" "[$GATEWAY6]" > /tmp/big6.sip
[ "$(wc -c < /tmp/big4.sip)" -gt 3000 ] || fail "padding too short"
for fam in 4 6; do
	if [ $fam = 4 ]; then C=$CLIENT4 G=$GATEWAY4; else C=$CLIENT6 G=$GATEWAY6; fi
	ch0=$(counter gateway challenges)
	r=$(sip_ua -b $C -t $G --message /tmp/big$fam.sip --timeout 500)
	[ -z "$r" ] || fail "IPv$fam: fragmented REGISTER answered: $(echo "$r" | head -n 1)"
	[ "$(counter gateway challenges)" = "$ch0" ] || fail "IPv$fam: a 401 for a fragmented REGISTER"
done
exit 0
