/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP response builder shared by sipreg.ko and sipregd: writes a response
 * to a parsed REGISTER (or any request parsed into a struct sipreg_msg)
 * into a caller's bounded buffer. No allocation, no libc beyond
 * memcpy/memset/memcmp. Once the buffer is too short every later write is
 * dropped and sipreg_reply_end() reports the overflow, so callers write a
 * whole response and check once.
 */
#ifndef SIPREG_REPLY_H
#define SIPREG_REPLY_H

#include "shim.h"
#include "parser.h"

struct sipreg_reply {
	u8 *buf;
	size_t size;
	size_t len;
	bool overflow;
};

/*
 * Where the request came from. @addr is the source address as text,
 * IPv6 without brackets (RFC 5118 section 4.5: "received" holds an
 * IPv6address, which has none).
 */
struct sipreg_reply_src {
	const char *addr;
	size_t addr_len;
	u16 port;
};

void sipreg_reply_init(struct sipreg_reply *r, u8 *buf, size_t size);
void sipreg_reply_put(struct sipreg_reply *r, const void *p, size_t n);
void sipreg_reply_u32(struct sipreg_reply *r, u32 v);
void sipreg_reply_span(struct sipreg_reply *r, const u8 *req,
		       struct sipreg_span sp);
#define sipreg_reply_lit(r, lit) sipreg_reply_put(r, lit, sizeof(lit) - 1)

/*
 * Status line, every Via of @req (the top one with received/rport per
 * RFC 3261 18.2.2 and RFC 3581), From, To (with ";tag=" @tag added when
 * the request had none), Call-ID and CSeq. @reason without CRLF.
 */
void sipreg_reply_start(struct sipreg_reply *r, const u8 *req,
			const struct sipreg_msg *m, unsigned int code,
			const char *reason, size_t reason_len,
			const struct sipreg_reply_src *src,
			const u8 *tag, size_t tag_len);

/* Whether the top Via needs ";received=": see reply.c. */
bool sipreg_reply_needs_received(const u8 *req, const struct sipreg_msg *m,
				 const struct sipreg_reply_src *src);

/*
 * "Content-Length: 0" and the empty line. Returns the response length, or
 * -1 if it did not fit (the buffer then holds a truncated response that
 * must not be sent).
 */
int sipreg_reply_end(struct sipreg_reply *r);

/* Broken-down UTC time from seconds since 1970, proleptic Gregorian. */
struct sipreg_tm {
	u32 year;
	u8 mon;		/* 1..12 */
	u8 mday;	/* 1..31 */
	u8 wday;	/* 0 = Sunday */
	u8 hour, min, sec;
};

void sipreg_gmtime(u64 t, struct sipreg_tm *tm);

/* "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n" (RFC 3261 20.17, RFC 1123). */
void sipreg_reply_date(struct sipreg_reply *r, u64 t);

#endif /* SIPREG_REPLY_H */
