// SPDX-License-Identifier: GPL-2.0
/*
 * Registrar dispatch: read any request with the general message layer
 * (userspace/lib/sipmsg.c), answer retransmissions from the cache, give
 * every request what RFC 3261 8.2 prescribes (400 naming the defect, 505,
 * 513, 405 or 501 with Allow, 416, 420 with Unsupported), answer OPTIONS,
 * and route REGISTER, read again by the shared parser, through
 * authentication and the bindings. Responses and ACKs are never answered;
 * a request without the fields a response needs is a counted drop.
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
	/*
	 * A REGISTER the shared parser read is answered with the bytes the
	 * module would write; anything else from the general layer's fields.
	 */
	if (q->parsed)
		sipreg_reply_start(&q->rep, q->b, &q->m, code, reason,
				   strlen(reason), &q->src, (const u8 *)q->tag,
				   REGISTRAR_TAG_LEN);
	else
		sipmsg_reply_start(&q->rep, q->b, &q->g, code, reason, &q->src,
				   q->tag, REGISTRAR_TAG_LEN);
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
		     uint32_t off, uint32_t len)
{
	if (*n + len + 1 > size)
		return;
	memcpy(key + *n, b + off, len);
	*n += len;
	key[(*n)++] = 0;
}

#define PUT(key, n, size, b, sp) put_span(key, n, size, b, (sp).off, (sp).len)

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
	const struct sipmsg *g = &q->g;
	size_t n = 0;
	int w;

	w = snprintf((char *)key, size, "%s %u", q->src_text, q->src.port);
	n = (size_t)w + 1;
	PUT(key, &n, size, q->b, g->cseq_value);
	PUT(key, &n, size, q->b, g->call_id);
	PUT(key, &n, size, q->b, g->method);
	PUT(key, &n, size, q->b, g->via.branch);
	PUT(key, &n, size, q->b, g->via.host);
	PUT(key, &n, size, q->b, g->from.tag);
	if (q->parsed)
		PUT(key, &n, size, q->b, q->m.auth.nonce);
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

/* ---- RFC 3261 8.2: what any request gets before its method is served ----- */

static bool option_supported(const u8 *p, size_t n)
{
	return (n == 4 && !strncasecmp((const char *)p, "path", 4)) ||
	       (n == 8 && !strncasecmp((const char *)p, "outbound", 8)) ||
	       (n == 4 && !strncasecmp((const char *)p, "gruu", 4));
}

/* A request we cannot serve as it is: 400, 505, 513 or 416. */
static size_t refuse(struct req *q, unsigned int code, const char *defect)
{
	const char *what = code == 505 ? "Version Not Supported" :
			   code == 513 ? "Message Too Large" :
			   code == 416 ? "Unsupported URI Scheme" :
			   "Bad Request";
	char reason[128];

	if (code == 400)
		q->r->stats.bad_requests++;
	log_msg(LOG_DEBUG, "%s:%u: %u %s (%s)", q->src_text, q->src.port,
		code, what, defect);
	if (!*defect || code == 416 || code == 505)
		return req_simple(q, code, what);
	snprintf(reason, sizeof(reason), "%s (%s)", what, defect);
	return req_simple(q, code, reason);
}

/*
 * What the shared parser refuses in a REGISTER the general layer took:
 * its bounds (kept for the module) are ours too, and going past them is
 * no defect of the request's (RFC 3261 21.5.11).
 */
static unsigned int verdict_status(enum sipreg_verdict v)
{
	switch (v) {
	case SIPREG_TOO_LARGE:
	case SIPREG_LINE_TOO_LONG:
	case SIPREG_TOO_MANY_HEADERS:
	case SIPREG_TOO_MANY_VIAS:
	case SIPREG_TOO_MANY_CONTACTS:
	case SIPREG_TOO_MANY_PARAMS:
		return 513;
	case SIPREG_BAD_VERSION:
		return 505;
	case SIPREG_BAD_URI_SCHEME:
		return 416;
	default:
		return 400;
	}
}

static size_t not_served(struct req *q, unsigned int code, const char *reason)
{
	req_start(q, code, reason);
	req_hdr(q, ALLOW);
	return req_end(q);
}

/* RFC 3261 8.2.2.3: every option tag of Require we do not support. */
static size_t bad_extension(struct req *q)
{
	char unsup[256];

	if (!sipmsg_unsupported(q->b, &q->g, option_supported, unsup,
				sizeof(unsup)))
		return 0;
	req_start(q, 420, "Bad Extension");
	req_hdr(q, "Unsupported: %s\r\n", unsup);
	return req_end(q);
}

/* RFC 3261 11.2 */
static size_t options(struct req *q)
{
	req_start(q, 200, "OK");
	req_hdr(q, ALLOW "Accept: application/sdp\r\n"
		   "Supported: path, outbound, gruu\r\n");
	return req_end(q);
}

/*
 * RFC 3261 26.2: a sips: resource is reached over TLS only. A sips:
 * Request-URI on UDP or TCP names a scheme we do not serve on this
 * transport (416); a REGISTER for a sips: AOR (To) over them is refused
 * (403), so that no sips: binding is ever made without TLS.
 */
static size_t sips_without_tls(struct req *q)
{
	const struct sipmsg *g = &q->g;
	struct sipreg_span sp;
	bool sips = false;

	if (q->transport == REGISTRAR_TLS)
		return 0;
	if (g->scheme.len == 4 &&
	    !strncasecmp((const char *)q->b + g->scheme.off, "sips", 4))
		return refuse(q, 416, "");
	if (g->method_id == SIPMSG_REGISTER && q->parsed &&
	    sipreg_uri_user(q->b, q->m.to.uri, &sp, &sips) && sips)
		return req_simple(q, 403, "Forbidden (sips AOR needs TLS)");
	return 0;
}

/* ---- REGISTER --------------------------------------------------------------- */

/*
 * RFC 3261 10.3 step 1: the Request-URI names the domain. A registrar
 * that is not a proxy and does not serve that domain answers 404 (the
 * RFC's step 5 answer for an AOR not valid for the domain, and what a
 * Request-URI no user of ours can be found under is): 403 would say the
 * domain exists here and refuses, 404 says it is not here.
 */
static bool pick_domain(struct req *q)
{
	const struct registrar_cfg *c = &q->r->cfg;
	uint32_t off, len;

	if (!c->n_domains) {
		q->realm = q->aor_host = c->realm;
		return true;
	}
	if (domain_uri_host(q->b, q->m.ruri.off, q->m.ruri.len, &off, &len))
		q->dom = domain_find(c, q->b + off, len);
	if (!q->dom) {
		q->r->stats.unknown_domains++;
		log_msg(LOG_INFO, "%s:%u: Request-URI %.*s: domain not served "
			"here: 404", q->src_text, q->src.port,
			(int)(q->m.ruri.len < 200 ? q->m.ruri.len : 200),
			q->b + q->m.ruri.off);
		return false;
	}
	q->realm = q->dom->realm;
	q->aor_host = q->dom->name;
	return true;
}

static size_t do_register(struct req *q)
{
	q->r->stats.registers++;
	if (!pick_domain(q))
		return req_simple(q, 404, "Not Found (domain not served here)");
	switch (regauth_check(q)) {
	case AUTH_OK:
		break;
	case AUTH_NC_USED:
		q->nc_used = true;
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

/*
 * RFC 3261 8.2 in its order: a malformed request (400, 505, 513), the
 * method (405, 501), the Request-URI scheme (416), Require (420); then
 * the method is served.
 */
static size_t answer(struct req *q, unsigned int status,
		     enum sipreg_verdict v)
{
	const struct sipmsg *g = &q->g;
	size_t n;

	if (status)
		return refuse(q, status, g->defect);
	switch (g->method_id) {
	case SIPMSG_UNKNOWN:
		return not_served(q, 501, "Not Implemented");
	case SIPMSG_OTHER_KNOWN:
		return not_served(q, 405, "Method Not Allowed");
	case SIPMSG_CANCEL:
		/* a REGISTER or OPTIONS is answered at once: nothing to cancel */
		return req_simple(q, 481, "Call/Transaction Does Not Exist");
	default:
		break;
	}
	if (g->method_id == SIPMSG_REGISTER && v != SIPREG_OK)
		return refuse(q, verdict_status(v), sipreg_verdict_name(v));
	if (!g->sip_uri)
		return refuse(q, 416, "");
	n = sips_without_tls(q);
	if (n)
		return n;
	n = bad_extension(q);
	if (n)
		return n;
	if (g->method_id == SIPMSG_OPTIONS)
		return options(q);
	return do_register(q);
}

/* A response needs the transaction fields; without them, drop. */
static size_t drop(struct req *q)
{
	q->r->stats.dropped++;
	log_msg(LOG_DEBUG, "%s:%u: dropped: %s", q->src_text, q->src.port,
		q->g.defect);
	return 0;
}

size_t req_trans_key(const struct req *q, u8 *key, size_t size)
{
	return trans_key(q, key, size);
}

static size_t dispatch(struct req *q, const u8 *b, size_t len, u8 *out,
		       size_t size)
{
	enum sipreg_verdict v = SIPREG_OK;
	const u8 *cached;
	unsigned int status;
	u8 key[1024];
	size_t n, klen;

	q->b = b;
	q->len = len;
	status = sipmsg_parse(b, len, &q->g);
	if (q->g.response) {
		q->r->stats.responses_ignored++;
		return 0;
	}
	q->r->stats.requests++;
	if (q->g.method_id == SIPMSG_ACK)
		return 0;		/* never answered (RFC 3261 17.2.1) */
	if (!sipmsg_answerable(&q->g))
		return drop(q);
	if (!status && q->g.method_id == SIPMSG_REGISTER) {
		v = sipreg_parse_opts(b, len, SIPREG_SPAN_MAX,
				      SIPREG_PARSE_LENIENT_EXPIRES, &q->m);
		q->parsed = v == SIPREG_OK;
	}
	make_tag(q);
	/*
	 * Before any processing: a retransmission must get the first
	 * answer's bytes, not be judged again (old CSeq, replayed nc).
	 */
	klen = trans_key(q, key, sizeof(key));
	cached = retrans_get(q->r->retrans, key, klen, q->now->wall, &n);
	if (cached && n <= size) {
		q->r->stats.retransmissions++;
		q->from_cache = true;
		memcpy(out, cached, n);
		return n;
	}
	n = answer(q, status, v);
	if (n)
		retrans_put(q->r->retrans, key, klen, out, n, q->now->wall);
	return n;
}

struct req *req_new(struct registrar *r, const struct registrar_pkt *pkt,
		    const struct registrar_time *now, u8 *out, size_t size)
{
	struct req *q = calloc(1, sizeof(*q));

	if (!q || !set_source(q, pkt->src)) {
		free(q);
		return NULL;
	}
	q->r = r;
	q->now = now;
	q->transport = pkt->transport;
	q->flow = pkt->transport == REGISTRAR_UDP ? 0 : pkt->flow;
	q->out = out;
	q->size = size;
	sipreg_reply_init(&q->rep, out, size);
	return q;
}

size_t req_dispatch(struct req *q, const struct registrar_pkt *pkt)
{
	return dispatch(q, pkt->data, pkt->len, q->out, q->size);
}

size_t registrar_handle(struct registrar *r, const struct registrar_pkt *pkt,
			const struct registrar_time *now, uint8_t *out,
			size_t size)
{
	struct registrar_batch_item it = {
		.pkt = *pkt, .out = out, .size = size,
	};

	registrar_handle_batch(r, &it, 1, now);
	return it.len;
}

/*
 * The header lines of @b that arrived whole, ended by a blank line: the
 * headers as sent when they are complete, else cut after the last CRLF.
 * 0 if not even the start line is whole.
 */
static size_t whole_headers(const u8 *b, size_t n, u8 *copy)
{
	const u8 *end = memmem(b, n, "\r\n\r\n", 4);
	size_t i;

	if (end) {
		memcpy(copy, b, (size_t)(end - b) + 4);
		return (size_t)(end - b) + 4;
	}
	for (i = n; i >= 2; i--)
		if (b[i - 2] == '\r' && b[i - 1] == '\n')
			break;
	if (i < 2)
		return 0;
	memcpy(copy, b, i);
	memcpy(copy + i, "\r\n", 2);
	return i + 2;
}

size_t registrar_too_large(struct registrar *r,
			   const struct registrar_pkt *pkt,
			   const struct registrar_time *now, uint8_t *out,
			   size_t size)
{
	struct req *q = calloc(1, sizeof(*q));
	u8 *copy = malloc(pkt->len + 2);
	size_t n = 0, len;

	if (!q || !copy || !set_source(q, pkt->src))
		goto out;
	len = whole_headers(pkt->data, pkt->len, copy);
	if (!len)
		goto out;
	q->r = r;
	q->now = now;
	q->transport = pkt->transport;
	q->b = copy;
	q->len = len;
	sipreg_reply_init(&q->rep, out, size);
	/* the body is missing on purpose: only the fields matter */
	sipmsg_parse(copy, len, &q->g);
	if (q->g.response || q->g.method_id == SIPMSG_ACK ||
	    !sipmsg_answerable(&q->g))
		goto out;
	r->stats.requests++;
	make_tag(q);
	n = refuse(q, 513, "stream_max_message");
out:
	free(copy);
	free(q);
	return n;
}

/* ---- life cycle ------------------------------------------------------------- */

/* Expired bindings removed per tick: bounded so a tick stays short. */
#define PURGE_BATCH	500
/*
 * Nonce counts a tick may delete: one row per challenged client and
 * cnonce, so a sustained 10 000 challenges/s must not outgrow the purge.
 */
#define NC_PURGE_BATCH	20000
/* Enough for every nonce in flight at a few thousand registrations/s. */

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
	/* the users as they are now: kernel sync pushes them at its start */
	if (store_users_gen(st, &r->users_gen))
		r->users_gen = 0;
	r->nonces = nonces_open(st, (u32)now->wall, cfg->nonce_lifetime);
	r->retrans = retrans_new(retrans_entries, cfg->retrans_bytes);
	r->rl = ratelimit_new();
	r->gruu = gruu_open(st);
	r->flows = flows_new();
	if (getrandom(&r->rng, sizeof(r->rng), 0) != sizeof(r->rng))
		r->rng = (uint64_t)now->wall;
	r->rng |= 1;
	if (!r->nonces || !r->retrans || !r->rl ||
	    !r->gruu || !r->flows) {
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
	retrans_free(r->retrans);
	ratelimit_free(r->rl);
	gruu_free(r->gruu);
	flows_free(r->flows);
	free(r);
}

void registrar_set_cfg(struct registrar *r, const struct registrar_cfg *cfg)
{
	r->cfg = *cfg;
}

void registrar_set_primary(struct registrar *r, bool primary)
{
	r->secondary = !primary;
}

void regkeys_sync(struct registrar *r, const struct registrar_time *now)
{
	if (nonces_tick(r->nonces, r->st, (u32)now->wall,
			r->cfg.nonce_lifetime) &&
	    r->hooks.keys_changed)
		r->hooks.keys_changed(r->hooks.arg);
}

/* Expired bindings and nonce counts: one worker does it for all. */
static void purge(struct registrar *r, const struct registrar_time *now)
{
	int n = store_binding_purge(r->st, now->wall, PURGE_BATCH), c = 0;

	if (n >= 0)
		c = store_nc_purge(r->st, now->wall -
				   2 * (int64_t)r->cfg.nonce_lifetime,
				   NC_PURGE_BATCH);
	if ((n < 0 || c < 0) && store_busy(r->st)) {
		log_msg(LOG_DEBUG, "store busy: purge of expired bindings "
			"and nonce counts deferred");
	} else if (n < 0 || c < 0) {
		r->stats.store_errors++;
		log_msg(LOG_ERR, "store: purge of expired bindings and nonce "
			"counts: %s", store_error(r->st));
	} else if (n || c) {
		log_msg(LOG_DEBUG, "purged %d expired bindings, %d nonce "
			"counts", n, c);
	}
}

/*
 * data_version moves for other connections' commits (the CLI, other
 * workers); the users' generation only when users changed.
 */
static void users_check(struct registrar *r)
{
	int64_t gen;

	if (!store_changed(r->st) || store_users_gen(r->st, &gen) ||
	    gen == r->users_gen)
		return;
	r->users_gen = gen;
	if (r->hooks.users_changed)
		r->hooks.users_changed(r->hooks.arg);
}

void registrar_tick(struct registrar *r, const struct registrar_time *now)
{
	regkeys_sync(r, now);
	if (r->secondary)
		return;
	purge(r, now);
	users_check(r);
}

const struct registrar_stats *registrar_stats(const struct registrar *r)
{
	return &r->stats;
}

/* One binding of a closed flow: removed if still as that flow wrote it. */
static void flow_gone(void *arg, const char *aor, const char *contact,
		      const char *call_id, uint32_t cseq)
{
	struct registrar *r = arg;
	const struct registrar_change ch = {
		.aor = aor, .call_id = call_id, .cseq = cseq,
	};
	int rc = store_binding_expire(r->st, aor, contact, call_id, cseq);

	if (rc < 0) {
		r->stats.store_errors++;
		log_msg(LOG_ERR, "store: %s: removing %s of a closed flow: %s",
			aor, contact, store_error(r->st));
		return;
	}
	if (!rc)
		return;		/* replaced or removed since */
	r->stats.flows_closed++;
	log_msg(LOG_INFO, "%s: %s removed: its connection closed (RFC 5626)",
		aor, contact);
	if (r->hooks.aor_changed)
		r->hooks.aor_changed(r->hooks.arg, &ch);
}

void registrar_flow_closed(struct registrar *r, uint64_t flow)
{
	if (flow)
		flows_close(r->flows, flow, flow_gone, r);
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
	now->wall_usec = (uint32_t)(ts.tv_nsec / 1000);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	now->boot = (uint32_t)ts.tv_sec;
}
