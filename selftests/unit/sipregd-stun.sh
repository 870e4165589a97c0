#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-stun.sh BUILD: sipregd on its own (no module) on loopback answers
# STUN keepalives on its UDP SIP port (RFC 5626 4.4.2): a Binding request
# over IPv4 and IPv6, with and without FINGERPRINT, gets XOR-MAPPED-ADDRESS
# equal to the sender's address and port (sipreg-stun checks the answer
# with code of its own); a CRLF keepalive and a STUN request it must not
# answer (RFC 5769's ICE request: USERNAME, MESSAGE-INTEGRITY) get
# nothing; the counters on SIGUSR1 and in the stats file ("sipregctl
# stats daemon") say so. TAP on stdout.
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"

for p in "$sipregd" "$bin/sipreg-stun"; do
	[ -x "$p" ] || { echo "1..0 # SKIP $p not built"; exit 0; }
done
tmp=$(mktemp -d /tmp/sipregd-stun.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port) || { echo "1..0 # SKIP no free UDP port"; exit 0; }
cat > "$tmp/sipregd.conf" <<CONF
realm = sipreg.test
listen = 127.0.0.1:$port [::1]:$port
db = $tmp/sipreg.db
log_level = info
kernel = off
stats_file = $tmp/stats
CONF
"$sipregd" -c "$tmp/sipregd.conf" > "$tmp/log" 2>&1 &
daemon_pid=$!
for i in $(seq 1 50); do
	[ "$(ss -Hlun "sport = :$port" 2>/dev/null | wc -l)" -ge 2 ] && break
	sleep 0.1
done

echo "1..10"
stun() { "$bin/sipreg-stun" "$@" > "$tmp/out" 2>&1; }
# mapped_is ADDR: the answer's XOR-MAPPED-ADDRESS is ADDR and the port
# the one sipreg-stun sent from (it compares them itself: exit 0).
mapped_is() { grep -qx "mapped $1 [0-9]*" "$tmp/out"; }

stun 127.0.0.1 "$port" && mapped_is 127.0.0.1
check "IPv4 Binding request: XOR-MAPPED-ADDRESS is the sender's" [ $? = 0 ] || diag "$tmp/out"
stun -f ::1 "$port" && mapped_is ::1
check "IPv6 Binding request with FINGERPRINT: answered with FINGERPRINT, sender's address" [ $? = 0 ] || diag "$tmp/out"
stun -f 127.0.0.1 "$port"
check "IPv4 with FINGERPRINT" [ $? = 0 ] || diag "$tmp/out"
stun -w 500 --crlf 127.0.0.1 "$port"
check "CRLFCRLF keepalive: no answer" [ $? = 2 ] || diag "$tmp/out"
# RFC 5769 2.1: comprehension-required attributes, not a keepalive.
rfc="000100582112a442b7e7a701bc34d686fa87dfae802200105354554e2074657374
20636c69656e74002400046e0001ff80290008932ff9b151263b3600060009657674
6a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2802800
04e57a3bcf"
stun -w 500 --raw "$(echo $rfc | tr -d ' ')" 127.0.0.1 "$port"
check "ICE Binding request (USERNAME, MESSAGE-INTEGRITY): no answer" [ $? = 2 ] || diag "$tmp/out"
stun 127.0.0.1 "$port"
check "still answering after them" [ $? = 0 ] || diag "$tmp/out" "$tmp/log"

kill -USR1 "$daemon_pid"
for i in $(seq 1 50); do
	grep -q "stun answered" "$tmp/log" && break
	sleep 0.1
done
line=$(grep " stats: requests" "$tmp/log" | tail -n 1)
echo "# $line"
echo "$line" | grep -q "stun answered 4 stun ignored 1 keepalives 1"
check "counted: 4 answered, 1 ignored, 1 keepalive" [ $? = 0 ] || echo "# $line"
echo "$line" | grep -q "requests 0 "
check "the registrar saw none of them" [ $? = 0 ] || echo "# $line"
# The stats file (written on SIGUSR1, after the log line) and
# "sipregctl stats daemon".
for i in $(seq 1 50); do
	grep -qx "stun_answered 4" "$tmp/stats" 2>/dev/null && break
	sleep 0.1
done
out=$("$bin/sipregctl" stats daemon file "$tmp/stats" 2>&1)
echo "$out" | grep -Eq '^ *stun_answered +4$' &&
	echo "$out" | grep -Eq '^ *stun_ignored +1$' &&
	echo "$out" | grep -Eq '^ *keepalives +1$'
check "sipregctl stats daemon shows them" [ $? = 0 ] || echo "$out" | sed 's/^/# /'
kill -TERM "$daemon_pid"
wait "$daemon_pid"
check "sipregd exits 0" [ $? = 0 ] || diag "$tmp/log"
daemon_pid=
exit $((failed > 0))
