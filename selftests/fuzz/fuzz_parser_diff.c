// SPDX-License-Identifier: GPL-2.0
/*
 * Differential libFuzzer target: kmod/sip/parser.c against the frozen
 * reference (ref/parser.c, the parser before the single-pass rewrite).
 * Each input is parsed by both, strict at the module's SIPREG_MAX_LEN and
 * lenient at the daemon's SIPREG_SPAN_MAX; the verdicts and err_off must
 * agree always, and on SIPREG_OK every field of the result, compared one by
 * one (never the padding). The input is also given whole to
 * sipreg_parse_auth() and sipreg_contact_uri_valid(). Aborts on the first
 * difference, printing the field.
 *
 * Documented exceptions (bugs of the reference, fixed in the new parser):
 * - sipreg_parse_auth() refuses a NUL in a quoted-pair (bad_auth), which
 *   the reference took: sipreg_parse() allows a NUL only in a body, and
 *   the value parsers, which now run before a field is delimited, must
 *   not pass one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "ref/parser_ref.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void differ(const char *what, long a, long b)
{
	fprintf(stderr, "parsers differ: %s: new %ld, reference %ld\n",
		what, a, b);
	abort();
}

#define SAME(f) do { \
	if ((long)(a->f) != (long)(b->f)) \
		differ(#f, (long)(a->f), (long)(b->f)); \
} while (0)
#define SAME_SPAN(f) do { SAME(f.off); SAME(f.len); } while (0)

static void same_via(const struct sipreg_via *a, const struct sipreg_via *b)
{
	SAME_SPAN(transport);
	SAME_SPAN(host);
	SAME_SPAN(branch);
	SAME_SPAN(received);
	SAME_SPAN(rport_param);
	SAME(port);
	SAME(rport);
	SAME(flags);
}

static void same_nameaddr(const struct sipreg_nameaddr *a,
			  const struct sipreg_nameaddr *b)
{
	SAME_SPAN(value);
	SAME_SPAN(display);
	SAME_SPAN(uri);
	SAME_SPAN(tag);
}

static void same_contact(const struct sipreg_msg_contact *a,
			 const struct sipreg_msg_contact *b)
{
	SAME_SPAN(value);
	SAME_SPAN(display);
	SAME_SPAN(uri);
	SAME_SPAN(instance);
	SAME(expires);
	SAME(reg_id);
	SAME(q);
	SAME(flags);
}

static void same_auth(const struct sipreg_auth *a, const struct sipreg_auth *b)
{
	SAME_SPAN(scheme);
	SAME_SPAN(username);
	SAME_SPAN(realm);
	SAME_SPAN(nonce);
	SAME_SPAN(uri);
	SAME_SPAN(response);
	SAME_SPAN(algorithm);
	SAME_SPAN(cnonce);
	SAME_SPAN(opaque);
	SAME_SPAN(qop);
	SAME_SPAN(nc_text);
	SAME(nc);
	SAME(flags);
}

static void same_list(const struct sipreg_list *a, const struct sipreg_list *b)
{
	int i;

	SAME(n);
	for (i = 0; i < SIPREG_MAX_REPEAT; i++)
		SAME_SPAN(v[i]);
}

static void same_msg(const struct sipreg_msg *a, const struct sipreg_msg *b)
{
	int i;

	SAME_SPAN(method);
	SAME_SPAN(ruri);
	same_via(&a->via, &b->via);
	for (i = 0; i < SIPREG_MAX_VIAS; i++)
		SAME_SPAN(vias[i]);
	same_nameaddr(&a->from, &b->from);
	same_nameaddr(&a->to, &b->to);
	SAME_SPAN(call_id);
	SAME_SPAN(cseq_method);
	SAME(cseq);
	SAME(expires);
	SAME(content_length);
	for (i = 0; i < SIPREG_MAX_CONTACTS; i++)
		same_contact(&a->contacts[i], &b->contacts[i]);
	same_auth(&a->auth, &b->auth);
	same_list(&a->require, &b->require);
	same_list(&a->proxy_require, &b->proxy_require);
	same_list(&a->supported, &b->supported);
	same_list(&a->path, &b->path);
	SAME_SPAN(user_agent);
	SAME(body_off);
	SAME(err_off);
	SAME(max_forwards);
	SAME(n_vias);
	SAME(n_contacts);
	SAME(n_auth);
	SAME(flags);
	SAME(opts);
}

/* What the callers use besides the struct: the helpers on the spans. */
static void same_helpers(const u8 *buf, const struct sipreg_msg *m)
{
	struct sipreg_span x, y;
	bool sx = false, sy = false, rx, ry;
	u8 o1[SIPREG_SPAN_MAX], o2[SIPREG_SPAN_MAX];

	rx = sipreg_uri_user(buf, m->ruri, &x, &sx);
	ry = sipreg_ref_uri_user(buf, m->ruri, &y, &sy);
	if (rx != ry || (rx && (x.off != y.off || x.len != y.len || sx != sy)))
		differ("sipreg_uri_user", rx, ry);
	rx = sipreg_uri_host(buf, m->to.uri, &x);
	ry = sipreg_ref_uri_host(buf, m->to.uri, &y);
	if (rx != ry || (rx && (x.off != y.off || x.len != y.len)))
		differ("sipreg_uri_host", rx, ry);
	if (sipreg_list_has_lit(buf, &m->supported, "path") !=
	    sipreg_ref_list_has(buf, &m->supported, "path", 4))
		differ("sipreg_list_has", 0, 0);
	if (sipreg_span_unquote(buf, m->auth.username, o1, sizeof(o1)) !=
	    sipreg_ref_span_unquote(buf, m->auth.username, o2, sizeof(o2)))
		differ("sipreg_span_unquote", 0, 0);
}

static void one(const u8 *data, size_t size, size_t max_len,
		unsigned int opts)
{
	static struct sipreg_msg a, b;
	enum sipreg_verdict va, vb;

	va = sipreg_parse_opts(data, size, max_len, opts, &a);
	vb = sipreg_ref_parse_opts(data, size, max_len, opts, &b);
	if (va != vb) {
		fprintf(stderr, "verdicts differ: new %s, reference %s\n",
			sipreg_verdict_name(va), sipreg_ref_verdict_name(vb));
		abort();
	}
	if (a.err_off != b.err_off)
		differ("err_off", a.err_off, b.err_off);
	if (va != SIPREG_OK)
		return;
	same_msg(&a, &b);
	same_helpers(data, &a);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct sipreg_auth aa, ab;
	enum sipreg_verdict va, vb;

	one(data, size, SIPREG_MAX_LEN, 0);
	one(data, size, SIPREG_SPAN_MAX, SIPREG_PARSE_LENIENT_EXPIRES);
	va = sipreg_parse_auth(data, size, &aa);
	vb = sipreg_ref_parse_auth(data, size, &ab);
	if (va == SIPREG_BAD_AUTH && vb == SIPREG_OK && memchr(data, 0, size))
		vb = va;	/* the exception above */
	if (va != vb)
		differ("sipreg_parse_auth verdict", va, vb);
	if (va == SIPREG_OK)
		same_auth(&aa, &ab);
	if (sipreg_contact_uri_valid(data, size) !=
	    sipreg_ref_contact_uri_valid(data, size))
		differ("sipreg_contact_uri_valid", 0, 0);
	return 0;
}
