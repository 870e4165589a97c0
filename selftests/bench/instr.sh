#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# instr.sh BUILD: instructions per request, exact and repeatable, natively
# under callgrind (`make bench-fastpath-instr`; also part of `make bench`).
#   fastpath_challenge, fastpath_refresh: the fast path's shared code in
#     bench_fastpath, Ir inside fp_challenge/fp_refresh over INSTR_N calls
#   sipregd_registration: sipregd on loopback, INSTR_REGS initial
#     registrations (REGISTER, 401, REGISTER with Digest, 200) minus an
#     idle run, divided by the registrations
#   kamailio_registration: the same for Kamailio (kamailio/callgrind.sh),
#     all its processes
# Prints "INSTR name=... per_req=... n=..." lines for report.sh.
set -uo pipefail
build=${1:?usage: $0 BUILD}
here=$(cd "$(dirname "$0")" && pwd)
n=${INSTR_N:-1000}
regs=${INSTR_REGS:-1000}
dir=$(mktemp -d /tmp/sipreg-instr.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
command -v valgrind >/dev/null || { echo "instr.sh: valgrind not installed" >&2; exit 2; }

ir_total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }

rc=0
for which in challenge refresh; do
	out=$dir/fp-$which.out
	if valgrind --tool=callgrind --callgrind-out-file="$out" \
		--toggle-collect=fp_$which "$build/bench/bench_fastpath" \
		-c "$n" "$which" >/dev/null 2>"$dir/vg.err"; then
		ir=$(ir_total "$out")
		echo "INSTR name=fastpath_$which per_req=$(awk -v i="$ir" -v n="$n" 'BEGIN { printf "%.1f", i / n }')" \
		     "n=$n exact=$(awk -v i="$ir" -v n="$n" 'BEGIN { print i % n ? "no" : "yes" }')"
	else
		echo "INSTR name=fastpath_$which per_req=na # $(tail -n 1 "$dir/vg.err")"
		rc=1
	fi
done

listening() {	# port
	grep -q "$(printf ':%04X ' "$1")" /proc/net/udp 2>/dev/null
}

# sipregd_run OUT REGISTRATIONS: one sipregd under callgrind.
sipregd_run() {
	local port=$((20000 + RANDOM % 40000)) i
	rm -f "$dir"/sipregd.db*
	awk -v n="$regs" 'BEGIN { for (i = 1; i <= n; i++) printf "user%06d;pw%06d\n", i, i }' >"$dir/users.txt"
	"$build/bin/sipregd" --db="$dir/sipregd.db" --realm=sipreg.test \
		user import "$dir/users.txt" 2>/dev/null || return 1
	valgrind --tool=callgrind --callgrind-out-file="$1" \
		"$build/bin/sipregd" --db="$dir/sipregd.db" --realm=sipreg.test \
		--listen=127.0.0.1:$port --log_level=warn --challenge_rate=0 \
		--challenge_rate_global=0 >"$dir/sipregd.log" 2>&1 &
	pid=$!
	for i in $(seq 1 600); do
		listening $port && break
		kill -0 $pid 2>/dev/null || return 1
		sleep 0.1
	done
	sleep 1
	if [ "$2" -gt 0 ]; then
		"$build/bin/sipreg-load" -t 127.0.0.1:$port -n "$2" --once -w 4 \
			-d 600 --no-retransmit --timeout 30000 --realm sipreg.test \
			-j >"$dir/load.json" || return 1
	fi
	kill -TERM $pid
	wait $pid
	pid=""
}

if sipregd_run "$dir/sipregd-idle.out" 0 && sipregd_run "$dir/sipregd-load.out" "$regs"; then
	ok=$(grep -o '"auth":{[^}]*' "$dir/load.json" | grep -o '"ok":[0-9]*' | cut -d: -f2)
	echo "INSTR name=sipregd_registration per_req=$(awk -v a="$(ir_total "$dir/sipregd-idle.out")" \
		-v b="$(ir_total "$dir/sipregd-load.out")" -v n="${ok:-0}" \
		'BEGIN { printf "%.0f", n ? (b - a) / n : 0 }') n=${ok:-0}"
else
	echo "INSTR name=sipregd_registration per_req=na # sipregd under callgrind failed"
	sed 's/^/# /' "$dir/sipregd.log" | tail -n 5
	rc=1
fi

if command -v kamailio >/dev/null; then
	line=$(USERS=$regs "$here/kamailio/callgrind.sh" "$build" default 2>"$dir/kam.err" |
	       grep 'all processes')
	per=$(echo "$line" | sed -n 's/.*: \([0-9]*\) per registration.*/\1/p')
	echo "INSTR name=kamailio_registration per_req=${per:-na} n=$regs"
	[ -n "$per" ] || { sed 's/^/# /' "$dir/kam.err" | tail -n 5; rc=1; }
else
	echo "INSTR name=kamailio_registration per_req=na # kamailio not installed"
fi
exit $rc
