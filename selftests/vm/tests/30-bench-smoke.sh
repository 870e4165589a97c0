# SPDX-License-Identifier: GPL-2.0
#
# A short run of what `make bench` measures, as a test: sipreg-load against
# the benchmark's floor module (echo mode), the fast path and sipregd
# alone, a few seconds each. Every run must complete with answers and no
# wrong response; nothing is asserted about speed.

FLOOR_KO=/lib/modules/sipreg_floor.ko
TARGET=$GATEWAY4:5060
PID=

[ -f $FLOOR_KO ] || skip "no $FLOOR_KO in this VM (make bench-floor)"

cleanup() {
	[ -n "$PID" ] && kill $PID 2>/dev/null && wait $PID 2>/dev/null
	rmmod sipreg_floor 2>/dev/null
}
trap cleanup EXIT

# smoke NAME MODE KIND: a 2-second run, right answers of KIND > 0, no wrong.
smoke() {
	local out=/tmp/smoke-$1.json ok wrong
	in_client sipreg-load -t $TARGET -m $2 -n 100 -T 2 -w 8 -d 2 \
		--realm sipreg.test --no-retransmit --timeout 10000 --warmup 30 --show-wrong 2 \
		-j >$out 2>/tmp/smoke-$1.err
	local rc=$?
	ok=$(grep -o "\"$3\":{\"sent\":[0-9]*,\"per_s\":[0-9.]*,\"retransmits\":[0-9]*,\"timeouts\":[0-9]*,\"ok\":[0-9]*" $out |
	     grep -o '[0-9]*$')
	wrong=$(grep -o '"wrong":{"total":[0-9]*' $out | grep -o '[0-9]*$')
	log "$1: exit $rc, $3 answered ${ok:-?}, wrong ${wrong:-?}"
	[ $rc = 0 ] && [ "${wrong:-x}" = 0 ] && [ "${ok:-0}" -gt 0 ] && return 0
	sed 's/^/# /' $out /tmp/smoke-$1.err | head -n 30
	fail "$1: sipreg-load exit $rc, wrong ${wrong:-?}, answers ${ok:-?}"
}

listening() { ip netns exec gateway cat /proc/net/udp | grep -q ':13C4 '; }

daemon() {
	awk 'BEGIN { for (i = 1; i <= 100; i++) printf "user%06d;pw%06d\n", i, i }' >/tmp/smoke-users
	rm -f /tmp/smoke.db*
	sipregd --db=/tmp/smoke.db --realm=sipreg.test user import /tmp/smoke-users \
		2>/dev/null || fail "sipregd user import"
	/sbin/ip netns exec gateway sipregd --db=/tmp/smoke.db --realm=sipreg.test \
		--listen=$TARGET --log_level=warn --challenge_rate=0 \
		--challenge_rate_global=0 >/tmp/smoke-sipregd.log 2>&1 &
	PID=$!
	wait_until 20 listening || fail "sipregd does not listen"
}

daemon_stop() {
	kill $PID && wait $PID
	PID=
}

insmod $FLOOR_KO || fail "insmod $FLOOR_KO"
smoke floor echo challenge
rmmod sipreg_floor || fail "rmmod sipreg_floor"

module_load
gw_ctl config set realm sipreg.test rate 0 || fail "config set"
daemon
smoke fast-challenge challenge challenge
smoke fast-refresh refresh refresh
daemon_stop
module_unload

daemon
smoke sipregd-challenge challenge challenge
smoke sipregd-refresh refresh refresh
daemon_stop
exit 0
