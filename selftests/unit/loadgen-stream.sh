#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# loadgen-stream.sh BUILD: sipreg-load over TCP and TLS against sipregd on
# loopback (no module): 20 phones on 2 threads, each on its own
# connection, register and refresh at a paced rate; every phone must be
# registered, every response right, refreshes answered 200, nothing lost.
# TLS with the server's throwaway certificate as CA (verified), and a CA
# that did not sign it (refused). TAP on stdout.
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
load=$bin/sipreg-load
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
realm=sipreg.test
users=20

for t in openssl ss; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t not installed"; exit 0; }
done
[ -x "$sipregd" ] && [ -x "$load" ] ||
	{ echo "1..0 # SKIP $sipregd or $load not built"; exit 0; }

tmp=$(mktemp -d /tmp/loadgen-stream.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port) || { echo "1..0 # SKIP no free port"; exit 0; }
tport=$((port + 1))
for c in server other; do
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-keyout "$tmp/$c.key" -out "$tmp/$c.pem" 2>/dev/null ||
		{ echo "1..0 # SKIP openssl could not make a certificate"; exit 0; }
done
conf=$tmp/sipregd.conf
cat > "$conf" <<EOC
realm = $realm
listen = 127.0.0.1:$port
listen_tcp = 127.0.0.1:$port
listen_tls = 127.0.0.1:$tport
tls_certificate = $tmp/server.pem
tls_key = $tmp/server.key
db = $tmp/sipreg.db
kernel = off
challenge_rate = 0
stream_max_per_source = 64
log_level = debug
EOC
sd() { "$sipregd" -c "$conf" "$@"; }

# A figure from sipreg-load's JSON: json KEY FILE (first match).
json() { grep -o "\"$1\":[0-9.]*" "$2" | head -n 1 | cut -d: -f2; }
# refresh_ok FILE: the 200s to refreshes
refresh_ok() { grep -o '"refresh":{[^}]*' "$1" | grep -o '"ok":[0-9]*' | cut -d: -f2; }

echo "1..8"
"$top/selftests/sipp/users.sh" $users > "$tmp/users.txt"
sd user import "$tmp/users.txt" > /dev/null 2>&1
"$sipregd" -c "$conf" > "$tmp/d.log" 2>&1 &
daemon_pid=$!
for i in $(seq 1 100); do
	[ "$(ss -Hlnt "( sport = :$port or sport = :$tport )" 2>/dev/null | wc -l)" -ge 2 ] && break
	sleep 0.1
done
check "sipregd listens on TCP $port and TLS $tport" \
	test "$(ss -Hlnt "( sport = :$port or sport = :$tport )" | wc -l)" -ge 2

# run NAME ARGS...: a paced run (40 requests/s, 3 s, a refresh per user
# and second at most), 20 users on 2 threads, one connection each
run() {
	local name=$1
	shift
	"$load" -t 127.0.0.1:$1 "${@:2}" -n $users -T 2 -u user%04d \
		-P pw%04d-secret --realm $realm -r 40 -d 3 --refresh-interval 1 --drain 5000 \
		--show-wrong 3 -j > "$tmp/$name.json" 2> "$tmp/$name.err"
}
# verdict NAME EXIT: every user registered, no wrong response or send
# error, refreshes answered
verdict() {
	local f=$tmp/$1.json wrong users_ok send refresh
	wrong=$(grep -o '"wrong":{"total":[0-9]*' "$f" | grep -o '[0-9]*$')
	users_ok=$(json users_ok "$f")
	send=$(json send_errors "$f")
	refresh=$(refresh_ok "$f")
	if [ "$2" = 0 ] && [ "${wrong:-x}" = 0 ] && [ "${users_ok:-0}" = $users ] &&
	   [ "${send:-x}" = 0 ] && [ "${refresh:-0}" -gt 0 ]; then
		ok "$1: $users_ok of $users registered, $refresh refreshes 200, nothing wrong"
	else
		not_ok "$1: exit $2, registered ${users_ok:-?} of $users, wrong ${wrong:-?}, send errors ${send:-?}, refreshes ${refresh:-?}"
		diag "$f" "$tmp/$1.err"
	fi
}

run tcp $port --transport tcp; verdict tcp $?
run tls $tport --transport tls --ca "$tmp/server.pem"; verdict tls $?
# each run's Contact names its thread's first connection: a binding per
# user and run
check "database: $((2 * users)) bindings, one per user and run" \
	test "$(sd binding list -j | grep -o '"aor":' | wc -l)" = $((2 * users))
check "one connection per phone: $users over TCP, $users over TLS" \
	test "$(grep -c ' tcp [0-9.]*:[0-9]*: connected' "$tmp/d.log")" = $users \
	-a "$(grep -c ' tls [0-9.]*:[0-9]*: connected' "$tmp/d.log")" = $users

run badca $tport --transport tls --ca "$tmp/other.pem"; code=$?
check "TLS with a CA that did not sign the server: exit 2, says why" \
	test $code = 2 -a -n "$(grep -i 'handshake failed' "$tmp/badca.err")"
run udpca $port --transport udp --ca "$tmp/server.pem"; code=$?
check "--ca without --transport tls: usage error (exit 1)" test $code = 1
"$load" -t 127.0.0.1:$port --transport sctp > /dev/null 2> "$tmp/sctp.err"; code=$?
check "--transport sctp: usage error (exit 1) naming the option" \
	test $code = 1 -a -n "$(grep -- '--transport sctp' "$tmp/sctp.err")"
kill -TERM $daemon_pid
wait $daemon_pid
daemon_pid=
[ $failed = 0 ]
