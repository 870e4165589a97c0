# SPDX-License-Identifier: GPL-2.0
# N REGISTERs from the client over IPv6 are counted exactly once each.
. /sipreg/selftests/vm/lib.sh
N=200

module_load
gateway_on
sipp_client -sf $SIPP_DIR/register-send.xml -m $N -r 200 -i $CLIENT6 -p 5061 "[$GATEWAY6]:5060" ||
	fail "sipp failed"
expect_stat gateway rx_packets $N
counter_is client rx_packets 0 || fail "client namespace counted $(counter client rx_packets)"
exit 0
