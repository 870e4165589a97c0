# SPDX-License-Identifier: GPL-2.0
# Without CAP_NET_ADMIN every write is refused (and changes nothing), and
# statistics and configuration can still be read.
. /sipreg/selftests/vm/lib.sh

module_load
gw_ctl user add alice realm example.com ha1 0123456789abcdef0123456789abcdef ||
	fail "user add"
gw_ctl binding add sip:a@x contact sip:a call-id a cseq 1 expires 600 || fail "binding add"
gw_ctl domain add example.com || fail "domain add"
before="$(gw_ctl config show)$(gw_ctl user list)$(gw_ctl binding list | grep -v expires)$(gw_ctl domain list)"
[ "$(in_gateway sipreg-nobody id -u)" = 65534 ] || fail "sipreg-nobody did not drop privileges"

nobody() { in_gateway sipreg-nobody sipregctl "$@"; }

# expect_eperm ARGS...: refused by the kernel, exit 2.
expect_eperm() {
	local out rc
	out=$(echo secret | nobody "$@" 2>&1)
	rc=$?
	[ $rc = 2 ] || fail "unprivileged '$*': exit $rc ($out)"
	echo "$out" | grep -q "not permitted" || fail "unprivileged '$*': $out"
}
expect_eperm config set realm evil.org
expect_eperm config set enabled on
expect_eperm user add mallory realm example.com ha1 0123456789abcdef0123456789abcdef
expect_eperm user add mallory realm example.com
expect_eperm user del alice realm example.com
expect_eperm user flush
expect_eperm binding add sip:m@x contact sip:m call-id m cseq 1 expires 60
expect_eperm binding del sip:a@x
expect_eperm binding flush
expect_eperm domain add evil.org
expect_eperm domain del example.com
expect_eperm domain flush
expect_eperm stats reset
expect_eperm daemon claim

after="$(gw_ctl config show)$(gw_ctl user list)$(gw_ctl binding list | grep -v expires)$(gw_ctl domain list)"
[ "$before" = "$after" ] || fail "an unprivileged write changed something"

# Reads of statistics and configuration are open; users, bindings and
# events are not (test 53).
nobody stats > /dev/null || fail "unprivileged stats"
nobody config show | grep -q "^realm" || fail "unprivileged config show"
expect_eperm user list
expect_eperm binding list
expect_eperm domain list
exit 0
