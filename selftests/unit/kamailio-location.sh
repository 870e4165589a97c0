#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kamailio-location.sh BUILD: a proxy routes calls to sipreg's bindings.
# On loopback, with a scratch PostgreSQL server (selftests/helpers/pg.sh):
# a phone (sipp UAS) registers through sipregd (db = postgresql://...);
# Kamailio, configured by dist/kamailio/kamailio-sipreg.cfg on the same
# database (usrloc db_mode 3 reading sipregd's "location" view), gets a
# caller's INVITE (sipp UAC), finds the binding with lookup("location")
# and relays it: the call completes at the phone. A user who never
# registered gets 404, and after the phone unregisters, so does it.
# TAP on stdout.
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
. "$top/selftests/helpers/pg.sh"
sippdir=$top/selftests/sipp
realm=sipreg.test

[ -x "$sipregd" ] || { echo "1..0 # SKIP $sipregd not built"; exit 0; }
echo "1..10"
missing=
command -v sipp >/dev/null || missing="$missing sip-tester"
command -v kamailio >/dev/null || missing="$missing kamailio"
modules=$(ls -d /usr/lib/*/kamailio/modules 2>/dev/null | head -n 1)
[ -f "$modules/db_postgres.so" ] || missing="$missing kamailio-postgres-modules"
why=$(pg_available) || missing="$missing postgresql-15"
if [ -n "$missing" ]; then
	not_ok "packages:$missing missing (run 'make deps')"
	exit 1
fi

tmp=$(mktemp -d /tmp/kamailio-location.XXXXXX)
chmod 0755 "$tmp"
pids=()
kam_pid=
cleanup() {
	local p i
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	# Kamailio's main process ends its children on SIGTERM; SIGKILL
	# would leave them running.
	if [ -n "$kam_pid" ]; then
		kill -TERM "$kam_pid" 2>/dev/null
		for i in $(seq 1 50); do kill -0 "$kam_pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$kam_pid" 2>/dev/null
	fi
	pg_stop
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

# Kamailio's db_postgres speaks TCP: the scratch server listens on
# loopback too.
PG_TCP_PORT=$(free_port) || { not_ok "a free port"; exit 1; }
check "scratch PostgreSQL server on 127.0.0.1:$PG_TCP_PORT" pg_start "$tmp/pg"
[ -n "$PG_URI" ] || exit 1
reg_port=$(free_port)
kam_port=$(free_port)
phone_port=$(free_port)
while [ "$kam_port" = "$reg_port" ] || [ "$phone_port" = "$reg_port" ] ||
      [ "$phone_port" = "$kam_port" ]; do
	kam_port=$(free_port); phone_port=$(free_port)
done

conf=$tmp/sipregd.conf
cat > "$conf" <<EOC
realm = $realm
listen = 127.0.0.1:$reg_port
db = $PG_URI
log_level = info
challenge_rate = 0
EOC
sd() { "$sipregd" -c "$conf" "$@"; }
"$top/selftests/sipp/users.sh" 2 > "$tmp/users.txt"
"$top/selftests/sipp/users.sh" -sipp 1 > "$tmp/users.csv"
sd user import "$tmp/users.txt" 2> "$tmp/import.log"
"$sipregd" -c "$conf" > "$tmp/sipregd.log" 2>&1 &
pids+=($!)

sed -e "s|^#!define DBURL .*|#!define DBURL \"postgres://sipreg@127.0.0.1:$PG_TCP_PORT/sipreg\"|" \
    -e "s|^#!define LISTEN .*|#!define LISTEN udp:127.0.0.1:$kam_port|" \
    -e "s|^#!define CHILDREN .*|#!define CHILDREN 1|" \
    "$top/dist/kamailio/kamailio-sipreg.cfg" > "$tmp/kamailio.cfg"
# The tables Kamailio checks at start exist once sipregd has started.
for i in $(seq 1 50); do
	[ -n "$(ss -Hlun "sport = :$reg_port" 2>/dev/null)" ] && break
	sleep 0.1
done
kamailio -f "$tmp/kamailio.cfg" -DD -E -L "$modules" -Y "$tmp" -w "$tmp" \
	> "$tmp/kamailio.log" 2>&1 &
kam_pid=$!
for i in $(seq 1 50); do
	[ -n "$(ss -Hlun "sport = :$kam_port" 2>/dev/null)" ] && break
	sleep 0.1
done
check "Kamailio runs the shipped configuration on 127.0.0.1:$kam_port" \
	test -n "$(ss -Hlun "sport = :$kam_port" 2>/dev/null)"

# The phone: user0001's Contact is where its UAS will answer.
register() { # SCENARIO CSEQ
	(cd "$tmp" && timeout 30 sipp -sf "$sippdir/$1.xml" -inf users.csv \
		-key cseq "$2" -key cseq2 $(($2 + 1)) \
		-key ct_host 127.0.0.1 -key ct_port "$phone_port" \
		-cid_str 'reg-%u@sipreg.test' -m 1 -i 127.0.0.1 \
		-auth_uri 127.0.0.1 -nostdin -default_behaviors -bye \
		"127.0.0.1:$reg_port" > "$tmp/$1.out" 2>&1)
}
check "the phone registers through sipregd (401, then 200)" register register-step 1
check "Kamailio's view of it: user0001 -> sip:user0001@127.0.0.1:$phone_port" \
	test "$(pg_psql "SELECT username || ' ' || contact FROM location")" = \
		"user0001 sip:user0001@127.0.0.1:$phone_port"

call() { # USER OUT: one call through Kamailio; the phone answers it
	(cd "$tmp" && timeout 30 sipp -sf "$sippdir/call-uac.xml" -s "$1" -m 1 -i 127.0.0.1 \
		-nostdin -recv_timeout 5000 -trace_msg -message_file "$2.msgs" \
		"127.0.0.1:$kam_port" > "$2.out" 2>&1)
}
(cd "$tmp" && exec timeout 30 sipp -sf "$sippdir/call-uas.xml" -m 1 -i 127.0.0.1 -p "$phone_port" -trace_msg -message_file uas.msgs \
	-nostdin > uas.out 2>&1) &
uas=$!
pids+=($uas)
call user0001 "$tmp/call1"
rc=$?
wait "$uas"
uas_rc=$?
check "a call to user0001 through Kamailio completes (INVITE, 200, ACK, BYE)" test $rc = 0
check "... at the phone sipregd registered (its UAS took the call)" test $uas_rc = 0
call user0002 "$tmp/call2"
check "a user who never registered: Kamailio answers 404" \
	grep -q '^SIP/2.0 404' "$tmp/call2.msgs"
check "the phone unregisters through sipregd (Contact: *)" register unregister-step 3
call user0001 "$tmp/call3"
check "after that a call to it gets 404: the view follows the bindings" \
	grep -q '^SIP/2.0 404' "$tmp/call3.msgs"
[ $failed = 0 ] || { diag "$tmp/kamailio.log"; diag "$tmp/sipregd.log"; }
kill -TERM "$kam_pid"
wait "$kam_pid"
kam_pid=
kam_left() {
	local f
	for f in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' < "$f" 2>/dev/null | grep -q "^kamailio -f $tmp/" && return 0
	done
	return 1
}
for i in $(seq 1 50); do kam_left || break; sleep 0.1; done
check "Kamailio stops on SIGTERM, none of its processes left" eval '! kam_left'
[ $failed = 0 ]
