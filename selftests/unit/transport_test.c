// SPDX-License-Identifier: GPL-2.0
/*
 * SIP over streams, without sockets: the framing of stream.c (every
 * split point of a message, keepalives, the size limit, Content-Length
 * forms and defects), and the registrar's transport rule that sips: is
 * served over TLS only (RFC 3261 26.2).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "registrar/registrar.h"
#include "store/store.h"
#include "stream.h"

#define MSG "OPTIONS sip:a.example SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n" \
	    "Content-Length: 5\r\n\r\nhello"

static enum stream_frame frame(const char *s, size_t max, size_t *len)
{
	return stream_frame((const uint8_t *)s, strlen(s), max, len);
}

/* A message is only whole with its last byte: no prefix frames. */
TEST(every_split)
{
	const char *m = MSG;
	size_t n = strlen(m), i, len;
	char buf[512];

	for (i = 0; i < n; i++) {
		memcpy(buf, m, i);
		ASSERT_EQ(STREAM_MORE, stream_frame((const uint8_t *)buf, i,
						    65535, &len)) TH_LOG("at %zu", i);
	}
	ASSERT_EQ(STREAM_MSG, frame(m, 65535, &len));
	EXPECT_EQ(n, len);
}

/* Two messages in one read: the first one's length, exactly. */
TEST(pipelined)
{
	char buf[1024];
	size_t len;

	snprintf(buf, sizeof(buf), "%s%s", MSG, MSG);
	ASSERT_EQ(STREAM_MSG, frame(buf, 65535, &len));
	EXPECT_EQ(strlen(MSG), len);
}

TEST(keepalives)
{
	size_t len;

	EXPECT_EQ(STREAM_PING, frame("\r\n\r\n", 65535, &len));
	EXPECT_EQ(4, len);
	EXPECT_EQ(STREAM_PING, frame("\r\n\r\nOPTIONS", 65535, &len));
	EXPECT_EQ(STREAM_MORE, frame("\r\n", 65535, &len));
	EXPECT_EQ(STREAM_MORE, frame("\r\n\r", 65535, &len));
	EXPECT_EQ(STREAM_SKIP, frame("\r\nOPTIONS", 65535, &len));
	EXPECT_EQ(2, len);
}

/*
 * Pings, a lone CRLF and messages in one stream, fed in two reads split
 * at every point, as a connection's buffer gets them: the same frames in
 * the same order whatever the split (RFC 5626 4.4.1, RFC 3261 7.5).
 */
TEST(keepalives_every_split)
{
	static const enum stream_frame want[] = {
		STREAM_PING, STREAM_MSG, STREAM_PING, STREAM_SKIP, STREAM_MSG,
		STREAM_PING,
	};
	char all[1024], buf[1024];
	size_t n, cut, have, off, len;
	unsigned int k;

	n = (size_t)snprintf(all, sizeof(all), "\r\n\r\n%s\r\n\r\n\r\n%s"
			     "\r\n\r\n", MSG, MSG);
	for (cut = 0; cut <= n; cut++) {
		have = cut;
		memcpy(buf, all, cut);
		off = 0;
		k = 0;
		for (;;) {
			enum stream_frame f = stream_frame((const uint8_t *)buf + off,
							   have - off, 65535, &len);

			if (f == STREAM_MORE) {
				if (have == n)
					break;
				memcpy(buf + have, all + have, n - have);
				have = n;
				continue;
			}
			ASSERT_LT(k, ARRAY_SIZE(want)) TH_LOG("cut %zu", cut);
			ASSERT_EQ(want[k], f) TH_LOG("cut %zu, frame %u", cut, k);
			k++;
			off += len;
		}
		EXPECT_EQ(ARRAY_SIZE(want), k) TH_LOG("cut %zu", cut);
		EXPECT_EQ(n, off) TH_LOG("cut %zu", cut);
	}
}

TEST(compact_and_folded)
{
	size_t len;

	EXPECT_EQ(STREAM_MSG, frame("A sip:x SIP/2.0\r\nl :  3\r\n\r\nabc", 65535, &len));
	EXPECT_EQ(30, len);
	/* "Lang:" and "lx:" are other headers, not Content-Length */
	EXPECT_EQ(STREAM_MSG, frame("A sip:x SIP/2.0\r\nLang: 9\r\nlx: 9\r\n\r\n", 65535, &len));
	EXPECT_EQ(STREAM_MSG, frame("A sip:x SIP/2.0\r\nSubject: a\r\n l: 9\r\n\r\n", 65535, &len));
	/* no Content-Length: no body */
	EXPECT_EQ(STREAM_MSG, frame("A sip:x SIP/2.0\r\nX: y\r\n\r\nB", 65535, &len));
	EXPECT_EQ(25, len);
}

TEST(defects)
{
	size_t len;

	EXPECT_EQ(STREAM_BAD, frame("A sip:x SIP/2.0\r\nContent-Length: x\r\n\r\n", 65535, &len));
	EXPECT_EQ(STREAM_BAD, frame("A sip:x SIP/2.0\r\nContent-Length: -1\r\n\r\n", 65535, &len));
	EXPECT_EQ(STREAM_BAD, frame("A sip:x SIP/2.0\r\nContent-Length: 1 2\r\n\r\n", 65535, &len));
	EXPECT_EQ(STREAM_BAD, frame("A sip:x SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\nab", 65535, &len));
	/* the same value twice is one length */
	EXPECT_EQ(STREAM_MSG, frame("A sip:x SIP/2.0\r\nl: 2\r\nContent-Length: 2\r\n\r\nab", 65535, &len));
	/* more digits than any limit, 2^32 + 32 among them */
	EXPECT_EQ(STREAM_BAD, frame("A sip:x SIP/2.0\r\nl: 4294967328\r\n\r\n", 65535, &len));
}

TEST(limits)
{
	char *big = malloc(70000);
	size_t len;

	ASSERT_NE(NULL, big);
	/* a body beyond the limit is refused before it is read */
	EXPECT_EQ(STREAM_TOO_LARGE, frame("A sip:x SIP/2.0\r\nl: 65000\r\n\r\n", 2048, &len));
	EXPECT_EQ(STREAM_TOO_LARGE, frame("A sip:x SIP/2.0\r\nl: 999999999\r\n\r\n", 65535, &len));
	/* headers that never end within the limit */
	memset(big, 'a', 69999);
	big[69999] = 0;
	EXPECT_EQ(STREAM_TOO_LARGE, frame(big, 65535, &len));
	EXPECT_EQ(STREAM_MORE, stream_frame((const uint8_t *)big, 1000, 65535, &len));
	/* exactly at the limit is allowed */
	EXPECT_EQ(STREAM_MSG, frame(MSG, strlen(MSG), &len));
	EXPECT_EQ(STREAM_TOO_LARGE, frame(MSG, strlen(MSG) - 1, &len));
	free(big);
}

/* ---- sips: over TLS only ---------------------------------------------------- */

static size_t ask(struct registrar *r, const char *req,
		  enum registrar_transport tp, char *out, size_t size)
{
	struct sockaddr_in src = { .sin_family = AF_INET,
				   .sin_port = htons(5062) };
	struct registrar_time now = { .wall = 1700000000, .boot = 1000 };
	struct registrar_pkt pkt = {
		(const uint8_t *)req, strlen(req),
		(const struct sockaddr *)&src, NULL, tp, 0,
	};
	size_t n;

	inet_pton(AF_INET, "192.0.2.1", &src.sin_addr);
	n = registrar_handle(r, &pkt, &now, (uint8_t *)out, size - 1);
	out[n] = 0;
	return n;
}

static int status(const char *resp)
{
	return strlen(resp) > 12 ? atoi(resp + 8) : 0;
}

static void request(char *buf, size_t size, const char *method,
		    const char *ruri, const char *to, int branch)
{
	snprintf(buf, size,
		 "%s %s SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.1:5062;branch=z9hG4bK%d\r\n"
		 "From: <%s>;tag=f\r\nTo: <%s>\r\nCall-ID: c%d\r\nCSeq: 1 %s\r\n"
		 "Contact: <sips:alice@192.0.2.1:5062>\r\nContent-Length: 0\r\n\r\n",
		 method, ruri, branch, to, to, branch, method);
}

TEST(sips_over_tls_only)
{
	struct registrar_cfg cfg = {
		.realm = "example.com", .min_expires = 60,
		.default_expires = 3600, .max_expires = 7200,
		.max_contacts = 3, .nonce_lifetime = 300, .alg_md5 = true,
	};
	struct registrar_time now = { .wall = 1700000000, .boot = 1000 };
	static char out[REGISTRAR_RESP_MAX], req[1024];
	struct registrar *r;
	struct store *st;
	char err[256];
	int b = 0;

	st = store_open(":memory:", STORE_SYNC_NORMAL, err, sizeof(err));
	ASSERT_NE(NULL, st);
	r = registrar_new(&cfg, st, NULL, &now, 1024);
	ASSERT_NE(NULL, r);

	/* a sips: Request-URI: 416 over UDP and TCP, served over TLS */
	request(req, sizeof(req), "OPTIONS", "sips:example.com", "sip:a@example.com", ++b);
	ask(r, req, REGISTRAR_UDP, out, sizeof(out));
	EXPECT_EQ(416, status(out)) TH_LOG("%s", out);
	request(req, sizeof(req), "OPTIONS", "sips:example.com", "sip:a@example.com", ++b);
	ask(r, req, REGISTRAR_TCP, out, sizeof(out));
	EXPECT_EQ(416, status(out)) TH_LOG("%s", out);
	request(req, sizeof(req), "OPTIONS", "sips:example.com", "sip:a@example.com", ++b);
	ask(r, req, REGISTRAR_TLS, out, sizeof(out));
	EXPECT_EQ(200, status(out)) TH_LOG("%s", out);

	/* a sips: AOR with a sip: Request-URI: 403 unless over TLS */
	request(req, sizeof(req), "REGISTER", "sip:example.com", "sips:alice@example.com", ++b);
	ask(r, req, REGISTRAR_UDP, out, sizeof(out));
	EXPECT_EQ(403, status(out)) TH_LOG("%s", out);
	request(req, sizeof(req), "REGISTER", "sip:example.com", "sips:alice@example.com", ++b);
	ask(r, req, REGISTRAR_TCP, out, sizeof(out));
	EXPECT_EQ(403, status(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Via: SIP/2.0/TLS 192.0.2.1:5062;branch=z9hG4bK"));
	request(req, sizeof(req), "REGISTER", "sips:example.com", "sips:alice@example.com", ++b);
	ask(r, req, REGISTRAR_TLS, out, sizeof(out));
	EXPECT_EQ(401, status(out)) TH_LOG("%s", out);

	/* sip: is served on every transport */
	request(req, sizeof(req), "REGISTER", "sip:example.com", "sip:alice@example.com", ++b);
	ask(r, req, REGISTRAR_TCP, out, sizeof(out));
	EXPECT_EQ(401, status(out)) TH_LOG("%s", out);
	registrar_free(r);
	store_close(st);
}

/* ---- 513 for a message past stream_max_message (RFC 3261 18.3) -------------- */

static size_t too_large(struct registrar *r, const char *part, char *out,
			size_t size)
{
	struct sockaddr_in src = { .sin_family = AF_INET,
				   .sin_port = htons(5062) };
	struct registrar_time now = { .wall = 1700000000, .boot = 1000 };
	struct registrar_pkt pkt = {
		(const uint8_t *)part, strlen(part),
		(const struct sockaddr *)&src, NULL, REGISTRAR_TCP, 0,
	};
	size_t n;

	inet_pton(AF_INET, "192.0.2.1", &src.sin_addr);
	n = registrar_too_large(r, &pkt, &now, (uint8_t *)out, size - 1);
	out[n] = 0;
	return n;
}

TEST(too_large_513)
{
	struct registrar_cfg cfg = {
		.realm = "example.com", .min_expires = 60,
		.default_expires = 3600, .max_expires = 7200,
		.max_contacts = 3, .nonce_lifetime = 300, .alg_md5 = true,
	};
	struct registrar_time now = { .wall = 1700000000, .boot = 1000 };
	static char out[REGISTRAR_RESP_MAX], req[1024];
	struct registrar *r;
	struct store *st;
	char err[256];

	st = store_open(":memory:", STORE_SYNC_NORMAL, err, sizeof(err));
	ASSERT_NE(NULL, st);
	r = registrar_new(&cfg, st, NULL, &now, 1024);
	ASSERT_NE(NULL, r);

	/* whole headers, a Content-Length past the limit, no body */
	request(req, sizeof(req), "REGISTER", "sip:example.com",
		"sip:alice@example.com", 1);
	*strstr(req, "Length: 0") = 0;
	strcat(req, "Length: 99999\r\n\r\n");
	ASSERT_NE(0, too_large(r, req, out, sizeof(out)));
	EXPECT_EQ(513, status(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Message Too Large (stream_max_message)"));
	EXPECT_NE(NULL, strstr(out, "\r\nVia: SIP/2.0/TLS 192.0.2.1:5062;branch=z9hG4bK1\r\n"));
	EXPECT_NE(NULL, strstr(out, "\r\nCall-ID: c1\r\n"));
	EXPECT_NE(NULL, strstr(out, "\r\nCSeq: 1 REGISTER\r\n"));

	/* headers cut in the middle of a line: the whole lines answer */
	request(req, sizeof(req), "OPTIONS", "sip:example.com",
		"sip:a@example.com", 2);
	strcpy(strstr(req, "Contact:"), "X-Pad: aaaaaaaa");
	too_large(r, req, out, sizeof(out));
	EXPECT_EQ(513, status(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\r\nCall-ID: c2\r\n"));

	/* nothing to answer: no Via yet, a response, an ACK, junk */
	EXPECT_EQ(0, too_large(r, "REGISTER sip:example.com SIP/2.0\r\nX-Pad: aaa", out, sizeof(out)));
	EXPECT_EQ(0, too_large(r, "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\n"
				  "From: <sip:a@h>;tag=1\r\nTo: <sip:a@h>\r\nCall-ID: x\r\n"
				  "CSeq: 1 REGISTER\r\n", out, sizeof(out)));
	request(req, sizeof(req), "ACK", "sip:example.com", "sip:a@example.com", 3);
	EXPECT_EQ(0, too_large(r, req, out, sizeof(out)));
	EXPECT_EQ(0, too_large(r, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out, sizeof(out)));
	registrar_free(r);
	store_close(st);
}

TEST_HARNESS_MAIN
