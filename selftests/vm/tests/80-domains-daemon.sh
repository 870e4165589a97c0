# SPDX-License-Identifier: GPL-2.0
# sipregd serving two domains with the module (issue 13 item 4): the
# daemon pushes its domains and the users of both realms; alice of
# a.example and alice of b.example (two users, two passwords) register
# through the daemon (the kernel's 401 carries each domain's realm, the
# digest REGISTER is a miss), their refreshes are answered by the
# kernel's fast path, each binding under its own domain's AOR; a
# REGISTER for a domain not served reaches the daemon as a miss
# (unknown_domain) and gets 404 from it. A SIGHUP without b.example
# takes it out of the kernel too, one that renames a.example (same
# realm) renames it there.
. /sipreg/selftests/vm/lib.sh

module_load
fastpath_or_skip
sipregd_setup "domain=a.example realm-a" "domain=b.example"
echo pa | sd user add alice domain a.example || fail "user add alice domain a.example"
echo pb | sd user add alice domain b.example || fail "user add alice domain b.example"
echo "alice;pa" > $SIPREGD_DIR/a.txt
echo "alice;pb" > $SIPREGD_DIR/b.txt
sipregd_start
trap 'sipregd_kill' EXIT
[ "$(sipregd_syncs)" = 1 ] || { sipregd_log; fail "no sync at start"; }

kdomains() { gw_ctl domain list 2>&1; }
kdomains | grep -q "a.example" && kdomains | grep -q "realm-a" &&
	kdomains | grep -q "b.example" || { sipregd_log; fail "domains not pushed: $(kdomains)"; }
gw_ctl user list | grep -q "realm-a" && gw_ctl user list | grep -q "b.example" ||
	fail "users of both realms not pushed: $(gw_ctl user list)"

# reg DOMAIN REALM FILE SECONDS: alice registers, then refreshes as fast
# as the load allows; every answer checked by sipreg-load.
reg() {
	in_client sipreg-load -t $GATEWAY4:5060 -b $CLIENT4 -D $1 --realm $2 \
		-f $3 -n 1 -d $4 --drain 300 -j > $SIPREGD_DIR/load.json 2>&1 ||
		{ cat $SIPREGD_DIR/load.json; sipregd_log; fail "$1: sipreg-load failed"; }
}

for d in a.example:realm-a:a b.example:b.example:b; do
	dom=${d%%:*}; realm=${d#*:}; realm=${realm%:*}; f=${d##*:}
	m0=$(counter gateway miss.no_binding)
	rf0=$(counter gateway refreshes)
	ms0=$(counter gateway miss_sent)
	reg $dom $realm $SIPREGD_DIR/$f.txt 3
	[ "$(counter gateway miss.no_binding)" -gt "$m0" ] ||
		fail "$dom: the first registration was not a miss to the daemon"
	rf=$(($(counter gateway refreshes) - rf0))
	ms=$(($(counter gateway miss_sent) - ms0))
	log "$dom: $rf refreshes by the kernel, $ms misses to the daemon"
	[ "$rf" -gt 0 ] || { sipregd_log; fail "$dom: no refresh by the kernel's fast path"; }
	gw_ctl binding list sip:alice@$dom | grep -q "contact sip:alice@" ||
		fail "$dom: binding not in the kernel: $(gw_ctl binding list)"
	sd binding list sip:alice@$dom | grep -q "sip:alice@$dom " ||
		fail "$dom: binding not in the database: $(sd binding list)"
done
[ "$(sd binding list | grep -c .)" = 2 ] || fail "bindings: $(sd binding list)"

# a.example's password in b.example: refused, nothing added
in_client sipreg-load -t $GATEWAY4:5060 -b $CLIENT4 -D b.example --realm b.example \
	-f $SIPREGD_DIR/a.txt -n 1 --once -d 2 --drain 300 > /dev/null 2>&1 &&
	fail "a.example's password registered in b.example"

# A domain not served: a miss (unknown_domain), and the daemon's 404.
cat > $SIPREGD_DIR/c.sip <<EOF
REGISTER sip:c.example SIP/2.0
Via: SIP/2.0/UDP $CLIENT4:5070;branch=z9hG4bK-c1;rport
Max-Forwards: 70
From: <sip:alice@c.example>;tag=c1
To: <sip:alice@c.example>
Call-ID: c-1
CSeq: 1 REGISTER
Contact: <sip:alice@$CLIENT4:5070>
Content-Length: 0

EOF
sed -i 's/$/\r/' $SIPREGD_DIR/c.sip
u0=$(counter gateway miss.unknown_domain)
r=$(sip_ua -b $CLIENT4 -t $GATEWAY4 -p 5070 --message $SIPREGD_DIR/c.sip) ||
	fail "c.example: no answer"
echo "$r" | head -n 1 | grep -q "^SIP/2.0 404 Not Found (domain not served here)" ||
	fail "c.example: $(echo "$r" | head -n 1)"
counter_is gateway miss.unknown_domain $((u0 + 1)) ||
	fail "c.example: not an unknown_domain miss ($(counter gateway miss.unknown_domain))"

# SIGHUP without b.example: gone from the kernel, its REGISTERs get 404.
sed -i "/^domain = b.example/d" $SIPREGD_DIR/sipregd.conf
kill -HUP $SIPREGD_PID
b_gone() { ! kdomains | grep -q "b.example"; }
wait_until 10 b_gone || { sipregd_log; fail "b.example still in the kernel: $(kdomains)"; }
sed -i 's/c\.example/b.example/g; s/c-1/c-2/; s/c1/c2/g' $SIPREGD_DIR/c.sip
r=$(sip_ua -b $CLIENT4 -t $GATEWAY4 -p 5070 --message $SIPREGD_DIR/c.sip) ||
	fail "b.example after reload: no answer"
echo "$r" | head -n 1 | grep -q "^SIP/2.0 404 Not Found (domain not served here)" ||
	fail "b.example after reload: $(echo "$r" | head -n 1)"
# a renamed domain keeps its realm: the old name goes first, or the
# kernel would refuse the realm as another domain's
sed -i "s/^domain = a.example realm-a/domain = a2.example realm-a/" $SIPREGD_DIR/sipregd.conf
kill -HUP $SIPREGD_PID
renamed() { kdomains | grep -q "a2.example realm realm-a" && ! kdomains | grep -q "domain a.example"; }
wait_until 10 renamed || { sipregd_log; fail "a.example not renamed a2.example: $(kdomains)"; }
gw_ctl user list | grep -q "realm-a" || fail "realm-a's users gone: $(gw_ctl user list)"
sipregd_stats | sed 's/^/# /'
grep -q "kernel: DOMAIN_ADD" $SIPREGD_DIR/log && { sipregd_log; fail "a DOMAIN_ADD failed"; }
exit 0
