# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the tests that run inside the test VM (sourced, busybox sh).
# Topology: namespace "client" (192.0.2.1, 2001:db8::1) joined by a veth
# pair to namespace "gateway" (192.0.2.2, 2001:db8::2), where the module's
# hook serves SIP. Nothing leaves the VM: it has no network card.

CLIENT4=192.0.2.1
GATEWAY4=192.0.2.2
CLIENT6=2001:db8::1
GATEWAY6=2001:db8::2
SIPREG_KO=/lib/modules/sipreg.ko
SELFTESTS=/sipreg/selftests
SIPP_DIR=$SELFTESTS/sipp

# busybox sh prefers its own applets to $PATH: make sure "ip" is iproute2's.
ip() { /sbin/ip "$@"; }

log() { echo "# $*"; }

# fail MSG: ends the test as failed.
fail() {
	echo "# FAIL: $*"
	exit 1
}

# skip MSG: ends the test as skipped (kselftest's exit code 4).
skip() {
	echo "# SKIP: $*"
	exit 4
}

in_client() { ip netns exec client "$@"; }
in_gateway() { ip netns exec gateway "$@"; }

topology_up() {
	ip netns add client || return 1
	ip netns add gateway || return 1
	ip link add veth-c netns client type veth peer name veth-g netns gateway || return 1
	in_client ip link set lo up
	in_gateway ip link set lo up
	in_client ip addr add $CLIENT4/24 dev veth-c
	in_gateway ip addr add $GATEWAY4/24 dev veth-g
	in_client ip addr add $CLIENT6/64 dev veth-c nodad
	in_gateway ip addr add $GATEWAY6/64 dev veth-g nodad
	in_client ip link set veth-c up
	in_gateway ip link set veth-g up
}

topology_down() {
	ip netns del client 2>/dev/null
	ip netns del gateway 2>/dev/null
	return 0
}

# nf_modules_load: nf_tables, conntrack, NAT and xfrm_user, from the
# kernel's own image (selftests/deps.sh), in dependency order; once.
nf_modules_load() {
	local m
	for m in $(cat /lib/modules/nf/order); do
		[ -d /sys/module/$m ] && continue
		insmod /lib/modules/nf/$m.ko || fail "insmod $m failed"
	done
}

# load_bg OUT ARGS...: the same in the background, its output in OUT. LOAD
# is sipreg-load's own pid, not a subshell's: kill -TERM $LOAD ends the
# load cleanly (its report, its exit status for wait $LOAD).
load_bg() {
	local out=$1
	shift
	(exec /sbin/ip netns exec client sipreg-load -t $GATEWAY4:5060 -b $CLIENT4 \
		-f $SIPREGD_DIR/load-users.txt --realm sipreg "$@") > "$out" 2>&1 &
	LOAD=$!
}

# nft_gw RULESET: loads an nftables ruleset (nft -f syntax) in the gateway.
nft_gw() {
	nf_modules_load
	echo "$1" | in_gateway nft -f - || fail "nft -f: $1"
}

# config_ns NS [KEY VALUE...]: configures the module in NS explicitly (the
# fast path on, and KEY VALUE...), as a namespace must be before the module
# serves it.
config_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" sipregctl config set fastpath on "$@" ||
		fail "$ns: sipregctl config set fastpath on $*"
}

# sip_ua ARGS...: sipreg-ua in the client namespace.
sip_ua() { in_client sipreg-ua "$@"; }
# nonce_of < ANSWER: the first nonce of a 401; status_of: its status code.
nonce_of() { sed -n 's/.*nonce="\([^"]*\)".*/\1/p' | head -n 1; }
status_of() { head -n 1 | cut -d ' ' -f 2; }
# answers < OUTPUT: how many SIP responses sipreg-ua printed.
answers() { grep -c '^SIP/2.0 '; }
# kernel_cseq AOR: the CSeq of the AOR's first contact in the kernel.
kernel_cseq() {
	gw_ctl -j binding list "$1" | sed -n 's/.*"cseq":\([0-9]*\).*/\1/p' | head -n 1
}

module_loaded() { [ -d /sys/module/sipreg ]; }

module_load() {
	insmod $SIPREG_KO "$@" || fail "insmod $SIPREG_KO failed"
	module_loaded || fail "sipreg not in /sys/module after insmod"
}

# gateway_on [NS]: the namespace's admin switches the module on there
# (a namespace is inert until then: no hook, no answers).
gateway_on() {
	ip netns exec ${1:-gateway} sipregctl config set enabled on ||
		fail "${1:-gateway}: config set enabled on failed"
}

module_unload() {
	rmmod sipreg || fail "rmmod sipreg failed"
	! module_loaded || fail "sipreg still in /sys/module after rmmod"
}

# wait_until SECONDS CMD...: polls CMD every 50 ms until it succeeds.
wait_until() {
	local limit=$(( $1 * 20 )) i=0
	shift
	while [ $i -lt $limit ]; do
		"$@" && return 0
		usleep 50000
		i=$((i + 1))
	done
	return 1
}

# counter NS NAME: one counter of the module in namespace NS.
counter() {
	ip netns exec "$1" sipregctl stats | awk -v n="$2" '$1 == n { print $2; f = 1 } END { if (!f) exit 1 }'
}

counter_is() { [ "$(counter "$1" "$2")" = "$3" ]; }

# expect_stat NS NAME VALUE: waits up to 5 s for the counter to reach VALUE.
expect_stat() {
	wait_until 5 counter_is "$1" "$2" "$3" ||
		fail "$1: $2 is $(counter "$1" "$2"), expected $3"
}

# settled NS NAME: the counter once it has stopped moving (the same value
# for one second, at most 20 s). For unpaced floods, where the sender's
# count is only an upper bound: a busy host may drop a few datagrams before
# they reach the hook, and a test must not count on it not doing so.
settled() {
	local v last= same=0 i=0
	while [ $i -lt 100 ]; do
		v=$(counter "$1" "$2") || return 1
		if [ "$v" = "$last" ]; then
			same=$((same + 1))
			[ $same -ge 5 ] && { echo "$v"; return 0; }
		else
			same=0
		fi
		last=$v
		usleep 200000
		i=$((i + 1))
	done
	echo "$v"
}

# sipp_client ARGS...: sipp in the client namespace, non-interactive, with
# its logs in the current directory. SIPP_PIN, if set, is a command that
# execs it (e.g. "taskset -c 0"), left unquoted on purpose.
sipp_client() {
	in_client $SIPP_PIN sipp -nostdin -trace_err -error_file /tmp/sipp-errors.log "$@" \
		> /tmp/sipp.out 2>&1
	local rc=$?
	[ $rc = 0 ] || { sed 's/^/# sipp: /' /tmp/sipp.out | tail -n 20; \
			  sed 's/^/# sipp-err: /' /tmp/sipp-errors.log 2>/dev/null | tail -n 20; }
	return $rc
}

# sipp_reg DOM CSV CALLS AUTHS CSEQ [ARGS...]: selftests/sipp/register-
# refresh.xml from the client (port 5062) to the gateway: CALLS users of
# CSV (users.sh -sipp) each REGISTER -> 401, then AUTHS authenticated
# REGISTERs -> 200, CSeq from CSEQ; call N keeps its Call-ID from one run
# to the next, so a run with a higher CSEQ refreshes an earlier run's
# bindings.
sipp_reg() {
	local dom=$1 csv=$2 calls=$3 auths=$4 cseq=$5
	shift 5
	sipp_client -sf $SIPP_DIR/register-refresh.xml -inf "$csv" -m "$calls" \
		-set auths "$auths" -base_cseq "$cseq" -cid_str "reg-%u@$dom" \
		-key dom "$dom" -auth_uri "$dom" -key ct_host $CLIENT4 -key ct_port 5062 \
		-i $CLIENT4 -p 5062 -buff_size 4194304 "$@" $GATEWAY4:5060
}

# sipp_calls KIND: sipp's last count of "Successful" or "Failed" calls.
sipp_calls() {
	awk -F'|' -v k="$1 call" 'index($1, k) { v = $3; gsub(/ /, "", v) } END { print v + 0 }' \
		/tmp/sipp.out
}

# kernel_bindings: how many AORs have bindings in the gateway's kernel.
kernel_bindings() { gw_ctl binding list | grep -c '^sip'; }

# sipregctl in the gateway namespace.
gw_ctl() { in_gateway sipregctl "$@"; }

# ctl_refused EXIT MESSAGE ARGS...: sipregctl ARGS in the gateway fails with
# status EXIT and a message containing MESSAGE.
ctl_refused() {
	local code=$1 msg=$2 out rc
	shift 2
	out=$(in_gateway sipregctl "$@" 2>&1 < /dev/null)
	rc=$?
	[ $rc = "$code" ] || fail "sipregctl $*: exit $rc, expected $code: $out"
	echo "$out" | grep -qi -- "$msg" || fail "sipregctl $*: no '$msg' in: $out"
}

# json_ok CMD...: CMD prints valid JSON (one document).
json_ok() {
	local out
	out=$("$@") || fail "$*: failed"
	echo "$out" | sipreg-jsoncheck || fail "$*: not JSON: $out"
}

# ---- sipregd in the gateway namespace (tests 2x, the demo) -----------------
# The daemon runs from a fresh directory with its own configuration and
# database; realm "sipreg", as sipreg-ua's default.
SIPREGD_DIR=/tmp/sipregd
SIPREGD_PID=

# sipregd_setup [KEY=VALUE...]: a fresh directory and configuration.
sipregd_setup() {
	rm -rf $SIPREGD_DIR
	mkdir -p $SIPREGD_DIR
	{
		echo "realm = sipreg"
		echo "listen = 0.0.0.0:5060 [::]:5060"
		echo "db = $SIPREGD_DIR/sipreg.db"
		echo "db_sync = normal"
		echo "log_level = info"
		# load from one client address: no 401 limit of the daemon's
		echo "challenge_rate = 0"
		echo "challenge_rate_global = 0"
		for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
	} > $SIPREGD_DIR/sipregd.conf
}

# sd ARGS...: sipregd's operator commands on that database.
sd() { in_gateway sipregd -c $SIPREGD_DIR/sipregd.conf "$@"; }

sipregd_log() { sed 's/^/# sipregd: /' $SIPREGD_DIR/log | tail -n ${1:-30}; }

# sipregd_own: the log lines of the daemon, or with "workers = N" of
# worker 0 (it syncs, serves misses, counts the kernel's events), not of
# the other workers.
sipregd_own() { grep -v "sipregd: [a-z]*: worker [1-9][0-9]*: " $SIPREGD_DIR/log; }

# sipregd_start: the daemon in the background (SIPREGD_PID), log appended
# to $SIPREGD_DIR/log; returns once it (worker 0) serves (first sync done
# if any).
# SIPREGD_WRAP, if set, is a command that execs it (e.g. sipreg-nobody).
sipregd_start() {
	# not through in_gateway: $! must be sipregd itself, not a subshell
	/sbin/ip netns exec gateway $SIPREGD_WRAP sipregd -c $SIPREGD_DIR/sipregd.conf \
		>> $SIPREGD_DIR/log 2>&1 &
	SIPREGD_PID=$!
	local n
	n=$(sipregd_own 2>/dev/null | grep -c "serving realm")
	_served() { [ "$(sipregd_own | grep -c "serving realm")" -gt "${n:-0}" ]; }
	wait_until 90 _served || { sipregd_log; fail "sipregd did not start"; }
}

# sipregd_kill [SIGNAL]: stops the daemon started by sipregd_start.
sipregd_kill() {
	[ -n "$SIPREGD_PID" ] || return 0
	kill -${1:-TERM} $SIPREGD_PID 2>/dev/null
	# A test that failed while it held the daemon stopped must not hang.
	kill -CONT $SIPREGD_PID 2>/dev/null
	wait $SIPREGD_PID 2>/dev/null
	SIPREGD_PID=
}

# sipregd_syncs: how many times the daemon pushed its state to the kernel.
sipregd_syncs() { grep -c "kernel: in sync" $SIPREGD_DIR/log; }

# sipregd_stats: the daemon's counters now (SIGUSR1), its two log lines.
sipregd_stats() {
	local n
	n=$(sipregd_own | grep -c "kernel stats:")
	kill -USR1 $SIPREGD_PID
	_logged() { [ "$(sipregd_own | grep -c "kernel stats:")" -gt "$n" ]; }
	wait_until 5 _logged || fail "sipregd did not log its stats"
	sipregd_own | grep "stats:" | tail -n 2
}

# fastpath_or_skip: these tests need the kernel's refresh fast path.
fastpath_or_skip() {
	counter gateway refreshes > /dev/null ||
		skip "no fast path in this module (sipregctl stats has no refreshes)"
}

# kernel_cseqs / db_cseqs: "AOR CONTACT CSEQ" lines, sorted, of the
# kernel's bindings and of the database's.
kernel_cseqs() {
	gw_ctl binding list | awk '/^sip/ { aor = $1 }
		$1 == "contact" { for (i = 1; i < NF; i++) if ($i == "cseq") c = $(i + 1);
				  print aor, $2, c }' | sort
}
db_cseqs() {
	sd binding list | awk '{ c = ""; for (i = 1; i <= NF; i++) if ($i ~ /^cseq=/) c = substr($i, 6);
		ct = $2; gsub(/[<>]/, "", ct); print $1, ct, c }' | sort
}

# sipregd_users N: N users (user0001...) in the database; $SIPREGD_DIR/
# load-users.txt holds them for sipreg-load -f.
sipregd_users() {
	$SIPP_DIR/users.sh $1 > $SIPREGD_DIR/users.txt
	grep -v SEQUENTIAL $SIPREGD_DIR/users.txt > $SIPREGD_DIR/load-users.txt
	sd user import $SIPREGD_DIR/users.txt 2>/dev/null || fail "user import"
}

# load ARGS...: sipreg-load from the client to the gateway with those users.
load() {
	in_client sipreg-load -t $GATEWAY4:5060 -b $CLIENT4 \
		-f $SIPREGD_DIR/load-users.txt --realm sipreg "$@"
}

# json_num KEY < JSON: the first number of that key.
json_num() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" | head -n 1; }
