# SPDX-License-Identifier: GPL-2.0
# Issue 12 §3.5: a local user without CAP_NET_ADMIN over the namespace
# cannot list users, dump or get bindings (contacts, addresses, Call-IDs,
# CSeqs) or follow the events group; statistics and configuration stay
# readable by anyone. The admin still can do all of it.
. /sipreg/selftests/vm/lib.sh

module_load
gw_ctl user add alice realm example.com ha1 0123456789abcdef0123456789abcdef ||
	fail "user add"
gw_ctl binding add sip:a@x contact sip:a@192.0.2.1:5061 call-id secret-call cseq 1 \
	expires 600 || fail "binding add"

nobody() { in_gateway sipreg-nobody sipregctl "$@"; }

# refused ARGS...: exit 2, "not permitted", and no table content leaked.
refused() {
	local out rc
	out=$(nobody "$@" 2>&1 < /dev/null)
	rc=$?
	[ $rc = 2 ] || fail "unprivileged '$*': exit $rc: $out"
	echo "$out" | grep -q "not permitted" || fail "unprivileged '$*': $out"
	echo "$out" | grep -q "alice\|secret-call" && fail "unprivileged '$*' leaked: $out"
	return 0
}
refused user list
refused binding list
refused binding list sip:a@x
refused -j binding list
# The events group: joining it is refused, so monitor fails at once.
out=$(timeout 5 /sbin/ip netns exec gateway sipreg-nobody sipregctl monitor 2>&1)
rc=$?
[ $rc = 2 ] || fail "unprivileged monitor: exit $rc (124: it listened): $out"
echo "$out" | grep -qi "not permitted" || fail "unprivileged monitor: $out"

nobody stats > /dev/null || fail "unprivileged stats"
nobody config show | grep -q "^realm" || fail "unprivileged config show"

gw_ctl user list | grep -q "^user alice" || fail "admin user list"
gw_ctl binding list | grep -q "^sip:a@x" || fail "admin binding list"
gw_ctl binding list sip:a@x | grep -q "secret-call" || fail "admin binding get"
/sbin/ip netns exec gateway sipregctl monitor > /tmp/mon.txt 2>&1 &
mon=$!
trap 'kill $mon 2>/dev/null' EXIT
added() {
	gw_ctl binding add sip:b@x contact sip:b@192.0.2.1 call-id b cseq 1 expires 600
	grep -q binding_added /tmp/mon.txt
}
wait_until 5 added || fail "admin monitor got no event: $(cat /tmp/mon.txt)"
exit 0
