// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for sipreg_parse(): the whole datagram is the input.
 * Besides not crashing under ASan/UBSan, it aborts when an invariant breaks:
 * every span lies inside the input (inside the headers for a well-formed
 * REGISTER), every count and number is within its bound, a well-formed
 * REGISTER has what parser.h promises, parsing is deterministic, and the
 * unquoting helpers agree with each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "invariant broken: %s (line %d)\n", \
			#cond, __LINE__); \
		abort(); \
	} \
} while (0)

static size_t lim;	/* spans must end at or before this */

static void span_ok(struct sipreg_span sp)
{
	CHECK((size_t)sp.off + sp.len <= lim);
}

/* Unquoting round trip: unquote, then the copy compares equal. */
static void unquote_ok(const u8 *buf, struct sipreg_span sp)
{
	u8 out[SIPREG_MAX_LEN];
	int n;

	span_ok(sp);
	n = sipreg_span_unquote(buf, sp, out, sizeof(out));
	CHECK(n >= 0 && n <= sp.len);
	CHECK(sipreg_span_eq_unquoted(buf, sp, out, n));
	if (n > 0) {
		CHECK(sipreg_span_unquote(buf, sp, out, n - 1) == -1);
		CHECK(!sipreg_span_eq_unquoted(buf, sp, out, n - 1));
	}
}

static void auth_ok(const u8 *buf, const struct sipreg_auth *a, bool ok)
{
	span_ok(a->scheme);
	unquote_ok(buf, a->username);
	unquote_ok(buf, a->realm);
	unquote_ok(buf, a->nonce);
	unquote_ok(buf, a->uri);
	unquote_ok(buf, a->response);
	unquote_ok(buf, a->algorithm);
	unquote_ok(buf, a->cnonce);
	unquote_ok(buf, a->opaque);
	unquote_ok(buf, a->qop);
	if (!ok || !(a->flags & SIPREG_AUTH_DIGEST))
		return;
	CHECK(a->flags & SIPREG_AUTH_PRESENT);
	CHECK(a->username.off && a->realm.off && a->nonce.off &&
	      a->uri.off && a->response.off);
	if (a->qop.off)
		CHECK(a->cnonce.off && (a->flags & SIPREG_AUTH_NC));
}

static void list_ok(const u8 *buf, const struct sipreg_list *l)
{
	int i;

	CHECK(l->n <= SIPREG_MAX_REPEAT);
	for (i = 0; i < SIPREG_MAX_REPEAT; i++)
		span_ok(l->v[i]);
	(void)sipreg_list_has_lit(buf, l, "path");
}

static void msg_ok(const u8 *buf, size_t size, enum sipreg_verdict v,
		   const struct sipreg_msg *m)
{
	const struct sipreg_msg_contact *c;
	bool ok = v == SIPREG_OK;
	int i;

	CHECK((unsigned int)v < SIPREG_VERDICT_MAX);
	CHECK(strcmp(sipreg_verdict_name(v), "unknown"));
	CHECK(m->err_off <= size);
	lim = ok ? m->body_off : size;
	span_ok(m->method);
	span_ok(m->ruri);
	span_ok(m->via.transport);
	span_ok(m->via.host);
	span_ok(m->via.branch);
	span_ok(m->via.received);
	span_ok(m->via.rport_param);
	CHECK(m->n_vias <= SIPREG_MAX_VIAS);
	for (i = 0; i < SIPREG_MAX_VIAS; i++)
		span_ok(m->vias[i]);
	span_ok(m->from.value);
	span_ok(m->from.uri);
	span_ok(m->from.tag);
	unquote_ok(buf, m->from.display);
	span_ok(m->to.value);
	span_ok(m->to.uri);
	span_ok(m->to.tag);
	unquote_ok(buf, m->to.display);
	span_ok(m->call_id);
	span_ok(m->cseq_method);
	span_ok(m->user_agent);
	CHECK(m->n_contacts <= SIPREG_MAX_CONTACTS);
	for (i = 0; i < SIPREG_MAX_CONTACTS; i++) {
		c = &m->contacts[i];
		span_ok(c->value);
		span_ok(c->uri);
		unquote_ok(buf, c->display);
		unquote_ok(buf, c->instance);
		if (i < m->n_contacts && (c->flags & SIPREG_CONTACT_Q))
			CHECK(c->q <= 1000);
		if (i < m->n_contacts && (c->flags & SIPREG_CONTACT_REG_ID))
			CHECK(c->reg_id >= 1 && c->reg_id <= 0x7fffffff);
	}
	auth_ok(buf, &m->auth, ok);
	CHECK(m->n_auth <= SIPREG_MAX_HEADERS);
	list_ok(buf, &m->require);
	list_ok(buf, &m->proxy_require);
	list_ok(buf, &m->supported);
	list_ok(buf, &m->path);
	if (!ok)
		return;

	CHECK(size <= SIPREG_MAX_LEN);
	CHECK(m->err_off == 0);
	CHECK(m->body_off >= 4 && m->body_off <= size);
	CHECK(!memcmp(buf + m->body_off - 4, "\r\n\r\n", 4));
	CHECK(!memchr(buf, 0, m->body_off));
	CHECK(m->content_length <= size - m->body_off);
	CHECK(m->method.len == 8 && !memcmp(buf, "REGISTER", 8));
	CHECK(m->ruri.len > 4);
	CHECK(m->n_vias >= 1 && m->via.host.len && m->via.transport.len);
	CHECK(m->from.value.len && m->from.uri.len);
	CHECK(m->to.value.len && m->to.uri.len);
	CHECK(m->call_id.len);
	CHECK(m->cseq <= 0x7fffffff);
	CHECK(m->cseq_method.len == 8 &&
	      !memcmp(buf + m->cseq_method.off, "REGISTER", 8));
	for (i = 0; i < m->n_vias; i++)
		CHECK(m->vias[i].len > 0);
	for (i = 0; i < m->n_contacts; i++) {
		c = &m->contacts[i];
		CHECK(c->value.len > 0);
		if (c->flags & SIPREG_CONTACT_STAR)
			CHECK(m->n_contacts == 1 && m->expires == 0 &&
			      (m->flags & SIPREG_MSG_EXPIRES));
		else
			CHECK(c->uri.len > 0);
	}
	if (m->n_auth)
		CHECK(m->auth.flags & SIPREG_AUTH_PRESENT);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct sipreg_msg m, m2;
	enum sipreg_verdict v;

	v = sipreg_parse(data, size, &m);
	msg_ok(data, size, v, &m);
	CHECK(sipreg_parse(data, size, &m2) == v);
	CHECK(!memcmp(&m, &m2, sizeof(m)));
	return 0;
}
