# SPDX-License-Identifier: GPL-2.0
# config show/set round-trips in text and JSON; every invalid set is
# refused with a message naming the problem and changes nothing.
. /sipreg/selftests/vm/lib.sh

module_load
gw() { in_gateway sipregctl "$@"; }

out=$(gw config show) || fail "config show failed"
echo "$out" | grep -qx "realm sipreg" || fail "default realm: $out"
echo "$out" | grep -qx "ports 5060" || fail "default ports: $out"
echo "$out" | grep -qx "expires-min 60" || fail "default expires-min: $out"
echo "$out" | grep -qx "expires-max 7200" || fail "default expires-max: $out"
echo "$out" | grep -qx "algorithms md5,sha256" || fail "default algorithms: $out"
echo "$out" | grep -qx "enabled off" || fail "a namespace must start switched off: $out"
gw -j config show | sipreg-jsoncheck || fail "config show -j is not JSON"

gw config set realm example.com ports 5060,5080 expires-min 30 \
	expires-default 600 expires-max 900 nonce-lifetime 120 \
	algorithms sha256 rate 5 burst 10 max-users 2 max-bindings 50 \
	max-contacts 3 fastpath off enabled on || fail "config set failed"
out=$(gw config show)
for l in "realm example.com" "ports 5060,5080" "expires-min 30" \
	 "expires-default 600" "expires-max 900" "nonce-lifetime 120" \
	 "algorithms sha256" "rate 5" "burst 10" "max-users 2" \
	 "max-bindings 50" "max-contacts 3" "fastpath off" "enabled on"; do
	echo "$out" | grep -qx "$l" || fail "after set, no '$l' in: $out"
done
json=$(gw -j config show)
echo "$json" | sipreg-jsoncheck || fail "config show -j is not JSON: $json"
echo "$json" | grep -q '"ports":\[5060,5080\]' || fail "JSON ports: $json"
echo "$json" | grep -q '"fastpath":false' || fail "JSON fastpath: $json"

# The hook follows the configured ports.
sipp_client -sf $SIPP_DIR/register-send.xml -m 3 -r 100 -i $CLIENT4 -p 5061 $GATEWAY4:5080 ||
	fail "sipp failed"
expect_stat gateway rx_packets 3

# expect_refused EXIT MESSAGE ARGS...: refused with that status and message,
# and the configuration is unchanged.
expect_refused() {
	local code=$1 msg=$2 out rc
	shift 2
	out=$(gw config set "$@" 2>&1)
	rc=$?
	[ $rc = "$code" ] || fail "config set $*: exit $rc, expected $code ($out)"
	echo "$out" | grep -qi -- "$msg" || fail "config set $*: no '$msg' in: $out"
	[ "$(gw config show)" = "$before" ] || fail "config set $* changed the configuration"
}
before=$(gw config show)
expect_refused 1 'unknown key "colour"' colour blue
expect_refused 1 "realm: must be 1 to 64" realm "$(printf '%070d' 0)"
expect_refused 1 "not allowed" realm 'a"b'
expect_refused 1 "ports" ports 0
expect_refused 1 "ports" ports 70000
expect_refused 1 "expires-min <= expires-default" expires-min 1000 expires-max 100
expect_refused 1 "fastpath" fastpath maybe
expect_refused 1 "missing value" realm
# Checked by the kernel against the current values: nothing half-applied.
expect_refused 2 "expires-min <= expires-default" realm other.org expires-min 1000
expect_refused 2 "burst" rate 100
exit 0
