# SPDX-License-Identifier: GPL-2.0
# rmmod while a bounded flood of REGISTERs is running, then insmod again:
# no oops or leak warning (the console is checked), tables empty after.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
echo pw | in_gateway sipregctl user add alice realm sipreg || fail "user add"
in_gateway sipregctl binding add sip:alice@sipreg contact sip:alice@192.0.2.1:5061 \
	call-id c1 cseq 1 expires 600 || fail "binding add"
in_client sipp -nostdin -sf $SIPP_DIR/register-send.xml -m 3000 -r 1000 -i $CLIENT4 \
	-p 5061 $GATEWAY4:5060 > /dev/null 2>&1 &
pid=$!
flooding() { [ "$(counter gateway rx_packets)" -gt 100 ]; }
wait_until 10 flooding || fail "flood did not start"
module_unload
module_load
[ -z "$(in_gateway sipregctl binding list)" ] || fail "bindings survived the reload"
[ -z "$(in_gateway sipregctl user list)" ] || fail "users survived the reload"
kill $pid 2>/dev/null
wait $pid 2>/dev/null
exit 0
