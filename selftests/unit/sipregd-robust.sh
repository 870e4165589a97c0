#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-robust.sh BUILD: sipregd on loopback (no module) where review
# found it weak (issue 13, item 8):
# - a "user import" that holds the database's write lock (its input a
#   FIFO kept open) must not stall the daemon: an authenticated REGISTER
#   gets 503 with Retry-After at once, OPTIONS and signals are served,
#   and once the import commits the REGISTER gets its 200;
# - a failing poll() or receive-buffer allocation exits non-zero, saying
#   why (failinject.so, LD_PRELOAD), so that systemd restarts it;
# - names from argv, the configuration and import files are checked:
#   a clear error naming the field, a non-zero exit.
# TAP on stdout.
set -u
build=${1:-build}
bin=$build/bin
sipregd=${SIPREGD:-$bin/sipregd}
ua=$bin/sipreg-ua
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
realm=sipreg.test

for p in "$sipregd" "$ua"; do
	[ -x "$p" ] || { echo "1..0 # SKIP $p not built"; exit 0; }
done
command -v cc >/dev/null || { echo "1..0 # SKIP no C compiler"; exit 0; }

tmp=$(mktemp -d /tmp/sipregd-robust.XXXXXX)
daemon_pid=
import_pid=
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$import_pid" ] && kill "$import_pid" 2>/dev/null
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port) || { echo "1..0 # SKIP no free UDP port"; exit 0; }
cc -shared -fPIC -O2 -o "$tmp/failinject.so" "$top/selftests/helpers/failinject.c" ||
	{ echo "1..0 # SKIP cannot build failinject.so"; exit 0; }
conf=$tmp/sipregd.conf
cat > "$conf" <<EOF
realm = $realm
listen = 127.0.0.1:$port
db = $tmp/sipreg.db
log_level = info
EOF
sd() { "$sipregd" -c "$conf" "$@"; }

start_daemon() { # LOG [env...]: 0 once it listens
	local log=$1 i
	shift
	env "$@" "$sipregd" -c "$conf" > "$log" 2>&1 &
	daemon_pid=$!
	for i in $(seq 1 50); do
		grep -q "serving realm" "$log" && return 0
		kill -0 "$daemon_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# exit_status LOG ENV...: the daemon's exit status when started so.
exit_status() {
	local log=$1
	shift
	env "$@" timeout 10 "$sipregd" -c "$conf" > "$log" 2>&1
	echo $?
}

# uareg ARGS...: one REGISTER of alice from 127.0.0.1, its answer on stdout.
uareg() {
	"$ua" -b 127.0.0.1 -t 127.0.0.1 --dport "$port" -u alice -r $realm "$@"
}

nonce_of() { sed -n 's/.*nonce="\([0-9a-f]*\)".*/\1/p' | head -n 1; }

echo "1..16"
echo "alice;secret" | sd user import - > /dev/null 2>&1 ||
	{ echo "Bail out! user import"; exit 1; }

# ---- 8g: failures of the loop exit non-zero ----
rc=$(exit_status "$tmp/poll.log" LD_PRELOAD="$tmp/failinject.so" SIPREG_FAIL=poll)
check "poll() failing: exit status $rc (not 0)" test "$rc" != 0 -a "$rc" != 124
check "poll() failing: the log says why" grep -q "poll: .*exiting" "$tmp/poll.log"
rc=$(exit_status "$tmp/malloc.log" LD_PRELOAD="$tmp/failinject.so" SIPREG_FAIL=malloc=65536)
check "receive buffer not allocated: exit status $rc (not 0)" \
	test "$rc" != 0 -a "$rc" != 124
check "receive buffer not allocated: the log says why" \
	grep -q "out of memory" "$tmp/malloc.log"

# ---- 8a: a locked store is answered 503, the loop goes on ----
if ! start_daemon "$tmp/d.log"; then
	diag "$tmp/d.log"
	echo "Bail out! sipregd did not start"
	exit 1
fi
mkfifo "$tmp/import.fifo"
sd user import "$tmp/import.fifo" > "$tmp/import.log" 2>&1 &
import_pid=$!
exec 3> "$tmp/import.fifo"
echo "bob;secret" >&3
# the import holds the write lock once it has read its first line
for i in $(seq 1 50); do
	grep -q "^bob" <(sd user list 2>/dev/null) && break
	sleep 0.1
done
nonce=$(uareg -c 1 -i lock-1 --timeout 2000 | nonce_of)
check "a challenge while the import holds the lock" test -n "$nonce"
t0=$(date +%s%N)
out=$(uareg -c 2 -i lock-1 --nonce "$nonce" --password secret --nc 00000001 \
	--timeout 2000)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "$out" | head -n 1 | sed 's/^/# /'
check "REGISTER while the store is locked: 503 in $ms ms" \
	grep -q "^SIP/2.0 503 " <<< "$out"
check "the 503 has Retry-After" grep -q "^Retry-After: [0-9]" <<< "$out"
printf 'OPTIONS sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKopt1\r\nFrom: <sip:alice@%s>;tag=1\r\nTo: <sip:%s>\r\nCall-ID: opt-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' \
	$realm $realm $realm > "$tmp/options.sip"
check "OPTIONS answered 200 while the store is locked" \
	grep -q "^SIP/2.0 200 " <("$ua" -b 127.0.0.1 -t 127.0.0.1 --dport "$port" \
		--message "$tmp/options.sip" --timeout 2000)
before=$(grep -c "stats:" "$tmp/d.log")
kill -USR1 "$daemon_pid"
for i in $(seq 1 20); do
	[ "$(grep -c "stats:" "$tmp/d.log")" -gt "$before" ] && break
	sleep 0.1
done
check "SIGUSR1 served while the store is locked, store busy counted" \
	grep -q "stats:.* store busy 1 " "$tmp/d.log"
exec 3>&-
wait "$import_pid"
rc=$?
import_pid=
check "the import commits once its input ends (exit $rc)" test "$rc" = 0
check "REGISTER after the import: 200" grep -q "^SIP/2.0 200 " \
	<(uareg -c 3 -i lock-1 --nonce "$nonce" --password secret \
		--nc 00000002 --timeout 2000)
kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
check "SIGTERM: exit status 0" test "$rc" = 0

# ---- 8b: names from argv, the configuration and files ----
long=$(printf 'r%.0s' $(seq 1 300))
out=$(sd user import "$tmp/users.txt" realm "$long" 2>&1)
rc=$?
check "user import FILE realm <300 characters>: exit $rc, names the realm" \
	test $rc = 1 -a -n "$(grep 'realm "r.*too long' <<< "$out")"
out=$("$sipregd" -c "$conf" --realm='ex"ample' user list 2>&1)
rc=$?
check "--realm with a quote: exit $rc, names the flag and the key" \
	test $rc = 1 -a -n "$(grep 'flag --realm: realm = .*not allowed' <<< "$out")"
{ echo "carol;secret"; printf 'dave;%02000d\n' 0; } > "$tmp/long.txt"
out=$(sd user import "$tmp/long.txt" 2>&1)
rc=$?
check "import line too long: exit $rc, names file and line, nothing imported" \
	test $rc = 2 -a -n "$(grep "long.txt:2: line longer" <<< "$out")" \
	-a -z "$(sd user list | grep carol)"
printf 'eve\tx;secret\n' > "$tmp/tab.txt"
out=$(sd user import "$tmp/tab.txt" 2>&1)
rc=$?
check "import user with a TAB: exit $rc, names file, line and user" \
	test $rc = 2 -a -n "$(grep 'tab.txt:1: user "eve.*not allowed' <<< "$out")"
[ $failed = 0 ]
