#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sipreg-parse.sh BUILD: exit status (0 every message a REGISTER, 1 one is
# not, 2 usage or I/O error), error messages and JSON output of
# BUILD/bin/sipreg-parse, as TAP. Run from the top of the tree.
set -u
build=${1:-build}
bin=$build/bin/sipreg-parse
vec=selftests/data/vectors
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 rc=0

echo "1..14"
result() {	# result STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		rc=1
	fi
}
status() {	# status WANT CMD...: CMD exits WANT
	local want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	[ $? = "$want" ]
}
json_ok() {	# the file is one valid JSON document
	if command -v jq >/dev/null; then
		jq -e . "$1" >/dev/null 2>&1
	else
		python3 -m json.tool "$1" >/dev/null 2>&1
	fi
}

if [ ! -x "$bin" ]; then
	for i in $(seq 14); do echo "not ok $i - no $bin"; done
	exit 1
fi

status 0 "$bin" "$vec/register-initial.sip"
result $? "a REGISTER exits 0"
grep -q '^  verdict: ok$' "$tmp/out"
result $? "text output says verdict ok"
status 0 "$bin" "$vec/register-initial.sip" "$vec/register-authorized.sip"
result $? "two REGISTERs exit 0"
status 1 "$bin" "$vec/response-401.sip"
result $? "a response exits 1"
status 1 "$bin" "$vec/register-initial.sip" "$vec/response-401.sip"
result $? "one non-REGISTER among several exits 1"
status 2 "$bin" "$tmp/does-not-exist.sip"
result $? "a missing file exits 2"
grep -q "does-not-exist.sip" "$tmp/err"
result $? "the I/O error names the file"
status 2 "$bin" "$vec/response-401.sip" "$tmp/does-not-exist.sip"
result $? "an I/O error wins over a non-REGISTER"
status 2 "$bin" -Z
result $? "an unknown option exits 2"
"$bin" <"$vec/register-authorized.sip" >"$tmp/out" 2>&1
result $? "stdin is read when there is no FILE"
"$bin" -j "$vec/register-authorized.sip" "$vec/response-401.sip" >"$tmp/out"
[ $? = 1 ] && json_ok "$tmp/out"
result $? "-j prints valid JSON"
if command -v jq >/dev/null; then
	[ "$(jq -r '.[0].authorization.username + " " + .[1].verdict' "$tmp/out")" = "test13 response" ]
	result $? "-j has the fields and verdicts"
else
	echo "ok $((n += 1)) - -j has the fields and verdicts # SKIP no jq"
fi
printf 'REGISTER sip:a SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=1\r\nFrom: "q\\"\\\\ \001\377\303\251" <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n' >"$tmp/odd.sip"
"$bin" -j "$tmp/odd.sip" >"$tmp/out"
[ $? = 1 ] && json_ok "$tmp/out"
result $? "-j escapes quotes, backslashes, control and non-UTF-8 bytes"
"$bin" "$tmp/odd.sip" >"$tmp/out"
grep -q 'verdict: bad_from' "$tmp/out" && grep -q 'error_line: 3' "$tmp/out"
result $? "text output gives the verdict and the line (a CTL in a quoted string)"
exit $rc
