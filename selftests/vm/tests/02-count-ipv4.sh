# SPDX-License-Identifier: GPL-2.0
# N REGISTERs from the client over IPv4 are counted exactly once each, in
# the gateway's namespace only.
. /sipreg/selftests/vm/lib.sh
N=200

module_load
gateway_on
sipp_client -sf $SIPP_DIR/register-send.xml -m $N -r 200 -i $CLIENT4 -p 5061 $GATEWAY4:5060 ||
	fail "sipp failed"
expect_stat gateway rx_packets $N
[ "$(counter gateway rx_bytes)" -gt $((N * 200)) ] || fail "rx_bytes too small: $(counter gateway rx_bytes)"
# Per namespace: the client sent, it did not receive.
counter_is client rx_packets 0 || fail "client namespace counted $(counter client rx_packets)"
exit 0
