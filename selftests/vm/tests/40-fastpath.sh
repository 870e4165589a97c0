# SPDX-License-Identifier: GPL-2.0
# The kernel answers, with no daemon running: the cached-challenge 401
# (checked field by field, MD5 first by default, then in the order of
# 'config set algorithms'), authenticated refreshes (200 with the contact
# list, binding moved), stale nonces (401 stale=true), and every request
# that must not take the fast path is a miss with its reason. IPv4 and IPv6.
. /sipreg/selftests/vm/lib.sh

AOR=sip:alice@sipreg

ua() { in_client sipreg-ua "$@"; }
nonce_of() { sed -n 's/.*nonce="\([^"]*\)".*/\1/p' | head -n 1; }
status_of() { head -n 1 | cut -d ' ' -f 2; }

# expect_miss REASON ARGS...: the request is not answered (no daemon, no
# listener) and miss.REASON grows by one.
expect_miss() {
	local reason=$1 before after
	shift
	before=$(counter gateway miss.$reason)
	r=$(ua "$@" --timeout 300)
	[ -z "$r" ] || fail "$reason: answered: $(echo "$r" | head -n 1)"
	after=$(counter gateway miss.$reason)
	[ "$after" = $((before + 1)) ] || fail "$reason: miss.$reason $before -> $after"
}

module_load
gateway_on
echo pw | in_gateway sipregctl user add alice realm sipreg || fail "user add"
in_client ip addr add 192.0.2.3/24 dev veth-c
in_client ip addr add 2001:db8::3/64 dev veth-c nodad

for fam in 4 6; do
	if [ $fam = 4 ]; then C=$CLIENT4 G=$GATEWAY4 OTHER=192.0.2.3
	else C=$CLIENT6 G=$GATEWAY6 OTHER=2001:db8::3; fi
	CT="sip:alice@$C:5061"
	[ $fam = 6 ] && CT="sip:alice@[$C]:5061"
	CID=call-v$fam
	log "IPv$fam"
	in_gateway sipregctl binding del $AOR 2>/dev/null
	in_gateway sipregctl binding add $AOR contact "$CT" call-id $CID cseq 1 expires 600 ||
		fail "binding add"

	# 1. the challenge, field by field
	ch0=$(counter gateway challenges)
	r=$(ua -b $C -t $G -i $CID -C "$CT") || fail "no 401"
	echo "$r" | sed 's/^/#   /'
	[ "$(echo "$r" | status_of)" = 401 ] || fail "not a 401"
	echo "$r" | grep -q "^Via: SIP/2.0/UDP .*;branch=z9hG4bK-1;rport=5061;received=$C" ||
		fail "Via without rport/received"
	echo "$r" | grep -q '^To: <sip:alice@sipreg>;tag=' || fail "To without tag"
	echo "$r" | grep -q "^Call-ID: $CID" || fail "Call-ID"
	echo "$r" | grep -q '^CSeq: 1 REGISTER' || fail "CSeq"
	echo "$r" | grep -q '^From: <sip:alice@sipreg>;tag=f' || fail "From"
	[ "$(echo "$r" | grep -c '^WWW-Authenticate: Digest realm="sipreg", nonce="')" = 2 ] ||
		fail "not two challenges"
	# MD5 first by default: sipp and many phones read only the first
	echo "$r" | grep '^WWW-Authenticate' | head -n 1 | grep -q 'algorithm=MD5, qop="auth"' ||
		fail "MD5 not first"
	echo "$r" | grep '^WWW-Authenticate' | tail -n 1 | grep -q 'algorithm=SHA-256, qop="auth"' ||
		fail "no SHA-256 challenge"
	echo "$r" | grep -q '^Content-Length: 0' || fail "Content-Length"
	tag1=$(echo "$r" | sed -n 's/^To: .*;tag=\(.*\)/\1/p' | tr -d '\r')
	r=$(ua -b $C -t $G -i $CID -C "$CT")
	tag2=$(echo "$r" | sed -n 's/^To: .*;tag=\(.*\)/\1/p' | tr -d '\r')
	[ -n "$tag1" ] && [ "$tag1" = "$tag2" ] || fail "To tag differs on retransmission"
	counter_is gateway challenges $((ch0 + 2)) || fail "challenges counter"
	N=$(echo "$r" | nonce_of)

	# 2. five refreshes from the kernel, MD5 and SHA-256
	rf0=$(counter gateway refreshes)
	for i in 1 2 3 4 5; do
		alg=MD5
		[ $i -gt 3 ] && alg=SHA-256
		r=$(ua -b $C -t $G -i $CID -C "$CT" -c $((i + 1)) -B z9hG4bK-r$i \
			--nonce $N --password pw --algorithm $alg --nc 0000000$i) ||
			fail "refresh $i: no answer"
		[ "$(echo "$r" | status_of)" = 200 ] || fail "refresh $i: $(echo "$r" | head -n 1)"
	done
	echo "$r" | sed 's/^/#   /'
	echo "$r" | grep -F "Contact: <$CT>;expires=" | grep -q 'expires=3[56][0-9][0-9]' ||
		fail "contact list"
	echo "$r" | grep -q '^Date: ' || fail "no Date"
	counter_is gateway refreshes $((rf0 + 5)) || fail "refreshes counter"
	in_gateway sipregctl -j binding list $AOR | grep -q '"cseq":6' ||
		fail "binding not moved: $(in_gateway sipregctl -j binding list $AOR)"
	# A retransmission of the last one gets the same answer again.
	r=$(ua -b $C -t $G -i $CID -C "$CT" -c 6 -B z9hG4bK-r5 --nonce $N \
		--password pw --algorithm SHA-256 --nc 00000005)
	[ "$(echo "$r" | status_of)" = 200 ] || fail "retransmission not answered"
	[ "$(counter gateway retransmissions)" -ge 1 ] || fail "retransmission not counted"
	# A newer nonce (a phone after stale=true, or challenged again at
	# once: nonces are dated to the microsecond) starts its counts again
	# at 1.
	N1=$N
	N=$(ua -b $C -t $G -i $CID -C "$CT" -B z9hG4bK-n2 | nonce_of)
	[ "$N" != "$N1" ] || fail "the same nonce for a second challenge"
	r=$(ua -b $C -t $G -i $CID -C "$CT" -c 7 -B z9hG4bK-r7 --nonce $N \
		--password pw --nc 00000001)
	[ "$(echo "$r" | status_of)" = 200 ] || fail "new nonce at nc=1: $(echo "$r" | head -n 1)"

	# 3. never a fast-path 200
	A="-b $C -t $G -i $CID -C $CT --nonce $N"
	expect_miss bad_digest $A -c 10 -B b1 --password wrong --nc 00000010
	expect_miss unknown_user $A -c 10 -B b2 -u bob --password pw --nc 00000011
	NO=$(ua -b $OTHER -t $G -i x -C "$CT" | nonce_of)
	expect_miss bad_nonce -b $C -t $G -i $CID -C "$CT" --nonce $NO -c 10 -B b3 --password pw --nc 00000012
	# one MAC digit changed (time 1-8, microseconds 9-13, key 14, MAC 15-30)
	d=$(echo $N | cut -c 20)
	[ "$d" = 0 ] && d=1 || d=0
	FORGED=$(echo $N | cut -c 1-19)$d$(echo $N | cut -c 21-)
	expect_miss bad_nonce -b $C -t $G -i $CID -C "$CT" --nonce $FORGED -c 10 -B b4 --password pw --nc 00000013
	expect_miss nc_replay $A -c 10 -B b5 --password pw --nc 00000001
	# the older nonce, whatever its count: the digest does not cover CSeq
	expect_miss nc_replay -b $C -t $G -i $CID -C "$CT" --nonce $N1 -c 11 -B b5o --password pw --nc 00000099
	expect_miss cseq_not_higher $A -c 3 -B b6 --password pw --nc 00000020
	expect_miss call_id_changed -b $C -t $G -i other-call -C "$CT" --nonce $N -c 10 -B b7 --password pw --nc 00000021
	expect_miss new_contact $A -C "sip:alice@example.net" -c 10 -B b8 --password pw --nc 00000022
	expect_miss deregister $A -e 0 -c 10 -B b9 --password pw --nc 00000023
	expect_miss expiry_out_of_bounds $A -e 30 -c 10 -B b10 --password pw --nc 00000024
	expect_miss require $A -x "Require: foo" -c 10 -B b11 --password pw --nc 00000025
done

# 4. an expired nonce with a right answer: 401 stale=true
in_gateway sipregctl config set nonce-lifetime 1 || fail "config set"
N=$(ua -b $CLIENT4 -t $GATEWAY4 -i call-v4 -C sip:alice@$CLIENT4:5061 | nonce_of)
sleep 3
r=$(ua -b $CLIENT4 -t $GATEWAY4 -i call-v4 -C sip:alice@$CLIENT4:5061 -c 50 -B s1 \
	--nonce $N --password pw --nc 00000001)
echo "$r" | sed 's/^/#   /'
[ "$(echo "$r" | status_of)" = 401 ] || fail "stale: not a 401"
[ "$(echo "$r" | grep -c 'stale=true')" = 2 ] || fail "stale: no stale=true"
counter_is gateway stale_challenges 1 || fail "stale_challenges counter"
algs_of() { sed -n 's/^WWW-Authenticate: .*algorithm=\([^,]*\),.*/\1/p' | tr '\n' ' '; }
[ "$(echo "$r" | algs_of)" = "MD5 SHA-256 " ] || fail "stale: order $(echo "$r" | algs_of)"

# 5. the challenges in the order the admin lists the algorithms
order() {
	in_gateway sipregctl config set algorithms $1 || fail "config set algorithms $1"
	in_gateway sipregctl config show | grep -qx "algorithms $1" ||
		fail "config show after $1: $(in_gateway sipregctl config show)"
	in_gateway sipregctl -j config show | grep -q "\"algorithms\":\"$1\"" ||
		fail "JSON after $1: $(in_gateway sipregctl -j config show)"
	r=$(ua -b $CLIENT4 -t $GATEWAY4 -i call-order-$(echo $1 | tr , -) -C sip:alice@$CLIENT4:5061)
	[ "$(echo "$r" | algs_of)" = "$2" ] ||
		fail "algorithms $1: challenges '$(echo "$r" | algs_of)', expected '$2'"
}
order sha256,md5 "SHA-256 MD5 "
order md5,sha256 "MD5 SHA-256 "
order sha256 "SHA-256 "
order md5 "MD5 "
exit 0
