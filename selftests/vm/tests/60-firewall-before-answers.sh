# SPDX-License-Identifier: GPL-2.0
# Issue 12, finding 4: the host's firewall and IPsec policy have their say
# before the module answers. A source dropped by an nftables filter chain
# at firewalld's priority (+10), at a late priority (+1000), by the
# security table (+50), or refused by an inbound xfrm policy gets no 401,
# and the module never sees it; other sources still get theirs.
. /sipreg/selftests/vm/lib.sh

nf_modules_load
module_load
gateway_on
config_ns gateway rate 0
for a in 3 4 5 6; do
	in_client ip addr add 192.0.2.$a/24 dev veth-c
	in_client ip addr add 2001:db8::$a/64 dev veth-c nodad
done

# answered SRC DST: a 401 comes back.
answered() {
	[ "$(sip_ua -b "$1" -t "$2" --timeout 500 | status_of)" = 401 ]
}

for s in 192.0.2.3 192.0.2.4 192.0.2.5 192.0.2.6 2001:db8::3; do
	case $s in *:*) g=$GATEWAY6;; *) g=$GATEWAY4;; esac
	answered $s $g || fail "$s: no 401 before any rule"
done

nft_gw '
table inet firewalld_like {
	chain filter_INPUT {
		type filter hook input priority 10;
		ip saddr 192.0.2.3 udp dport 5060 drop
		ip6 saddr 2001:db8::3 udp dport 5060 drop
	}
	chain late {
		type filter hook input priority 1000;
		ip saddr 192.0.2.4 udp dport 5060 drop
	}
}
table ip sec {
	chain input {
		type filter hook input priority 50;
		ip saddr 192.0.2.5 udp dport 5060 drop
	}
}'
in_gateway ip xfrm policy add src 192.0.2.6/32 dst $GATEWAY4/32 proto 17 \
	dir in action block || fail "ip xfrm policy add"

rx0=$(counter gateway rx_packets)
for s in 192.0.2.3 192.0.2.4 192.0.2.5 192.0.2.6 2001:db8::3; do
	case $s in *:*) g=$GATEWAY6;; *) g=$GATEWAY4;; esac
	! answered $s $g || fail "$s: answered although the firewall drops it"
done
# The xfrm-refused one reaches the hook (policy is the transport's), the
# firewall-dropped ones never do.
rx1=$(counter gateway rx_packets)
[ "$rx1" -le $((rx0 + 1)) ] || fail "rx_packets $rx0 -> $rx1: the module saw dropped packets"

answered $CLIENT4 $GATEWAY4 || fail "$CLIENT4: no 401 with the rules in place"
answered $CLIENT6 $GATEWAY6 || fail "$CLIENT6: no 401 with the rules in place"
exit 0
