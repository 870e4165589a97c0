# SPDX-License-Identifier: GPL-2.0
# Several domains (issue 13 item 4), no daemon: with domains configured
# the fast path serves the Request-URI's domain (case-insensitive, port
# ignored) with its realm: its own 401, its users, AORs
# sip:USER@DOMAIN; the same user name in two domains is two users; a
# Request-URI naming no domain is a miss (unknown_domain); with no domain
# left everything is as before. Then ownership: while a daemon holds the
# claim, user and domain writes without it are refused with the reason.
. /sipreg/selftests/vm/lib.sh

C=$CLIENT4
G=$GATEWAY4
ua() { in_client sipreg-ua -b $C -t $G "$@"; }

# expect_miss REASON ARGS...: no answer, and miss.REASON grows by one.
expect_miss() {
	local reason=$1 before after r
	shift
	before=$(counter gateway miss.$reason)
	r=$(ua "$@" --timeout 300)
	[ -z "$r" ] || fail "$reason: answered: $(echo "$r" | head -n 1)"
	after=$(counter gateway miss.$reason)
	[ "$after" = $((before + 1)) ] || fail "$reason: miss.$reason $before -> $after"
}

# challenge DOMAIN REALM CALL-ID: a 401 naming REALM only; its nonce in $N.
challenge() {
	local r
	r=$(ua --domain $1 -r $2 -i $3 -C "sip:alice@$C:5061") || fail "$1: no 401"
	[ "$(echo "$r" | status_of)" = 401 ] || fail "$1: $(echo "$r" | head -n 1)"
	[ "$(echo "$r" | grep -c "^WWW-Authenticate: Digest realm=\"$2\", nonce=")" = 2 ] ||
		fail "$1: the 401 does not name realm $2 twice: $(echo "$r" | grep WWW)"
	echo "$r" | grep -q '^WWW-Authenticate: Digest realm="[^"]*' || fail "$1: no challenge"
	[ "$(echo "$r" | grep '^WWW-Authenticate' | grep -vc "realm=\"$2\"")" = 0 ] ||
		fail "$1: a challenge for another realm"
	N=$(echo "$r" | nonce_of)
}

module_load
gateway_on

# 0. No domains: any Request-URI host, the configured realm.
r=$(ua -i c0) || fail "no 401 without domains"
echo "$r" | grep -q '^WWW-Authenticate: Digest realm="sipreg"' || fail "no domains: $r"
gw_ctl domain list | grep -q . && fail "domains at start: $(gw_ctl domain list)"

# 1. Two domains with realms of their own; names are kept lowercase.
gw_ctl domain add A.Example realm realm-a || fail "domain add a"
gw_ctl domain add b.example realm realm-b || fail "domain add b"
gw_ctl domain add c.example || fail "domain add c (realm = name)"
gw_ctl domain list | grep -qx "domain a.example realm realm-a" ||
	fail "domain list: $(gw_ctl domain list)"
gw_ctl domain list | grep -qx "domain c.example realm c.example" ||
	fail "default realm: $(gw_ctl domain list)"
json_ok gw_ctl -j domain list
gw_ctl -j domain list | grep -q '"domain":"b.example","realm":"realm-b"' ||
	fail "domain list -j: $(gw_ctl -j domain list)"
ctl_refused 2 "realm already belongs to another domain" domain add d.example realm realm-a
ctl_refused 1 "not a host name" domain add bad_name.example
ctl_refused 2 "no such domain" domain del nowhere.example
gw_ctl domain add C.EXAMPLE realm realm-c || fail "domain add c again (upsert)"
gw_ctl domain list | grep -qx "domain c.example realm realm-c" ||
	fail "upsert: $(gw_ctl domain list)"
[ "$(gw_ctl domain list | grep -c .)" = 3 ] || fail "upsert added: $(gw_ctl domain list)"

# 2. alice in both domains, other passwords; bob in b only.
echo pwa | gw_ctl user add alice realm realm-a || fail "user add alice a"
echo pwb | gw_ctl user add alice realm realm-b || fail "user add alice b"
echo pwbob | gw_ctl user add bob realm realm-b || fail "user add bob b"
gw_ctl binding add sip:alice@a.example contact "sip:alice@$C:5061" call-id ca cseq 1 \
	expires 600 || fail "binding add a"
gw_ctl binding add sip:alice@b.example contact "sip:alice@$C:5061" call-id cb cseq 1 \
	expires 600 || fail "binding add b"

# 3. Each domain: its 401, then a refresh answered by the kernel on the
# AOR sip:alice@DOMAIN. Host case and port do not matter.
for d in a b; do
	host=$d.example
	[ $d = a ] && host=A.EXAMPLE:5060
	challenge $host realm-$d c$d
	rf0=$(counter gateway refreshes)
	r=$(ua --domain $host -r realm-$d -i c$d -C "sip:alice@$C:5061" -c 2 -B z9hG4bK-r$d \
		--nonce $N --password pw$d --nc 00000001) || fail "$d: no answer to the refresh"
	[ "$(echo "$r" | status_of)" = 200 ] || fail "$d: refresh: $(echo "$r" | head -n 1)"
	counter_is gateway refreshes $((rf0 + 1)) || fail "$d: the 200 was not the kernel's"
	gw_ctl binding list sip:alice@$d.example | grep -qF "call-id c$d cseq 2" ||
		fail "$d: binding not moved: $(gw_ctl binding list)"
done
# The other domain's binding did not move.
gw_ctl binding list sip:alice@a.example | grep -qF "call-id ca cseq 2" || fail "a moved"

# 4. The same name in two domains is two users: a's password is wrong in b.
challenge b.example realm-b cb
expect_miss bad_digest --domain b.example -r realm-b -i cb -C "sip:alice@$C:5061" -c 3 \
	-B z9hG4bK-x1 --nonce $N --password pwa --nc 00000002
# bob exists in b only.
challenge a.example realm-a cbob
expect_miss unknown_user --domain a.example -r realm-a -u bob -i cbob -C "sip:bob@$C:5061" \
	-c 2 -B z9hG4bK-x2 --nonce $N --password pwbob --nc 00000001
# b's realm in a's domain.
expect_miss unknown_realm --domain a.example -r realm-b -i ca -C "sip:alice@$C:5061" -c 3 \
	-B z9hG4bK-x3 --nonce $N --password pwb --nc 00000002

# 5. A Request-URI naming no domain: a miss, challenge or not.
expect_miss unknown_domain --domain d.example -r realm-a -i cd
expect_miss unknown_domain -i c0
expect_miss unknown_domain --domain a.example.org -r realm-a -i cd

# 6. Other algorithms: every domain's challenge is built again.
gw_ctl config set algorithms sha256 || fail "config set algorithms sha256"
r=$(ua --domain b.example -r realm-b -i cb2) || fail "no 401 after the algorithms changed"
[ "$(echo "$r" | grep -c '^WWW-Authenticate: Digest realm="realm-b".*algorithm=SHA-256')" = 1 ] &&
	[ "$(echo "$r" | grep -c '^WWW-Authenticate')" = 1 ] ||
	fail "domain challenge not rebuilt: $(echo "$r" | grep WWW)"
gw_ctl config set algorithms md5,sha256 || fail "config set algorithms back"
challenge b.example realm-b cb3

# 7. domain del (any case): that domain is gone, the other stays.
gw_ctl domain del B.Example || fail "domain del b"
gw_ctl domain list | grep -q b.example && fail "b still listed: $(gw_ctl domain list)"
expect_miss unknown_domain --domain b.example -r realm-b -i cb4
challenge a.example realm-a ca5

# 8. No domain left: as before.
gw_ctl domain flush || fail "domain flush"
[ -z "$(gw_ctl domain list)" ] || fail "domains after flush: $(gw_ctl domain list)"
r=$(ua -i c9) || fail "no 401 after the flush"
echo "$r" | grep -q '^WWW-Authenticate: Digest realm="sipreg"' || fail "after flush: $r"

# 9. Ownership: while a daemon holds the claim, users and domains are its.
/sbin/ip netns exec gateway sipregctl daemon claim hold > /tmp/hold.out 2>&1 &
holder=$!
held() { grep -q "miss channel claimed" /tmp/hold.out; }
wait_until 5 held || fail "holder did not claim: $(cat /tmp/hold.out)"
msg="belong to sipregd while it is attached"
ctl_refused 2 "$msg" user add carol realm sipreg ha1 0123456789abcdef0123456789abcdef
ctl_refused 2 "$msg" user del alice realm realm-a
ctl_refused 2 "$msg" user flush
ctl_refused 2 "$msg" domain add e.example
ctl_refused 2 "$msg" domain del a.example
ctl_refused 2 "$msg" domain flush
gw_ctl user list | grep -q "alice realm realm-a" || fail "a refused del deleted"
gw_ctl user list | grep -q carol && fail "a refused add added"
gw_ctl domain list > /dev/null || fail "domain list refused while claimed"
kill $holder
wait $holder 2>/dev/null
free() { gw_ctl user add carol realm sipreg ha1 0123456789abcdef0123456789abcdef 2>/dev/null; }
wait_until 5 free || fail "user add still refused after the claim went"
gw_ctl domain add e.example || fail "domain add after the claim went"
gw_ctl domain flush || fail "domain flush after the claim went"
exit 0
