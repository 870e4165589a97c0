# SPDX-License-Identifier: GPL-2.0
# The metrics endpoint with the module: curl scrapes sipregd's
# metrics_listen in the gateway namespace; the module's counters carry
# that namespace's inode as their "netns" label and move with the
# traffic: a 401 from the fast path (challenges), the authenticated
# REGISTER that became a miss (misses by reason no_binding, and kernel
# sync's misses), a refresh answered by the kernel (refreshes).
. /sipreg/selftests/vm/lib.sh

ua() { in_client sipreg-ua "$@"; }
command -v curl > /dev/null || fail "no curl in the VM image"
module_load
fastpath_or_skip
sipregd_setup "metrics_listen=127.0.0.1:9465"
echo pw | sd user add alice || fail "user add alice"
sipregd_start
trap 'sipregd_kill' EXIT
[ "$(sipregd_syncs)" = 1 ] || { sipregd_log; fail "no sync at start"; }

ns=$(in_gateway readlink /proc/self/ns/net | tr -dc 0-9)
scrape() { in_gateway curl -sf --max-time 10 http://127.0.0.1:9465/metrics; }
val() { # SAMPLE: its value in the last scrape ($M), 0 if absent
	echo "$M" | awk -v s="$1" '$1 == s { print $2; f = 1 } END { if (!f) print 0 }'
}
M=$(scrape) || { sipregd_log; fail "curl could not scrape the endpoint"; }
[ "$(val "sipreg_kernel_up{netns=\"$ns\"}")" = 1 ] ||
	fail "the module is not reported up in netns $ns: $(echo "$M" | grep kernel_up)"
ch0=$(val "sipreg_kernel_challenges_total{netns=\"$ns\"}")
nb0=$(val "sipreg_kernel_misses_total{netns=\"$ns\",reason=\"no_binding\"}")
km0=$(val sipregd_ksync_misses_total)
rf0=$(val "sipreg_kernel_refreshes_total{netns=\"$ns\"}")

ct="sip:alice@$CLIENT4:5062"
r=$(ua -u alice -b $CLIENT4 -t $GATEWAY4 -i call-m -C "$ct" -e 600) || fail "no 401"
N=$(echo "$r" | nonce_of)
r=$(ua -u alice -b $CLIENT4 -t $GATEWAY4 -i call-m -C "$ct" -e 600 -c 2 -B m-2 \
	--nonce $N --password pw --nc 00000001) || fail "no answer to the miss"
[ "$(echo "$r" | status_of)" = 200 ] || fail "register: $(echo "$r" | head -n 1)"
r=$(ua -u alice -b $CLIENT4 -t $GATEWAY4 -i call-m -C "$ct" -e 600 -c 3 -B m-3 \
	--nonce $N --password pw --nc 00000002) || fail "no answer to the refresh"
[ "$(echo "$r" | status_of)" = 200 ] || fail "refresh: $(echo "$r" | head -n 1)"

M=$(scrape) || fail "second scrape"
[ "$(val "sipreg_kernel_challenges_total{netns=\"$ns\"}")" = $((ch0 + 1)) ] ||
	fail "challenges: $ch0 -> $(val "sipreg_kernel_challenges_total{netns=\"$ns\"}")"
[ "$(val "sipreg_kernel_misses_total{netns=\"$ns\",reason=\"no_binding\"}")" = $((nb0 + 1)) ] ||
	fail "misses no_binding: $nb0 -> $(echo "$M" | grep 'reason="no_binding"')"
[ "$(val sipregd_ksync_misses_total)" -ge $((km0 + 1)) ] || fail "sipregd_ksync_misses_total did not move"
[ "$(val "sipreg_kernel_refreshes_total{netns=\"$ns\"}")" = $((rf0 + 1)) ] ||
	fail "refreshes: $rf0 -> $(val "sipreg_kernel_refreshes_total{netns=\"$ns\"}")"
# the verdicts, one line per parser verdict, all in this namespace
[ "$(echo "$M" | grep -c "^sipreg_kernel_verdicts_total{netns=\"$ns\",verdict=")" -gt 10 ] ||
	fail "verdicts: $(echo "$M" | grep -c verdicts_total) lines"
log "netns $ns: challenges $ch0 -> $((ch0 + 1)), no_binding $nb0 -> $((nb0 + 1)), refreshes $rf0 -> $((rf0 + 1))"
exit 0
