# SPDX-License-Identifier: GPL-2.0
# Issue 12, finding 6 (a) and (c): a qop-less (RFC 2069) answer to a
# qop="auth" challenge never refreshes in the kernel unless the namespace
# allows legacy clients (config legacy-digest on), and a digest whose uri
# is not the Request-URI never does.
. /sipreg/selftests/vm/lib.sh

AOR=sip:alice@sipreg CT=sip:alice@$CLIENT4:5061 CID=call-replay
module_load
gateway_on
config_ns gateway
echo pw | gw_ctl user add alice realm sipreg || fail "user add"
gw_ctl binding add $AOR contact $CT call-id $CID cseq 1 expires 600 || fail "binding add"
A="-b $CLIENT4 -t $GATEWAY4 -i $CID -C $CT"
N=$(sip_ua $A | nonce_of)
[ -n "$N" ] || fail "no nonce"

# (a) RFC 2069 form, by default: a miss, the binding does not move.
m0=$(counter gateway miss.legacy_digest 2>/dev/null || echo 0)
r=$(sip_ua $A -c 2 -B z9hG4bK-q1 --nonce $N --password pw --no-qop --timeout 500)
[ -z "$r" ] || fail "qop-less answer answered: $(echo "$r" | head -n 1)"
[ "$(kernel_cseq $AOR)" = 1 ] || fail "qop-less answer refreshed the binding (cseq $(kernel_cseq $AOR))"
counter_is gateway miss.legacy_digest $((m0 + 1)) || fail "miss.legacy_digest not counted"
# the same with qop=auth: refreshed
r=$(sip_ua $A -c 3 -B z9hG4bK-q2 --nonce $N --password pw --nc 00000001)
[ "$(echo "$r" | status_of)" = 200 ] || fail "qop=auth refresh: $(echo "$r" | head -n 1)"
# legacy clients allowed: the RFC 2069 form refreshes
gw_ctl config set legacy-digest on || fail "config set legacy-digest on"
gw_ctl config | grep -q "legacy-digest on" || fail "config does not show legacy-digest on"
r=$(sip_ua $A -c 4 -B z9hG4bK-q3 --nonce $N --password pw --no-qop)
[ "$(echo "$r" | status_of)" = 200 ] || fail "legacy-digest on: $(echo "$r" | head -n 1)"
gw_ctl config set legacy-digest off || fail "config set legacy-digest off"

# (c) the digest uri must be the Request-URI
u0=$(counter gateway miss.uri_mismatch)
r=$(sip_ua $A -c 5 -B z9hG4bK-u1 --nonce $N --password pw --nc 00000002 \
	--uri sip:elsewhere.example --timeout 500)
[ -z "$r" ] || fail "digest uri mismatch answered: $(echo "$r" | head -n 1)"
[ "$(kernel_cseq $AOR)" = 4 ] || fail "uri mismatch refreshed the binding"
counter_is gateway miss.uri_mismatch $((u0 + 1)) || fail "miss.uri_mismatch not counted"
# the right uri, same count: refreshed
r=$(sip_ua $A -c 5 -B z9hG4bK-u2 --nonce $N --password pw --nc 00000002)
[ "$(echo "$r" | status_of)" = 200 ] || fail "right uri: $(echo "$r" | head -n 1)"
exit 0
