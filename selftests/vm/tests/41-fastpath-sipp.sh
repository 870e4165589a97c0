# SPDX-License-Identifier: GPL-2.0
# sipp registers with digest auth against an installed binding and
# refreshes it, with the module's default algorithms: every 200 comes from
# the kernel (no daemon runs), over IPv4 and IPv6.
. /sipreg/selftests/vm/lib.sh

module_load
gateway_on
echo pw | in_gateway sipregctl user add alice realm sipreg || fail "user add"
# sipp 3.6 answers MD5 challenges only, and takes the first one: the
# default configuration (both algorithms, MD5 first) must serve it as is.
# Its digest uri is sip:REMOTE_IP:PORT unless -auth_uri names the
# Request-URI's host.
in_gateway sipregctl config show | grep -qx "algorithms md5,sha256" ||
	fail "not the default algorithms: $(in_gateway sipregctl config show)"

for fam in 4 6; do
	if [ $fam = 4 ]; then C=$CLIENT4 CH=$CLIENT4 G=$GATEWAY4:5060
	else C=$CLIENT6 CH="[$CLIENT6]" G="[$GATEWAY6]:5060"; fi
	in_gateway sipregctl binding flush
	in_gateway sipregctl binding add sip:alice@sipreg contact "sip:alice@$CH:5061" \
		call-id fastpath-1 cseq 1 expires 600 || fail "binding add"
	rf0=$(counter gateway refreshes)
	sipp_client -sf $SIPP_DIR/fastpath-refresh.xml -m 1 -cid_str 'fastpath-%u' \
		-key dom sipreg -auth_uri sipreg -key ct_host "$CH" -i $C -p 5061 $G ||
		fail "IPv$fam: sipp failed"
	counter_is gateway refreshes $((rf0 + 6)) ||
		fail "IPv$fam: refreshes $(counter gateway refreshes), expected $((rf0 + 6))"
	in_gateway sipregctl -j binding list sip:alice@sipreg | grep -q '"cseq":7' ||
		fail "IPv$fam: binding not moved"
done
counter_is gateway miss_sent 0 || fail "a miss went to a daemon"
exit 0
