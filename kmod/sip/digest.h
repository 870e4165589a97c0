/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP Digest for SIP (RFC 2617, RFC 7616, RFC 8760): MD5 and SHA-256,
 * with or without -sess, qop=auth or the legacy RFC 2069 form.
 * Fields are the unquoted values exactly as the client sent them; the
 * caller checks that the digest uri matches the Request-URI, the realm is
 * served, the nonce is valid (nonce.h) and the nonce count grows.
 */
#ifndef SIPREG_DIGEST_H
#define SIPREG_DIGEST_H

#include "shim.h"
#include "hash.h"

/* Response hex length for the largest algorithm. */
#define SIPREG_DIGEST_HEX_MAX	(2 * SIPREG_HASH_MAX)

struct sipreg_digest_str {
	const u8 *p;
	size_t len;
};

struct sipreg_digest_req {
	enum sipreg_alg alg;
	bool sess;
	struct sipreg_digest_str method;
	struct sipreg_digest_str uri;
	struct sipreg_digest_str nonce;
	struct sipreg_digest_str nc;		/* empty without qop */
	struct sipreg_digest_str cnonce;	/* empty without qop */
	struct sipreg_digest_str qop;		/* empty: RFC 2069 form */
	struct sipreg_digest_str response;	/* used by verify only */
};

/*
 * HA2 = H(method ":" uri) of the last request seen, for the next one: a
 * refresh answers for the same Request-URI with the same method as the
 * requests before it (often every user of a domain does), so the module
 * keeps one per CPU and saves a hash per request. Keyed by the algorithm
 * and the exact bytes; HA2 is no secret. Zeroed means empty. Method and
 * uri longer together than SIPREG_HA2_KEY_MAX are hashed, not kept.
 */
#define SIPREG_HA2_KEY_MAX	120

struct sipreg_ha2_cache {
	u8 valid;
	u8 alg;
	u8 method_len;
	u8 uri_len;
	u8 key[SIPREG_HA2_KEY_MAX];		/* method, then uri */
	char hex[SIPREG_DIGEST_HEX_MAX];
};

enum sipreg_digest_verdict {
	SIPREG_DIGEST_OK,
	SIPREG_DIGEST_MISMATCH,		/* well formed, wrong credentials */
	SIPREG_DIGEST_MALFORMED,	/* bad response/nc, missing cnonce */
	SIPREG_DIGEST_UNSUPPORTED,	/* qop=auth-int, HA1 size, no MD5 */
};

/*
 * "MD5", "MD5-sess", "SHA-256", "SHA-256-sess", any case; an absent
 * algorithm (@len 0) means MD5. Returns false for anything else
 * (SHA-512-256, AKAv1-MD5, ...), which the caller leaves to the daemon.
 */
bool sipreg_digest_alg_parse(const u8 *p, size_t len, enum sipreg_alg *alg,
			     bool *sess);

/* Exactly 8 hex digits (either case) to a number; false otherwise. */
bool sipreg_digest_parse_nc(const u8 *p, size_t len, u32 *nc);

/* Writes 2 * @n lowercase hex digits, no NUL. */
void sipreg_digest_hex(const u8 *in, size_t n, char *out);

/* HA1 = H(user ":" realm ":" password), raw bytes: what gets stored. */
int sipreg_digest_ha1(enum sipreg_alg alg, struct sipreg_digest_str user,
		      struct sipreg_digest_str realm,
		      struct sipreg_digest_str password, u8 *out);

/*
 * The expected response as raw bytes (sipreg_hash_len(req->alg)), from
 * the stored HA1 (@ha1_len must match the algorithm). req->response is
 * not read. Clients use it too (load generator, tests).
 */
enum sipreg_digest_verdict
sipreg_digest_response(const struct sipreg_digest_req *req, const u8 *ha1,
		       size_t ha1_len, u8 *out);

/*
 * Checks req->response in constant time. The hex may be in either case:
 * RFC 7616 asks for lowercase, but case carries no secret and some old
 * user agents send uppercase.
 */
enum sipreg_digest_verdict
sipreg_digest_verify(const struct sipreg_digest_req *req, const u8 *ha1,
		     size_t ha1_len);

/* The same with HA2 from, or else into, @cache (NULL: none). */
enum sipreg_digest_verdict
sipreg_digest_verify_cached(const struct sipreg_digest_req *req,
			    const u8 *ha1, size_t ha1_len,
			    struct sipreg_ha2_cache *cache);

#endif /* SIPREG_DIGEST_H */
