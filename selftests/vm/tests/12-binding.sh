# SPDX-License-Identifier: GPL-2.0
# Bindings: add (upsert per contact URI), get, dump, delete, flush,
# limits, and removal at expiry.
. /sipreg/selftests/vm/lib.sh

module_load
A=sip:alice@example.com
add() { gw_ctl binding add "$@"; }

add $A contact sip:alice@192.0.2.1:5061 call-id c1@x cseq 1 expires 600 \
	addr 192.0.2.1 port 5061 q 0.5 nc 3 || fail "binding add"
add $A contact sip:alice@[2001:db8::1]:5061 call-id c2@x cseq 7 expires 300 \
	addr 2001:db8::1 port 5061 || fail "binding add (v6)"
add sip:bob@example.com contact sip:bob@192.0.2.1 call-id b1 cseq 1 expires 60 ||
	fail "binding add bob"

out=$(gw_ctl binding list $A)
echo "$out" | grep -qx "$A" || fail "AOR line: $out"
# Seconds pass under emulation: allow a few.
echo "$out" | grep -Eq "contact sip:alice@192.0.2.1:5061 call-id c1@x cseq 1 expires (600|59[0-9]) q 0.500 addr 192.0.2.1 port 5061 nc 3" ||
	fail "v4 contact: $out"
echo "$out" | grep -q "contact sip:alice@\[2001:db8::1\]:5061 call-id c2@x cseq 7 .* addr 2001:db8::1 port 5061" ||
	fail "v6 contact: $out"
json_ok gw_ctl -j binding list
json_ok gw_ctl -j binding list $A
[ "$(gw_ctl binding list | grep -c '^sip:')" = 2 ] || fail "dump: $(gw_ctl binding list)"

# Upsert: same URI replaces that contact, keeps the other.
add $A contact sip:alice@192.0.2.1:5061 call-id c1@x cseq 2 expires 900 || fail "refresh by add"
out=$(gw_ctl binding list $A)
[ "$(echo "$out" | grep -c contact)" = 2 ] || fail "upsert added a contact: $out"
echo "$out" | grep -Eq "call-id c1@x cseq 2 expires (900|89[0-9]) " || fail "upsert did not update: $out"

# Bad input: refused, nothing changes.
list() { gw_ctl binding list | sed "s/ expires [0-9]*//"; }
before=$(list)
ctl_refused 1 "need contact URI" binding add $A call-id x cseq 1 expires 5
ctl_refused 1 "need expires" binding add $A contact sip:x call-id x cseq 1
ctl_refused 1 "not an IPv4 or IPv6" binding add $A contact sip:x call-id x cseq 1 expires 5 addr nowhere
ctl_refused 1 "q-value" binding add $A contact sip:x call-id x cseq 1 expires 5 q 1.5
ctl_refused 1 "port" binding add $A contact sip:x call-id x cseq 1 expires 5 port 0
ctl_refused 2 "no such AOR" binding list sip:nobody@example.com
ctl_refused 2 "no such contact" binding del $A contact sip:nothere
ctl_refused 2 "no such AOR" binding del sip:nobody@example.com
[ "$(list)" = "$before" ] || fail "a refused command changed the bindings"

# Limits: contacts per AOR, then bindings in all.
gw_ctl config set max-contacts 2 || fail "config set max-contacts"
ctl_refused 2 "too many contacts" binding add $A contact sip:third call-id x cseq 1 expires 60
gw_ctl config set max-bindings 3 || fail "config set max-bindings"
ctl_refused 2 "binding table full" binding add sip:carol@example.com contact sip:c call-id x cseq 1 expires 60
counter_is gateway binding_table_full 2 || fail "binding_table_full: $(counter gateway binding_table_full)"
[ "$(list)" = "$before" ] || fail "a refused add changed the bindings"

# Delete one contact, then the AOR.
gw_ctl binding del $A contact sip:alice@192.0.2.1:5061 || fail "binding del contact"
[ "$(gw_ctl binding list $A | grep -c contact)" = 1 ] || fail "contact not deleted"
gw_ctl binding del $A || fail "binding del AOR"
gw_ctl binding list $A > /dev/null 2>&1 && fail "AOR still there"

# Expiry: a 1-second contact goes away by itself and is counted.
add sip:short@example.com contact sip:s call-id s cseq 1 expires 1 || fail "add short"
gone() { ! gw_ctl binding list sip:short@example.com > /dev/null 2>&1; }
wait_until 10 gone || fail "binding did not expire"
counter_is gateway bindings_expired 1 || fail "bindings_expired: $(counter gateway bindings_expired)"

# A flush walks the table in batches of 256: give it many (a walk resumed
# in a bucket it had emptied skipped the rest of the bucket: with 10 000
# entries and 39 pauses some always survived).
gw_ctl config set max-bindings 12000 max-contacts 4 || fail "config set max-bindings 12000"
in_gateway sipreg-bench-bulk bindings 10000 > /dev/null || fail "bulk bindings"
[ "$(gw_ctl binding list | grep -c '^sip')" -ge 10000 ] || fail "bulk bindings not all listed"
gw_ctl binding flush || fail "binding flush"
[ "$(gw_ctl -j binding list)" = "[]" ] || fail "bindings left: $(gw_ctl binding list)"
exit 0
