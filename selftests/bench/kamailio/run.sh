#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reference Kamailio registrar for benchmarks and smoke tests.
#
#   run.sh start [options]   creates a subscriber DB, starts kamailio in the
#                            foreground of a background job, waits until it
#                            listens and prints its PID (only that) on stdout
#   run.sh stop PID          stops that kamailio (TERM, then KILL after
#                            STOP_WAIT seconds, default 5; give valgrind 60)
#
# start options:
#   -p PORT      UDP port (default 5060)
#   -b ADDR      address (default 127.0.0.1); repeat for more, e.g. -b 127.0.0.1 -b ::1
#   -n USERS     subscribers (default 1000)   -w N     UDP workers (default 2)
#   -a ALG       md5 (default) or sha256      -r REALM (default sipreg.test)
#   -d DIR       work dir: DB, log kamailio.log (default: a new /tmp dir)
#   -x ALLOC     shm/pkg allocator: qm (default), fm, tlsf
#   -m MB        shared memory (default 256)
#   -V "CMD"     run under CMD, e.g. "valgrind --tool=callgrind"
#   -u PAT -P PAT  user and password patterns (as sipreg-load's)
#   -s           also subscriber sipp:sipp (sipp authenticates as one user)
#   -e SECONDS   nonce lifetime (default 300)
# Exit status: 0 started, 1 usage, 2 kamailio did not come up (log on stderr).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

usage() { sed -n '4,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 1; }

listening() {	# port: is a UDP socket bound to it?
	local hex
	hex=$(printf ':%04X ' "$1")
	grep -q "$hex" /proc/net/udp /proc/net/udp6 2>/dev/null
}

start() {
	local port=5060 users=1000 workers=2 alg=md5 realm=sipreg.test
	local dir="" alloc="" shm=256 wrap="" upat='user%06d' ppat='pw%06d' opt a add="" expire=300
	local -a addrs=()
	while getopts "p:b:n:w:a:r:d:x:m:V:u:P:se:" opt; do
		case $opt in
		p) port=$OPTARG ;; b) addrs+=("$OPTARG") ;; n) users=$OPTARG ;;
		w) workers=$OPTARG ;; a) alg=$OPTARG ;; r) realm=$OPTARG ;;
		d) dir=$OPTARG ;; x) alloc=$OPTARG ;; m) shm=$OPTARG ;;
		V) wrap=$OPTARG ;; u) upat=$OPTARG ;; P) ppat=$OPTARG ;;
		s) add=sipp:sipp ;; e) expire=$OPTARG ;;
		*) usage ;;
		esac
	done
	command -v kamailio >/dev/null || { echo "run.sh: kamailio not installed" >&2; exit 2; }
	if listening "$port"; then
		echo "run.sh: UDP port $port is already in use" >&2; exit 2
	fi
	[ -n "$dir" ] || dir=$(mktemp -d /tmp/sipreg-kam.XXXXXX)
	mkdir -p "$dir"
	"$here/setup-db.sh" "$dir/subscriber.db" "$users" --realm "$realm" \
		--algorithm "$alg" --user-pattern "$upat" --password-pattern "$ppat" \
		${add:+--add "$add"}
	[ ${#addrs[@]} -gt 0 ] || addrs=(127.0.0.1)
	local -a args=(-f "$here/kamailio.cfg" -DD -E -n "$workers" -m "$shm" -M 16 -w "$dir" -Y "$dir"
		-A "DBURL=\"sqlite:///$dir/subscriber.db\"" -A "REALM=\"$realm\"" -A "NONCE_EXPIRE=$expire")
	for a in "${addrs[@]}"; do
		case $a in *:*) args+=(-l "udp:[$a]:$port") ;; *) args+=(-l "udp:$a:$port") ;; esac
	done
	[ "$alg" = sha256 ] && args+=(-A WITH_SHA256)
	[ -n "$alloc" ] && args+=(-x "$alloc" -X "$alloc")
	# shellcheck disable=SC2086 # the wrapper is a command line on purpose
	setsid $wrap kamailio "${args[@]}" </dev/null >"$dir/kamailio.log" 2>&1 &
	local pid=$! i
	for i in $(seq 1 600); do	# 60 s: valgrind starts slowly
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "run.sh: kamailio exited; $dir/kamailio.log:" >&2
			tail -n 30 "$dir/kamailio.log" >&2
			exit 2
		fi
		listening "$port" && { echo "$pid"; return 0; }
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	echo "run.sh: kamailio did not listen on $port within 60 s" >&2
	exit 2
}

stop() {
	local pid=${1:-} i
	case $pid in ''|*[!0-9]*) usage ;; esac
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid"
	for i in $(seq 1 $((${STOP_WAIT:-5} * 10))); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	# The workers are in its session (setsid): take them along.
	kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

case ${1:-} in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
*) usage ;;
esac
