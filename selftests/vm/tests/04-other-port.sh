# SPDX-License-Identifier: GPL-2.0
# Datagrams to another port are not counted; the counter still works.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
sipp_client -sf $SIPP_DIR/register-send.xml -m 50 -r 200 -i $CLIENT4 -p 5061 $GATEWAY4:5070 ||
	fail "sipp (v4) failed"
sipp_client -sf $SIPP_DIR/register-send.xml -m 50 -r 200 -i $CLIENT6 -p 5061 "[$GATEWAY6]:5070" ||
	fail "sipp (v6) failed"
# One datagram to 5060 after the others: when it is counted, the others
# have been seen too (same path, in order).
sipp_client -sf $SIPP_DIR/register-send.xml -m 1 -i $CLIENT4 -p 5061 $GATEWAY4:5060 ||
	fail "sipp failed"
expect_stat gateway rx_packets 1
exit 0
