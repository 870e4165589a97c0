// SPDX-License-Identifier: GPL-2.0
/*
 * Digest authentication of a REGISTER (RFC 3261 22.4, RFC 7616, RFC 8760)
 * against the store's HA1, with the shared nonce and digest code.
 * Unknown user, foreign realm, wrong password and replayed nonce count all
 * get the same fresh challenge: a scanner learns nothing about which
 * user names exist.
 */
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "registrar_priv.h"
#include "log.h"

static struct sipreg_digest_str dstr(const struct req *q,
				     struct sipreg_span sp)
{
	return (struct sipreg_digest_str){ q->b + sp.off, sp.len };
}

static void put_challenge(struct req *q, const char *alg,
			  const char *nonce, bool stale)
{
	req_hdr(q, "WWW-Authenticate: Digest realm=\"%s\", nonce=\"%.*s\", "
		"algorithm=%s, qop=\"auth\"%s\r\n", q->realm,
		NONCES_LEN, nonce, alg, stale ? ", stale=true" : "");
}

/* Within challenge_rate, challenge_burst and challenge_rate_global. */
static bool may_challenge(struct req *q)
{
	const struct registrar_cfg *c = &q->r->cfg;

	if (ratelimit_allow(q->r->rl, q->addr16, q->now->boot,
			    c->challenge_rate, c->challenge_burst,
			    c->challenge_rate_global))
		return true;
	q->r->stats.rate_limited++;
	log_msg(LOG_DEBUG, "%s:%u: 401 rate limited: dropped", q->src_text,
		q->src.port);
	return false;
}

/*
 * One challenge per algorithm. RFC 8760 2.4 wants the preferred one
 * first, but a client that reads only the first (sipp, many phones) and
 * knows only MD5 then fails: MD5 comes first unless the configuration
 * lists sha256 first (registrar_cfg.sha256_first).
 */
size_t regauth_challenge(struct req *q, bool stale)
{
	const struct registrar_cfg *c = &q->r->cfg;
	char nonce[NONCES_LEN];

	if (!may_challenge(q))
		return 0;
	q->r->stats.challenges++;
	if (stale)
		q->r->stats.stale_nonces++;
	nonces_make(q->r->nonces, (u32)q->now->wall, q->now->wall_usec, q->addr16,
		    q->realm, nonce);
	req_start(q, 401, "Unauthorized");
	if (c->alg_sha256 && c->sha256_first)
		put_challenge(q, "SHA-256", nonce, stale);
	if (c->alg_md5)
		put_challenge(q, "MD5", nonce, stale);
	if (c->alg_sha256 && !c->sha256_first)
		put_challenge(q, "SHA-256", nonce, stale);
	return req_end(q);
}

static bool alg_enabled(const struct registrar_cfg *c, enum sipreg_alg a)
{
	return a == SIPREG_ALG_MD5 ? c->alg_md5 : c->alg_sha256;
}

/* The stored HA1 for @alg, or NULL if the user has none. */
static const u8 *user_ha1(const struct store_user *u, enum sipreg_alg alg)
{
	if (alg == SIPREG_ALG_MD5)
		return u->has_md5 ? u->ha1_md5 : NULL;
	return u->has_sha256 ? u->ha1_sha256 : NULL;
}

/* Looks the user up; AUTH_OK when found. */
static enum auth_result find_user(struct req *q)
{
	const struct sipreg_auth *a = &q->m.auth;
	u8 name[STORE_NAME_MAX];
	int n, rc;

	n = sipreg_span_unquote(q->b, a->username, name, sizeof(name) - 1);
	if (n <= 0)
		return AUTH_CHALLENGE;
	name[n] = 0;
	rc = store_user_get(q->r->st, (const char *)name, q->realm,
			    &q->user);
	if (rc < 0 && store_busy(q->r->st))
		return AUTH_BUSY;
	if (rc < 0) {
		q->r->stats.store_errors++;
		log_msg(LOG_ERR, "store: user %s: %s", name,
			store_error(q->r->st));
		return AUTH_ERROR;
	}
	if (!rc) {
		q->r->stats.unknown_users++;
		log_msg(LOG_INFO, "%s:%u: unknown user %s", q->src_text,
			q->src.port, name);
		return AUTH_CHALLENGE;
	}
	return AUTH_OK;
}

/*
 * AUTH_OK unless this (user, nonce, cnonce) already used a count as high.
 * The cnonce is in the key because two devices of one user behind one
 * NAT, challenged in the same second, get the same nonce (it is made of
 * time, address and realm): each counts from 1 with its own cnonce. A
 * replay carries the cnonce it was captured with, and another cnonce
 * needs another response, which needs the password. The count is written
 * in the group's transaction: another worker checking the same count
 * waits for our COMMIT and then sees it (BEGIN IMMEDIATE serialises
 * them), and a count of a group that is not committed is not used.
 * A used count is AUTH_NC_USED: bindings.c lets only the retransmission
 * of a committed request through.
 */
static enum auth_result nc_fresh(struct req *q)
{
	const struct sipreg_auth *a = &q->m.auth;
	char key[2 * STORE_NAME_MAX + SIPREG_MAX_LEN];
	int n, rc = -1;

	n = snprintf(key, sizeof(key), "%s%c%s%c%.*s%c%.*s", q->user.user, 0,
		     q->user.realm, 0, a->nonce.len, q->b + a->nonce.off, 0,
		     a->cnonce.len, q->b + a->cnonce.off);
	if (n < 0 || (size_t)n >= sizeof(key))
		n = sizeof(key) - 1;		/* a prefix still counts */
	if (!batch_write_begin(q->r)) {
		rc = store_nc_advance(q->r->st, key, (size_t)n, a->nc,
				      q->now->wall,
				      2 * (int64_t)q->r->cfg.nonce_lifetime);
		if (batch_write_end(q->r, rc >= 0))
			rc = -1;
	}
	if (rc > 0)
		return AUTH_OK;
	if (rc < 0) {
		if (q->r->txn == TXN_LOST ? q->r->txn_busy :
		    store_busy(q->r->st))
			return AUTH_BUSY;
		q->r->stats.store_errors++;
		log_msg(LOG_ERR, "store: nonce count of %s: %s", q->user.user,
			store_error(q->r->st));
		return AUTH_ERROR;
	}
	return AUTH_NC_USED;
}

size_t regauth_replayed(struct req *q)
{
	q->r->stats.nc_replays++;
	log_msg(LOG_INFO, "%s:%u: user %s: nonce count %08x replayed",
		q->src_text, q->src.port, q->user.user, q->m.auth.nc);
	return regauth_challenge(q, false);
}

static enum auth_result verify(struct req *q, enum sipreg_alg alg, bool sess)
{
	const struct sipreg_auth *a = &q->m.auth;
	struct sipreg_digest_req d = {
		.alg = alg,
		.sess = sess,
		.method = dstr(q, q->m.method),
		.uri = dstr(q, a->uri),		/* hashed as sent */
		.nonce = dstr(q, a->nonce),
		.cnonce = dstr(q, a->cnonce),
		.qop = dstr(q, a->qop),
		.response = dstr(q, a->response),
	};
	const u8 *ha1 = user_ha1(&q->user, alg);

	if (!ha1)
		return AUTH_CHALLENGE;
	/* The count is hashed as sent, whatever the case of its hex digits. */
	if (a->qop.len)
		d.nc = dstr(q, a->nc_text);
	switch (sipreg_digest_verify(&d, ha1, sipreg_hash_len(alg))) {
	case SIPREG_DIGEST_OK:
		return AUTH_OK;
	case SIPREG_DIGEST_MALFORMED:
		return AUTH_MALFORMED;
	case SIPREG_DIGEST_MISMATCH:
		q->r->stats.auth_failures++;
		log_msg(LOG_INFO, "%s:%u: user %s: wrong credentials",
			q->src_text, q->src.port, q->user.user);
		return AUTH_CHALLENGE;
	default:
		return AUTH_CHALLENGE;
	}
}

enum auth_result regauth_check(struct req *q)
{
	const struct sipreg_auth *a = &q->m.auth;
	const struct registrar_cfg *c = &q->r->cfg;
	enum nonces_verdict nv;
	enum auth_result res;
	enum sipreg_alg alg;
	bool sess;

	if (!(a->flags & SIPREG_AUTH_DIGEST))
		return AUTH_CHALLENGE;
	if (!sipreg_span_eq_unquoted(q->b, a->realm, (const u8 *)q->realm,
				     strlen(q->realm)))
		return AUTH_CHALLENGE;
	if (!sipreg_digest_alg_parse(q->b + a->algorithm.off,
				     a->algorithm.len, &alg, &sess) ||
	    !alg_enabled(c, alg))
		return AUTH_CHALLENGE;
	/* the MAC of the nonce first: no store lookup for a forged one */
	nv = nonces_check(q->r->nonces, (u32)q->now->wall, c->nonce_lifetime,
			  q->addr16, q->realm, q->b + a->nonce.off,
			  a->nonce.len);
	if (nv == NONCES_BAD)
		return AUTH_CHALLENGE;
	res = find_user(q);
	if (res != AUTH_OK)
		return res;
	res = verify(q, alg, sess);
	if (res != AUTH_OK)
		return res;
	/* stale=true only for a nonce that was genuine and a right answer */
	if (nv == NONCES_STALE)
		return AUTH_STALE;
	return a->qop.len ? nc_fresh(q) : AUTH_OK;
}
