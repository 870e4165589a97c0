#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh DIR KERNEL: turns the BENCH lines of DIR/vm-*.log (vm-bench.sh)
# and the INSTR lines of DIR/instr.log (instr.sh) into the table on stdout,
# DIR/bench.csv (one row per figure, goal and verdict included),
# DIR/bench.txt (the table) and DIR/bench.png (rates, log scale, gnuplot).
# A figure that was not measured prints as "-" and its goal as "n/a".
set -uo pipefail
dir=${1:?usage: $0 DIR KERNEL}
kernel=${2:?usage: $0 DIR KERNEL}

cat "$dir"/vm-*.log "$dir"/instr.log 2>/dev/null | tr -d '\r' |
	grep -a -E '^(BENCH|INSTR) ' >"$dir/lines.txt"

awk -v kernel="$kernel" -v csv="$dir/bench.csv" -v dat="$dir/bench.dat" '
function get(name, key,    v) {
	v = val[name, key]
	return v == "" ? "-" : v
}
function num(name, key) {
	return (name, key) in val && val[name, key] ~ /^[0-9.]+$/
}
function ratio(a, b) { return b > 0 ? a / b : 0 }
# ns per request in the hook over the run (k_ns / k_timed), or "-".
function hookns(name) {
	if (!num(name, "k_ns") || !(get(name, "k_timed") > 0)) return "-"
	return sprintf("%.0f", get(name, "k_ns") / get(name, "k_timed"))
}
# Which side runs out of CPU first: the generator CPU per request
# against the hook (the two share the vCPUs of the VM).
function bottleneck(name,    h, c, side) {
	h = hookns(name); c = get(name, "client_us")
	if (h == "-" || c == "-") return "bottleneck: server side not timed"
	side = c * 1000 > h + 0 ? "client" : "server"
	return sprintf("%s-bound: client %.1f us/req vs hook %.1f us/req", side, c, h / 1000)
}
function row(label, name) {
	if (!((name, "exit") in val)) {
		printf "%-30s %10s %7s %17s %7s %9s %8s  %s\n", label, "-", "-", "-", "-", "-", "-", "not run"
		return
	}
	note = ""
	if (get(name, "exit") == "skip") note = "skipped"
	else if (get(name, "exit") != "0") note = "sipreg-load exit " get(name, "exit")
	if (get(name, "warmup_failed") != "-" && get(name, "warmup_failed") > 0)
		note = note (note ? "; " : "") get(name, "warmup_failed") " users not registered"
	if (name ~ /^fast/ && num(name, "k_refreshes") && get(name, "mode") == "refresh")
		note = note (note ? "; " : "") sprintf("kernel sent %d 200s", get(name, "k_refreshes"))
	if (name ~ /^fast/ && num(name, "k_challenges") && get(name, "mode") == "challenge")
		note = note (note ? "; " : "") sprintf("kernel sent %d 401s", get(name, "k_challenges"))
	if (get(name, "exit") == "0")
		note = note (note ? "; " : "") bottleneck(name)
	printf "%-30s %10s %7s %17s %7s %9s %8s  %s\n", label, get(name, "rate"),
	       get(name, "wrong"), get(name, "p50") "/" get(name, "p99"),
	       get(name, "timeouts"), get(name, "client_us"), hookns(name), note
	printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", name, get(name, "mode"), get(name, "rate"),
	       get(name, "wrong"), get(name, "timeouts"), get(name, "p50"), get(name, "p99"),
	       get(name, "client_us"), hookns(name), note >> csv
}
function goal(text, measured, want, ok, known) {
	v = !known ? "n/a" : ok ? "PASS" : "MISS"
	printf "%-52s %14s %14s  %s\n", text, known ? measured : "-", want, v
	printf "goal,\"%s\",%s,\"%s\",%s\n", text, known ? measured : "", want, v >> csv
	if (v == "MISS") misses++
}
{
	name = ""
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "name") name = kv[2]
	}
	for (i = 2; i <= NF; i++) {
		eq = index($i, "=")
		if (eq) val[name, substr($i, 1, eq - 1)] = substr($i, eq + 1)
	}
	if ($1 == "BENCH" && name ~ /^scale_[0-9]+$/) scales[++nscale] = name
}
END {
	printf "name,mode,rate_per_s,wrong,timeouts,p50_us,p99_us,client_us_per_req,hook_ns_per_req,note\n" > csv
	printf "sipreg bench: kernel %s (guest %s), TCG, %s vCPUs, %d MB; %s s per run, %s users,\n",
	       kernel, get("vm", "kernel"), get("vm", "cpus"), get("vm", "mem_kb") / 1024,
	       get("vm", "secs"), get("vm", "users")
	printf "sipreg-load %s threads x window %s, closed loop, no retransmissions, in one VM boot\n",
	       get("vm", "threads"), get("vm", "window")
	printf "client us: CPU of the generator per request; hook ns: time of the server in its\n"
	printf "netfilter hook per request, local_clock() at entry and at the verdict (the floor\n"
	printf "always, sipreg with \"config set timing on\"), the two clock reads included, the\n"
	printf "stack around the hook (veth, IP, UDP checksum before it, the send after) not\n\n"
	printf "%-30s %10s %7s %17s %7s %9s %8s  %s\n", "measurement", "answers/s", "wrong",
	       "p50/p99 us", "timeout", "client us", "hook ns", "note"
	row("floor: kernel echo", "floor")
	row("sipreg fast path: 401", "fast_challenge")
	row("sipreg fast path: refresh", "fast_refresh")
	row("sipregd alone: 401", "sipregd_challenge")
	row("sipregd alone: refresh", "sipregd_refresh")
	row("Kamailio 5.6: 401", "kamailio_challenge")
	row("Kamailio 5.6: refresh", "kamailio_refresh")
	row(sprintf("fast path refresh at %s/s", get("fast_latency", "rate_target")), "fast_latency")
	printf "\nscale (a separate boot, same kernel and VM):\n"
	printf "%-30s %10s %7s %17s %10s %10s %10s\n", "bindings installed", "refresh/s",
	       "wrong", "p50/p99 us", "install s", "kernel KB", "B/binding"
	for (i = 1; i <= nscale; i++) {
		s = scales[i]
		kb = get(s, "sunreclaim_kb") + get(s, "vmalloc_kb")
		bpb = get(s, "bindings") > 0 ? kb * 1024 / get(s, "bindings") : 0
		bytes[s] = bpb
		note = get(s, "exit") != "0" ? "sipreg-load exit " get(s, "exit") : ""
		if (num(s, "k_refreshes"))
			note = note (note ? "; " : "") sprintf("kernel sent %d 200s", get(s, "k_refreshes"))
		printf "%-30s %10s %7s %17s %10s %10d %10.0f  %s\n", get(s, "bindings"), get(s, "rate"),
		       get(s, "wrong"), get(s, "p50") "/" get(s, "p99"), get(s, "install_s"), kb, bpb, note
		printf "%s,refresh,%s,%s,%s,%s,%s,%s,bindings=%s kernel_kb=%d bytes_per_binding=%.0f\n",
		       s, get(s, "rate"), get(s, "wrong"), get(s, "timeouts"), get(s, "p50"),
		       get(s, "p99"), get(s, "client_us"), get(s, "bindings"), kb, bpb >> csv
	}
	if (!nscale) printf "  not run\n"
	else if (get("scale_flush", "entries") != "")
		printf "flush of %s users and %s bindings: %s ms and %s ms (exit %s; %s users, %s bindings left)\n",
		       get("scale_flush", "entries"), get("scale_flush", "entries"),
		       get("scale_flush", "user_flush_ms"), get("scale_flush", "binding_flush_ms"),
		       get("scale_flush", "exit"), get("scale_flush", "users_left"),
		       get("scale_flush", "bindings_left")

	printf "\nsync (a separate boot): a starting sipregd pushes its users and bindings\n"
	if (("sync", "exit") in val) {
		printf "  %s users + %s bindings in %s s (exit %s; sipregd CPU %s s user, %s s system;" \
		       " kernel holds %s users, %s bindings)\n",
		       get("sync", "users"), get("sync", "bindings"), get("sync", "sync_s"),
		       get("sync", "exit"), get("sync", "daemon_user_s"), get("sync", "daemon_sys_s"),
		       get("sync", "k_users"), get("sync", "k_bindings")
		printf "sync,%s,%s,%s\n", get("sync", "entries"), get("sync", "sync_s"),
		       get("sync", "exit") >> csv
	} else {
		printf "  not run\n"
	}

	fc = get("fastpath_challenge", "per_req"); fr = get("fastpath_refresh", "per_req")
	sr = get("sipregd_registration", "per_req"); kr = get("kamailio_registration", "per_req")
	printf "\ninstructions (callgrind, natively, exact):\n"
	printf "  fast path shared code: %s per 401, %s per refresh (parse, nonce, digest, reply)\n", fc, fr
	printf "  sipregd: %s per registration (REGISTER, 401, REGISTER+Digest, 200), start-up excluded\n", sr
	printf "  Kamailio 5.6: %s per registration, all processes, start-up excluded\n", kr
	printf "instr,fastpath_challenge,%s\ninstr,fastpath_refresh,%s\ninstr,sipregd_registration,%s\ninstr,kamailio_registration,%s\n",
	       fc, fr, sr, kr >> csv

	he = hookns("floor"); hc = hookns("fast_challenge"); hr = hookns("fast_refresh")
	printf "\nkernel ns per request in the hook (one boot): echo (floor) %s, 401 %s, refresh %s\n",
	       he, hc, hr
	printf "kernel,hook_ns_per_echo,%s\nkernel,hook_ns_per_401,%s\nkernel,hook_ns_per_refresh,%s\n",
	       he, hc, hr >> csv

	printf "\n%-52s %14s %14s  %s\n", "goal", "measured", "wanted", "verdict"
	fR = get("fast_refresh", "rate"); fC = get("fast_challenge", "rate")
	kR = get("kamailio_refresh", "rate"); sR = get("sipregd_refresh", "rate")
	fl = get("floor", "rate")
	goal("fast-path refresh/s / Kamailio refresh/s", sprintf("%.2f", ratio(fR, kR)), ">= 10",
	     ratio(fR, kR) >= 10, num("fast_refresh", "rate") && kR > 0)
	goal("fast-path refresh/s / sipregd refresh/s", sprintf("%.2f", ratio(fR, sR)), ">= 10",
	     ratio(fR, sR) >= 10, num("fast_refresh", "rate") && sR > 0)
	goal("fast-path 401/s / floor", sprintf("%.2f", ratio(fC, fl)), ">= 0.7",
	     ratio(fC, fl) >= 0.7, num("fast_challenge", "rate") && fl > 0)
	goal("fast-path refresh/s / floor", sprintf("%.2f", ratio(fR, fl)), ">= 0.5",
	     ratio(fR, fl) >= 0.5, num("fast_refresh", "rate") && fl > 0)
	goal("kernel ns per echo / kernel ns per 401", sprintf("%.2f", ratio(he, hc)), ">= 0.7",
	     ratio(he, hc) >= 0.7, he != "-" && hc != "-")
	goal("kernel ns per echo / kernel ns per refresh", sprintf("%.2f", ratio(he, hr)), ">= 0.5",
	     ratio(he, hr) >= 0.5, he != "-" && hr != "-")
	if (nscale >= 2) {
		lo = scales[1]; hi = scales[nscale]
		goal(sprintf("refresh/s at %s / at %s bindings", get(hi, "bindings"), get(lo, "bindings")),
		     sprintf("%.2f", ratio(get(hi, "rate"), get(lo, "rate"))), ">= 0.8",
		     ratio(get(hi, "rate"), get(lo, "rate")) >= 0.8, get(lo, "rate") > 0)
		goal(sprintf("kernel bytes per binding (at %s)", get(hi, "bindings")),
		     sprintf("%.0f", bytes[hi]), "<= 256", bytes[hi] <= 256, get(hi, "bindings") > 0)
	} else {
		goal("refresh/s at 1M / at 1k bindings", "", ">= 0.8", 0, 0)
		goal("kernel bytes per binding", "", "<= 256", 0, 0)
	}
	sn = get("sync", "entries")
	goal(sprintf("sync of %s users + %s bindings, s", sn, sn), get("sync", "sync_s"), "< 10",
	     get("sync", "sync_s") + 0 < 10 && get("sync", "k_bindings") == sn && get("sync", "k_users") == sn,
	     num("sync", "sync_s") && sn >= 100000)
	goal("fast-path instructions per refresh", fr, "<= 10000", fr + 0 <= 10000, fr ~ /^[0-9.]+$/)
	goal("fast-path instructions per 401", fc, "<= 5000", fc + 0 <= 5000, fc ~ /^[0-9.]+$/)
	fp = fc + fr
	goal("Kamailio / fast-path instructions per registration", sprintf("%.1f", ratio(kr, fp)), ">= 20",
	     ratio(kr, fp) >= 20, kr ~ /^[0-9.]+$/ && fc ~ /^[0-9.]+$/ && fr ~ /^[0-9.]+$/)
	wrong = 0; runs = 0
	for (key in val) {
		split(key, parts, SUBSEP)
		if (parts[2] == "wrong" && val[key] ~ /^[0-9]+$/) { wrong += val[key]; runs++ }
	}
	goal("wrong responses counted by sipreg-load", wrong, "0", wrong == 0, runs > 0)
	printf "\n(fast path per registration = one 401 + one refresh of the shared code;\n"
	printf " \"kernel sent\" = the module counters challenges/refreshes over the run, warm-up included)\n"

	# Chart data: answers/s per registrar, 401 and refresh.
	printf "floor %s -\n", num("floor", "rate") ? fl : 0 > dat
	printf "\"sipreg fast path\" %s %s\n", fC + 0, fR + 0 >> dat
	printf "sipregd %s %s\n", get("sipregd_challenge", "rate") + 0, sR + 0 >> dat
	printf "\"Kamailio 5.6\" %s %s\n", get("kamailio_challenge", "rate") + 0, kR + 0 >> dat
}' "$dir/lines.txt" | tee "$dir/bench.txt"

if command -v gnuplot >/dev/null; then
	gnuplot <<-EOF 2>"$dir/gnuplot.err" || echo "# report: gnuplot failed, see $dir/gnuplot.err" >&2
	set terminal pngcairo size 900,500 noenhanced
	set datafile missing "-"
	set output "$dir/bench.png"
	set title "sipreg bench, kernel $kernel, TCG, 2 vCPUs (answers/s, log scale)"
	set style data histograms
	set style histogram clustered gap 1
	set style fill solid 0.8 border -1
	set logscale y
	set yrange [1:*]
	set grid ytics
	set key top right
	plot "$dir/bench.dat" using 2:xtic(1) title "401 (echo for the floor)", \
	     "" using 3 title "refresh"
	EOF
	if [ ! -s "$dir/bench.png" ]; then
		gnuplot <<-EOF 2>>"$dir/gnuplot.err"
		set terminal png size 900,500
		set datafile missing "-"
		set output "$dir/bench.png"
		set style data histograms
		set style fill solid 0.8
		set logscale y
		set yrange [1:*]
		plot "$dir/bench.dat" using 2:xtic(1) title "401", "" using 3 title "refresh"
		EOF
	fi
fi
echo "# csv: $dir/bench.csv  chart: $dir/bench.png  table: $dir/bench.txt"
