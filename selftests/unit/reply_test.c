// SPDX-License-Identifier: GPL-2.0
/*
 * The shared response builder: transaction headers copied from the request,
 * Via received/rport (RFC 3261 18.2.2, RFC 3581, RFC 5118 4.5), To tag,
 * never writing past the buffer, and the Date header's calendar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "parser.h"
#include "reply.h"

#define TAIL \
	"From: <sip:alice@example.com>;tag=f1\r\n" \
	"To: <sip:alice@example.com>\r\n" \
	"Call-ID: abc@host\r\n" \
	"CSeq: 7 REGISTER\r\n" \
	"Contact: <sip:alice@192.0.2.1:5062>\r\n" \
	"Content-Length: 0\r\n\r\n"

#define RTAIL \
	"From: <sip:alice@example.com>;tag=f1\r\n" \
	"To: <sip:alice@example.com>;tag=T1\r\n" \
	"Call-ID: abc@host\r\n" \
	"CSeq: 7 REGISTER\r\n" \
	"Content-Length: 0\r\n\r\n"

static int build(const char *req, const char *addr, u16 port, char *out,
		 size_t size)
{
	struct sipreg_reply_src src = { addr, strlen(addr), port };
	struct sipreg_reply r;
	struct sipreg_msg m;
	int n;

	if (sipreg_parse((const u8 *)req, strlen(req), &m) != SIPREG_OK)
		return -2;
	sipreg_reply_init(&r, (u8 *)out, size);
	sipreg_reply_start(&r, (const u8 *)req, &m, 200, "OK", 2, &src,
			   (const u8 *)"T1", 2);
	n = sipreg_reply_end(&r);
	if (n >= 0 && (size_t)n < size)
		out[n] = 0;
	return n;
}

struct via_case {
	const char *name;
	const char *vias;	/* the request's Via lines */
	const char *addr;
	u16 port;
	const char *want;	/* the response's Via lines */
};

static const struct via_case via_cases[] = {
	{ "bare rport gets value and received even if same host",
	  "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK1;rport\r\n",
	  "192.0.2.1", 5062,
	  "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK1;rport=5062;received=192.0.2.1\r\n" },
	{ "rport in the middle, NATed source",
	  "Via: SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK2\r\n",
	  "198.51.100.7", 40001,
	  "Via: SIP/2.0/UDP 10.0.0.1:5060;rport=40001;branch=z9hG4bK2;received=198.51.100.7\r\n" },
	{ "rport with a value is replaced",
	  "Via: SIP/2.0/UDP 10.0.0.1;rport=1;branch=z9hG4bK3\r\n",
	  "10.0.0.1", 7000,
	  "Via: SIP/2.0/UDP 10.0.0.1;rport=7000;branch=z9hG4bK3;received=10.0.0.1\r\n" },
	{ "no rport, same host: untouched",
	  "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK4\r\n",
	  "192.0.2.1", 9999,
	  "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK4\r\n" },
	{ "no rport, host name: received",
	  "Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK5\r\n",
	  "192.0.2.1", 5060,
	  "Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK5;received=192.0.2.1\r\n" },
	{ "existing received value replaced when wrong",
	  "Via: SIP/2.0/UDP h.example;received=10.1.1.1;branch=z9hG4bK6\r\n",
	  "192.0.2.1", 5060,
	  "Via: SIP/2.0/UDP h.example;received=192.0.2.1;branch=z9hG4bK6\r\n" },
	{ "IPv6 same address, other case: no received (RFC 5118)",
	  "Via: SIP/2.0/UDP [2001:DB8::1]:5060;branch=z9hG4bK7\r\n",
	  "2001:db8::1", 5060,
	  "Via: SIP/2.0/UDP [2001:DB8::1]:5060;branch=z9hG4bK7\r\n" },
	{ "IPv6 received has no brackets (RFC 5118 4.5)",
	  "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK8;rport\r\n",
	  "2001:db8::9", 5061,
	  "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK8;rport=5061;received=2001:db8::9\r\n" },
	{ "several hops, folded, copied verbatim",
	  "Via: SIP/2.0/UDP p1.example;branch=z9hG4bKa,\r\n"
	  " SIP/2.0/UDP p2.example\r\n\t;branch=z9hG4bKb\r\n"
	  "v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKc\r\n",
	  "203.0.113.5", 5060,
	  "Via: SIP/2.0/UDP p1.example;branch=z9hG4bKa;received=203.0.113.5\r\n"
	  "Via: SIP/2.0/UDP p2.example\r\n\t;branch=z9hG4bKb\r\n"
	  "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKc\r\n" },
};

TEST(via_received_rport)
{
	char req[2048], out[2048], want[2048];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(via_cases); i++) {
		const struct via_case *c = &via_cases[i];

		snprintf(req, sizeof(req),
			 "REGISTER sip:example.com SIP/2.0\r\n%s" TAIL, c->vias);
		snprintf(want, sizeof(want), "SIP/2.0 200 OK\r\n%s" RTAIL,
			 c->want);
		ASSERT_LT(0, build(req, c->addr, c->port, out, sizeof(out)))
			TH_LOG("%s: parse or build failed", c->name);
		EXPECT_STREQ(want, out) TH_LOG("%s", c->name);
	}
}

TEST(to_tag_kept)
{
	static const char req[] =
		"REGISTER sip:example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
		"f: <sip:a@example.com>;tag=x\r\n"
		"t: \"A\" <sip:a@example.com>;tag=already\r\n"
		"i: c1\r\n"
		"CSeq: 4294 REGISTER\r\n\r\n";
	char out[1024];

	ASSERT_LT(0, build(req, "192.0.2.1", 5060, out, sizeof(out)));
	EXPECT_STREQ("SIP/2.0 200 OK\r\n"
		     "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
		     "From: <sip:a@example.com>;tag=x\r\n"
		     "To: \"A\" <sip:a@example.com>;tag=already\r\n"
		     "Call-ID: c1\r\n"
		     "CSeq: 4294 REGISTER\r\n"
		     "Content-Length: 0\r\n\r\n", out);
}

static int build401(const char *req, char *b, size_t size, size_t *len)
{
	struct sipreg_reply_src src = { "2001:db8::77", 12, 65535 };
	struct sipreg_reply r;
	struct sipreg_msg m;
	int got;

	if (sipreg_parse((const u8 *)req, strlen(req), &m) != SIPREG_OK)
		return -2;
	sipreg_reply_init(&r, (u8 *)b, size);
	sipreg_reply_start(&r, (const u8 *)req, &m, 401, "Unauthorized", 12,
			   &src, (const u8 *)"T1", 2);
	sipreg_reply_date(&r, 784111777);
	got = sipreg_reply_end(&r);
	*len = r.len;
	return got;
}

/*
 * Every buffer size from 0 to the full length, each an exact-size heap
 * block so that ASan catches a single byte written past it.
 */
TEST(overflow_every_length)
{
	static const char req[] =
		"REGISTER sip:example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK1\r\n"
		"Via: SIP/2.0/UDP p.example;branch=z9hG4bK0\r\n" TAIL;
	char full[2048];
	size_t len;
	int n = build401(req, full, sizeof(full), &len);
	int size;

	ASSERT_LT(0, n);
	for (size = 0; size <= n; size++) {
		char *b = malloc(size ? size : 1);

		ASSERT_NE(NULL, b);
		EXPECT_EQ(size < n ? -1 : n, build401(req, b, size, &len));
		EXPECT_LE(len, (size_t)size);
		if (size == n)
			EXPECT_EQ(0, memcmp(b, full, n));
		free(b);
	}
}

TEST(numbers)
{
	static const u32 v[] = { 0, 9, 10, 4294967295u, 1000000000 };
	char out[16], want[16];
	struct sipreg_reply r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		sipreg_reply_init(&r, (u8 *)out, sizeof(out));
		sipreg_reply_u32(&r, v[i]);
		out[r.len] = 0;
		snprintf(want, sizeof(want), "%u", v[i]);
		EXPECT_STREQ(want, out);
	}
}

TEST(date_rfc1123)
{
	char out[64];
	struct sipreg_reply r;

	sipreg_reply_init(&r, (u8 *)out, sizeof(out));
	sipreg_reply_date(&r, 784111777);	/* RFC 1123's own example */
	out[r.len] = 0;
	EXPECT_STREQ("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n", out);
	sipreg_reply_init(&r, (u8 *)out, sizeof(out));
	sipreg_reply_date(&r, 951782400);	/* a leap day of a 400-year */
	out[r.len] = 0;
	EXPECT_STREQ("Date: Tue, 29 Feb 2000 00:00:00 GMT\r\n", out);
}

/* Against libc's gmtime_r over 1970..2400, leap years and ends of months. */
TEST(gmtime_matches_libc)
{
	u64 t;
	unsigned int bad = 0;

	for (t = 0; t < 13569465600ULL; t += 86400 * 7 + 3601) {
		time_t tt = (time_t)t;
		struct sipreg_tm a;
		struct tm b;

		sipreg_gmtime(t, &a);
		gmtime_r(&tt, &b);
		if (a.year != (u32)b.tm_year + 1900 || a.mon != b.tm_mon + 1 ||
		    a.mday != b.tm_mday || a.wday != b.tm_wday ||
		    a.hour != b.tm_hour || a.min != b.tm_min ||
		    a.sec != b.tm_sec) {
			if (!bad++)
				TH_LOG("first mismatch at %llu",
				       (unsigned long long)t);
		}
	}
	EXPECT_EQ(0, bad);
}

TEST_HARNESS_MAIN
