#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-group.sh BUILD: sipregd on its own on loopback reads the
# datagrams queued on its socket as one group (recvmmsg, one commit):
# stopped with SIGSTOP while a burst queues, then let go, it answers a
# group with STUN and CRLF keepalives among the requests, and two changes
# of one AOR plus a retransmission in one group
# (selftests/unit/sipregd-group.py); afterwards the database holds both
# contacts. No timing is asserted. TAP on stdout.
set -u
build=${1:-build}
bin=$build/bin
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"

[ -x "$bin/sipregd" ] || { echo "1..0 # SKIP sipregd not built"; exit 0; }
command -v python3 >/dev/null || { echo "1..0 # SKIP no python3"; exit 0; }
tmp=$(mktemp -d /tmp/sipregd-group.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill -CONT "$daemon_pid" 2>/dev/null &&
		kill -9 "$daemon_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port) || { echo "1..0 # SKIP no free UDP port"; exit 0; }
echo pw-alice | "$bin/sipregd" --db="$tmp/db" --realm=sipreg.test \
	user add alice > /dev/null 2>&1
"$bin/sipregd" --db="$tmp/db" --realm=sipreg.test --listen=127.0.0.1:$port \
	--kernel=off --log_level=info > "$tmp/log" 2>&1 &
daemon_pid=$!
for i in $(seq 1 50); do
	[ "$(ss -Hlun "sport = :$port" 2>/dev/null | wc -l)" -ge 1 ] && break
	sleep 0.1
done

echo "1..7"
python3 "$top/selftests/unit/sipregd-group.py" "$port" "$daemon_pid" > "$tmp/out" 2>&1
while read -r word rest; do
	case $word in
	ok) ok "$rest" ;;
	not) not_ok "${rest#ok }" ;;
	*) echo "# $word $rest" ;;
	esac
done < "$tmp/out"
[ "$n" = 5 ] || { not_ok "sipregd-group.py ran all its checks"; diag "$tmp/out" "$tmp/log"; }
n_b=$("$bin/sipregd" --db="$tmp/db" binding list 2>/dev/null | grep -c "sip:[ab]@192.0.2.9")
check "the database holds both contacts" [ "$n_b" = 2 ]
kill -TERM "$daemon_pid"
wait "$daemon_pid"
check "sipregd exits 0" [ $? = 0 ] || diag "$tmp/log"
daemon_pid=
exit $((failed > 0))
