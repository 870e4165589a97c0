# SPDX-License-Identifier: GPL-2.0
# Issue 12 §3.6(b): a contact installed over netlink (as sipregd does after
# answering a REGISTER) must not open a replay window. A REGISTER captured
# with a nonce issued before the install, replayed with a higher CSeq (the
# digest does not cover the CSeq), is a miss (nc_replay) whatever its nonce
# count; a nonce issued after the install counts from 1 as usual.
. /sipreg/selftests/vm/lib.sh

AOR=sip:alice@sipreg
CT=sip:alice@$CLIENT4:5061
# Answers may take a while under emulation; where none must come the miss
# counter is what tells, so a short wait is enough there.
ua() { in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -i rp-1 -C $CT "$@"; }
nonce_of() { sed -n 's/.*nonce="\([^"]*\)".*/\1/p' | head -n 1; }
status_of() { head -n 1 | cut -d ' ' -f 2; }

module_load
gateway_on
echo pw | gw_ctl user add alice realm sipreg || fail "user add"
# The phone's nonce; its REGISTER (nc 1, CSeq 2) goes to the registrar,
# which answers it and installs the binding a moment later.
N0=$(ua | nonce_of)
[ -n "$N0" ] || fail "no nonce"
sleep 2
gw_ctl binding add $AOR contact $CT call-id rp-1 cseq 2 expires 600 nc 1 ||
	fail "binding add"

for nc in 00000001 00000002 00000009; do
	m0=$(counter gateway miss.nc_replay)
	r=$(ua -c 3 -B z9hG4bK-replay$nc --nonce $N0 --password pw --nc $nc --timeout 500)
	[ -z "$r" ] || fail "replay with nc $nc answered: $(echo "$r" | head -n 1)"
	counter_is gateway miss.nc_replay $((m0 + 1)) || fail "replay with nc $nc: not an nc_replay miss"
done
gw_ctl -j binding list $AOR | grep -q '"cseq":2' || fail "a replay moved the binding: $(gw_ctl -j binding list $AOR)"

# A nonce issued after the install: counts start at 1, the fast path works.
N1=$(ua -B z9hG4bK-new | nonce_of)
[ -n "$N1" ] && [ "$N1" != "$N0" ] || fail "no new nonce"
r=$(ua -c 3 -B z9hG4bK-r3 --nonce $N1 --password pw --nc 00000001)
[ "$(echo "$r" | status_of)" = 200 ] || fail "refresh with a new nonce: $(echo "$r" | head -n 1)"
# ... and that nonce's count is now kept.
m0=$(counter gateway miss.nc_replay)
r=$(ua -c 4 -B z9hG4bK-r4 --nonce $N1 --password pw --nc 00000001 --timeout 500)
[ -z "$r" ] || fail "the same count again answered: $(echo "$r" | head -n 1)"
counter_is gateway miss.nc_replay $((m0 + 1)) || fail "the same count again: not an nc_replay miss"
exit 0
