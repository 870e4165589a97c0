// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 3261 10.3 steps 4 to 8 for an authenticated REGISTER: who may touch
 * which AOR, the wildcard, each Contact's expiry, the Call-ID/CSeq order,
 * max_contacts, Path (RFC 3327) and outbound flows (RFC 5626); then the
 * writes, in a savepoint of the group's store transaction (batch.c),
 * committed before the 200 OK that lists the result is sent.
 *
 * The AOR's bindings are loaded into a small array, changed there, and
 * written back as deletions then upserts, so a request that fails half way
 * changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nonce.h"
#include "registrar_priv.h"
#include "uri_eq.h"
#include "log.h"

/*
 * A Call-ID is a header value, so under SIPREG_MAX_LINE: every legal one
 * the parser passes is stored, and the CSeq order of step 7 holds for it.
 */
_Static_assert(STORE_CALLID_MAX > SIPREG_MAX_LINE,
	       "the store must hold any Call-ID the parser passes");

/* Bindings per AOR held in memory: max_contacts is at most 256. */
#define AOR_MAX		1024

enum bstate { B_KEEP, B_PUT, B_DEL };

struct bind {
	struct store_binding b;
	enum bstate state;
	bool existed;
	bool touched;			/* by a Contact of this request */
	char old_contact[STORE_URI_MAX];	/* row to delete if renamed */
};

struct aor_set {
	struct bind *v;			/* grows as needed: most AORs have 1 */
	unsigned int n, cap;
	unsigned int before;		/* live bindings before the request */
	bool outbound;			/* a reg-id was processed */
	enum outbound_verdict ob;	/* RFC 5626 6 (outbound.c) */
	bool again;			/* a Contact already committed as is */
};

/*
 * The contract of every step below: it returns BIND_OK to go on, or why
 * the request is refused, and builds no reply. regbind_process() builds
 * exactly one at the end: refuse() for a refusal, ok_response() after
 * the commit.
 */
enum bind_refusal {
	BIND_OK,
	BIND_NO_AOR,			/* 404: not an AOR of ours */
	BIND_NOT_YOURS,			/* 403: another user's AOR (step 4) */
	BIND_GRUU_CONTACT,		/* 403: a GRUU of ours as Contact */
	BIND_FOREIGN_DOMAIN,		/* 404: To names another domain (step 5) */
	BIND_PATH_UNSUPPORTED,		/* 421: Path without Supported: path */
	BIND_PATH_TOO_LONG,		/* 400 */
	BIND_URI_TOO_LONG,		/* 400: a Contact that the store cannot hold */
	BIND_INSTANCE_TOO_LONG,		/* 400 */
	BIND_REG_ID_MULTI,		/* 400: reg-id among several Contacts */
	BIND_FIRST_HOP,			/* 439: the first hop lacks outbound */
	BIND_TOO_BRIEF,			/* 423 with Min-Expires */
	BIND_OUT_OF_ORDER,		/* 500: Call-ID/CSeq not above the binding's */
	BIND_TOO_MANY,			/* 403: above max_contacts */
	BIND_CALLID_TOO_LONG,		/* 400: cannot happen (assert above) */
	BIND_RESPONSE_TOO_LARGE,	/* 500: the 200 would not fit a datagram */
	BIND_STORE,			/* 500: the store failed */
	BIND_BUSY,			/* 503: the store is locked */
	BIND_REPLAYED,			/* 401: nonce count used, not a
					 * retransmission of its commit */
};

/* ---- step 4 and 5: authorization and the address-of-record ---------------- */

/*
 * The AOR is "sip:user@REALM" (or sips:) from the user part of the To
 * URI: with no domain configured, one realm per registrar, so a phone
 * that writes our IP address (or [::1], or a port) in To: names the same
 * AOR as one that writes the domain. With domains it is
 * "sip:user@DOMAIN", the Request-URI's domain, which To must name too
 * (domain_of_to()). The user part is compared with its escapes decoded (RFC 3261
 * 19.1.4: "sip:%61lice@..." is alice), and the AOR is built from the
 * decoded name. False if there is no user part, or a bad escape or %00.
 */
static bool make_aor(struct req *q, char *user, size_t usize)
{
	struct sipreg_span sp;
	bool sips;

	/* The same rule as the kernel's fast path: parser.c says what it is. */
	if (!sipreg_uri_user(q->b, q->m.to.uri, &sp, &sips) ||
	    !uri_unescape((const char *)q->b + sp.off, sp.len, user, usize))
		return false;
	return snprintf(q->aor, sizeof(q->aor), "%s%s@%s",
			sips ? "sips:" : "sip:", user, q->aor_host) <
	       (int)sizeof(q->aor);
}

/*
 * RFC 3261 10.3 step 5: "If the address-of-record is not valid for the
 * domain in the Request-URI, the registrar MUST send a 404". With
 * domains, To's host (any case, no port) must be the Request-URI's
 * domain; without, any host names the one realm (as before).
 */
static bool domain_of_to(const struct req *q)
{
	uint32_t off, len;

	if (!q->dom)
		return true;
	return domain_uri_host(q->b, q->m.to.uri.off, q->m.to.uri.len, &off,
			       &len) &&
	       domain_find(&q->r->cfg, q->b + off, len) == q->dom;
}

/* ---- loading and matching --------------------------------------------------- */

/* A new zeroed slot, or NULL at AOR_MAX or out of memory. */
static struct bind *grow(struct aor_set *set)
{
	struct bind *v;
	unsigned int cap = set->cap ? 2 * set->cap : 4;

	if (set->n == set->cap) {
		if (set->cap == AOR_MAX)
			return NULL;
		v = realloc(set->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		set->v = v;
		set->cap = cap;
	}
	memset(&set->v[set->n], 0, sizeof(set->v[0]));
	return &set->v[set->n++];
}

static int load_one(void *arg, const struct store_binding *b)
{
	struct aor_set *set = arg;
	struct bind *x = grow(set);

	if (!x)
		return -1;
	x->b = *b;
	x->existed = true;
	strcpy(x->old_contact, b->contact);
	return 0;
}

static int live_count(const struct aor_set *set)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < set->n; i++)
		n += set->v[i].state != B_DEL;
	return n;
}

/* RFC 5626 6: same instance and reg-id is the same flow, whatever URI. */
static struct bind *find(struct aor_set *set, const char *uri,
			 const char *instance, u32 reg_id)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		struct bind *x = &set->v[i];

		if (x->state == B_DEL)
			continue;
		if (reg_id && *instance) {
			if (x->b.reg_id == reg_id &&
			    !strcmp(x->b.instance, instance))
				return x;
		} else if (uri_equal(x->b.contact, uri)) {
			return x;
		}
	}
	return NULL;
}

/* ---- step 6 and 7 ----------------------------------------------------------------- */

struct contact_in {
	char uri[STORE_URI_MAX];
	char instance[STORE_INSTANCE_MAX];
	u32 reg_id;
	u32 expires;
};


/* RFC 3261 10.3 step 7: same Call-ID must come with a higher CSeq. */
static bool in_order(const struct req *q, const struct bind *x)
{
	const struct sipreg_msg *m = &q->m;

	if (strlen(x->b.call_id) != m->call_id.len ||
	    memcmp(x->b.call_id, q->b + m->call_id.off, m->call_id.len))
		return true;
	return m->cseq > x->b.cseq;
}

/*
 * This very request, committed before: same Call-ID, CSeq and Contact.
 * A phone retransmits a REGISTER whose 200 it did not get, and after a
 * restart of the daemon the retransmission cache that would have
 * answered it is gone. Kamailio answers it 200 too; nothing changes.
 */
static bool committed_already(const struct req *q, const struct bind *x,
			      const struct contact_in *in)
{
	const struct sipreg_msg *m = &q->m;

	return x->existed && !x->touched && m->cseq == x->b.cseq &&
	       strlen(x->b.call_id) == m->call_id.len &&
	       !memcmp(x->b.call_id, q->b + m->call_id.off, m->call_id.len) &&
	       uri_equal(x->b.contact, in->uri);
}

static u32 requested_expiry(const struct req *q, const struct sipreg_msg_contact *c)
{
	if (c->flags & SIPREG_CONTACT_EXPIRES)
		return c->expires;
	if (q->m.flags & SIPREG_MSG_EXPIRES)
		return q->m.expires;
	return q->r->cfg.default_expires;
}

/*
 * Clamped to max_expires, then up to expiry_jitter percent shorter, so
 * that a fleet rebooted together spreads its refreshes; never below
 * min_expires.
 */
static u32 granted_expiry(struct registrar *r, u32 e)
{
	u32 cut;

	if (e > r->cfg.max_expires)
		e = r->cfg.max_expires;
	if (!r->cfg.expiry_jitter)
		return e;
	cut = (u32)((u64)e * r->cfg.expiry_jitter / 100);
	cut = cut ? (u32)(registrar_rand(r) % (cut + 1)) : 0;
	if (e - cut < r->cfg.min_expires)
		return e < r->cfg.min_expires ? e : r->cfg.min_expires;
	return e - cut;
}

/* Path values of the request, as one comma-joined string. */
static bool path_str(const struct req *q, char *out, size_t size)
{
	const struct sipreg_list *l = &q->m.path;
	size_t n = 0, i;

	out[0] = 0;
	for (i = 0; i < l->n; i++) {
		if (n + l->v[i].len + 3 > size)
			return false;
		if (n) {
			memcpy(out + n, ", ", 2);
			n += 2;
		}
		memcpy(out + n, q->b + l->v[i].off, l->v[i].len);
		n += l->v[i].len;
	}
	out[n] = 0;
	return true;
}

/* A Contact in the store's terms, if it fits and its expiry may be granted. */
static enum bind_refusal read_contact(const struct req *q,
				      const struct sipreg_msg_contact *c,
				      struct contact_in *in)
{
	memset(in, 0, sizeof(*in));
	if (q->m.call_id.len >= STORE_CALLID_MAX)
		return BIND_CALLID_TOO_LONG;
	if (!span_str(q, c->uri, in->uri, sizeof(in->uri)))
		return BIND_URI_TOO_LONG;
	if ((c->flags & SIPREG_CONTACT_INSTANCE) &&
	    !span_str(q, c->instance, in->instance, sizeof(in->instance)))
		return BIND_INSTANCE_TOO_LONG;
	if (c->flags & SIPREG_CONTACT_REG_ID)
		in->reg_id = c->reg_id;
	in->expires = requested_expiry(q, c);
	if (in->expires && reggruu_is_gruu(q, in->uri))
		return BIND_GRUU_CONTACT;
	if (in->expires && in->expires < q->r->cfg.min_expires)
		return BIND_TOO_BRIEF;
	return BIND_OK;
}

static void fill(struct req *q, struct bind *x, const struct contact_in *in,
		 const struct sipreg_msg_contact *c, u32 granted, const char *path)
{
	struct store_binding *b = &x->b;

	snprintf(b->aor, sizeof(b->aor), "%s", q->aor);
	snprintf(b->contact, sizeof(b->contact), "%s", in->uri);
	span_str(q, q->m.call_id, b->call_id, sizeof(b->call_id));
	b->cseq = q->m.cseq;
	b->expires = q->now->wall + granted;
	b->updated = q->now->wall;
	b->q = c->flags & SIPREG_CONTACT_Q ? c->q : -1;
	snprintf(b->instance, sizeof(b->instance), "%s", in->instance);
	b->reg_id = in->instance[0] ? in->reg_id : 0;
	snprintf(b->path, sizeof(b->path), "%s", path);
	snprintf(b->source, sizeof(b->source), "%s %u", q->src_text,
		 q->src.port);
	/* kernel sync installs it: the fast path wants a higher count */
	b->nc = q->m.auth.qop.len ? q->m.auth.nc : 0;
	x->state = B_PUT;
	x->touched = true;
}

void regbind_announce(const struct req *q)
{
	char call_id[STORE_CALLID_MAX];
	struct registrar_change ch = {
		.aor = q->aor, .call_id = call_id, .cseq = q->m.cseq,
	};

	span_str(q, q->m.call_id, call_id, sizeof(call_id));
	if (q->m.auth.qop.len)
		ch.nonce_time = sipreg_nonce_issued(q->b + q->m.auth.nonce.off,
						    q->m.auth.nonce.len);
	if (q->r->hooks.aor_changed)
		q->r->hooks.aor_changed(q->r->hooks.arg, &ch);
}

/* Step 6/7 for one Contact, in memory. */
static enum bind_refusal apply_contact(struct req *q, struct aor_set *set,
				       const struct sipreg_msg_contact *c,
				       const struct contact_in *in,
				       const char *path)
{
	struct bind *x = find(set, in->uri, in->instance, in->reg_id);

	if (x && committed_already(q, x, in)) {
		set->again = true;
		return BIND_OK;
	}
	/*
	 * A Contact given twice in one request: the later one wins, it is
	 * not ordered against the binding the earlier one just wrote.
	 */
	if (x && !x->touched && !in_order(q, x))
		return BIND_OUT_OF_ORDER;
	if (!in->expires) {
		if (x) {
			x->state = B_DEL;
			x->touched = true;
		}
		return BIND_OK;
	}
	if (!x) {
		x = grow(set);
		if (!x)
			return BIND_TOO_MANY;
	}
	fill(q, x, in, c, granted_expiry(q->r, in->expires), path);
	if (in->reg_id && in->instance[0])
		set->outbound = true;
	return BIND_OK;
}

static enum bind_refusal wildcard(struct req *q, struct aor_set *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		if (!in_order(q, &set->v[i]))
			return BIND_OUT_OF_ORDER;
		set->v[i].state = B_DEL;
	}
	return BIND_OK;
}

/* ---- commit and answer --------------------------------------------------------- */

static int write_set(struct req *q, struct aor_set *set)
{
	struct store *st = q->r->st;
	unsigned int i;

	if (batch_write_begin(q->r))
		return -1;
	/* deletions first: a renamed flow may reuse a deleted URI */
	for (i = 0; i < set->n; i++) {
		struct bind *x = &set->v[i];

		if (x->existed && (x->state == B_DEL ||
				   (x->state == B_PUT &&
				    strcmp(x->old_contact, x->b.contact))) &&
		    store_binding_del(st, q->aor, x->old_contact))
			goto fail;
	}
	for (i = 0; i < set->n; i++)
		if (set->v[i].state == B_PUT &&
		    store_binding_put(st, &set->v[i].b))
			goto fail;
	return batch_write_end(q->r, true);
fail:
	batch_write_end(q->r, false);
	return -1;
}

static bool changed(const struct aor_set *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].state != B_KEEP)
			return true;
	return false;
}

static void put_q(struct req *q, int v)
{
	char d[8];
	int n = 3;

	if (v < 0)
		return;
	if (v >= 1000) {
		req_hdr(q, ";q=1");
		return;
	}
	snprintf(d, sizeof(d), "%03d", v);
	while (n > 1 && d[n - 1] == '0')
		n--;
	req_hdr(q, ";q=%s%.*s", v ? "0." : "0", v ? n : 0, d);
}

/* Step 8: 200 OK with every current binding and its remaining time. */
static size_t ok_response(struct req *q, const struct aor_set *set)
{
	unsigned int i;

	req_start(q, 200, "OK");
	for (i = 0; i < set->n; i++) {
		const struct store_binding *b = &set->v[i].b;

		if (set->v[i].state == B_DEL)
			continue;
		req_hdr(q, "Contact: <%s>;expires=%lld", b->contact,
			(long long)(b->expires - q->now->wall));
		put_q(q, b->q);
		if (b->instance[0])
			req_hdr(q, ";+sip.instance=\"%s\"", b->instance);
		if (b->reg_id)
			req_hdr(q, ";reg-id=%u", b->reg_id);
		reggruu_contact(q, b);
		req_hdr(q, "\r\n");
	}
	if (q->m.path.n && sipreg_list_has_lit(q->b, &q->m.supported, "path")) {
		for (i = 0; i < q->m.path.n; i++) {
			req_hdr(q, "Path: ");
			sipreg_reply_span(&q->rep, q->b, q->m.path.v[i]);
			req_hdr(q, "\r\n");
		}
	}
	if (set->outbound &&
	    sipreg_list_has_lit(q->b, &q->m.supported, "outbound")) {
		req_hdr(q, "Require: outbound\r\n");
		if (q->r->cfg.flow_timer)
			req_hdr(q, "Flow-Timer: %u\r\n", q->r->cfg.flow_timer);
	}
	reggruu_headers(q);
	sipreg_reply_date(&q->rep, (u64)q->now->wall);
	return req_end(q);
}

/* The one reply of every refusal. */
static size_t refuse(struct req *q, enum bind_refusal why)
{
	switch (why) {
	case BIND_OK:
		break;
	case BIND_REPLAYED:
		return regauth_replayed(q);
	case BIND_NO_AOR:
		return req_simple(q, 404, "Not Found");
	case BIND_NOT_YOURS:
		return req_simple(q, 403, "Forbidden (not your AOR)");
	case BIND_GRUU_CONTACT:
		return req_simple(q, 403, "Forbidden (Contact is a GRUU)");
	case BIND_FOREIGN_DOMAIN:
		q->r->stats.unknown_domains++;
		return req_simple(q, 404, "Not Found (To names another domain)");
	case BIND_PATH_UNSUPPORTED:
		req_start(q, 421, "Extension Required");
		req_hdr(q, "Require: path\r\n");
		return req_end(q);
	case BIND_PATH_TOO_LONG:
		return req_simple(q, 400, "Bad Request (Path too long)");
	case BIND_URI_TOO_LONG:
		return req_simple(q, 400, "Bad Request (contact URI too long)");
	case BIND_INSTANCE_TOO_LONG:
		return req_simple(q, 400, "Bad Request (+sip.instance too long)");
	case BIND_REG_ID_MULTI:
		return req_simple(q, 400,
				  "Bad Request (reg-id with several Contacts)");
	case BIND_FIRST_HOP:
		q->r->stats.outbound_first_hop_439++;
		log_msg(LOG_INFO, "%s:%u: %s: reg-id, Supported: outbound, and "
			"a first hop without ;ob: 439", q->src_text,
			q->src.port, q->aor);
		return req_simple(q, 439, "First Hop Lacks Outbound Support");
	case BIND_TOO_BRIEF:
		req_start(q, 423, "Interval Too Brief");
		req_hdr(q, "Min-Expires: %u\r\n", q->r->cfg.min_expires);
		return req_end(q);
	case BIND_OUT_OF_ORDER:
		log_msg(LOG_INFO, "%s:%u: %s: CSeq %u not above the binding's",
			q->src_text, q->src.port, q->aor, q->m.cseq);
		return req_simple(q, 500,
				  "Server Internal Error (CSeq out of order)");
	case BIND_TOO_MANY:
		/*
		 * 403, not 503: the limit is policy, not overload. A 503
		 * makes RFC 3263 clients fail over to the next server of
		 * the set, which shares this store and says the same.
		 */
		return req_simple(q, 403, "Forbidden (too many contacts)");
	case BIND_CALLID_TOO_LONG:
		return req_simple(q, 400, "Bad Request (Call-ID too long)");
	case BIND_RESPONSE_TOO_LARGE:
		log_msg(LOG_INFO, "%s:%u: %s: the 200 would not fit in %zu "
			"bytes: 500, nothing changed", q->src_text,
			q->src.port, q->aor, q->rep.size);
		return req_simple(q, 500,
				  "Server Internal Error (response too large)");
	case BIND_STORE:
		q->r->stats.store_errors++;
		return req_simple(q, 500, "Server Internal Error (store)");
	case BIND_BUSY:
		return req_busy(q);
	}
	return req_simple(q, 500, "Server Internal Error");
}

size_t regbind_failed(struct req *q, bool busy)
{
	q->r->stats.status[2]--;
	sipreg_reply_init(&q->rep, q->out, q->size);
	return refuse(q, busy ? BIND_BUSY : BIND_STORE);
}

/* ---- the step sequence -------------------------------------------------------------- */

/* Steps 4 and 5 and RFC 3327 5.3 (Path is kept only for a UA that knows it). */
static enum bind_refusal check_request(struct req *q, char *path, size_t size)
{
	char user[STORE_NAME_MAX];

	if (!make_aor(q, user, sizeof(user)))
		return BIND_NO_AOR;
	if (strcmp(user, q->user.user))
		return BIND_NOT_YOURS;
	if (!domain_of_to(q))
		return BIND_FOREIGN_DOMAIN;
	if (!q->m.path.n)
		return BIND_OK;
	if (!sipreg_list_has_lit(q->b, &q->m.supported, "path"))
		return BIND_PATH_UNSUPPORTED;
	if (!path_str(q, path, size))
		return BIND_PATH_TOO_LONG;
	return BIND_OK;
}

/* RFC 5626 section 6: outbound only where the first hop supports it. */
static enum bind_refusal outbound_rules(const struct req *q,
					struct aor_set *set)
{
	set->ob = outbound_check(q);
	if (set->ob == OB_MULTI)
		return BIND_REG_ID_MULTI;
	if (set->ob == OB_439)
		return BIND_FIRST_HOP;
	return BIND_OK;
}

/*
 * After the commit: the outbound bindings written on a connection of
 * ours (no Path: sipregd is the edge and the connection is the flow)
 * go when it closes (registrar_flow_closed()).
 */
static void bind_flows(struct req *q, const struct aor_set *set)
{
	unsigned int i;

	if (set->ob != OB_FLOW)
		return;
	q->r->stats.outbound_registrations++;
	if (!q->flow || q->m.path.n)
		return;
	for (i = 0; i < set->n; i++)
		if (set->v[i].state == B_PUT && set->v[i].b.reg_id)
			flows_track(q->r->flows, q->flow, &set->v[i].b);
}

static enum bind_refusal load_set(struct req *q, struct aor_set *set)
{
	if (store_binding_each(q->r->st, q->aor, q->now->wall, load_one, set))
		return store_busy(q->r->st) ? BIND_BUSY : BIND_STORE;
	set->before = set->n;
	return BIND_OK;
}

/* Steps 6 and 7 over every Contact of the request, in memory. */
static enum bind_refusal apply_all(struct req *q, struct aor_set *set,
				   const char *path)
{
	const struct sipreg_msg *m = &q->m;
	struct contact_in in[SIPREG_MAX_CONTACTS];
	enum bind_refusal why;
	unsigned int i;

	if (m->n_contacts && (m->contacts[0].flags & SIPREG_CONTACT_STAR)) {
		/* the parser refuses '*' with others or a nonzero Expires */
		return wildcard(q, set);
	}
	/* all checks before any change: 423 and 400 leave the set alone */
	for (i = 0; i < m->n_contacts; i++) {
		why = read_contact(q, &m->contacts[i], &in[i]);
		if (why)
			return why;
		/* RFC 5626 6: "the registrar MUST ignore the reg-id" */
		if (set->ob != OB_FLOW)
			in[i].reg_id = 0;
	}
	for (i = 0; i < m->n_contacts; i++) {
		why = apply_contact(q, set, &m->contacts[i], &in[i], path);
		if (why)
			return why;
	}
	if (live_count(set) > (int)q->r->cfg.max_contacts &&
	    live_count(set) > (int)set->before)
		return BIND_TOO_MANY;
	return BIND_OK;
}

/*
 * The 200 must fit the response buffer (REGISTRAR_RESP_MAX, under the
 * 65507 bytes of a UDP datagram) before anything is committed: a phone
 * whose 200 cannot be sent retransmits and never learns its bindings,
 * while they stay changed. With no TCP listener to move it to (RFC 3261
 * 18.1.1/18.2.2), such a request is answered 500 and changes nothing.
 * Built once here for its size, then dropped with the status count it
 * took; the reply is built again after the commit.
 */
static enum bind_refusal fits(struct req *q, const struct aor_set *set)
{
	size_t n = ok_response(q, set);

	q->r->stats.status[2]--;
	sipreg_reply_init(&q->rep, q->rep.buf, q->rep.size);
	return n ? BIND_OK : BIND_RESPONSE_TOO_LARGE;
}

/* The store transaction, then kernel sync hears of it. */
static enum bind_refusal commit(struct req *q, struct aor_set *set)
{
	if (!changed(set))
		return BIND_OK;
	if (write_set(q, set)) {
		if (q->r->txn == TXN_LOST ? q->r->txn_busy :
		    store_busy(q->r->st))
			return BIND_BUSY;
		log_msg(LOG_ERR, "store: %s: %s", q->aor,
			q->r->txn == TXN_LOST ? "not written: the group's "
			"transaction was rolled back" : store_error(q->r->st));
		return BIND_STORE;
	}
	/* kernel sync hears of it once the group's COMMIT is through */
	q->pending = true;
	return BIND_OK;
}

size_t regbind_process(struct req *q)
{
	struct aor_set *set = calloc(1, sizeof(*set));
	char path[STORE_PATH_MAX] = "";
	enum bind_refusal why;
	size_t resp;

	if (!set)
		return req_simple(q, 500, "Server Internal Error");
	why = check_request(q, path, sizeof(path));
	if (!why)
		why = outbound_rules(q, set);
	if (!why)
		why = load_set(q, set);
	if (!why)
		why = apply_all(q, set, path);
	/*
	 * A used nonce count passes only as the retransmission of what it
	 * committed (same Call-ID, CSeq and Contacts, nothing to change):
	 * the request of a daemon that crashed before its 200, or of a
	 * worker whose retransmission cache the datagram missed.
	 */
	if (!why && q->nc_used && (!set->again || changed(set)))
		why = BIND_REPLAYED;
	if (!why)
		why = fits(q, set);
	if (!why)
		why = commit(q, set);
	if (!why)
		bind_flows(q, set);
	if (!why && set->again) {
		q->r->stats.retransmitted_commits++;
		log_msg(LOG_INFO, "%s:%u: %s: CSeq %u committed before: "
			"a retransmission, 200", q->src_text, q->src.port,
			q->aor, q->m.cseq);
	}
	/* after a commit, the 200 is built again: it fits, seen above */
	resp = why ? refuse(q, why) : ok_response(q, set);
	free(set->v);
	free(set);
	return resp;
}
