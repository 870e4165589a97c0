// SPDX-License-Identifier: GPL-2.0
/* RFC 4475 section 2 notation: see torture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "torture.h"

struct out {
	uint8_t *b;
	size_t n, size;
	int err;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->err || n > o->size - o->n) {
		o->err = 1;
		return;
	}
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Text with LF as CRLF, and <hex> groups, up to @n bytes. */
static void plain(struct out *o, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n && !o->err; i++) {
		if (s[i] == '\n') {
			put(o, "\r\n", 2);
		} else if (!strncmp(s + i, "<hex>", 5) && i + 5 <= n) {
			for (i += 5; i + 1 < n && s[i] != '<'; i += 2) {
				hi = hexval(s[i]);
				lo = hexval(s[i + 1]);
				if (hi < 0 || lo < 0) {
					o->err = 1;
					return;
				}
				put(o, &(uint8_t){ (uint8_t)(hi << 4 | lo) }, 1);
			}
			if (i + 6 > n || strncmp(s + i, "</hex>", 6)) {
				o->err = 1;
				return;
			}
			i += 5;
		} else {
			put(o, s + i, 1);
		}
	}
}

long torture_decode(const char *in, size_t n, uint8_t *out, size_t size)
{
	struct out o = { out, 0, size, 0 };
	const char *p = in, *end = in + n, *r, *e;
	char *after;
	long count;

	while (p < end && !o.err) {
		r = memmem(p, end - p, "<repeat count=", 14);
		if (!r) {
			plain(&o, p, end - p);
			break;
		}
		plain(&o, p, r - p);
		count = strtol(r + 14, &after, 10);
		if (count < 1 || *after != '>')
			return -1;
		e = memmem(after, end - after, "</repeat>", 9);
		if (!e)
			return -1;
		while (count-- > 0)
			plain(&o, after + 1, e - after - 1);
		p = e + 9;
	}
	return o.err ? -1 : (long)o.n;
}

long torture_load(const char *path, uint8_t *out, size_t size)
{
	static char text[1 << 17];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (n == sizeof(text))
		return -1;
	return torture_decode(text, n, out, size);
}
