# SPDX-License-Identifier: GPL-2.0
#
# The in-VM half of `make bench` (busybox sh, sourced by the VM runner in
# the client/gateway topology, lib.sh loaded). bench.sh stages this file
# with a wrapper per phase that sets PHASE and the parameters:
#   compare  floor (echo), sipreg's fast path, sipregd alone, Kamailio:
#            401/s and refresh/s each, then the fast path's latency at
#            half its peak refresh rate
#   scale    refresh/s and kernel memory with BENCH_SCALE bindings
#   sync     how long a starting sipregd takes to push SYNC_N users and
#            SYNC_N bindings into an empty module
#   sipp     `make bench-sipp`: sipp's registrations and refreshes against
#            the fast path, sipregd alone and Kamailio, with the server's
#            CPU per request (phase_sipp below says how it is measured)
#   storm    STORM_PHONES phones with no binding register at once (sipreg-
#            load -m storm) against the module + sipregd, then Kamailio:
#            time until every phone holds a binding, peak miss queue,
#            lost misses, retransmissions, 503s, wrong answers
# It prints one "BENCH key=value..." line per measurement for report.sh.
# The floor and the fast path time themselves in the hook (local_clock()
# at entry and at the verdict: the floor always, sipreg with 'config set
# timing on'); each run's BENCH line carries the sums' growth over the run
# for its kind (k_timed, k_ns: echoes, 401s or refreshes).
# Every load but sipp's is sipreg-load in the client namespace against
# 192.0.2.2:5060 in the gateway namespace, closed loop, no retransmissions.

: "${PHASE:=compare}" "${SECS:=5}" "${USERS:=500}" "${THREADS:=2}"
: "${WINDOW:=32}" "${WARMUP:=30}" "${BENCH_SCALE:=1000 100000}" "${REALM:=sipreg.test}"
: "${SYNC_N:=100000}"
: "${STORM_PHONES:=10000}" "${STORM_SECS:=300}" "${KAM_DB:=kamailio.db}" "${KAM_SHM:=128}"
HERE=$(pwd)
TARGET=$GATEWAY4:5060
FLOOR_KO=/lib/modules/sipreg_floor.ko
DAEMON_PID=
KAM_PID=
# A command that execs the registrar (phase sipp pins it to a CPU).
SERVER_PIN=

# A number from sipreg-load's JSON: jnum KEY TEXT (first match).
jnum() { echo "$2" | grep -o "\"$1\":[0-9.]*" | head -n 1 | cut -d: -f2; }

# The object of one request kind (its latency nest included).
jkind() { grep -o "\"$1\":{\"sent\"[^}]*" "$2"; }

# A counter of the module in the gateway, or "na".
kstat() {
	local v
	v=$(counter gateway "$1" 2>/dev/null)
	echo "${v:-na}"
}

FLOOR_TIMING=/sys/module/sipreg_floor/parameters/timing

# ktime MODE: "COUNT NS" timed in the hook so far for MODE's answers (the
# floor's echoes, the module's 401s or refreshes), or "na na".
ktime() {
	if [ "$1" = echo ] && [ -r $FLOOR_TIMING ]; then
		cat $FLOOR_TIMING
	elif [ "$1" = challenge ] || [ "$1" = refresh ]; then
		echo "$(kstat timed_$1) $(kstat time_ns_$1)"
	else
		echo "na na"
	fi
}

# kdelta BEFORE AFTER: AFTER - BEFORE, or na.
kdelta() {
	case "$1$2" in *na*|"") echo na ;; *) echo $(($2 - $1)) ;; esac
}

# load NAME MODE [sipreg-load options]: one measured run, one BENCH line
# (with $TAGS appended); its rate of right answers is left in RATE.
load() {
	local name=$1 mode=$2 out=/tmp/$1.json kind=challenge k secs ok
	shift 2
	[ "$mode" = refresh ] && kind=refresh
	local ch0 rf0 ch1 rf1 kt0 kt1
	ch0=$(kstat challenges) rf0=$(kstat refreshes) kt0=$(ktime "$mode")
	in_client sipreg-load -t $TARGET -m "$mode" -n $USERS -T $THREADS \
		--realm $REALM --no-retransmit --timeout 2000 -d $SECS \
		--warmup $WARMUP --show-wrong 2 -j "$@" >$out 2>/tmp/$name.err
	local rc=$?
	ch1=$(kstat challenges) rf1=$(kstat refreshes) kt1=$(ktime "$mode")
	k=$(jkind $kind $out)
	secs=$(jnum seconds "$(cat $out)")
	ok=$(jnum ok "$k")
	RATE=$(awk -v o="${ok:-0}" -v s="${secs:-0}" 'BEGIN { printf "%.0f", (s > 0 ? o / s : 0) }')
	echo "BENCH phase=$PHASE name=$name mode=$mode exit=$rc t=$(cut -d' ' -f1 /proc/uptime)" \
	     "ok=${ok:-0} seconds=${secs:-0} rate=$RATE" \
	     "wrong=$(grep -o '"wrong":{"total":[0-9]*' $out | grep -o '[0-9]*$')" \
	     "timeouts=$(jnum timeouts "$k") unanswered=$(jnum unanswered "$(cat $out)")" \
	     "p50=$(jnum p50 "$k") p99=$(jnum p99 "$k")" \
	     "warmup_failed=$(jnum warmup_failed "$(cat $out)")" \
	     "client_us=$(jnum cpu_us_per_request "$(cat $out)")" \
	     "k_challenges=$(kdelta $ch0 $ch1) k_refreshes=$(kdelta $rf0 $rf1)" \
	     "k_timed=$(kdelta "${kt0% *}" "${kt1% *}") k_ns=$(kdelta "${kt0#* }" "${kt1#* }")" \
	     "$TAGS"
	TAGS=
	[ $rc = 0 ] || sed "s/^/# $name: /" /tmp/$name.err | head -n 20
}

udp_listening() {	# NS: a socket bound to port 5060 (13C4) there?
	ip netns exec "$1" cat /proc/net/udp /proc/net/udp6 | grep -q ':13C4 '
}

users_file() {
	awk -v n=$USERS 'BEGIN { for (i = 1; i <= n; i++) printf "user%06d;pw%06d\n", i, i }' \
		>/tmp/users.txt
}

db_users() {
	rm -f /tmp/sipregd.db*
	users_file
	sipregd --db=/tmp/sipregd.db --realm=$REALM user import /tmp/users.txt \
		2>/dev/null || fail "sipregd user import"
}

# DAEMON_OPTS: more sipregd flags (the scale phase needs a large event
# buffer: an overflow makes sipregd reconcile, which deletes the synthetic
# bindings it does not know).
daemon_run() {
	# Not through in_gateway: $! must be sipregd, not a subshell.
	/sbin/ip netns exec gateway $SERVER_PIN sipregd --db=/tmp/sipregd.db --realm=$REALM \
		--listen=$TARGET --log_level=${LOG_LEVEL:-warn} --challenge_rate=0 \
		--challenge_rate_global=0 ${DAEMON_OPTS:-} >/tmp/sipregd.log 2>&1 &
	DAEMON_PID=$!
	wait_until 20 udp_listening gateway && return 0
	sed 's/^/# sipregd: /' /tmp/sipregd.log | tail -n 20
	fail "sipregd did not listen"
}

daemon_start() {
	db_users
	daemon_run
}

daemon_stop() {
	[ -n "$DAEMON_PID" ] || return 0
	kill $DAEMON_PID 2>/dev/null
	wait $DAEMON_PID 2>/dev/null
	DAEMON_PID=
	# The next registrar must not find the port taken.
	wait_until 10 port_free || fail "something still listens on 5060"
}

port_free() { ! udp_listening gateway; }

# The module for the fast path, switched on in the gateway namespace (it is
# inert there until then): realm, no 401 rate limit per source (the whole
# load comes from one address) nor, unless RATE_GLOBAL says, for the whole
# namespace (its default of 1000/s would cap the fast path's 401s), users'
# HA1s installed directly so the fast path knows them whether or not
# sipregd pushes them. MODULE_CONFIG: more "sipregctl config set" pairs,
# which win over these (sipregctl refuses a key given twice).
module_setup() {
	module_load
	gw_ctl config set realm $REALM rate 0 rate-global ${RATE_GLOBAL:-0} \
		max-bindings 4000000 enabled on || fail "sipregctl config set"
	[ -z "${MODULE_CONFIG:-}" ] || gw_ctl config set $MODULE_CONFIG ||
		fail "sipregctl config set $MODULE_CONFIG"
	in_gateway sipreg-bench-bulk users $USERS $REALM || fail "bulk users"
}

kam_start() {
	[ -x /usr/sbin/kamailio ] || { log "no kamailio in this VM"; return 1; }
	mkdir -p /tmp/kam
	/sbin/ip netns exec gateway $SERVER_PIN kamailio -f $HERE/kamailio/kamailio.cfg -DD -E -n 2 -m $KAM_SHM \
		-M 16 -w /tmp/kam -Y /tmp/kam \
		-A "DBURL=\"sqlite:///$HERE/$KAM_DB\"" -A "REALM=\"$REALM\"" \
		-A NONCE_EXPIRE=300 -l udp:$TARGET >/tmp/kam/kamailio.log 2>&1 &
	KAM_PID=$!
	wait_until 30 kam_up && udp_listening gateway && return 0
	sed 's/^/# kamailio: /' /tmp/kam/kamailio.log | tail -n 20
	kam_stop
	return 1
}

# Listening, or dead: either way the waiting is over.
kam_up() { udp_listening gateway || ! kill -0 $KAM_PID 2>/dev/null; }

kam_stop() {
	[ -n "$KAM_PID" ] || return 0
	kill $KAM_PID 2>/dev/null
	wait_until 10 sh -c "! kill -0 $KAM_PID 2>/dev/null" || kill -9 $KAM_PID
	killall -9 kamailio 2>/dev/null
	KAM_PID=
	wait_until 10 port_free || fail "kamailio still listens on 5060"
}

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

cleanup() {
	daemon_stop
	kam_stop
	rmmod sipreg_floor 2>/dev/null
}
trap cleanup EXIT

echo "BENCH phase=$PHASE name=vm kernel=$(uname -r) cpus=$(nproc)" \
     "mem_kb=$(meminfo MemTotal) secs=$SECS users=$USERS threads=$THREADS window=$WINDOW"

phase_compare() {
	# 1. the floor: the kernel echoes; the same generator takes the echo.
	insmod $FLOOR_KO || fail "insmod $FLOOR_KO"
	load floor echo -w $WINDOW
	rmmod sipreg_floor || fail "rmmod sipreg_floor"

	# 2. sipreg: fast path, sipregd behind it for what misses; the hook
	# times itself as the floor does.
	module_setup
	gw_ctl config set timing on || fail "sipregctl config set timing on"
	daemon_start
	load fast_challenge challenge -w $WINDOW
	load fast_refresh refresh -w $WINDOW
	peak=$RATE
	echo "# module counters after the fast-path runs:"
	gw_ctl stats | grep -v ' 0$' | sed 's/^/#   /'
	daemon_stop
	module_unload

	# 3. sipregd alone, the module unloaded.
	daemon_start
	load sipregd_challenge challenge -w $WINDOW
	load sipregd_refresh refresh -w $WINDOW
	daemon_stop

	# 4. Kamailio 5.6, same realm, users and passwords.
	if kam_start; then
		load kamailio_challenge challenge -w $WINDOW
		load kamailio_refresh refresh -w $WINDOW
		kam_stop
	else
		echo "BENCH phase=$PHASE name=kamailio_challenge exit=skip"
		echo "BENCH phase=$PHASE name=kamailio_refresh exit=skip"
	fi

	# 6. latency of the fast path at half its peak refresh rate, open loop.
	half=$(( ${peak:-0} / 2 ))
	if [ "$half" -lt 10 ]; then
		echo "BENCH phase=$PHASE name=fast_latency exit=skip"
		return 0
	fi
	module_setup
	daemon_start
	TAGS="rate_target=$half"
	load fast_latency refresh -r $half --tick 0
	daemon_stop
	module_unload
}

phase_scale() {
	module_setup
	DAEMON_OPTS=--events_rcvbuf=268435456
	daemon_start
	# The refreshing users' own bindings first, so that the deltas below
	# count only the synthetic ones.
	load scale_warm refresh -w $WINDOW
	sync; echo 3 >/proc/sys/vm/drop_caches
	base_s=$(meminfo SUnreclaim) base_v=$(meminfo VmallocUsed) base_f=$(meminfo MemFree)
	have=0
	for n in $BENCH_SCALE; do
		t0=$(date +%s)
		in_gateway sipreg-bench-bulk bindings $((n - have)) $((have + 1)) ||
			{ echo "BENCH phase=$PHASE name=scale_$n exit=bulk_failed"; break; }
		t1=$(date +%s)
		have=$n
		# Until sipregd has read the binding_added events queued for it.
		sleep 3
		sync; echo 3 >/proc/sys/vm/drop_caches
		s=$(meminfo SUnreclaim) v=$(meminfo VmallocUsed) f=$(meminfo MemFree)
		# The first run after a bulk install is slower (the daemon is
		# still taking in the events): measure the second.
		load scale_pre_$n refresh -w $WINDOW
		TAGS="bindings=$n install_s=$((t1 - t0)) sunreclaim_kb=$((s - base_s))"
		TAGS="$TAGS vmalloc_kb=$((v - base_v)) memfree_kb=$((base_f - f))"
		load scale_$n refresh -w $WINDOW
	done
	echo "# sipregd's warnings during the scale steps:"
	sed 's/^/#   /' /tmp/sipregd.log | tail -n 10
	echo "# module counters:"
	gw_ctl stats | grep -v ' 0$' | sed 's/^/#   /'
	daemon_stop
	scale_flush $have
	module_unload
}

# busybox date has no %N: /proc/uptime has hundredths.
ms_now() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

# The flush of N users and N bindings: each a walk in batches (the table is
# freed one RCU read section per 256 entries, not one for the whole table).
scale_flush() {
	local n=$1 t0 t1 t2 rc=0
	[ "$n" -gt 0 ] || return 0
	gw_ctl config set max-users $((n + 1000)) || rc=$?
	in_gateway sipreg-bench-bulk users "$n" bench.invalid >/dev/null || rc=$?
	t0=$(ms_now)
	gw_ctl user flush || rc=$?
	t1=$(ms_now)
	gw_ctl binding flush || rc=$?
	t2=$(ms_now)
	echo "BENCH phase=$PHASE name=scale_flush exit=$rc entries=$n" \
	     "user_flush_ms=$((t1 - t0)) binding_flush_ms=$((t2 - t1))" \
	     "users_left=$(gw_ctl user list | grep -c .)" \
	     "bindings_left=$(gw_ctl binding list | grep -c .)"
}

# A daemon that starts with SYNC_N users and as many bindings in its
# database pushes them all into an empty module (issue 14: under 10 s for
# 100 000 of each under emulation); its "in sync" line times the push.
phase_sync() {
	local n=$SYNC_N line cpu
	module_load
	gw_ctl config set realm $REALM rate 0 max-users $((n + 1000)) \
		max-bindings $((n + 1000)) enabled on || fail "sipregctl config set"
	USERS=$n db_users
	sipreg-bench-db /tmp/sipregd.db "$n" $REALM || fail "sipreg-bench-db"
	LOG_LEVEL=info daemon_run
	wait_until 170 grep -q 'kernel: in sync in' /tmp/sipregd.log
	# The daemon's CPU so far: user time is sipregd's own work, system
	# time mostly the module's (a generic netlink request runs in the
	# sender's sendmsg()).
	cpu=$(awk '{ printf "daemon_user_s=%.2f daemon_sys_s=%.2f", $14 / 100, $15 / 100 }' \
	      /proc/$DAEMON_PID/stat)
	line=$(grep -o 'in sync in [0-9.]* s ([0-9]* users, [0-9]* bindings' /tmp/sipregd.log |
	       head -n 1)
	echo "BENCH phase=$PHASE name=sync exit=$([ -n "$line" ] && echo 0 || echo timeout)" \
	     "entries=$n sync_s=$(echo "$line" | cut -d' ' -f4)" \
	     "users=$(echo "$line" | cut -d'(' -f2 | cut -d' ' -f1)" \
	     "bindings=$(echo "$line" | cut -d, -f2 | cut -d' ' -f2)" \
	     "k_users=$(gw_ctl user list | grep -c '^user ')" \
	     "k_bindings=$(gw_ctl binding list | grep -c '^sip') $cpu"
	grep -v 'info: stats' /tmp/sipregd.log | sed 's/^/# sipregd: /' | tail -n 8
	daemon_stop
	module_unload
}

# ---- phase sipp: `make bench-sipp` ------------------------------------------
# sipp, as the project's users measure, runs selftests/sipp/register-
# refresh.xml for SIPP_USERS users against each server, in three rounds:
#   challenge  REGISTER -> 401 (CSeq 1)
#   register   REGISTER -> 401 -> digest REGISTER -> 200: the binding is made
#   refresh    REGISTER -> 401 -> SIPP_REFRESHES digest REGISTERs -> 200,
#              each a refresh of the binding the register round made
# report.sh takes the CPU per 401, per registration and per refresh from
# them (a refresh: the round's CPU less its 401s, at the challenge round's
# price, over the refreshes).
#
# How the server's CPU is told from sipp's. Debian's kernels account CPU
# time by sampling at each tick (no IRQ_TIME_ACCOUNTING), charging a
# softirq to the task it interrupts, and veth hands a packet over on the
# sending CPU: with both sides free to run anywhere, the gateway's receive
# path, the module's hook and its reply run in softirq inside sipp's own
# sendmsg, so sipp's process CPU (/proc/PID/stat) would hold the module's
# work, and "busy time less sipp's" would leave it out. So the sides get a
# CPU each: sipp and this script on CPU 0, the registrar process(es) on
# CPU 1 (taskset, inherited by Kamailio's children and sipregd's threads),
# and RPS steers each veth's receive processing to its own side's CPU
# (veth-g -> CPU 1, veth-c -> CPU 0). The server's CPU is then CPU 1's busy
# ticks in /proc/stat (user+nice+system+irq+softirq+steal): its receive
# path, the hook or the daemon, the reply until it is queued to the
# client's backlog. CPU 1's softirq share and the registrar's own process
# CPU (/proc/PID/stat, all Kamailio processes; the scheduler's clock, not
# samples) are reported beside it.
# bench.sh boots this phase with nohz=off: with the idle tick stopped, a
# softirq that an IPI runs on an idle CPU 1 is never sampled, and the
# module's work, done just so, was a third of what it is with the tick on.
# Errors: (1) ticks are samples (250 Hz): n samples are good to about
# 1/sqrt(n), which the report prints; (2) CPU 1's busy ticks with the
# server idle are measured for IDLE_SECS before the rounds and taken off
# at that rate; (3) RPS's IPIs and every wake-up of CPU 1 are counted as
# the server's; (4) under TCG one host thread runs both vCPUs in turns,
# and a vCPU stopped in the middle of a softirq takes the tick that fell
# due meanwhile when it runs again: the lighter the work per wake-up, the
# more it is inflated (the fast path's most). The process column, from
# the scheduler's clock, counts those turns in full (it can exceed CPU 1's
# ticks). Compare the ratios, from one boot, not the microseconds.
: "${SIPP_USERS:=200}" "${SIPP_REFRESHES:=20}" "${SIPP_LIMIT:=50}" "${SIPP_TIMEOUT:=240}"
: "${IDLE_SECS:=3}"
SIPP_CSV=/tmp/sipp-users.csv

# Centiseconds of uptime (busybox's date has no %N); from /proc/stat, in
# USER_HZ ticks: busy (sampled) of CPU 0 and CPU 1, CPU 1's softirq and
# system (sampled), and CPU 1's idle + iowait (clocked, see above).
cpu_ticks() {
	awk 'FILENAME == "/proc/uptime" { t = $1 * 100; next }
	     $1 == "cpu0" || $1 == "cpu1" { b[$1] = $2 + $3 + $4 + $7 + $8 + $9 }
	     $1 == "cpu1" { si = $8; sy = $4; id = $5 + $6 }
	     END { printf "%d %d %d %d %d %d", t, b["cpu0"], b["cpu1"], si, sy, id }' \
		/proc/uptime /proc/stat
}

# The registrar's processes: every Kamailio, or sipregd.
server_pids() {
	local p
	if [ -n "$KAM_PID" ]; then
		for p in /proc/[0-9]*; do
			[ "$(cat $p/comm 2>/dev/null)" = kamailio ] && echo ${p#/proc/}
		done
	else
		echo $DAEMON_PID
	fi
}

# utime + stime ticks of the registrar (fields 14 and 15 of stat; the
# name in parentheses is cut off first).
proc_ticks() {
	local t=0 p
	for p in $(server_pids); do
		t=$((t + $(sed 's/.*) //' /proc/$p/stat | awk '{ print $12 + $13 }')))
	done
	echo $t
}

# snap: "cs cpu0 cpu1 softirq1 system1 idle1 proc" now.
snap() { echo "$(cpu_ticks) $(proc_ticks)"; }

# delta A B KEYS...: "key=B-A" for each field of two snaps.
delta() {
	echo "$1 $2" | awk -v keys="$3" '{ n = split(keys, k, " ")
		for (i = 1; i <= n; i++) printf "%s%s=%s", (i > 1 ? " " : ""), k[i], $(i + n) - $i }'
}

SNAP_KEYS="cs cpu0 cpu1 softirq1 system1 idle1 proc"

# sipp_idle: CPU 1's noise with the server up and no load, for report.sh.
sipp_idle() {
	local a b
	a=$(snap)
	sleep $IDLE_SECS
	b=$(snap)
	IDLE="idle_$(delta "$a" "$b" "$SNAP_KEYS" | sed 's/ / idle_/g')"
}

# sipp_round SERVER ROUND AUTHS CSEQ: one sipp run over every user, one
# BENCH line.
sipp_round() {
	local srv=$1 round=$2 auths=$3 cseq=$4 a b rc ch0 rf0 ms0
	ch0=$(kstat challenges) rf0=$(kstat refreshes) ms0=$(kstat miss_sent)
	a=$(snap)
	SIPP_PIN="taskset -c 0" sipp_reg $REALM $SIPP_CSV $SIPP_USERS $auths $cseq \
		-r 10000 -l $SIPP_LIMIT -nr -recv_timeout 30000 -timeout ${SIPP_TIMEOUT}s
	rc=$?
	b=$(snap)
	echo "BENCH phase=$PHASE name=sipp_${srv}_$round server=$srv round=$round exit=$rc" \
	     "calls=$SIPP_USERS auths=$auths ok=$(sipp_calls Successful) failed=$(sipp_calls Failed)" \
	     "$(delta "$a" "$b" "$SNAP_KEYS") $IDLE" \
	     "k_challenges=$(kmoved "$ch0" challenges) k_refreshes=$(kmoved "$rf0" refreshes)" \
	     "k_miss_sent=$(kmoved "$ms0" miss_sent)"
}

# kmoved BEFORE NAME: how far the module's counter moved, or "na".
kmoved() {
	local now
	now=$(kstat $2)
	[ "$1" = na ] || [ "$now" = na ] && { echo na; return; }
	echo $((now - $1))
}

# sipp_server NAME: the three rounds against the registrar now listening.
sipp_server() {
	sipp_idle
	sipp_round $1 challenge 0 1
	sipp_round $1 register 1 2
	if [ $1 = fast ]; then
		_bound() { [ "$(kernel_bindings)" -ge $SIPP_USERS ]; }
		wait_until 30 _bound || log "only $(kernel_bindings) AORs bound in the kernel"
	fi
	sipp_round $1 refresh $SIPP_REFRESHES 4
	[ $1 = fast ] && sipp_fast_split
}

# sipp_fast_split: where the fast path's CPU per refresh goes. The same
# refresh round again (CSeqs above the last round's) with sipregd stopped
# (SIGSTOP: the kernel answers alone, its events go unread) and the hook
# timing itself (config set timing on): the server's CPU less sipregd's
# share of it, and the hook's own time per refresh (local_clock()).
sipp_fast_split() {
	local t0 n0
	kill -STOP $DAEMON_PID
	gw_ctl config set timing on || log "config set timing on failed"
	t0=$(kstat timed_refresh) n0=$(kstat time_ns_refresh)
	sipp_round fast_stopped refresh $SIPP_REFRESHES $((SIPP_REFRESHES + 10))
	echo "BENCH phase=$PHASE name=sipp_hook refreshes=$(kmoved "$t0" timed_refresh)" \
	     "ns=$(kmoved "$n0" time_ns_refresh)"
	gw_ctl config set timing off
	kill -CONT $DAEMON_PID
}

phase_sipp() {
	[ "$(nproc)" -ge 2 ] || fail "phase sipp needs 2 CPUs (VM_CPUS=2)"
	users_file
	awk -F';' 'BEGIN { print "SEQUENTIAL" }
		{ printf "%s;[authentication username=%s password=%s]\n", $1, $1, $2 }' \
		/tmp/users.txt >$SIPP_CSV
	grep -qw nohz=off /proc/cmdline || log "no nohz=off: idle-time softirqs go unsampled"
	# This shell and what it starts on CPU 0, the registrar on CPU 1, and
	# each side's receive processing on its own CPU (RPS).
	taskset -p 1 $$ >/dev/null || fail "taskset"
	SERVER_PIN="taskset -c 1"
	in_gateway sh -c 'echo 2 >/sys/class/net/veth-g/queues/rx-0/rps_cpus' || fail "RPS veth-g"
	in_client sh -c 'echo 1 >/sys/class/net/veth-c/queues/rx-0/rps_cpus' || fail "RPS veth-c"
	[ "$SIPP_USERS" -le "$USERS" ] || fail "SIPP_USERS ($SIPP_USERS) > USERS ($USERS)"
	echo "BENCH phase=$PHASE name=sipp users=$SIPP_USERS refreshes=$SIPP_REFRESHES" \
	     "limit=$SIPP_LIMIT user_hz=100"

	# (a) the fast path, sipregd behind it for the initial registrations
	module_setup
	daemon_start
	sipp_server fast
	echo "# module counters after the sipp runs:"
	gw_ctl stats | grep -v ' 0$' | sed 's/^/#   /'
	daemon_stop
	module_unload

	# (b) sipregd alone
	daemon_start
	sipp_server sipregd
	daemon_stop

	# (c) Kamailio 5.6
	if kam_start; then
		sipp_server kamailio
		kam_stop
	else
		echo "BENCH phase=$PHASE name=sipp_kamailio_refresh exit=skip"
	fi
}

# ---- storm ------------------------------------------------------------------

# The gateway's UDP datagrams dropped for a full socket buffer (RcvbufErrors).
udp_drops() { in_gateway awk '/^Udp:/ { if (h) print $6; h = 1 }' /proc/net/snmp; }

# missq_watch PID: the peak of sipregd's miss queue, sampled every 0.2 s
# until /tmp/missq.stop appears, into /tmp/missq.peak ("BYTES DROPS"). The
# module keeps no high-water mark; /proc/net/netlink shows each socket's
# queued bytes (Rmem) and drops. Of sipregd's generic netlink sockets the
# miss socket is the one that can fill: the events socket joins a
# multicast group (Groups != 0) and the command socket holds one ack.
missq_watch() {
	rm -f /tmp/missq.stop
	while [ ! -e /tmp/missq.stop ] && [ -e /proc/$1 ]; do
		awk '$2 == 16 && $3 != 0 && $4 == "00000000" {
			if ($5 > r) r = $5; d += $9 } END { print r + 0, d + 0 }' \
			/proc/$1/net/netlink
		usleep 200000
	done | awk '{ if ($1 > p) p = $1; d = $2 } END { print p + 0, d + 0 }' >/tmp/missq.peak
}

# storm NAME: STORM_PHONES phones with no binding register at once, each
# until it holds a binding (at most STORM_SECS); one BENCH line with the
# module's counters and the gateway's UDP drops over the run, $TAGS added.
storm() {
	local name=$1 out=/tmp/$1.json s rc k
	local m0 b0 f0 ch0 u0 m1 b1 f1 ch1 u1
	m0=$(kstat miss_sent) b0=$(kstat busy) f0=$(kstat miss_send_failed)
	ch0=$(kstat challenges) u0=$(udp_drops)
	in_client sipreg-load -t $TARGET -m storm -n $STORM_PHONES -T $THREADS \
		--realm $REALM -d $STORM_SECS --show-wrong 2 -j >$out 2>/tmp/$name.err
	rc=$?
	m1=$(kstat miss_sent) b1=$(kstat busy) f1=$(kstat miss_send_failed)
	ch1=$(kstat challenges) u1=$(udp_drops)
	s=$(grep -o '"storm":{[^}]*' $out)
	echo "BENCH phase=$PHASE name=$name exit=$rc t=$(cut -d' ' -f1 /proc/uptime)" \
	     "phones=$(jnum phones "$s") registered=$(jnum registered "$s")" \
	     "never=$(jnum never "$s") all_s=$(jnum all_registered_s "$s")" \
	     "p50_s=$(jnum p50_s "$s") p90_s=$(jnum p90_s "$s") p99_s=$(jnum p99_s "$s")" \
	     "max_s=$(jnum max_s "$s") retransmits=$(jnum retransmits "$s")" \
	     "busy_503=$(jnum busy_503 "$s") restarts=$(jnum restarts "$s")" \
	     "wrong=$(jnum wrong "$s") client_cpu_s=$(jnum cpu_seconds "$(cat $out)")" \
	     "k_miss_sent=$(kdelta $m0 $m1) k_busy=$(kdelta $b0 $b1)" \
	     "k_miss_failed=$(kdelta $f0 $f1) k_challenges=$(kdelta $ch0 $ch1)" \
	     "udp_drops=$(kdelta ${u0:-na} ${u1:-na}) $TAGS"
	TAGS=
	[ $rc = 0 ] || sed "s/^/# $name: /" /tmp/$name.err | head -n 20
}

in_sync() { grep -q "kernel: in sync" /tmp/sipregd.log; }
stats_logged() { grep -q "kernel stats:" /tmp/sipregd.log; }

# field WORDS LINE: the number after WORDS in LINE (sipregd's stats lines).
field() { echo "$2" | sed -n "s/.*[ ,(]$1 \([0-9]*\).*/\1/p"; }

phase_storm() {
	local watch line stats
	USERS=$STORM_PHONES
	MODULE_CONFIG="max-users $((STORM_PHONES + 1000)) ${STORM_CONFIG:-}"
	# (a) the module in front of sipregd, its global 401 limit at its
	# default (kmod/config.c): a storm meets a gateway as it comes; sipregd
	# logs at info for its "in sync" and "kernel stats" lines (nothing per
	# request when all is well).
	RATE_GLOBAL=1000
	module_setup
	DAEMON_OPTS=--log_level=info
	daemon_start
	wait_until 300 in_sync || fail "sipregd not in sync with the kernel"
	log "$(grep -o 'kernel: in sync in [0-9.]* s ([^)]*)' /tmp/sipregd.log | tail -n 1)"
	missq_watch $DAEMON_PID &
	watch=$!
	storm storm_sipreg
	touch /tmp/missq.stop
	wait $watch
	kill -USR1 $DAEMON_PID
	wait_until 10 stats_logged || log "sipregd wrote no kernel stats line"
	line=$(grep "kernel stats:" /tmp/sipregd.log | tail -n 1)
	stats=$(grep " stats: requests" /tmp/sipregd.log | tail -n 1)
	echo "# sipregd: ${line#*: }"
	echo "# sipregd: ${stats#*: }"
	echo "# module counters:"
	gw_ctl stats | grep -v ' 0$' | sed 's/^/#   /'
	# What only sipregd and the sampler know, as a BENCH line of its own.
	echo "BENCH phase=$PHASE name=storm_daemon" \
	     "missq_peak_b=$(cut -d' ' -f1 /tmp/missq.peak)" \
	     "missq_drops=$(cut -d' ' -f2 /tmp/missq.peak)" \
	     "lost_misses=$(field 'lost misses' "$line")" \
	     "daemon_dropped=$(field dropped "$stats")" \
	     "daemon_5xx=$(field 5xx "$stats")" \
	     "busy_retry_after=$(gw_ctl config show | awk '$1 == "busy-retry-after" { print $2 }')" \
	     "miss_queue_age=$(gw_ctl config show | awk '$1 == "miss-queue-age" { print $2 }')" \
	     "miss_queue_wait=$(gw_ctl config show | awk '$1 == "miss-queue-wait" { print $2 }')" \
	     "k_busy_bytes=$(kstat busy_bytes) k_busy_count=$(kstat busy_count)" \
	     "k_busy_age=$(kstat busy_age) k_busy_wait=$(kstat busy_wait)" \
	     "k_absorbed=$(kstat miss_absorbed)"
	daemon_stop
	module_unload

	# (b) Kamailio 5.6 with the same phones as subscribers.
	KAM_DB=kamailio-storm.db KAM_SHM=512
	if kam_start; then
		storm storm_kamailio
		kam_stop
	else
		echo "BENCH phase=$PHASE name=storm_kamailio exit=skip"
	fi
}

TAGS=
phase_$PHASE
