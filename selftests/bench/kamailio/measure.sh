#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# measure.sh BUILD [WORKERS...]: the reference figures of Kamailio on
# loopback with sipreg-load (initial registrations, refreshes) and with sipp
# (initial registrations), one fresh Kamailio per run, for each number of
# UDP workers (default: 1 2). Prints one line per run: rate, the client's
# CPU per request, UDP receive-buffer drops during the run.
#   SECONDS_PER_RUN (10), USERS (100000), REFRESH_USERS (20000),
#   WINDOW (64 per thread), THREADS (2), SIPP_LIMIT (200 calls in flight),
#   TICK (1000: sipreg-load --tick, like sipp's 1 ms scheduler resolution)
set -u
build=${1:?usage: $0 BUILD [WORKERS...]}
shift
workers=${*:-1 2}
here=$(cd "$(dirname "$0")" && pwd)
load=$build/bin/sipreg-load
secs=${SECONDS_PER_RUN:-10} users=${USERS:-100000} rusers=${REFRESH_USERS:-20000}
win=${WINDOW:-64} threads=${THREADS:-2} sipp_limit=${SIPP_LIMIT:-200} tick=${TICK:-1000}
port=$((20000 + RANDOM % 40000))
dir=$(mktemp -d /tmp/sipreg-measure.XXXXXX)
pid=""
trap '[ -n "$pid" ] && "$here/run.sh" stop "$pid"; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT

rcvbuf_errors() { awk '/^Udp:/ { if (h) print $6; h = 1 }' /proc/net/snmp; }
json() { grep -o "$1" "$2" | head -n 1 | grep -o '[0-9.]*$'; }

kam_start() {	# workers users
	pid=$("$here/run.sh" start -p $port -n "$2" -w "$1" -s -d "$dir/kam") ||
		{ echo "measure.sh: kamailio did not start" >&2; exit 2; }
}
kam_stop() { "$here/run.sh" stop "$pid"; pid=""; rm -rf "$dir/kam"; }

# sipreg-load MODE WORKERS USERS EXTRA-OPTION
run_load() {
	local drops=$(rcvbuf_errors) out=$dir/load.json what rate cpu reqs
	/usr/bin/time -o "$dir/time" -f '%U %S' "$load" -t 127.0.0.1:$port \
		-m "$1" -n "$3" -T $threads -w $win -d $secs --no-retransmit --tick $tick $4 \
		--timeout 2000 -j >"$out" || echo "# sipreg-load exit $? (3: wrong responses)"
	drops=$(( $(rcvbuf_errors) - drops ))
	case $1 in
	register) what=registrations rate=$(json '"auth":{"sent":[0-9]*,"per_s":[0-9.]*' "$out") ;;
	refresh) what=refreshes rate=$(json '"refresh":{"sent":[0-9]*,"per_s":[0-9.]*' "$out") ;;
	esac
	reqs=$(json '"cpu_requests":[0-9]*' "$out")
	cpu=$(awk -v r="$reqs" '{ printf "%.1f", ($1 + $2) * 1e6 / r }' "$dir/time")
	printf '%-10s workers %s  %-13s %8.0f/s  wrong %s  timeouts %s  client %s us/request  RcvbufErrors +%s\n' \
		sipreg-load "$2" $what "$rate" "$(json '"wrong":{"total":[0-9]*' "$out")" \
		"$(grep -o '"timeouts":[0-9]*' "$out" | awk -F: '{ t += $2 } END { print t }')" \
		"$cpu" "$drops"
}

# sipp, initial registrations: as fast as SIPP_LIMIT calls in flight allow.
run_sipp() {
	local drops=$(rcvbuf_errors) calls=$((users < 200000 ? users : 200000)) ok cpu el
	(echo SEQUENTIAL; seq 1 "$users" | awk '{ printf "user%06d;pw%06d;sipreg.test\n", $1, $1 }') >"$dir/users.csv"
	( cd "$dir" && /usr/bin/time -o "$dir/time" -f '%U %S' timeout $((secs + 5)) \
		sipp -sf "$here/sipp-register.xml" -inf "$dir/users.csv" -au sipp -ap sipp \
		-buff_size 4194304 -r 100000 -l $sipp_limit -m $calls -i 127.0.0.1 \
		-timeout ${secs}s -nostdin 127.0.0.1:$port >"$dir/sipp.out" 2>&1 )
	drops=$(( $(rcvbuf_errors) - drops ))
	ok=$(grep -a 'Successful call' "$dir/sipp.out" | tail -n 1 | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')
	cpu=$(awk -v c="${ok:-0}" '{ printf "%.1f", c ? ($1 + $2) * 1e6 / (2 * c) : 0 }' "$dir/time")
	# sipp's own figure: "Call Rate | periodic | 5487.470 cps" (cumulative).
	el=$(grep -a 'Call Rate' "$dir/sipp.out" | tail -n 1 | awk -F'|' '{ print $3 + 0 }')
	printf '%-10s workers %s  %-13s %8.0f/s  failed %s  client %s us/request  RcvbufErrors +%s\n' \
		sipp "$1" registrations "${el:-0}" \
		"$(grep -a 'Failed call' "$dir/sipp.out" | tail -n 1 | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')" \
		"$cpu" "$drops"
}

for w in $workers; do
	[ -n "${ONLY_SIPP:-}" ] && { kam_start "$w" "$users"; run_sipp "$w"; kam_stop; continue; }
	kam_start "$w" "$users"; run_load register "$w" "$users" --once; kam_stop
	kam_start "$w" "$rusers"; run_load refresh "$w" "$rusers" ""; kam_stop
	kam_start "$w" "$users"; run_sipp "$w"; kam_stop
done
