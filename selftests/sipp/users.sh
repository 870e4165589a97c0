#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# users.sh [-sipp] N [PREFIX]: N users (PREFIX0001...), on stdout.
#   default: "user;password" lines for "sipregd user import FILE"
#   -sipp:   a sipp -inf file: field0 user, field1 the credentials as
#            "[authentication username=U password=P]", because sipp does
#            not expand [fieldN] inside the authentication keyword.
set -eu
sipp=0
if [ "${1:-}" = -sipp ]; then
	sipp=1
	shift
fi
n=${1:?usage: users.sh [-sipp] N [PREFIX]}
prefix=${2:-user}
awk -v n="$n" -v prefix="$prefix" -v sipp=$sipp 'BEGIN {
	print "SEQUENTIAL"
	for (i = 1; i <= n; i++) {
		u = sprintf("%s%04d", prefix, i)
		p = sprintf("pw%04d-secret", i)
		if (sipp)
			printf "%s;[authentication username=%s password=%s]\n", u, u, p
		else
			printf "%s;%s\n", u, p
	}
}'
