// SPDX-License-Identifier: GPL-2.0
/*
 * Digest computation and verification, shared by sipreg.ko and userspace.
 * No allocation, no recursion; no frame reaches 512 bytes (the largest
 * holds the two hex digests).
 */
#include "shim.h"
#include "hash.h"
#include "digest.h"

static const struct sipreg_buf colon = { .p = ":", .len = 1 };

static inline struct sipreg_buf part(const void *p, size_t len)
{
	return (struct sipreg_buf){ .p = p, .len = len };
}

static inline struct sipreg_buf str(struct sipreg_digest_str s)
{
	return part(s.p, s.len);
}

static const char hexdig[] = "0123456789abcdef";

void sipreg_digest_hex(const u8 *in, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdig[in[i] >> 4];
		out[2 * i + 1] = hexdig[in[i] & 15];
	}
}

/* Hex digit value plus one; zero for anything that is not a hex digit. */
static const u8 hexval1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* Decodes exactly 2 * @n hex digits of either case. */
static bool unhex(const u8 *p, size_t n, u8 *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		u8 hi = hexval1[p[2 * i]], lo = hexval1[p[2 * i + 1]];

		if (!hi || !lo)
			return false;
		out[i] = (hi - 1) << 4 | (lo - 1);
	}
	return true;
}

bool sipreg_digest_parse_nc(const u8 *p, size_t len, u32 *nc)
{
	u8 b[4];

	if (len != 8 || !unhex(p, 4, b))
		return false;
	*nc = (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
	return true;
}

static bool token_eq(const u8 *p, size_t len, const char *tok)
{
	size_t i;

	for (i = 0; i < len; i++) {
		u8 c = p[i];

		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (!tok[i] || c != (u8)tok[i])
			return false;
	}
	return !tok[len];
}

bool sipreg_digest_alg_parse(const u8 *p, size_t len, enum sipreg_alg *alg,
			     bool *sess)
{
	static const struct {
		const char *name;
		enum sipreg_alg alg;
		bool sess;
	} algs[] = {
		{ "md5", SIPREG_ALG_MD5, false },
		{ "md5-sess", SIPREG_ALG_MD5, true },
		{ "sha-256", SIPREG_ALG_SHA256, false },
		{ "sha-256-sess", SIPREG_ALG_SHA256, true },
	};
	size_t i;

	if (!len) {
		*alg = SIPREG_ALG_MD5;
		*sess = false;
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		if (token_eq(p, len, algs[i].name)) {
			*alg = algs[i].alg;
			*sess = algs[i].sess;
			return true;
		}
	}
	return false;
}

int sipreg_digest_ha1(enum sipreg_alg alg, struct sipreg_digest_str user,
		      struct sipreg_digest_str realm,
		      struct sipreg_digest_str password, u8 *out)
{
	const struct sipreg_buf parts[] = {
		str(user), colon, str(realm), colon, str(password),
	};

	return sipreg_hash(alg, parts, ARRAY_SIZE(parts), out);
}

static int hash_hex(enum sipreg_alg alg, const struct sipreg_buf *parts,
		    unsigned int n, char *hex)
{
	u8 d[SIPREG_HASH_MAX];
	int err = sipreg_hash(alg, parts, n, d);

	if (!err)
		sipreg_digest_hex(d, sipreg_hash_len(alg), hex);
	return err;
}

/* RFC 7616 3.4.2: the -sess HA1 hashes the hex of the stored one. */
static int sess_ha1(const struct sipreg_digest_req *req, const char *ha1hex,
		    char *out)
{
	const struct sipreg_buf parts[] = {
		part(ha1hex, 2 * sipreg_hash_len(req->alg)), colon,
		str(req->nonce), colon, str(req->cnonce),
	};

	return hash_hex(req->alg, parts, ARRAY_SIZE(parts), out);
}

static int ha2(const struct sipreg_digest_req *req, char *out)
{
	const struct sipreg_buf parts[] = {
		str(req->method), colon, str(req->uri),
	};

	return hash_hex(req->alg, parts, ARRAY_SIZE(parts), out);
}

static bool ha2_hit(const struct sipreg_ha2_cache *c,
		    const struct sipreg_digest_req *req)
{
	return c->valid && c->alg == req->alg &&
	       c->method_len == req->method.len && c->uri_len == req->uri.len &&
	       !memcmp(c->key, req->method.p, req->method.len) &&
	       !memcmp(c->key + req->method.len, req->uri.p, req->uri.len);
}

/* ha2() through @cache, when there is one and the key fits. */
static int ha2_cached(const struct sipreg_digest_req *req, char *out,
		      struct sipreg_ha2_cache *c)
{
	size_t hl = 2 * sipreg_hash_len(req->alg);
	int err;

	if (!c || req->method.len + req->uri.len > SIPREG_HA2_KEY_MAX)
		return ha2(req, out);
	if (ha2_hit(c, req)) {
		memcpy(out, c->hex, hl);
		return 0;
	}
	c->valid = 0;
	err = ha2(req, out);
	if (err)
		return err;
	c->alg = req->alg;
	c->method_len = req->method.len;
	c->uri_len = req->uri.len;
	memcpy(c->key, req->method.p, req->method.len);
	memcpy(c->key + req->method.len, req->uri.p, req->uri.len);
	memcpy(c->hex, out, hl);
	c->valid = 1;
	return 0;
}

static int kd(const struct sipreg_digest_req *req, const char *ha1hex,
	      const char *ha2hex, u8 *out)
{
	size_t hl = 2 * sipreg_hash_len(req->alg);
	struct sipreg_buf p[11];
	unsigned int n = 0;

	p[n++] = part(ha1hex, hl);
	p[n++] = colon;
	p[n++] = str(req->nonce);
	p[n++] = colon;
	/* Without qop, the RFC 2069 form: H(HA1 ":" nonce ":" HA2). */
	if (req->qop.len) {
		p[n++] = str(req->nc);
		p[n++] = colon;
		p[n++] = str(req->cnonce);
		p[n++] = colon;
		p[n++] = str(req->qop);
		p[n++] = colon;
	}
	p[n++] = part(ha2hex, hl);
	return sipreg_hash(req->alg, p, n, out);
}

static enum sipreg_digest_verdict check_req(const struct sipreg_digest_req *req,
					    size_t ha1_len)
{
	u32 nc;

	if (!sipreg_hash_len(req->alg) || ha1_len != sipreg_hash_len(req->alg))
		return SIPREG_DIGEST_UNSUPPORTED;
	if (!req->qop.len)
		return req->sess ? SIPREG_DIGEST_MALFORMED : SIPREG_DIGEST_OK;
	if (!token_eq(req->qop.p, req->qop.len, "auth"))
		return SIPREG_DIGEST_UNSUPPORTED;
	if (!sipreg_digest_parse_nc(req->nc.p, req->nc.len, &nc) ||
	    !req->cnonce.len)
		return SIPREG_DIGEST_MALFORMED;
	return SIPREG_DIGEST_OK;
}

static enum sipreg_digest_verdict
response(const struct sipreg_digest_req *req, const u8 *ha1, size_t ha1_len,
	 struct sipreg_ha2_cache *cache, u8 *out)
{
	char ha1hex[SIPREG_DIGEST_HEX_MAX], ha2hex[SIPREG_DIGEST_HEX_MAX];
	enum sipreg_digest_verdict v = check_req(req, ha1_len);

	if (v != SIPREG_DIGEST_OK)
		return v;
	sipreg_digest_hex(ha1, ha1_len, ha1hex);
	/* In place is fine: the hash has read its input before hex is written. */
	if ((req->sess && sess_ha1(req, ha1hex, ha1hex)) ||
	    ha2_cached(req, ha2hex, cache) || kd(req, ha1hex, ha2hex, out))
		v = SIPREG_DIGEST_UNSUPPORTED;
	memzero_explicit(ha1hex, sizeof(ha1hex));
	memzero_explicit(ha2hex, sizeof(ha2hex));
	return v;
}

enum sipreg_digest_verdict
sipreg_digest_response(const struct sipreg_digest_req *req, const u8 *ha1,
		       size_t ha1_len, u8 *out)
{
	return response(req, ha1, ha1_len, NULL, out);
}

enum sipreg_digest_verdict
sipreg_digest_verify(const struct sipreg_digest_req *req, const u8 *ha1,
		     size_t ha1_len)
{
	return sipreg_digest_verify_cached(req, ha1, ha1_len, NULL);
}

enum sipreg_digest_verdict
sipreg_digest_verify_cached(const struct sipreg_digest_req *req,
			    const u8 *ha1, size_t ha1_len,
			    struct sipreg_ha2_cache *cache)
{
	u8 want[SIPREG_HASH_MAX], got[SIPREG_HASH_MAX];
	size_t n = sipreg_hash_len(req->alg);
	enum sipreg_digest_verdict v;

	if (req->response.len != 2 * n || !unhex(req->response.p, n, got))
		return SIPREG_DIGEST_MALFORMED;
	v = response(req, ha1, ha1_len, cache, want);
	/* Timing tells nothing of how much of the answer was right. */
	if (v == SIPREG_DIGEST_OK && sipreg_memneq(want, got, n))
		v = SIPREG_DIGEST_MISMATCH;
	memzero_explicit(want, sizeof(want));
	return v;
}
