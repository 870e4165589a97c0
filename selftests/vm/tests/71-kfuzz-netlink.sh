# SPDX-License-Identifier: GPL-2.0
# Netlink fuzzing of the module (issue 12, section 2): four
# sipreg-kfuzz-netlink at once — as root in the gateway and in a third
# namespace, as uid 65534 without capabilities in the gateway and in the
# client — while the packet fuzzer sends traffic and the module is
# reloaded in a loop. Passes if no unprivileged write ever succeeded, the
# module unloads and answers afterwards, and the console stays clean
# (run.sh checks it). KFUZZ_SECONDS: fuzzing time.
. /sipreg/selftests/vm/lib.sh
. /sipreg/selftests/kfuzz/lib.sh
SECONDS_=${KFUZZ_SECONDS:-30}
SEED=${KFUZZ_SEED:-1}

module_load
kf_configure
ip netns add kf3 || fail "ip netns add kf3"
trap 'ip netns del kf3 2>/dev/null' EXIT
mac=$(in_gateway cat /sys/class/net/veth-g/address)

kf_log "fuzzing for $SECONDS_ s"
kf_reload_loop &
KF_PIDS=$!
in_client sipreg-kfuzz-packet -i veth-c -4 $CLIENT4,$GATEWAY4 \
	-6 $CLIENT6,$GATEWAY6 -m "$mac" -t "$SECONDS_" -S "$SEED" \
	-c $SELFTESTS/fuzz/corpus -u alice:pw:kfuzz-1:sip:alice@$CLIENT4:5062 \
	> $KF/traffic.out 2>&1 &
tp=$!
in_gateway sipreg-kfuzz-netlink -t "$SECONDS_" -S $((SEED + 1)) > $KF/gw-root.out 2>&1 &
p1=$!
in_gateway sipreg-nobody sipreg-kfuzz-netlink -U -t "$SECONDS_" -S $((SEED + 2)) \
	> $KF/gw-nobody.out 2>&1 &
p2=$!
ip netns exec kf3 sipreg-kfuzz-netlink -t "$SECONDS_" -S $((SEED + 3)) > $KF/kf3-root.out 2>&1 &
p3=$!
in_client sipreg-nobody sipreg-kfuzz-netlink -U -t "$SECONDS_" -S $((SEED + 4)) \
	> $KF/client-nobody.out 2>&1 &
p4=$!
rc=0
for p in "$p1 gw-root" "$p2 gw-nobody" "$p3 kf3-root" "$p4 client-nobody"; do
	wait ${p% *}
	r=$?
	log "---- ${p#* } (exit $r)"
	sed 's/^# //; s/^/# /' $KF/${p#* }.out
	[ $r = 0 ] || rc=1
done
wait $tp
kf_log "fuzzing done"
kf_stop
log "module reloads (ok failed): $(cat $KF/reloads 2>/dev/null)"
grep 'execs' $KF/traffic.out
[ $rc = 0 ] || fail "a netlink fuzzer failed (see above)"
for f in gw-root gw-nobody kf3-root client-nobody; do
	grep -q "datagrams" $KF/$f.out || fail "$f: no report"
done
# A clean module again: the fuzzers changed ports, realm, fast path.
module_unload
module_load
kf_configure
kf_check_after
exit 0
