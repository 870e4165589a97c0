# SPDX-License-Identifier: GPL-2.0
#
# tap.sh: sourced by the shell tests of selftests/unit that run sipregd on
# loopback. TAP lines with a running count, and a free port.
#   ok TEXT / not_ok TEXT    one TAP line; $failed counts the second kind
#   check TEXT CMD...        ok or not_ok by CMD's status
#   diag FILE...             the last 20 lines of FILE as TAP comments
#   free_port                a port P with P and P+1 free for UDP and TCP
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
diag() { sed 's/^/# /' "$@" | tail -n 20; }

# From a random start, so that tests run at once rarely collide.
free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$((20000 + RANDOM % 20000))
		if [ -z "$(ss -Hlntu "( sport = :$p or sport = :$((p + 1)) )" 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
