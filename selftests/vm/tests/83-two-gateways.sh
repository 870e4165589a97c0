# SPDX-License-Identifier: GPL-2.0
# Two gateways, one PostgreSQL database (issue 15): namespaces "gateway"
# (192.0.2.2) and "gateway2" (192.0.2.3), each with the module and its
# own sipregd, both with db = postgresql://..., the server running in the
# VM. The client reaches both from the same address, as a phone does
# when it fails over. Checked:
#  - USERS phones register, half through each gateway; each gateway's
#    kernel gets the other's bindings too (LISTEN/NOTIFY);
#  - every phone then refreshes through the other gateway, and every one
#    of those refreshes is answered by a kernel (no miss at all);
#  - both kernels and the database agree on every binding's CSeq;
#  - a nonce issued by one gateway is valid at the other: the daemon
#    takes it (one miss), then the other kernel does;
#  - while the database is down, the kernels keep answering refreshes,
#    and those refreshes reach the database once it is back;
#  - a user added at one gateway, an unregistration at the other, reach
#    both kernels; one sipregd killed with SIGKILL loses nothing, and
#    catches up once started again.
# USERS=1000 for the long version (the default is a short one).
. /sipreg/selftests/vm/lib.sh

[ -f /etc/sipreg-pg ] || skip "no PostgreSQL in this VM image (make deps installs postgresql-15)"
# PostgreSQL needs a System V shared memory segment; the debug kernel
# (allnoconfig based) is built without CONFIG_SYSVIPC.
[ -e /proc/sysvipc/shm ] || skip "no System V IPC in this kernel: PostgreSQL cannot run"
. /etc/sipreg-pg
USERS=${USERS:-40}
HALF=$((USERS / 2))
GATEWAY2_4=192.0.2.3
PGURI="postgresql://sipreg@/postgres?host=/tmp/pg"
PGPID=
A=/tmp/gwA B=/tmp/gwB
APID= BPID=

in_gateway2() { ip netns exec gateway2 "$@"; }
ctl() { local ns=$1; shift; ip netns exec $ns sipregctl "$@"; }

gateway2_up() {
	ip netns add gateway2 || fail "netns gateway2"
	ip link add veth-c2 netns client type veth peer name veth-g2 netns gateway2 ||
		fail "veth-c2"
	in_gateway2 ip link set lo up
	in_gateway2 ip link set veth-g2 up
	in_client ip link set veth-c2 up
	in_gateway2 ip addr add $GATEWAY2_4/32 dev veth-g2
	in_gateway2 ip route add $CLIENT4/32 dev veth-g2
	in_client ip route add $GATEWAY2_4/32 dev veth-c2 src $CLIENT4
}

pg_up() {
	mkdir -p /tmp/pg && chown $PG_UID:$PG_GID /tmp/pg
	sipreg-nobody -u $PG_UID -g $PG_GID $PG_BIN/postgres -D /var/lib/sipreg-pg \
		>> /tmp/pg/server.log 2>&1 &
	PGPID=$!
	_pg_ready() { [ -S /tmp/pg/.s.PGSQL.5432 ]; }
	wait_until 120 _pg_ready || { tail -n 20 /tmp/pg/server.log | sed 's/^/# pg: /'; fail "PostgreSQL did not start"; }
}
pg_down() { # SIGNAL: INT (fast shutdown)
	[ -n "$PGPID" ] || return 0
	kill -${1:-INT} $PGPID 2>/dev/null
	wait $PGPID 2>/dev/null
	PGPID=
}

gw_setup() { # DIR
	rm -rf $1 && mkdir -p $1
	cat > $1/sipregd.conf <<EOC
realm = sipreg
listen = 0.0.0.0:5060
db = $PGURI
db_sync = normal
log_level = info
challenge_rate = 0
challenge_rate_global = 0
stats_file = $1/stats
EOC
}
gw_start() { # NS DIR: sets GWPID once it serves and synced
	GWDIR=$2
	GWSYNCS=$(grep -c "kernel: in sync" $2/log 2>/dev/null)
	/sbin/ip netns exec $1 sipregd -c $2/sipregd.conf >> $2/log 2>&1 &
	GWPID=$!
	_synced() { [ "$(grep -c "kernel: in sync" $GWDIR/log)" -gt "${GWSYNCS:-0}" ]; }
	wait_until 120 _synced || { sed 's/^/# sipregd: /' $2/log | tail -n 20; fail "$1: sipregd did not sync"; }
}
cleanup() {
	[ -n "$APID" ] && kill $APID 2>/dev/null && wait $APID 2>/dev/null
	[ -n "$BPID" ] && kill $BPID 2>/dev/null && wait $BPID 2>/dev/null
	pg_down
	ip netns del gateway2 2>/dev/null
}
trap cleanup EXIT
db() { sipregd -c $A/sipregd.conf "$@"; }

# "AOR CONTACT CSEQ" lines, sorted: a namespace's kernel, the database.
kcseqs() {
	ctl $1 binding list | awk '/^sip/ { aor = $1 }
		$1 == "contact" { for (i = 1; i < NF; i++) if ($i == "cseq") c = $(i + 1);
				  print aor, $2, c }' | sort
}
dbcseqs() {
	db binding list | awk '{ c = ""; for (i = 1; i <= NF; i++) if ($i ~ /^cseq=/) c = substr($i, 6);
		ct = $2; gsub(/[<>]/, "", ct); print $1, ct, c }' | sort
}
bound() { [ "$(ctl $1 binding list | grep -c '^sip')" = $2 ]; }
agree() {
	dbcseqs > /tmp/db.cs; kcseqs gateway > /tmp/a.cs; kcseqs gateway2 > /tmp/b.cs
	[ -s /tmp/db.cs ] && cmp -s /tmp/db.cs /tmp/a.cs && cmp -s /tmp/db.cs /tmp/b.cs
}

module_load
fastpath_or_skip
gateway2_up
pg_up
gw_setup $A
gw_setup $B
$SIPP_DIR/users.sh $USERS > $A/users.txt
db user import $A/users.txt 2> /dev/null || fail "user import into PostgreSQL"
echo pw | db user add alice || fail "user add alice"
gw_start gateway $A; APID=$GWPID
gw_start gateway2 $B; BPID=$GWPID
log "PostgreSQL up, two gateways in sync ($USERS users)"

# The phones: user0001.. through gateway, the second half through gateway2.
$SIPP_DIR/users.sh -sipp $USERS > /tmp/all.csv
{ echo SEQUENTIAL; sed -n "2,$((HALF + 1))p" /tmp/all.csv; } > /tmp/a.csv
{ echo SEQUENTIAL; sed -n "$((HALF + 2)),\$p" /tmp/all.csv; } > /tmp/b.csv
reg() { # CSV GATEWAY_ADDR AUTHS CSEQ DOMAIN-OF-CALL-IDS
	sipp_client -sf $SIPP_DIR/register-refresh.xml -inf $1 -m $HALF \
		-set auths $3 -base_cseq $4 -cid_str "reg-%u@$5" -key dom sipreg \
		-auth_uri sipreg -key ct_host $CLIENT4 -key ct_port 5062 \
		-i $CLIENT4 -p 5062 -buff_size 4194304 $2:5060 &&
	[ "$(sipp_calls Successful)" = $HALF ] && [ "$(sipp_calls Failed)" = 0 ]
}
reg /tmp/a.csv $GATEWAY4 1 1 a || fail "registrations through gateway: $(sipp_calls Successful) of $HALF"
reg /tmp/b.csv $GATEWAY2_4 1 1 b || fail "registrations through gateway2: $(sipp_calls Successful) of $HALF"
wait_until 30 bound gateway $USERS ||
	fail "gateway's kernel has $(ctl gateway binding list | grep -c '^sip') of $USERS AORs"
wait_until 30 bound gateway2 $USERS ||
	fail "gateway2's kernel has $(ctl gateway2 binding list | grep -c '^sip') of $USERS AORs"
log "each kernel holds all $USERS bindings, half of them made by the other gateway"

# Every phone refreshes through the other gateway: all by that kernel.
AUTHS=3
ra=$(counter gateway refreshes); rb=$(counter gateway2 refreshes)
ma=$(counter gateway miss_sent); mb=$(counter gateway2 miss_sent)
reg /tmp/a.csv $GATEWAY2_4 $AUTHS 3 a || fail "gateway's phones refreshing at gateway2: $(sipp_calls Successful) of $HALF"
reg /tmp/b.csv $GATEWAY4 $AUTHS 3 b || fail "gateway2's phones refreshing at gateway: $(sipp_calls Successful) of $HALF"
da=$(( $(counter gateway refreshes) - ra )); db_=$(( $(counter gateway2 refreshes) - rb ))
[ $db_ -ge $((HALF * AUTHS)) ] && [ $da -ge $((HALF * AUTHS)) ] ||
	fail "refreshes answered by the kernels: gateway2 $db_, gateway $da, of $((HALF * AUTHS)) each"
[ "$(counter gateway miss_sent)" = $ma ] && [ "$(counter gateway2 miss_sent)" = $mb ] ||
	fail "misses during the refreshes: gateway $ma -> $(counter gateway miss_sent), gateway2 $mb -> $(counter gateway2 miss_sent)"
log "refreshes through the other gateway: $db_ and $da answered by the kernels, no miss"
wait_until 30 agree || {
	diff /tmp/db.cs /tmp/a.cs | head -n 5 | sed 's/^/# db-vs-gateway: /'
	diff /tmp/db.cs /tmp/b.cs | head -n 5 | sed 's/^/# db-vs-gateway2: /'
	fail "the kernels and the database disagree"
}
log "both kernels and the database agree on $(wc -l < /tmp/db.cs) bindings"

# A nonce issued by gateway is valid at gateway2.
ct="sip:alice@$CLIENT4:5064"
ua() { in_client sipreg-ua -u alice -b $CLIENT4 -i call-alice -C "$ct" -e 600 -p 5064 "$@"; }
r=$(ua -t $GATEWAY4) || fail "alice: no 401 from gateway"
N=$(echo "$r" | nonce_of)
r=$(ua -t $GATEWAY4 -c 2 -B al-2 --nonce $N --password pw --nc 00000001) || fail "alice: no answer"
[ "$(echo "$r" | status_of)" = 200 ] || fail "alice at gateway: $(echo "$r" | head -n 1)"
alice_at_b() { ctl gateway2 binding list sip:alice@sipreg | grep -q "call-id call-alice cseq 2"; }
wait_until 10 alice_at_b || fail "alice's binding did not reach gateway2's kernel"
mb=$(counter gateway2 miss_sent); rb=$(counter gateway2 refreshes)
r=$(ua -t $GATEWAY2_4 -c 3 -B al-3 --nonce $N --password pw --nc 00000002) || fail "alice at gateway2: no answer"
[ "$(echo "$r" | status_of)" = 200 ] || fail "gateway's nonce at gateway2: $(echo "$r" | head -n 1)"
[ "$(counter gateway2 miss_sent)" = $((mb + 1)) ] || fail "the first refresh at gateway2 was not its one miss"
r=$(ua -t $GATEWAY2_4 -c 4 -B al-4 --nonce $N --password pw --nc 00000003) || fail "alice at gateway2: no answer"
[ "$(echo "$r" | status_of)" = 200 ] || fail "second refresh at gateway2: $(echo "$r" | head -n 1)"
[ "$(counter gateway2 refreshes)" = $((rb + 1)) ] && [ "$(counter gateway2 miss_sent)" = $((mb + 1)) ] ||
	fail "gateway2's kernel did not answer the second refresh on gateway's nonce"
log "gateway's nonce: taken by gateway2's daemon (one miss), then by its kernel"

# The database down: the kernels answer refreshes; they are stored later.
# Every event fails alike meanwhile: one line in the log, not one each.
pg_down INT
rb=$(counter gateway2 refreshes)
nerr=$(grep -c "event not stored" $B/log)
for cs in 5 6; do
	r=$(ua -t $GATEWAY2_4 -c $cs -B al-$cs --nonce $N --password pw --nc 0000000$((cs - 1))) ||
		fail "refresh $cs with the database down: no answer"
	[ "$(echo "$r" | status_of)" = 200 ] || fail "refresh $cs with the database down: $(echo "$r" | head -n 1)"
done
[ "$(counter gateway2 refreshes)" = $((rb + 2)) ] || fail "with the database down, the kernel did not answer"
failed_once() { [ "$(grep -c "event not stored" $B/log)" = $((nerr + 1)) ]; }
wait_until 10 failed_once || fail "events not stored: $(($(grep -c "event not stored" $B/log) - nerr)) lines in the log, not 1"
pg_up
alice_cseq6() { dbcseqs | grep -q "^sip:alice@sipreg .* 6$"; }
wait_until 60 alice_cseq6 || { sed 's/^/# gateway2: /' $B/log | tail -n 15; fail "the refreshes made while the database was down never reached it"; }
caught_up() { grep -q "the store has the kernel's bindings again ([1-9][0-9]* events were not stored" $B/log; }
wait_until 10 caught_up || { grep "kernel:" $B/log | tail -n 5 | sed 's/^/# gateway2: /'; fail "no line says the store caught up"; }
failed_once || fail "more than one line for the events of one outage"
log "database down: refreshes answered by the kernel, one line in the log, stored after the restart"
kill -0 $APID && kill -0 $BPID || fail "a sipregd died"

# A user added with gateway's sipregd reaches gateway2's kernel too.
echo pw | sipregd -c $A/sipregd.conf user add carol || fail "user add carol"
carol_at_b() { ctl gateway2 user list | grep -q carol; }
wait_until 10 carol_at_b || fail "carol did not reach gateway2's kernel"
# An unregistration at gateway2 leaves gateway's kernel too.
r=$(ua -t $GATEWAY2_4 -c 7 -B al-7 -e 0 --nonce $N --password pw --nc 00000006) ||
	fail "alice's unregistration: no answer"
[ "$(echo "$r" | status_of)" = 200 ] || fail "alice's unregistration: $(echo "$r" | head -n 1)"
alice_gone_at_a() { ! ctl gateway binding list | grep -q "^sip:alice@sipreg"; }
wait_until 10 alice_gone_at_a || fail "alice's binding is still in gateway's kernel"
log "a user added at one gateway and an unregistration at the other reach both kernels"

# gateway's sipregd killed: nothing it or gateway2 acknowledged is lost,
# and started again it catches up with what gateway2 did meanwhile.
kill -KILL $APID; wait $APID 2>/dev/null; APID=
reg /tmp/b.csv $GATEWAY2_4 1 11 b || fail "gateway2's phones while gateway's sipregd is down"
gw_start gateway $A; APID=$GWPID
wait_until 30 agree || fail "after gateway's sipregd restarted, the kernels and the database disagree"
log "gateway's sipregd killed and restarted: $(wc -l < /tmp/db.cs) bindings, all three agree"
exit 0
