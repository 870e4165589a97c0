#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# loadgen-smoke.sh BUILD: sipreg-load against the reference Kamailio on
# loopback, briefly and at a modest rate: every response right, every user
# registered, the 401 path over IPv6, and a small storm (every phone at
# once, each until it holds a binding). TAP; skips when kamailio is missing.
set -u
build=${1:?usage: $0 BUILD}
load=$build/bin/sipreg-load
kam=$(cd "$(dirname "$0")/../bench/kamailio" && pwd)/run.sh
users=200
n=0 rc=0 pid="" dir=""

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n $1"; rc=1; }
skip_all() {
	local t
	for t in "kamailio started" "register: no wrong response, a 200 per user" \
		 "challenge over IPv6: no wrong response" \
		 "storm: every phone holds a binding, no wrong response"; do
		n=$((n + 1)); echo "ok $n $t # SKIP $1"
	done
	exit 0
}
cleanup() {
	[ -n "$pid" ] && "$kam" stop "$pid"
	[ -n "$dir" ] && rm -rf "$dir"
}
trap cleanup EXIT

# A figure from sipreg-load's JSON: json KEY FILE (first match, digits only).
json() { grep -o "\"$1\":[0-9.]*" "$2" | head -n 1 | cut -d: -f2; }

echo "1..4"
command -v kamailio >/dev/null || skip_all "kamailio not installed"
command -v perl >/dev/null && command -v sqlite3 >/dev/null ||
	skip_all "perl or sqlite3 missing (setup-db.sh)"
[ -x "$load" ] || { not_ok "kamailio started # no $load"; exit 1; }
dir=$(mktemp -d /tmp/loadgen-smoke.XXXXXX)

for try in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 40000))
	pid=$("$kam" start -p $port -n $users -w 2 -b 127.0.0.1 -b ::1 \
		-d "$dir/kam" -m 64 2>"$dir/start.err") && break
	pid=""
done
if [ -z "$pid" ]; then
	not_ok "kamailio started"
	sed 's/^/# /' "$dir/start.err"
	exit 1
fi
ok "kamailio started (pid $pid, port $port)"

"$load" -t 127.0.0.1:$port -n $users -T 2 -r 2000 -d 5 --realm sipreg.test \
	--show-wrong 3 -j >"$dir/register.json" 2>"$dir/register.err"
code=$?
wrong=$(grep -o '"wrong":{"total":[0-9]*' "$dir/register.json" | grep -o '[0-9]*$')
users_ok=$(json users_ok "$dir/register.json")
if [ $code = 0 ] && [ "${wrong:-x}" = 0 ] && [ "${users_ok:-0}" = $users ]; then
	ok "register: no wrong response, a 200 per user ($(grep -o '"total":{"sent":[0-9]*,"per_s":[0-9]*' "$dir/register.json" | grep -o '[0-9]*$') req/s)"
else
	not_ok "register: exit $code, wrong ${wrong:-?}, users with a 200 ${users_ok:-?} of $users"
	sed 's/^/# /' "$dir/register.json" "$dir/register.err"
fi

"$load" -t "[::1]:$port" -m challenge -n $users -r 2000 -d 3 --realm sipreg.test \
	--show-wrong 3 -j >"$dir/challenge.json" 2>"$dir/challenge.err"
code=$?
wrong=$(grep -o '"wrong":{"total":[0-9]*' "$dir/challenge.json" | grep -o '[0-9]*$')
okc=$(grep -o '"challenge":{[^}]*' "$dir/challenge.json" | grep -o '"ok":[0-9]*' | cut -d: -f2)
if [ $code = 0 ] && [ "${wrong:-x}" = 0 ] && [ "${okc:-0}" -gt 0 ]; then
	ok "challenge over IPv6: no wrong response ($okc 401s)"
else
	not_ok "challenge over IPv6: exit $code, wrong ${wrong:-?}, 401s ${okc:-?}"
	sed 's/^/# /' "$dir/challenge.json" "$dir/challenge.err"
fi
# Every phone at once: the end comes when the last holds its binding.
"$load" -t 127.0.0.1:$port -m storm -n $users -T 2 -d 120 --realm sipreg.test \
	--show-wrong 3 -j >"$dir/storm.json" 2>"$dir/storm.err"
code=$?
storm=$(grep -o '"storm":{[^}]*' "$dir/storm.json")
if [ $code = 0 ] && [ "$(json registered <(echo "$storm"))" = $users ] &&
   [ "$(json wrong <(echo "$storm"))" = 0 ]; then
	ok "storm: every phone holds a binding, no wrong response (all after $(json all_registered_s <(echo "$storm")) s)"
else
	not_ok "storm: exit $code, $storm"
	sed 's/^/# /' "$dir/storm.json" "$dir/storm.err"
fi
exit $rc
