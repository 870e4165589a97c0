#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-standalone.sh BUILD: sipregd on its own (no module), on loopback,
# driven by sipp with digest authentication. 1000 users register over
# IPv4, refresh over IPv6 (same Call-ID, higher CSeq, same binding),
# unregister with "Contact: *"; the database is checked after each phase.
# Then a second run is killed with SIGKILL in the middle of the load and
# restarted: every binding that was answered 200 must still be there.
# TAP on stdout. SIPREGD=path runs another build of the daemon (ASan);
# SIPREG_TEST_DB=URI another store (store-postgres.sh: PostgreSQL).
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
sippdir=$top/selftests/sipp
users=1000
rate=500
realm=sipreg.test

if ! command -v sipp >/dev/null; then
	echo "1..0 # SKIP sipp not installed"
	exit 0
fi
if [ ! -x "$sipregd" ]; then
	echo "1..0 # SKIP $sipregd not built"
	exit 0
fi

tmp=$(mktemp -d /tmp/sipregd-test.XXXXXX)
daemon_pid=
sipp_pid=
cleanup() {
	[ -n "$sipp_pid" ] && kill -9 "$sipp_pid" 2>/dev/null
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port) || { echo "1..0 # SKIP no free UDP port"; exit 0; }
db=${SIPREG_TEST_DB:-$tmp/sipreg.db}
conf=$tmp/sipregd.conf
cat > "$conf" <<EOF
# sipregd-standalone.sh
realm = $realm
listen = 127.0.0.1:$port [::1]:$port
db = $db
log_level = info
max_contacts = 10
# one address sending 500 registrations a second is a load test, not a
# phone: no per-source 401 limit (challenge_rate). The algorithms are
# the default ones, in the default order: sipp answers only the first
# challenge, and only with MD5.
challenge_rate = 0
EOF
sd() { "$sipregd" -c "$conf" "$@"; }

start_daemon() { # $1 log
	"$sipregd" -c "$conf" > "$1" 2>&1 &
	daemon_pid=$!
	local i
	for i in $(seq 1 50); do
		[ "$(ss -Hlun "sport = :$port" 2>/dev/null | wc -l)" -ge 2 ] && return 0
		kill -0 "$daemon_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

stop_daemon() { # SIGTERM, waits; exit status 0 wanted
	local rc
	kill -TERM "$daemon_pid"
	wait "$daemon_pid"
	rc=$?
	daemon_pid=
	return $rc
}

bindings() { sd binding list -j | grep -o '"aor":' | wc -l; }

# sipp_phase SCENARIO CSEQ FAMILY [extra sipp args]: successful calls.
sipp_phase() {
	local sc=$1 cseq=$2 fam=$3 local remote auri
	shift 3
	# -auth_uri: the digest uri is then the Request-URI (sip:[remote_ip]),
	# as the kernel's fast path wants (RFC 2617 3.2.2.5)
	if [ "$fam" = 6 ]; then local=::1; remote="[::1]:$port"; auri='[::1]'
	else local=127.0.0.1; remote="127.0.0.1:$port"; auri=127.0.0.1; fi
	(cd "$tmp" && timeout 60 sipp -sf "$sippdir/$sc.xml" -inf users.csv \
		-key cseq "$cseq" -key cseq2 $((cseq + 1)) \
		-key ct_host 192.0.2.99 -key ct_port 5060 \
		-cid_str 'reg-%u@sipreg.test' -m $users -r $rate \
		-i $local -auth_uri "$auri" -nostdin -buff_size 4194304 \
		-default_behaviors -bye -trace_err "$@" "$remote" > sipp.out 2>&1)
	awk '/Successful call/ { print $NF }' "$tmp/sipp.out" | tail -n 1
}

echo "1..18"
start=$SECONDS
"$top/selftests/sipp/users.sh" $users > "$tmp/users.txt"
"$top/selftests/sipp/users.sh" -sipp $users > "$tmp/users.csv"

check "user import of $users users" sd user import "$tmp/users.txt"
check "user list shows $users users" \
	test "$(sd user list -j | grep -o '"user":' | wc -l)" = $users
if start_daemon "$tmp/d1.log"; then
	ok "sipregd listens on 127.0.0.1:$port and [::1]:$port"
else
	not_ok "sipregd listens on 127.0.0.1:$port and [::1]:$port"
	diag "$tmp/d1.log"
	exit 1
fi

t=$SECONDS
got=$(sipp_phase register-step 1 4)
check "register over IPv4: $got of $users answered 200 ($((SECONDS - t)) s)" \
	test "$got" = $users
check "database: $users bindings after register" test "$(bindings)" = $users

t=$SECONDS
got=$(sipp_phase register-step 3 6)
check "refresh over IPv6: $got of $users answered 200 ($((SECONDS - t)) s)" \
	test "$got" = $users
check "database: still $users bindings, every one at CSeq 4" \
	test "$(sd binding list | grep -c ' cseq=4 ')" = $users

t=$SECONDS
got=$(sipp_phase unregister-step 5 4)
check "unregister (Contact: *) over IPv4: $got of $users answered 200 ($((SECONDS - t)) s)" \
	test "$got" = $users
check "database: no binding left" test "$(bindings)" = 0

# A reload: what changed is logged.
sed -i 's/^max_contacts = 10/max_contacts = 5/' "$conf"
kill -HUP "$daemon_pid"
for i in $(seq 1 20); do
	grep -q "reload: max_contacts 10 -> 5" "$tmp/d1.log" && break
	sleep 0.1
done
check "SIGHUP reloads the configuration and logs the change" \
	grep -q "reload: max_contacts 10 -> 5" "$tmp/d1.log"
check "SIGTERM: clean shutdown, exit status 0" stop_daemon
check "no 5xx and nothing dropped in the first run" \
	grep -q "5xx 0 dropped 0 " "$tmp/d1.log"
grep "stats:" "$tmp/d1.log" | sed 's/^/# /'

# Second run: SIGKILL in the middle of the registrations.
start_daemon "$tmp/d2.log" || { diag "$tmp/d2.log"; exit 1; }
(cd "$tmp" && exec timeout 60 sipp -sf "$sippdir/register-step.xml" \
	-inf users.csv -key cseq 11 -key cseq2 12 \
	-key ct_host 192.0.2.99 -key ct_port 5060 \
	-cid_str 'reg-%u@sipreg.test' -m $users -r $rate -i 127.0.0.1 \
	-auth_uri 127.0.0.1 -nostdin -buff_size 4194304 -default_behaviors -bye \
	-recv_timeout 1000 -trace_msg -message_file crash-msgs.log \
	"127.0.0.1:$port" > crash.out 2>&1) &
sipp_pid=$!
for i in $(seq 1 100); do
	[ "$(bindings)" -ge $((users / 4)) ] && break
	sleep 0.05
done
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
daemon_pid=
wait "$sipp_pid"
sipp_pid=
# the users whose REGISTER was answered 200 before the kill
awk '/^SIP\/2.0 200/ { ok = 1 }
     ok && /^To:/ { sub(/.*<sip:/, ""); sub(/@.*/, ""); print; ok = 0 }' \
	"$tmp/crash-msgs.log" | sort -u > "$tmp/acked"
acked=$(wc -l < "$tmp/acked")
check "killed mid-load: $acked of $users had their 200" \
	test "$acked" -gt 0 -a "$acked" -lt $users
check "sipp's digest uri is the Request-URI (-auth_uri), as the fast path wants" \
	test -z "$(grep -o 'uri="[^"]*"' "$tmp/crash-msgs.log" | grep -v '^uri="sip:127.0.0.1"$')"
start_daemon "$tmp/d3.log" || { diag "$tmp/d3.log"; exit 1; }
sd binding list | awk '{ print $1 }' | sed 's/^sip://; s/@.*//' | sort -u \
	> "$tmp/present"
missing=$(comm -23 "$tmp/acked" "$tmp/present" | wc -l)
check "after restart: all $acked acknowledged bindings present ($missing missing, $(wc -l < "$tmp/present") in the database)" \
	test "$missing" = 0
got=$(sipp_phase unregister-step 21 4)
check "restarted daemon serves: $got of $users unregistered" test "$got" = $users
check "database: no binding left after the second run" test "$(bindings)" = 0
check "SIGTERM after the restart: exit status 0" stop_daemon
echo "# $((SECONDS - start)) s"
[ $failed = 0 ]
