// SPDX-License-Identifier: GPL-2.0
/*
 * Registrar dispatch: parse, answer retransmissions from the cache, route
 * REGISTER through Require, authentication and the bindings, answer
 * OPTIONS and refuse other methods, and turn bad input into a 400 that
 * names the problem (or a counted drop when there is no way to answer).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "registrar_priv.h"
#include "log.h"

#define ALLOW	"Allow: REGISTER, OPTIONS\r\n"

/* ---- replies ------------------------------------------------------------ */

void req_start(struct req *q, unsigned int code, const char *reason)
{
	sipreg_reply_start(&q->rep, q->b, &q->m, code, reason, strlen(reason),
			   &q->src, (const u8 *)q->tag, REGISTRAR_TAG_LEN);
	q->r->stats.status[code / 100 < 7 ? code / 100 : 0]++;
}

void req_hdr(struct req *q, const char *fmt, ...)
{
	char line[STORE_PATH_MAX + 256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		q->rep.overflow = true;
		return;
	}
	sipreg_reply_put(&q->rep, line, n);
}

size_t req_end(struct req *q)
{
	int n = sipreg_reply_end(&q->rep);

	if (n < 0) {
		log_msg(LOG_ERR, "response to %s:%u does not fit in %zu bytes",
			q->src_text, q->src.port, q->rep.size);
		return 0;
	}
	return (size_t)n;
}

size_t req_simple(struct req *q, unsigned int code, const char *reason)
{
	req_start(q, code, reason);
	return req_end(q);
}

u64 registrar_rand(struct registrar *r)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return r->rng;
}

/*
 * Another connection holds the store's write lock (a "sipregd user
 * import" holds it for the whole file): the daemon waits only a few ms
 * (db_busy_timeout), then turns the request away for a few seconds, at
 * random so that the phones turned away together come back apart.
 */
size_t req_busy(struct req *q)
{
	q->r->stats.store_busy++;
	log_msg(LOG_INFO, "%s:%u: store busy: 503", q->src_text, q->src.port);
	req_start(q, 503, "Service Unavailable (store busy)");
	req_hdr(q, "Retry-After: %u\r\n",
		(unsigned int)(5 + registrar_rand(q->r) % 6));
	return req_end(q);
}

bool span_str(const struct req *q, struct sipreg_span sp, char *out,
	      size_t size)
{
	if (sp.len >= size)
		return false;
	memcpy(out, q->b + sp.off, sp.len);
	out[sp.len] = 0;
	return true;
}

/* ---- request context ------------------------------------------------------ */

static bool set_source(struct req *q, const struct sockaddr *sa)
{
	static const u8 mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct sockaddr_in6 *s6 = (const void *)sa;
	const struct sockaddr_in *s4 = (const void *)sa;

	if (sa->sa_family == AF_INET) {
		memcpy(q->addr16, mapped, 12);
		memcpy(q->addr16 + 12, &s4->sin_addr, 4);
		q->src.port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		memcpy(q->addr16, &s6->sin6_addr, 16);
		q->src.port = ntohs(s6->sin6_port);
	} else {
		return false;
	}
	/* A v4-mapped source is written as IPv4: that is what Via holds. */
	if (!memcmp(q->addr16, mapped, 12))
		inet_ntop(AF_INET, q->addr16 + 12, q->src_text,
			  sizeof(q->src_text));
	else
		inet_ntop(AF_INET6, q->addr16, q->src_text,
			  sizeof(q->src_text));
	q->src.addr = q->src_text;
	q->src.addr_len = strlen(q->src_text);
	return true;
}

static void put_span(u8 *key, size_t *n, size_t size, const u8 *b,
		     struct sipreg_span sp)
{
	if (*n + sp.len + 1 > size)
		return;
	memcpy(key + *n, b + sp.off, sp.len);
	*n += sp.len;
	key[(*n)++] = 0;
}

/*
 * What identifies a retransmission: RFC 3261 17.2.3 (branch, sent-by,
 * method) plus source, Call-ID, CSeq and From tag, and the nonce of the
 * credentials (empty without), so that a UA which wrongly reuses the
 * branch for its authenticated retry is still heard. Not the nonce count:
 * sipp, for one, re-sends a request it considers a retransmission with
 * the same branch and nc + 1, and that must get the first answer, not a
 * 500 for a CSeq that is no longer above the binding's.
 */
static size_t trans_key(const struct req *q, u8 *key, size_t size)
{
	const struct sipreg_msg *m = &q->m;
	size_t n = 0;
	int w;

	w = snprintf((char *)key, size, "%s %u %u", q->src_text, q->src.port,
		     m->cseq);
	n = (size_t)w + 1;
	put_span(key, &n, size, q->b, m->call_id);
	put_span(key, &n, size, q->b, m->cseq_method);
	put_span(key, &n, size, q->b, m->via.branch);
	put_span(key, &n, size, q->b, m->via.host);
	put_span(key, &n, size, q->b, m->from.tag);
	put_span(key, &n, size, q->b, m->auth.nonce);
	return n;
}

/*
 * The same request retransmitted gets the same tag even once its cached
 * response is gone; a keyed hash so that tags do not leak anything.
 */
static void make_tag(struct req *q)
{
	static const char hex[] = "0123456789abcdef";
	u8 key[1024];
	size_t n = trans_key(q, key, sizeof(key)), i;
	u64 h = sipreg_mac64(nonces_tag_key(q->r->nonces), key, n);

	for (i = 0; i < REGISTRAR_TAG_LEN; i++, h >>= 4)
		q->tag[i] = hex[h & 15];
	q->tag[REGISTRAR_TAG_LEN] = 0;
}

/* ---- methods other than REGISTER ------------------------------------------- */

static bool line_is_cseq(const u8 *p, size_t n)
{
	static const char name[] = "cseq";
	size_t i;

	if (n < 5)
		return false;
	for (i = 0; i < 4; i++)
		if ((p[i] | 0x20) != name[i])
			return false;
	for (; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	return i < n && p[i] == ':';
}

/* Finds the method token of the CSeq field: [*s, *e). */
static bool find_cseq_method(const u8 *b, size_t len, size_t *s, size_t *e)
{
	size_t p = 0, lim;

	while (p + 1 < len) {
		const u8 *nl = memchr(b + p, '\n', len - p);

		if (!nl)
			return false;
		p = nl - b + 1;
		if (p + 1 < len && b[p] == '\r' && b[p + 1] == '\n')
			return false;		/* end of the headers */
		lim = len - p;
		if (!line_is_cseq(b + p, lim))
			continue;
		for (p += 4; b[p] != ':'; p++)
			;
		for (p++; p < len && (b[p] == ' ' || b[p] == '\t'); p++)
			;
		for (; p < len && b[p] >= '0' && b[p] <= '9'; p++)
			;
		for (; p < len && (b[p] == ' ' || b[p] == '\t'); p++)
			;
		*s = p;
		for (; p < len && b[p] > ' ' && b[p] < 0x7f; p++)
			;
		*e = p;
		return *e > *s;
	}
	return false;
}

/*
 * The shared parser reads REGISTER only. To answer OPTIONS or refuse
 * INVITE with the right transaction headers, parse a copy whose request
 * line and CSeq say REGISTER, then point the CSeq method back at the
 * original token, kept after the end of the copy. A stopgap: it goes when
 * the parser gets an entry point for any request (issue 13).
 */
static enum sipreg_verdict parse_other(struct req *q, const u8 *b, size_t len)
{
	const u8 *sp = memchr(b, ' ', len < 64 ? len : 64);
	size_t ml, s, e, n, tl;
	u8 tok[32];
	enum sipreg_verdict v;
	u8 *w = q->rewritten;

	if (!sp || len > SIPREG_MAX_LEN)
		return SIPREG_TOO_LARGE;
	ml = sp - b;
	memcpy(w, "REGISTER", 8);
	memcpy(w + 8, b + ml, len - ml);
	n = len - ml + 8;
	if (!find_cseq_method(w, n, &s, &e))
		return SIPREG_MISSING_CSEQ;
	tl = e - s;
	if (tl > sizeof(tok) || n - tl + 8 + tl > sizeof(q->rewritten))
		return SIPREG_TOO_LARGE;
	memcpy(tok, w + s, tl);
	memmove(w + s + 8, w + e, n - e);
	memcpy(w + s, "REGISTER", 8);
	n = n - tl + 8;
	/* the original token goes past the end of the parsed datagram */
	memcpy(w + n, tok, tl);
	q->b = w;
	q->len = n;
	v = sipreg_parse(w, n, &q->m);
	q->m.cseq_method = (struct sipreg_span){ (u16)n, (u16)tl };
	return v;
}

static size_t other_method(struct req *q, bool options)
{
	if (options) {
		req_start(q, 200, "OK");
		req_hdr(q, ALLOW "Accept: application/sdp\r\n");
		return req_end(q);
	}
	req_start(q, 405, "Method Not Allowed");
	req_hdr(q, ALLOW);
	return req_end(q);
}

/* ---- REGISTER --------------------------------------------------------------- */

static bool answerable(const struct sipreg_msg *m)
{
	return m->n_vias && m->from.value.len && m->to.value.len &&
	       m->call_id.len && m->cseq_method.len;
}

static size_t bad_request(struct req *q, enum sipreg_verdict v)
{
	char reason[96];

	q->r->stats.bad_requests++;
	snprintf(reason, sizeof(reason), "Bad Request (%s)",
		 sipreg_verdict_name(v));
	return req_simple(q, 400, reason);
}

static bool option_supported(const u8 *p, size_t n)
{
	return (n == 4 && !strncasecmp((const char *)p, "path", 4)) ||
	       (n == 8 && !strncasecmp((const char *)p, "outbound", 8));
}

/* RFC 3261 8.2.2.3: every option in Require we do not know, comma list. */
static size_t unsupported(const struct req *q, char *out, size_t size)
{
	const struct sipreg_list *l = &q->m.require;
	size_t n = 0, i, s, e;

	out[0] = 0;
	for (i = 0; i < l->n; i++) {
		const u8 *v = q->b + l->v[i].off;
		size_t len = l->v[i].len;

		for (s = 0; s < len; s = e + 1) {
			for (; s < len && (v[s] == ' ' || v[s] == '\t' ||
					   v[s] == '\r' || v[s] == '\n'); s++)
				;
			for (e = s; e < len && v[e] != ',' && v[e] != ' ' &&
			     v[e] != '\t' && v[e] != '\r'; e++)
				;
			if (e > s && !option_supported(v + s, e - s) &&
			    n + (e - s) + 3 < size)
				n += snprintf(out + n, size - n, "%s%.*s",
					      n ? ", " : "", (int)(e - s),
					      v + s);
			for (; e < len && v[e] != ','; e++)
				;
		}
	}
	return n;
}

static size_t do_register(struct req *q)
{
	char unsup[256];

	q->r->stats.registers++;
	if (unsupported(q, unsup, sizeof(unsup))) {
		req_start(q, 420, "Bad Extension");
		req_hdr(q, "Unsupported: %s\r\n", unsup);
		return req_end(q);
	}
	switch (regauth_check(q)) {
	case AUTH_OK:
		break;
	case AUTH_CHALLENGE:
		return regauth_challenge(q, false);
	case AUTH_STALE:
		return regauth_challenge(q, true);
	case AUTH_MALFORMED:
		q->r->stats.bad_requests++;
		return req_simple(q, 400, "Bad Request (bad_auth)");
	case AUTH_ERROR:
		return req_simple(q, 500, "Server Internal Error (store)");
	case AUTH_BUSY:
		return req_busy(q);
	}
	return regbind_process(q);
}

/* A response needs the transaction headers; without them, drop. */
static size_t drop(struct req *q, enum sipreg_verdict v)
{
	q->r->stats.dropped++;
	log_msg(LOG_DEBUG, "%s:%u: dropped: %s", q->src_text, q->src.port,
		sipreg_verdict_name(v));
	return 0;
}

static size_t dispatch(struct req *q, const u8 *b, size_t len, u8 *out,
		       size_t size)
{
	bool other = false, options = false;
	const u8 *cached;
	enum sipreg_verdict v;
	u8 key[1024];
	size_t n, klen;

	q->b = b;
	q->len = len;
	v = sipreg_parse(b, len, &q->m);
	if (v == SIPREG_RESPONSE) {
		q->r->stats.responses_ignored++;
		return 0;
	}
	q->r->stats.requests++;
	if (v == SIPREG_NOT_REGISTER) {
		if (len > 4 && !memcmp(b, "ACK ", 4))
			return 0;		/* never answered */
		other = true;
		options = len > 8 && !memcmp(b, "OPTIONS ", 8);
		v = parse_other(q, b, len);
	}
	if (!answerable(&q->m))
		return drop(q, v);
	make_tag(q);
	/*
	 * Before any processing: a retransmission must get the first
	 * answer's bytes, not be judged again (old CSeq, replayed nc).
	 */
	klen = trans_key(q, key, sizeof(key));
	cached = retrans_get(q->r->retrans, key, klen, q->now->wall, &n);
	if (cached && n <= size) {
		q->r->stats.retransmissions++;
		memcpy(out, cached, n);
		return n;
	}
	if (v != SIPREG_OK)
		n = bad_request(q, v);
	else if (other)
		n = other_method(q, options);
	else
		n = do_register(q);
	if (n)
		retrans_put(q->r->retrans, key, klen, out, n, q->now->wall);
	return n;
}

size_t registrar_handle(struct registrar *r, const struct registrar_pkt *pkt,
			const struct registrar_time *now, uint8_t *out,
			size_t size)
{
	struct req *q = calloc(1, sizeof(*q));
	size_t n = 0;

	if (q && set_source(q, pkt->src)) {
		q->r = r;
		q->now = now;
		sipreg_reply_init(&q->rep, out, size);
		n = dispatch(q, pkt->data, pkt->len, out, size);
	}
	free(q);
	return n;
}

/* ---- life cycle ------------------------------------------------------------- */

/* Expired bindings removed per tick: bounded so a tick stays short. */
#define PURGE_BATCH	500
/* Enough for every nonce in flight at a few thousand registrations/s. */
#define NC_SLOTS	(1 << 16)

struct registrar *registrar_new(const struct registrar_cfg *cfg,
				struct store *st,
				const struct registrar_hooks *hooks,
				const struct registrar_time *now,
				unsigned int retrans_entries)
{
	struct registrar *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->cfg = *cfg;
	if (hooks)
		r->hooks = *hooks;
	r->st = st;
	r->nonces = nonces_open(st, now->boot, cfg->nonce_lifetime);
	r->nc = nctable_new(NC_SLOTS);
	r->retrans = retrans_new(retrans_entries, cfg->retrans_bytes);
	r->rl = ratelimit_new();
	if (getrandom(&r->rng, sizeof(r->rng), 0) != sizeof(r->rng))
		r->rng = (uint64_t)now->wall;
	r->rng |= 1;
	if (!r->nonces || !r->nc || !r->retrans || !r->rl) {
		registrar_free(r);
		return NULL;
	}
	return r;
}

void registrar_free(struct registrar *r)
{
	if (!r)
		return;
	nonces_free(r->nonces);
	nctable_free(r->nc);
	retrans_free(r->retrans);
	ratelimit_free(r->rl);
	free(r);
}

void registrar_set_cfg(struct registrar *r, const struct registrar_cfg *cfg)
{
	r->cfg = *cfg;
}

void registrar_tick(struct registrar *r, const struct registrar_time *now)
{
	int n;

	if (nonces_tick(r->nonces, r->st, now->boot, r->cfg.nonce_lifetime) &&
	    r->hooks.keys_changed)
		r->hooks.keys_changed(r->hooks.arg);
	n = store_binding_purge(r->st, now->wall, PURGE_BATCH);
	if (n < 0 && store_busy(r->st)) {
		log_msg(LOG_DEBUG, "store busy: purge of expired bindings "
			"deferred");
	} else if (n < 0) {
		r->stats.store_errors++;
		log_msg(LOG_ERR, "store: purge of expired bindings: %s",
			store_error(r->st));
	} else if (n) {
		log_msg(LOG_DEBUG, "purged %d expired bindings", n);
	}
	/* data_version moves only for other connections: the CLI */
	if (store_changed(r->st) && r->hooks.users_changed)
		r->hooks.users_changed(r->hooks.arg);
}

const struct registrar_stats *registrar_stats(const struct registrar *r)
{
	return &r->stats;
}

void registrar_nonce_keys(const struct registrar *r, uint64_t cur[2],
			  uint64_t prev[2], uint32_t *gen)
{
	struct sipreg_mackey c, p;
	u32 since;

	nonces_export(r->nonces, &c, &p, gen, &since);
	memcpy(cur, c.key, sizeof(c.key));
	memcpy(prev, p.key, sizeof(p.key));
}

void registrar_now(struct registrar_time *now)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	now->wall = ts.tv_sec;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	now->boot = (uint32_t)ts.tv_sec;
}
