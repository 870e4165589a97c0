# SPDX-License-Identifier: GPL-2.0
# Expiry removes every expired contact in the first walk of the binding
# table that begins after it expired. A walk pauses every 256 entries; it
# used to pause on an entry it had just removed, and a walk resumed there
# skips as many of the bucket's survivors as it had passed, leaving them
# for the next walk. Here 10 000 contacts expire in the same second among
# 10 500 that do not (so many that the table does not shrink, which would
# restart the walk and hide a skip). Once a stats snapshot shows the first
# of them expired, the walk doing it is the last one counted in
# expiry_walks or the one after it; once that one is counted too, all
# 10 000 must be gone. (A snapshot that comes only after the removing walk
# ended cannot tell; the test then proves less, but it cannot fail
# wrongly.) The 10 000 are installed with one expiry time, a boottime
# second (sipreg-bench-bulk @AT): with a number of seconds each, a slow
# kernel spreads them over the seconds their install takes, and a walk
# that begins in between rightly leaves the later ones to the next walk.
. /sipreg/selftests/vm/lib.sh

N=10000
KEEP=10500
uptime_s() { cut -d. -f1 /proc/uptime; }
module_load
gw_ctl config set max-bindings 25000 || fail "config set max-bindings"
t0=$(uptime_s)
in_gateway sipreg-bench-bulk bindings $KEEP 1 || fail "bulk long bindings"
# One request per send is slower than the batches of the first insert.
AT=$(( $(uptime_s) + 5 + 4 * ($(uptime_s) - t0) ))
in_gateway sipreg-bench-bulk bindings $N 100001 @$AT || fail "bulk short bindings"
same=$(gw_ctl -j binding list | grep -o '"expires_at":[0-9]*' | grep -c ":$AT\$")
strict=1
if [ "$same" != $N ]; then
	log "$same of $N expire at second $AT (the install was held up): cannot tell"
	strict=
fi

snap() { gw_ctl stats | awk '$1 == "expiry_walks" { w = $2 }
	$1 == "bindings_expired" { e = $2 } END { print w + 0, e + 0 }'; }
first=
i=0
while [ $i -lt 1200 ]; do
	set -- $(snap)
	[ "$2" = $N ] && break
	if [ -z "$first" ] && [ "$2" -gt 0 ]; then
		first=$1
		log "first expired seen at walk $1 ($2 of $N)"
	elif [ -n "$strict" ] && [ -n "$first" ] && [ "$1" -gt "$first" ]; then
		fail "walk $1 ended after expiry began, yet only $2 of $N expired"
	fi
	usleep 50000
	i=$((i + 1))
done
[ $i -lt 1200 ] || fail "only $2 of $N expired after 60 s and walk $1"
log "all $N expired by walk $1"
[ "$(kernel_bindings)" = $KEEP ] || fail "bindings left: $(kernel_bindings), want $KEEP"
exit 0
