#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipregd-metrics.sh BUILD: the Prometheus endpoint (metrics_listen), on
# loopback, no module. Off by default; on, curl scrapes GET /metrics: the
# text is well formed (every sample under a TYPE line of its family, one
# family each, names and values as the format wants), the counters move
# when sipp registers users (requests, 2xx, challenges, group commits and
# their time), the module is reported absent (sipreg_kernel_up 0), and
# other paths and methods get 404 and 405. TAP on stdout.
set -u
build=${1:-build}
sipregd=${SIPREGD:-$build/bin/sipregd}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/helpers/tap.sh"
users=50

[ -x "$sipregd" ] || { echo "1..0 # SKIP $sipregd not built"; exit 0; }
echo "1..12"
for p in curl sipp; do
	command -v $p >/dev/null || { not_ok "$p missing (run 'make deps')"; exit 1; }
done
tmp=$(mktemp -d /tmp/sipregd-metrics.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

port=$(free_port)
mport=$(free_port)
while [ "$mport" = "$port" ]; do mport=$(free_port); done
conf=$tmp/sipregd.conf
cat > "$conf" <<EOC
realm = sipreg.test
listen = 127.0.0.1:$port
db = $tmp/sipreg.db
stats_file = $tmp/stats
challenge_rate = 0
EOC
"$top/selftests/sipp/users.sh" $users > "$tmp/users.txt"
"$top/selftests/sipp/users.sh" -sipp $users > "$tmp/users.csv"
"$sipregd" -c "$conf" user import "$tmp/users.txt" 2> /dev/null

start() { # extra flags
	"$sipregd" -c "$conf" "$@" > "$tmp/d.log" 2>&1 &
	pid=$!
	for i in $(seq 1 50); do
		[ -n "$(ss -Hlun "sport = :$port" 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	return 1
}
stop() { kill -TERM "$pid"; wait "$pid"; local rc=$?; pid=; return $rc; }

start
check "off by default: nothing listens on TCP" \
	test -z "$(ss -Hlnt "sport = :$mport" 2>/dev/null)" -a -z "$(ss -Hlntp 2>/dev/null | grep "pid=$pid,")"
stop

start --metrics_listen=127.0.0.1:$mport
url=http://127.0.0.1:$mport/metrics
scrape() { curl -sf --max-time 5 "$url" > "$1"; }
check "curl scrapes $url" scrape "$tmp/m1"

# The text format: names, a TYPE line before each family's samples,
# never twice, values numbers.
wellformed() {
	awk '
	/^# TYPE / {
		if ($3 in typed) { print "TYPE twice: " $3; bad = 1 }
		typed[$3] = 1; fam = $3; next }
	/^#/ { next }
	{
		name = $1; sub(/\{.*/, "", name)
		base = name; sub(/_(sum|count|bucket)$/, "", base)
		if (name !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/) { print "bad name: " $0; bad = 1 }
		if (!(name in typed) && !(base in typed)) { print "no TYPE: " $0; bad = 1 }
		if ($NF !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) { print "bad value: " $0; bad = 1 }
		n++
	}
	END { if (!n) { print "no samples"; bad = 1 } exit bad }' "$1"
}
check "the text is well formed ($(grep -vc '^#' "$tmp/m1") samples)" wellformed "$tmp/m1"
check "the module is absent here: sipreg_kernel_up 0" \
	grep -q '^sipreg_kernel_up{netns="[0-9]*"} 0$' "$tmp/m1"

val() { # FILE SAMPLE: its value, 0 if absent
	awk -v s="$2" '$1 == s { print $2; f = 1 } END { if (!f) print 0 }' "$1"
}
(cd "$tmp" && timeout 60 sipp -sf "$top/selftests/sipp/register-step.xml" \
	-inf users.csv -key cseq 1 -key cseq2 2 -key ct_host 192.0.2.9 \
	-key ct_port 5060 -m $users -r 100 -i 127.0.0.1 -auth_uri 127.0.0.1 \
	-nostdin -default_behaviors -bye "127.0.0.1:$port" > sipp.out 2>&1)
check "sipp registered $users users" grep -q "Successful call.*| *$users *$" "$tmp/sipp.out"
scrape "$tmp/m2"
moved() { # SAMPLE AT_LEAST: went up by at least that much
	local a b
	a=$(val "$tmp/m1" "$1"); b=$(val "$tmp/m2" "$1")
	awk -v a="$a" -v b="$b" -v n="$2" 'BEGIN { exit !(b - a >= n) }'
}
check "sipregd_registers_total moved by $((2 * users))" moved sipregd_registers_total $((2 * users))
check "sipregd_challenges_total moved by $users" moved sipregd_challenges_total $users
check "sipregd_responses_total{class=\"2xx\"} moved by $users" \
	moved 'sipregd_responses_total{class="2xx"}' $users
check "sipregd_db_commit_seconds: commits counted, their time too" \
	sh -c "[ \$(awk '\$1 == \"sipregd_db_commit_seconds_count\" { print \$2 }' $tmp/m2) -ge 1 ] &&
	       awk '\$1 == \"sipregd_db_commit_seconds_sum\" { exit !(\$2 > 0) }' $tmp/m2"
check "another path: 404" \
	test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/")" = 404
check "POST: 405" \
	test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url")" = 405
check "SIGTERM with the endpoint open: exit status 0" stop
[ $failed = 0 ]
