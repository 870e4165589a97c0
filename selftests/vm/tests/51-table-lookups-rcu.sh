# SPDX-License-Identifier: GPL-2.0
# Issue 12 §3.2: the netlink side looks users and bindings up while the
# tables grow and shrink (rhashtable resizes in a worker and frees the old
# bucket table after an RCU grace period) and while the fast path reads
# them. On the debug kernel (PROVE_RCU) a lookup outside rcu_read_lock()
# prints "suspicious RCU usage", which fails the run (console check); on
# any kernel the tables must come out consistent.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
HA1=0123456789abcdef0123456789abcdef
echo pw | gw_ctl user add alice realm sipreg || fail "user add alice"
gw_ctl binding add sip:alice@sipreg contact sip:alice@$CLIENT4:5061 call-id rcu-1 \
	cseq 1 expires 600 || fail "binding add alice"
N=$(in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -i rcu-1 | sed -n 's/.*nonce="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$N" ] || fail "no nonce"

# The fast path reads both tables meanwhile.
(
	i=1
	while [ $i -lt 400 ]; do
		usleep 100000
		in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -i rcu-1 -c $((i + 1)) -B rcu$i \
			--nonce $N --password pw --nc $(printf %08x $i) --timeout 300 > /dev/null
		i=$((i + 1))
	done
) &
UA=$!
trap 'kill $UA 2>/dev/null' EXIT

# 60 entries: the tables (64 buckets at first) grow once at 48 and
# shrink step by step as they empty (automatic shrinking below 30 %).
for round in 1; do
	# Grow: every insert past 75 % load doubles the table.
	i=0
	while [ $i -lt 60 ]; do
		gw_ctl user add u$i realm sipreg ha1 $HA1 || fail "user add u$i"
		gw_ctl binding add sip:b$i@sipreg contact sip:b$i@x call-id c$i cseq 1 \
			expires 600 || fail "binding add b$i"
		i=$((i + 1))
	done
	# Replace (lookup + replace) and read back (binding get: a lookup).
	i=0
	while [ $i -lt 60 ]; do
		gw_ctl user add u$i realm sipreg ha1 fedcba9876543210fedcba9876543210 ||
			fail "user replace u$i"
		gw_ctl binding add sip:b$i@sipreg contact sip:b$i@x call-id c$i cseq 2 \
			expires 600 || fail "binding replace b$i"
		gw_ctl binding list sip:b$i@sipreg | grep -q "cseq 2 " ||
			fail "binding get b$i: $(gw_ctl binding list sip:b$i@sipreg)"
		i=$((i + 3))
	done
	# Shrink: deletes (lookup + remove) below 30 % halve it again.
	i=0
	while [ $i -lt 60 ]; do
		gw_ctl user del u$i realm sipreg || fail "user del u$i"
		gw_ctl binding del sip:b$i@sipreg || fail "binding del b$i"
		i=$((i + 1))
	done
done
[ "$(gw_ctl user list | grep -c '^user')" = 1 ] || fail "users left: $(gw_ctl user list)"
[ "$(gw_ctl binding list | grep -c '^sip:')" = 1 ] || fail "bindings left: $(gw_ctl binding list)"
[ "$(counter gateway refreshes)" -gt 0 ] || fail "the fast path did not refresh meanwhile"
exit 0
