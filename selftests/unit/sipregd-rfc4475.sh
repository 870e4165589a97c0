#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-rfc4475.sh BUILD: sipregd on its own (no module) on loopback
# gets each RFC 4475 section 3 torture message over UDP
# (selftests/data/rfc4475, sent by sipreg-sipsend) and must answer it with
# the status in selftests/data/rfc4475/expected (0: no answer), its answer
# containing the words listed there. Then RFC 3261 8.2 cases of our own:
# 513 beyond our bounds, a REGISTER of 60 KB answered. TAP on stdout.
# SIPREGD=path runs another build of the daemon (ASan).
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
send=$bin/sipreg-sipsend
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
data=$top/selftests/data/rfc4475

for p in "$sipregd" "$send"; do
	if [ ! -x "$p" ]; then
		echo "1..0 # SKIP $p not built"
		exit 0
	fi
done
tmp=$(mktemp -d /tmp/sipregd-rfc4475.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port) || { echo "1..0 # SKIP no free UDP port"; exit 0; }
cat > "$tmp/sipregd.conf" <<EOC
realm = example.com
listen = 127.0.0.1:$port
db = $tmp/sipreg.db
log_level = debug
EOC
"$sipregd" -c "$tmp/sipregd.conf" > "$tmp/d.log" 2>&1 &
daemon_pid=$!
for i in $(seq 1 50); do
	[ -n "$(ss -Hlun "sport = :$port" 2>/dev/null)" ] && break
	sleep 0.1
done

mapfile -t cases < <(grep -v '^#' "$data/expected" | grep -v '^$')
own=7
echo "1..$(( ${#cases[@]} + own ))"

files=()
for c in "${cases[@]}"; do
	read -r name _ <<< "$c"
	files+=("$data/$name.sip")
done
"$send" -o "$tmp" 127.0.0.1 "$port" "${files[@]}" > "$tmp/got" 2> "$tmp/send.err"

for c in "${cases[@]}"; do
	read -r name want words <<< "$c"
	got=$(awk -v n="$name" '$1 == n { print $2 }' "$tmp/got")
	if [ "$got" != "$want" ]; then
		not_ok "rfc4475 $name: got ${got:-nothing}, want $want"
		[ -f "$tmp/$name.answer" ] && head -n 1 "$tmp/$name.answer" | sed 's/^/# /'
		continue
	fi
	if [ -n "$words" ] && ! grep -qF -- "$words" "$tmp/$name.answer"; then
		not_ok "rfc4475 $name: $want without \"$words\""
		sed 's/^/# /' "$tmp/$name.answer"
		continue
	fi
	ok "rfc4475 $name: ${want/#0/no answer}${words:+ ($words)}"
done

# RFC 3261 8.2 beyond the torture messages, in the same notation.
msg() { # msg NAME METHOD RURI EXTRA-HEADERS [BODY-REPEAT]
	{
		printf '%s %s SIP/2.0\n' "$2" "$3"
		printf 'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK%s\n' "$1"
		printf 'From: <sip:alice@example.com>;tag=%s\n' "$1"
		printf 'To: <sip:alice@example.com>\nCall-ID: %s@own\n' "$1"
		printf 'CSeq: 1 %s\nMax-Forwards: 70\n%b' "$2" "$4"
		printf 'Content-Length: 0\n\n'
	} > "$tmp/$1.sip"
}
own_case() { # own_case NAME WANT WORDS DESCRIPTION
	local got
	got=$("$send" -o "$tmp" 127.0.0.1 "$port" "$tmp/$1.sip" 2>>"$tmp/send.err" |
	      awk '{ print $2 }')
	if [ "$got" = "$2" ] && { [ -z "$3" ] || grep -qF -- "$3" "$tmp/$1.answer"; }; then
		ok "$4"
	else
		not_ok "$4: got ${got:-nothing}, want $2 $3"
		[ -f "$tmp/$1.answer" ] && sed 's/^/# /' "$tmp/$1.answer"
	fi
}

msg big REGISTER sip:example.com "Contact: <sip:alice@192.0.2.1>\n"
sed -i 's/^Content-Length: 0$/Content-Type: text\/plain\nContent-Length: 60000/' "$tmp/big.sip"
printf '<repeat count=6000>0123456789</repeat>' >> "$tmp/big.sip"
own_case big 401 "WWW-Authenticate: Digest" "a REGISTER of 60 KB is challenged"

msg longline REGISTER sip:example.com \
	"Contact: <sip:alice@192.0.2.1>\nX-Long: <repeat count=110>0123456789</repeat>\n"
own_case longline 513 "Message Too Large (line_too_long)" \
	"a REGISTER with a 1.1 KB header field: 513 (the shared parser keeps 1024)"

vias=""
for i in $(seq 1 9); do vias="${vias}Via: SIP/2.0/UDP 192.0.2.$i;branch=z9hG4bKv$i\n"; done
msg vias REGISTER sip:example.com "${vias}Contact: <sip:alice@192.0.2.1>\n"
own_case vias 513 "Message Too Large (too_many_vias)" \
	"a REGISTER with 10 Via hops: 513 (the shared parser keeps 8)"

hdrs=""
for i in $(seq 1 300); do hdrs="${hdrs}X-H$i: x\n"; done
msg hdrs OPTIONS sip:example.com "$hdrs"
own_case hdrs 513 "Message Too Large (too_many_headers)" "an OPTIONS with 300 header fields: 513"

msg tel REGISTER tel:+15551234 "Contact: <sip:alice@192.0.2.1>\n"
own_case tel 416 "" "a REGISTER for tel: gets 416"

msg ack ACK sip:example.com ""
own_case ack 0 "" "ACK is never answered"

msg reqreg REGISTER sip:example.com "Contact: <sip:alice@192.0.2.1>\nRequire: path, foo\n"
own_case reqreg 420 "Unsupported: foo" "REGISTER with Require: path, foo: 420 Unsupported: foo"

if kill -TERM "$daemon_pid" 2>/dev/null; then
	wait "$daemon_pid" || { echo "# sipregd exited with $?"; failed=$((failed + 1)); }
else
	echo "# sipregd died"
	failed=$((failed + 1))
fi
daemon_pid=
if [ $failed != 0 ]; then
	sed 's/^/# /' "$tmp/send.err"
	tail -n 30 "$tmp/d.log" | sed 's/^/# /'
fi
[ $failed = 0 ]
