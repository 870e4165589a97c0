# SPDX-License-Identifier: GPL-2.0
# Issue 12, finding 7: a refresh is committed only once its 200 exists.
# With no route back to the client the answer cannot be built: the binding
# does not move and the request is a miss (reply_failed). Once committed,
# the request never goes on to the stack: a 200 dropped on its way out
# (nftables output rule) leaves the refresh in place and the request
# consumed (tx_failed, not passed).
. /sipreg/selftests/vm/lib.sh

AOR=sip:alice@sipreg CT=sip:alice@$CLIENT4:5061 CID=call-commit
nf_modules_load
module_load
gateway_on
config_ns gateway
echo pw | gw_ctl user add alice realm sipreg || fail "user add"
gw_ctl binding add $AOR contact $CT call-id $CID cseq 1 expires 600 || fail "binding add"
A="-b $CLIENT4 -t $GATEWAY4 -i $CID -C $CT"
N=$(sip_ua $A | nonce_of)
[ -n "$N" ] || fail "no nonce"

# 1. no route to the client: nothing committed
in_gateway ip route add prohibit $CLIENT4/32 || fail "ip route add prohibit"
t0=$(counter gateway tx_failed)
r=$(sip_ua $A -c 2 -B z9hG4bK-c1 --nonce $N --password pw --nc 00000001 --timeout 500)
[ -z "$r" ] || fail "answered without a route"
[ "$(kernel_cseq $AOR)" = 1 ] || fail "refresh committed without an answer (cseq $(kernel_cseq $AOR))"
[ "$(counter gateway tx_failed)" = $((t0 + 1)) ] || fail "tx_failed not counted"
counter_is gateway miss.reply_failed 1 || fail "miss.reply_failed not counted"
in_gateway ip route del prohibit $CLIENT4/32

# 2. committed, then the 200 is dropped on its way out: consumed, not passed
nft_gw '
table ip replies {
	chain output {
		type filter hook output priority 0;
		udp sport 5060 drop
	}
}'
p0=$(counter gateway passed) t0=$(counter gateway tx_failed)
r=$(sip_ua $A -c 3 -B z9hG4bK-c2 --nonce $N --password pw --nc 00000002 --timeout 500)
[ -z "$r" ] || fail "answered through a drop rule"
[ "$(kernel_cseq $AOR)" = 3 ] || fail "refresh with a built answer not committed"
[ "$(counter gateway tx_failed)" = $((t0 + 1)) ] || fail "tx_failed not counted"
[ "$(counter gateway passed)" = "$p0" ] || fail "a committed request was passed to the stack"
in_gateway nft delete table ip replies

# 3. the client's retransmission gets the answer
r=$(sip_ua $A -c 3 -B z9hG4bK-c2 --nonce $N --password pw --nc 00000002)
[ "$(echo "$r" | status_of)" = 200 ] || fail "retransmission not answered"
exit 0
