// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of sipreg-load's pieces: the latency histogram, the response
 * scanner (the 401 wire vector, compact and folded headers, Contact lists,
 * challenges), the request builder round-tripped through the shared parser
 * and digest code, user patterns, the timer wheel, the user agent's
 * judgement of responses, and a storm's retransmission, Retry-After and
 * back-off times (the clock injected: nothing sleeps).
 */
#include <stdio.h>
#include <stdlib.h>

/* The harness itself trips these under -Wextra; its enum compares too. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
/* Its fixture TESTs setjmp around locals it declares itself. */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include "conn.h"
#include "digest.h"
#include "parser.h"
#include "retry.h"
#include "sip.h"
#include "stats.h"
#include "timer.h"
#include "ua.h"
#include "users.h"

static bool is(struct lg_str s, const char *want)
{
	return s.len == strlen(want) && !memcmp(s.p, want, s.len);
}

#define EXPECT_STR(s, want) \
	EXPECT_TRUE(is(s, want)) \
		TH_LOG("%s: got \"%.*s\", want \"%s\"", #s, (int)(s).len, \
		       (s).p ? (s).p : "", want)

/* An exact-size heap copy, so ASan sees any read past the end. */
static char *dup_exact(const char *text, size_t *len)
{
	char *p;

	*len = strlen(text);
	p = malloc(*len ? *len : 1);
	if (!p)
		abort();
	memcpy(p, text, *len);
	return p;
}

/* ---- histogram ----------------------------------------------------------- */

TEST(hist_buckets_cover_and_bound)
{
	u64 v;
	unsigned int prev = 0;

	for (v = 0; v < 200000; v += 7) {
		unsigned int b = lg_hist_bucket(v);

		ASSERT_LT(b, LG_HIST_BUCKETS);
		ASSERT_GE(b, prev);
		ASSERT_GE(lg_hist_bucket_high(b), v);
		/* Resolution: the bucket is at most 1/32 of its value wide. */
		ASSERT_LE(lg_hist_bucket_high(b) - v, v / 32 + 1);
		prev = b;
	}
	EXPECT_LT(lg_hist_bucket(UINT64_MAX), LG_HIST_BUCKETS);
	EXPECT_EQ(UINT64_MAX, lg_hist_bucket_high(lg_hist_bucket(UINT64_MAX)));
}

TEST(hist_percentiles)
{
	static struct lg_hist h, a, b;
	u64 i;

	/* 1..100000 us, uniform: p50 = 50 ms, p99 = 99 ms, p99.9 = 99.9 ms. */
	for (i = 1; i <= 100000; i++)
		lg_hist_add(i & 1 ? &a : &b, i * 1000);
	lg_hist_merge(&h, &a);
	lg_hist_merge(&h, &b);
	EXPECT_EQ(100000, h.count);
	EXPECT_EQ(100000000ull, h.max);
	EXPECT_GE(lg_hist_quantile(&h, 0.5), 50000000ull);
	EXPECT_LE(lg_hist_quantile(&h, 0.5), 50000000ull * 33 / 32);
	EXPECT_GE(lg_hist_quantile(&h, 0.99), 99000000ull);
	EXPECT_LE(lg_hist_quantile(&h, 0.99), 99000000ull * 33 / 32);
	EXPECT_GE(lg_hist_quantile(&h, 0.999), 99900000ull);
	EXPECT_LE(lg_hist_quantile(&h, 0.999), 100000000ull);
	EXPECT_EQ(100000000ull, lg_hist_quantile(&h, 1.0));
}

TEST(hist_small_exact_and_empty)
{
	static struct lg_hist h;

	EXPECT_EQ(0, lg_hist_quantile(&h, 0.5));
	lg_hist_add(&h, 10);
	lg_hist_add(&h, 20);
	lg_hist_add(&h, 30);
	EXPECT_EQ(10, lg_hist_quantile(&h, 0.0));
	EXPECT_EQ(20, lg_hist_quantile(&h, 0.5));
	EXPECT_EQ(30, lg_hist_quantile(&h, 0.999));
}

/* ---- response scanner ---------------------------------------------------- */

static char *read_vector(const char *name, size_t *len)
{
	/* In the tree once copied; else the shared folder next to the tree. */
	const char *dirs[] = { "selftests/data/vectors", "../shared/vectors",
			       "/work/shared/vectors" };
	char path[256];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		FILE *f;
		char *buf;
		long n;

		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		buf = malloc(n ? n : 1);
		if (!buf || fread(buf, 1, n, f) != (size_t)n)
			abort();
		fclose(f);
		*len = n;
		return buf;
	}
	return NULL;
}

TEST(scan_vector_401)
{
	struct lg_resp r;
	size_t len;
	char *buf = read_vector("response-401.sip", &len);

	ASSERT_NE(NULL, buf) TH_LOG("response-401.sip not found");
	ASSERT_EQ(0, lg_sip_scan(buf, len, &r));
	EXPECT_EQ(401, r.status);
	EXPECT_STR(r.branch, "z9hG4bK78946131-99e1");
	EXPECT_STR(r.call_id, "e4ec6031-99e1");
	EXPECT_EQ(1, r.cseq);
	EXPECT_STR(r.cseq_method, "REGISTER");
	EXPECT_TRUE(r.to_tag);
	ASSERT_EQ(1, r.n_chal);
	EXPECT_STR(r.chal[0].realm, "mypbx");
	EXPECT_STR(r.chal[0].nonce, "343eb793");
	EXPECT_STR(r.chal[0].algorithm, "MD5");
	EXPECT_FALSE(r.chal[0].qop_auth);
	EXPECT_FALSE(r.chal[0].stale);
	EXPECT_EQ(0, r.n_contact);
	free(buf);
}

static const char resp_200[] =
	"SIP/2.0 200 OK\r\n"
	"v: SIP/2.0/UDP [::1]:5070;rport=5070;\r\n\tbranch=z9hG4bK-1-2-3-4, "
	"SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKother\r\n"
	"Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKthird\r\n"
	"f: <sip:a@b>;tag=x\r\n"
	"t: \"Alice, <A>\" <sip:alice@example.com;tag=notthis>\r\n ;tag=abc\r\n"
	"i: callid@host\r\n"
	"CSeq:   42   REGISTER\r\n"
	"m: <sip:alice@10.0.0.9:5060>;expires=120,\r\n"
	"  \"Me\" <sip:alice@[::1]:5070>;q=0.5;EXPIRES=3600\r\n"
	"Contact: sip:alice@10.0.0.8;expires=60\r\n"
	"Contact: <sip:alice@10.0.0.7>\r\n"
	"l: 0\r\n"
	"\r\n";

TEST(scan_compact_folded_contacts)
{
	struct lg_resp r;
	size_t len;
	char *buf = dup_exact(resp_200, &len);
	s64 exp;

	ASSERT_EQ(0, lg_sip_scan(buf, len, &r));
	EXPECT_EQ(200, r.status);
	EXPECT_STR(r.branch, "z9hG4bK-1-2-3-4");
	EXPECT_STR(r.call_id, "callid@host");
	EXPECT_EQ(42, r.cseq);
	EXPECT_STR(r.cseq_method, "REGISTER");
	EXPECT_TRUE(r.to_tag);
	EXPECT_EQ(0, r.n_chal);
	ASSERT_TRUE(lg_sip_contact(&r, LG_STR("sip:alice@[::1]:5070"), &exp));
	EXPECT_EQ(3600, exp);
	ASSERT_TRUE(lg_sip_contact(&r, LG_STR("sip:alice@10.0.0.9:5060"), &exp));
	EXPECT_EQ(120, exp);
	ASSERT_TRUE(lg_sip_contact(&r, LG_STR("sip:alice@10.0.0.8"), &exp));
	EXPECT_EQ(60, exp);
	ASSERT_TRUE(lg_sip_contact(&r, LG_STR("sip:alice@10.0.0.7"), &exp));
	EXPECT_EQ(-1, exp);
	EXPECT_FALSE(lg_sip_contact(&r, LG_STR("sip:alice@10.0.0.9"), &exp));
	free(buf);
}

TEST(scan_to_tag_only_outside_uri)
{
	static const char text[] =
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=b\r\n"
		"To: <sip:alice@example.com;tag=inuri>\r\nCall-ID: c\r\n"
		"CSeq: 1 REGISTER\r\n\r\n";
	struct lg_resp r;
	size_t len;
	char *buf = dup_exact(text, &len);

	ASSERT_EQ(0, lg_sip_scan(buf, len, &r));
	EXPECT_FALSE(r.to_tag);
	free(buf);
}

TEST(scan_challenges)
{
	static const char text[] =
		"SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP h;branch=b\r\n"
		"To: <sip:a@b>;tag=1\r\nCall-ID: c\r\nCSeq: 7 REGISTER\r\n"
		"WWW-Authenticate: Digest realm=\"r1\", nonce=\"n,1\", "
		"qop=\"auth-int, auth\", algorithm=SHA-256, stale=TRUE, "
		"opaque=\"op\"\r\n"
		"www-authenticate: Basic realm=\"x\", Digest realm=\"r2\",\r\n"
		" nonce=\"n2\",qop=\"auth-int\"\r\n\r\n";
	struct lg_resp r;
	size_t len;
	char *buf = dup_exact(text, &len);
	enum sipreg_alg alg;

	ASSERT_EQ(0, lg_sip_scan(buf, len, &r));
	ASSERT_EQ(2, r.n_chal);
	EXPECT_STR(r.chal[0].realm, "r1");
	EXPECT_STR(r.chal[0].nonce, "n,1");
	EXPECT_STR(r.chal[0].opaque, "op");
	EXPECT_TRUE(r.chal[0].qop_auth);
	EXPECT_TRUE(r.chal[0].stale);
	ASSERT_TRUE(lg_sip_alg(r.chal[0].algorithm, &alg));
	EXPECT_EQ(SIPREG_ALG_SHA256, alg);
	EXPECT_STR(r.chal[1].realm, "r2");
	EXPECT_STR(r.chal[1].nonce, "n2");
	EXPECT_FALSE(r.chal[1].qop_auth);
	EXPECT_FALSE(r.chal[1].stale);
	ASSERT_TRUE(lg_sip_alg(r.chal[1].algorithm, &alg));
	EXPECT_EQ(SIPREG_ALG_MD5, alg);
	EXPECT_FALSE(lg_sip_alg(LG_STR("SHA-512-256"), &alg));
	free(buf);
}

FIXTURE(bad) {};
FIXTURE_SETUP(bad) {}
FIXTURE_TEARDOWN(bad) {}
FIXTURE_VARIANT(bad) {
	const char *text;
};

#define BAD(name, t) FIXTURE_VARIANT_ADD(bad, name) { .text = t }
#define HDRS "Via: SIP/2.0/UDP h;branch=b\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n"

BAD(empty, "");
BAD(request, "REGISTER sip:x SIP/2.0\r\n" HDRS "\r\n");
BAD(no_reason_space, "SIP/2.0 200\r\n" HDRS "\r\n");
BAD(status_700, "SIP/2.0 700 X\r\n" HDRS "\r\n");
BAD(status_2digits, "SIP/2.0 20 X\r\n" HDRS "\r\n");
BAD(truncated, "SIP/2.0 200 OK\r\n" HDRS);
BAD(bare_lf, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=b\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n\r\n");
BAD(no_colon, "SIP/2.0 200 OK\r\n" HDRS "Garbage\r\n\r\n");
BAD(no_call_id, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=b\r\nCSeq: 1 REGISTER\r\n\r\n");
BAD(no_via, "SIP/2.0 200 OK\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n\r\n");
BAD(cseq_huge, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=b\r\nCall-ID: c\r\nCSeq: 4294967296 REGISTER\r\n\r\n");
BAD(cseq_letters, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=b\r\nCall-ID: c\r\nCSeq: 1x REGISTER\r\n\r\n");

TEST_F(bad, rejected)
{
	struct lg_resp r;
	size_t len;
	char *buf = dup_exact(variant->text, &len);

	EXPECT_EQ(-1, lg_sip_scan(buf, len, &r));
	free(buf);
}

/* ---- request builder, through the shared parser and digest ---------------- */

static const u8 *B(const char *s)
{
	return (const u8 *)s;
}

static bool span_is(const char *buf, struct sipreg_span sp, const char *s)
{
	return sp.len == strlen(s) && !memcmp(buf + sp.off, s, sp.len);
}

#define EXPECT_SPAN(buf, sp, s) \
	EXPECT_TRUE(span_is(buf, sp, s)) \
		TH_LOG("%s: got \"%.*s\", want \"%s\"", #sp, (int)(sp).len, \
		       (buf) + (sp).off, s)

static struct sipreg_digest_str span_str(const char *buf, struct sipreg_span s)
{
	return (struct sipreg_digest_str){ B(buf) + s.off, s.len };
}

static struct lg_req base_req(void)
{
	return (struct lg_req){
		.ids = { .run = 0xdeadbeef, .thread = 3, .ua = 12345, .gen = 7,
			 .txn = 99 },
		.domain = LG_STR("sipreg.test"),
		.user = LG_STR("user000042"),
		.host = LG_STR("[2001:db8::1]"),
		.port = 5062,
		.cseq = 17,
		.expires = 3600,
	};
}

TEST(build_challenge_parses)
{
	struct lg_req q = base_req();
	char out[LG_REQ_MAX], callid[96];
	struct sipreg_msg m;
	struct lg_ids ids;
	size_t n = lg_sip_build(out, sizeof(out), &q);
	size_t cl = lg_sip_call_id(callid, sizeof(callid), &q.ids);

	ASSERT_GT(n, 0);
	callid[cl] = 0;
	ASSERT_EQ(SIPREG_OK, sipreg_parse(B(out), n, &m))
		TH_LOG("%.*s", (int)n, out);
	EXPECT_SPAN(out, m.method, "REGISTER");
	EXPECT_SPAN(out, m.ruri, "sip:sipreg.test");
	EXPECT_SPAN(out, m.call_id, callid);
	EXPECT_EQ(17, m.cseq);
	EXPECT_SPAN(out, m.from.uri, "sip:user000042@sipreg.test");
	EXPECT_SPAN(out, m.to.uri, "sip:user000042@sipreg.test");
	EXPECT_EQ(0, m.to.tag.len);
	EXPECT_NE(0, m.from.tag.len);
	ASSERT_EQ(1, m.n_contacts);
	EXPECT_SPAN(out, m.contacts[0].uri, "sip:user000042@[2001:db8::1]:5062");
	EXPECT_EQ(3600, m.expires);
	EXPECT_SPAN(out, m.via.host, "[2001:db8::1]");
	EXPECT_EQ(5062, m.via.port);
	EXPECT_TRUE(m.via.flags & SIPREG_VIA_RPORT);
	EXPECT_EQ(0, m.n_auth);
	ASSERT_TRUE(lg_sip_branch_ids((struct lg_str){ out + m.via.branch.off,
						       m.via.branch.len }, &ids));
	EXPECT_EQ(q.ids.run, ids.run);
	EXPECT_EQ(q.ids.thread, ids.thread);
	EXPECT_EQ(q.ids.ua, ids.ua);
	EXPECT_EQ(q.ids.txn, ids.txn);
	/* Too small a buffer gives 0, never a cut request. */
	EXPECT_EQ(0, lg_sip_build(out, n - 1, &q));
	EXPECT_EQ(n, lg_sip_build(out, n, &q));
}

/* --transport tcp/tls: the Via names it (RFC 3261 18.1.1). */
TEST(build_via_transport)
{
	struct lg_req q = base_req();
	char out[LG_REQ_MAX];
	size_t n;

	n = lg_sip_build(out, sizeof(out), &q);
	ASSERT_GT(n, 0);
	out[n] = 0;
	EXPECT_NE(NULL, strstr(out, "\r\nVia: SIP/2.0/UDP [2001:db8::1]:5062;"));
	q.transport = LG_STR("TLS");
	n = lg_sip_build(out, sizeof(out), &q);
	ASSERT_GT(n, 0);
	out[n] = 0;
	EXPECT_NE(NULL, strstr(out, "\r\nVia: SIP/2.0/TLS [2001:db8::1]:5062;"));
}

/* Stream framing by Content-Length, long and compact form (18.3). */
TEST(conn_frame)
{
	static const char two[] =
		"SIP/2.0 200 OK\r\nVia: x\r\nContent-Length: 3\r\n\r\nabc"
		"SIP/2.0 401 Unauthorized\r\nl : 0\r\n\r\n";
	size_t first = strstr(two, "abc") + 3 - two;

	EXPECT_EQ(first, lg_conn_frame(two, sizeof(two) - 1));
	EXPECT_EQ(sizeof(two) - 1 - first,
		  lg_conn_frame(two + first, sizeof(two) - 1 - first));
	/* the body not all here, the headers not ended: not yet */
	EXPECT_EQ(0, lg_conn_frame(two, first - 1));
	EXPECT_EQ(0, lg_conn_frame(two, 20));
	/* no Content-Length: none (a response over a stream has one) */
	EXPECT_EQ(18, lg_conn_frame("SIP/2.0 200 OK\r\n\r\nxyz", 21));
	/* "Location:" is not "l:" */
	EXPECT_EQ(31, lg_conn_frame("SIP/2.0 200 OK\r\nLocation: 9\r\n\r\n", 31));
}

FIXTURE(cred) {};
FIXTURE_SETUP(cred) {}
FIXTURE_TEARDOWN(cred) {}
FIXTURE_VARIANT(cred) {
	enum sipreg_alg alg;
	bool qop;
	const char *opaque;
};
FIXTURE_VARIANT_ADD(cred, md5_qop) { .alg = SIPREG_ALG_MD5, .qop = true, .opaque = "" };
FIXTURE_VARIANT_ADD(cred, sha256_qop) { .alg = SIPREG_ALG_SHA256, .qop = true, .opaque = "" };
FIXTURE_VARIANT_ADD(cred, md5_opaque) { .alg = SIPREG_ALG_MD5, .qop = true, .opaque = "5ccc069c403ebaf9f0171e9517f40e41" };
FIXTURE_VARIANT_ADD(cred, md5_rfc2069) { .alg = SIPREG_ALG_MD5, .qop = false, .opaque = "" };

TEST_F(cred, digest_verifies)
{
	struct sipreg_digest_str user = { B("user000042"), 10 };
	struct sipreg_digest_str realm = { B("sipreg.test"), 11 };
	struct sipreg_digest_str pass = { B("pw000042"), 8 };
	u8 ha1[SIPREG_HASH_MAX];
	struct lg_cred c = {
		.user = LG_STR("user000042"), .realm = LG_STR("sipreg.test"),
		.nonce = LG_STR("Z2l2ZW4tYnktc2lwcmVn+/="), .alg = variant->alg,
		.qop = variant->qop, .nc = 0x1a, .cnonce = 0x0123456789abcdefull,
		.ha1 = ha1,
		.opaque = { variant->opaque, strlen(variant->opaque) },
	};
	struct lg_req q = base_req();
	struct sipreg_digest_req d = { .alg = variant->alg };
	char out[LG_REQ_MAX];
	struct sipreg_msg m;
	size_t n;

	ASSERT_EQ(0, sipreg_digest_ha1(variant->alg, user, realm, pass, ha1));
	q.cred = &c;
	n = lg_sip_build(out, sizeof(out), &q);
	ASSERT_GT(n, 0);
	ASSERT_EQ(SIPREG_OK, sipreg_parse(B(out), n, &m))
		TH_LOG("%.*s", (int)n, out);
	ASSERT_EQ(1, m.n_auth);
	EXPECT_SPAN(out, m.auth.username, "user000042");
	EXPECT_SPAN(out, m.auth.realm, "sipreg.test");
	EXPECT_SPAN(out, m.auth.nonce, "Z2l2ZW4tYnktc2lwcmVn+/=");
	EXPECT_SPAN(out, m.auth.uri, "sip:sipreg.test");
	EXPECT_SPAN(out, m.auth.opaque, variant->opaque);
	EXPECT_SPAN(out, m.auth.algorithm,
		    variant->alg == SIPREG_ALG_MD5 ? "MD5" : "SHA-256");
	EXPECT_EQ(2 * sipreg_hash_len(variant->alg), m.auth.response.len);
	if (variant->qop) {
		EXPECT_SPAN(out, m.auth.qop, "auth");
		EXPECT_SPAN(out, m.auth.cnonce, "0123456789abcdef");
		EXPECT_EQ(0x1a, m.auth.nc);
	} else {
		EXPECT_EQ(0, m.auth.qop.len);
		EXPECT_EQ(0, m.auth.cnonce.len);
	}
	/* What a registrar would check, from the parsed fields alone. */
	d.method = (struct sipreg_digest_str){ B("REGISTER"), 8 };
	d.uri = span_str(out, m.auth.uri);
	d.nonce = span_str(out, m.auth.nonce);
	d.qop = span_str(out, m.auth.qop);
	d.cnonce = span_str(out, m.auth.cnonce);
	d.response = span_str(out, m.auth.response);
	if (variant->qop)
		d.nc = (struct sipreg_digest_str){ B("0000001a"), 8 };
	EXPECT_EQ(SIPREG_DIGEST_OK,
		  sipreg_digest_verify(&d, ha1, sipreg_hash_len(variant->alg)));
	/* And a wrong HA1 does not verify: the check above means something. */
	ha1[0] ^= 1;
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH,
		  sipreg_digest_verify(&d, ha1, sipreg_hash_len(variant->alg)));
}

/* ---- user patterns ------------------------------------------------------- */

TEST(patterns)
{
	char out[LG_NAME_MAX + 1];
	struct lg_users u;
	char err[256];

	EXPECT_EQ(10, lg_pattern_format("user%06d", 42, out));
	EXPECT_STREQ("user000042", out);
	EXPECT_EQ(5, lg_pattern_format("u%x%%", 0xabc, out));
	EXPECT_STREQ("uabc%", out);
	EXPECT_EQ(5, lg_pattern_format("%5u", 7, out));
	EXPECT_STREQ("    7", out);
	EXPECT_EQ(6, lg_pattern_format("secret", 7, out));
	EXPECT_EQ(NULL, lg_pattern_check("user%06d"));
	EXPECT_EQ(NULL, lg_pattern_check("fixed%%"));
	EXPECT_NE(NULL, lg_pattern_check("%s"));
	EXPECT_NE(NULL, lg_pattern_check("%d%d"));
	EXPECT_NE(NULL, lg_pattern_check("%99d"));
	EXPECT_NE(NULL, lg_pattern_check("%"));
	EXPECT_EQ(-1, lg_pattern_format("%020d%020d%020d%020d", 1, out));

	ASSERT_EQ(0, lg_users_pattern(&u, "user%06d", "pw%06d", 1, 3000, err,
				      sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(3000, u.n);
	EXPECT_STR(lg_user_name(&u, 0), "user000001");
	EXPECT_STR(lg_user_pass(&u, 2999), "pw003000");
	lg_users_free(&u);
	/* Names go into URIs unescaped: refuse what would need escaping. */
	EXPECT_EQ(-1, lg_users_pattern(&u, "us er%d", "p", 1, 1, err, sizeof(err)));
	lg_users_free(&u);
}

TEST(users_csv)
{
	char path[] = "/tmp/loadgen_test.XXXXXX";
	int fd = mkstemp(path);
	struct lg_users u;
	char err[256];
	FILE *f;

	ASSERT_GE(fd, 0);
	f = fdopen(fd, "w");
	fputs("# comment\nalice;secret\r\n\nbob;pa;ss\n", f);
	fclose(f);
	ASSERT_EQ(0, lg_users_csv(&u, path, 0, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(2, u.n);
	EXPECT_STR(lg_user_name(&u, 0), "alice");
	EXPECT_STR(lg_user_pass(&u, 0), "secret");
	EXPECT_STR(lg_user_pass(&u, 1), "pa;ss");
	lg_users_free(&u);
	f = fopen(path, "w");
	fputs("alice secret\n", f);
	fclose(f);
	EXPECT_EQ(-1, lg_users_csv(&u, path, 0, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, ":1:"));
	lg_users_free(&u);
	unlink(path);
}

/* ---- timer wheel --------------------------------------------------------- */

TEST(wheel)
{
	const u64 ms = 1000000;
	struct lg_wheel w;
	u32 out[8], n;

	ASSERT_EQ(0, lg_wheel_init(&w, 8, 16, ms, 1000 * ms));
	lg_wheel_arm(&w, 0, 1005 * ms);
	lg_wheel_arm(&w, 1, 1003 * ms + 500);
	lg_wheel_arm(&w, 2, 1100 * ms);		/* several turns ahead */
	lg_wheel_arm(&w, 3, 900 * ms);		/* already past */
	lg_wheel_arm(&w, 4, 1002 * ms);
	lg_wheel_cancel(&w, 4);
	EXPECT_EQ(4, w.armed);

	n = lg_wheel_expire(&w, 1000 * ms, out, 8);
	ASSERT_EQ(1, n);
	EXPECT_EQ(3, out[0]);
	/* Same tick as timer 1 but earlier: not yet. */
	EXPECT_EQ(0, lg_wheel_expire(&w, 1003 * ms + 100, out, 8));
	n = lg_wheel_expire(&w, 1004 * ms, out, 8);
	ASSERT_EQ(1, n);
	EXPECT_EQ(1, out[0]);
	n = lg_wheel_expire(&w, 1050 * ms, out, 8);
	ASSERT_EQ(1, n);
	EXPECT_EQ(0, out[0]);
	EXPECT_TRUE(lg_wheel_armed(&w, 2));
	EXPECT_EQ(0, lg_wheel_expire(&w, 1099 * ms, out, 8));
	n = lg_wheel_expire(&w, 5000 * ms, out, 8);
	ASSERT_EQ(1, n);
	EXPECT_EQ(2, out[0]);
	EXPECT_EQ(0, w.armed);
	/* Re-arming moves a timer; out fills in parts. */
	for (n = 0; n < 8; n++)
		lg_wheel_arm(&w, n, 5001 * ms);
	lg_wheel_arm(&w, 7, 6000 * ms);
	EXPECT_EQ(4, lg_wheel_expire(&w, 5001 * ms, out, 4));
	EXPECT_EQ(3, lg_wheel_expire(&w, 5001 * ms, out, 4));
	EXPECT_EQ(1, w.armed);
	lg_wheel_free(&w);
}

/* ---- user agent ---------------------------------------------------------- */

struct ua_env {
	struct lg_users users;
	struct lg_uactx ctx;
	struct lg_ua ua;
	struct lg_stats st;
	char req[LG_REQ_MAX];
	size_t req_len;
};

static void env_init(struct ua_env *e, enum lg_mode mode)
{
	char err[128];

	memset(e, 0, sizeof(*e));
	if (lg_users_pattern(&e->users, "user%06d", "pw%06d", 1, 4, err,
			     sizeof(err)))
		abort();
	e->ctx = (struct lg_uactx){
		.mode = mode, .users = &e->users,
		.domain = LG_STR("sipreg.test"), .host = LG_STR("127.0.0.1"),
		.port = 5070, .want_realm = LG_STR("sipreg.test"),
		.alg = SIPREG_ALG_MD5, .expires = 600, .run = 0x1234,
		.thread = 0,
	};
	lg_ua_init(&e->ua, 2);
}

/* A response to the request in e->req, as a registrar would write it. */
static enum lg_next answer(struct ua_env *e, const char *status,
			   const char *extra, bool to_tag)
{
	struct sipreg_msg m;
	struct lg_resp r;
	char resp[LG_REQ_MAX];
	const char *q = e->req;
	int n;

	if (sipreg_parse(B(q), e->req_len, &m) != SIPREG_OK)
		abort();
	n = snprintf(resp, sizeof(resp),
		     "SIP/2.0 %s\r\nVia: %.*s;received=127.0.0.1\r\n"
		     "From: %.*s\r\nTo: %.*s%s\r\nCall-ID: %.*s\r\n"
		     "CSeq: %u REGISTER\r\n%sContent-Length: 0\r\n\r\n",
		     status, (int)m.vias[0].len, q + m.vias[0].off,
		     (int)m.from.value.len, q + m.from.value.off,
		     (int)m.to.value.len, q + m.to.value.off,
		     to_tag ? ";tag=srv" : "", (int)m.call_id.len,
		     q + m.call_id.off, m.cseq, extra);
	if (lg_sip_scan(resp, n, &r))
		abort();
	return lg_ua_response(&e->ua, 0, &e->ctx, &r, &e->st, e->ua.t0 + 1000);
}

static void send_next(struct ua_env *e)
{
	e->req_len = lg_ua_begin(&e->ua, 0, &e->ctx, e->req, sizeof(e->req));
	if (!e->req_len)
		abort();
}

#define CHAL(extra) "WWW-Authenticate: Digest realm=\"sipreg.test\", " \
	"nonce=\"abcdef\", qop=\"auth\"" extra "\r\n"
#define OUR_CONTACT "Contact: <sip:user000003@127.0.0.1:5070>;expires=600\r\n"

TEST(ua_register_refresh_stale)
{
	static struct ua_env e;

	env_init(&e, LG_MODE_REGISTER);
	send_next(&e);
	EXPECT_EQ(LG_CHALLENGE, e.ua.kind);
	EXPECT_EQ(LG_NEXT_URGENT, answer(&e, "401 Unauthorized", CHAL(""), true));
	EXPECT_EQ(1, e.st.ok[LG_CHALLENGE]);
	EXPECT_EQ(LG_AUTH, e.ua.kind);
	send_next(&e);
	EXPECT_NE(NULL, strstr(e.req, "nc=00000001"));
	EXPECT_NE(NULL, strstr(e.req, "CSeq: 2 REGISTER"));
	EXPECT_EQ(LG_NEXT_REFRESH, answer(&e, "200 OK", OUR_CONTACT, true));
	EXPECT_EQ(1, e.st.ok[LG_AUTH]);
	EXPECT_TRUE(e.ua.got_200);
	send_next(&e);
	EXPECT_NE(NULL, strstr(e.req, "nc=00000002"));
	EXPECT_NE(NULL, strstr(e.req, "CSeq: 3 REGISTER"));
	/* Stale: a new nonce, nc starts again, counted apart. */
	EXPECT_EQ(LG_NEXT_URGENT,
		  answer(&e, "401 Unauthorized", CHAL(", stale=true"), true));
	EXPECT_EQ(1, e.st.stale);
	send_next(&e);
	EXPECT_NE(NULL, strstr(e.req, "nc=00000001"));
	EXPECT_EQ(LG_NEXT_REFRESH, answer(&e, "200 OK", OUR_CONTACT, true));
	EXPECT_EQ(0, lg_stats_wrong(&e.st));
	lg_users_free(&e.users);
}

FIXTURE(ua_wrong) {};
FIXTURE_SETUP(ua_wrong) {}
FIXTURE_TEARDOWN(ua_wrong) {}
FIXTURE_VARIANT(ua_wrong) {
	bool at_auth;		/* answer the authenticated REGISTER */
	const char *status;
	const char *extra;
	bool to_tag;
	enum lg_wrong want;
};

#define WRONG(name, a, s, x, t, w) FIXTURE_VARIANT_ADD(ua_wrong, name) { \
	.at_auth = a, .status = s, .extra = x, .to_tag = t, .want = w }

WRONG(challenge_200, false, "200 OK", OUR_CONTACT, true, LG_W_STATUS);
WRONG(challenge_no_tag, false, "401 Unauthorized", CHAL(""), false, LG_W_TO_TAG);
WRONG(challenge_no_digest, false, "401 Unauthorized", "", true, LG_W_CHALLENGE);
WRONG(challenge_sha_only, false, "401 Unauthorized", CHAL(", algorithm=SHA-256"), true, LG_W_ALGORITHM);
WRONG(challenge_other_realm, false, "401 Unauthorized",
      "WWW-Authenticate: Digest realm=\"other\", nonce=\"n\"\r\n", true, LG_W_REALM);
WRONG(auth_403, true, "403 Forbidden", "", true, LG_W_STATUS);
WRONG(auth_rejected, true, "401 Unauthorized", CHAL(""), true, LG_W_REJECTED);
WRONG(auth_no_contact, true, "200 OK", "", true, LG_W_CONTACT);
WRONG(auth_other_contact, true, "200 OK",
      "Contact: <sip:user000003@127.0.0.1:5071>;expires=600\r\n", true, LG_W_CONTACT);
WRONG(auth_expires_0, true, "200 OK",
      "Contact: <sip:user000003@127.0.0.1:5070>;expires=0\r\n", true, LG_W_EXPIRES);
WRONG(auth_no_expires, true, "200 OK",
      "Contact: <sip:user000003@127.0.0.1:5070>\r\n", true, LG_W_EXPIRES);

TEST_F(ua_wrong, counted)
{
	static struct ua_env e;

	env_init(&e, LG_MODE_REGISTER);
	send_next(&e);
	if (variant->at_auth) {
		ASSERT_EQ(LG_NEXT_URGENT, answer(&e, "401 Unauthorized", CHAL(""), true));
		send_next(&e);
	}
	EXPECT_EQ(LG_NEXT_FRESH, answer(&e, variant->status, variant->extra,
					variant->to_tag));
	EXPECT_EQ(1, e.st.wrong[variant->want]);
	EXPECT_EQ(1, lg_stats_wrong(&e.st));
	EXPECT_EQ(LG_CHALLENGE, e.ua.kind);
	lg_users_free(&e.users);
}

TEST(ua_wrong_call_id_and_cseq)
{
	static struct ua_env e;
	struct lg_resp r;
	char text[512];
	int n;

	env_init(&e, LG_MODE_REGISTER);
	send_next(&e);
	n = snprintf(text, sizeof(text),
		     "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP h;branch=b\r\n"
		     "To: <sip:a@b>;tag=1\r\nCall-ID: someone-else\r\n"
		     "CSeq: 1 REGISTER\r\n" CHAL("") "\r\n");
	ASSERT_EQ(0, lg_sip_scan(text, n, &r));
	EXPECT_EQ(LG_NEXT_FRESH, lg_ua_response(&e.ua, 0, &e.ctx, &r, &e.st, 0));
	EXPECT_EQ(1, e.st.wrong[LG_W_CALL_ID]);
	/* A second CSeq field wins in the scanner: 9 is not ours. */
	send_next(&e);
	EXPECT_EQ(LG_NEXT_FRESH, answer(&e, "401 Unauthorized",
					"CSeq: 9 REGISTER\r\n" CHAL(""), true));
	EXPECT_EQ(1, e.st.wrong[LG_W_CSEQ]);
	lg_users_free(&e.users);
}

TEST(ua_challenge_mode_new_call_ids)
{
	static struct ua_env e;
	char first[96];

	env_init(&e, LG_MODE_CHALLENGE);
	send_next(&e);
	memcpy(first, strstr(e.req, "Call-ID: "), sizeof(first));
	EXPECT_EQ(LG_NEXT_FRESH, answer(&e, "401 Unauthorized", CHAL(""), true));
	send_next(&e);
	EXPECT_NE(0, memcmp(first, strstr(e.req, "Call-ID: "), 40));
	EXPECT_NE(NULL, strstr(e.req, "CSeq: 1 REGISTER"));
	EXPECT_EQ(NULL, strstr(e.req, "Authorization"));
	EXPECT_EQ(LG_NEXT_FRESH, answer(&e, "401 Unauthorized", CHAL(""), true));
	EXPECT_EQ(2, e.st.ok[LG_CHALLENGE]);
	EXPECT_EQ(0, lg_stats_wrong(&e.st));
	lg_users_free(&e.users);
}

/* ---- storm: retransmissions, 503, back-off ------------------------------- */

#define MSEC	1000000ull
#define SEC	1000000000ull

static const struct lg_timing timing = {
	.t1_ns = 500 * MSEC, .t2_ns = 4 * SEC, .timeout_ns = 32 * SEC,
	.backoff_base_ns = 2 * SEC, .backoff_max_ns = 32 * SEC,
	.retry_after_max_ns = 300 * SEC,
};

/*
 * RFC 3261 17.1.1.2 for a request sent at t0 = 1000 s that nobody answers:
 * Timer E fires at 0.5, 1.5, 3.5, 7.5, 11.5, ... s (T1 doubling up to T2
 * 4 s), and Timer F ends the transaction at 64*T1 = 32 s, the last
 * retransmission waiting for it rather than running past it.
 */
TEST(storm_timer_e_and_f)
{
	static const u64 want_ms[] = { 500, 1500, 3500, 7500, 11500, 15500,
				       19500, 23500, 27500, 31500, 32000 };
	u64 t0 = 1000 * SEC, rto = timing.t1_ns, at = t0 + timing.t1_ns;
	unsigned int i, sent = 0;

	for (i = 0; i < ARRAY_SIZE(want_ms); i++) {
		EXPECT_EQ(t0 + want_ms[i] * MSEC, at) TH_LOG("firing %u", i);
		if (lg_retry_expired(&timing, t0, at))
			break;
		sent++;
		at = lg_retry_rexmit(&timing, &rto, t0, at);
		EXPECT_LE(rto, timing.t2_ns);
	}
	EXPECT_EQ(ARRAY_SIZE(want_ms) - 1, i);
	EXPECT_EQ(10, sent);
	EXPECT_FALSE(lg_retry_expired(&timing, t0, t0 + 32 * SEC - 1));
	EXPECT_TRUE(lg_retry_expired(&timing, t0, t0 + 32 * SEC));
}

/* min(max, base * 2^(n-1)), a point in its upper half; never past max. */
TEST(storm_backoff)
{
	static const u64 want_s[] = { 2, 4, 8, 16, 32, 32, 32 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(want_s); i++) {
		u64 w = want_s[i] * SEC;

		EXPECT_EQ(w / 2, lg_retry_backoff(&timing, i + 1, 0));
		EXPECT_EQ(w, lg_retry_backoff(&timing, i + 1, UINT32_MAX));
		/* the middle, to the nanosecond (double rounding) */
		EXPECT_GE(w / 2 + w / 4 + 1, lg_retry_backoff(&timing, i + 1,
							      UINT32_MAX / 2 + 1));
		EXPECT_LE(w / 2 + w / 4 - 1, lg_retry_backoff(&timing, i + 1,
							      UINT32_MAX / 2 + 1));
	}
	EXPECT_EQ(32 * SEC, lg_retry_backoff(&timing, UINT32_MAX, UINT32_MAX));
	/* 0 failures is taken as the first. */
	EXPECT_EQ(2 * SEC, lg_retry_backoff(&timing, 0, UINT32_MAX));
}

/* RFC 3261 21.5.4: Retry-After as given, capped; none: the back-off. */
TEST(storm_busy_wait)
{
	EXPECT_EQ(20 * SEC, lg_retry_busy(&timing, 20, 1, 0));
	EXPECT_EQ(0, lg_retry_busy(&timing, 0, 1, 0));
	EXPECT_EQ(300 * SEC, lg_retry_busy(&timing, 300, 1, 0));
	EXPECT_EQ(300 * SEC, lg_retry_busy(&timing, 4000000000ll, 1, 0));
	EXPECT_EQ(4 * SEC, lg_retry_busy(&timing, -1, 2, UINT32_MAX));
	EXPECT_EQ(1 * SEC, lg_retry_busy(&timing, -1, 1, 0));
}

/* Phones drawn from the same generator do not come back in step. */
TEST(storm_rand_spreads)
{
	u32 st = 1, lo = 0, hi = 0, i;

	for (i = 0; i < 1000; i++) {
		u64 w = lg_retry_backoff(&timing, 1, lg_retry_rand(&st));

		ASSERT_GE(w, 1 * SEC);
		ASSERT_LE(w, 2 * SEC);
		lo += w < 1500 * MSEC;
		hi += w >= 1500 * MSEC;
	}
	EXPECT_GT(lo, 400);
	EXPECT_GT(hi, 400);
	EXPECT_NE(0, st);
}

TEST(scan_retry_after)
{
	static const struct { const char *field; s64 want; } v[] = {
		{ "", -1 },
		{ "Retry-After: 20\r\n", 20 },
		{ "retry-after: 18 (maintenance);duration=3600\r\n", 18 },
		{ "Retry-After: 4294967295\r\n", 4294967295ll },
		{ "Retry-After: 4294967296\r\n", -1 },
		{ "Retry-After: soon\r\n", -1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		char text[512];
		struct lg_resp r;
		int n = snprintf(text, sizeof(text),
				 "SIP/2.0 503 Service Unavailable\r\n"
				 "Via: SIP/2.0/UDP h;branch=b\r\nTo: <sip:a@b>;tag=1\r\n"
				 "Call-ID: c\r\nCSeq: 1 REGISTER\r\n%s\r\n", v[i].field);

		ASSERT_EQ(0, lg_sip_scan(text, n, &r));
		EXPECT_EQ(v[i].want, r.retry_after) TH_LOG("%s", v[i].field);
	}
}

/*
 * A storm phone: a 503 to its credentials holds it for the Retry-After and
 * keeps its step (the same nonce, nc + 1); Timer F sends it back to the
 * challenge after a back-off; the 200 clears its failures. In the other
 * modes a 503 stays a wrong status.
 */
TEST(ua_storm_busy_and_timeout)
{
	static struct ua_env e;

	env_init(&e, LG_MODE_STORM);
	EXPECT_EQ(-1, e.ua.retry_after);
	send_next(&e);
	EXPECT_EQ(LG_NEXT_URGENT, answer(&e, "401 Unauthorized", CHAL(""), true));
	send_next(&e);
	EXPECT_EQ(LG_NEXT_BUSY, answer(&e, "503 Service Unavailable",
				       "Retry-After: 27\r\n", true));
	EXPECT_EQ(LG_UA_HOLD, e.ua.state);
	EXPECT_EQ(LG_AUTH, e.ua.kind);
	EXPECT_EQ(27, e.ua.retry_after);
	EXPECT_EQ(1, e.ua.failures);
	EXPECT_EQ(1, e.st.busy);
	send_next(&e);
	EXPECT_NE(NULL, strstr(e.req, "nc=00000002"));
	EXPECT_EQ(LG_NEXT_BUSY, answer(&e, "503 Service Unavailable", "", true));
	EXPECT_EQ(-1, e.ua.retry_after);
	EXPECT_EQ(2, e.ua.failures);
	send_next(&e);
	EXPECT_EQ(LG_NEXT_BACKOFF, lg_ua_timeout(&e.ua, &e.ctx, &e.st));
	EXPECT_EQ(LG_CHALLENGE, e.ua.kind);
	EXPECT_EQ(LG_UA_HOLD, e.ua.state);
	EXPECT_EQ(3, e.ua.failures);
	EXPECT_EQ(1, e.st.restarts);
	EXPECT_EQ(1, e.st.timeouts[LG_AUTH]);
	send_next(&e);
	EXPECT_EQ(NULL, strstr(e.req, "Authorization"));
	EXPECT_EQ(LG_NEXT_URGENT, answer(&e, "401 Unauthorized", CHAL(""), true));
	send_next(&e);
	EXPECT_EQ(LG_NEXT_REFRESH, answer(&e, "200 OK", OUR_CONTACT, true));
	EXPECT_TRUE(e.ua.got_200);
	EXPECT_EQ(0, e.ua.failures);
	EXPECT_EQ(0, lg_stats_wrong(&e.st));
	lg_users_free(&e.users);

	env_init(&e, LG_MODE_REGISTER);
	send_next(&e);
	EXPECT_EQ(LG_NEXT_FRESH, answer(&e, "503 Service Unavailable",
					"Retry-After: 27\r\n", true));
	EXPECT_EQ(1, e.st.wrong[LG_W_STATUS]);
	EXPECT_EQ(0, e.st.busy);
	EXPECT_EQ(LG_NEXT_FRESH, lg_ua_timeout(&e.ua, &e.ctx, &e.st));
	lg_users_free(&e.users);
}

TEST_HARNESS_MAIN
