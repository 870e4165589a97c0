# SPDX-License-Identifier: GPL-2.0
# The module loads and unloads cleanly three times; after an unload the
# netlink family is gone and traffic to the SIP port meets no stale hook.
. /sipreg/selftests/vm/lib.sh

for i in 1 2 3; do
	module_load
	gateway_on
	in_gateway sipregctl stats > /dev/null || fail "round $i: stats failed after insmod"
	sipp_client -sf $SIPP_DIR/register-send.xml -m 5 -r 100 -i $CLIENT4 -p 5061 $GATEWAY4:5060 ||
		fail "round $i: sipp failed"
	expect_stat gateway rx_packets 5
	module_unload
	msg=$(in_gateway sipregctl stats 2>&1)
	[ $? = 2 ] || fail "round $i: sipregctl stats without the module should exit 2"
	echo "$msg" | grep -q "not loaded" || fail "round $i: unclear error without the module: $msg"
	# A hook left behind would now run freed code.
	sipp_client -sf $SIPP_DIR/register-send.xml -m 5 -r 100 -i $CLIENT4 -p 5061 $GATEWAY4:5060 ||
		fail "round $i: sipp failed after rmmod"
done
grep -q '^sipreg ' /proc/modules && fail "sipreg still listed in /proc/modules"
exit 0
