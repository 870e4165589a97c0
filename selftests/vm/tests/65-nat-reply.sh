# SPDX-License-Identifier: GPL-2.0
# Issue 12, finding 10: with a REDIRECT of 5060 to the module's port 5080,
# the reply is attached to the request's conntrack entry and leaves
# translated back, from port 5060: a client whose socket is connected to
# 5060 receives it. IPv4 and IPv6.
. /sipreg/selftests/vm/lib.sh

nf_modules_load
module_load
gateway_on
config_ns gateway ports 5080
nft_gw '
table inet nat {
	chain prerouting {
		type nat hook prerouting priority -100;
		udp dport 5060 redirect to :5080
	}
}'
r=$(sip_ua -b $CLIENT4 -t $GATEWAY4 --dport 5080 --connect)
[ "$(echo "$r" | status_of)" = 401 ] || fail "no 401 on 5080 itself"
for fam in 4 6; do
	if [ $fam = 4 ]; then C=$CLIENT4 G=$GATEWAY4; else C=$CLIENT6 G=$GATEWAY6; fi
	ch0=$(counter gateway challenges)
	# 5 s, not 1: the reply may wait for neighbour discovery, which
	# under TCG on a busy host has taken longer than a second.
	r=$(sip_ua -b $C -t $G -B z9hG4bK-nat$fam --connect --timeout 5000)
	[ "$(counter gateway challenges)" = $((ch0 + 1)) ] || fail "IPv$fam: the module did not answer"
	[ "$(echo "$r" | status_of)" = 401 ] ||
		fail "IPv$fam: the 401 did not come back from port 5060 (not translated back)"
done
exit 0
