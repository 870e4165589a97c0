// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "hex.h"

size_t hex_bad(const char *s, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i < 2 * n; i++)
		if (hex_digit(s[i]) < 0)
			return i;
	return (size_t)-1;
}

bool hex_decode(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n || hex_bad(s, n) != (size_t)-1)
		return false;
	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(hex_digit(s[2 * i]) << 4 |
				   hex_digit(s[2 * i + 1]));
	return true;
}
