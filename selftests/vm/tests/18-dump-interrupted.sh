# SPDX-License-Identifier: GPL-2.0
# A dump that the table changes under (NLM_F_DUMP_INTR) is redone, up to
# five times, and a table that never stops changing is reported as such:
# "sipregctl binding list" during a bulk insert either prints a whole
# table or exits 2 saying that the table kept changing. (Each try used to
# resend the request under its first sequence number, which libnl refused
# as a "sequence number mismatch" from the second try on.) After the
# insert, a dump shows every binding.
. /sipreg/selftests/vm/lib.sh

BASE=200 MORE=20000
module_load
gw_ctl config set max-bindings 30000 || fail "config set max-bindings"
in_gateway sipreg-bench-bulk bindings $BASE 1 || fail "bulk $BASE bindings"

# One request per send (@AT): an insert that goes on while dumps run.
in_gateway sipreg-bench-bulk bindings $MORE 100001 @$(( $(cut -d. -f1 /proc/uptime) + 3600 )) &
BULK=$!
whole=0 changing=0 n=0
while kill -0 $BULK 2>/dev/null && [ $n -lt 100 ]; do
	out=$(gw_ctl binding list 2>&1)
	rc=$?
	n=$((n + 1))
	if [ $rc = 0 ]; then
		got=$(echo "$out" | grep -c '^sip')
		[ "$got" -ge $BASE ] ||
			fail "dump $n: $got bindings, fewer than the $BASE there before"
		whole=$((whole + 1))
	elif [ $rc = 2 ] && echo "$out" | grep -q "kept changing during the dump"; then
		changing=$((changing + 1))
	else
		fail "dump $n during the insert: exit $rc: $(echo "$out" | tail -n 2)"
	fi
done
wait $BULK || fail "bulk $MORE bindings"
log "$n dumps during the insert: $whole whole, $changing gave up"
[ $changing -gt 0 ] || log "no dump gave up: the retries were not shown"
[ "$(kernel_bindings)" = $((BASE + MORE)) ] ||
	fail "after the insert: $(kernel_bindings) bindings, want $((BASE + MORE))"
exit 0
