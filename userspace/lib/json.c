// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "json.h"

/* Continuation bytes of a valid UTF-8 sequence starting at @s[0]: 0 if none. */
static size_t utf8_tail(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need, k;

	need = c >= 0xf0 && c <= 0xf4 ? 3 :
	       c >= 0xe0 ? (c < 0xf0 ? 2 : 0) :
	       c >= 0xc2 ? 1 : 0;
	for (k = 1; k <= need; k++)
		if (k >= n || (s[k] & 0xc0) != 0x80)
			return 0;
	/* overlongs and surrogates are not valid UTF-8 */
	if (need == 2 && ((c == 0xe0 && s[1] < 0xa0) ||
			  (c == 0xed && s[1] >= 0xa0)))
		return 0;
	if (need == 3 && ((c == 0xf0 && s[1] < 0x90) ||
			  (c == 0xf4 && s[1] >= 0x90)))
		return 0;
	return need;
}

void json_write_str(FILE *f, const void *str, size_t n)
{
	const unsigned char *s = str;
	size_t i, tail;
	unsigned char c;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\r') {
			fputs("\\r", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc(c, f);
		} else if ((tail = utf8_tail(s + i, n - i))) {
			fwrite(s + i, 1, tail + 1, f);
			i += tail;
		} else {
			fprintf(f, "\\u%04x", c);
		}
	}
	fputc('"', f);
}

void json_write_cstr(FILE *f, const char *s)
{
	json_write_str(f, s, strlen(s));
}
