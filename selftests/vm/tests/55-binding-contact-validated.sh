# SPDX-License-Identifier: GPL-2.0
# Issue 12 §3.15: the kernel refuses a binding whose contact is not a URI
# the SIP parser accepts, with an extack message that sipregctl prints
# (exit 2); nothing is installed. Real contacts still go in.
. /sipreg/selftests/vm/lib.sh

module_load
ctl_refused 2 "contact" binding add sip:bob@example.com contact nonsense call-id x cseq 1 expires 10
ctl_refused 2 "contact" binding add sip:bob@example.com contact "sip:bob@x y" call-id x cseq 1 expires 10
ctl_refused 2 "contact" binding add sip:bob@example.com contact "sip:" call-id x cseq 1 expires 10
ctl_refused 2 "contact" binding add sip:bob@example.com contact "<sip:bob@x>" call-id x cseq 1 expires 10
[ -z "$(gw_ctl binding list)" ] || fail "a refused binding was installed: $(gw_ctl binding list)"

for ct in "sip:bob@192.0.2.1:5061" "sips:bob@[2001:db8::1]:5061;transport=tls" \
	  "sip:bob@example.com;ob" "sip:+4930123@gw.example;user=phone"; do
	gw_ctl binding add sip:bob@example.com contact "$ct" call-id x cseq 1 expires 10 ||
		fail "valid contact $ct refused"
done
[ "$(gw_ctl binding list | grep -c "contact ")" = 4 ] || fail "contacts: $(gw_ctl binding list)"
exit 0
