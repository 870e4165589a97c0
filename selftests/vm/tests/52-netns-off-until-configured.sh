# SPDX-License-Identifier: GPL-2.0
# Issue 12 §3.3: the module does nothing in a network namespace until that
# namespace's admin switches it on: no hook (nothing counted), no 401;
# switched off again, it is silent again. The admin is whoever has
# CAP_NET_ADMIN in the user namespace owning the network namespace: the
# root of an unprivileged container can switch its own namespace on, not
# the gateway's.
. /sipreg/selftests/vm/lib.sh

# Where no answer must come, the counters tell; a short wait is enough.
ua() { in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -i off-1 "$@"; }

module_load
r=$(ua --timeout 500)
[ -z "$r" ] || fail "an unconfigured namespace answered: $(echo "$r" | head -n 1)"
counter_is gateway rx_packets 0 || fail "an unconfigured namespace has a hook: rx_packets $(counter gateway rx_packets)"
gw_ctl config show | grep -qx "enabled off" || fail "a fresh namespace is on: $(gw_ctl config show)"

# A namespace created after the load starts off as well.
ip netns add late || fail "netns add"
ip netns exec late sipregctl config show | grep -qx "enabled off" || fail "a new namespace is on"
ip netns del late

# Switching on takes CAP_NET_ADMIN over the namespace: root of a user
# namespace of its own is not the gateway's admin.
out=$(in_gateway unshare -r sipregctl config set enabled on 2>&1)
[ $? = 2 ] || fail "user-namespace root switched the gateway on: $out"
echo "$out" | grep -q "not permitted" || fail "unclear refusal: $out"
gw_ctl config show | grep -qx "enabled off" || fail "the refused set changed the gateway"
# ... but it is the admin of a network namespace it creates.
if sipreg-nobody unshare -r -n true 2>/dev/null; then
	out=$(sipreg-nobody unshare -r -n sh -c \
		'sipregctl config set realm c.example enabled on && sipregctl config show' 2>&1) ||
		fail "a container's root cannot configure its own namespace: $out"
	echo "$out" | grep -qx "enabled on" || fail "container: $out"
	echo "$out" | grep -qx "realm c.example" || fail "container: $out"
else
	log "no unprivileged user namespaces in this kernel: container part skipped"
fi

# On: the hook answers.
gateway_on
r=$(ua)
[ "$(echo "$r" | head -n 1 | cut -d ' ' -f 2)" = 401 ] || fail "switched on, no 401: $r"
expect_stat gateway challenges 1

# Off again: silent, nothing counted.
gw_ctl config set enabled off || fail "config set enabled off"
rx=$(counter gateway rx_packets)
r=$(ua --timeout 500)
[ -z "$r" ] || fail "switched off, still answered: $(echo "$r" | head -n 1)"
counter_is gateway rx_packets $rx || fail "switched off, still counting"
gw_ctl config show | grep -qx "realm sipreg" || fail "switching off lost the configuration"
exit 0
