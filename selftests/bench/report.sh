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
function row(label, name) {
	if (!((name, "exit") in val)) {
		printf "%-30s %10s %7s %17s %7s %9s  %s\n", label, "-", "-", "-", "-", "-", "not run"
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
	printf "%-30s %10s %7s %17s %7s %9s  %s\n", label, get(name, "rate"),
	       get(name, "wrong"), get(name, "p50") "/" get(name, "p99"),
	       get(name, "timeouts"), get(name, "client_us"), note
	printf "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", name, get(name, "mode"), get(name, "rate"),
	       get(name, "wrong"), get(name, "timeouts"), get(name, "p50"), get(name, "p99"),
	       get(name, "client_us"), note >> csv
}
function storm_row(label, name,    note) {
	if (!((name, "exit") in val)) {
		printf "%-26s  not run\n", label
		return
	}
	if (get(name, "exit") == "skip") {
		printf "%-26s  skipped\n", label
		return
	}
	note = get(name, "exit") != "0" ? "sipreg-load exit " get(name, "exit") : ""
	printf "%-26s %9s %8s/%-8s %6s %15s %8s %7s %8s %6s %9s  %s\n", label,
	       num(name, "all_s") ? get(name, "all_s") : "never", get(name, "registered"),
	       get(name, "phones"), get(name, "never"), get(name, "p50_s") "/" get(name, "p99_s"),
	       get(name, "retransmits"), get(name, "busy_503"), get(name, "restarts"),
	       get(name, "wrong"), get(name, "udp_drops"), note
	printf "%s,storm,%s,%s,,,,,phones=%s registered=%s never=%s p50_s=%s p99_s=%s retransmits=%s busy_503=%s restarts=%s udp_drops=%s\n",
	       name, get(name, "all_s"), get(name, "wrong"), get(name, "phones"),
	       get(name, "registered"), get(name, "never"), get(name, "p50_s"), get(name, "p99_s"),
	       get(name, "retransmits"), get(name, "busy_503"), get(name, "restarts"),
	       get(name, "udp_drops") >> csv
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
	printf "name,mode,rate_per_s,wrong,timeouts,p50_us,p99_us,client_us_per_req,note\n" > csv
	printf "sipreg bench: kernel %s (guest %s), TCG, %s vCPUs, %d MB; %s s per run, %s users,\n",
	       kernel, get("vm", "kernel"), get("vm", "cpus"), get("vm", "mem_kb") / 1024,
	       get("vm", "secs"), get("vm", "users")
	printf "sipreg-load %s threads x window %s, closed loop, no retransmissions, in one VM boot\n\n",
	       get("vm", "threads"), get("vm", "window")
	printf "%-30s %10s %7s %17s %7s %9s  %s\n", "measurement", "answers/s", "wrong",
	       "p50/p99 us", "timeout", "client us", "note"
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

	printf "\nregistration storm (a separate boot): every phone, with no binding, registers at once\n"
	printf "(sipreg-load -m storm: 503 waited out for its Retry-After, Timer E/F, back-off)\n"
	printf "%-26s %9s %17s %6s %15s %8s %7s %8s %6s %9s\n", "registrar", "all in s",
	       "registered", "never", "p50/p99 s", "retrans", "503s", "restarts", "wrong", "UDP drops"
	storm_row("sipreg (module+sipregd)", "storm_sipreg")
	storm_row("Kamailio 5.6", "storm_kamailio")
	if (("storm_daemon", "missq_peak_b") in val)
		printf "sipreg: peak miss queue %d KB (sampled every 0.2 s), %s dropped at the socket; lost misses %s (sipregd), %s (module); %s misses queued, %s 503s by the module (Retry-After %s..%s s); sipregd dropped %s, answered %s 5xx\n",
		       get("storm_daemon", "missq_peak_b") / 1024, get("storm_daemon", "missq_drops"),
		       get("storm_daemon", "lost_misses"), get("storm_sipreg", "k_miss_failed"),
		       get("storm_sipreg", "k_miss_sent"), get("storm_sipreg", "k_busy"),
		       get("storm_daemon", "busy_retry_after"), 2 * get("storm_daemon", "busy_retry_after"),
		       get("storm_daemon", "daemon_dropped"),
		       get("storm_daemon", "daemon_5xx")

	fc = get("fastpath_challenge", "per_req"); fr = get("fastpath_refresh", "per_req")
	sr = get("sipregd_registration", "per_req"); kr = get("kamailio_registration", "per_req")
	printf "\ninstructions (callgrind, natively, exact):\n"
	printf "  fast path shared code: %s per 401, %s per refresh (parse, nonce, digest, reply)\n", fc, fr
	printf "  sipregd: %s per registration (REGISTER, 401, REGISTER+Digest, 200), start-up excluded\n", sr
	printf "  Kamailio 5.6: %s per registration, all processes, start-up excluded\n", kr
	printf "instr,fastpath_challenge,%s\ninstr,fastpath_refresh,%s\ninstr,sipregd_registration,%s\ninstr,kamailio_registration,%s\n",
	       fc, fr, sr, kr >> csv

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
	goal("fast-path instructions per refresh", fr, "<= 10000", fr + 0 <= 10000, fr ~ /^[0-9.]+$/)
	goal("fast-path instructions per 401", fc, "<= 5000", fc + 0 <= 5000, fc ~ /^[0-9.]+$/)
	fp = fc + fr
	goal("Kamailio / fast-path instructions per registration", sprintf("%.1f", ratio(kr, fp)), ">= 20",
	     ratio(kr, fp) >= 20, kr ~ /^[0-9.]+$/ && fc ~ /^[0-9.]+$/ && fr ~ /^[0-9.]+$/)
	sS = get("storm_sipreg", "all_s"); kS = get("storm_kamailio", "all_s")
	goal("storm: time until all registered, sipreg / Kamailio",
	     num("storm_sipreg", "all_s") ? sprintf("%.2f", ratio(sS, kS)) : "never", "< 1",
	     num("storm_sipreg", "all_s") && ratio(sS, kS) < 1,
	     (num("storm_sipreg", "all_s") || num("storm_sipreg", "never")) && num("storm_kamailio", "all_s"))
	goal("storm: phones lost (sipreg)", get("storm_sipreg", "never"), "0",
	     get("storm_sipreg", "never") == 0, num("storm_sipreg", "never"))
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
