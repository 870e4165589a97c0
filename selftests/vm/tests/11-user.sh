# SPDX-License-Identifier: GPL-2.0
# Users: add from a password or from HA1, list, delete, flush; HA1 is
# never readable back; bad input and a full table are refused cleanly.
. /sipreg/selftests/vm/lib.sh

module_load
gw_ctl config set realm example.com || fail "config set realm"

# From stdin: HA1 = MD5("alice:example.com:secret").
ha1=$(printf 'alice:example.com:secret' | md5sum | cut -d' ' -f1)
sha=$(printf 'alice:example.com:secret' | sha256sum | cut -d' ' -f1)
echo secret | gw_ctl user add alice || fail "user add alice (password)"
gw_ctl user add bob realm other.org ha1 0123456789abcdef0123456789ABCDEF ||
	fail "user add bob (ha1)"
gw_ctl user add carol realm example.com ha1-sha256 $sha || fail "user add carol"

out=$(gw_ctl user list)
echo "$out" | grep -qx "user alice realm example.com algorithms md5,sha256" ||
	fail "alice not listed: $out"
echo "$out" | grep -qx "user bob realm other.org algorithms md5" || fail "bob: $out"
echo "$out" | grep -qx "user carol realm example.com algorithms sha256" || fail "carol: $out"
json=$(gw_ctl -j user list)
echo "$json" | sipreg-jsoncheck || fail "user list -j is not JSON: $json"
echo "$json" | grep -q '"user":"alice","realm":"example.com"' || fail "JSON: $json"
for h in $ha1 $sha 0123456789abcdef0123456789abcdef; do
	echo "$out$json" | grep -qi "$h" && fail "HA1 $h readable in the user list"
done

# Invalid input: refused, nothing changes.
before=$(gw_ctl user list)
ctl_refused 1 "hex digit" user add dave ha1 0123456789abcdef0123456789abcdeg
ctl_refused 1 "need 32 hex digits" user add dave ha1 0123
ctl_refused 1 "realm: missing value" user add dave realm
ctl_refused 1 "need a user name" user add
ctl_refused 1 "no password on stdin" user add dave
ctl_refused 1 "realm: must be 1 to 64" user add dave realm "$(printf '%070d' 0)"
ctl_refused 1 "unknown command" user frobnicate
ctl_refused 2 "no such user" user del nobody
[ "$(gw_ctl user list)" = "$before" ] || fail "a refused command changed the users"

# Replace keeps one entry; delete removes it.
echo other | gw_ctl user add alice || fail "user add alice again"
[ "$(gw_ctl user list | grep -c '^user alice ')" = 1 ] || fail "alice twice"
gw_ctl user del bob realm other.org || fail "user del bob"
gw_ctl user list | grep -q "^user bob " && fail "bob still listed"

# The table limit: a third user is refused and counted.
gw_ctl config set max-users 2 || fail "config set max-users"
ctl_refused 2 "user table full" user add erin ha1 0123456789abcdef0123456789abcdef
counter_is gateway user_table_full 1 || fail "user_table_full not counted"

# A flush walks the table in batches of 256: give it many (a walk resumed
# in a bucket it had emptied skipped the rest of the bucket: with 10 000
# entries and 39 pauses some always survived).
gw_ctl config set max-users 12000 || fail "config set max-users 12000"
in_gateway sipreg-bench-bulk users 10000 example.com > /dev/null || fail "bulk users"
[ "$(gw_ctl user list | grep -c '^user ')" -ge 10000 ] || fail "bulk users not all listed"
gw_ctl user flush || fail "user flush"
[ -z "$(gw_ctl user list)" ] || fail "users left after flush"
[ "$(gw_ctl -j user list)" = "[]" ] || fail "JSON of no users: $(gw_ctl -j user list)"
exit 0
