#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipp-native.sh BUILD [sipregd|sipregd2|kamailio]...: sipp on loopback,
# natively, against sipregd alone (no module; its defaults, db_sync full),
# sipregd with "workers = 2" (sipregd2) and Kamailio 5.6 (2 UDP workers,
# selftests/bench/kamailio/). Per server:
#   registrations  USERS initial registrations (REGISTER, 401, REGISTER
#                  with MD5 digest, 200: register-step.xml, CSeq 1 and 2)
#   refreshes      the same USERS, 5 authenticated refreshes each after
#                  one 401 (sipp-refresh.xml, CSeq 3 to 8, same Call-IDs)
# and prints per phase: wall seconds, rate (calls/s; refreshes/s counts
# the 5 refreshes of each call), failed calls, and the server's CPU time
# (user + system, all its processes) per SIP request.
#   USERS (10000), SIPP_LIMIT (200 calls in flight), SIPREGD_OPTS (extra
#   --key=value options), KAM_WORKERS (2), SIPP_T (sipp's transport, un:
#   one socket per call, so that SO_REUSEPORT spreads the calls over
#   sipregd's workers; u1, one socket, puts them all on one worker)
set -u
build=${1:?usage: $0 BUILD [sipregd|kamailio]...}
shift
servers=${*:-sipregd sipregd2 kamailio}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
users=${USERS:-10000} limit=${SIPP_LIMIT:-200} kw=${KAM_WORKERS:-2}
transport=${SIPP_T:-un}
port=$((20000 + RANDOM % 40000))
dir=$(mktemp -d /tmp/sipreg-sippnative.XXXXXX)
pid="" kind=""
stop() {
	case $kind in
	sipregd*) kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null ;;
	kamailio) "$here/kamailio/run.sh" stop "$pid" ;;
	esac
	pid="" kind=""
}
trap 'stop; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT

# CPU ticks (user + system) of every process in the server's session
cpu_ticks() {
	local f t=0 s
	for f in /proc/[0-9]*/stat; do
		s=$(sed 's/^.*) //' "$f" 2>/dev/null) || continue
		# shellcheck disable=SC2086
		set -- $s
		[ "${4:-}" = "$pid" ] && t=$((t + ${12} + ${13}))
	done
	echo $t
}

start_sipregd() {
	local opts=${1:-}
	"$top/selftests/sipp/users.sh" "$users" >"$dir/users.txt"
	rm -f "$dir/sipreg.db"*
	"$build/bin/sipregd" --db="$dir/sipreg.db" --realm=sipreg.test \
		user import "$dir/users.txt" >/dev/null || exit 2
	# shellcheck disable=SC2086 # options on purpose
	setsid "$build/bin/sipregd" --db="$dir/sipreg.db" --realm=sipreg.test \
		--listen=127.0.0.1:$port --challenge_rate=0 \
		--challenge_rate_global=0 --kernel=off --log_level=warn $opts \
		${SIPREGD_OPTS:-} 2>"$dir/sipregd.log" &
	pid=$! kind=sipregd${opts:+2}
	"$top/selftests/sipp/users.sh" -sipp "$users" >"$dir/users.csv"
}

start_sipregd2() {
	start_sipregd --workers=2
}

start_kamailio() {
	pid=$("$here/kamailio/run.sh" start -p $port -n 1 -w "$kw" -s \
		-d "$dir/kam") || exit 2
	kind=kamailio
	# every AOR authenticates as sipp:sipp (run.sh -s, sipp-register.xml)
	"$top/selftests/sipp/users.sh" -sipp "$users" |
		sed 's/username=[^ ]* password=[^]]*/username=sipp password=sipp/' \
		>"$dir/users.csv"
}

listening() { grep -q "$(printf ':%04X ' "$port")" /proc/net/udp; }

# phase NAME SCENARIO REQUESTS-PER-CALL COUNTED-PER-CALL [sipp options]
phase() {
	local name=$1 sf=$2 rpc=$3 cpc=$4 t0 t1 c0 c1 ok failed
	shift 4
	c0=$(cpu_ticks) t0=$(date +%s.%N)
	( cd "$dir" && timeout 300 sipp -sf "$sf" -inf "$dir/users.csv" \
		-key ct_host 192.0.2.99 -key ct_port 5060 \
		-cid_str 'reg-%u@sipreg.test' -m "$users" -r 100000 -l "$limit" \
		-buff_size 4194304 -nostdin -i 127.0.0.1 -auth_uri 127.0.0.1 \
		-t "$transport" -max_socket $((limit + 64)) \
		"$@" 127.0.0.1:$port >"$dir/sipp.out" 2>&1 )
	t1=$(date +%s.%N) c1=$(cpu_ticks)
	ok=$(grep -a 'Successful call' "$dir/sipp.out" | tail -n 1 | awk -F'|' '{ gsub(/ /, "", $3); print $3 + 0 }')
	failed=$(grep -a 'Failed call' "$dir/sipp.out" | tail -n 1 | awk -F'|' '{ gsub(/ /, "", $3); print $3 + 0 }')
	awk -v s="$kind" -v n="$name" -v t0="$t0" -v t1="$t1" -v ok="${ok:-0}" \
	    -v f="${failed:-0}" -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" \
	    -v rpc="$rpc" -v cpc="$cpc" 'BEGIN {
		t = t1 - t0; r = ok * rpc
		printf "%-9s %-14s %6d calls %6.2f s %8.0f/s  failed %d  server CPU %6.1f us/request (%d requests)\n",
			s, n, ok, t, ok * cpc / t, f, r ? c / hz * 1e6 / r : 0, r }'
}

for s in $servers; do
	"start_$s"
	for i in $(seq 1 100); do listening && break; sleep 0.1; done
	phase registrations "$top/selftests/sipp/register-step.xml" 2 1 \
		-key cseq 1 -key cseq2 2
	phase refreshes "$here/sipp-refresh.xml" 6 5
	stop
done
