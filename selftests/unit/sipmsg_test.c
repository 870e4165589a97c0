// SPDX-License-Identifier: GPL-2.0
/*
 * The general SIP message layer (userspace/lib/sipmsg.c): what it calls
 * well-formed, the status and defect it gives a bad request, the
 * transaction fields it keeps, every RFC 4475 message at the parser level,
 * and its response fields byte for byte against kmod/sip/reply.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "parser.h"
#include "reply.h"
#include "sipmsg.h"
#include "torture.h"

#define HDRS(method, cseq) \
	"Via: SIP/2.0/UDP 192.0.2.1:5062;rport;branch=z9hG4bKa\r\n" \
	"From: <sip:alice@example.com>;tag=1\r\n" \
	"To: <sip:alice@example.com>\r\n" \
	"Call-ID: c1\r\nCSeq: " cseq " " method "\r\n"

static unsigned int parse(const char *s, struct sipmsg *m)
{
	return sipmsg_parse((const uint8_t *)s, strlen(s), m);
}

static bool only_b(const uint8_t *tag, size_t n)
{
	return n == 1 && tag[0] == 'b';
}

static bool span_eq(const char *b, struct sipmsg_span sp, const char *want)
{
	return sp.len == strlen(want) && !memcmp(b + sp.off, want, sp.len);
}

struct bad {
	const char *msg;
	unsigned int status;
	const char *defect;
};

static const struct bad bad[] = {
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("INVITE", "1") "\r\n", 400,
	  "cseq_method_mismatch" },
	{ "OPTIONS sip:a@b SIP/3.0\r\n" HDRS("OPTIONS", "1") "\r\n", 505,
	  "bad_version" },
	{ "OPTIONS  sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1") "\r\n", 400,
	  "bad_request_line" },
	{ "OPTIONS sip:a@b?x=y SIP/2.0\r\n" HDRS("OPTIONS", "1") "\r\n", 400,
	  "bad_uri" },
	{ "OPTIONS sip:a%2@b SIP/2.0\r\n" HDRS("OPTIONS", "1") "\r\n", 400,
	  "bad_uri" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "99999999999") "\r\n",
	  400, "bad_cseq_number" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
	  "Max-Forwards: 256\r\n\r\n", 400, "bad_max_forwards" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
	  "Content-Length: 5\r\n\r\nabc", 400, "content_length_mismatch" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
	  "Call-ID: c2\r\n\r\n", 400, "duplicate_header" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
	  "Require: a b\r\n\r\n", 400, "bad_require" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
	  "X: a\nb\r\n\r\n", 400, "bad_line_ending" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
	  "X: a\r\n", 400, "truncated" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
	  "X y: a\r\n\r\n", 400, "bad_header" },
	{ "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=x\r\n"
	  "To: <sip:b@c>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n", 400,
	  "missing_from" },
	{ "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
	  "From: x\r\n\r\n", 400, "duplicate_header" },
};

TEST(bad_requests)
{
	struct sipmsg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(bad[i].status, parse(bad[i].msg, &m))
			TH_LOG("%s", bad[i].msg);
		EXPECT_STREQ(bad[i].defect, m.defect) TH_LOG("%s", bad[i].msg);
		/* a 400 still goes back: the transaction fields were kept */
		if (strcmp(bad[i].defect, "missing_from"))
			EXPECT_TRUE(sipmsg_answerable(&m)) TH_LOG("%s", bad[i].msg);
	}
}

TEST(responses_and_methods)
{
	static const struct {
		const char *start;
		enum sipmsg_method id;
	} t[] = {
		{ "REGISTER", SIPMSG_REGISTER }, { "OPTIONS", SIPMSG_OPTIONS },
		{ "ACK", SIPMSG_ACK }, { "CANCEL", SIPMSG_CANCEL },
		{ "INVITE", SIPMSG_OTHER_KNOWN }, { "MESSAGE", SIPMSG_OTHER_KNOWN },
		{ "invite", SIPMSG_UNKNOWN }, { "FOO", SIPMSG_UNKNOWN },
	};
	char buf[512];
	struct sipmsg m;
	size_t i;

	EXPECT_EQ(0, parse("SIP/2.0 200 OK\r\n\r\n", &m));
	EXPECT_TRUE(m.response);
	EXPECT_FALSE(sipmsg_answerable(&m));
	EXPECT_EQ(0, parse("sip/2.0 4294967301 x\r\n" HDRS("INVITE", "1"), &m));
	EXPECT_TRUE(m.response);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		snprintf(buf, sizeof(buf), "%s sip:a@b SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP h;branch=x\r\nFrom: <sip:a@b>;tag=1\r\n"
			 "To: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 %s\r\n\r\n",
			 t[i].start, t[i].start);
		EXPECT_EQ(0, parse(buf, &m)) TH_LOG("%s: %s", t[i].start, m.defect);
		EXPECT_EQ(t[i].id, m.method_id) TH_LOG("%s", t[i].start);
		EXPECT_TRUE(m.sip_uri);
	}
	EXPECT_EQ(0, parse("OPTIONS tel:+1555 SIP/2.0\r\n" HDRS("OPTIONS", "1")
			   "\r\n", &m));
	EXPECT_FALSE(m.sip_uri);
}

TEST(fields)
{
	static const char s[] =
		"INVITE sip:a@b SIP/2.0\r\n"
		"v: SIP / 2.0 / UDP [2001:db8::1]:5060 ; received = 192.0.2.9 ;"
		"\r\n rport ; branch = z9hG4bKx , SIP/2.0/TCP h2\r\n"
		"Via: SIP/2.0/TCP h3;branch=\"q,uoted\", SIP/2.0/TLS h4\r\n"
		"f: \"A \\\" B\" <sip:a@b;x=y> ; tag = t1\r\n"
		"t: sip:c@d;tag=t2\r\ni: id@host\r\n"
		"CSeq: 007\r\n  INVITE\r\nl: 3\r\nRequire: a, b\r\nRequire: c\r\n"
		"\r\nabcdef";
	struct sipmsg m;
	char out[64];

	ASSERT_EQ(0, parse(s, &m)) TH_LOG("%s", m.defect);
	EXPECT_EQ(4, m.n_vias);
	EXPECT_TRUE(span_eq(s, m.via.host, "[2001:db8::1]"));
	EXPECT_TRUE(span_eq(s, m.via.received, "192.0.2.9"));
	EXPECT_TRUE(span_eq(s, m.via.rport, ";\r\n rport"));
	EXPECT_TRUE(span_eq(s, m.via.branch, "z9hG4bKx"));
	EXPECT_TRUE(span_eq(s, m.vias[1], "SIP/2.0/TCP h2"));
	EXPECT_TRUE(span_eq(s, m.vias[2], "SIP/2.0/TCP h3;branch=\"q,uoted\""));
	EXPECT_TRUE(span_eq(s, m.from.tag, "t1"));
	EXPECT_TRUE(span_eq(s, m.to.tag, "t2"));
	EXPECT_TRUE(span_eq(s, m.call_id, "id@host"));
	EXPECT_EQ(7, m.cseq);
	EXPECT_TRUE(span_eq(s, m.cseq_method, "INVITE"));
	EXPECT_EQ(3, m.content_length);
	EXPECT_EQ(2, m.n_require);
	EXPECT_EQ(4, sipmsg_unsupported((const uint8_t *)s, &m, only_b, out,
					sizeof(out)));
	EXPECT_STREQ("a, c", out);
}

/* The general layer takes a request of any size a datagram can have. */
TEST(sizes)
{
	static char big[SIPMSG_MAX_LEN + 2];
	const char *head = "OPTIONS sip:a@b SIP/2.0\r\n" HDRS("OPTIONS", "1")
			   "\r\n";
	struct sipmsg m;
	size_t n = strlen(head);

	memcpy(big, head, n);
	memset(big + n, 'x', sizeof(big) - n);
	EXPECT_EQ(0, sipmsg_parse((uint8_t *)big, SIPMSG_MAX_LEN, &m));
	EXPECT_EQ(SIPMSG_MAX_LEN - n, m.content_length);
	EXPECT_EQ(513, sipmsg_parse((uint8_t *)big, SIPMSG_MAX_LEN + 1, &m));
	EXPECT_STREQ("too_large", m.defect);
	/* the shared parser, for REGISTERs, up to the same size */
	head = "REGISTER sip:a@b SIP/2.0\r\n" HDRS("REGISTER", "1") "\r\n";
	n = strlen(head);
	memcpy(big, head, n);
	memset(big + n, 'x', sizeof(big) - n);
	{
		struct sipreg_msg r;

		EXPECT_EQ(SIPREG_OK, sipreg_parse_max((u8 *)big, SIPMSG_MAX_LEN,
						      SIPREG_SPAN_MAX, &r));
		EXPECT_EQ(SIPMSG_MAX_LEN, r.body_off + r.content_length);
		EXPECT_EQ(SIPREG_TOO_LARGE, sipreg_parse((u8 *)big, 5000, &r));
	}
}

/* For a REGISTER both can read, both writers give the same bytes. */
TEST(reply_same_as_shared)
{
	static const char *vias[] = {
		"Via: SIP/2.0/UDP 192.0.2.1:5062;rport;branch=z9hG4bKa\r\n",
		"Via: SIP/2.0/UDP h.example;received=1.2.3.4;branch=b;rport=9\r\n",
		"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKc\r\n"
		"Via: SIP/2.0/TCP p1, SIP/2.0/TCP p2\r\n",
		"Via: SIP/2.0/UDP [2001:db8::1];branch=d\r\n",
	};
	struct sipreg_reply_src src = { "192.0.2.1", 9, 5062 };
	u8 a[2048], b[2048];
	struct sipreg_reply ra, rb;
	struct sipreg_msg r;
	struct sipmsg m;
	char req[1024];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vias); i++) {
		snprintf(req, sizeof(req), "REGISTER sip:example.com SIP/2.0\r\n%s"
			 "From: <sip:alice@example.com>;tag=1\r\n"
			 "To: <sip:alice@example.com>\r\nCall-ID: c1\r\n"
			 "CSeq: 0042 REGISTER\r\nContact: <sip:a@192.0.2.1>\r\n\r\n",
			 vias[i]);
		ASSERT_EQ(0, parse(req, &m)) TH_LOG("%s", m.defect);
		ASSERT_EQ(SIPREG_OK, sipreg_parse((u8 *)req, strlen(req), &r));
		sipreg_reply_init(&ra, a, sizeof(a));
		sipreg_reply_init(&rb, b, sizeof(b));
		sipreg_reply_start(&ra, (u8 *)req, &r, 401, "Unauthorized", 12,
				   &src, (const u8 *)"tag", 3);
		sipmsg_reply_start(&rb, (uint8_t *)req, &m, 401, "Unauthorized",
				   &src, "tag", 3);
		ASSERT_EQ(ra.len, rb.len) TH_LOG("%.*s\n%.*s", (int)ra.len, a,
						 (int)rb.len, b);
		EXPECT_EQ(0, memcmp(a, b, ra.len)) TH_LOG("%.*s\n%.*s",
							  (int)ra.len, a,
							  (int)rb.len, b);
	}
}

/*
 * Every RFC 4475 message at the parser level: the 400s, 505s and 513s
 * of selftests/data/rfc4475/expected are the general layer's (but
 * REGISTER's own fields, which the shared parser judges), the rest are
 * well-formed or responses.
 */
TEST(rfc4475)
{
	static uint8_t msg[65536];
	char line[256], name[64], words[128], path[128];
	unsigned int want, n = 0;
	struct sipmsg m;
	FILE *f = fopen("selftests/data/rfc4475/expected", "r");
	long len;

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		words[0] = 0;
		if (line[0] == '#' || sscanf(line, "%63s %u %127[^\n]", name,
					     &want, words) < 2)
			continue;
		snprintf(path, sizeof(path), "selftests/data/rfc4475/%s.sip", name);
		len = torture_load(path, msg, sizeof(msg));
		ASSERT_LT(0, len) TH_LOG("%s", path);
		n++;
		if (want == 400 && !strcmp(words, "(bad_contact)"))
			want = 0;	/* the shared parser's */
		if (want != 400 && want != 505 && want != 513)
			want = 0;
		EXPECT_EQ(want, sipmsg_parse(msg, (size_t)len, &m))
			TH_LOG("%s: %s", name, m.defect);
		if (want == 400 && words[0] == '(')
			EXPECT_EQ(0, strncmp(words + 1, m.defect,
					     strlen(words) - 2))
				TH_LOG("%s: %s, want %s", name, m.defect, words);
		if (!m.response)
			EXPECT_TRUE(sipmsg_answerable(&m)) TH_LOG("%s", name);
	}
	fclose(f);
	EXPECT_EQ(49, n);
}

/* Random bytes are never a request anyone could answer (no Via). */
TEST(garbage)
{
	static uint8_t buf[2048];
	unsigned int seed = 7, i, j;
	struct sipmsg m;

	for (i = 0; i < 2000; i++) {
		size_t n = i % sizeof(buf);

		for (j = 0; j < n; j++) {
			seed = seed * 1103515245 + 12345;
			buf[j] = (uint8_t)(seed >> 16);
		}
		sipmsg_parse(buf, n, &m);
		EXPECT_FALSE(sipmsg_answerable(&m) && m.status == 0 &&
			     m.n_vias == 0);
	}
}

TEST_HARNESS_MAIN
