# SPDX-License-Identifier: GPL-2.0
# Issue 12, finding 14: a bare CR inside a header value (here the quoted
# display name of From, which the 401 would echo) makes the request malformed: no answer, the parser's
# bad_line_ending verdict counts it. The same request without it gets its
# 401.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
config_ns gateway rate 0
req() {
	printf 'REGISTER sip:%s SIP/2.0\r\n' $GATEWAY4
	printf 'Via: SIP/2.0/UDP %s:5061;branch=z9hG4bK-cr;rport\r\n' $CLIENT4
	printf 'Max-Forwards: 70\r\n'
	printf 'From: "Alice%s" <sip:alice@sipreg>;tag=1\r\n' "$1"
	printf 'To: <sip:alice@sipreg>\r\nCall-ID: cr-test\r\nCSeq: 1 REGISTER\r\n'
	printf 'Contact: <sip:alice@%s:5061>\r\nContent-Length: 0\r\n\r\n' $CLIENT4
}
req "" > /tmp/ok.sip
req "$(printf '\rX-Injected: 1')" > /tmp/cr.sip
r=$(sip_ua -b $CLIENT4 -t $GATEWAY4 --message /tmp/ok.sip)
[ "$(echo "$r" | status_of)" = 401 ] || fail "no 401 without the CR"
ch0=$(counter gateway challenges)
r=$(sip_ua -b $CLIENT4 -t $GATEWAY4 --message /tmp/cr.sip --timeout 500)
[ -z "$r" ] || fail "bare CR in From answered: $(echo "$r" | head -n 1)"
[ "$(counter gateway challenges)" = "$ch0" ] || fail "a 401 counted"
[ "$(counter gateway verdict.bad_line_ending)" = 1 ] ||
	fail "verdict.bad_line_ending is $(counter gateway verdict.bad_line_ending)"
exit 0
