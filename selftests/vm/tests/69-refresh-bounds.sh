# SPDX-License-Identifier: GPL-2.0
# Issue 12, section 4: checks of the refresh fast path that no test held.
# An equal CSeq is not a refresh; an Expires above expires-max is not
# granted in the kernel; bob's valid credentials never refresh alice's
# binding (To names alice), and miss.foreign_aor counts the attempt.
. /sipreg/selftests/vm/lib.sh

AOR=sip:alice@sipreg CT=sip:alice@$CLIENT4:5061 CID=call-bounds
module_load
gateway_on
config_ns gateway expires-max 7200
echo pw | gw_ctl user add alice realm sipreg || fail "user add alice"
echo pwb | gw_ctl user add bob realm sipreg || fail "user add bob"
gw_ctl binding add $AOR contact $CT call-id $CID cseq 1 expires 600 || fail "binding add"
A="-b $CLIENT4 -t $GATEWAY4 -i $CID -C $CT"
N=$(sip_ua $A | nonce_of)
r=$(sip_ua $A -c 2 -B z9hG4bK-b1 --nonce $N --password pw --nc 00000001)
[ "$(echo "$r" | status_of)" = 200 ] || fail "refresh: $(echo "$r" | head -n 1)"

# equal CSeq, new transaction (other branch, higher count)
r=$(sip_ua $A -c 2 -B z9hG4bK-b2 --nonce $N --password pw --nc 00000002 --timeout 500)
[ -z "$r" ] || fail "equal CSeq answered: $(echo "$r" | head -n 1)"
counter_is gateway miss.cseq_not_higher 1 || fail "miss.cseq_not_higher not counted"

# Expires above expires-max
r=$(sip_ua $A -c 3 -B z9hG4bK-b3 --nonce $N --password pw --nc 00000003 -e 7201 --timeout 500)
[ -z "$r" ] || fail "Expires 7201 answered: $(echo "$r" | head -n 1)"
counter_is gateway miss.expiry_out_of_bounds 1 || fail "miss.expiry_out_of_bounds not counted"
[ "$(kernel_cseq $AOR)" = 2 ] || fail "binding moved: cseq $(kernel_cseq $AOR)"
r=$(sip_ua $A -c 4 -B z9hG4bK-b4 --nonce $N --password pw --nc 00000004 -e 7200)
[ "$(echo "$r" | status_of)" = 200 ] || fail "Expires 7200: $(echo "$r" | head -n 1)"

# bob's credentials, alice's AOR
r=$(sip_ua $A -u bob --to-user alice -c 5 -B z9hG4bK-b5 --nonce $N --password pwb \
	--nc 00000001 --timeout 500)
[ -z "$r" ] || fail "bob refreshed alice: $(echo "$r" | head -n 1)"
counter_is gateway miss.foreign_aor 1 || fail "miss.foreign_aor not counted"
[ "$(kernel_cseq $AOR)" = 4 ] || fail "alice's binding moved: cseq $(kernel_cseq $AOR)"
exit 0
