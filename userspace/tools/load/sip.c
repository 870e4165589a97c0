// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load: building REGISTERs and scanning the responses to them.
 * Everything here runs once per request in the hot path, so requests are
 * assembled with memcpy rather than snprintf and responses are scanned in
 * one pass without copies.
 */
#include <strings.h>

#include "sip.h"
#include "digest.h"
#include "hex.h"

/* ---- building ------------------------------------------------------------ */

struct out {
	char *p;
	size_t len;
	size_t cap;
	bool over;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->over || n > o->cap - o->len) {
		o->over = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

#define PUT(o, lit)	put(o, lit, sizeof(lit) - 1)

static void put_str(struct out *o, struct lg_str s)
{
	put(o, s.p, s.len);
}

static void put_u32(struct out *o, u32 v)
{
	char b[10];
	int i = sizeof(b);

	do {
		b[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	put(o, b + i, sizeof(b) - i);
}

static const char hexd[] = "0123456789abcdef";

/* Fixed width when width > 0, else the shortest form. */
static void put_hex(struct out *o, u64 v, int width)
{
	char b[16];
	int i = sizeof(b);

	do {
		b[--i] = hexd[v & 15];
		v >>= 4;
	} while ((v || (int)sizeof(b) - i < width) && i > 0);
	put(o, b + i, sizeof(b) - i);
}

static void put_ids(struct out *o, u32 a, u32 b, u32 c, u32 d)
{
	put_hex(o, a, 0);
	PUT(o, "-");
	put_hex(o, b, 0);
	PUT(o, "-");
	put_hex(o, c, 0);
	PUT(o, "-");
	put_hex(o, d, 0);
}

static void put_call_id(struct out *o, const struct lg_ids *ids)
{
	put_ids(o, ids->run, ids->thread, ids->ua, ids->gen);
	PUT(o, "@sipreg-load");
}

size_t lg_sip_call_id(char *out, size_t cap, const struct lg_ids *ids)
{
	struct out o = { out, 0, cap, false };

	put_call_id(&o, ids);
	return o.over ? 0 : o.len;
}

static void put_contact_uri(struct out *o, struct lg_str user,
			    struct lg_str host, u16 port)
{
	PUT(o, "sip:");
	put_str(o, user);
	PUT(o, "@");
	put_str(o, host);
	PUT(o, ":");
	put_u32(o, port);
}

size_t lg_sip_contact_uri(char *out, size_t cap, struct lg_str user,
			  struct lg_str host, u16 port)
{
	struct out o = { out, 0, cap, false };

	put_contact_uri(&o, user, host, port);
	return o.over ? 0 : o.len;
}

/* A span of what was just written, for the digest computation. */
static struct sipreg_digest_str since(const struct out *o, size_t start)
{
	return (struct sipreg_digest_str){ (const u8 *)o->p + start,
					   o->len - start };
}

/*
 * The Authorization field. The response comes last so that every input of
 * the digest (uri, nc, cnonce) is already in the buffer and can be hashed
 * from there.
 */
static bool put_auth(struct out *o, const struct lg_req *q)
{
	const struct lg_cred *c = q->cred;
	struct sipreg_digest_req d = {
		.alg = c->alg,
		.method = { (const u8 *)"REGISTER", 8 },
		.nonce = { (const u8 *)c->nonce.p, c->nonce.len },
	};
	u8 resp[SIPREG_HASH_MAX];
	size_t at;

	PUT(o, "Authorization: Digest username=\"");
	put_str(o, c->user);
	PUT(o, "\", realm=\"");
	put_str(o, c->realm);
	PUT(o, "\", nonce=\"");
	put_str(o, c->nonce);
	PUT(o, "\", uri=\"");
	at = o->len;
	PUT(o, "sip:");
	put_str(o, q->domain);
	d.uri = since(o, at);
	PUT(o, "\", algorithm=");
	if (c->alg == SIPREG_ALG_SHA256)
		PUT(o, "SHA-256");
	else
		PUT(o, "MD5");
	if (c->qop) {
		d.qop = (struct sipreg_digest_str){ (const u8 *)"auth", 4 };
		PUT(o, ", qop=auth, nc=");
		at = o->len;
		put_hex(o, c->nc, 8);
		d.nc = since(o, at);
		PUT(o, ", cnonce=\"");
		at = o->len;
		put_hex(o, c->cnonce, 16);
		d.cnonce = since(o, at);
		PUT(o, "\"");
	}
	if (c->opaque.len) {
		PUT(o, ", opaque=\"");
		put_str(o, c->opaque);
		PUT(o, "\"");
	}
	if (o->over || sipreg_digest_response(&d, c->ha1, sipreg_hash_len(c->alg),
					      resp) != SIPREG_DIGEST_OK)
		return false;
	PUT(o, ", response=\"");
	if (!o->over && o->cap - o->len >= 2 * sipreg_hash_len(c->alg)) {
		sipreg_digest_hex(resp, sipreg_hash_len(c->alg), o->p + o->len);
		o->len += 2 * sipreg_hash_len(c->alg);
	} else {
		o->over = true;
	}
	PUT(o, "\"\r\n");
	return true;
}

size_t lg_sip_build(char *out, size_t cap, const struct lg_req *q)
{
	struct out o = { out, 0, cap, false };
	const struct lg_ids *ids = &q->ids;

	PUT(&o, "REGISTER sip:");
	put_str(&o, q->domain);
	PUT(&o, " SIP/2.0\r\nVia: SIP/2.0/");
	if (q->transport.len)
		put_str(&o, q->transport);
	else
		PUT(&o, "UDP");
	PUT(&o, " ");
	put_str(&o, q->host);
	PUT(&o, ":");
	put_u32(&o, q->port);
	PUT(&o, ";branch=z9hG4bK-");
	put_ids(&o, ids->run, ids->thread, ids->ua, ids->txn);
	PUT(&o, ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:");
	put_str(&o, q->user);
	PUT(&o, "@");
	put_str(&o, q->domain);
	PUT(&o, ">;tag=");
	put_ids(&o, ids->run, ids->thread, ids->ua, ids->gen);
	PUT(&o, "\r\nTo: <sip:");
	put_str(&o, q->user);
	PUT(&o, "@");
	put_str(&o, q->domain);
	PUT(&o, ">\r\nCall-ID: ");
	put_call_id(&o, ids);
	PUT(&o, "\r\nCSeq: ");
	put_u32(&o, q->cseq);
	PUT(&o, " REGISTER\r\nContact: <");
	put_contact_uri(&o, q->user, q->host, q->port);
	PUT(&o, ">\r\nExpires: ");
	put_u32(&o, q->expires);
	PUT(&o, "\r\n");
	if (q->cred && !put_auth(&o, q))
		return 0;
	PUT(&o, "User-Agent: sipreg-load\r\nContent-Length: 0\r\n\r\n");
	return o.over ? 0 : o.len;
}

/* One hex field of at most 8 digits ending at a '-' or at end. */
static bool hex_field(const char **p, const char *end, u32 *v, bool last)
{
	int n = 0;

	*v = 0;
	while (*p < end && hex_digit(**p) >= 0 && n < 8) {
		*v = *v << 4 | hex_digit(**p);
		(*p)++;
		n++;
	}
	if (!n)
		return false;
	if (last)
		return *p == end;
	if (*p == end || **p != '-')
		return false;
	(*p)++;
	return true;
}

bool lg_sip_branch_ids(struct lg_str branch, struct lg_ids *ids)
{
	static const char magic[] = "z9hG4bK-";
	const char *p = branch.p, *end = branch.p + branch.len;

	if (branch.len < sizeof(magic) - 1 ||
	    memcmp(p, magic, sizeof(magic) - 1))
		return false;
	p += sizeof(magic) - 1;
	ids->gen = 0;
	return hex_field(&p, end, &ids->run, false) &&
	       hex_field(&p, end, &ids->thread, false) &&
	       hex_field(&p, end, &ids->ua, false) &&
	       hex_field(&p, end, &ids->txn, true);
}

/* ---- scanning ------------------------------------------------------------ */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_token(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("-.!%*_+`'~", c));
}

static struct lg_str trim(const char *p, const char *end)
{
	while (p < end && is_ws(*p))
		p++;
	while (end > p && is_ws(end[-1]))
		end--;
	return (struct lg_str){ p, (size_t)(end - p) };
}

static bool str_ieq(struct lg_str s, const char *lit)
{
	return s.len == strlen(lit) && !strncasecmp(s.p, lit, s.len);
}

/* Bounded decimal: at most 10 digits and no more than UINT32_MAX. */
static bool parse_u32(struct lg_str s, u32 *v)
{
	u64 x = 0;
	size_t i;

	if (!s.len || s.len > 10)
		return false;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		x = x * 10 + (s.p[i] - '0');
	}
	if (x > UINT32_MAX)
		return false;
	*v = x;
	return true;
}

/* The closing quote of the string opened at p, or NULL if unterminated. */
static const char *close_quote(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		else if (*p == '"')
			return p;
	}
	return NULL;
}

static const char *skip_quoted(const char *p, const char *end)
{
	const char *q = close_quote(p, end);

	return q ? q + 1 : end;
}

/* The first of c outside quotes and <>, or end. */
static const char *find_outside(const char *p, const char *end, char c)
{
	bool angle = false;

	while (p < end) {
		if (*p == '"') {
			p = skip_quoted(p, end);
			continue;
		}
		if (*p == c && !angle)
			return p;
		if (*p == '<')
			angle = true;
		else if (*p == '>')
			angle = false;
		p++;
	}
	return end;
}

/*
 * Next ";name[=value]" of a parameter list in [*p, end); *p is left after
 * it. Values keep their quotes: callers here need tokens only.
 */
static bool next_param(const char **p, const char *end, struct lg_str *name,
		       struct lg_str *value)
{
	const char *s, *e, *eq;

	while (*p < end && (**p == ';' || is_ws(**p)))
		(*p)++;
	if (*p >= end)
		return false;
	s = *p;
	e = find_outside(s, end, ';');
	eq = memchr(s, '=', e - s);
	*name = trim(s, eq ? eq : e);
	*value = eq ? trim(eq + 1, e) : (struct lg_str){ e, 0 };
	*p = e;
	return true;
}

static bool find_param(const char *p, const char *end, const char *want,
		       struct lg_str *value)
{
	struct lg_str name;

	while (next_param(&p, end, &name, value))
		if (str_ieq(name, want))
			return true;
	return false;
}

static void scan_via(struct lg_resp *r, struct lg_str v)
{
	const char *end = find_outside(v.p, v.p + v.len, ',');
	const char *semi = memchr(v.p, ';', end - v.p);

	if (semi)
		find_param(semi, end, "branch", &r->branch);
}

/*
 * Only our own requests come back, so the first Via field, unfolded, is
 * enough; anything else is not an echo of ours.
 */
int lg_sip_echo_branch(const char *buf, size_t len, struct lg_str *branch)
{
	static const char via[] = "\r\nVia:";
	const char *end = buf + len, *p, *eol, *semi;

	if (len < 9 || memcmp(buf, "REGISTER ", 9))
		return -1;
	p = memmem(buf, len, via, sizeof(via) - 1);
	if (!p)
		return -1;
	p += sizeof(via) - 1;
	eol = memchr(p, '\r', end - p);
	if (!eol)
		return -1;
	semi = memchr(p, ';', eol - p);
	if (!semi || !find_param(semi, eol, "branch", branch) || !branch->len)
		return -1;
	return 0;
}

static int scan_cseq(struct lg_resp *r, struct lg_str v)
{
	const char *sp = v.p;

	while (sp < v.p + v.len && !is_ws(*sp))
		sp++;
	if (!parse_u32((struct lg_str){ v.p, (size_t)(sp - v.p) }, &r->cseq))
		return -1;
	r->cseq_method = trim(sp, v.p + v.len);
	return 0;
}

/*
 * Retry-After = delta-seconds [ comment ] *( SEMI retry-param ): only the
 * number matters to a UA told to come back later (RFC 3261 20.33).
 */
static void scan_retry_after(struct lg_resp *r, struct lg_str v)
{
	const char *e = v.p;
	u32 secs;

	while (e < v.p + v.len && *e >= '0' && *e <= '9')
		e++;
	if (parse_u32((struct lg_str){ v.p, (size_t)(e - v.p) }, &secs))
		r->retry_after = secs;
}

/* Header parameters start after the name-addr's '>' or at the first ';'. */
static void scan_to(struct lg_resp *r, struct lg_str v)
{
	const char *end = v.p + v.len;
	const char *lt = find_outside(v.p, end, '<');
	const char *params = v.p;
	struct lg_str tag;

	if (lt < end) {
		params = memchr(lt, '>', end - lt);
		if (!params)
			return;
	}
	params = memchr(params, ';', end - params);
	if (params && find_param(params, end, "tag", &tag) && tag.len)
		r->to_tag = true;
}

/* A token or quoted-string value at *p; quotes are stripped. */
static struct lg_str auth_value(const char **p, const char *end)
{
	const char *s = *p;

	if (s < end && *s == '"') {
		const char *q = close_quote(s, end);

		*p = q ? q + 1 : end;
		return (struct lg_str){ s + 1, (size_t)((q ? q : end) - s - 1) };
	}
	while (*p < end && **p != ',' && !is_ws(**p))
		(*p)++;
	return (struct lg_str){ s, (size_t)(*p - s) };
}

static bool list_has(struct lg_str list, const char *tok)
{
	const char *p = list.p, *end = list.p + list.len;

	while (p < end) {
		const char *c = memchr(p, ',', end - p);

		if (!c)
			c = end;
		if (str_ieq(trim(p, c), tok))
			return true;
		p = c + 1;
	}
	return false;
}

static void chal_param(struct lg_chal *c, struct lg_str name,
		       struct lg_str val)
{
	if (str_ieq(name, "realm"))
		c->realm = val;
	else if (str_ieq(name, "nonce"))
		c->nonce = val;
	else if (str_ieq(name, "opaque"))
		c->opaque = val;
	else if (str_ieq(name, "algorithm"))
		c->algorithm = val;
	else if (str_ieq(name, "qop"))
		c->qop_auth = list_has(val, "auth");
	else if (str_ieq(name, "stale"))
		c->stale = str_ieq(val, "true");
}

/*
 * "Digest a=b, c="d", ..." — a token not followed by '=' starts a new
 * challenge, so several schemes in one field are told apart. Only Digest
 * challenges are kept.
 */
static void scan_www_auth(struct lg_resp *r, struct lg_str v)
{
	const char *p = v.p, *end = v.p + v.len;
	struct lg_chal *c = NULL;

	while (p < end) {
		struct lg_str name;
		const char *s;

		while (p < end && (*p == ',' || is_ws(*p)))
			p++;
		for (s = p; p < end && is_token(*p); p++)
			;
		name = (struct lg_str){ s, (size_t)(p - s) };
		if (!name.len)
			return;
		while (p < end && is_ws(*p))
			p++;
		if (p < end && *p == '=') {
			struct lg_str val;

			p++;
			while (p < end && is_ws(*p))
				p++;
			val = auth_value(&p, end);
			if (c)
				chal_param(c, name, val);
			continue;
		}
		c = NULL;
		if (str_ieq(name, "Digest") && r->n_chal < LG_MAX_CHAL)
			c = &r->chal[r->n_chal++];
	}
}

static int scan_header(struct lg_resp *r, struct lg_str name, struct lg_str v,
		       bool *seen_via, bool *seen_cseq)
{
	if (str_ieq(name, "via") || str_ieq(name, "v")) {
		if (!*seen_via)
			scan_via(r, v);
		*seen_via = true;
	} else if (str_ieq(name, "call-id") || str_ieq(name, "i")) {
		r->call_id = v;
	} else if (str_ieq(name, "cseq")) {
		*seen_cseq = true;
		return scan_cseq(r, v);
	} else if (str_ieq(name, "to") || str_ieq(name, "t")) {
		scan_to(r, v);
	} else if (str_ieq(name, "retry-after")) {
		scan_retry_after(r, v);
	} else if (str_ieq(name, "www-authenticate")) {
		scan_www_auth(r, v);
	} else if (str_ieq(name, "contact") || str_ieq(name, "m")) {
		if (r->n_contact < LG_MAX_CONTACT_FIELDS)
			r->contact[r->n_contact++] = v;
	}
	return 0;
}

/* "SIP/2.0 401 Unauthorized\r\n"; returns the start of the headers. */
static char *scan_status(char *p, char *end, struct lg_resp *r)
{
	char *eol = memchr(p, '\n', end - p);

	if (!eol || eol == p || eol[-1] != '\r' || eol - p < 12 ||
	    memcmp(p, "SIP/2.0 ", 8) || !is_ws(p[11]) ||
	    p[8] < '1' || p[8] > '6' || p[9] < '0' || p[9] > '9' ||
	    p[10] < '0' || p[10] > '9')
		return NULL;
	r->status = (p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0');
	return eol + 1;
}

/* End of the header field at p (its CRLF), unfolding continuations. */
static char *field_end(char *p, char *end)
{
	for (;;) {
		char *eol = memchr(p, '\n', end - p);

		if (!eol || eol == p || eol[-1] != '\r')
			return NULL;
		if (eol + 1 < end && is_ws(eol[1])) {
			eol[-1] = ' ';
			eol[0] = ' ';
			p = eol + 1;
			continue;
		}
		return eol - 1;
	}
}

int lg_sip_scan(char *buf, size_t len, struct lg_resp *r)
{
	char *p, *end = buf + len;
	bool seen_via = false, have_cseq = false;

	memset(r, 0, sizeof(*r));
	r->retry_after = -1;
	p = scan_status(buf, end, r);
	if (!p)
		return -1;
	while (p < end) {
		char *eol, *colon;

		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
			break;
		eol = field_end(p, end);
		if (!eol)
			return -1;
		colon = memchr(p, ':', eol - p);
		if (!colon)
			return -1;
		if (scan_header(r, trim(p, colon), trim(colon + 1, eol),
				&seen_via, &have_cseq))
			return -1;
		p = eol + 2;
	}
	if (p >= end || !seen_via || !r->call_id.len || !have_cseq)
		return -1;
	return 0;
}

/* ---- Contact ------------------------------------------------------------- */

/* One Contact entry: its URI and where its parameters are. */
static void contact_entry(const char *s, const char *e, struct lg_str *uri,
			  const char **params)
{
	const char *lt = find_outside(s, e, '<');

	if (lt < e) {
		const char *gt = memchr(lt, '>', e - lt);

		*uri = trim(lt + 1, gt ? gt : e);
		*params = gt ? gt + 1 : e;
		return;
	}
	*params = memchr(s, ';', e - s);
	if (!*params)
		*params = e;
	*uri = trim(s, *params);
}

bool lg_sip_contact(const struct lg_resp *r, struct lg_str uri, s64 *expires)
{
	unsigned int i;

	for (i = 0; i < r->n_contact; i++) {
		const char *p = r->contact[i].p;
		const char *end = p + r->contact[i].len;

		while (p < end) {
			const char *e = find_outside(p, end, ',');
			const char *params;
			struct lg_str u, v;
			u32 x;

			contact_entry(p, e, &u, &params);
			p = e + 1;
			if (u.len != uri.len || strncasecmp(u.p, uri.p, u.len))
				continue;
			*expires = -1;
			if (find_param(params, e, "expires", &v) &&
			    parse_u32(v, &x))
				*expires = x;
			return true;
		}
	}
	return false;
}

bool lg_sip_alg(struct lg_str s, enum sipreg_alg *alg)
{
	if (!s.len || str_ieq(s, "MD5")) {
		*alg = SIPREG_ALG_MD5;
		return true;
	}
	if (str_ieq(s, "SHA-256")) {
		*alg = SIPREG_ALG_SHA256;
		return true;
	}
	return false;
}
