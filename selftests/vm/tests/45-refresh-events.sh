# SPDX-License-Identifier: GPL-2.0
# Refreshes done by the fast path reach event listeners (batched, one
# line each in sipregctl monitor) with the new CSeq and expiry.
. /sipreg/selftests/vm/lib.sh

nonce_of() { sed -n 's/.*nonce="\([^"]*\)".*/\1/p' | head -n 1; }

module_load
gateway_on
echo pw | in_gateway sipregctl user add alice realm sipreg || fail "user add"
in_gateway sipregctl binding add sip:alice@sipreg contact sip:alice@$CLIENT4:5061 \
	call-id ev-1 cseq 1 expires 600 || fail "binding add"
/sbin/ip netns exec gateway sipregctl monitor > /tmp/mon.txt 2>&1 &
mon=$!
trap 'kill $mon 2>/dev/null' EXIT
ready() {
	in_gateway sipregctl binding add sip:bob@sipreg contact sip:bob@x call-id b \
		cseq 1 expires 600
	grep -q binding_added /tmp/mon.txt
}
wait_until 5 ready || fail "monitor did not start"

N=$(in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -i ev-1 | nonce_of)
for i in 1 2 3 4 5; do
	in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -i ev-1 -c $((i + 1)) -B br$i \
		--nonce $N --password pw --nc 0000000$i | head -n 1 | grep -q ' 200 ' ||
		fail "refresh $i not answered 200"
done
five() { [ "$(grep -c '^binding_refreshed' /tmp/mon.txt)" = 5 ]; }
wait_until 5 five || fail "refreshed events: $(grep -c '^binding_refreshed' /tmp/mon.txt) of 5: $(cat /tmp/mon.txt)"
grep -q "call-id ev-1 cseq 6 " /tmp/mon.txt ||
	fail "last refresh not reported: $(cat /tmp/mon.txt)"
exit 0
