# SPDX-License-Identifier: GPL-2.0
# rmmod and insmod under a running sipregd: it notices both, serves alone
# in between (its own 401s from the UDP socket), and pushes users, keys
# and bindings back when the module returns, so that refreshes with a
# nonce of before the reload take the fast path again (after one through
# the daemon, which tells the kernel which nonce the count is for).
. /sipreg/selftests/vm/lib.sh

ua() { in_client sipreg-ua "$@"; }
nonce_of() { sed -n 's/.*nonce="\([^"]*\)".*/\1/p' | head -n 1; }
status_of() { head -n 1 | cut -d ' ' -f 2; }
CT=sip:alice@$CLIENT4:5061

module_load
fastpath_or_skip
sipregd_setup
sipregd_users 40
echo pw | sd user add alice || fail "user add"
sipregd_start
trap 'sipregd_kill' EXIT
gw_ctl config set rate 0 || fail "config set rate 0"
load -m register --once -n 40 -r 40 -d 10 > /tmp/load.out 2>&1 || fail "load: $(tail -n 5 /tmp/load.out)"
N=$(ua -b $CLIENT4 -t $GATEWAY4 -C $CT | nonce_of)
r=$(ua -b $CLIENT4 -t $GATEWAY4 -C $CT -c 2 -B a2 --nonce $N --password pw --nc 00000001)
[ "$(echo "$r" | status_of)" = 200 ] || fail "alice: $(echo "$r" | head -n 1)"
[ "$(gw_ctl binding list | grep -c '^sip')" = 41 ] || fail "bindings before: $(gw_ctl binding list | grep -c '^sip')"

module_unload
gone() { grep -q "module removed" $SIPREGD_DIR/log; }
wait_until 5 gone || { sipregd_log; fail "the daemon did not notice the rmmod"; }
# alone: the daemon answers on its socket
r=$(ua -b $CLIENT4 -t $GATEWAY4 -C $CT -c 3 -B a3)
[ "$(echo "$r" | status_of)" = 401 ] || fail "no 401 from the daemon alone: $r"

# Nonce times are in seconds: a nonce issued in the very second of the
# re-install compares equal to it and is taken (see the closing note of
# 2026-12-04); this test is about the older ones.
sleep 1
module_load
resynced() { [ "$(sipregd_syncs)" = 2 ]; }
wait_until 10 resynced || { sipregd_log; fail "no resync after insmod"; }
users() { [ "$(gw_ctl user list | grep -c .)" = 41 ]; }
wait_until 5 users || fail "users back: $(gw_ctl user list | grep -c .)"
[ "$(kernel_cseqs)" = "$(db_cseqs)" ] || fail "bindings back: $(gw_ctl binding list | grep -c '^sip') of 41"
gw_ctl -j config | grep -q '"realm":"sipreg"' || fail "configuration back"

# A resync cannot tell the kernel which nonce a contact's count is for, so
# the first refresh with a nonce of before the reload goes to the daemon
# (an nc_replay miss: nothing older than the install passes the fast path),
# which answers it and installs the contact with that nonce's time ...
r=$(ua -b $CLIENT4 -t $GATEWAY4 -C $CT -c 4 -B a4 --nonce $N --password pw --nc 00000002)
[ "$(echo "$r" | status_of)" = 200 ] || fail "refresh after the reload: $(echo "$r" | head -n 1)"
counter_is gateway miss.nc_replay 1 || fail "the first refresh after the reload: $(gw_ctl stats | grep miss)"
# ... and the old nonce still verifies in the new module: the keys came
# back too, and the next refresh is the kernel's.
r=$(ua -b $CLIENT4 -t $GATEWAY4 -C $CT -c 5 -B a5 --nonce $N --password pw --nc 00000003)
[ "$(echo "$r" | status_of)" = 200 ] || fail "second refresh after the reload: $(echo "$r" | head -n 1)"
counter_is gateway refreshes 1 || fail "the refresh was not the kernel's: $(gw_ctl stats | grep miss)"
sipregd_log 6
exit 0
