# SPDX-License-Identifier: GPL-2.0
# The miss channel: one claimer at a time, released when its socket
# closes (even by SIGKILL) or on request.
. /sipreg/selftests/vm/lib.sh

module_load
/sbin/ip netns exec gateway sipregctl daemon claim hold > /tmp/hold.out 2>&1 &
holder=$!
held() { grep -q "miss channel claimed" /tmp/hold.out; }
wait_until 5 held || fail "holder did not claim: $(cat /tmp/hold.out)"

ctl_refused 2 "already claimed" daemon claim
ctl_refused 2 "not claimed by this socket" daemon release
# Another namespace has its own channel.
in_client sipregctl daemon claim || fail "claim in the client namespace"

kill -9 $holder
wait $holder 2>/dev/null
free() { gw_ctl daemon claim; }
wait_until 5 free || fail "claim still refused after the holder was killed"

# An explicit release, from the claiming socket.
/sbin/ip netns exec gateway sipregctl daemon claim hold > /tmp/hold2.out 2>&1 &
holder=$!
held2() { grep -q "miss channel claimed" /tmp/hold2.out; }
wait_until 5 held2 || fail "second holder did not claim: $(cat /tmp/hold2.out)"
kill $holder
wait $holder 2>/dev/null
wait_until 5 free || fail "claim refused after SIGTERM of the holder"
exit 0
