// SPDX-License-Identifier: GPL-2.0
/*
 * The transaction fields of a response to a request read by sipmsg.c: the
 * same bytes kmod/sip/reply.c writes for a REGISTER the shared parser read,
 * for any request and any number of Via hops.
 */
#include <string.h>
#include <strings.h>

#include "sipmsg.h"

static void put_span(struct sipreg_reply *r, const uint8_t *b,
		     struct sipmsg_span sp)
{
	sipreg_reply_put(r, b + sp.off, sp.len);
}

static void put_field(struct sipreg_reply *r, const char *name,
		      const uint8_t *b, struct sipmsg_span sp)
{
	sipreg_reply_put(r, name, strlen(name));
	put_span(r, b, sp);
	sipreg_reply_lit(r, "\r\n");
}

/* RFC 3261 18.2.2 and RFC 3581 4, as sipreg_reply_needs_received(). */
static bool needs_received(const uint8_t *b, const struct sipmsg_via *v,
			   const struct sipreg_reply_src *src)
{
	const uint8_t *h = b + v->host.off;
	size_t n = v->host.len;

	if (v->has_rport)
		return true;
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		h++;
		n -= 2;
	}
	return n != src->addr_len ||
	       strncasecmp((const char *)h, src->addr, n);
}

/*
 * The top hop verbatim except: rport gets the source port, an existing
 * received gets the source address, and a missing needed one is appended.
 */
static void put_top_via(struct sipreg_reply *r, const uint8_t *b,
			const struct sipmsg *m,
			const struct sipreg_reply_src *src)
{
	const struct sipmsg_via *v = &m->via;
	struct sipmsg_span hop = m->vias[0], e[2], t;
	bool rcvd = needs_received(b, v, src);
	unsigned int n = 0, i;
	uint32_t pos = hop.off;

	if (v->has_rport)
		e[n++] = v->rport;
	if (rcvd && v->received.len)
		e[n++] = v->received;
	if (n == 2 && e[1].off < e[0].off) {
		t = e[0];
		e[0] = e[1];
		e[1] = t;
	}
	sipreg_reply_lit(r, "Via: ");
	for (i = 0; i < n; i++) {
		sipreg_reply_put(r, b + pos, e[i].off - pos);
		if (v->has_rport && e[i].off == v->rport.off) {
			sipreg_reply_lit(r, ";rport=");
			sipreg_reply_u32(r, src->port);
		} else {
			sipreg_reply_put(r, src->addr, src->addr_len);
		}
		pos = e[i].off + e[i].len;
	}
	sipreg_reply_put(r, b + pos, hop.off + hop.len - pos);
	if (rcvd && !v->received.len) {
		sipreg_reply_lit(r, ";received=");
		sipreg_reply_put(r, src->addr, src->addr_len);
	}
	sipreg_reply_lit(r, "\r\n");
}

void sipmsg_reply_start(struct sipreg_reply *r, const uint8_t *buf,
			const struct sipmsg *m, unsigned int code,
			const char *reason,
			const struct sipreg_reply_src *src,
			const char *tag, size_t tag_len)
{
	unsigned int i;

	sipreg_reply_lit(r, "SIP/2.0 ");
	sipreg_reply_u32(r, code);
	sipreg_reply_lit(r, " ");
	sipreg_reply_put(r, reason, strlen(reason));
	sipreg_reply_lit(r, "\r\n");
	if (m->n_vias)
		put_top_via(r, buf, m, src);
	/* one field per hop: equivalent to the comma list (RFC 3261 7.3.1) */
	for (i = 1; i < m->n_vias; i++)
		put_field(r, "Via: ", buf, m->vias[i]);
	/* a 400 for a missing field goes without it (RFC 3261 8.2.6.2) */
	if (m->from.value.len)
		put_field(r, "From: ", buf, m->from.value);
	if (m->to.value.len) {
		sipreg_reply_lit(r, "To: ");
		put_span(r, buf, m->to.value);
		if (!m->to.tag.len) {
			sipreg_reply_lit(r, ";tag=");
			sipreg_reply_put(r, tag, tag_len);
		}
		sipreg_reply_lit(r, "\r\n");
	}
	if (m->call_id.len)
		put_field(r, "Call-ID: ", buf, m->call_id);
	if (m->has_cseq) {
		sipreg_reply_lit(r, "CSeq: ");
		sipreg_reply_u32(r, m->cseq);
		sipreg_reply_lit(r, " ");
		put_span(r, buf, m->cseq_method);
		sipreg_reply_lit(r, "\r\n");
	} else {
		put_field(r, "CSeq: ", buf, m->cseq_value);
	}
}
