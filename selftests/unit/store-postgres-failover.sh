#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# store-postgres-failover.sh BUILD: sipregd on a PostgreSQL primary with
# a streaming standby (pg_basebackup -R), both scratch servers on Unix
# sockets, the URI naming both hosts with target_session_attrs=read-write
# as README's "A PostgreSQL store" says. Users register; the primary
# dies (pg_ctl stop -m immediate) and the standby is promoted, as an
# operator's failover tool does; sipregd reconnects to the new primary
# on its own, the registrations made before are there (replicated), and
# every user refreshes. TAP on stdout.
set -u
build=${1:-build}
sipregd=${SIPREGD:-$build/bin/sipregd}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
. "$top/selftests/helpers/pg.sh"
users=100

[ -x "$sipregd" ] || { echo "1..0 # SKIP $sipregd not built"; exit 0; }
echo "1..9"
if ! why=$(pg_available) || ! command -v sipp >/dev/null; then
	not_ok "PostgreSQL server and sipp: ${why:-no sipp} (run 'make deps')"
	exit 1
fi
tmp=$(mktemp -d /tmp/store-pg-failover.XXXXXX)
chmod 0755 "$tmp"
pid=
standby=$tmp/standby
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	pg_stop
	[ -f "$standby/data/postmaster.pid" ] &&
		pg_as "$PG_BIN/pg_ctl" -D "$standby/data" -m immediate -w stop > /dev/null 2>&1
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

check "primary started" pg_start "$tmp/primary"
primary=$PG_DIR
mkdir -p "$standby" && chown postgres: "$standby"
check "standby made with pg_basebackup -R and started" sh -c "
	$(declare -f pg_as); PG_BIN=$PG_BIN
	pg_as $PG_BIN/pg_basebackup -h $primary -U sipreg -D $standby/data -R -X stream -c fast > $standby/basebackup.log 2>&1 &&
	pg_as $PG_BIN/pg_ctl -D $standby/data -l $standby/server.log -w \
		-o '-k $standby -c listen_addresses=' start > /dev/null"
in_recovery() { # DIR: t on a standby
	pg_as "$PG_BIN/psql" -X -q -A -t -h "$1" -U sipreg -d sipreg -c "SELECT pg_is_in_recovery()"
}
check "the standby streams from the primary" test "$(in_recovery "$standby")" = t

port=$(free_port)
conf=$tmp/sipregd.conf
cat > "$conf" <<EOC
realm = sipreg.test
listen = 127.0.0.1:$port
db = postgresql://sipreg@/sipreg?host=$primary,$standby&target_session_attrs=read-write
challenge_rate = 0
stats_file = off
EOC
sd() { "$sipregd" -c "$conf" "$@"; }
"$top/selftests/sipp/users.sh" $users > "$tmp/users.txt"
"$top/selftests/sipp/users.sh" -sipp $users > "$tmp/users.csv"
sd user import "$tmp/users.txt" 2> /dev/null
"$sipregd" -c "$conf" > "$tmp/d.log" 2>&1 &
pid=$!
for i in $(seq 1 50); do
	[ -n "$(ss -Hlun "sport = :$port" 2>/dev/null)" ] && break
	sleep 0.1
done
phase() { # CSEQ CALLS: successful calls of register-step.xml
	(cd "$tmp" && timeout 60 sipp -sf "$top/selftests/sipp/register-step.xml" \
		-inf users.csv -key cseq "$1" -key cseq2 $(($1 + 1)) \
		-key ct_host 192.0.2.9 -key ct_port 5060 -cid_str 'reg-%u@sipreg.test' \
		-m "$2" -r 100 -i 127.0.0.1 -auth_uri 127.0.0.1 -nostdin \
		-default_behaviors -bye -recv_timeout 2000 "127.0.0.1:$port" > sipp.out 2>&1)
	awk '/Successful call/ { print $NF }' "$tmp/sipp.out" | tail -n 1
}
got=$(phase 1 $users)
check "on the primary: $got of $users registered" test "$got" = $users

pg_as "$PG_BIN/pg_ctl" -D "$primary/data" -m immediate -w stop > /dev/null
promote() { pg_as "$PG_BIN/pg_ctl" -D "$standby/data" -w promote > /dev/null; }
check "failover: primary killed, standby promoted" promote
check "the registrations made on the primary are on the new primary" \
	test "$(sd binding list | wc -l)" = $users
# sipregd finds out at its next use of the database, then reconnects
# (at most 5 s of backoff): the first registrations may get a 503.
t=$SECONDS
until [ "$(phase 11 1)" = 1 ] || [ $((SECONDS - t)) -gt 30 ]; do sleep 0.5; done
check "sipregd reconnected to the new primary within $((SECONDS - t)) s" \
	test $((SECONDS - t)) -le 30
got=$(phase 21 $users)
check "on the new primary: $got of $users refreshed" test "$got" = $users
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
check "SIGTERM: exit status 0" test $rc = 0
[ $failed = 0 ]
