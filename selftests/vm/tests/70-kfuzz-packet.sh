# SPDX-License-Identifier: GPL-2.0
# Packet fuzzing of the module (issue 12, section 2): sipreg-kfuzz-packet
# sends the libFuzzer corpora, the RFC-style vectors, the PROTOS c07-sip
# suite (when the initramfs has it) and REGISTERs with valid credentials,
# mutated, over IPv4 and IPv6, through UDP, GSO, corked, maximum-size, raw
# IP and AF_PACKET senders (bad UDP lengths and checksums, IP options,
# IPv6 extension headers, fragments, broadcast and multicast), while the
# module is reloaded and sipregd started and killed in a loop. Passes if
# the module answers afterwards, sipregd never died by itself and the
# console stays clean (run.sh checks it). KFUZZ_SECONDS: fuzzing time.
. /sipreg/selftests/vm/lib.sh
. /sipreg/selftests/kfuzz/lib.sh
SECONDS_=${KFUZZ_SECONDS:-30}

module_load
gateway_on
kf_configure
# Broadcast and multicast leave through the veth; no backlog drops
# because of the flood itself.
in_client ip route add 224.0.0.0/4 dev veth-c
sysctl -qw net.core.netdev_max_backlog=20000
mac=$(in_gateway cat /sys/class/net/veth-g/address)

protos=
if [ -f $PROTOS_GZ ]; then
	protos="-P $KF/protos"
	zcat $PROTOS_GZ > $KF/protos || fail "cannot unpack $PROTOS_GZ"
else
	log "no PROTOS suite in this initramfs (../shared/corpora missing at build time)"
fi

kf_log "fuzzing for $SECONDS_ s"
kf_background
in_client sipreg-kfuzz-packet -i veth-c -4 $CLIENT4,$GATEWAY4 \
	-6 $CLIENT6,$GATEWAY6 -m "$mac" -t "$SECONDS_" -S "${KFUZZ_SEED:-1}" \
	-c $SELFTESTS/fuzz/corpus -c $SELFTESTS/data/vectors $protos \
	-u alice:pw:kfuzz-1:sip:alice@$CLIENT4:5062 > $KF/fuzz.out 2>&1
rc=$?
kf_log "fuzzing done"
kf_stop
kf_log "loops stopped"
cat $KF/fuzz.out
[ $rc = 0 ] || fail "sipreg-kfuzz-packet exited $rc"
log "module reloads (ok failed): $(cat $KF/reloads 2>/dev/null)"
log "sipregd (started killed): $(cat $KF/daemon 2>/dev/null)"
[ -s $KF/rmmod.err ] && sed 's/^/# rmmod: /' $KF/rmmod.err | sort | uniq -c | head
kf_summary
execs=$(sed -n 's/^# kfuzz-packet: \([0-9]*\) execs.*/\1/p' $KF/fuzz.out)
[ "${execs:-0}" -gt 100 ] || fail "only ${execs:-0} datagrams sent"
[ "$(cut -d' ' -f1 $KF/reloads)" -gt 0 ] || fail "the module was never reloaded"
kf_check_after
exit 0
