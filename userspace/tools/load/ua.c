// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load: the user agent's state machine and the checks every response
 * must pass. A fast wrong answer must never count as speed, so each
 * response is checked against the request it answers before anything else
 * looks at it.
 */
#include <strings.h>

#include "ua.h"
#include "digest.h"

void lg_ua_init(struct lg_ua *ua, u32 user)
{
	memset(ua, 0, sizeof(*ua));
	ua->user = user;
	ua->state = LG_UA_READY;
	ua->kind = LG_CHALLENGE;
	ua->retry_after = -1;
}

static struct lg_ids ua_ids(const struct lg_ua *ua, u32 idx,
			    const struct lg_uactx *c)
{
	return (struct lg_ids){ .run = c->run, .thread = c->thread, .ua = idx,
				.gen = ua->gen, .txn = ua->txn };
}

size_t lg_ua_request(const struct lg_ua *ua, u32 idx,
		     const struct lg_uactx *c, char *out, size_t cap)
{
	struct lg_cred cred = {
		.user = lg_user_name(c->users, ua->user),
		.realm = { c->realm, c->realm_len },
		.nonce = { ua->nonce, ua->nonce_len },
		.opaque = { ua->opaque, ua->opaque_len },
		.alg = ua->alg,
		.qop = ua->qop,
		.nc = ua->nc,
		.cnonce = ua->cnonce,
		.ha1 = ua->ha1,
	};
	struct lg_req q = {
		.ids = ua_ids(ua, idx, c),
		.domain = c->domain,
		.user = lg_user_name(c->users, ua->user),
		.host = c->host,
		.port = c->port,
		.transport = c->transport,
		.cseq = ua->cseq,
		.expires = c->expires,
		.cred = ua->kind == LG_CHALLENGE ? NULL : &cred,
	};

	return lg_sip_build(out, cap, &q);
}

size_t lg_ua_begin(struct lg_ua *ua, u32 idx, const struct lg_uactx *c,
		   char *out, size_t cap)
{
	/* Challenge mode: every REGISTER is someone's first, a new Call-ID. */
	if (c->mode == LG_MODE_CHALLENGE || c->mode == LG_MODE_ECHO) {
		ua->gen++;
		ua->cseq = 0;
	}
	ua->txn++;
	ua->cseq++;
	if (ua->kind != LG_CHALLENGE)
		ua->nc++;
	ua->state = LG_UA_WAIT;
	return lg_ua_request(ua, idx, c, out, cap);
}

/* splitmix64: a cnonce that differs per UA and per nonce. */
static u64 mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static bool str_eq(struct lg_str a, const char *b, size_t n)
{
	return a.len == n && !memcmp(a.p, b, n);
}

/* The challenge for our algorithm, or NULL with why in *w. */
static const struct lg_chal *pick_chal(const struct lg_resp *r,
				       const struct lg_uactx *c,
				       enum lg_wrong *w)
{
	unsigned int i;

	for (i = 0; i < r->n_chal; i++) {
		enum sipreg_alg alg;

		if (lg_sip_alg(r->chal[i].algorithm, &alg) && alg == c->alg)
			break;
	}
	if (i == r->n_chal) {
		*w = r->n_chal ? LG_W_ALGORITHM : LG_W_CHALLENGE;
		return NULL;
	}
	if (!r->chal[i].nonce.len || r->chal[i].nonce.len > LG_NONCE_MAX ||
	    r->chal[i].opaque.len > LG_OPAQUE_MAX || !r->chal[i].realm.len) {
		*w = LG_W_CHALLENGE;
		return NULL;
	}
	return &r->chal[i];
}

static bool realm_ok(struct lg_uactx *c, struct lg_str realm)
{
	if (c->want_realm.len &&
	    !str_eq(realm, c->want_realm.p, c->want_realm.len))
		return false;
	if (c->realm_len)
		return str_eq(realm, c->realm, c->realm_len);
	if (realm.len > LG_REALM_MAX)
		return false;
	memcpy(c->realm, realm.p, realm.len);
	c->realm_len = realm.len;
	return true;
}

static bool compute_ha1(struct lg_ua *ua, const struct lg_uactx *c)
{
	struct lg_str u = lg_user_name(c->users, ua->user);
	struct lg_str p = lg_user_pass(c->users, ua->user);
	struct sipreg_digest_str du = { (const u8 *)u.p, u.len };
	struct sipreg_digest_str dr = { (const u8 *)c->realm, c->realm_len };
	struct sipreg_digest_str dp = { (const u8 *)p.p, p.len };

	ua->ha1_ok = !sipreg_digest_ha1(c->alg, du, dr, dp, ua->ha1);
	return ua->ha1_ok;
}

/* Keeps the nonce of a 401 for the next requests; 0 or why not. */
static int take_chal(struct lg_ua *ua, struct lg_uactx *c,
		     const struct lg_resp *r, enum lg_wrong *w)
{
	const struct lg_chal *ch = pick_chal(r, c, w);

	if (!ch)
		return -1;
	if (!realm_ok(c, ch->realm)) {
		*w = LG_W_REALM;
		return -1;
	}
	if ((!ua->ha1_ok || ua->alg != c->alg) && !compute_ha1(ua, c)) {
		*w = LG_W_ALGORITHM;
		return -1;
	}
	memcpy(ua->nonce, ch->nonce.p, ch->nonce.len);
	ua->nonce_len = ch->nonce.len;
	if (ch->opaque.len)	/* p may be NULL then, and memcpy must not see it */
		memcpy(ua->opaque, ch->opaque.p, ch->opaque.len);
	ua->opaque_len = ch->opaque.len;
	ua->alg = c->alg;
	ua->qop = ch->qop_auth;
	ua->nc = 0;
	ua->cnonce = mix((u64)c->run << 32 ^ (u64)ua->user << 8 ^ ua->txn);
	return 0;
}

/* Checks every response must pass: it answers our request. */
static int check_common(const struct lg_ua *ua, u32 idx,
			const struct lg_uactx *c, const struct lg_resp *r,
			enum lg_wrong *w)
{
	struct lg_ids ids = ua_ids(ua, idx, c);
	char callid[96];
	size_t n = lg_sip_call_id(callid, sizeof(callid), &ids);

	if (!str_eq(r->call_id, callid, n)) {
		*w = LG_W_CALL_ID;
		return -1;
	}
	if (r->cseq != ua->cseq || !str_eq(r->cseq_method, "REGISTER", 8)) {
		*w = LG_W_CSEQ;
		return -1;
	}
	if (r->status >= 200 && !r->to_tag) {
		*w = LG_W_TO_TAG;
		return -1;
	}
	return 0;
}

/* A 200 must list our Contact with a positive expires. */
static int check_200(const struct lg_ua *ua, const struct lg_uactx *c,
		     const struct lg_resp *r, enum lg_wrong *w)
{
	char uri[LG_NAME_MAX + LG_REALM_MAX + 16];
	size_t n = lg_sip_contact_uri(uri, sizeof(uri),
				      lg_user_name(c->users, ua->user),
				      c->host, c->port);
	s64 expires;

	if (!lg_sip_contact(r, (struct lg_str){ uri, n }, &expires)) {
		*w = LG_W_CONTACT;
		return -1;
	}
	if (expires <= 0) {
		*w = LG_W_EXPIRES;
		return -1;
	}
	return 0;
}

static bool any_stale(const struct lg_resp *r)
{
	unsigned int i;

	for (i = 0; i < r->n_chal; i++)
		if (r->chal[i].stale)
			return true;
	return false;
}

static enum lg_next done_ok(struct lg_ua *ua, struct lg_stats *st, u64 now,
			    enum lg_next next)
{
	st->ok[ua->kind]++;
	lg_hist_add(&st->lat[ua->kind], now - ua->t0);
	ua->state = LG_UA_READY;
	return next;
}

/* Answer to a REGISTER without credentials: a 401 to take the nonce from. */
static enum lg_next on_challenge(struct lg_ua *ua, struct lg_uactx *c,
				 const struct lg_resp *r, struct lg_stats *st,
				 u64 now, enum lg_wrong *w)
{
	if (r->status != 401) {
		*w = LG_W_STATUS;
		return LG_NEXT_WAIT;
	}
	if (take_chal(ua, c, r, w))
		return LG_NEXT_WAIT;
	if (c->mode == LG_MODE_CHALLENGE)
		return done_ok(ua, st, now, LG_NEXT_FRESH);
	done_ok(ua, st, now, LG_NEXT_URGENT);
	ua->kind = LG_AUTH;
	return LG_NEXT_URGENT;
}

/* Answer to credentials: 200 with our binding, or 401 stale=true. */
static enum lg_next on_credentials(struct lg_ua *ua, struct lg_uactx *c,
				   const struct lg_resp *r,
				   struct lg_stats *st, u64 now,
				   enum lg_wrong *w)
{
	if (r->status == 200) {
		if (check_200(ua, c, r, w))
			return LG_NEXT_WAIT;
		done_ok(ua, st, now, LG_NEXT_REFRESH);
		ua->got_200 = true;
		ua->failures = 0;
		ua->kind = LG_REFRESH;
		return LG_NEXT_REFRESH;
	}
	if (r->status != 401) {
		*w = LG_W_STATUS;
		return LG_NEXT_WAIT;
	}
	if (!any_stale(r)) {
		*w = LG_W_REJECTED;
		return LG_NEXT_WAIT;
	}
	if (take_chal(ua, c, r, w))
		return LG_NEXT_WAIT;
	st->stale++;
	ua->state = LG_UA_READY;
	ua->kind = LG_AUTH;
	return LG_NEXT_URGENT;
}

/* Storm: the registrar is overloaded; the same step again, later. */
static enum lg_next on_busy(struct lg_ua *ua, const struct lg_resp *r,
			    struct lg_stats *st)
{
	st->busy++;
	ua->failures++;
	ua->retry_after = r->retry_after > INT32_MAX ? INT32_MAX : r->retry_after;
	ua->state = LG_UA_HOLD;
	return LG_NEXT_BUSY;
}

enum lg_next lg_ua_response(struct lg_ua *ua, u32 idx, struct lg_uactx *c,
			    const struct lg_resp *r, struct lg_stats *st,
			    u64 now)
{
	enum lg_wrong w = LG_WRONG_MAX;
	enum lg_next next;

	if (check_common(ua, idx, c, r, &w))
		goto wrong;
	if (r->status < 200) {
		st->provisional++;
		return LG_NEXT_WAIT;
	}
	if (r->status == 503 && c->mode == LG_MODE_STORM)
		return on_busy(ua, r, st);
	if (ua->kind == LG_CHALLENGE)
		next = on_challenge(ua, c, r, st, now, &w);
	else
		next = on_credentials(ua, c, r, st, now, &w);
	if (w == LG_WRONG_MAX)
		return next;
wrong:
	/* Counted; the UA starts over so that the run goes on. */
	st->wrong[w]++;
	ua->state = LG_UA_READY;
	ua->kind = LG_CHALLENGE;
	return LG_NEXT_FRESH;
}

enum lg_next lg_ua_echo(struct lg_ua *ua, struct lg_stats *st, u64 now)
{
	return done_ok(ua, st, now, LG_NEXT_FRESH);
}

enum lg_next lg_ua_timeout(struct lg_ua *ua, const struct lg_uactx *c,
			   struct lg_stats *st)
{
	st->timeouts[ua->kind]++;
	ua->state = LG_UA_READY;
	if (c->mode == LG_MODE_STORM) {
		/* Timer F: the registration starts over after a back-off. */
		st->restarts++;
		ua->failures++;
		ua->kind = LG_CHALLENGE;
		ua->state = LG_UA_HOLD;
		return LG_NEXT_BACKOFF;
	}
	switch (ua->kind) {
	case LG_AUTH:
		return LG_NEXT_URGENT;
	case LG_REFRESH:
		return LG_NEXT_REFRESH;
	default:
		return LG_NEXT_FRESH;
	}
}
