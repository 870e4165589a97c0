// SPDX-License-Identifier: GPL-2.0
/*
 * The fast path: a REGISTER that reaches the hook is parsed in place and
 *  - without credentials (or with a genuine but expired nonce and a right
 *    answer) gets a 401 from the cached challenge,
 *  - with valid credentials that refresh an existing binding (same
 *    Contact and Call-ID, higher CSeq and nonce count, expiry in bounds)
 *    gets its binding's expiry moved and a 200 with every contact,
 *  - otherwise is a miss, handed to the daemon with its reason, or left to
 *    the stack when no daemon listens: the module fails open.
 * A STUN Binding request is answered with the address it came from, and a
 * CRLF keepalive is consumed (RFC 5626 4.4).
 * Runs in softirq under rcu_read_lock(): no sleeping, no allocation but
 * the reply skb, every loop bounded by the parser's limits.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "binding.h"
#include "config.h"
#include "digest.h"
#include "domain.h"
#include "fastpath.h"
#include "netlink.h"
#include "nonce.h"
#include "parser.h"
#include "pernet.h"
#include "ratelimiter.h"
#include "reply.h"
#include "send.h"
#include "stun.h"
#include "user.h"

#define REPLY_MAX	8192
#define TAG_LEN		16
/*
 * A sender whose address nothing has proved gets at most this many bytes
 * back per byte it sent, as QUIC allows a server before address
 * validation (RFC 9000 section 8): a 401 is the only such answer.
 */
#define AMPLIFICATION_MAX	3

/*
 * Per-CPU room for a non-linear request and for the answer: the hook runs
 * with BHs off. Also the HA2 of the last refresh on this CPU, which the
 * next one most likely shares (same Request-URI).
 */
struct fp_scratch {
	u8 req[SIPREG_MAX_LEN];
	u8 resp[REPLY_MAX];
	struct sipreg_msg msg;
	struct sipreg_ha2_cache ha2;
};

static struct fp_scratch __percpu *scratch;
static siphash_key_t tag_key;

/* One request on its way through the fast path. */
struct fp {
	struct sipreg_net *sn;
	const struct sipreg_config *cfg;
	/* The served domain's (or, with no domains, the config's): */
	const char *realm;
	const char *aor_host;		/* "sip:USER@" what */
	const struct sipreg_challenge *challenge;	/* [stale] */
	u8 realm_len;
	u8 aor_host_len;
	struct sk_buff *skb;
	struct fp_scratch *sc;
	const u8 *b;
	struct sipreg_msg *m;
	size_t len;
	int uoff;
	u8 pf;
	u32 now;			/* CLOCK_REALTIME s: the nonces' clock */
	struct sipreg_addr client;
	struct sipreg_reply_src src;
	char src_text[48];		/* an IPv6 address as text */
	struct sk_buff *out;		/* the answer, built, not sent */
	enum sipreg_tclass tclass;	/* what became of it, for timing */
};

int __init sipreg_fastpath_init(void)
{
	scratch = alloc_percpu(struct fp_scratch);
	if (!scratch)
		return -ENOMEM;
	get_random_bytes(&tag_key, sizeof(tag_key));
	return 0;
}

void sipreg_fastpath_uninit(void)
{
	free_percpu(scratch);
}

/* ---- answering -------------------------------------------------------- */

/* The request is answered: it goes no further. */
static unsigned int consumed(struct fp *fp)
{
	consume_skb(fp->skb);
	return NF_STOLEN;
}

static unsigned int pass(struct fp *fp)
{
	fp->tclass = SIPREG_TCLASS_PASS;
	sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_PASSED);
	return NF_ACCEPT;
}

/* The answer as a routed skb in fp->out; nothing is sent yet. */
static int build(struct fp *fp, struct sipreg_reply *r)
{
	int len = sipreg_reply_end(r);
	struct sk_buff *skb;

	if (len < 0)
		return -EMSGSIZE;
	skb = sipreg_send_build(fp->sn->net, fp->skb, fp->pf, fp->uoff,
				r->buf, len);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	fp->out = skb;
	return 0;
}

/* The timing class of an answer counted in @stat. */
static enum sipreg_tclass sent_class(enum sipreg_stat stat)
{
	switch (stat) {
	case SIPREG_STAT_CHALLENGES:
		return SIPREG_TCLASS_CHALLENGE;
	case SIPREG_STAT_REFRESHES:
		return SIPREG_TCLASS_REFRESH;
	case SIPREG_STAT_RETRANSMISSIONS:
		return SIPREG_TCLASS_RETRANSMISSION;
	default:
		return SIPREG_TCLASS_OTHER;
	}
}

/*
 * Sends fp->out. Whatever happens the request goes no further: it may
 * have changed state already, and the client's retransmission is answered.
 */
static unsigned int xmit(struct fp *fp, enum sipreg_stat stat)
{
	if (!fp->out || sipreg_send_xmit(fp->sn->net, fp->out)) {
		sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_TX_FAILED);
	} else {
		sipreg_stats_inc(fp->sn->stats, stat);
		fp->tclass = sent_class(stat);
	}
	fp->out = NULL;
	return consumed(fp);
}

/* An answer that changes nothing: if it cannot be built, the stack decides. */
static unsigned int send(struct fp *fp, struct sipreg_reply *r,
			 enum sipreg_stat stat)
{
	if (build(fp, r)) {
		sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_TX_FAILED);
		return pass(fp);
	}
	return xmit(fp, stat);
}

static u64 span_hash(const struct fp *fp, struct sipreg_span sp, u64 seed)
{
	return siphash(fp->b + sp.off, sp.len, &tag_key) ^ seed;
}

/* The same for retransmissions of a request, different for others. */
static void make_tag(const struct fp *fp, char *tag)
{
	u64 h = fp->m->cseq;

	h = span_hash(fp, fp->m->call_id, h * 31);
	h = span_hash(fp, fp->m->from.tag, h * 31);
	h = span_hash(fp, fp->m->via.branch, h * 31);
	sipreg_digest_hex((const u8 *)&h, sizeof(h), tag);
}

static void reply_start(struct fp *fp, struct sipreg_reply *r,
			unsigned int code, const char *reason)
{
	char tag[TAG_LEN];

	make_tag(fp, tag);
	sipreg_reply_init(r, fp->sc->resp, sizeof(fp->sc->resp));
	sipreg_reply_start(r, fp->b, fp->m, code, reason, strlen(reason),
			   &fp->src, (const u8 *)tag, TAG_LEN);
}

static unsigned int challenge(struct fp *fp, bool stale)
{
	const struct sipreg_challenge *ch = &fp->challenge[stale];
	char nonce[SIPREG_NONCE_LEN];
	struct sipreg_reply r;
	u32 ns, sec;
	size_t at;
	int i;

	if (!sipreg_ratelimiter_allow(fp->sn->net, fp->skb, fp->pf,
				      fp->cfg->rate, fp->cfg->burst) ||
	    !sipreg_ratelimiter_allow_global(&fp->sn->challenge_tat,
					     fp->cfg->rate_global)) {
		sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_RATE_LIMITED);
		sipreg_stats_miss(fp->sn->stats, SIPREG_MISS_RATE_LIMITED);
		return consumed(fp);
	}
	/* To the microsecond: a second 401 to a client is another nonce. */
	sec = div_u64_rem(ktime_get_real_ns(), NSEC_PER_SEC, &ns);
	sipreg_nonce_make(sipreg_secret_keys(&fp->sn->secrets), sec,
			  ns / NSEC_PER_USEC, &fp->client,
			  (const u8 *)fp->realm, fp->realm_len, nonce);
	reply_start(fp, &r, 401, "Unauthorized");
	at = r.len;
	sipreg_reply_put(&r, ch->text, ch->len);
	for (i = 0; i < ch->nslots && !r.overflow; i++)
		memcpy(r.buf + at + ch->slot[i], nonce, SIPREG_NONCE_LEN);
	/* The request's address is unproven: no more than 3 times its size. */
	if (r.len + sizeof("Content-Length: 0\r\n\r\n") - 1 >
	    AMPLIFICATION_MAX * fp->len) {
		sipreg_stats_inc(fp->sn->stats,
				 SIPREG_STAT_AMPLIFICATION_LIMITED);
		return consumed(fp);
	}
	if (stale)
		sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_STALE_CHALLENGES);
	return send(fp, &r, SIPREG_STAT_CHALLENGES);
}

/* ";q=0.5" as RFC 3261 writes qvalues; q=1 is the default, left out. */
static void put_q(struct sipreg_reply *r, u16 q)
{
	char d[4] = { '0' + q / 100, '0' + q / 10 % 10, '0' + q % 10 };
	int n = 3;

	if (q >= SIPREG_Q_MAX)
		return;
	while (n > 1 && d[n - 1] == '0')
		n--;
	sipreg_reply_lit(r, ";q=0.");
	sipreg_reply_put(r, d, n);
}

/*
 * 200 OK with every live contact of the AOR (RFC 3261 10.3 step 8),
 * contact @idx at @expires: built, routed, not sent, under the entry's
 * lock (a sipreg_refresh_answer_t).
 */
static int ok(void *arg, const struct sipreg_binding *b, unsigned int idx,
	      u64 expires)
{
	u64 now = ktime_get_boottime_seconds(), at;
	struct fp *fp = arg;
	struct sipreg_reply r;
	unsigned int i;

	reply_start(fp, &r, 200, "OK");
	for (i = 0; i < b->ncontacts; i++) {
		const struct sipreg_contact *c = &b->c[i];

		at = i == idx ? expires : READ_ONCE(c->expires);
		if (at <= now)
			continue;
		sipreg_reply_lit(&r, "Contact: <");
		sipreg_reply_put(&r, sipreg_contact_uri(b, c), c->uri_len);
		sipreg_reply_lit(&r, ">;expires=");
		sipreg_reply_u32(&r, at - now);
		put_q(&r, c->q);
		sipreg_reply_lit(&r, "\r\n");
	}
	sipreg_reply_date(&r, ktime_get_real_seconds());
	return build(fp, &r);
}

/* ---- keepalives (RFC 5626 4.4) ------------------------------------------ */

/*
 * A bare CRLF or CRLFCRLF datagram: RFC 5626 defines the CRLF keepalive
 * for streams only, where the server answers with a CRLF; on UDP the
 * keepalive is STUN and nothing answers a CRLF, so it only kept the NAT
 * binding open by arriving. Consumed here so that no daemon wakes for it.
 */
static unsigned int crlf(struct fp *fp)
{
	if (!fp->cfg->fastpath)
		return pass(fp);
	sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_KEEPALIVES);
	return consumed(fp);
}

/*
 * A STUN Binding request (RFC 5389): answered with the source address and
 * port seen, from the address and port it was sent to. The answer goes to
 * an unproven address, like a 401: per-source rate limit, and at most 44
 * bytes (52 with a FINGERPRINT, which a request pays for with 8 bytes of
 * its own) for at least 20, within AMPLIFICATION_MAX.
 */
static unsigned int stun(struct fp *fp, const struct udphdr *uh,
			 const struct sipreg_stun_req *req)
{
	struct sipreg_stun_addr a = { .family = 4 };
	struct sk_buff *skb;
	int n;

	BUILD_BUG_ON(SIPREG_STUN_RESP_MAX >
		     AMPLIFICATION_MAX * SIPREG_STUN_HDR_LEN);
	BUILD_BUG_ON(sizeof(fp->sc->resp) < SIPREG_STUN_RESP_MAX);
	if (!fp->cfg->fastpath)
		return pass(fp);
	if (!sipreg_ratelimiter_allow(fp->sn->net, fp->skb, fp->pf,
				      fp->cfg->rate, fp->cfg->burst)) {
		sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_RATE_LIMITED);
		return consumed(fp);
	}
	if (fp->pf == NFPROTO_IPV4) {
		memcpy(a.addr, &ip_hdr(fp->skb)->saddr, 4);
	} else {
		a.family = 6;
		memcpy(a.addr, &ipv6_hdr(fp->skb)->saddr, 16);
	}
	memcpy(a.port, &uh->source, 2);
	n = sipreg_stun_response(req, &a, fp->sc->resp, sizeof(fp->sc->resp));
	skb = n < 0 ? ERR_PTR(-EMSGSIZE) :
		sipreg_send_build(fp->sn->net, fp->skb, fp->pf, fp->uoff,
				  fp->sc->resp, n);
	if (IS_ERR(skb)) {
		sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_TX_FAILED);
		return pass(fp);
	}
	fp->out = skb;
	return xmit(fp, SIPREG_STAT_STUN_ANSWERED);
}

/* ---- misses ------------------------------------------------------------- */

/*
 * 503 with a random Retry-After (RFC 3261 21.5.4) while the daemon cannot
 * keep up. After a power cut every phone registers at once; a REGISTER
 * dropped from a full queue is retransmitted (Timer E) into the same
 * queue, while a phone told to come back in N..2N seconds spreads the
 * storm over that time. The 503 is no larger than the request.
 */
static unsigned int busy(struct fp *fp, enum sipreg_busy why)
{
	static const enum sipreg_stat why_stat[] = {
		[SIPREG_BUSY_BYTES] = SIPREG_STAT_BUSY_BYTES,
		[SIPREG_BUSY_COUNT] = SIPREG_STAT_BUSY_COUNT,
		[SIPREG_BUSY_AGE] = SIPREG_STAT_BUSY_AGE,
		[SIPREG_BUSY_WAIT] = SIPREG_STAT_BUSY_WAIT,
	};
	u32 n = fp->cfg->busy_retry_after;
	struct sipreg_reply r;

	sipreg_stats_inc(fp->sn->stats, why_stat[why]);
	reply_start(fp, &r, 503, "Service Unavailable");
	sipreg_reply_lit(&r, "Retry-After: ");
	sipreg_reply_u32(&r, n + get_random_u32_below(n + 1));
	sipreg_reply_lit(&r, "\r\n");
	return send(fp, &r, SIPREG_STAT_BUSY);
}

/* The transaction of the request, for sipreg_absorb_*(). */
static u64 transaction(const struct fp *fp,
		       const struct sipreg_miss_meta *meta)
{
	const struct sipreg_msg *m = fp->m;

	return sipreg_absorb_hash(&fp->sn->absorb, fp->b + m->call_id.off,
				  m->call_id.len, fp->b + m->via.branch.off,
				  m->via.branch.len, m->cseq, meta);
}

static unsigned int miss(struct fp *fp, enum sipreg_miss_reason reason)
{
	struct sipreg_miss_meta meta = {
		.ifindex = fp->skb->skb_iif,
		.reason = reason,
	};
	struct udphdr _uh;
	const struct udphdr *uh;
	enum sipreg_busy why;
	u64 h = 0;

	uh = skb_header_pointer(fp->skb, fp->uoff, sizeof(_uh), &_uh);
	if (!uh)
		return pass(fp);
	meta.sport = uh->source;
	meta.dport = uh->dest;
	if (fp->pf == NFPROTO_IPV4) {
		meta.family = AF_INET;
		meta.saddr.v4 = ip_hdr(fp->skb)->saddr;
		meta.daddr.v4 = ip_hdr(fp->skb)->daddr;
	} else {
		meta.family = AF_INET6;
		meta.saddr.v6 = ipv6_hdr(fp->skb)->saddr;
		meta.daddr.v6 = ipv6_hdr(fp->skb)->daddr;
	}
	/* One without a branch (RFC 2543) is matched by the daemon's cache. */
	if (fp->m->via.branch.len) {
		h = transaction(fp, &meta);
		if (sipreg_absorb_seen(&fp->sn->absorb, h)) {
			sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_MISS_ABSORBED);
			return consumed(fp);
		}
	}
	if (fp->cfg->busy_retry_after) {
		why = sipreg_netlink_daemon_busy(fp->sn, fp->cfg);
		if (why != SIPREG_BUSY_NO)
			return busy(fp, why);
	}
	/* No daemon, or it cannot take more: the stack delivers it. */
	if (sipreg_netlink_send_miss(fp->sn, fp->b, fp->len, &meta))
		return pass(fp);
	if (h)
		sipreg_absorb_note(&fp->sn->absorb, h);
	fp->tclass = SIPREG_TCLASS_MISS;
	return consumed(fp);
}

/* ---- authenticated requests ----------------------------------------------- */

static struct sipreg_digest_str dstr(const struct fp *fp,
				     struct sipreg_span sp)
{
	return (struct sipreg_digest_str){ fp->b + sp.off, sp.len };
}

static const u8 *user_ha1(const struct sipreg_user *u, enum sipreg_alg alg)
{
	if (alg == SIPREG_ALG_MD5)
		return u->algs & SIPREG_ALG_FLAG_MD5 ? u->ha1_md5 : NULL;
	return u->algs & SIPREG_ALG_FLAG_SHA256 ? u->ha1_sha256 : NULL;
}

static u32 alg_flag(enum sipreg_alg alg)
{
	return alg == SIPREG_ALG_MD5 ? SIPREG_ALG_FLAG_MD5 :
				       SIPREG_ALG_FLAG_SHA256;
}

/* Expiry asked for: contact param over Expires header over the default. */
static u32 asked_expiry(const struct fp *fp)
{
	const struct sipreg_msg_contact *c = &fp->m->contacts[0];

	if (c->flags & SIPREG_CONTACT_EXPIRES)
		return c->expires;
	if (fp->m->flags & SIPREG_MSG_EXPIRES)
		return fp->m->expires;
	return fp->cfg->expires_default;
}

/* What only the daemon does: RFC 3261 10.3 beyond a plain refresh. */
static enum sipreg_miss_reason not_a_refresh(const struct fp *fp, u32 exp)
{
	const struct sipreg_msg *m = fp->m;
	const struct sipreg_msg_contact *c = &m->contacts[0];

	if (!m->n_contacts)
		return SIPREG_MISS_QUERY;
	if (m->n_contacts > 1)
		return SIPREG_MISS_SEVERAL_CONTACTS;
	if ((c->flags & SIPREG_CONTACT_STAR) || !exp)
		return SIPREG_MISS_DEREGISTER;
	if (c->flags & (SIPREG_CONTACT_REG_ID | SIPREG_CONTACT_INSTANCE))
		return SIPREG_MISS_OUTBOUND;
	if (m->path.n)
		return SIPREG_MISS_PATH;
	if (m->require.n || m->proxy_require.n)
		return SIPREG_MISS_REQUIRE;
	if (exp < fp->cfg->expires_min || exp > fp->cfg->expires_max)
		return SIPREG_MISS_EXPIRY_OUT_OF_BOUNDS;
	return SIPREG_MISS_UNSPEC;
}

/*
 * "sip:USER@REALM", or "sip:USER@DOMAIN" when domains are configured, as
 * sipregd names the AOR; 0 if it does not fit.
 */
static size_t make_aor(const struct fp *fp, struct sipreg_span user,
		       bool sips, char *aor)
{
	size_t scheme = sips ? 5 : 4;
	size_t n = scheme + user.len + 1 + fp->aor_host_len;

	if (n > SIPREG_AOR_MAX)
		return 0;
	memcpy(aor, sips ? "sips:" : "sip:", scheme);
	memcpy(aor + scheme, fp->b + user.off, user.len);
	aor[scheme + user.len] = '@';
	memcpy(aor + scheme + user.len + 1, fp->aor_host, fp->aor_host_len);
	return n;
}

static unsigned int refresh(struct fp *fp, struct sipreg_span user,
			    bool sips)
{
	const struct sipreg_msg_contact *c = &fp->m->contacts[0];
	u32 exp = asked_expiry(fp);
	struct sipreg_refresh req;
	char aor[SIPREG_AOR_MAX];
	int ret;

	ret = not_a_refresh(fp, exp);
	if (ret)
		return miss(fp, ret);
	req = (struct sipreg_refresh){
		.aor = aor,
		.alen = make_aor(fp, user, sips, aor),
		.uri = (const char *)fp->b + c->uri.off,
		.ulen = c->uri.len,
		.call_id = (const char *)fp->b + fp->m->call_id.off,
		.clen = fp->m->call_id.len,
		.cseq = fp->m->cseq,
		.nc = fp->m->auth.flags & SIPREG_AUTH_NC ? fp->m->auth.nc : 0,
		.nonce_time = sipreg_nonce_issued(fp->b + fp->m->auth.nonce.off,
						  fp->m->auth.nonce.len),
		.branch = span_hash(fp, fp->m->via.branch, 0),
		.expires = exp,
	};
	if (!req.alen)
		return miss(fp, SIPREG_MISS_NO_BINDING);
	ret = sipreg_binding_refresh(fp->sn, &req, ok, fp);
	if (ret == SIPREG_MISS_REPLY_FAILED)
		sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_TX_FAILED);
	if (ret > 0) {
		kfree_skb(fp->out);
		fp->out = NULL;
		return miss(fp, ret);
	}
	if (ret == -EDQUOT) {
		sipreg_stats_inc(fp->sn->stats, SIPREG_STAT_REPLAY_LIMITED);
		return consumed(fp);
	}
	return xmit(fp, ret == -EALREADY ? SIPREG_STAT_RETRANSMISSIONS :
					   SIPREG_STAT_REFRESHES);
}

static enum sipreg_digest_verdict verify(const struct fp *fp,
					 enum sipreg_alg alg, const u8 *ha1)
{
	const struct sipreg_auth *a = &fp->m->auth;
	struct sipreg_digest_req d = {
		.alg = alg,
		.method = dstr(fp, fp->m->method),
		.uri = dstr(fp, a->uri),	/* hashed as sent */
		.nonce = dstr(fp, a->nonce),
		.nc = dstr(fp, a->nc_text),
		.cnonce = dstr(fp, a->cnonce),
		.qop = dstr(fp, a->qop),
		.response = dstr(fp, a->response),
	};

	return sipreg_digest_verify_cached(&d, ha1, sipreg_hash_len(alg),
					   &fp->sc->ha2);
}

static unsigned int authenticated(struct fp *fp)
{
	const struct sipreg_auth *a = &fp->m->auth;
	const struct sipreg_config *cfg = fp->cfg;
	enum sipreg_nonce_verdict nv;
	const struct sipreg_user *u;
	struct sipreg_span to_user;
	u8 name[SIPREG_USER_MAX];
	enum sipreg_alg alg;
	const u8 *ha1;
	bool sess, sips;
	int n;

	if (!(a->flags & SIPREG_AUTH_DIGEST))
		return miss(fp, SIPREG_MISS_NO_AUTH);
	/* Without qop nothing counts the uses of a nonce: replayable. */
	if (!a->qop.len && !cfg->legacy_digest)
		return miss(fp, SIPREG_MISS_LEGACY_DIGEST);
	/* RFC 2617 3.2.2.5: the uri answered for must be the Request-URI. */
	if (!sipreg_span_eq_unquoted(fp->b, a->uri, fp->b + fp->m->ruri.off,
				     fp->m->ruri.len))
		return miss(fp, SIPREG_MISS_URI_MISMATCH);
	if (!sipreg_span_eq_unquoted(fp->b, a->realm, (const u8 *)fp->realm,
				     fp->realm_len))
		return miss(fp, SIPREG_MISS_UNKNOWN_REALM);
	if (!sipreg_digest_alg_parse(fp->b + a->algorithm.off,
				     a->algorithm.len, &alg, &sess) || sess ||
	    !(cfg->algs & alg_flag(alg)))
		return miss(fp, SIPREG_MISS_UNSUPPORTED_ALG);
	n = sipreg_span_unquote(fp->b, a->username, name, sizeof(name));
	if (n <= 0)
		return miss(fp, SIPREG_MISS_UNKNOWN_USER);
	/* A user refreshes its own AOR only. */
	if (!sipreg_uri_user(fp->b, fp->m->to.uri, &to_user, &sips) ||
	    to_user.len != n || memcmp(fp->b + to_user.off, name, n))
		return miss(fp, SIPREG_MISS_FOREIGN_AOR);
	u = sipreg_user_lookup(fp->sn, (const char *)name, n, fp->realm,
			       fp->realm_len);
	if (!u)
		return miss(fp, SIPREG_MISS_UNKNOWN_USER);
	ha1 = user_ha1(u, alg);
	if (!ha1)
		return miss(fp, SIPREG_MISS_UNSUPPORTED_ALG);
	nv = sipreg_nonce_check(sipreg_secret_keys(&fp->sn->secrets), fp->now,
				cfg->nonce_lifetime, &fp->client,
				(const u8 *)fp->realm, fp->realm_len,
				fp->b + a->nonce.off,
				a->nonce.len);
	if (nv == SIPREG_NONCE_BAD)
		return miss(fp, SIPREG_MISS_BAD_NONCE);
	if (verify(fp, alg, ha1) != SIPREG_DIGEST_OK)
		return miss(fp, SIPREG_MISS_BAD_DIGEST);
	/* stale=true only for a genuine nonce and a right answer. */
	if (nv == SIPREG_NONCE_STALE)
		return challenge(fp, true);
	return refresh(fp, to_user, sips);
}

/* ---- entry -------------------------------------------------------------- */

/*
 * Whom the request is for. No domains: the configured realm, whatever
 * the Request-URI names. Domains: the one the Request-URI's host names,
 * its realm and challenge, AORs "sip:USER@DOMAIN"; false if none.
 */
static bool pick_domain(struct fp *fp)
{
	const struct sipreg_domain *d;
	struct sipreg_span host;

	if (!sipreg_domain_any(fp->sn)) {
		fp->realm = fp->cfg->realm;
		fp->realm_len = fp->cfg->realm_len;
		fp->aor_host = fp->cfg->realm;
		fp->aor_host_len = fp->cfg->realm_len;
		fp->challenge = fp->cfg->challenge;
		return true;
	}
	if (!sipreg_uri_host(fp->b, fp->m->ruri, &host))
		return false;
	d = sipreg_domain_lookup(fp->sn, fp->b + host.off, host.len);
	if (!d)
		return false;
	fp->realm = d->realm;
	fp->realm_len = d->realm_len;
	fp->aor_host = d->name;
	fp->aor_host_len = d->name_len;
	fp->challenge = d->challenge;
	return true;
}

/*
 * Reassembled: IPv4 reassembles before LOCAL_IN and records the largest
 * fragment (IPSKB_FRAG_COMPLETE marks fragments this host sends, never
 * ones it receives); IPv6 only with nf_defrag_ipv6, and otherwise shows
 * LOCAL_IN the fragments, which hook.c leaves alone. Either way the stack
 * gets the datagram, in both families alike.
 */
static bool fragmented(const struct sk_buff *skb, u8 pf)
{
	if (pf == NFPROTO_IPV4)
		return IPCB(skb)->frag_max_size;
	return (IP6CB(skb)->flags & IP6SKB_FRAGMENTED) ||
	       IP6CB(skb)->frag_max_size;
}

/* nf_reject's rule: never answer what was sent to a group or a broadcast. */
static bool unicast(const struct sk_buff *skb, u8 pf)
{
	if (pf == NFPROTO_IPV4)
		return !(skb_rtable(skb)->rt_flags &
			 (RTCF_BROADCAST | RTCF_MULTICAST)) &&
		       !ipv4_is_multicast(ip_hdr(skb)->daddr) &&
		       !ipv4_is_lbcast(ip_hdr(skb)->daddr);
	return !ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr);
}

/*
 * As conntrack does: trust CHECKSUM_UNNECESSARY (nf_checksum() does),
 * take an IPv4 datagram without a checksum, verify the rest.
 */
static bool csum_ok(struct sk_buff *skb, u8 pf, int uoff,
		    const struct udphdr *uh)
{
	if (pf == NFPROTO_IPV4 && !uh->check)
		return true;
	return !nf_checksum(skb, NF_INET_LOCAL_IN, uoff, IPPROTO_UDP,
			    pf == NFPROTO_IPV4 ? AF_INET : AF_INET6);
}

static void set_source(struct fp *fp, const struct udphdr *uh)
{
	int n;

	if (fp->pf == NFPROTO_IPV4) {
		sipreg_addr_set_v4(&fp->client, &ip_hdr(fp->skb)->saddr);
		n = snprintf(fp->src_text, sizeof(fp->src_text), "%pI4",
			     &ip_hdr(fp->skb)->saddr);
	} else {
		sipreg_addr_set_v6(&fp->client, &ipv6_hdr(fp->skb)->saddr);
		n = snprintf(fp->src_text, sizeof(fp->src_text), "%pI6c",
			     &ipv6_hdr(fp->skb)->saddr);
	}
	fp->src.addr = fp->src_text;
	fp->src.addr_len = n;
	fp->src.port = ntohs(uh->source);
}

static unsigned int run(struct fp *fp)
{
	struct sipreg_net *sn = fp->sn;
	struct sk_buff *skb = fp->skb;
	struct sipreg_stun_req stun_req;
	int uoff = fp->uoff;
	u8 pf = fp->pf;
	enum sipreg_stun_kind kind;
	enum sipreg_verdict v;
	const struct udphdr *uh;
	struct udphdr _uh;
	unsigned int ulen;

	/*
	 * The scratch is per CPU: only with bottom halves off. A GSO or GRO
	 * super-packet holds several datagrams: the stack splits it.
	 */
	if (!in_softirq() || skb_is_gso(skb) || !unicast(skb, pf) ||
	    fragmented(skb, pf))
		return pass(fp);
	uh = skb_header_pointer(skb, uoff, sizeof(_uh), &_uh);
	if (!uh)
		return pass(fp);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || uoff + ulen != skb->len)
		return pass(fp);
	if (!csum_ok(skb, pf, uoff, uh)) {
		sipreg_stats_inc(sn->stats, SIPREG_STAT_CSUM_ERRORS);
		return pass(fp);
	}
	fp->len = ulen - sizeof(*uh);
	if (fp->len > SIPREG_MAX_LEN) {
		sipreg_stats_verdict(sn->stats, SIPREG_TOO_LARGE);
		return pass(fp);
	}
	fp->sc = this_cpu_ptr(scratch);
	/* In place when the skb is linear; copied to the scratch otherwise. */
	fp->b = skb_header_pointer(skb, uoff + sizeof(*uh), fp->len, fp->sc->req);
	if (!fp->b)
		return pass(fp);
	/* Keepalives are never SIP: told apart before the parser runs. */
	if (sipreg_stun_is_crlf(fp->b, fp->len))
		return crlf(fp);
	kind = sipreg_stun_classify(fp->b, fp->len, &stun_req);
	if (kind == SIPREG_STUN_BINDING)
		return stun(fp, uh, &stun_req);
	if (kind == SIPREG_STUN_IGNORED)
		return pass(fp);

	fp->m = &fp->sc->msg;
	v = sipreg_parse(fp->b, fp->len, fp->m);
	sipreg_stats_verdict(sn->stats, v);
	if (v != SIPREG_OK)
		return pass(fp);

	fp->now = (u32)ktime_get_real_seconds();
	set_source(fp, uh);
	if (!fp->cfg->fastpath)
		return miss(fp, SIPREG_MISS_FASTPATH_OFF);
	if (!pick_domain(fp))
		return miss(fp, SIPREG_MISS_UNKNOWN_DOMAIN);
	if (!(fp->m->auth.flags & SIPREG_AUTH_PRESENT))
		return challenge(fp, false);
	return authenticated(fp);
}

unsigned int sipreg_fastpath(struct sipreg_net *sn,
			     const struct sipreg_config *cfg,
			     struct sk_buff *skb, u8 pf, int uoff,
			     enum sipreg_tclass *tclass)
{
	struct fp fp = { .sn = sn, .cfg = cfg, .skb = skb, .pf = pf,
			 .uoff = uoff, .tclass = SIPREG_TCLASS_OTHER };
	unsigned int verdict = run(&fp);

	*tclass = fp.tclass;
	return verdict;
}
