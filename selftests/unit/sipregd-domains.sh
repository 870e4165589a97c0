#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-domains.sh BUILD: one sipregd serving two domains (issue 13
# item 4), no module, on loopback. The configuration's errors name file
# and line; "sipregd user add/list/import ... domain D" put users in a
# domain's realm; users called alice in both domains register with their
# own passwords (sipreg-load -D DOMAIN), get AORs of their own domain,
# and a REGISTER for a domain not served gets 404. Then a SIGHUP that
# drops a domain: its REGISTERs get 404 too. TAP on stdout.
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
load=$bin/sipreg-load
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"

for p in "$sipregd" "$load" "$bin/sipreg-ua"; do
	if [ ! -x "$p" ]; then
		echo "1..0 # SKIP $p not built"
		exit 0
	fi
done

tmp=$(mktemp -d /tmp/sipregd-domains.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port) || { echo "1..0 # SKIP no free UDP port"; exit 0; }
conf=$tmp/sipregd.conf
write_conf() { # the domain lines
	{
		echo "realm = example.com"
		echo "listen = 127.0.0.1:$port"
		echo "db = $tmp/sipreg.db"
		echo "kernel = off"
		echo "challenge_rate = 0"
		echo "log_level = info"
		printf '%s\n' "$@"
	} > "$conf"
}
sd() { "$sipregd" -c "$conf" "$@"; }

# expect TEXT STATUS PATTERN CMD...: CMD exits STATUS, its stderr has PATTERN
expect() {
	local d=$1 st=$2 pat=$3 out rc
	shift 3
	out=$("$@" 2>&1 >/dev/null </dev/null)
	rc=$?
	if [ $rc = "$st" ] && grep -qF -- "$pat" <<< "$out"; then
		ok "$d"
	else
		not_ok "$d"
		echo "# status $rc, want $st; output: $out"
	fi
}

# A REGISTER for sip:$1 without credentials, the status line of the answer.
status_for() {
	cat > "$tmp/req.sip" <<EOF
REGISTER sip:$1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-$RANDOM;rport
Max-Forwards: 70
From: <sip:alice@$1>;tag=1
To: <sip:alice@$1>
Call-ID: probe-$RANDOM
CSeq: 1 REGISTER
Contact: <sip:alice@127.0.0.1:5999>
Content-Length: 0

EOF
	sed -i 's/$/\r/' "$tmp/req.sip"
	"$bin/sipreg-ua" -b 127.0.0.1 -t 127.0.0.1 --dport "$port" \
		--message "$tmp/req.sip" 2>&1 | grep -m1 '^SIP/2.0'
}

start_daemon() {
	"$sipregd" -c "$conf" > "$tmp/d.log" 2>&1 &
	daemon_pid=$!
	local i
	for i in $(seq 1 50); do
		[ -n "$(ss -Hlun "sport = :$port" 2>/dev/null)" ] && return 0
		kill -0 "$daemon_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

echo "1..17"

# ---- configuration errors ----
write_conf "domain = a.example shared" "domain = b.example shared"
expect "a realm of two domains: file, both lines, both domains" 1 \
	"$conf:8: domain = \"b.example shared\": realm shared is already the realm of domain a.example ($conf:7)" \
	sd user list
write_conf "domain = a_b.example"
expect "a bad domain name: file:line and the character" 1 \
	"$conf:7: domain = \"a_b.example\": name: character 2 (0x5f) not allowed" \
	sd user list

# ---- users of two domains ----
write_conf "domain = A.Example realm-a" "domain = b.example"
echo pa | sd user add alice domain a.example >/dev/null 2>&1
echo pb | sd user add alice domain B.EXAMPLE >/dev/null 2>&1
check "user add domain D: alice in realm-a and in b.example" \
	test "$(sd user list | awk '$1 == "alice" { print $2 }' | sort | tr '\n' ' ')" = "b.example realm-a "
check "user list shows each user's domain" \
	grep -q '"realm":"realm-a","domain":"a.example"' <(sd user list -j)
check "user list domain D lists that domain's users only" \
	test "$(sd user list domain b.example | grep -c .)" = 1
expect "user add in a domain not configured: exit 2, named" 2 \
	"domain c.example is not configured" sd user add bob domain c.example
printf 'bob;pw\nbad"name;pw\n' > "$tmp/users.txt"
expect "user import: a bad name is refused with file:line" 2 \
	"$tmp/users.txt:2: user \"bad\"name\"" \
	sd user import "$tmp/users.txt" domain a.example
printf 'user000001;pw1\nuser000002;pw2\n' > "$tmp/users.txt"
check "user import domain D: into the domain's realm" \
	sd user import "$tmp/users.txt" domain a.example 2>/dev/null
check "users of a.example are in realm-a" \
	test "$(sd user list domain a.example | grep -c realm-a)" = 3
expect "user add without domain: a note when no domain has that realm" 0 \
	"note: realm example.com is the realm of no configured domain" \
	sd user add carol ha1 0123456789abcdef0123456789abcdef

# ---- the registrar ----
if start_daemon; then
	ok "sipregd serves a.example and b.example on 127.0.0.1:$port"
else
	not_ok "sipregd serves a.example and b.example on 127.0.0.1:$port"
	diag "$tmp/d.log"
	exit 1
fi
echo "alice;pa" > "$tmp/a.txt"
echo "alice;pb" > "$tmp/b.txt"
reg() { # DOMAIN REALM USERS-FILE: sipreg-load registers each user once
	"$load" -t "127.0.0.1:$port" -b 127.0.0.1 -D "$1" --realm "$2" -f "$3" \
		-n 1 --once -d 5 --drain 200 > "$tmp/load.out" 2>&1
}
check "alice registers in a.example (realm-a, her a.example password)" \
	reg a.example realm-a "$tmp/a.txt"
check "alice registers in b.example (realm b.example, the other password)" \
	reg b.example b.example "$tmp/b.txt"
if reg b.example b.example "$tmp/a.txt"; then
	not_ok "a.example's password does not register in b.example"
else
	ok "a.example's password does not register in b.example"
fi
check "two bindings, one AOR per domain" \
	test "$(sd binding list | awk '{ print $1 }' | sort | tr '\n' ' ')" = "sip:alice@a.example sip:alice@b.example "
got=$(status_for c.example)
check "a domain not served: 404 ($got)" \
	test "${got%$'\r'}" = "SIP/2.0 404 Not Found (domain not served here)"

# ---- reload: b.example goes ----
write_conf "domain = a.example realm-a"
kill -HUP "$daemon_pid"
for i in $(seq 1 30); do
	grep -q "reload: domain 1 of 1: a.example (realm realm-a)" "$tmp/d.log" && break
	sleep 0.1
done
got=$(status_for b.example)
check "after SIGHUP without b.example: its REGISTER gets 404 ($got)" \
	test "${got%$'\r'}" = "SIP/2.0 404 Not Found (domain not served here)"

kill -TERM "$daemon_pid"
wait "$daemon_pid"
daemon_pid=
[ $failed = 0 ] || diag "$tmp/d.log"
exit $((failed > 0))
