# SPDX-License-Identifier: GPL-2.0
# Issue 13 item 3, keepalives (RFC 5626 4.4): the module answers a STUN
# Binding request to the SIP port itself, over IPv4 and IPv6, with the
# client's address and port in XOR-MAPPED-ADDRESS and its transaction id
# (sipreg-stun checks the answer with code of its own), counted in
# stun_answered; a CRLFCRLF datagram is consumed and counted in
# keepalives. sipregd, running behind it, sees neither, but does see the
# STUN request the module leaves alone (an ICE one) and answers STUN
# itself once the fast path is off. With the hook disabled, or the
# firewall dropping the sender, nothing answers; the per-source limit of
# 401s holds for the answers too.
. /sipreg/selftests/vm/lib.sh

nf_modules_load
module_load
gateway_on
config_ns gateway
in_client ip addr add 192.0.2.3/24 dev veth-c

# stun SRC DST [ARGS...]: one Binding request from SRC; its output.
stun() {
	local src=$1 dst=$2
	shift 2
	in_client sipreg-stun -b "$src" "$@" "$dst" 5060
}
# answered SRC DST [ARGS...]: answered, with SRC and the port it sent from.
answered() {
	local out
	out=$(stun "$@") || { log "sipreg-stun $*: exit $?: $out"; return 1; }
	echo "$out" | grep -qx "mapped $1 [0-9]*" || { log "$out"; return 1; }
}
# unanswered SRC DST [ARGS...]: nothing comes back within half a second.
unanswered() {
	stun "$@" -w 500 > /dev/null 2>&1
	[ $? = 2 ]
}
# RFC 5769 2.1: USERNAME, MESSAGE-INTEGRITY, PRIORITY (comprehension-
# required): STUN, but not a keepalive; the module leaves it alone.
ICE=000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b3600060009657674\
6a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf

# The module alone: no socket on 5060 in the gateway, so only the module
# can answer (the stack would send ICMP port unreachable).
answered $CLIENT4 $GATEWAY4 || fail "IPv4 Binding request not answered"
expect_stat gateway stun_answered 1
answered $CLIENT6 $GATEWAY6 -f || fail "IPv6 Binding request with FINGERPRINT not answered"
expect_stat gateway stun_answered 2
answered 192.0.2.3 $GATEWAY4 -f || fail "second client address not answered"
expect_stat gateway stun_answered 3
unanswered $CLIENT4 $GATEWAY4 --crlf || fail "CRLFCRLF answered"
expect_stat gateway keepalives 1
unanswered $CLIENT6 $GATEWAY6 --crlf || fail "IPv6 CRLFCRLF answered"
expect_stat gateway keepalives 2
p0=$(counter gateway passed)
unanswered $CLIENT4 $GATEWAY4 --raw $ICE || fail "ICE request answered"
expect_stat gateway passed $((p0 + 1))
counter_is gateway stun_answered 3 || fail "stun_answered moved for the ICE request"

# sipregd behind the module: it sees none of the keepalives.
sipregd_setup
sipregd_start
answered $CLIENT4 $GATEWAY4 || fail "IPv4 not answered with sipregd running"
answered $CLIENT6 $GATEWAY6 || fail "IPv6 not answered with sipregd running"
unanswered $CLIENT4 $GATEWAY4 --crlf || fail "CRLFCRLF answered with sipregd running"
unanswered $CLIENT4 $GATEWAY4 --raw $ICE || fail "ICE request answered by someone"
expect_stat gateway stun_answered 5
expect_stat gateway keepalives 3
st=$(sipregd_stats | head -n 1)
echo "$st" | grep -q "stun answered 0 stun ignored 1 keepalives 0" ||
	fail "sipregd saw keepalives the module took, or missed the ICE request: $st"

# Fast path off: the module answers nothing, sipregd answers instead.
gw_ctl config set fastpath off || fail "fastpath off"
answered $CLIENT4 $GATEWAY4 || fail "sipregd did not answer with the fast path off"
unanswered $CLIENT4 $GATEWAY4 --crlf || fail "CRLFCRLF answered with the fast path off"
st=$(sipregd_stats | head -n 1)
echo "$st" | grep -q "stun answered 1 stun ignored 1 keepalives 1" ||
	fail "sipregd's counters with the fast path off: $st"
counter_is gateway stun_answered 5 || fail "stun_answered moved with the fast path off"
counter_is gateway keepalives 3 || fail "keepalives moved with the fast path off"
sipregd_kill

# Hook disabled: nothing answers; enabled again: answered again.
gw_ctl config set fastpath on || fail "fastpath on"
gw_ctl config set enabled off || fail "enabled off"
unanswered $CLIENT4 $GATEWAY4 || fail "answered with the hook disabled"
unanswered $CLIENT6 $GATEWAY6 || fail "IPv6 answered with the hook disabled"
counter_is gateway stun_answered 5 || fail "stun_answered moved with the hook disabled"
gateway_on
answered $CLIENT4 $GATEWAY4 || fail "not answered once enabled again"
expect_stat gateway stun_answered 6

# The firewall has its say first, as for 401s (test 60).
nft_gw '
table inet filter {
	chain input {
		type filter hook input priority 10;
		ip saddr 192.0.2.3 udp dport 5060 drop
	}
}'
unanswered 192.0.2.3 $GATEWAY4 || fail "answered although the firewall drops the sender"
answered $CLIENT4 $GATEWAY4 || fail "$CLIENT4 not answered with the rule in place"
expect_stat gateway stun_answered 7

# The per-source limit of 401s holds for STUN answers too: ten requests
# sent at once from one source with a burst of 2 get 2 answers (3 if a
# token comes back while they arrive), the rest count as rate_limited.
config_ns gateway rate 1 burst 2
r0=$(counter gateway rate_limited)
out=$(stun $CLIENT6 $GATEWAY6 -n 10 -w 1000)
rc=$?
got=$(echo "$out" | sed -n 's/^answers \([0-9]*\) of 10$/\1/p')
[ $rc = 0 ] && [ "${got:-0}" -ge 2 ] && [ "$got" -le 3 ] ||
	fail "10 requests at once, burst 2: exit $rc, $(echo "$out" | tail -n 1)"
log "10 requests at once, burst 2: $got answered"
expect_stat gateway rate_limited $((r0 + 10 - got))
expect_stat gateway stun_answered $((7 + got))
exit 0
