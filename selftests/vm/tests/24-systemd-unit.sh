# SPDX-License-Identifier: GPL-2.0
# sipregd as its systemd unit runs it: as a user of its own, with exactly
# the unit's ambient capabilities and bounding set (read from the unit
# file itself). It must claim the module, push its users and answer a miss,
# and with only CAP_NET_BIND_SERVICE (the unit's old setting) the claim is
# refused, which shows that this test can tell the two apart.
. /sipreg/selftests/vm/lib.sh
UNIT=/sipreg/sipregd.service
UID_=990

unit_key() { sed -n "s/^$1=//p" $UNIT | tail -n 1; }
amb=$(unit_key AmbientCapabilities)
bnd=$(unit_key CapabilityBoundingSet)
user=$(unit_key User)
log "unit: User=$user AmbientCapabilities=$amb CapabilityBoundingSet=$bnd"
[ -n "$user" ] && [ "$user" != root ] || fail "the unit runs sipregd as root"
[ "$(echo $amb | tr ' ' '\n' | sort)" = "$(echo $bnd | tr ' ' '\n' | sort)" ] ||
	fail "ambient and bounding sets differ: '$amb' vs '$bnd'"

# cap_mask NAMES...: the /proc/PID/status hex mask of those capabilities.
cap_mask() {
	local m=0 c
	for c in "$@"; do
		case $c in
		CAP_NET_BIND_SERVICE) m=$((m | 1 << 10)) ;;
		CAP_NET_ADMIN) m=$((m | 1 << 12)) ;;
		CAP_NET_RAW) m=$((m | 1 << 13)) ;;
		*) fail "cap_mask: add $c to the table" ;;
		esac
	done
	printf '%016x' $m
}

# start_as CAPS...: sipregd as uid 990 holding exactly CAPS.
start_as() {
	SIPREGD_WRAP="sipreg-nobody -u $UID_ -g $UID_ -c $(echo "$@" | tr ' ' ,)"
	sipregd_start
	grep -q "^Uid:[[:space:]]*$UID_[[:space:]]" /proc/$SIPREGD_PID/status ||
		fail "sipregd is not running as uid $UID_"
	local eff
	eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$SIPREGD_PID/status)
	[ "$eff" = "$(cap_mask "$@")" ] || fail "sipregd holds $eff, not $(cap_mask "$@")"
}

module_load
sipregd_setup
echo pw | sd user add alice || fail "user add alice"
chown -R $UID_:$UID_ $SIPREGD_DIR
trap 'sipregd_kill' EXIT

start_as $amb
synced() { [ "$(sipregd_syncs)" -ge 1 ]; }
wait_until 10 synced || { sipregd_log; fail "no sync with the unit's capabilities"; }
gw_ctl user list | grep -q alice || fail "alice not pushed: $(gw_ctl user list)"

# A first registration: a miss, answered by the daemon, which installs the
# binding in the kernel.
ct="sip:alice@$CLIENT4:5061"
r=$(in_client sipreg-ua -u alice -b $CLIENT4 -t $GATEWAY4 -i call-a -C "$ct" -e 600) ||
	fail "no 401"
N=$(echo "$r" | sed -n 's/.*nonce="\([^"]*\)".*/\1/p' | head -n 1)
r=$(in_client sipreg-ua -u alice -b $CLIENT4 -t $GATEWAY4 -i call-a -C "$ct" -e 600 \
	-c 2 -B a-2 --nonce "$N" --password pw --nc 00000001) || { sipregd_log; fail "no 200"; }
[ "$(echo "$r" | head -n 1 | cut -d ' ' -f 2)" = 200 ] || fail "$(echo "$r" | head -n 1)"
installed() { gw_ctl binding list sip:alice@sipreg | grep -qF "contact $ct"; }
wait_until 5 installed || fail "binding not installed: $(gw_ctl binding list)"
sipregd_kill

# The unit's old capability set: the daemon serves, but the kernel refuses
# it the events group and the claim, so it never gets in sync.
f0=$(grep -c "sync failed" $SIPREGD_DIR/log)
start_as CAP_NET_BIND_SERVICE
refused() { [ "$(grep -c "sync failed" $SIPREGD_DIR/log)" -gt "$f0" ]; }
wait_until 10 refused || { sipregd_log; fail "the sync was not refused without CAP_NET_ADMIN"; }
[ "$(sipregd_syncs)" = 1 ] || fail "in sync without CAP_NET_ADMIN"
exit 0
