# SPDX-License-Identifier: GPL-2.0
# kmod/uapi/sipreg.yaml checked with the kernel's own ynl (tools/net/ynl
# from linux-source-6.12, run by python3 packed into the initramfs, see
# selftests/ynl/pack.sh): the CLI reads the module through the spec, and
# every operation the spec lists, in each of its modes (do, dump, event),
# works through the spec alone, its effect seen by sipregctl
# (selftests/ynl/ops.py: one process, as python is slow to start here).
. /sipreg/selftests/vm/lib.sh
YNL=/usr/lib/ynl
SPEC=/sipreg/sipreg.yaml
[ -x /usr/bin/python3 ] && [ -f $YNL/cli.py ] && [ -f $SPEC ] ||
	skip "no python3 or ynl in the initramfs (make deps unpacks ynl)"

cli() { in_gateway python3 -E -s $YNL/cli.py --spec $SPEC --no-schema --output-json "$@"; }

module_load
echo pw | gw_ctl user add carol realm sipreg || fail "user add"
out=$(cli --do config-get) || fail "cli.py --do config-get: $out"
echo "$out" | grep -q '"realm"' || fail "cli.py --do config-get: $out"
out=$(cli --dump user-get) || fail "cli.py --dump user-get: $out"
echo "$out" | grep -q '"carol"' || fail "cli.py --dump user-get: $out"
log "cli.py --do config-get and --dump user-get: ok"
gw_ctl user flush || fail "user flush"

in_gateway python3 -I $SELFTESTS/ynl/ops.py $YNL $SPEC $CLIENT4 $GATEWAY4 ||
	fail "ynl operations (above)"
exit 0
