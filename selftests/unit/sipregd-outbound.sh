#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-outbound.sh BUILD: RFC 5626 on sipregd's streams, on loopback
# (no module). An outbound registration (+sip.instance, reg-id) over TCP
# and over TLS is bound to its connection: once sipreg-ua closes it the
# binding is gone, while an ordinary one stays. CRLFCRLF pings, whole,
# split byte by byte and between messages, get one CRLF each. The
# counters reach the stats file (stats_file) and "sipregctl stats
# daemon", which flags the file stale once the daemon is gone.
# Waits poll state, never a guessed time. TAP on stdout.
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
stream=$bin/sipreg-sipstream
ctl=$bin/sipregctl
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
realm=sipreg.test

for t in openssl ss; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t not installed"; exit 0; }
done
for b in "$sipregd" "$stream" "$ctl" "$bin/sipreg-ua"; do
	[ -x "$b" ] || { echo "1..0 # SKIP $b not built"; exit 0; }
done

tmp=$(mktemp -d /tmp/sipregd-outbound.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"; echo "#   want: $2"; echo "#   got:  $3"; fi
}
# until CMD... succeeds, 10 s at most
until_ok() {
	local i
	for i in $(seq 1 100); do "$@" && return 0; sleep 0.1; done
	return 1
}

port=$(free_port) || { echo "1..0 # SKIP no free port"; exit 0; }
tport=$((port + 1))
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null ||
	{ echo "1..0 # SKIP openssl could not make a certificate"; exit 0; }

stats=$tmp/stats
conf=$tmp/sipregd.conf
cat > "$conf" <<EOC
realm = $realm
listen = 127.0.0.1:$port
listen_tcp = 127.0.0.1:$port
listen_tls = 127.0.0.1:$tport
tls_certificate = $tmp/cert.pem
tls_key = $tmp/key.pem
db = $tmp/sipreg.db
kernel = off
log_level = debug
challenge_rate = 0
flow_timer = 60
stats_file = $stats
EOC
sd() { "$sipregd" -c "$conf" "$@"; }

echo "1..18"
"$top/selftests/sipp/users.sh" 4 > "$tmp/users.txt"
check "user import" sd user import "$tmp/users.txt"
"$sipregd" -c "$conf" > "$tmp/d.log" 2>&1 &
daemon_pid=$!
listening() { test "$(ss -Hlnt "( sport = :$port or sport = :$tport )" | wc -l)" -ge 2; }
if until_ok listening; then
	ok "sipregd listens on TCP $port and TLS $tport"
else
	not_ok "sipregd listens"; diag "$tmp/d.log"; exit 1
fi

# 401 on one connection, the digest REGISTER on another, each closed by
# sipreg-ua once answered; prints the 200's status and Require/Flow-Timer
ua_register() { # transport-flag port user contact [contact-params]
	local pw nonce a
	pw=$(sed -n "s/^$3;//p" "$tmp/users.txt")
	a=$("$bin/sipreg-ua" $1 --ca "$tmp/cert.pem" -b 127.0.0.1 -t 127.0.0.1 \
		--dport $2 -u $3 -r $realm -i "ua-$3" -B z9hG4bK-$3-1 -C "$4" \
		--timeout 3000)
	nonce=$(echo "$a" | grep -o 'nonce="[^"]*"' | head -n 1 | cut -d'"' -f2)
	"$bin/sipreg-ua" $1 --ca "$tmp/cert.pem" -b 127.0.0.1 -t 127.0.0.1 \
		--dport $2 -u $3 -r $realm -i "ua-$3" -B z9hG4bK-$3-2 -c 2 \
		-C "$4" ${5:+--contact-params "$5"} -x "Supported: outbound" \
		--nonce "$nonce" --password "$pw" --timeout 3000 |
		tr -d '\r' | grep -E '^(SIP/2.0|Require|Flow-Timer)' |
		tr '\n' ' ' | sed 's/ $//'
}
bound() { sd binding list | grep -q "<$1>"; }
gone() { ! bound "$1"; }
ob=';+sip.instance="<urn:uuid:00000000-0000-4000-8000-00000000000'

expect "TCP, outbound: 200 with Require: outbound and Flow-Timer: 60" \
	"SIP/2.0 200 OK Require: outbound Flow-Timer: 60" \
	"$(ua_register --tcp $port user0001 'sip:user0001@192.0.2.7:5060;transport=tcp' "${ob}1>\";reg-id=1")"
check "TCP, outbound: the binding goes with its connection" \
	until_ok gone 'sip:user0001@192.0.2.7:5060;transport=tcp'
expect "TLS, outbound: 200 with Require: outbound" \
	"SIP/2.0 200 OK Require: outbound Flow-Timer: 60" \
	"$(ua_register --tls $tport user0002 'sips:user0002@192.0.2.7:5061;transport=tls' "${ob}2>\";reg-id=1")"
check "TLS, outbound: the binding goes with its connection" \
	until_ok gone 'sips:user0002@192.0.2.7:5061;transport=tls'
expect "TCP, no reg-id: 200 without Require" "SIP/2.0 200 OK" \
	"$(ua_register --tcp $port user0003 'sip:user0003@192.0.2.7:5060;transport=tcp')"
check "TCP, no reg-id: the binding stays after the connection closed" \
	bound 'sip:user0003@192.0.2.7:5060;transport=tcp'
check "two flows closed, logged" until_ok eval \
	"test \"\$(grep -c 'removed: its connection closed' $tmp/d.log)\" = 2"

# Keepalives (RFC 5626 4.4.1): one CRLF per CRLFCRLF, however it comes
printf '\r\n\r\n' > "$tmp/ping"
printf 'OPTIONS sip:%s SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKo1\r\nFrom: <sip:a@%s>;tag=1\r\nTo: <sip:a@%s>\r\nCall-ID: o1@t\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
	$realm $realm $realm > "$tmp/opt.sip"
cat "$tmp/ping" "$tmp/opt.sip" "$tmp/ping" > "$tmp/mixed"
printf '\r\n' > "$tmp/crlf"
expect "TCP: ping split byte by byte gets one pong" "sent pong" \
	"$("$stream" 127.0.0.1 $port split:$tmp/ping:1:50 pong | tr '\n' ' ' | sed 's/ $//')"
expect "TCP: ping, OPTIONS, ping in one write: pong, 200, pong" \
	"sent pong SIP/2.0 200 OK pong" \
	"$("$stream" 127.0.0.1 $port send:$tmp/mixed pong recv pong | tr '\n' ' ' | sed 's/ $//')"
expect "TCP: a lone CRLF is not answered, the OPTIONS after it is" \
	"sent timeout sent SIP/2.0 200 OK" \
	"$("$stream" --timeout 500 127.0.0.1 $port send:$tmp/crlf pong send:$tmp/opt.sip recv | tr '\n' ' ' | sed 's/ $//')"
expect "TLS: ping split in two gets one pong" "sent pong" \
	"$("$stream" --tls 127.0.0.1 $tport split:$tmp/ping:2:50 pong | tr '\n' ' ' | sed 's/ $//')"

# The stats file: renewed on SIGUSR1, read by sipregctl
kill -USR1 $daemon_pid
check "stats file: 4 pings, 4 pongs, 2 flows closed, 2 outbound" until_ok eval \
	"grep -qx 'keepalive_pings 4' $stats && grep -qx 'keepalive_pongs 4' $stats &&
	 grep -qx 'flows_closed 2' $stats && grep -qx 'outbound_registrations 2' $stats"
out=$("$ctl" stats daemon file "$stats"); rc=$?
check "sipregctl stats daemon: a sipregd section, not stale (status $rc)" \
	test $rc = 0 -a -n "$(echo "$out" | grep '^sipregd (' | grep -v STALE)" \
	-a -n "$(echo "$out" | grep -E '^  keepalive_pongs +4$')"
out=$(SIPREGD_STATS_FILE=$stats "$ctl" -j stats daemon)
check "sipregctl -j stats daemon (\$SIPREGD_STATS_FILE): JSON with flows_closed 2" \
	eval "echo '$out' | grep -q '\"sipregd\":{.*\"stale\":false.*\"flows_closed\":2'"
kill -TERM $daemon_pid; wait $daemon_pid; daemon_pid=
out=$("$ctl" stats daemon file "$stats")
check "daemon gone: the section says STALE" \
	eval "echo '$out' | grep -q '^sipregd (.*STALE: daemon gone'"
out=$("$ctl" stats daemon file "$tmp/none" 2>&1); rc=$?
check "no stats file: status 2 naming it" \
	test $rc = 2 -a -n "$(echo "$out" | grep "no sipregd stats file at $tmp/none")"
[ $failed = 0 ]
