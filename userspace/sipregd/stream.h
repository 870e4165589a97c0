/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Framing of SIP over a byte stream (RFC 3261 18.3): a message ends
 * Content-Length bytes after the blank line that ends its headers. Pure:
 * no sockets, so that the unit test drives every split and limit.
 */
#ifndef SIPREGD_STREAM_H
#define SIPREGD_STREAM_H

#include <stddef.h>
#include <stdint.h>

enum stream_frame {
	STREAM_MORE,		/* no whole message yet: read on */
	STREAM_MSG,		/* a message of *len bytes */
	STREAM_PING,		/* CRLFCRLF keepalive (RFC 5626 4.4.1): *len */
	STREAM_SKIP,		/* CRLF between messages or a pong: *len */
	STREAM_TOO_LARGE,	/* headers or headers + body above @max */
	STREAM_BAD,		/* Content-Length unreadable or repeated */
};

/*
 * What the first bytes of @b (the unread part of the stream, @n bytes)
 * hold. A message may not be longer than @max bytes. A missing
 * Content-Length is read as 0.
 */
enum stream_frame stream_frame(const uint8_t *b, size_t n, size_t max,
			       size_t *len);

const char *stream_frame_name(enum stream_frame f);

#endif /* SIPREGD_STREAM_H */
