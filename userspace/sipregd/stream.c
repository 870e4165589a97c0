// SPDX-License-Identifier: GPL-2.0
/*
 * Stream framing: find the end of the headers within the limit, read
 * Content-Length (long form or "l", RFC 3261 7.3.3) from them with a
 * digit cap, and wait until the body is complete. Every scan is bounded
 * by the bytes present and by @max.
 */
#include <string.h>
#include <strings.h>

#include "stream.h"

/* A Content-Length of more digits is over any limit sipregd takes. */
#define DIGITS_MAX	9

static size_t headers_end(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++)
		if (b[i] == '\r' && !memcmp(b + i, "\r\n\r\n", 4))
			return i + 4;
	return 0;
}

static size_t skip_ws(const uint8_t *b, size_t i, size_t end)
{
	while (i < end && (b[i] == ' ' || b[i] == '\t'))
		i++;
	return i;
}

/*
 * The line [i, eol) if it is a Content-Length field: 1 and its value,
 * 0 if it is another field, -1 if its value is not a number.
 */
static int content_length(const uint8_t *b, size_t i, size_t eol,
			  unsigned long *val)
{
	static const char name[] = "content-length";
	size_t nl = sizeof(name) - 1, d = 0;
	unsigned long v = 0;

	if (eol - i >= nl && !strncasecmp((const char *)b + i, name, nl))
		i += nl;
	else if (eol - i >= 1 && (b[i] == 'l' || b[i] == 'L'))
		i += 1;
	else
		return 0;
	i = skip_ws(b, i, eol);
	if (i == eol || b[i] != ':')
		return 0;		/* "Lang: x", "lx: ..." */
	i = skip_ws(b, i + 1, eol);
	while (i < eol && b[i] >= '0' && b[i] <= '9' && d < DIGITS_MAX) {
		v = v * 10 + (unsigned long)(b[i++] - '0');
		d++;
	}
	i = skip_ws(b, i, eol);
	if (!d || i != eol)
		return -1;
	*val = v;
	return 1;
}

/* Over the header lines of [0, hend): 0 and the length, -1 if bad. */
static int find_length(const uint8_t *b, size_t hend, unsigned long *clen)
{
	size_t i, eol;
	unsigned long v;
	int seen = 0, r;

	*clen = 0;
	/* the start line first; hend - 2 is the blank line's CRLF */
	for (i = 0; i < hend - 2; i = eol + 2) {
		for (eol = i; eol + 1 < hend && !(b[eol] == '\r' &&
						   b[eol + 1] == '\n'); eol++)
			;
		if (i == 0 || b[i] == ' ' || b[i] == '\t')
			continue;	/* start line, folded continuation */
		r = content_length(b, i, eol, &v);
		if (r < 0 || (r > 0 && seen && v != *clen))
			return -1;
		if (r > 0) {
			seen = 1;
			*clen = v;
		}
	}
	return 0;
}

enum stream_frame stream_frame(const uint8_t *b, size_t n, size_t max,
			       size_t *len)
{
	unsigned long clen;
	size_t hend;

	*len = 0;
	if (n >= 2 && b[0] == '\r' && b[1] == '\n') {
		if (n >= 4 && b[2] == '\r' && b[3] == '\n') {
			*len = 4;
			return STREAM_PING;
		}
		if (n == 2 || (n == 3 && b[2] == '\r'))
			return STREAM_MORE;	/* a ping may be half here */
		*len = 2;
		return STREAM_SKIP;
	}
	hend = headers_end(b, n < max ? n : max);
	if (!hend)
		return n >= max ? STREAM_TOO_LARGE : STREAM_MORE;
	if (find_length(b, hend, &clen))
		return STREAM_BAD;
	if (clen > max - hend)
		return STREAM_TOO_LARGE;
	if (n < hend + clen)
		return STREAM_MORE;
	*len = hend + clen;
	return STREAM_MSG;
}

const char *stream_frame_name(enum stream_frame f)
{
	switch (f) {
	case STREAM_MORE: return "more";
	case STREAM_MSG: return "message";
	case STREAM_PING: return "ping";
	case STREAM_SKIP: return "crlf";
	case STREAM_TOO_LARGE: return "too_large";
	case STREAM_BAD: return "bad_content_length";
	}
	return "?";
}
