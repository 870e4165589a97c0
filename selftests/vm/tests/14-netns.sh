# SPDX-License-Identifier: GPL-2.0
# Configuration, users and bindings belong to one network namespace.
. /sipreg/selftests/vm/lib.sh

module_load
gw_ctl config set realm gateway.example ports 5070 || fail "config set"
gw_ctl user add alice realm gateway.example ha1 0123456789abcdef0123456789abcdef ||
	fail "user add"
gw_ctl binding add sip:a@x contact sip:a call-id a cseq 1 expires 600 || fail "binding add"

out=$(in_client sipregctl config show)
echo "$out" | grep -qx "realm sipreg" || fail "client realm changed: $out"
echo "$out" | grep -qx "ports 5060" || fail "client ports changed: $out"
[ -z "$(in_client sipregctl user list)" ] || fail "user visible in the client namespace"
[ -z "$(in_client sipregctl binding list)" ] || fail "binding visible in the client namespace"
in_client sipregctl user flush || fail "client user flush"
in_client sipregctl binding flush || fail "client binding flush"
gw_ctl user list | grep -q "^user alice" || fail "client flush removed the gateway's user"
gw_ctl binding list | grep -q "^sip:a@x" || fail "client flush removed the gateway's binding"

# A namespace deleted with state in it, module still loaded.
ip netns add scratch || fail "netns add"
ip netns exec scratch sipregctl user add u realm r ha1 0123456789abcdef0123456789abcdef ||
	fail "user add in scratch"
ip netns exec scratch sipregctl binding add sip:s@x contact sip:s call-id s cseq 1 expires 60 ||
	fail "binding add in scratch"
ip netns del scratch
gw_ctl user list | grep -q "^user alice" || fail "gateway user lost"
exit 0
