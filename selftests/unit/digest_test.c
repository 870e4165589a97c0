// SPDX-License-Identifier: GPL-2.0
/*
 * Hash primitives and HTTP Digest: published vectors (RFC 1321 A.5,
 * FIPS 180-2 appendix B, the SipHash paper appendix A, RFC 2617 3.5,
 * RFC 7616 3.9.1) and the ways a response must fail.
 */
#include <stdio.h>
#include <stdlib.h>

/* The harness itself trips these under -Wextra; its enum compares too. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "hash.h"
#include "digest.h"
#include "ha1.h"

#define S(s) digest_cstr(s)

static const char *hex(const u8 *d, size_t n)
{
	static char buf[2 * SIPREG_HASH_MAX + 1];

	sipreg_digest_hex(d, n, buf);
	buf[2 * n] = 0;
	return buf;
}

static const char *hash1(enum sipreg_alg alg, const void *p, size_t len)
{
	struct sipreg_buf b = { p, len };
	u8 out[SIPREG_HASH_MAX];

	if (sipreg_hash(alg, &b, 1, out))
		return "error";
	return hex(out, sipreg_hash_len(alg));
}

/* ---- hash vectors -------------------------------------------------------- */

FIXTURE(vec) {};
FIXTURE_SETUP(vec) {}
FIXTURE_TEARDOWN(vec) {}
FIXTURE_VARIANT(vec) {
	enum sipreg_alg alg;
	const char *msg;
	const char *digest;
};

#define VEC(name, a, m, d) \
	FIXTURE_VARIANT_ADD(vec, name) { .alg = a, .msg = m, .digest = d }

VEC(md5_empty, SIPREG_ALG_MD5, "", "d41d8cd98f00b204e9800998ecf8427e");
VEC(md5_a, SIPREG_ALG_MD5, "a", "0cc175b9c0f1b6a831c399e269772661");
VEC(md5_abc, SIPREG_ALG_MD5, "abc", "900150983cd24fb0d6963f7d28e17f72");
VEC(md5_md, SIPREG_ALG_MD5, "message digest",
    "f96b697d7cb7938d525a2f31aaf161d0");
VEC(md5_az, SIPREG_ALG_MD5, "abcdefghijklmnopqrstuvwxyz",
    "c3fcd3d76192e4007dfb496cca67e13b");
VEC(md5_alnum, SIPREG_ALG_MD5,
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "d174ab98d277d9f5a5611c2c9f419d9f");
VEC(md5_digits, SIPREG_ALG_MD5,
    "1234567890123456789012345678901234567890"
    "1234567890123456789012345678901234567890",
    "57edf4a22be3c955ac49da2e2107b67a");
VEC(sha256_empty, SIPREG_ALG_SHA256, "",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
VEC(sha256_abc, SIPREG_ALG_SHA256, "abc",
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
VEC(sha256_448, SIPREG_ALG_SHA256,
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
VEC(sha256_896, SIPREG_ALG_SHA256,
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");

TEST_F(vec, digest)
{
	EXPECT_STREQ(variant->digest,
		     hash1(variant->alg, variant->msg, strlen(variant->msg)));
}

TEST(sha256_million_a)
{
	static u8 m[1000000];

	memset(m, 'a', sizeof(m));
	EXPECT_STREQ("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
		     hash1(SIPREG_ALG_SHA256, m, sizeof(m)));
}

/* Block buffering across parts must not change the digest. */
TEST(parts_any_split)
{
	enum sipreg_alg algs[] = { SIPREG_ALG_MD5, SIPREG_ALG_SHA256 };
	u8 m[200], one[SIPREG_HASH_MAX], three[SIPREG_HASH_MAX];
	unsigned int a;
	size_t i, j;

	for (i = 0; i < sizeof(m); i++)
		m[i] = i * 7 + 3;
	for (a = 0; a < ARRAY_SIZE(algs); a++) {
		struct sipreg_buf whole = { m, sizeof(m) };

		ASSERT_EQ(0, sipreg_hash(algs[a], &whole, 1, one));
		for (i = 0; i <= sizeof(m); i += 3) {
			for (j = i; j <= sizeof(m); j += 5) {
				struct sipreg_buf p[] = {
					{ m, i }, { m + i, j - i },
					{ m + j, sizeof(m) - j },
				};

				ASSERT_EQ(0, sipreg_hash(algs[a], p, 3, three));
				ASSERT_EQ(0, memcmp(one, three,
						    sipreg_hash_len(algs[a])));
			}
		}
	}
}

/*
 * SipHash paper, appendix A: key 00..0f, message 00..0e gives
 * a129ca6149be45e5. The kernel's siphash_key_t reads the key as two
 * little-endian u64 on x86, so the same 16 bytes give the same MAC.
 */
TEST(siphash_paper_vector)
{
	struct sipreg_mackey key;
	u8 kb[16], m[15];
	int i;

	for (i = 0; i < 16; i++)
		kb[i] = i;
	for (i = 0; i < 15; i++)
		m[i] = i;
	memcpy(&key, kb, sizeof(key));
	EXPECT_EQ(0x0706050403020100ULL, key.key[0]);
	EXPECT_EQ(0xa129ca6149be45e5ULL, sipreg_mac64(&key, m, sizeof(m)));
}

TEST(siphash_lengths_differ)
{
	struct sipreg_mackey key = { { 1, 2 } };
	u8 m[64] = { 0 };
	u64 seen[65];
	int i, j;

	for (i = 0; i <= 64; i++) {
		seen[i] = sipreg_mac64(&key, m, i);
		for (j = 0; j < i; j++)
			ASSERT_NE(seen[j], seen[i]);
	}
}

/* ---- digest ---------------------------------------------------------------- */

#define RFC2617_NONCE	"dcd98b7102dd2f0e8b11d0f600bfb0c093"
#define RFC7616_NONCE	"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define RFC7616_CNONCE	"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

struct cred {
	enum sipreg_alg alg;
	u8 ha1[SIPREG_HASH_MAX];
	size_t ha1_len;
};

static struct cred make_cred(enum sipreg_alg alg, const char *user,
			     const char *realm, const char *pass)
{
	struct cred c = { .alg = alg, .ha1_len = sipreg_hash_len(alg) };

	if (sipreg_digest_ha1(alg, S(user), S(realm), S(pass), c.ha1))
		abort();
	return c;
}

static struct sipreg_digest_req rfc2617(void)
{
	return (struct sipreg_digest_req){
		.alg = SIPREG_ALG_MD5,
		.method = S("GET"), .uri = S("/dir/index.html"),
		.nonce = S(RFC2617_NONCE), .nc = S("00000001"),
		.cnonce = S("0a4f113b"), .qop = S("auth"),
		.response = S("6629fae49393a05397450978507c4ef1"),
	};
}

static struct cred mufasa(void)
{
	return make_cred(SIPREG_ALG_MD5, "Mufasa", "testrealm@host.com",
			 "Circle Of Life");
}

static enum sipreg_digest_verdict verify(const struct sipreg_digest_req *r,
					 const struct cred *c)
{
	return sipreg_digest_verify(r, c->ha1, c->ha1_len);
}

TEST(ha1_values)
{
	struct cred c = mufasa();

	EXPECT_STREQ("939e7578ed9e3c518a452acee763bce9", hex(c.ha1, 16));
	c = make_cred(SIPREG_ALG_SHA256, "Mufasa", "http-auth@example.org",
		      "Circle of Life");
	EXPECT_STREQ("7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232",
		     hex(c.ha1, 32));
}

TEST(rfc2617_example)
{
	struct sipreg_digest_req r = rfc2617();
	struct cred c = mufasa();
	u8 out[SIPREG_HASH_MAX];

	ASSERT_EQ(SIPREG_DIGEST_OK, sipreg_digest_response(&r, c.ha1, 16, out));
	EXPECT_STREQ("6629fae49393a05397450978507c4ef1", hex(out, 16));
	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
}

static struct sipreg_digest_req rfc7616(enum sipreg_alg alg, const char *resp)
{
	return (struct sipreg_digest_req){
		.alg = alg,
		.method = S("GET"), .uri = S("/dir/index.html"),
		.nonce = S(RFC7616_NONCE), .nc = S("00000001"),
		.cnonce = S(RFC7616_CNONCE), .qop = S("auth"),
		.response = S(resp),
	};
}

TEST(rfc7616_md5)
{
	struct sipreg_digest_req r = rfc7616(SIPREG_ALG_MD5,
					     "8ca523f5e9506fed4657c9700eebdbec");
	struct cred c = make_cred(SIPREG_ALG_MD5, "Mufasa",
				  "http-auth@example.org", "Circle of Life");

	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
}

TEST(rfc7616_sha256)
{
	struct sipreg_digest_req r = rfc7616(SIPREG_ALG_SHA256,
		"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
	struct cred c = make_cred(SIPREG_ALG_SHA256, "Mufasa",
				  "http-auth@example.org", "Circle of Life");

	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
	/* An MD5 HA1 cannot serve a SHA-256 request. */
	c = mufasa();
	EXPECT_EQ(SIPREG_DIGEST_UNSUPPORTED, verify(&r, &c));
}

/*
 * No published vectors for these: expected values computed with Python's
 * hashlib (an independent implementation) from the RFC 2617/7616 formulas.
 */
TEST(rfc2069_no_qop)
{
	struct sipreg_digest_req r = rfc2617();
	struct cred c = mufasa();

	r.qop = S("");
	r.nc = S("");
	r.cnonce = S("");
	r.response = S("670fd8c2df070c60b045671b8b24ff02");
	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
	/* Without qop, stray nc and cnonce are not hashed. */
	r.nc = S("00000001");
	r.cnonce = S("0a4f113b");
	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
	r.sess = true;
	EXPECT_EQ(SIPREG_DIGEST_MALFORMED, verify(&r, &c));
}

TEST(sess_variants)
{
	struct sipreg_digest_req r = rfc2617();
	struct cred c = mufasa();

	r.sess = true;
	r.response = S("8e3825c57e897f5a0dec6c2d4e5059d0");
	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
	r.sess = false;
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &c));

	r = rfc7616(SIPREG_ALG_SHA256,
		    "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7");
	r.sess = true;
	c = make_cred(SIPREG_ALG_SHA256, "Mufasa", "http-auth@example.org",
		      "Circle of Life");
	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
}

TEST(sip_register)
{
	struct sipreg_digest_req r = {
		.alg = SIPREG_ALG_MD5, .method = S("REGISTER"),
		.uri = S("sip:example.com"), .nonce = S("abc123"),
		.nc = S("0000000a"), .cnonce = S("xyz"), .qop = S("auth"),
		.response = S("b9c79cf46d1d1155fdfed1f482977a00"),
	};
	struct cred c = make_cred(SIPREG_ALG_MD5, "alice", "example.com",
				  "secret");

	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
	/* nc is hashed as sent: the client's case is part of the proof. */
	r.nc = S("0000000A");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &c));
	r.response = S("11e1c451b73d44faedbc26c215b21518");
	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
}

TEST(wrong_inputs_mismatch)
{
	struct cred c = mufasa(), bad = make_cred(SIPREG_ALG_MD5, "Mufasa",
		"testrealm@host.com", "Circle of Life");
	struct sipreg_digest_req r;

	r = rfc2617();
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &bad));
	r = rfc2617();
	r.nonce = S("dcd98b7102dd2f0e8b11d0f600bfb0c094");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &c));
	r = rfc2617();
	r.nc = S("00000002");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &c));
	r = rfc2617();
	r.cnonce = S("0a4f113c");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &c));
	r = rfc2617();
	r.method = S("POST");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &c));
	r = rfc2617();
	r.uri = S("/dir/index.htm");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &c));
	r = rfc2617();
	r.qop = S("AUTH");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH, verify(&r, &c));
}

TEST(response_every_bit)
{
	struct sipreg_digest_req r = rfc2617();
	struct cred c = mufasa();
	char resp[33];
	int i, bit;

	for (i = 0; i < 32; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(resp, "6629fae49393a05397450978507c4ef1", 33);
			resp[i] ^= 1 << bit;
			r.response = S(resp);
			/* Flipping 0x20 of a letter only changes its case. */
			if (bit == 5 && resp[i] >= 'A' && resp[i] <= 'F') {
				ASSERT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
			} else {
				ASSERT_NE(SIPREG_DIGEST_OK, verify(&r, &c));
			}
		}
	}
}

TEST(response_case_insensitive)
{
	struct sipreg_digest_req r = rfc2617();
	struct cred c = mufasa();

	r.response = S("6629FAE49393A05397450978507C4EF1");
	EXPECT_EQ(SIPREG_DIGEST_OK, verify(&r, &c));
}

TEST(response_malformed)
{
	static const char *const bad[] = {
		"", "6629fae49393a05397450978507c4ef",
		"6629fae49393a05397450978507c4ef10",
		"6629fae49393a05397450978507c4efg",
		" 629fae49393a05397450978507c4ef1",
		"6629fae49393a05397450978507c4e\"1",
		"6629fae49393a053974509785\0007c4ef1",
	};
	struct sipreg_digest_req r = rfc2617();
	struct cred c = mufasa();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r.response = S(bad[i]);
		if (i == ARRAY_SIZE(bad) - 1)
			r.response.len = 32;
		EXPECT_EQ(SIPREG_DIGEST_MALFORMED, verify(&r, &c));
	}
	/* A SHA-256-length response to an MD5 challenge. */
	r.response = S("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
	EXPECT_EQ(SIPREG_DIGEST_MALFORMED, verify(&r, &c));
}

TEST(qop_fields)
{
	struct sipreg_digest_req r;
	struct cred c = mufasa();

	r = rfc2617();
	r.qop = S("auth-int");
	EXPECT_EQ(SIPREG_DIGEST_UNSUPPORTED, verify(&r, &c));
	r = rfc2617();
	r.qop = S("auth,auth-int");
	EXPECT_EQ(SIPREG_DIGEST_UNSUPPORTED, verify(&r, &c));
	r = rfc2617();
	r.nc = S("");
	EXPECT_EQ(SIPREG_DIGEST_MALFORMED, verify(&r, &c));
	r = rfc2617();
	r.nc = S("0000001");
	EXPECT_EQ(SIPREG_DIGEST_MALFORMED, verify(&r, &c));
	r = rfc2617();
	r.nc = S("0000000x");
	EXPECT_EQ(SIPREG_DIGEST_MALFORMED, verify(&r, &c));
	r = rfc2617();
	r.cnonce = S("");
	EXPECT_EQ(SIPREG_DIGEST_MALFORMED, verify(&r, &c));
	r = rfc2617();
	EXPECT_EQ(SIPREG_DIGEST_UNSUPPORTED,
		  sipreg_digest_verify(&r, c.ha1, 15));
	r.alg = (enum sipreg_alg)7;
	EXPECT_EQ(SIPREG_DIGEST_MALFORMED, sipreg_digest_verify(&r, c.ha1, 16));
}

TEST(alg_parse)
{
	static const struct {
		const char *s;
		bool ok;
		enum sipreg_alg alg;
		bool sess;
	} t[] = {
		{ "", true, SIPREG_ALG_MD5, false },
		{ "MD5", true, SIPREG_ALG_MD5, false },
		{ "md5", true, SIPREG_ALG_MD5, false },
		{ "MD5-sess", true, SIPREG_ALG_MD5, true },
		{ "SHA-256", true, SIPREG_ALG_SHA256, false },
		{ "sha-256-SESS", true, SIPREG_ALG_SHA256, true },
		{ "SHA-512-256", false, SIPREG_ALG_MD5, false },
		{ "SHA256", false, SIPREG_ALG_MD5, false },
		{ "MD5-", false, SIPREG_ALG_MD5, false },
		{ "MD", false, SIPREG_ALG_MD5, false },
		{ "AKAv1-MD5", false, SIPREG_ALG_MD5, false },
		{ "MD5 ", false, SIPREG_ALG_MD5, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		enum sipreg_alg alg = 99;
		bool sess = false;
		bool ok = sipreg_digest_alg_parse((const u8 *)t[i].s,
						  strlen(t[i].s), &alg, &sess);

		EXPECT_EQ(t[i].ok, ok) TH_LOG("%s", t[i].s);
		if (ok && t[i].ok) {
			EXPECT_EQ(t[i].alg, alg);
			EXPECT_EQ(t[i].sess, sess);
		}
	}
	/* The table's own NUL must not end a match early. */
	EXPECT_FALSE(sipreg_digest_alg_parse((const u8 *)"MD5\0", 4,
					     &(enum sipreg_alg){ 0 },
					     &(bool){ 0 }));
}

TEST(parse_nc)
{
	static const struct {
		const char *s;
		bool ok;
		u32 v;
	} t[] = {
		{ "00000001", true, 1 }, { "ffffffff", true, 0xffffffff },
		{ "0000000A", true, 10 }, { "12345678", true, 0x12345678 },
		{ "00000000", true, 0 }, { "0000001", false, 0 },
		{ "000000001", false, 0 }, { "", false, 0 }, { "0000000g", false, 0 },
		{ "+0000001", false, 0 }, { " 0000001", false, 0 },
		{ "0x000001", false, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		u32 v = 0xdeadbeef;
		bool ok = sipreg_digest_parse_nc((const u8 *)t[i].s,
						 strlen(t[i].s), &v);

		EXPECT_EQ(t[i].ok, ok) TH_LOG("%s", t[i].s);
		if (ok && t[i].ok)
			EXPECT_EQ(t[i].v, v);
	}
}

/*
 * The HA2 cache: a hit gives what the hash gives, and whatever differs in
 * the key (method, uri, algorithm) is a miss, not the stale HA2: a wrong
 * hit would take the RFC 2617 answer for another URI. Too long a key
 * goes uncached.
 */
TEST(ha2_cache)
{
	struct sipreg_digest_req r = rfc2617(), o;
	struct sipreg_ha2_cache c = { 0 };
	struct cred m = mufasa();
	char uri[200];

	EXPECT_EQ(SIPREG_DIGEST_OK, sipreg_digest_verify_cached(&r, m.ha1, 16, &c));
	EXPECT_EQ(1, c.valid);
	EXPECT_EQ(SIPREG_DIGEST_OK, sipreg_digest_verify_cached(&r, m.ha1, 16, &c));
	/* the right answer for GET is wrong for PUT, the same uri */
	o = r;
	o.method = S("PUT");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH,
		  sipreg_digest_verify_cached(&o, m.ha1, 16, &c));
	EXPECT_EQ(SIPREG_DIGEST_OK, sipreg_digest_verify_cached(&r, m.ha1, 16, &c));
	o = r;
	o.uri = S("/dir/index.htm");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH,
		  sipreg_digest_verify_cached(&o, m.ha1, 16, &c));
	/* method and uri split elsewhere: the same bytes, another key */
	o = r;
	o.method = S("GET/");
	o.uri = S("dir/index.html");
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH,
		  sipreg_digest_verify_cached(&o, m.ha1, 16, &c));
	EXPECT_EQ(SIPREG_DIGEST_OK, sipreg_digest_verify_cached(&r, m.ha1, 16, &c));
	/* another algorithm, the same key: SHA-256 answer of RFC 7616 */
	o = rfc7616(SIPREG_ALG_SHA256,
		"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
	m = make_cred(SIPREG_ALG_SHA256, "Mufasa", "http-auth@example.org",
		      "Circle of Life");
	EXPECT_EQ(SIPREG_DIGEST_OK, sipreg_digest_verify_cached(&o, m.ha1, 32, &c));
	EXPECT_EQ(SIPREG_ALG_SHA256, c.alg);
	o.alg = SIPREG_ALG_MD5;
	o.response = S("8ca523f5e9506fed4657c9700eebdbec");
	m = make_cred(SIPREG_ALG_MD5, "Mufasa", "http-auth@example.org",
		      "Circle of Life");
	EXPECT_EQ(SIPREG_DIGEST_OK, sipreg_digest_verify_cached(&o, m.ha1, 16, &c));
	EXPECT_EQ(SIPREG_ALG_MD5, c.alg);
	/* a key longer than the cache holds is hashed and not kept */
	memset(uri, 'a', sizeof(uri));
	o.uri = (struct sipreg_digest_str){ (const u8 *)uri, sizeof(uri) };
	c.valid = 0;
	EXPECT_EQ(SIPREG_DIGEST_MISMATCH,
		  sipreg_digest_verify_cached(&o, m.ha1, 16, &c));
	EXPECT_EQ(0, c.valid);
}

TEST_HARNESS_MAIN
