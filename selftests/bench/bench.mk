# SPDX-License-Identifier: GPL-2.0
#
# make bench-parse: ns per sipreg_parse() of a typical and a minimal
# REGISTER (median of repeated runs), and the exact instruction count per
# parse under callgrind: Ir inside sipreg_parse (--toggle-collect) over
# BENCH_PARSES identical parses, divided by BENCH_PARSES (linked -z now, so
# no lazy symbol binding lands inside the first parse). Goals: <= 1 us and
# <= 4000 instructions for the typical one.

BENCH_PARSE	:= $(BUILD)/bench/bench_parse
BENCH_PARSES	?= 1000

.PHONY: bench-parse

$(BENCH_PARSE): $(BUILD)/obj/selftests/bench/bench_parse.o $(BUILD)/obj/kmod/sip/parser.o
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wl,-z,now -o $@ $^

bench-parse: $(BENCH_PARSE)
	@$(BENCH_PARSE)
	@command -v valgrind >/dev/null || { echo "valgrind missing: no instruction counts" >&2; exit 1; }
	@for w in typical minimal; do \
		out=$(BUILD)/bench/callgrind.$$w.out; \
		valgrind --tool=callgrind --callgrind-out-file=$$out \
			--toggle-collect=sipreg_parse \
			$(BENCH_PARSE) -c $(BENCH_PARSES) $$w >/dev/null 2>&1 || exit 1; \
		ir=$$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' $$out); \
		[ -n "$$ir" ] || ir=$$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' $$out); \
		awk -v ir=$$ir -v n=$(BENCH_PARSES) -v w=$$w 'BEGIN { \
			printf "parse %-8s %.1f instructions/parse (callgrind, %d parses%s)\n", \
				w, ir / n, n, ir % n ? ", not exact!" : ", exact" }'; \
	done

# make bench-parse-fields: where a typical parse's instructions go, field
# by field: each field's count is the typical REGISTER's minus the same
# REGISTER's without that field (callgrind, exact, as bench-parse).
.PHONY: bench-parse-fields
bench-parse-fields: $(BENCH_PARSE)
	@command -v valgrind >/dev/null || { echo "valgrind missing: no instruction counts" >&2; exit 1; }
	@ir() { valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/bench/callgrind.fields.out \
			--toggle-collect=sipreg_parse $(BENCH_PARSE) -c $(BENCH_PARSES) $$1 \
			>/dev/null 2>&1 || return 1; \
		sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' \
			$(BUILD)/bench/callgrind.fields.out | head -n 1; }; \
	all=$$(ir typical) || exit 1; \
	printf "%-16s %5s %8s %9s\n" field bytes instr instr/byte; \
	$(BENCH_PARSE) -f | while read -r k name bytes; do \
		without=$$(ir typical-$$k) || exit 1; \
		awk -v n="$$name" -v b=$$bytes -v a=$$all -v w=$$without -v c=$(BENCH_PARSES) \
			'BEGIN { d = (a - w) / c; printf "%-16s %5d %8.0f %9.1f\n", n, b, d, d / b }'; \
	done; \
	awk -v a=$$all -v c=$(BENCH_PARSES) 'BEGIN { printf "%-16s %5s %8.0f\n", "whole message", "-", a / c }'

# make bench-sipregd: sipp on loopback, natively, against sipregd alone
# (its defaults: db_sync full, group commit) and Kamailio 5.6 with 2
# workers: initial registrations/s, authenticated refreshes/s and each
# server's CPU per request (selftests/bench/sipp-native.sh; USERS=10000).
.PHONY: bench-sipregd
bench-sipregd: userspace
	@mkdir -p $(BUILD)/bench
	@selftests/bench/sipp-native.sh $(BUILD) | tee $(BUILD)/bench/sipp-native.txt
