#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-workers.sh BUILD: sipregd with "workers = 2" on loopback. Both
# workers bind the port (SO_REUSEPORT); users registering and refreshing
# from their own sockets are served by both; a replayed Authorization
# (same nonce, same nc) in new requests from 32 sockets is 401 at both
# workers, since the nonce count is in the store
# (selftests/unit/sipregd-workers.py); every binding is in the database;
# SIGHUP reaches both; SIGTERM stops both, exit 0. Then a worker killed
# with SIGKILL stops the others and sipregd exits non-zero. No timing is
# asserted. TAP on stdout.
set -u
build=${1:-build}
bin=$build/bin
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"

[ -x "$bin/sipregd" ] || { echo "1..0 # SKIP sipregd not built"; exit 0; }
command -v python3 >/dev/null || { echo "1..0 # SKIP no python3"; exit 0; }
tmp=$(mktemp -d /tmp/sipregd-workers.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
users=40

port=$(free_port) || { echo "1..0 # SKIP no free UDP port"; exit 0; }
for i in $(seq 0 $((users - 1))); do
	echo "pw-u$i" | "$bin/sipregd" --db="$tmp/db" --realm=sipreg.test \
		user add "u$i" > /dev/null 2>&1
done
start() {
	"$bin/sipregd" --db="$tmp/db" --realm=sipreg.test \
		--listen=127.0.0.1:$port --kernel=off --log_level=info \
		--stats_file=off --workers=2 > "$1" 2>&1 &
	daemon_pid=$!
	for i in $(seq 1 50); do
		[ "$(ss -Hlun "sport = :$port" 2>/dev/null | wc -l)" -ge 2 ] && break
		sleep 0.1
	done
}
# The sipregd child of process $1, from /proc: pgrep (procps) is not
# on every machine, and without it this test hung.
child_of() {
	local f
	for f in /proc/[0-9]*/stat; do
		awk -v p="$1" '$4 == p && $2 == "(sipregd)" { print $1 }' "$f" 2>/dev/null
	done | head -n 1
}
# a worker's own line: "worker N: TEXT"
logged() { grep -q "worker $1: $2" "$3"; }

echo "1..13"
start "$tmp/log"
check "two sockets on the port, one per worker" \
	[ "$(ss -Hlun "sport = :$port" | wc -l)" = 2 ]
worker=$(child_of "$daemon_pid")
check "worker 0 forked one worker" [ -n "$worker" ]
python3 "$top/selftests/unit/sipregd-workers.py" "$port" "$users" \
	> "$tmp/out" 2>&1
while read -r word rest; do
	case $word in
	ok) ok "$rest" ;;
	not) not_ok "${rest#ok }" ;;
	*) echo "# $word $rest" ;;
	esac
done < "$tmp/out"
[ "$n" = 5 ] || { not_ok "sipregd-workers.py ran all its checks"; diag "$tmp/out" "$tmp/log"; }
check "worker 0 refused a replay" logged 0 "127.0.0.1:.*nonce count 00000002 replayed" "$tmp/log"
check "worker 1 refused a replay" logged 1 "127.0.0.1:.*nonce count 00000002 replayed" "$tmp/log"
n_b=$("$bin/sipregd" --db="$tmp/db" binding list 2>/dev/null | grep -c "@192.0.2.9")
check "the database holds the $users bindings" [ "$n_b" = "$users" ]
kill -HUP "$daemon_pid"
for i in $(seq 1 50); do
	logged 1 "SIGHUP: reloading" "$tmp/log" && break
	sleep 0.1
done
check "SIGHUP reaches worker 1" logged 1 "SIGHUP: reloading" "$tmp/log"
kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
check "SIGTERM: sipregd exits 0" [ "$rc" = 0 ] || diag "$tmp/log"
check "worker 1 stopped with it" logged 0 "worker 1 (pid $worker) stopped" "$tmp/log"

# a worker that dies takes the others down, with a status saying so
start "$tmp/log2"
worker=$(child_of "$daemon_pid")
# no worker found: end the daemon, or the wait below never returns
if [ -n "$worker" ]; then kill -KILL "$worker"; else kill -TERM "$daemon_pid"; fi
wait "$daemon_pid"
rc=$?
daemon_pid=
check "a worker killed: sipregd exits 2 (runtime error)" [ "$rc" = 2 ] || diag "$tmp/log2"
check "the supervisor says which worker died" \
	logged 0 "worker 1 (pid $worker) killed by signal 9" "$tmp/log2"
exit $((failed > 0))
