// SPDX-License-Identifier: GPL-2.0
/*
 * What a user name or realm may be, wherever it comes from (argv, a
 * configuration file, an import file): it goes into SIP headers as a
 * quoted-string and into the database as it is, so a quote, a backslash,
 * a control character or a line break would forge header fields, and a
 * name longer than the store's buffers would be cut or overflow them.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

bool store_name_check(const char *v, char *why, size_t size)
{
	size_t n = strlen(v), i;

	if (!n) {
		snprintf(why, size, "empty");
		return false;
	}
	if (n >= STORE_NAME_MAX) {
		snprintf(why, size, "too long: %zu bytes, at most %d", n,
			 STORE_NAME_MAX - 1);
		return false;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= ' ' || c >= 0x7f || strchr("\"\\;", c)) {
			snprintf(why, size, "character %zu (0x%02x) not allowed: "
				 "printable ASCII without space, \" \\ ;",
				 i + 1, c);
			return false;
		}
	}
	return true;
}
