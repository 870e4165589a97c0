# SPDX-License-Identifier: GPL-2.0
# The demo (make demo), inside the test VM: sipreg.ko in the gateway
# namespace, sipregd behind it with 1000 users, sipreg-load in the client
# namespace registering every user once (the first REGISTER reaches the
# daemon: a miss) and then refreshing as fast as it can (the kernel
# answers). The report says how much the kernel answered. Runs with the
# helpers of selftests/vm/lib.sh (the harness sources it).
[ -f ./demo.env ] && . ./demo.env	# from make demo DEMO_...=
USERS=${DEMO_USERS:-1000}
SECONDS_LOAD=${DEMO_SECONDS:-40}
RATE=${DEMO_RATE:-600}

say() { echo "$*"; }
json_num() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" | head -n 1; }
uptime_s() { cut -d ' ' -f 1 /proc/uptime; }

module_load
sipregd_setup
$SIPP_DIR/users.sh $USERS > $SIPREGD_DIR/users.txt
grep -v SEQUENTIAL $SIPREGD_DIR/users.txt > $SIPREGD_DIR/load-users.txt
t0=$(uptime_s)
sd user import $SIPREGD_DIR/users.txt 2>&1 | sed 's/^/# /'
sipregd_start
trap 'sipregd_kill' EXIT
grep -q "kernel: in sync" $SIPREGD_DIR/log || { sipregd_log; fail "sipregd did not sync with the module"; }
# The module answers nothing in a namespace until its admin switches it on;
# sipregd (kernel = auto) does so when it pushes its configuration.
gw_ctl config show | grep -qx "enabled on" || fail "sipregd did not switch the gateway on: $(gw_ctl config show)"
t1=$(uptime_s)
say "# sipregd up and in sync with sipreg.ko: $(gw_ctl user list | grep -c .) users in the kernel ($(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", b - a }') s for import + start)"

# One load generator is 1000 phones behind one address: lift the kernel's
# per-source limit of 401s (20/s by default), which would otherwise drop
# most of their challenges as it should for a scanner.
gw_ctl config set rate 0 || fail "sipregctl config set rate 0"
say "# sipregctl config set rate 0: no per-source 401 limit (one address, 1000 phones)"

k_ch0=$(counter gateway challenges) k_rf0=$(counter gateway refreshes)
say "# load: sipreg-load, $USERS users, register then refresh, $RATE requests/s for $SECONDS_LOAD s"
in_client sipreg-load -t $GATEWAY4:5060 -b $CLIENT4 -m register -f $SIPREGD_DIR/load-users.txt \
	-n $USERS -r $RATE -d $SECONDS_LOAD -e 3600 --realm sipreg -j > /tmp/load.json 2> /tmp/load.err
load_rc=$?
sleep 1		# the last events reach the database
k_ch=$(( $(counter gateway challenges) - k_ch0 ))
k_rf=$(( $(counter gateway refreshes) - k_rf0 ))
stats=$(sipregd_stats)
d_2xx=$(echo "$stats" | sed -n 's/.* 2xx \([0-9]*\) .*/\1/p')
d_401=$(echo "$stats" | sed -n 's/.* challenges \([0-9]*\) .*/\1/p')
misses=$(echo "$stats" | sed -n 's/.* misses \([0-9]*\) (\([^)]*\)).*/\1 (\2)/p')
refreshed=$(echo "$stats" | sed -n 's/.* refreshed \([0-9]*\) .*/\1/p')
dur=$(json_num duration < /tmp/load.json)
[ -n "$dur" ] || dur=$SECONDS_LOAD
users_ok=$(json_num users_ok < /tmp/load.json)
wrong=$(sed -n 's/.*"wrong":{"total":\([0-9]*\).*/\1/p' /tmp/load.json)
db=$(sd binding list | grep -c .)

say ""
say "==================== sipreg demo: report ===================="
say "kernel:                 $(cat /etc/sipreg-kernel)"
say "users:                  $USERS (sipregd user import)"
say "registrations done:     ${users_ok:-?} of $USERS users got their 200; $db bindings in the database"
awk -v k=$k_rf -v d=${d_2xx:-0} 'BEGIN {
	t = k + d
	printf "fast-path share:        %.1f%% of all 200s came from the kernel (%d of %d; sipregd sent %d)\n",
		t ? 100 * k / t : 0, k, t, d }'
awk -v k=$k_ch -v d=${d_401:-0} -v s=$dur 'BEGIN {
	printf "401/s seen:             %.0f (kernel %d, sipregd %d, over %.1f s)\n", (k + d) / s, k, d, s }'
awk -v k=$k_rf -v s=$dur 'BEGIN { printf "refresh/s seen:         %.0f (kernel refreshes over %.1f s)\n", k / s, s }'
say "sipregd misses:         ${misses:-?}"
say "refreshes in database:  ${refreshed:-?} (from the kernel's events)"
say "load generator:         exit $load_rc, wrong answers ${wrong:-?}"
say ""
say "sipregctl stats (gateway namespace):"
gw_ctl stats | awk '$NF != 0' | sed 's/^/  /'
say "============================================================="
[ "$load_rc" = 0 ] || { sed 's/^/# /' /tmp/load.err | tail -n 5; fail "sipreg-load exit $load_rc"; }
exit 0
