# SPDX-License-Identifier: GPL-2.0
# Issue 12, finding 13: (a) a 401 is never more than 3 times the size of
# the request that asked for it (an unproven source address, as QUIC's
# anti-amplification limit): a minimal REGISTER gets none; (b) the 401s of
# a namespace have a global budget (rate-global) whatever the number of
# sources; (c) an exact replay of a refresh is answered at most 10 times
# (RFC 3261's 11 sends of a UDP request), not forever.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
config_ns gateway rate 0

# (a)
printf 'REGISTER sip:b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n\r\n' > /tmp/small.sip
log "minimal REGISTER: $(wc -c < /tmp/small.sip) bytes"
ch0=$(counter gateway challenges)
r=$(sip_ua -b $CLIENT4 -t $GATEWAY4 --message /tmp/small.sip --timeout 500)
[ -z "$r" ] || fail "a $(echo "$r" | wc -c)-byte 401 to a $(wc -c < /tmp/small.sip)-byte REGISTER"
[ "$(counter gateway challenges)" = "$ch0" ] || fail "challenges counted"
counter_is gateway amplification_limited 1 || fail "amplification_limited not counted"
r=$(sip_ua -b $CLIENT4 -t $GATEWAY4)
[ "$(echo "$r" | status_of)" = 401 ] || fail "an ordinary REGISTER got no 401"

# (b) one 401 per second for the namespace: 40 requests at once get few
gw_ctl config set rate-global 1 || fail "config set rate-global"
n=$(sip_ua -b $CLIENT4 -t $GATEWAY4 --count 40 --timeout 1000 | answers)
log "rate-global 1: $n of 40 answered"
[ "$n" -ge 1 ] && [ "$n" -le 15 ] || fail "rate-global 1: $n of 40 answered"
[ "$(counter gateway rate_limited)" -ge 25 ] || fail "rate_limited not counted"
gw_ctl config set rate-global 0 || fail "config set rate-global 0"

# (c)
AOR=sip:alice@sipreg CT=sip:alice@$CLIENT4:5061 CID=call-amp
echo pw | gw_ctl user add alice realm sipreg || fail "user add"
gw_ctl binding add $AOR contact $CT call-id $CID cseq 1 expires 600 || fail "binding add"
A="-b $CLIENT4 -t $GATEWAY4 -i $CID -C $CT"
N=$(sip_ua $A | nonce_of)
n=$(sip_ua $A -c 2 -B z9hG4bK-amp --nonce $N --password pw --nc 00000001 \
	--count 16 --timeout 1000 | answers)
log "one refresh sent 16 times: $n answers"
[ "$n" = 11 ] || fail "one refresh sent 16 times got $n answers, expected 1 + 10"
counter_is gateway replay_limited 5 || fail "replay_limited is $(counter gateway replay_limited)"
exit 0
