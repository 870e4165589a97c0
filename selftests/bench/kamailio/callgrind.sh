#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# callgrind.sh BUILD [ALLOC...]: instructions Kamailio spends per initial
# registration (REGISTER, 401, REGISTER with Digest, 200), exact and
# repeatable, for each shm/pkg allocator (default: "default tlsf", where
# "default" is whatever Kamailio picks without -x). One UDP worker runs under callgrind twice: with no
# registration, then with USERS (2000) registering once each; the worker's
# difference divided by USERS is the figure, start-up excluded.
set -u
build=${1:?usage: $0 BUILD [ALLOC...]}
shift
allocs=${*:-default tlsf}
here=$(cd "$(dirname "$0")" && pwd)
load=$build/bin/sipreg-load
users=${USERS:-2000}
port=$((20000 + RANDOM % 40000))
dir=$(mktemp -d /tmp/sipreg-callgrind.XXXXXX)
pid=""
trap '[ -n "$pid" ] && STOP_WAIT=60 "$here/run.sh" stop "$pid"; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not installed" >&2; exit 2; }

# Instructions of each process, in the order they were forked (pid order).
per_process() {
	local f
	for f in $(ls "$1"/cg.* | sort -t. -k2 -n); do
		awk '/^(summary|totals):/ { print $2; exit }' "$f"
	done
}

# run ALLOC OUT REGISTER(0|1)
run() {
	mkdir -p "$2"
	local x=$1
	[ "$x" = default ] && x=""
	pid=$("$here/run.sh" start -p $port -n "$users" -w 1 -x "$x" -d "$2/kam" \
		-V "valgrind --tool=callgrind --callgrind-out-file=$2/cg.%p") ||
		{ echo "callgrind.sh: kamailio did not start" >&2; exit 2; }
	# All of it forked and settled, so the idle run has a worker to compare.
	for i in $(seq 1 300); do
		[ "$(ps -o pid= -g "$pid" | wc -l)" -ge 5 ] && break
		sleep 0.1
	done
	sleep 3
	if [ "$3" = 1 ]; then
		"$load" -t 127.0.0.1:$port -n "$users" --once -w 4 -d 600 \
			--no-retransmit --timeout 30000 -j >"$2/load.json" ||
			{ echo "callgrind.sh: sipreg-load failed:" >&2; cat "$2/load.json" >&2; }
	fi
	STOP_WAIT=60 "$here/run.sh" stop "$pid"
	pid=""
}

for a in $allocs; do
	run "$a" "$dir/$a-idle" 0
	run "$a" "$dir/$a-load" 1
	ok=$(grep -o '"auth":{[^}]*' "$dir/$a-load/load.json" | grep -o '"ok":[0-9]*' | cut -d: -f2)
	paste <(per_process "$dir/$a-idle") <(per_process "$dir/$a-load") |
	awk -v a="$a" -v n="${ok:-0}" -v want="$users" '
		{ d = $2 - $1; if (d > best) { best = d; idle = $1; load = $2 }
		  ti += $1; tl += $2 }
		END {
			printf "%-5s worker: %d instructions per registration (%d registrations; idle %d, loaded %d)\n",
			       a, n ? best / n : 0, n, idle, load
			printf "%-5s all processes: %d per registration\n", a, n ? (tl - ti) / n : 0
			if (n != want) print "# only " n " of " want " registered" > "/dev/stderr"
		}'
done
