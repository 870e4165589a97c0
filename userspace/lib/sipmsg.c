// SPDX-License-Identifier: GPL-2.0
/*
 * General SIP message parser (RFC 3261 section 7 and 25, the parts that
 * decide how a request is answered). One pass: the start line, then each
 * header field delimited by its CRLF (folds included, so that inside a
 * value CR and LF only ever belong to a fold and count as whitespace).
 * The first defect found is the one reported; parsing goes on after a bad
 * value so that the transaction fields of later lines are still found and
 * the 400 can be sent. Every loop consumes input or counts towards a
 * SIPMSG_MAX_* bound.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sipmsg.h"

/* ---- character classes (RFC 3261 section 25.1) --------------------------- */

static bool is_alpha(uint8_t ch)
{
	return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
}

static bool is_digit(uint8_t ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_alnum(uint8_t ch)
{
	return is_alpha(ch) || is_digit(ch);
}

static bool is_hex(uint8_t ch)
{
	return is_digit(ch) || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f');
}

static bool is_token(uint8_t ch)
{
	return is_alnum(ch) || (ch && strchr("-.!%*_+`'~", ch));
}

/* Call-ID words: token plus ( ) < > : \ " / [ ] ? { } */
static bool is_word(uint8_t ch)
{
	return is_token(ch) || (ch && strchr("()<>:\\\"/[]?{}", ch));
}

/* unreserved and reserved; '%' is checked as an escape */
static bool is_uric(uint8_t ch)
{
	return is_alnum(ch) || (ch && strchr("-_.!~*'();/?:@&=+$,[]", ch));
}

static bool is_scheme(uint8_t ch)
{
	return is_alnum(ch) || ch == '+' || ch == '-' || ch == '.';
}

static bool is_host(uint8_t ch)
{
	return is_alnum(ch) || ch == '-' || ch == '.';
}

/* unquoted gen-value: token or host, IPv6 references included */
static bool is_gval(uint8_t ch)
{
	return is_token(ch) || ch == '[' || ch == ']' || ch == ':';
}

/* In a delimited field, CR and LF are those of folds. */
static bool is_lws(uint8_t ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* ---- cursor ----------------------------------------------------------------- */

struct cur {
	const uint8_t *b;
	size_t p, e;
};

static bool more(const struct cur *c)
{
	return c->p < c->e;
}

static bool at(const struct cur *c, uint8_t ch)
{
	return c->p < c->e && c->b[c->p] == ch;
}

static size_t run(struct cur *c, bool (*cls)(uint8_t))
{
	size_t s = c->p;

	while (c->p < c->e && cls(c->b[c->p]))
		c->p++;
	return c->p - s;
}

static void lws(struct cur *c)
{
	run(c, is_lws);
}

static struct sipmsg_span span(size_t s, size_t e)
{
	return (struct sipmsg_span){ (uint32_t)s, (uint32_t)(e - s) };
}

static bool span_is(const uint8_t *b, struct sipmsg_span sp, const char *lit)
{
	size_t n = strlen(lit);

	return sp.len == n && !strncasecmp((const char *)b + sp.off, lit, n);
}

/* The first defect wins. */
static void fail(struct sipmsg *m, unsigned int status, const char *defect,
		 size_t off)
{
	if (m->status)
		return;
	m->status = status;
	m->defect = defect;
	m->err_off = (uint32_t)off;
}

/* ---- grammar pieces ----------------------------------------------------------- */

/* quoted-string, the cursor on its opening quote */
static bool quoted(struct cur *c)
{
	uint8_t ch;

	for (c->p++; c->p < c->e;) {
		ch = c->b[c->p++];
		if (ch == '"')
			return true;
		if (ch == '\\') {
			/* quoted-pair: any octet but CR and LF, NUL included */
			if (!more(c) || c->b[c->p] == '\r' || c->b[c->p] == '\n')
				return false;
			c->p++;
		} else if ((ch < 0x20 && !is_lws(ch)) || ch == 0x7f) {
			return false;
		}
	}
	return false;
}

/* 1*DIGIT, at most @max (leading zeros are fine, RFC 4475 3.1.1.1) */
static bool number(struct cur *c, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t s = c->p;

	while (more(c) && is_digit(c->b[c->p])) {
		v = v * 10 + (c->b[c->p++] - '0');
		if (v > max)
			return false;
	}
	*out = (uint32_t)v;
	return c->p > s;
}

/*
 * scheme ":" and URI characters or escapes up to the first other byte. In a
 * bare addr-spec (@bare) ";", "," and "?" end it (RFC 3261 20.10).
 */
static bool uri(struct cur *c, bool bare, struct sipmsg_span *scheme)
{
	size_t s = c->p, body;
	uint8_t ch;

	if (!more(c) || !is_alpha(c->b[c->p]))
		return false;
	run(c, is_scheme);
	if (!at(c, ':'))
		return false;
	*scheme = span(s, c->p);
	body = ++c->p;
	while (more(c)) {
		ch = c->b[c->p];
		if (ch == '%') {
			if (c->e - c->p < 3 || !is_hex(c->b[c->p + 1]) ||
			    !is_hex(c->b[c->p + 2]))
				return false;
			c->p += 3;
			continue;
		}
		if (!is_uric(ch) || (bare && (ch == ';' || ch == ',' || ch == '?')))
			break;
		c->p++;
	}
	return c->p > body;
}

/*
 * *(SEMI generic-param) up to the end or a comma; the value of the
 * parameter named @want (if any) goes to *@val, the whole ";name=value" of
 * @whole to *@wsp.
 */
struct want {
	const char *name;
	struct sipmsg_span *val;
	struct sipmsg_span *whole;
};

static bool params(struct cur *c, const struct want *w, size_t nw)
{
	struct sipmsg_span name, val;
	size_t s, i;

	for (;;) {
		lws(c);
		if (!more(c) || at(c, ','))
			return true;
		if (!at(c, ';'))
			return false;
		s = c->p++;
		lws(c);
		name.off = (uint32_t)c->p;
		name.len = (uint32_t)run(c, is_token);
		if (!name.len)
			return false;
		val = span(c->p, c->p);
		lws(c);
		if (at(c, '=')) {
			c->p++;
			lws(c);
			val.off = (uint32_t)c->p;
			if (at(c, '"')) {
				if (!quoted(c))
					return false;
			} else if (!run(c, is_gval)) {
				return false;
			}
			val.len = (uint32_t)(c->p - val.off);
		} else {
			/* the whitespace was not before an '=' */
			c->p = name.off + name.len;
		}
		for (i = 0; i < nw; i++) {
			if (!span_is(c->b, name, w[i].name))
				continue;
			if (w[i].val)
				*w[i].val = val;
			if (w[i].whole)
				*w[i].whole = span(s, c->p);
		}
	}
}

/* display-name: quoted-string or *(token LWS), before "<" */
static bool display_name(struct cur *c)
{
	if (at(c, '"')) {
		if (!quoted(c))
			return false;
		lws(c);
		return at(c, '<');
	}
	while (more(c) && !at(c, '<'))
		if (!run(c, is_token) && !run(c, is_lws))
			return false;
	return true;
}

/* Whether a "<" comes before the first ";" outside quotes: name-addr. */
static bool has_laquot(const struct cur *c)
{
	bool q = false;
	size_t i;

	for (i = c->p; i < c->e; i++) {
		if (q && c->b[i] == '\\')
			i++;
		else if (c->b[i] == '"')
			q = !q;
		else if (!q && c->b[i] == '<')
			return true;
		else if (!q && c->b[i] == ';')
			return false;
	}
	return false;
}

/* From and To: ( name-addr / addr-spec ) *( SEMI param ) */
static const char *addr(struct cur *c, struct sipmsg_addr *a, const char *bad)
{
	struct want tag = { "tag", &a->tag, NULL };
	struct sipmsg_span scheme;

	a->value = span(c->p, c->e);
	if (at(c, '"') || has_laquot(c)) {
		if (at(c, '"') && !quoted(c))
			return "unterminated_quote";
		c->p = a->value.off;
		if (!display_name(c))
			return bad;
		c->p++;
		/* no LWS inside the brackets (RFC 4475 3.1.2.14) */
		if (!uri(c, false, &scheme) || !at(c, '>'))
			return bad;
		c->p++;
	} else if (!uri(c, true, &scheme)) {
		return bad;
	}
	if (!params(c, &tag, 1) || more(c))
		return bad;
	return NULL;
}

/* sent-protocol LWS sent-by *( SEMI via-params ), up to a comma */
static bool via_hop(struct cur *c, struct sipmsg_via *v)
{
	struct want w[] = {
		{ "branch", v ? &v->branch : NULL, NULL },
		{ "received", v ? &v->received : NULL, NULL },
		{ "rport", NULL, v ? &v->rport : NULL },
	};
	struct sipmsg_span host;
	uint32_t port;
	int i;

	for (i = 0; i < 3; i++) {
		if (i) {
			lws(c);
			if (!at(c, '/'))
				return false;
			c->p++;
			lws(c);
		}
		if (!run(c, is_token))
			return false;
	}
	if (!run(c, is_lws))
		return false;
	host.off = (uint32_t)c->p;
	if (at(c, '[')) {
		c->p++;
		while (more(c) && (is_hex(c->b[c->p]) || c->b[c->p] == ':' ||
				   c->b[c->p] == '.'))
			c->p++;
		if (!at(c, ']'))
			return false;
		c->p++;
	} else if (!run(c, is_host)) {
		return false;
	}
	host.len = (uint32_t)(c->p - host.off);
	if (v)
		v->host = host;
	lws(c);
	if (at(c, ':')) {
		c->p++;
		lws(c);
		if (!number(c, 65535, &port))
			return false;
	}
	if (!params(c, w, 3))
		return false;
	if (v && v->rport.len)
		v->has_rport = true;
	return true;
}

static size_t trim_end(const uint8_t *b, size_t s, size_t e)
{
	while (e > s && is_lws(b[e - 1]))
		e--;
	return e;
}

/* One Via field: hops separated by commas, added to m->vias. */
static void via(struct sipmsg *m, struct cur *c)
{
	size_t s;
	bool ok;

	for (;;) {
		lws(c);
		s = c->p;
		ok = via_hop(c, m->n_vias ? NULL : &m->via);
		if (m->n_vias == SIPMSG_MAX_VIAS) {
			fail(m, 513, "too_many_vias", s);
			return;
		}
		if (!ok) {
			fail(m, 400, "bad_via", c->p);
			/* a broken top hop is still echoed, whole */
			if (!m->n_vias && m->via.host.len)
				m->vias[m->n_vias++] = span(s, c->e);
			return;
		}
		m->vias[m->n_vias++] = span(s, trim_end(c->b, s, c->p));
		if (!more(c))
			return;
		c->p++;			/* the comma */
	}
}

/* CSeq = 1*DIGIT LWS Method */
static void cseq(struct sipmsg *m, struct cur *c)
{
	size_t s;

	if (!number(c, 0x7fffffff, &m->cseq)) {
		fail(m, 400, more(c) && is_digit(c->b[c->p]) ? "bad_cseq_number" :
			     "bad_cseq", c->p);
		return;
	}
	if (!run(c, is_lws)) {
		fail(m, 400, "bad_cseq", c->p);
		return;
	}
	s = c->p;
	if (!run(c, is_token) || more(c)) {
		fail(m, 400, "bad_cseq", c->p);
		return;
	}
	m->cseq_method = span(s, c->p);
	m->has_cseq = true;
}

/* option-tag *(COMMA option-tag) */
static bool token_list(struct cur *c)
{
	for (;;) {
		lws(c);
		if (!run(c, is_token))
			return false;
		lws(c);
		if (!more(c))
			return true;
		if (!at(c, ','))
			return false;
		c->p++;
	}
}

static bool call_id(struct cur *c)
{
	if (!run(c, is_word))
		return false;
	if (at(c, '@')) {
		c->p++;
		if (!run(c, is_word))
			return false;
	}
	return !more(c);
}

/* ---- header fields -------------------------------------------------------------- */

enum hdr {
	H_OTHER,
	H_VIA,
	H_REQUIRE,
	/* single-valued from here on: repeated only with the same bytes */
	H_FROM,
	H_TO,
	H_CALL_ID,
	H_CSEQ,
	H_MAX_FORWARDS,
	H_CONTENT_LENGTH,
	H_CONTENT_TYPE,
	H_EXPIRES,
	H_NR
};

#define H_SINGLE H_FROM

static const struct {
	const char *name;
	char compact;
	enum hdr h;
} hdr_names[] = {
	{ "via", 'v', H_VIA },
	{ "require", 0, H_REQUIRE },
	{ "from", 'f', H_FROM },
	{ "to", 't', H_TO },
	{ "call-id", 'i', H_CALL_ID },
	{ "cseq", 0, H_CSEQ },
	{ "max-forwards", 0, H_MAX_FORWARDS },
	{ "content-length", 'l', H_CONTENT_LENGTH },
	{ "content-type", 'c', H_CONTENT_TYPE },
	{ "expires", 0, H_EXPIRES },
};

static enum hdr hdr_id(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(hdr_names) / sizeof(hdr_names[0]); i++) {
		if (n == 1 && (s[0] | 0x20) == hdr_names[i].compact)
			return hdr_names[i].h;
		if (n == strlen(hdr_names[i].name) &&
		    !strncasecmp((const char *)s, hdr_names[i].name, n))
			return hdr_names[i].h;
	}
	return H_OTHER;
}

static void field(struct sipmsg *m, enum hdr h, struct cur *c)
{
	const char *bad;
	uint32_t n;

	switch (h) {
	case H_VIA:
		via(m, c);
		return;
	case H_FROM:
	case H_TO:
		bad = addr(c, h == H_FROM ? &m->from : &m->to,
			   h == H_FROM ? "bad_from" : "bad_to");
		if (bad)
			fail(m, 400, bad, c->p);
		return;
	case H_CALL_ID:
		m->call_id = span(c->p, c->e);
		if (!call_id(c))
			fail(m, 400, "bad_call_id", c->p);
		return;
	case H_CSEQ:
		m->cseq_value = span(c->p, c->e);
		cseq(m, c);
		return;
	case H_MAX_FORWARDS:
		if (!number(c, 255, &n) || more(c))
			fail(m, 400, "bad_max_forwards", c->p);
		return;
	case H_CONTENT_LENGTH:
		m->has_content_length = true;
		if (!number(c, 0xffffffff, &m->content_length) || more(c))
			fail(m, 400, "bad_content_length", c->p);
		return;
	case H_REQUIRE:
		if (m->n_require == SIPMSG_MAX_REQUIRE) {
			fail(m, 513, "too_many_require", c->p);
			return;
		}
		m->require[m->n_require++] = span(c->p, c->e);
		if (!token_list(c))
			fail(m, 400, "bad_require", c->p);
		return;
	default:
		/* unknown fields are skipped, but never carry a NUL */
		if (memchr(c->b + c->p, 0, c->e - c->p))
			fail(m, 400, "nul_byte", c->p);
		return;
	}
}

/*
 * The end of the field at p: *eol is the CR of its last CRLF, folds
 * included. A CR or LF alone is refused: a lenient reader would take it
 * for a line end in the fields we echo.
 */
static bool field_end(const uint8_t *b, size_t len, size_t p, size_t *eol)
{
	const uint8_t *nl;
	size_t q = p, i;

	while (q < len) {
		nl = memchr(b + q, '\n', len - q);
		if (!nl)
			return false;
		i = nl - b;
		if (i == 0 || b[i - 1] != '\r' ||
		    (i - 1 > q && memchr(b + q, '\r', i - 1 - q)))
			return false;
		if (i + 1 < len && (b[i + 1] == ' ' || b[i + 1] == '\t')) {
			q = i + 1;
			continue;
		}
		*eol = i - 1;
		return true;
	}
	return false;
}

/* Every header field; sets m->body_off at the empty line. */
static void headers(struct sipmsg *m, const uint8_t *b, size_t len, size_t p)
{
	struct sipmsg_span first[H_NR - H_SINGLE], *f;
	uint32_t seen = 0;
	struct cur c;
	size_t eol, ns;
	enum hdr h;

	for (;;) {
		if (p + 1 < len && b[p] == '\r' && b[p + 1] == '\n') {
			m->body_off = (uint32_t)(p + 2);
			return;
		}
		if (p >= len || !field_end(b, len, p, &eol)) {
			fail(m, 400, p >= len ? "truncated" : "bad_line_ending", p);
			return;
		}
		if (m->n_headers++ == SIPMSG_MAX_HEADERS) {
			fail(m, 513, "too_many_headers", p);
			return;
		}
		c = (struct cur){ b, p, eol };
		p = eol + 2;
		/* field-name *(SP / HT) ":" */
		ns = c.p;
		if (!run(&c, is_token)) {
			fail(m, 400, "bad_header", c.p);
			continue;
		}
		h = hdr_id(b + ns, c.p - ns);
		while (at(&c, ' ') || at(&c, '\t'))
			c.p++;
		if (!at(&c, ':')) {
			fail(m, 400, "bad_header", c.p);
			continue;
		}
		c.p++;
		lws(&c);
		c.e = trim_end(b, c.p, c.e);
		if (h >= H_SINGLE) {
			f = &first[h - H_SINGLE];
			if (seen & (1U << h)) {
				if (f->len != c.e - c.p ||
				    memcmp(b + f->off, b + c.p, f->len))
					fail(m, 400, "duplicate_header", c.p);
				continue;
			}
			*f = span(c.p, c.e);
		}
		seen |= 1U << h;
		field(m, h, &c);
	}
}

static const char * const known_methods[] = {
	"INVITE", "BYE", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO",
	"REFER", "MESSAGE", "UPDATE",
};

/* Case-sensitive (RFC 3261 7.1); RFC 4475 3.1.1.5: RE%47IST%45R is unknown. */
static enum sipmsg_method method_id(const uint8_t *b, struct sipmsg_span sp)
{
	static const struct {
		const char *name;
		enum sipmsg_method id;
	} ours[] = {
		{ "REGISTER", SIPMSG_REGISTER },
		{ "OPTIONS", SIPMSG_OPTIONS },
		{ "ACK", SIPMSG_ACK },
		{ "CANCEL", SIPMSG_CANCEL },
	};
	size_t i;

	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (sp.len == strlen(ours[i].name) &&
		    !memcmp(b + sp.off, ours[i].name, sp.len))
			return ours[i].id;
	for (i = 0; i < sizeof(known_methods) / sizeof(known_methods[0]); i++)
		if (sp.len == strlen(known_methods[i]) &&
		    !memcmp(b + sp.off, known_methods[i], sp.len))
			return SIPMSG_OTHER_KNOWN;
	return SIPMSG_UNKNOWN;
}

/*
 * The Request-URI: any absoluteURI is well-formed (its scheme decides 416
 * later); a sip: or sips: one carries no headers (RFC 3261 19.1.5), so a
 * "?" after the user part is refused.
 */
static bool request_uri(struct sipmsg *m, const uint8_t *b)
{
	struct cur c = { b, m->ruri.off, m->ruri.off + m->ruri.len };
	const uint8_t *at_sign;
	size_t hp;

	if (!uri(&c, false, &m->scheme) || more(&c))
		return false;
	m->sip_uri = span_is(b, m->scheme, "sip") || span_is(b, m->scheme, "sips");
	if (!m->sip_uri)
		return true;
	hp = m->scheme.off + m->scheme.len + 1;
	at_sign = memrchr(b + hp, '@', c.e - hp);
	if (at_sign)
		hp = at_sign - b + 1;
	return hp < c.e && !memchr(b + hp, '?', c.e - hp);
}

/* Method SP Request-URI SP SIP-Version CRLF; returns the first header. */
static size_t request_line(struct sipmsg *m, const uint8_t *b, size_t len)
{
	const uint8_t *nl = memchr(b, '\n', len);
	struct cur c = { b, 0, nl ? (size_t)(nl - b) : len };
	size_t s;

	if (!nl || c.e == 0 || b[c.e - 1] != '\r') {
		fail(m, 400, nl ? "bad_line_ending" : "truncated", c.e);
		return len;
	}
	c.e--;
	m->method = span(0, run(&c, is_token));
	m->method_id = method_id(b, m->method);
	if (!m->method.len || !at(&c, ' ')) {
		fail(m, 400, "bad_request_line", c.p);
		return c.e + 2;
	}
	s = ++c.p;
	while (more(&c) && b[c.p] > ' ' && b[c.p] != 0x7f)
		c.p++;
	m->ruri = span(s, c.p);
	if (!m->ruri.len || !at(&c, ' ')) {
		fail(m, 400, "bad_request_line", c.p);
		return c.e + 2;
	}
	s = ++c.p;
	if (c.e - s == 7 && !strncasecmp((const char *)b + s, "SIP/2.0", 7)) {
		/* fine */
	} else if (c.e - s > 4 && !strncasecmp((const char *)b + s, "SIP/", 4) &&
		   !memchr(b + s, ' ', c.e - s)) {
		fail(m, 505, "bad_version", s);
	} else {
		fail(m, 400, "bad_request_line", s);
	}
	if (!request_uri(m, b))
		fail(m, 400, "bad_uri", m->ruri.off);
	return c.e + 2;
}

unsigned int sipmsg_parse(const uint8_t *buf, size_t len, struct sipmsg *m)
{
	size_t p;

	memset(m, 0, sizeof(*m));
	m->defect = "";
	if (len >= 4 && !strncasecmp((const char *)buf, "SIP/", 4)) {
		m->response = true;
		return 0;
	}
	if (len > SIPMSG_MAX_LEN) {
		fail(m, 513, "too_large", SIPMSG_MAX_LEN);
		len = SIPMSG_MAX_LEN;
	}
	p = request_line(m, buf, len);
	if (p < len)
		headers(m, buf, len, p);
	if (!m->n_vias)
		fail(m, 400, "missing_via", 0);
	if (!m->from.value.len)
		fail(m, 400, "missing_from", 0);
	if (!m->to.value.len)
		fail(m, 400, "missing_to", 0);
	if (!m->call_id.len)
		fail(m, 400, "missing_call_id", 0);
	if (!m->cseq_value.len)
		fail(m, 400, "missing_cseq", 0);
	if (m->has_cseq && (m->cseq_method.len != m->method.len ||
			    memcmp(buf + m->cseq_method.off, buf + m->method.off,
				   m->method.len)))
		fail(m, 400, "cseq_method_mismatch", m->cseq_method.off);
	if (m->body_off) {
		if (!m->has_content_length)
			m->content_length = (uint32_t)(len - m->body_off);
		else if (m->content_length > len - m->body_off)
			/* UDP: RFC 3261 18.3, RFC 4475 3.1.2.2 */
			fail(m, 400, "content_length_mismatch", m->body_off);
	}
	return m->status;
}

bool sipmsg_answerable(const struct sipmsg *m)
{
	return !m->response && m->n_vias && m->via.host.len &&
	       m->cseq_value.len;
}

size_t sipmsg_unsupported(const uint8_t *buf, const struct sipmsg *m,
			  bool (*supported)(const uint8_t *tag, size_t n),
			  char *out, size_t size)
{
	struct cur c;
	size_t n = 0, i, s;

	if (size)
		out[0] = 0;
	for (i = 0; i < m->n_require; i++) {
		c = (struct cur){ buf, m->require[i].off,
				  m->require[i].off + m->require[i].len };
		while (more(&c)) {
			lws(&c);
			s = c.p;
			if (!run(&c, is_token))
				break;
			if (!supported(buf + s, c.p - s) &&
			    n + (c.p - s) + 3 < size)
				n += snprintf(out + n, size - n, "%s%.*s",
					      n ? ", " : "", (int)(c.p - s),
					      buf + s);
			lws(&c);
			if (at(&c, ','))
				c.p++;
		}
	}
	return n;
}
