# SPDX-License-Identifier: GPL-2.0
# sipregd with "workers = 2" and the module: worker 0 alone claims the
# miss channel and pushes the state (one sync, no second claim), a miss
# is answered by it and installed; worker 1 finds the module too and
# installs the bindings it changes over its own socket: REGISTERs too
# large for one packet are left to the stack by the module, reach the
# UDP sockets and are spread over both workers by their source ports,
# and the one worker 1 answers is in the kernel at once, and its removal
# leaves it. SIGTERM stops both, exit 0.
. /sipreg/selftests/vm/lib.sh

ua() { in_client sipreg-ua "$@"; }
module_load
fastpath_or_skip
sipregd_setup workers=2 log_level=debug
echo pw | sd user add alice || fail "user add alice"
echo pw | sd user add bob || fail "user add bob"
sipregd_start
trap 'sipregd_kill' EXIT
w1_found() { grep -q "worker 1: kernel: sipreg module found" $SIPREGD_DIR/log; }
wait_until 30 w1_found || { sipregd_log; fail "worker 1 did not find the module"; }
synced() { [ "$(sipregd_syncs)" -ge 1 ]; }
wait_until 30 synced || { sipregd_log; fail "worker 0 did not sync"; }
[ "$(sipregd_syncs)" = 1 ] || { sipregd_log; fail "$(sipregd_syncs) syncs, want 1 (worker 0's)"; }
grep -q "DAEMON_CLAIM" $SIPREGD_DIR/log && { sipregd_log; fail "a second claim was tried"; }

# A miss: worker 0 answers and installs.
r=$(ua -u alice -b $CLIENT4 -t $GATEWAY4 -i call-alice -C "sip:alice@$CLIENT4:5061" -e 600)
N=$(echo "$r" | nonce_of)
[ -n "$N" ] || fail "alice: no 401: $r"
r=$(ua -u alice -b $CLIENT4 -t $GATEWAY4 -i call-alice -C "sip:alice@$CLIENT4:5061" -e 600 \
	-c 2 -B alice-2 --nonce $N --password pw --nc 00000001)
[ "$(echo "$r" | status_of)" = 200 ] || { sipregd_log; fail "alice: $(echo "$r" | head -n 1)"; }
grep -q "worker 0: bindings of sip:alice@sipreg changed" $SIPREGD_DIR/log ||
	{ sipregd_log; fail "the miss was not worker 0's"; }
gw_ctl binding list sip:alice@sipreg | grep -qF "call-id call-alice cseq 2" ||
	fail "alice not installed: $(gw_ctl binding list)"

# Too large for one packet (a Contact parameter of 900 bytes and a
# header of 500, lines the daemon takes): to the sockets, from one port
# after another until worker 1 has answered one (each port has one
# chance in two).
pad=";x-pad=$(printf '%0900d' 0)"
hdr="X-Pad: $(printf '%0490d' 0)"
r=$(ua -u bob -b $CLIENT4 -t $GATEWAY4 -i call-bob -C "sip:bob@$CLIENT4:5061" -e 600)
N=$(echo "$r" | nonce_of)
[ -n "$N" ] || fail "bob: no 401: $r"
w1_bob() { grep -q "worker 1: bindings of sip:bob@sipreg changed" $SIPREGD_DIR/log; }
w0_bob() { grep -q "worker 0: bindings of sip:bob@sipreg changed" $SIPREGD_DIR/log; }
port=
for i in $(seq 1 24); do
	p=$((5100 + i))
	r=$(ua -u bob -b $CLIENT4 -t $GATEWAY4 -p $p -i call-bob-$p -C "sip:bob@$CLIENT4:5061" \
		--contact-params "$pad" -x "$hdr" -e 600 -c 2 -B bob-$p --nonce $N --password pw \
		--nc $(printf '%08x' $i))
	[ "$(echo "$r" | status_of)" = 200 ] || { sipregd_log; fail "bob from port $p: $(echo "$r" | head -n 1)"; }
	if w1_bob; then port=$p; break; fi
done
[ -n "$port" ] || { sipregd_log; fail "worker 1 answered none of 24 source ports"; }
echo "# worker 1 answered bob from port $port (port $i of 24); worker 0 some before: $(w0_bob && echo yes || echo no)"
in_gateway sipregctl stats | grep -E "^(passed|misses|miss_sent) " | sed 's/^/# kernel: /' || true
gw_ctl binding list sip:bob@sipreg | grep -qF "call-id call-bob-$port cseq 2" ||
	{ sipregd_log; fail "worker 1's binding not in the kernel: $(gw_ctl binding list sip:bob@sipreg)"; }
# its removal, through worker 1 again (same source port)
r=$(ua -u bob -b $CLIENT4 -t $GATEWAY4 -p $port -i call-bob-$port -C "sip:bob@$CLIENT4:5061" \
	--contact-params "$pad" -x "$hdr" -e 0 -c 3 -B bob-$port-3 --nonce $N --password pw --nc $(printf '%08x' $((i + 1))))
[ "$(echo "$r" | status_of)" = 200 ] || { sipregd_log; fail "bob's removal: $(echo "$r" | head -n 1)"; }
gw_ctl binding list sip:bob@sipreg > /dev/null 2>&1 &&
	fail "bob still in the kernel after worker 1 removed him: $(gw_ctl binding list sip:bob@sipreg)"

kill -TERM $SIPREGD_PID
wait $SIPREGD_PID
rc=$?
SIPREGD_PID=
[ $rc = 0 ] || { sipregd_log; fail "sipregd exited $rc"; }
grep -q "worker 1 (pid [0-9]*) stopped" $SIPREGD_DIR/log || { sipregd_log; fail "worker 1 did not stop cleanly"; }
exit 0
