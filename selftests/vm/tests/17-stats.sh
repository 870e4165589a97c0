# SPDX-License-Identifier: GPL-2.0
# stats: every counter listed in text and JSON, per-reason and per-verdict
# nests present; stats reset restarts them from zero.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
sipp_client -sf $SIPP_DIR/register-send.xml -m 4 -r 100 -i $CLIENT4 -p 5061 $GATEWAY4:5060 ||
	fail "sipp failed"
expect_stat gateway rx_packets 4
out=$(gw_ctl stats)
for c in rx_packets rx_bytes user_table_full binding_table_full events_dropped \
	 miss_sent miss_no_daemon miss_send_failed bindings_expired \
	 miss.no_auth miss.unknown_user miss.fastpath_off; do
	echo "$out" | awk -v c=$c '$1 == c { f = 1 } END { exit !f }' || fail "no $c in: $out"
done
json=$(gw_ctl -j stats)
echo "$json" | sipreg-jsoncheck || fail "stats -j is not JSON: $json"
echo "$json" | grep -q '"rx_packets":4' || fail "JSON rx_packets: $json"
echo "$json" | grep -q '"misses":{' || fail "JSON misses: $json"
echo "$json" | grep -q '"verdicts":{' || fail "JSON verdicts: $json"

gw_ctl stats reset || fail "stats reset"
counter_is gateway rx_packets 0 || fail "rx_packets after reset: $(counter gateway rx_packets)"
sipp_client -sf $SIPP_DIR/register-send.xml -m 2 -r 100 -i $CLIENT4 -p 5061 $GATEWAY4:5060 ||
	fail "sipp failed"
expect_stat gateway rx_packets 2
gw_ctl version | grep -q "^sipregctl " || fail "version"
gw_ctl -j version | sipreg-jsoncheck || fail "version -j"
exit 0
