#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-stream.sh BUILD: sipregd's TCP and TLS listeners on loopback
# (no module). sipp registers users over TCP (-t t1); sipreg-sipstream
# drives single connections: a request split over writes with pauses,
# pipelined requests, CRLFCRLF keepalives, a peer that never reads, a Content-Length and headers
# over stream_max_message (513, then closed; RFC 3261 18.3) and a bad
# Content-Length (connection closed), a Via naming another transport
# answered on the connection the request came on (18.2.2),
# the idle timeout, the caps per source and in total, UDP served while
# a connection holds half a request, sips: refused over TCP and served
# over TLS, TLS with a throwaway self-signed certificate (openssl CLI)
# and tls_min_version. Waits poll state, never a guessed time.
# TAP on stdout. SIPREGD=path runs another build of the daemon (ASan).
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
stream=$bin/sipreg-sipstream
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
sippdir=$top/selftests/sipp
realm=sipreg.test
users=50

for t in sipp openssl ss; do
	command -v $t >/dev/null || { echo "1..0 # SKIP $t not installed"; exit 0; }
done
[ -x "$sipregd" ] && [ -x "$stream" ] ||
	{ echo "1..0 # SKIP $sipregd or $stream not built"; exit 0; }

tmp=$(mktemp -d /tmp/sipregd-stream.XXXXXX)
daemon_pid=
bg_pids=
cleanup() {
	local p
	for p in $bg_pids; do kill -9 "$p" 2>/dev/null; done
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

# expect DESCRIPTION WANTED ACTUAL: the outputs as one line each
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"; echo "#   want: $2"; echo "#   got:  $3"; fi
}

# Two free ports (UDP+TCP, then TLS) on both loopbacks.
port=$(free_port) || { echo "1..0 # SKIP no free port"; exit 0; }
tport=$((port + 1))

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null ||
	{ echo "1..0 # SKIP openssl could not make a certificate"; exit 0; }

conf=$tmp/sipregd.conf
write_conf() { # extra lines on stdin
	cat > "$conf" <<EOC
realm = $realm
listen = 127.0.0.1:$port
listen_tcp = 127.0.0.1:$port [::1]:$port
listen_tls = 127.0.0.1:$tport
tls_certificate = $tmp/cert.pem
tls_key = $tmp/key.pem
db = $tmp/sipreg.db
kernel = off
log_level = debug
challenge_rate = 0
stream_idle_timeout = 3
stream_max_per_source = 4
stream_max_connections = 6
stream_max_message = 4096
EOC
	cat >> "$conf"
}
sd() { "$sipregd" -c "$conf" "$@"; }

start_daemon() { # $1 log
	"$sipregd" -c "$conf" > "$1" 2>&1 &
	daemon_pid=$!
	local i
	for i in $(seq 1 100); do
		[ "$(ss -Hlnt "( sport = :$port or sport = :$tport )" 2>/dev/null | wc -l)" -ge 3 ] && return 0
		kill -0 "$daemon_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

stop_daemon() {
	local rc
	kill -TERM "$daemon_pid"
	wait "$daemon_pid"
	rc=$?
	daemon_pid=
	return $rc
}

# msg NAME METHOD RURI TO [TRANSPORT] [EXTRA-HEADERS]: a request file
msg() {
	printf '%s %s SIP/2.0\r\nVia: SIP/2.0/%s 127.0.0.1:5999;branch=z9hG4bK%s\r\nFrom: <%s>;tag=f1\r\nTo: <%s>\r\nCall-ID: %s@t\r\nCSeq: 1 %s\r\nContact: <sip:u@127.0.0.1:5999;transport=tcp>\r\nMax-Forwards: 70\r\n%sContent-Length: 0\r\n\r\n' \
		"$2" "$3" "${5:-TCP}" "$1" "$4" "$4" "$1" "$2" "${6:-}" > "$tmp/$1.sip"
}
st() { "$stream" "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//'; }

echo "1..40"
"$top/selftests/sipp/users.sh" $users > "$tmp/users.txt"
"$top/selftests/sipp/users.sh" -sipp $users > "$tmp/users.csv"
write_conf < /dev/null
check "user import" sd user import "$tmp/users.txt"
if start_daemon "$tmp/d1.log"; then
	ok "sipregd listens on UDP and TCP $port, TLS $tport"
else
	not_ok "sipregd listens on UDP and TCP $port, TLS $tport"
	sed 's/^/# /' "$tmp/d1.log"
	exit 1
fi

# sipp over TCP: one connection (t1), digest, every answer on it
(cd "$tmp" && timeout 60 sipp -t t1 -sf "$sippdir/register-step.xml" \
	-inf users.csv -key cseq 1 -key cseq2 2 -key ct_host 192.0.2.99 \
	-key ct_port 5060 -cid_str 'tcp-%u@sipreg.test' -m $users -r 100 \
	-i 127.0.0.1 -auth_uri 127.0.0.1 -nostdin -default_behaviors -bye \
	-trace_err "127.0.0.1:$port" > sipp.out 2>&1)
got=$(awk '/Successful call/ { print $NF }' "$tmp/sipp.out" | tail -n 1)
check "sipp -t t1: $got of $users registered over TCP" test "$got" = $users
check "database: $users bindings" \
	test "$(sd binding list -j | grep -o '"aor":' | wc -l)" = $users

msg opt1 OPTIONS sip:$realm sip:$realm
msg opt2 OPTIONS sip:$realm sip:$realm
msg sreg REGISTER sips:$realm sips:user0001@$realm TLS
msg sregtcp REGISTER sip:$realm sips:user0001@$realm
msg reg REGISTER sip:$realm sip:user0001@$realm
msg big REGISTER sip:$realm sip:user0001@$realm TCP "X-Pad: $(head -c 5000 /dev/zero | tr '\0' a)\r\n"
sed 's/Content-Length: 0/Content-Length: 100000/' "$tmp/opt1.sip" > "$tmp/clbig.sip"
sed 's/Content-Length: 0/Content-Length: 12x/' "$tmp/opt1.sip" > "$tmp/clbad.sip"
head -c 5000 /dev/zero | tr '\0' a > "$tmp/junk.sip"
msg viaudp OPTIONS sip:$realm sip:$realm UDP
head -c 40 "$tmp/opt2.sip" > "$tmp/half1.sip"
tail -c +41 "$tmp/opt2.sip" > "$tmp/half2.sip"
printf '\r\n\r\n' > "$tmp/ping"
cat "$tmp/opt1.sip" "$tmp/ping" "$tmp/reg.sip" > "$tmp/pipelined.sip"
# sipreg-sipsend reads RFC 4475 notation: LF line ends
printf 'OPTIONS sip:%s SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKudp\nFrom: <sip:a@%s>;tag=1\nTo: <sip:%s>\nCall-ID: udp@t\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n' \
	$realm $realm $realm > "$tmp/udp.sip"

expect "a request split in 20-byte writes 100 ms apart is served" \
	"sent SIP/2.0 200 OK" "$(st 127.0.0.1 $port split:$tmp/opt1.sip:20:100 recv)"
# stream_idle_timeout counts from the last whole message: a request
# trickling in for longer (slowloris) loses its connection
expect "a request trickling in for longer than stream_idle_timeout: closed" \
	"send failed closed" \
	"$(st --timeout 10000 127.0.0.1 $port split:$tmp/opt1.sip:5:100 closed)"
expect "pipelined: request, keepalive, request in one write, answered in order" \
	"sent SIP/2.0 200 OK pong SIP/2.0 401 Unauthorized" \
	"$(st 127.0.0.1 $port send:$tmp/pipelined.sip recv pong recv)"
# 20 requests in one write: served 8 per turn of the loop, all answered
for i in $(seq 1 20); do msg q$i OPTIONS sip:$realm sip:$realm; cat "$tmp/q$i.sip"; done > "$tmp/pipe20.sip"
steps=; for i in $(seq 1 20); do steps="$steps recv"; done
expect "20 pipelined requests in one write: 20 answers" \
	"sent$(printf ' SIP/2.0 200 OK%.0s' $(seq 1 20))" \
	"$(st 127.0.0.1 $port send:$tmp/pipe20.sip $steps)"
# a peer that sends and never reads: closed once 256 KiB of answers wait
expect "a peer that never reads its answers is closed" "send failed closed" \
	"$(st --rcvbuf 4096 --timeout 10000 127.0.0.1 $port flood:$tmp/opt1.sip:100000 closed)"
expect "sips: AOR over TCP: 403; sips: Request-URI over TCP: 416" \
	"sent SIP/2.0 403 Forbidden (sips AOR needs TLS) sent SIP/2.0 416 Unsupported URI Scheme" \
	"$(st 127.0.0.1 $port send:$tmp/sregtcp.sip recv send:$tmp/sreg.sip recv)"
expect "over IPv6 too" "sent SIP/2.0 200 OK" "$(st ::1 $port send:$tmp/opt2.sip recv)"
# RFC 3261 18.3 / 21.5.11: 513 where the header lines that arrived say
# where to answer, then the connection is closed (the framing is lost)
expect "headers over stream_max_message: 513, then closed" \
	"sent SIP/2.0 513 Message Too Large (stream_max_message) closed" \
	"$(st 127.0.0.1 $port send:$tmp/big.sip recv closed)"
expect "Content-Length over stream_max_message: 513, then closed" \
	"sent SIP/2.0 513 Message Too Large (stream_max_message) closed" \
	"$(st 127.0.0.1 $port send:$tmp/clbig.sip recv closed)"
expect "over stream_max_message with no header line to answer: closed" \
	"sent closed" "$(st 127.0.0.1 $port send:$tmp/junk.sip closed)"
# RFC 3261 18.2.2: the answer goes back on the request's connection,
# whatever transport its Via names, and its Via is the request's (no
# received: the sent-by is the source address, RFC 3261 18.2.1)
expect "a Via naming UDP over TCP: answered on the connection, Via as sent" \
	"sent SIP/2.0 200 OK Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKviaudp" \
	"$(st 127.0.0.1 $port send:$tmp/viaudp.sip recv-via)"
expect "unreadable Content-Length: connection closed" \
	"sent closed" "$(st 127.0.0.1 $port send:$tmp/clbad.sip closed)"
expect "idle connection closed after stream_idle_timeout" \
	"sent SIP/2.0 200 OK closed" \
	"$(st --timeout 10000 127.0.0.1 $port send:$tmp/opt1.sip recv closed)"
expect "half a request does not keep a connection open" \
	"sent closed" "$(st --timeout 10000 127.0.0.1 $port send:$tmp/half1.sip closed)"

# UDP while a connection holds half a request
"$stream" --timeout 10000 127.0.0.1 $port send:$tmp/half1.sip sleep:1500 \
	send:$tmp/half2.sip recv > "$tmp/holder.out" 2>&1 &
holder=$!
bg_pids="$bg_pids $holder"
for i in $(seq 1 50); do grep -q sent "$tmp/holder.out" && break; sleep 0.1; done
expect "UDP answered while a TCP connection holds half a request" \
	"udp 200" "$("$bin/sipreg-sipsend" 127.0.0.1 $port "$tmp/udp.sip" 2>&1)"
wait $holder
expect "... and that request is answered once complete" \
	"sent sent SIP/2.0 200 OK" "$(tr '\n' ' ' < "$tmp/holder.out" | sed 's/ $//')"

# Caps: 4 per source, 6 in all. Holders keep alive with pings.
hold() { # out-file host
	local steps="send:$tmp/opt1.sip recv" i
	for i in $(seq 1 12); do steps="$steps sleep:500 send:$tmp/ping pong"; done
	"$stream" --timeout 5000 "$2" $port $steps > "$1" 2>&1 &
	bg_pids="$bg_pids $!"
}
for i in 1 2 3 4; do hold "$tmp/h4.$i" 127.0.0.1; done
for i in $(seq 1 50); do
	[ "$(cat "$tmp"/h4.* | grep -c '200 OK')" = 4 ] && break; sleep 0.1
done
expect "a 5th connection from one source is closed (stream_max_per_source 4)" \
	"closed" "$(st 127.0.0.1 $port closed)"
for i in 1 2; do hold "$tmp/h6.$i" ::1; done
for i in $(seq 1 50); do
	[ "$(cat "$tmp"/h6.* | grep -c '200 OK')" = 2 ] && break; sleep 0.1
done
expect "a 7th connection is closed (stream_max_connections 6)" \
	"closed" "$(st ::1 $port closed)"
for p in $bg_pids; do wait $p 2>/dev/null; done
bg_pids=
check "the holders were served all along (keepalives answered)" \
	test "$(cat "$tmp"/h4.* "$tmp"/h6.* | grep -c pong)" = 72

# TLS
expect "TLS: OPTIONS, certificate verified against it as CA" \
	"sent SIP/2.0 200 OK" \
	"$(st --tls --ca $tmp/cert.pem 127.0.0.1 $tport send:$tmp/opt1.sip recv)"
expect "TLS: sips: REGISTER challenged (401), keepalive answered" \
	"sent SIP/2.0 401 Unauthorized sent pong" \
	"$(st --tls 127.0.0.1 $tport send:$tmp/sreg.sip recv send:$tmp/ping pong)"
expect "TLS: Content-Length over stream_max_message: 513, then closed" \
	"sent SIP/2.0 513 Message Too Large (stream_max_message) closed" \
	"$(st --tls 127.0.0.1 $tport send:$tmp/clbig.sip recv closed)"
expect "TLS: the response's Via says TLS as the request's did" \
	"sent SIP/2.0 401 Unauthorized Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKsreg" \
	"$(st --tls 127.0.0.1 $tport send:$tmp/sreg.sip recv-via)"
expect "TLS 1.2 accepted by default" "sent SIP/2.0 200 OK" \
	"$(st --tls --tls-max 1.2 127.0.0.1 $tport send:$tmp/opt2.sip recv)"
# A whole digest registration with sipreg-ua: 401, then credentials on
# a new connection (the nonce is bound to the address, not the port)
ua_register() { # transport-flag port user contact
	local pw nonce a
	pw=$(sed -n "s/^$3;//p" "$tmp/users.txt")
	a=$("$bin/sipreg-ua" $1 --ca "$tmp/cert.pem" -b 127.0.0.1 -t 127.0.0.1 \
		--dport $2 -u $3 -r $realm -i "ua-$3" -B z9hG4bK-$3-1 -C "$4" --timeout 3000)
	nonce=$(echo "$a" | grep -o 'nonce="[^"]*"' | head -n 1 | cut -d'"' -f2)
	echo "$a" | head -n 1 | tr -d '\r'
	"$bin/sipreg-ua" $1 --ca "$tmp/cert.pem" -b 127.0.0.1 -t 127.0.0.1 \
		--dport $2 -u $3 -r $realm -i "ua-$3" -B z9hG4bK-$3-2 -c 2 \
		-C "$4" --nonce "$nonce" --password "$pw" --timeout 3000 |
		head -n 1 | tr -d '\r'
}
expect "sipreg-ua --tcp: 401, then 200 with credentials" \
	"SIP/2.0 401 Unauthorized SIP/2.0 200 OK" \
	"$(ua_register --tcp $port user0002 'sip:user0002@192.0.2.7:5060;transport=tcp' | tr '\n' ' ' | sed 's/ $//')"
expect "sipreg-ua --tls: 401, then 200 with credentials" \
	"SIP/2.0 401 Unauthorized SIP/2.0 200 OK" \
	"$(ua_register --tls $tport user0003 'sips:user0003@192.0.2.7:5061;transport=tls' | tr '\n' ' ' | sed 's/ $//')"
check "both bindings stored as sent" eval \
	"sd binding list | grep -q '<sip:user0002@192.0.2.7:5060;transport=tcp>' &&
	 sd binding list | grep -q '<sips:user0003@192.0.2.7:5061;transport=tls>'"
expect "plain TCP to the TLS port: closed" "sent closed" \
	"$(st 127.0.0.1 $tport send:$tmp/opt1.sip closed)"
check "SIGTERM: exit status 0" stop_daemon
check "stream counters logged: caps refused 1 + 1, idle closed, too large 4 (513 3), slow reader 1" \
	grep -q "refused (total cap) 1 refused (per source) 1 idle closed [1-9][0-9]* too large 4 (513 3) bad framing 1 slow readers 1 " "$tmp/d1.log"
grep "streams:" "$tmp/d1.log" | sed 's/^/# /'

# Configuration errors name the key or file, with the documented status
out=$("$sipregd" -c "$conf" --listen_tls=127.0.0.1:$tport --tls_certificate= 2>&1); rc=$?
check "an empty tls_certificate is refused (status 1): $out" \
	test $rc = 1 -a -n "$(echo "$out" | grep tls_certificate)"
out=$("$sipregd" -c "$conf" --tls_certificate=$tmp/none.pem 2>&1); rc=$?
check "a missing certificate file stops the start (status 2) naming it" \
	test $rc = 2 -a -n "$(echo "$out" | grep "tls_certificate $tmp/none.pem")"
out=$("$sipregd" -c "$conf" --tls_min_version=1.1 2>&1); rc=$?
check "tls_min_version 1.1 is refused (status 1)" \
	test $rc = 1 -a -n "$(echo "$out" | grep 'want 1.2 or 1.3')"

write_conf <<< "tls_min_version = 1.3"
start_daemon "$tmp/d2.log" || { sed 's/^/# /' "$tmp/d2.log"; exit 1; }
expect "tls_min_version 1.3: a TLS 1.2 client is refused" "handshake failed" \
	"$(st --tls --tls-max 1.2 127.0.0.1 $tport send:$tmp/opt1.sip recv)"
expect "tls_min_version 1.3: a TLS 1.3 client is served" "sent SIP/2.0 200 OK" \
	"$(st --tls 127.0.0.1 $tport send:$tmp/opt1.sip recv)"
check "SIGTERM: exit status 0" stop_daemon
[ $failed = 0 ]
