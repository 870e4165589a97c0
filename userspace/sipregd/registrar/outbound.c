// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5626 for the registrar. sipregd is the edge: a REGISTER that came
 * straight from the UA (one Via, no Path) arrives on its flow, the
 * connection or the UDP source address. Behind a proxy, the proxy says
 * it supports outbound with ";ob" on the Path URI it adds (section 5,
 * the edge proxy); without
 * that the first hop lacks outbound and section 6 applies: "if the
 * REGISTER request contains the reg-id and the outbound option tag in a
 * Supported header field, then the registrar MUST respond to the REGISTER
 * request with a 439 (First Hop Lacks Outbound Support) response;
 * otherwise, the registrar MUST ignore the reg-id parameter".
 *
 * The flow table remembers, per connection, the outbound bindings it
 * carried with the Call-ID and CSeq that wrote them: when the connection
 * closes the flow is gone, and a binding still as written is removed (a
 * later registration over another flow has replaced it otherwise).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "outbound.h"
#include "registrar_priv.h"
#include "log.h"

/* Bounded: a flow is one UA instance's connection; past that, expiry. */
#define FLOWS_MAX		65536
#define PER_FLOW_MAX		32

/* ---- section 6: is this an outbound registration? ------------------------- */

/* A URI parameter named @name among the ;params of [p, e) (after the host). */
static bool uri_has_param(const char *p, const char *e, const char *name)
{
	const char *at = memchr(p, '@', (size_t)(e - p));
	const char *q = memchr(p, '?', (size_t)(e - p));
	size_t n = strlen(name);

	if (q)
		e = q;
	p = at && at < e ? at + 1 : p;
	while ((p = memchr(p, ';', (size_t)(e - p)))) {
		const char *s = ++p;

		while (p < e && *p != ';' && *p != '=')
			p++;
		if ((size_t)(p - s) == n && !strncasecmp(s, name, n))
			return true;
	}
	return false;
}

/*
 * The topmost Path URI carries ;ob (RFC 5626 section 5: the edge proxy
 * that keeps the flow says so). A Path value is a name-addr (RFC 3327 4), so
 * the URI is between < and >; parameters after '>' belong to the field.
 */
static bool path_top_has_ob(const struct req *q)
{
	const char *v = (const char *)q->b + q->m.path.v[0].off;
	const char *e = v + q->m.path.v[0].len;
	const char *lt = memchr(v, '<', (size_t)(e - v)), *gt;

	if (!lt)
		return false;
	gt = memchr(lt, '>', (size_t)(e - lt));
	return gt && uri_has_param(lt + 1, gt, "ob");
}

/* RFC 5626 6: the registrar checks whether it is adjacent to the UA. */
static bool first_hop_outbound(const struct req *q)
{
	if (q->m.path.n)
		return path_top_has_ob(q);
	return q->m.n_vias == 1;
}

enum outbound_verdict outbound_check(const struct req *q)
{
	const struct sipreg_msg *m = &q->m;
	bool reg_id = false;
	unsigned int i;

	for (i = 0; i < m->n_contacts; i++)
		reg_id |= !!(m->contacts[i].flags & SIPREG_CONTACT_REG_ID);
	if (!reg_id)
		return OB_NONE;
	/* one flow per REGISTER: a reg-id names the flow it came on */
	if (m->n_contacts > 1)
		return OB_MULTI;
	/* RFC 5626 6: a reg-id without +sip.instance is ignored */
	if (!(m->contacts[0].flags & SIPREG_CONTACT_INSTANCE))
		return OB_NONE;
	if (first_hop_outbound(q))
		return OB_FLOW;
	if (sipreg_list_has_lit(q->b, &m->supported, "outbound"))
		return OB_439;
	return OB_IGNORE;
}

/* ---- the flow table ---------------------------------------------------------- */

struct flow_ent {
	uint64_t flow;
	char *aor, *contact, *call_id;
	uint32_t cseq;
};

struct flows {
	struct flow_ent *v;
	unsigned int n, cap;
};

struct flows *flows_new(void)
{
	return calloc(1, sizeof(struct flows));
}

static void ent_free(struct flow_ent *e)
{
	free(e->aor);
	free(e->contact);
	free(e->call_id);
}

void flows_free(struct flows *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		ent_free(&f->v[i]);
	free(f->v);
	free(f);
}

/* The slot for (flow, aor, contact): found, new, or NULL over the bounds. */
static struct flow_ent *slot(struct flows *f, uint64_t flow,
			     const struct store_binding *b)
{
	unsigned int i, same = 0, cap;
	struct flow_ent *v;

	for (i = 0; i < f->n; i++) {
		if (f->v[i].flow != flow)
			continue;
		if (f->v[i].aor && !strcmp(f->v[i].aor, b->aor) &&
		    !strcmp(f->v[i].contact, b->contact))
			return &f->v[i];
		same++;
	}
	if (same >= PER_FLOW_MAX || f->n >= FLOWS_MAX)
		return NULL;
	if (f->n == f->cap) {
		cap = f->cap ? 2 * f->cap : 16;
		v = realloc(f->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		f->v = v;
		f->cap = cap;
	}
	memset(&f->v[f->n], 0, sizeof(f->v[0]));
	f->v[f->n].flow = flow;
	return &f->v[f->n++];
}

void flows_track(struct flows *f, uint64_t flow, const struct store_binding *b)
{
	struct flow_ent *e = slot(f, flow, b);
	char *aor, *contact, *call_id;

	if (!e) {
		log_msg(LOG_INFO, "%s: flow table full: %s stays until it "
			"expires", b->aor, b->contact);
		return;
	}
	aor = strdup(b->aor);
	contact = strdup(b->contact);
	call_id = strdup(b->call_id);
	if (!aor || !contact || !call_id) {
		free(aor);
		free(contact);
		free(call_id);
		/* keep the slot consistent: an empty entry matches nothing */
		aor = contact = call_id = NULL;
	}
	ent_free(e);
	e->aor = aor;
	e->contact = contact;
	e->call_id = call_id;
	e->cseq = b->cseq;
}

void flows_close(struct flows *f, uint64_t flow, flows_cb cb, void *arg)
{
	unsigned int i = 0;

	while (i < f->n) {
		struct flow_ent *e = &f->v[i];

		if (e->flow != flow) {
			i++;
			continue;
		}
		if (e->aor)
			cb(arg, e->aor, e->contact, e->call_id, e->cseq);
		ent_free(e);
		f->v[i] = f->v[--f->n];
	}
}
