#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a newcomer's first commands do (TAP): `make` alone builds the module
# and the programs (not a fragment's first target), and `make deps` on
# anything but Debian 12 amd64 says so and installs nothing.
cd "$(dirname "$0")/../.." || exit 1
build=$1
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
echo "TAP version 13"
echo "1..3"

goal=$(make -qp BUILD="$build" 2>/dev/null | sed -n 's/^\.DEFAULT_GOAL := //p' | tail -n 1)
deps=$(make -qp BUILD="$build" 2>/dev/null | sed -n 's/^all: *//p' | tail -n 1)
if [ "$goal" = all ] && echo "$deps" | grep -qw module && echo "$deps" | grep -qw userspace; then
	ok "make alone builds the module and the programs"
else
	nok "make alone builds the module and the programs (default goal '$goal': $deps)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'ID=ubuntu\nVERSION_ID="24.04"\n' > "$tmp/os-release"
out=$(SIPREG_OS_RELEASE=$tmp/os-release BUILD=$tmp/build selftests/deps.sh 2>&1)
rc=$?
if [ $rc != 0 ] && echo "$out" | grep -q "needs Debian 12" && [ ! -e "$tmp/build" ]; then
	ok "make deps refuses another system before touching anything"
else
	echo "$out" | sed 's/^/# /'
	nok "make deps refuses another system (exit $rc)"
fi
printf 'ID=debian\nVERSION_ID="11"\n' > "$tmp/os-release"
if ! SIPREG_OS_RELEASE=$tmp/os-release BUILD=$tmp/build selftests/deps.sh > /dev/null 2>&1; then
	ok "make deps refuses Debian 11"
else
	nok "make deps refuses Debian 11"
fi
exit $failed
