# SPDX-License-Identifier: GPL-2.0
# monitor sees the events of changes made by another process, in text and
# JSON; no event carries an HA1.
. /sipreg/selftests/vm/lib.sh

module_load
/sbin/ip netns exec gateway sipregctl monitor > /tmp/mon.txt 2>&1 &
mon=$!
/sbin/ip netns exec gateway sipregctl -j monitor > /tmp/mon.json 2>&1 &
monj=$!
trap 'kill $mon $monj 2>/dev/null' EXIT
# The monitors have joined when they see a first event.
ready() {
	gw_ctl binding flush
	grep -q bindings_flushed /tmp/mon.txt && grep -q bindings_flushed /tmp/mon.json
}
wait_until 5 ready || fail "monitors did not start: $(cat /tmp/mon.txt)"

sha=$(printf 'alice:example.com:secret' | sha256sum | cut -d' ' -f1)
md5=$(printf 'alice:example.com:secret' | md5sum | cut -d' ' -f1)
echo secret | gw_ctl user add alice realm example.com || fail "user add"
gw_ctl binding add sip:alice@example.com contact sip:alice@192.0.2.1 call-id m1 \
	cseq 1 expires 600 || fail "binding add"
gw_ctl binding del sip:alice@example.com contact sip:alice@192.0.2.1 || fail "binding del"
gw_ctl user del alice realm example.com || fail "user del"

seen() { grep -q "^user_deleted" /tmp/mon.txt && grep -q user_deleted /tmp/mon.json; }
wait_until 5 seen || fail "events missing: $(cat /tmp/mon.txt)"
grep -qx "user_added user alice realm example.com" /tmp/mon.txt || fail "user_added: $(cat /tmp/mon.txt)"
grep -q "^binding_added" /tmp/mon.txt || fail "binding_added: $(cat /tmp/mon.txt)"
grep -q "contact sip:alice@192.0.2.1 call-id m1 cseq 1" /tmp/mon.txt || fail "contact: $(cat /tmp/mon.txt)"
grep -q "^binding_deleted" /tmp/mon.txt || fail "binding_deleted: $(cat /tmp/mon.txt)"
sipreg-jsoncheck -l < /tmp/mon.json || fail "monitor -j lines are not JSON: $(cat /tmp/mon.json)"
grep -q '"event":"binding_added","aor":"sip:alice@example.com"' /tmp/mon.json ||
	fail "JSON event: $(cat /tmp/mon.json)"
grep -qi -e "$sha" -e "$md5" /tmp/mon.txt /tmp/mon.json && fail "HA1 in an event"
exit 0
