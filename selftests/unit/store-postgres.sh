#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# store-postgres.sh BUILD: sipregd on PostgreSQL (db = postgresql://...),
# against a scratch server this test starts from Debian's packages
# (selftests/helpers/pg.sh) and stops. On loopback, no module:
#  - store.h's contract (store_test) on PostgreSQL;
#  - sipregd-standalone.sh on it: register, refresh, unregister 1000
#    users with sipp, and a daemon killed with SIGKILL mid-load keeps
#    every registration it answered 200;
#  - the server restarted under load: sipregd stays up, answers 503 with
#    Retry-After while the database is away, never a 200 for what it did
#    not store, and serves every user again once it is back.
# TAP on stdout. A machine without postgresql-15 fails here: `make deps`
# installs it (a skip would hide a missing dependency).
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
. "$top/selftests/helpers/pg.sh"
sippdir=$top/selftests/sipp
users=600
rate=150
realm=sipreg.test

if [ ! -x "$sipregd" ] || [ ! -x "$build/unit/store_test" ]; then
	echo "1..0 # SKIP $sipregd or $build/unit/store_test not built"
	exit 0
fi

tmp=$(mktemp -d /tmp/store-postgres.XXXXXX)
chmod 0755 "$tmp"
daemon_pid=
sipp_pid=
cleanup() {
	[ -n "$sipp_pid" ] && kill -9 "$sipp_pid" 2>/dev/null
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	pg_stop
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

echo "1..12"
if ! why=$(pg_available); then
	not_ok "a PostgreSQL server to test with: $why (run 'make deps')"
	exit 1
fi
if pg_start "$tmp/pg" 2> "$tmp/pg-start.log"; then
	ok "scratch PostgreSQL server started ($PG_BIN)"
else
	not_ok "scratch PostgreSQL server started"
	diag "$tmp/pg-start.log"
	exit 1
fi

# A database per part: each starts empty.
uri=$(pg_newdb contract)
if SIPREG_TEST_PG=$uri "$build/unit/store_test" > "$tmp/store_test.log" 2>&1; then
	ok "store.h contract on PostgreSQL ($(grep -c '^ok' "$tmp/store_test.log") checks)"
else
	not_ok "store.h contract on PostgreSQL"
	grep -E '^not ok|Expected|store_test.c' "$tmp/store_test.log" | sed 's/^/# /' | tail -n 20
fi

uri=$(pg_newdb standalone)
if SIPREG_TEST_DB=$uri SIPREGD=$sipregd \
	"$top/selftests/unit/sipregd-standalone.sh" "$build" > "$tmp/standalone.log" 2>&1; then
	ok "sipregd-standalone.sh on PostgreSQL ($(grep -c '^ok' "$tmp/standalone.log") checks)"
else
	not_ok "sipregd-standalone.sh on PostgreSQL"
	grep -E '^not ok|^#' "$tmp/standalone.log" | sed 's/^/# /' | tail -n 20
fi

# ---- the database restarted under load ----
uri=$(pg_newdb faults)
port=$(free_port) || { not_ok "a free port"; exit 1; }
conf=$tmp/faults.conf
cat > "$conf" <<EOC
realm = $realm
listen = 127.0.0.1:$port
db = $uri
log_level = info
challenge_rate = 0
EOC
sd() { "$sipregd" -c "$conf" "$@"; }
"$top/selftests/sipp/users.sh" $users > "$tmp/users.txt"
"$top/selftests/sipp/users.sh" -sipp $users > "$tmp/users.csv"
check "user import of $users users into PostgreSQL" sd user import "$tmp/users.txt"

"$sipregd" -c "$conf" > "$tmp/d.log" 2>&1 &
daemon_pid=$!
for i in $(seq 1 50); do
	[ -n "$(ss -Hlun "sport = :$port" 2>/dev/null)" ] && break
	sleep 0.1
done

sipp_run() { # CSEQ OUT [sipp args]: registers every user once
	local cseq=$1 out=$2
	shift 2
	(cd "$tmp" && exec timeout 60 sipp -sf "$sippdir/register-step.xml" \
		-inf users.csv -key cseq "$cseq" -key cseq2 $((cseq + 1)) \
		-key ct_host 192.0.2.99 -key ct_port 5060 \
		-cid_str 'reg-%u@sipreg.test' -m $users -r $rate -i 127.0.0.1 \
		-auth_uri 127.0.0.1 -nostdin -buff_size 4194304 \
		-default_behaviors -bye -recv_timeout 2000 "$@" \
		"127.0.0.1:$port" > "$out" 2>&1)
}
# The restart lands in the middle of a 4 s load: some registrations are
# answered before, some while the server is away, the rest after.
sipp_run 1 "$tmp/load.out" -trace_msg -message_file load-msgs.log &
sipp_pid=$!
sleep 1.5
pg_restart immediate
restarted=$?
wait "$sipp_pid"
sipp_pid=
check "the database restarted under load (stopped with pg_ctl -m immediate, a crash, and started)" test $restarted = 0
check "sipregd is still running after the restart" kill -0 "$daemon_pid"
n503=$(grep -c '^SIP/2.0 503' "$tmp/load-msgs.log")
nra=$(awk '/^SIP\/2.0 503/ { s = 1 } s && /^Retry-After: [0-9]+/ { r++; s = 0 }
	/^$/ { s = 0 } END { print r + 0 }' "$tmp/load-msgs.log")
check "while it was away: $n503 registrations answered 503, $nra of them with Retry-After" \
	test "$n503" -gt 0 -a "$nra" = "$n503"
awk '/^SIP\/2.0 200/ { ok = 1 }
     ok && /^To:/ { sub(/.*<sip:/, ""); sub(/@.*/, ""); print; ok = 0 }' \
	"$tmp/load-msgs.log" | sort -u > "$tmp/acked"
sd binding list | awk '{ print $1 }' | sed 's/^sip://; s/@.*//' | sort -u > "$tmp/present"
missing=$(comm -23 "$tmp/acked" "$tmp/present" | wc -l)
check "every 200 was stored: $(wc -l < "$tmp/acked") answered 200, $missing of them missing from the database" \
	test "$missing" = 0 -a -s "$tmp/acked"

# sipregd reconnects at its next use of the database after a backoff
# of at most 5 s: one registration at a time until one gets its 200.
ok1() { sipp_run 3 "$tmp/probe.out" -m 1 &&
	grep -q "Successful call.*| *1 *$" "$tmp/probe.out"; }
t=$SECONDS
until ok1 || [ $((SECONDS - t)) -gt 30 ]; do sleep 0.5; done
check "sipregd reconnected within $((SECONDS - t)) s of the load's end" \
	test $((SECONDS - t)) -le 30
sipp_run 5 "$tmp/after.out"
got=$(awk '/Successful call/ { print $NF }' "$tmp/after.out" | tail -n 1)
check "after the restart: $got of $users registered" test "$got" = $users
check "the database holds all $users bindings" \
	test "$(sd binding list | wc -l)" = $users
kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
check "SIGTERM: clean shutdown, exit status 0" test $rc = 0
grep -E "store busy|database" "$tmp/d.log" | sort | uniq -c | sort -rn | head -n 5 | sed 's/^/# /'
[ $failed = 0 ]
