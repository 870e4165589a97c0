# SPDX-License-Identifier: GPL-2.0
# sipregd with the module: it pushes its users, the first REGISTER of a
# user reaches it as a miss (IPv4 and IPv6) and is answered from its UDP
# socket, the binding is installed so that the refresh is answered by the
# kernel without the daemon, and the database learns of that refresh
# through the events; a removal through the daemon leaves the kernel too.
# The kernel's 401s offer the daemon's algorithms in the daemon's order,
# at start and after a reload.
. /sipreg/selftests/vm/lib.sh

ua() { in_client sipreg-ua "$@"; }
nonce_of() { sed -n 's/.*nonce="\([^"]*\)".*/\1/p' | head -n 1; }
algs_of() { sed -n 's/^WWW-Authenticate: .*algorithm=\([^,]*\),.*/\1/p' | tr '\n' ' '; }
ALGS="MD5 SHA-256 "	# the kernel's 401s list the daemon's algorithms in its order
status_of() { head -n 1 | cut -d ' ' -f 2; }

module_load
fastpath_or_skip
sipregd_setup
echo pw | sd user add alice || fail "user add alice"
echo pw | sd user add bob || fail "user add bob"
# the daemon's default order (md5, sha256) replaces this one
gw_ctl config set algorithms sha256,md5 || fail "config set algorithms"
sipregd_start
trap 'sipregd_kill' EXIT
[ "$(sipregd_syncs)" = 1 ] || { sipregd_log; fail "no sync at start"; }
gw_ctl config show | grep -qx "algorithms md5,sha256" ||
	fail "challenge order not pushed: $(gw_ctl config show)"
gw_ctl user list | grep -q alice || fail "users not in the kernel: $(gw_ctl user list)"
gw_ctl user list | grep -q bob || fail "bob not in the kernel"
gw_ctl -j config | grep -q '"realm":"sipreg"' || fail "realm not pushed: $(gw_ctl -j config)"
# Users added or removed with the CLI reach the kernel through the daemon.
echo pw | sd user add carol || fail "user add carol"
carol_in() { gw_ctl user list | grep -q carol; }
wait_until 5 carol_in || fail "carol not pushed: $(gw_ctl user list)"
sd user del carol || fail "user del carol"
carol_out() { ! carol_in; }
wait_until 5 carol_out || fail "carol still in the kernel"
# ... and only through it: its database is the one authority for users
# (its pushes carry the claim), so the kernel refuses them around it.
ctl_refused 2 "belong to sipregd while it is attached" \
	user add mallory realm sipreg ha1 0123456789abcdef0123456789abcdef
ctl_refused 2 "belong to sipregd while it is attached" user del alice realm sipreg
gw_ctl user list | grep -q alice || fail "alice deleted around the daemon"

# register USER CLIENT GATEWAY CONTACT: 401 from the kernel, then the
# digest REGISTER, a miss answered 200 by the daemon. Sets N (the nonce).
register() {
	local u=$1 c=$2 g=$3 ct=$4 ch0 m0 r
	ch0=$(counter gateway challenges)
	r=$(ua -u $u -b $c -t $g -i call-$u -C "$ct" -e 600) || fail "$u: no 401"
	[ "$(echo "$r" | status_of)" = 401 ] || fail "$u: not a 401: $(echo "$r" | head -n 1)"
	counter_is gateway challenges $((ch0 + 1)) || fail "$u: the 401 was not the kernel's"
	[ "$(echo "$r" | algs_of)" = "$ALGS" ] ||
		fail "$u: challenges '$(echo "$r" | algs_of)', the daemon's are '$ALGS'"
	N=$(echo "$r" | nonce_of)
	m0=$(counter gateway miss.no_binding)
	r=$(ua -u $u -b $c -t $g -i call-$u -C "$ct" -e 600 -c 2 -B $u-2 \
		--nonce $N --password pw --nc 00000001) || { sipregd_log; fail "$u: no answer to the miss"; }
	echo "$r" | sed 's/^/#   /'
	[ "$(echo "$r" | status_of)" = 200 ] || fail "$u: $(echo "$r" | head -n 1)"
	echo "$r" | grep -F "Contact: <$ct>;expires=" | grep -Eq 'expires=(600|59[0-9])' ||
		fail "$u: contact list"
	counter_is gateway miss.no_binding $((m0 + 1)) || fail "$u: not a no_binding miss"
	gw_ctl binding list sip:$u@sipreg | grep -qF "contact $ct call-id call-$u cseq 2" ||
		fail "$u: not installed in the kernel: $(gw_ctl binding list)"
}

# refresh USER CLIENT GATEWAY CONTACT CSEQ NC: answered by the kernel.
refresh() {
	local u=$1 c=$2 g=$3 ct=$4 cseq=$5 nc=$6 rf0 m0 r
	rf0=$(counter gateway refreshes)
	m0=$(counter gateway miss_sent)
	r=$(ua -u $u -b $c -t $g -i call-$u -C "$ct" -e 3600 -c $cseq -B $u-$cseq \
		--nonce $N --password pw --nc $nc) || fail "$u: refresh not answered"
	[ "$(echo "$r" | status_of)" = 200 ] || fail "$u: refresh: $(echo "$r" | head -n 1)"
	counter_is gateway refreshes $((rf0 + 1)) || fail "$u: refresh not by the kernel"
	counter_is gateway miss_sent $m0 || fail "$u: the refresh went to the daemon"
}

db_has() { sd binding list "sip:$1@sipreg" -j | grep -q "$2"; }

register bob $CLIENT6 $GATEWAY6 "sip:bob@[$CLIENT6]:5061"
refresh bob $CLIENT6 $GATEWAY6 "sip:bob@[$CLIENT6]:5061" 3 00000002
register alice $CLIENT4 $GATEWAY4 "sip:alice@$CLIENT4:5061"
refresh alice $CLIENT4 $GATEWAY4 "sip:alice@$CLIENT4:5061" 3 00000002

# The database learns of the kernel's refreshes: CSeq 3, about an hour.
alice_moved() { db_has alice '"cseq":3,' && db_has alice '"expires":3[56][0-9][0-9],'; }
bob_moved() { db_has bob '"cseq":3,' && db_has bob '"expires":3[56][0-9][0-9],'; }
wait_until 5 alice_moved || fail "database: $(sd binding list -j)"
wait_until 5 bob_moved || fail "database: $(sd binding list -j)"

# Removal (Expires: 0) is a miss; the daemon takes the binding out of the
# kernel as well as out of the database.
r=$(ua -u alice -b $CLIENT4 -t $GATEWAY4 -i call-alice -C "sip:alice@$CLIENT4:5061" -e 0 \
	-c 4 -B alice-4 --nonce $N --password pw --nc 00000003)
[ "$(echo "$r" | status_of)" = 200 ] || fail "deregister: $(echo "$r" | head -n 1)"
gw_ctl binding list sip:alice@sipreg > /dev/null 2>&1 && fail "alice still in the kernel"
[ "$(sd binding list sip:alice@sipreg -j)" = "[]" ] || fail "alice still in the database"
sipregd_stats | sed 's/^/# /'
grep -q "misses 3 (.*no_binding 2.*deregister 1" $SIPREGD_DIR/log || fail "daemon's miss counts"

# algorithms = sha256, md5 (on SIGHUP): the kernel's 401s follow.
echo "algorithms = sha256, md5" >> $SIPREGD_DIR/sipregd.conf
kill -HUP $SIPREGD_PID
sha_first() { gw_ctl config show | grep -qx "algorithms sha256,md5"; }
wait_until 10 sha_first || { sipregd_log; fail "order not pushed on reload: $(gw_ctl config show)"; }
ALGS="SHA-256 MD5 "
echo pw | sd user add dave || fail "user add dave"
dave_in() { gw_ctl user list | grep -q dave; }
wait_until 5 dave_in || fail "dave not pushed: $(gw_ctl user list)"
register dave $CLIENT4 $GATEWAY4 "sip:dave@$CLIENT4:5061"
exit 0
