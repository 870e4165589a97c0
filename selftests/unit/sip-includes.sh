#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sip-includes.sh [BUILD]: the rule of kmod/sip/, as TAP. The files there
# are compiled into sipreg.ko and into userspace, so they reach the kernel
# or libc only through shim.h: <linux/...> inside its __KERNEL__ branch,
# libc in shim_user.h. Every other file includes only headers of
# kmod/sip/ and has no __KERNEL__ branch of its own. Run from the top of
# the tree; the last tests break a copy to show the checks can fail.
set -u
cc=${CC:-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 rc=0

echo "1..4"
result() {	# result STATUS DESCRIPTION [DETAILS]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && echo "$3" | sed 's/^/# /'
		rc=1
	fi
}

# check_text DIR: prints one line per include that breaks the rule.
check_text() {
	local dir=$1 f base
	for f in "$dir"/*.[ch]; do
		base=${f##*/}
		awk -v dir="$dir" -v file="$base" '
			function bad(why) { print file ":" FNR ": " why ": " $0 }
			/^[ \t]*#[ \t]*if(def)?[ \t].*__KERNEL__/ { kernel = 1
				if (file != "shim.h") bad("__KERNEL__ outside shim.h") }
			/^[ \t]*#[ \t]*else/ { kernel = 0 }
			/^[ \t]*#[ \t]*endif/ { kernel = 0 }
			/^[ \t]*#[ \t]*include[ \t]*</ {
				h = $0; sub(/.*</, "", h); sub(/>.*/, "", h)
				if (file == "shim.h" && kernel && h ~ /^linux\//) next
				if (file == "shim_user.h" && h !~ /\//) next
				bad("<" h "> outside shim.h/shim_user.h")
			}
			/^[ \t]*#[ \t]*include[ \t]*"/ {
				h = $0; sub(/^[^"]*"/, "", h); sub(/".*/, "", h)
				if (h ~ /\// || system("test -f \"" dir "/" h "\"")) \
					bad("\"" h "\" is not a header of kmod/sip")
			}' "$f"
	done
}

# check_cpp DIR: each .c preprocessed for userspace (gcc -H); prints every
# header outside DIR that is not reached through shim_user.h.
check_cpp() {
	local dir=$1 f
	for f in "$dir"/*.c; do
		"$cc" -std=c11 -E -H -I"$dir" -o /dev/null "$f" 2>&1 |
		awk -v dir="$(cd "$dir" && pwd)" -v file="${f##*/}" '
			/^\.+ / {
				depth = index($0, " ") - 1; h = $2
				if (h !~ /^\//) h = ENVIRON["PWD"] "/" h
				via[depth] = h
				ok = 0
				for (d = 1; d <= depth; d++)
					if (via[d] ~ /\/shim_user\.h$/) ok = 1
				if (!ok && index(h, dir "/") != 1)
					print file ": " h " not through shim_user.h"
				next
			}
			/error/ { print file ": " $0 }'
	done
}

out=$(check_text kmod/sip)
result "$([ -z "$out" ]; echo $?)" "kmod/sip includes only its own headers; kernel and libc only in shim.h" "$out"
out=$(check_cpp kmod/sip)
result "$([ -z "$out" ]; echo $?)" "kmod/sip preprocessed for userspace: every outside header comes through shim_user.h" "$out"

# The checks must be able to fail: a copy with a kernel header and a
# header of the module proper.
cp -r kmod/sip "$tmp/sip"
cp kmod/config.h "$tmp/"
sed -i '0,/#include "parser.h"/s//#include "parser.h"\n#include <linux\/skbuff.h>\n#include "..\/config.h"/' "$tmp/sip/parser.c"
out=$(check_text "$tmp/sip")
result "$(echo "$out" | grep -q 'linux/skbuff.h' && echo "$out" | grep -q 'config.h'; echo $?)" \
	"a copy of parser.c with <linux/skbuff.h> and \"../config.h\" is refused" "$out"
cp kmod/sip/parser.c "$tmp/sip/parser.c"
sed -i '0,/#include "parser.h"/s//#include "parser.h"\n#include <stdio.h>/' "$tmp/sip/parser.c"
out=$(check_cpp "$tmp/sip")
result "$(echo "$out" | grep -q 'stdio.h'; echo $?)" \
	"a copy of parser.c with <stdio.h> is refused by the preprocessor check" "$out"
exit $rc
