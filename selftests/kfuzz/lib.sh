# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the in-kernel fuzzing tests (sourced after selftests/vm/lib.sh,
# busybox sh in the test VM): the gateway's configuration, a loop that
# reloads the module, a loop that starts and kills sipregd, and the
# module's counters summed over the reloads ("coverage-like" figures).

KF=/tmp/kfuzz
PROTOS_GZ=/sipreg/protos-c07-sip.gz
rm -rf $KF && mkdir -p $KF

# kf_configure: the gateway as the fuzzers expect it: realm sipreg, no 401
# rate limit, user alice (password pw).
kf_configure() {
	gw_ctl config set realm sipreg rate 0 enabled on > /dev/null 2>&1
	echo pw | gw_ctl user add alice realm sipreg > /dev/null 2>&1
}

# kf_snapshot: the module's counters now, appended to $KF/stats.log.
kf_snapshot() {
	gw_ctl stats 2> /dev/null >> $KF/stats.log
}

# kf_log MSG: a line with the VM's uptime, to see where the time goes.
kf_log() { echo "# [$(cut -d' ' -f1 /proc/uptime)] $*"; }

kf_rand() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }

# kf_reload_loop: rmmod and insmod until $KF/stop exists; the counts in
# $KF/reloads ("ok failed").
kf_reload_loop() {
	local ok=0 bad=0
	while [ ! -e $KF/stop ]; do
		usleep $(( 500000 + $(kf_rand 2000) * 1000 ))
		kf_snapshot
		if rmmod sipreg 2>> $KF/rmmod.err; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
		fi
		module_loaded || insmod $SIPREG_KO 2>> $KF/rmmod.err
		kf_configure
		echo "$ok $bad" > $KF/reloads
	done
}

# kf_daemon_loop: sipregd started, left a few seconds, killed (TERM or
# KILL), until $KF/stop exists. A daemon that died by itself is recorded
# in $KF/daemon.crash. Counts in $KF/daemon ("started killed").
kf_daemon_loop() {
	local started=0 killed=0 pid i sig rc
	sipregd_setup
	echo "alice;pw" > $SIPREGD_DIR/users.txt
	sd user import $SIPREGD_DIR/users.txt > /dev/null 2>&1
	while [ ! -e $KF/stop ]; do
		/sbin/ip netns exec gateway sipregd -c $SIPREGD_DIR/sipregd.conf \
			>> $SIPREGD_DIR/log 2>&1 &
		pid=$!
		started=$((started + 1))
		i=$(( 10 + $(kf_rand 40) ))
		while [ $i -gt 0 ] && [ ! -e $KF/stop ] && kill -0 $pid 2> /dev/null; do
			usleep 100000
			i=$((i - 1))
		done
		if ! kill -0 $pid 2> /dev/null; then
			wait $pid 2> /dev/null
			rc=$?
			echo "sipregd exited by itself with status $rc" >> $KF/daemon.crash
			tail -n 20 $SIPREGD_DIR/log >> $KF/daemon.crash
		else
			sig=TERM
			[ $(kf_rand 2) = 0 ] && sig=KILL
			kill -$sig $pid
			wait $pid 2> /dev/null
			killed=$((killed + 1))
		fi
		echo "$started $killed" > $KF/daemon
	done
}

# kf_background: both loops in the background ($KF_PIDS).
kf_background() {
	kf_reload_loop &
	KF_PIDS=$!
	kf_daemon_loop &
	KF_PIDS="$KF_PIDS $!"
}

# kf_stop: the loops stopped; the module loaded and configured again.
kf_stop() {
	local p
	touch $KF/stop
	for p in $KF_PIDS; do wait $p; done
	KF_PIDS=
	module_loaded || insmod $SIPREG_KO
	kf_configure
}

# kf_summary: the counters summed over every snapshot: which verdicts and
# miss reasons the fuzzing reached, out of how many.
kf_summary() {
	kf_snapshot
	awk '{ s[$1] += $2; seen[$1] = 1 }
	     END {
		for (k in seen) {
			if (k ~ /^verdict\./) { nv++; if (s[k]) { hv++; v = v " " substr(k, 9) "=" s[k] } }
			else if (k ~ /^miss\./) { nm++; if (s[k]) { hm++; m = m " " substr(k, 6) "=" s[k] } }
			else if (s[k]) c = c " " k "=" s[k]
		}
		printf "# coverage: %d of %d parser verdicts, %d of %d miss reasons reached\n", hv, nv, hm, nm
		printf "# counters:%s\n# verdicts:%s\n# misses:%s\n", c, v, m
	     }' $KF/stats.log
}

# kf_check_after: the module still answers, the daemon never died by itself.
kf_check_after() {
	local r
	if [ -s $KF/daemon.crash ]; then
		sed 's/^/# /' $KF/daemon.crash | head -n 30
		fail "sipregd died without being killed"
	fi
	r=$(in_client sipreg-ua -b $CLIENT4 -t $GATEWAY4 -p 5070 -i after-fuzz) ||
		fail "no answer over IPv4 after the fuzzing"
	echo "$r" | head -n 1 | grep -q '^SIP/2.0 401' || fail "after the fuzzing, IPv4: $(echo "$r" | head -n 1)"
	r=$(in_client sipreg-ua -b $CLIENT6 -t $GATEWAY6 -p 5070 -i after-fuzz6) ||
		fail "no answer over IPv6 after the fuzzing"
	echo "$r" | head -n 1 | grep -q '^SIP/2.0 401' || fail "after the fuzzing, IPv6: $(echo "$r" | head -n 1)"
}
