// SPDX-License-Identifier: GPL-2.0
/*
 * SIP REGISTER parser (RFC 3261 grammar, the parts a registrar needs).
 *
 * One pass over a well-formed datagram: the value parsers find where each
 * field ends themselves, for no character class holds CR or LF and LWS is
 * skipped fold by fold (CRLF then SP or HT), so every scan stops at the CR
 * that ends a field's last line; headers() then checks that CRLF. Fields
 * kept whole (unknown ones, User-Agent, Path) are delimited eight bytes at
 * a time. Whatever that fast pass refuses is parsed again by the exact
 * pass, which delimits every field first (field_end()) and so decides the
 * verdict the way it always has. Every loop advances its cursor or counts
 * towards a SIPREG_MAX_* bound; nothing recurses.
 */
#include "parser.h"

/* Character classes. */
#define C_TOK	0x001	/* token */
#define C_WS	0x002	/* SP HT: folds (CRLF WSP) are skipped by lws() */
#define C_DIG	0x004
#define C_HEX	0x008
#define C_URI	0x010	/* may appear in a URI inside <> */
#define C_URIA	0x020	/* ... in a bare addr-spec: not ; , ? */
#define C_HOST	0x040	/* hostname or IPv4 */
#define C_QD	0x080	/* qdtext, minus the quote, backslash and folds */
#define C_WORD	0x100	/* Call-ID word */
#define C_ALPHA	0x200
#define C_SCH	0x400	/* URI scheme */
#define C_GVAL	0x800	/* unquoted gen-value: token, host, IPv6 */
#define C_LWS1	0x1000	/* SP HT CR: may begin LWS; never scanned for */

#define C_ALNUM	(C_TOK | C_URI | C_URIA | C_HOST | C_QD | C_WORD | C_SCH | \
		 C_GVAL)
#define C_MARK	(C_TOK | C_URI | C_URIA | C_QD | C_WORD | C_GVAL)

static const u16 cc[256] = {
	/*
	 * No class has CR or LF: every scan stops at them, so a field's value
	 * is parsed up to its line end without delimiting the field first.
	 */
	['\t'] = C_WS | C_QD | C_LWS1, [' '] = C_WS | C_QD | C_LWS1,
	['\r'] = C_LWS1,
	['!'] = C_MARK,
	['"'] = C_WORD,
	['#'] = C_QD,
	['$'] = C_URI | C_URIA | C_QD,
	['%'] = C_TOK | C_QD | C_WORD | C_GVAL,	/* URI escapes: uri() */
	['&'] = C_URI | C_URIA | C_QD,
	['\''] = C_MARK,
	['('] = C_URI | C_URIA | C_QD | C_WORD,
	[')'] = C_URI | C_URIA | C_QD | C_WORD,
	['*'] = C_MARK,
	['+'] = C_MARK | C_SCH,
	[','] = C_URI | C_QD,
	['-'] = C_MARK | C_HOST | C_SCH,
	['.'] = C_MARK | C_HOST | C_SCH,
	['/'] = C_URI | C_URIA | C_QD | C_WORD,
	['0' ... '9'] = C_ALNUM | C_DIG | C_HEX,
	[':'] = C_URI | C_URIA | C_QD | C_WORD | C_GVAL,
	[';'] = C_URI | C_QD,
	['<'] = C_QD | C_WORD,
	['='] = C_URI | C_URIA | C_QD,
	['>'] = C_QD | C_WORD,
	['?'] = C_URI | C_QD | C_WORD,
	['@'] = C_URI | C_URIA | C_QD,
	['A' ... 'F'] = C_ALNUM | C_ALPHA | C_HEX,
	['G' ... 'Z'] = C_ALNUM | C_ALPHA,
	['['] = C_URI | C_URIA | C_QD | C_WORD | C_GVAL,
	['\\'] = C_WORD,
	[']'] = C_URI | C_URIA | C_QD | C_WORD | C_GVAL,
	['^'] = C_QD,
	['_'] = C_MARK,
	['`'] = C_TOK | C_QD | C_WORD | C_GVAL,
	['a' ... 'f'] = C_ALNUM | C_ALPHA | C_HEX,
	['g' ... 'z'] = C_ALNUM | C_ALPHA,
	['{'] = C_QD | C_WORD,
	['|'] = C_QD,
	['}'] = C_QD | C_WORD,
	['~'] = C_MARK,
	[0x80 ... 0xff] = C_QD,
};

/* Stable names: they are counter names for users. The test checks all. */
static const char * const verdict_names[SIPREG_VERDICT_MAX] = {
	[SIPREG_OK]			= "ok",
	[SIPREG_NOT_REGISTER]		= "not_register",
	[SIPREG_RESPONSE]		= "response",
	[SIPREG_TOO_LARGE]		= "too_large",
	[SIPREG_TRUNCATED]		= "truncated",
	[SIPREG_NUL_BYTE]		= "nul_byte",
	[SIPREG_BAD_LINE_ENDING]	= "bad_line_ending",
	[SIPREG_BAD_REQUEST_LINE]	= "bad_request_line",
	[SIPREG_BAD_VERSION]		= "bad_version",
	[SIPREG_BAD_URI]		= "bad_uri",
	[SIPREG_BAD_URI_SCHEME]		= "bad_uri_scheme",
	[SIPREG_LINE_TOO_LONG]		= "line_too_long",
	[SIPREG_TOO_MANY_HEADERS]	= "too_many_headers",
	[SIPREG_TOO_MANY_VIAS]		= "too_many_vias",
	[SIPREG_TOO_MANY_CONTACTS]	= "too_many_contacts",
	[SIPREG_TOO_MANY_PARAMS]	= "too_many_params",
	[SIPREG_BAD_HEADER]		= "bad_header",
	[SIPREG_BAD_VIA]		= "bad_via",
	[SIPREG_BAD_FROM]		= "bad_from",
	[SIPREG_BAD_TO]			= "bad_to",
	[SIPREG_BAD_CALL_ID]		= "bad_call_id",
	[SIPREG_BAD_CSEQ]		= "bad_cseq",
	[SIPREG_CSEQ_METHOD_MISMATCH]	= "cseq_method_mismatch",
	[SIPREG_BAD_CONTACT]		= "bad_contact",
	[SIPREG_BAD_AUTH]		= "bad_auth",
	[SIPREG_BAD_NUMBER]		= "bad_number",
	[SIPREG_UNTERMINATED_QUOTE]	= "unterminated_quote",
	[SIPREG_DUPLICATE_HEADER]	= "duplicate_header",
	[SIPREG_CONTENT_LENGTH_MISMATCH] = "content_length_mismatch",
	[SIPREG_MISSING_VIA]		= "missing_via",
	[SIPREG_MISSING_FROM]		= "missing_from",
	[SIPREG_MISSING_TO]		= "missing_to",
	[SIPREG_MISSING_CALL_ID]	= "missing_call_id",
	[SIPREG_MISSING_CSEQ]		= "missing_cseq",
};

const char *sipreg_verdict_name(enum sipreg_verdict v)
{
	if ((unsigned int)v >= SIPREG_VERDICT_MAX || !verdict_names[v])
		return "unknown";
	return verdict_names[v];
}

/* A cursor over [p, e) of the datagram b. */
struct cur {
	const u8 *b;
	unsigned int p;
	unsigned int e;
};

static inline bool is(u8 ch, u16 cls)
{
	return cc[ch] & cls;
}

static inline u8 lc(u8 ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

static inline struct sipreg_span span(unsigned int s, unsigned int e)
{
	struct sipreg_span sp = { .off = s, .len = e - s };

	return sp;
}

static inline bool more(const struct cur *c)
{
	return c->p < c->e;
}

static inline bool peek(const struct cur *c, u8 ch)
{
	return c->p < c->e && c->b[c->p] == ch;
}

static inline bool eat(struct cur *c, u8 ch)
{
	if (!peek(c, ch))
		return false;
	c->p++;
	return true;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* The first byte in [q, e) not of cls, or e: the hottest loop. */
static __always_inline const u8 *scan_more(const u8 *q, const u8 *e, u16 cls)
{
	while (e - q >= 4) {
		if (!is(q[0], cls))
			return q;
		if (!is(q[1], cls))
			return q + 1;
		if (!is(q[2], cls))
			return q + 2;
		if (!is(q[3], cls))
			return q + 3;
		q += 4;
	}
	while (q < e && is(*q, cls))
		q++;
	return q;
}

/* The same; most runs are empty (whitespace), so that is tested first. */
static __always_inline const u8 *scan(const u8 *q, const u8 *e, u16 cls)
{
	if (q >= e || !is(*q, cls))
		return q;
	return scan_more(q + 1, e, cls);
}

/* Skips characters of cls, returns how many. */
static inline unsigned int run(struct cur *c, u16 cls)
{
	const u8 *s = c->b + c->p, *e = c->b + c->e, *q;

	if (s >= e || !is(*s, cls))
		return 0;
	q = scan_more(s + 1, e, cls);
	c->p += q - s;
	return q - s;
}

/* What trims a delimited field: SP, HT and the CR and LF of folds. */
static inline bool is_lws(u8 ch)
{
	return is(ch, C_WS) || ch == '\r' || ch == '\n';
}

/*
 * A fold: CRLF and the SP or HT that makes the next line continue this
 * one. Most CRs end a line whose successor begins with a letter: that
 * byte is tested first.
 */
static inline bool fold(const u8 *q, const u8 *e)
{
	return e - q >= 3 && is(q[2], C_WS) && q[0] == '\r' && q[1] == '\n';
}

/* LWS: the first byte in [q, e) past SP, HT and folds. */
static __always_inline const u8 *lws_scan(const u8 *q, const u8 *e)
{
	for (;;) {
		/* runs of SP and HT are short: no unrolled scan() */
		while (q < e && is(*q, C_WS))
			q++;
		if (q >= e || *q != '\r' || !fold(q, e))
			return q;
		q += 3;
	}
}

/* Most LWS is empty: one test of the byte at the cursor decides that. */
static __always_inline void sws(struct cur *c)
{
	if (c->p < c->e && is(c->b[c->p], C_LWS1))
		c->p = lws_scan(c->b + c->p, c->b + c->e) - c->b;
}

/* sws() that must skip something. */
static __always_inline bool lws(struct cur *c)
{
	unsigned int s = c->p;

	sws(c);
	return c->p != s;
}

/*
 * Whether only LWS is left of the value, the cursor unmoved. A field
 * delimited by field_end() and trimmed ends at c->e; one parsed before it
 * was delimited ends at its line's CR, which no scan passes but in a fold
 * (headers() checks the CRLF). Inside a delimited field every CR begins a
 * fold, so the two never disagree.
 */
static __always_inline bool at_end(const struct cur *c)
{
	const u8 *q = c->b + c->p, *e = c->b + c->e;

	if (q >= e)
		return true;
	if (!is(*q, C_LWS1))
		return false;
	if (*q != '\r' || fold(q, e))
		q = lws_scan(q, e);
	return q >= e || *q == '\r';
}

/* Case-insensitive comparison of n bytes with a lower-case literal. */
static bool ieq(const u8 *s, unsigned int n, const char *lit, unsigned int ln)
{
	unsigned int i;

	if (n != ln)
		return false;
	for (i = 0; i < n; i++)
		if (lc(s[i]) != (u8)lit[i])
			return false;
	return true;
}

static inline bool tokeq(const u8 *s, unsigned int n, const char *lit,
			 unsigned int ln);

static inline bool ieq_span(const u8 *b, struct sipreg_span sp,
			    const char *lit, unsigned int ln)
{
	return tokeq(b + sp.off, sp.len, lit, ln);
}

#define IEQ(b, sp, lit) ieq_span(b, sp, lit, sizeof(lit) - 1)

/*
 * ieq() for a token (checked) against a literal of lower-case letters,
 * digits, '-', '.' and '+', at most 16 bytes: a word at a time. For token
 * characters, c | 0x20 equals such a literal character only where lc(c)
 * does ('_' becomes DEL, which no literal has).
 */
static inline bool tokeq(const u8 *s, unsigned int n, const char *lit,
			 unsigned int ln)
{
	const u64 m8 = 0x2020202020202020ULL;
	const u32 m4 = 0x20202020;
	const u16 m2 = 0x2020;
	u64 a, b;
	u32 x, y;
	u16 h, k;

	if (n != ln)
		return false;
	if (ln > 16)
		return ieq(s, n, lit, ln);
	/* branch on ln, the constant, so that the literal loads fold */
	if (ln >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, lit, 8);
		if ((a | m8) != b)
			return false;
		memcpy(&a, s + ln - 8, 8);
		memcpy(&b, lit + ln - 8, 8);
		return (a | m8) == b;
	}
	if (ln >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, lit, 4);
		if ((x | m4) != y)
			return false;
		memcpy(&x, s + ln - 4, 4);
		memcpy(&y, lit + ln - 4, 4);
		return (x | m4) == y;
	}
	if (ln >= 2) {
		memcpy(&h, s, 2);
		memcpy(&k, lit, 2);
		if ((h | m2) != k)
			return false;
		return ln == 2 || (s[2] | 0x20) == (u8)lit[2];
	}
	return !ln || (s[0] | 0x20) == (u8)lit[0];
}

#define TOKEQ(s, n, lit) tokeq(s, n, lit, sizeof(lit) - 1)

/*
 * Whether the word w begins with lit (n bytes, at most 8), letters in any
 * case: the common forms of field names and of "SIP/2.0/" are matched so.
 * lit is lower-case letters and other characters below 0x40 ('-', ':',
 * '/', '.', digits); only a letter has bit 6 set, so (l & 0x40) >> 1 is
 * the case bit exactly where lit has a letter. Constants fold at compile
 * time (lit is a literal).
 */
static __always_inline bool word_is(u64 w, const char *lit, unsigned int n)
{
	u64 keep = 0, l = 0;

	n = n < 8 ? n : 8;
	memset(&keep, 0xff, n);	/* the first n bytes, either byte order */
	memcpy(&l, lit, n);
	return ((w | ((l & 0x4040404040404040ULL) >> 1)) & keep) == l;
}

/* The n bytes at s (at most 8, all readable) are lit, letters in any case. */
static __always_inline bool ci_is(const u8 *s, const char *lit,
				  unsigned int n)
{
	u64 w = 0;

	memcpy(&w, s, n);
	return word_is(w, lit, n);
}

#define CI_IS(s, lit) ci_is(s, lit, sizeof(lit) - 1)

/*
 * 1*DIGIT with leading zeros skipped and at most SIPREG_MAX_DIGITS
 * significant digits, no sign, not above max.
 */
static inline bool num(struct cur *c, u32 max, u32 *out)
{
	unsigned int s = c->p, p = s, e = c->e, z;
	const u8 *b = c->b;
	u64 v = 0;

	while (p < e && b[p] == '0')
		p++;
	z = p;
	while (p < e && is(b[p], C_DIG)) {
		if (p - z == SIPREG_MAX_DIGITS)
			return false;
		v = v * 10 + (b[p] - '0');
		p++;
	}
	c->p = p;
	if (p == s || v > max)
		return false;
	*out = v;
	return true;
}

/* A whole span (or field value) that must be a number. */
static inline bool num_all(const u8 *b, unsigned int s, unsigned int e,
			   u32 max, u32 *out)
{
	struct cur c = { b, s, e };

	return num(&c, max, out) && c.p == e;
}

/*
 * At a DQUOTE (*qp): span of the inner bytes, *qp after the closing quote.
 * On failure *qp is where the verdict was decided.
 */
static __always_inline enum sipreg_verdict qscan(const u8 *b, const u8 **qp,
						 const u8 *e,
						 struct sipreg_span *sp,
						 enum sipreg_verdict bad)
{
	const u8 *s = *qp + 1, *p = s;
	u8 ch;

	while (p < e) {
		p = scan(p, e, C_QD);
		*qp = p;
		if (p >= e)
			break;
		if (*p == '"') {
			*sp = span(s - b, p - b);
			*qp = p + 1;
			return SIPREG_OK;
		}
		if (fold(p, e)) {
			p += 3;
			continue;
		}
		if (*p != '\\')
			return bad;
		/*
		 * quoted-pair: any octet up to 0x7f but CR and LF; and not
		 * NUL, which only a body may hold (headers() gives up and the
		 * exact pass says nul_byte).
		 */
		if (p + 1 >= e)
			return SIPREG_UNTERMINATED_QUOTE;
		ch = p[1];
		if (ch == '\r' || ch == '\n' || ch >= 0x80 || !ch)
			return bad;
		p += 2;
	}
	return SIPREG_UNTERMINATED_QUOTE;
}

static __always_inline enum sipreg_verdict qstr(struct cur *c,
						struct sipreg_span *sp,
						enum sipreg_verdict bad)
{
	const u8 *q = c->b + c->p;
	enum sipreg_verdict v;

	v = qscan(c->b, &q, c->b + c->e, sp, bad);
	c->p = q - c->b;
	return v;
}

/*
 * scheme ":" 1*(URI character / escaped), stopping at the first character
 * not in cls.
 */
static __always_inline enum sipreg_verdict uri(struct cur *c, u16 cls,
					       struct sipreg_span *sp)
{
	unsigned int s = c->p, r, p, e;
	const u8 *b = c->b;

	if (!more(c) || !is(b[c->p], C_ALPHA))
		return SIPREG_BAD_URI;
	run(c, C_SCH);
	if (!eat(c, ':'))
		return SIPREG_BAD_URI;
	r = c->p;
	p = r;
	e = c->e;
	while (p < e) {
		c->p = p;
		p += run(c, cls);
		if (p >= e || b[p] != '%')
			break;
		if (p + 2 >= e || !is(b[p + 1], C_HEX) ||
		    !is(b[p + 2], C_HEX))
			return SIPREG_BAD_URI;
		p += 3;
	}
	c->p = p;
	if (p == r)
		return SIPREG_BAD_URI;
	*sp = span(s, p);
	return SIPREG_OK;
}

/* hostname / IPv4address / IPv6reference */
static __always_inline bool host(struct cur *c, struct sipreg_span *sp)
{
	unsigned int s = c->p;

	if (eat(c, '[')) {
		while (c->p < c->e && (is(c->b[c->p], C_HEX) ||
				       c->b[c->p] == ':' || c->b[c->p] == '.'))
			c->p++;
		if (c->p - s < 3 || !eat(c, ']'))
			return false;
	} else if (!run(c, C_HOST)) {
		return false;
	}
	*sp = span(s, c->p);
	return true;
}

/* Name-addr (with display name) or addr-spec; the URI must be there. */
static __always_inline enum sipreg_verdict addr(struct cur *c,
						struct sipreg_span *disp,
						struct sipreg_span *u,
						enum sipreg_verdict bad)
{
	enum sipreg_verdict v;
	unsigned int s = c->p, de;

	if (peek(c, '"')) {
		v = qstr(c, disp, bad);
		if (v)
			return v;
		sws(c);
	} else if (!peek(c, '<')) {
		/* a display-name token, or the scheme of an addr-spec */
		if (!run(c, C_TOK))
			return bad;
		if (!peek(c, ':')) {
			/* display-name = *(token LWS), then "<" */
			de = c->p;
			while (c->p < c->e) {
				sws(c);
				if (peek(c, '<'))
					break;
				if (!run(c, C_TOK))
					return bad;
				de = c->p;
			}
			*disp = span(s, de);
		} else {
			/* addr-spec: its ;params belong to the field */
			c->p = s;
			v = uri(c, C_URIA, u);
			if (v)
				return v;
			if (peek(c, '?'))
				return bad;
			return SIPREG_OK;
		}
	}
	if (!eat(c, '<'))
		return bad;
	v = uri(c, C_URI, u);
	if (v)
		return v;
	if (!eat(c, '>'))
		return SIPREG_BAD_URI;
	return SIPREG_OK;
}

/* One parameter, as returned by next_param(). */
struct param {
	unsigned int semi;		/* where its ';' is */
	struct sipreg_span name;
	struct sipreg_span val;
	bool has_val;
	bool quoted;
};

/*
 * *( SEMI generic-param ): the next one into *pv, or pv->name.len == 0 and
 * the cursor unmoved when there is none. *n counts parameters.
 */
static __always_inline enum sipreg_verdict next_param(struct cur *c,
						      unsigned int *n,
						      struct param *pv,
						      enum sipreg_verdict bad)
{
	unsigned int s = c->p;

	pv->name.len = 0;
	pv->val.len = 0;
	pv->has_val = false;
	pv->quoted = false;
	/* the list ends where no ';' follows, LWS or not: mostly at a CR */
	if (!peek(c, ';')) {
		if (!more(c) || !is(c->b[c->p], C_LWS1) ||
		    (c->b[c->p] == '\r' && !fold(c->b + c->p, c->b + c->e)))
			return SIPREG_OK;
		sws(c);
		if (!peek(c, ';')) {
			c->p = s;
			return SIPREG_OK;
		}
	}
	pv->semi = c->p++;
	if (++*n > SIPREG_MAX_PARAMS)
		return SIPREG_TOO_MANY_PARAMS;
	sws(c);
	s = c->p;
	if (!run(c, C_TOK))
		return bad;
	pv->name = span(s, c->p);
	s = c->p;
	sws(c);
	if (!eat(c, '=')) {
		c->p = s;
		return SIPREG_OK;
	}
	sws(c);
	pv->has_val = true;
	if (peek(c, '"')) {
		pv->quoted = true;
		return qstr(c, &pv->val, bad);
	}
	s = c->p;
	if (!run(c, C_GVAL))
		return bad;
	pv->val = span(s, c->p);
	return SIPREG_OK;
}

/* A parameter value that must be an unquoted number. */
static inline bool param_num(const u8 *b, const struct param *pv, u32 max, u32 *out)
{
	return pv->has_val && !pv->quoted &&
	       num_all(b, pv->val.off, pv->val.off + pv->val.len, max, out);
}

/* "SIP/2.0/" as nearly every Via writes it, skipped at once. */
static __always_inline bool sip20(struct cur *c)
{
	u64 w;

	if (c->e - c->p < 8)
		return false;
	memcpy(&w, c->b + c->p, 8);
	if (!word_is(w, "sip/2.0/", 8))
		return false;
	c->p += 8;
	return true;
}

/* Via: every hop into m->vias[], the first one parsed into m->via. */
static __always_inline enum sipreg_verdict via_(struct sipreg_msg *m,
						struct cur *c)
{
	const enum sipreg_verdict bad = SIPREG_BAD_VIA;
	struct sipreg_via *t = &m->via;
	enum sipreg_verdict v;
	struct sipreg_span sp, hs;
	unsigned int i, s, n, ps;
	struct param pv;
	u32 port;
	bool top;

	for (i = 0; i <= SIPREG_MAX_VIAS; i++) {
		if (m->n_vias == SIPREG_MAX_VIAS)
			return SIPREG_TOO_MANY_VIAS;
		top = m->n_vias == 0;
		sws(c);
		s = c->p;
		/* sent-protocol = "SIP" SLASH "2.0" SLASH transport */
		if (sip20(c))
			goto transport;
		if (!run(c, C_TOK) || !tokeq(c->b + s, c->p - s, "sip", 3))
			return bad;
		sws(c);
		if (!eat(c, '/'))
			return bad;
		sws(c);
		ps = c->p;
		if (!run(c, C_TOK) || !tokeq(c->b + ps, c->p - ps, "2.0", 3))
			return bad;
		sws(c);
		if (!eat(c, '/'))
			return bad;
transport:
		sws(c);
		ps = c->p;
		if (!run(c, C_TOK))
			return bad;
		sp = span(ps, c->p);
		if (!lws(c) || !host(c, &hs))
			return bad;
		if (top) {
			t->transport = sp;
			t->host = hs;
		}
		ps = c->p;
		sws(c);
		if (eat(c, ':')) {
			sws(c);
			if (!num(c, 65535, &port))
				return bad;
			if (top) {
				t->port = port;
				t->flags |= SIPREG_VIA_PORT;
			}
		} else {
			c->p = ps;
		}
		for (n = 0; n <= SIPREG_MAX_PARAMS;) {
			v = next_param(c, &n, &pv, bad);
			if (v)
				return v;
			if (!pv.name.len)
				break;
			if (!top)
				continue;
			if (IEQ(c->b, pv.name, "branch")) {
				if (t->branch.len || !pv.val.len)
					return bad;
				t->branch = pv.val;
			} else if (IEQ(c->b, pv.name, "rport")) {
				if (t->flags & SIPREG_VIA_RPORT)
					return bad;
				t->flags |= SIPREG_VIA_RPORT;
				/* from its ';' on, for whoever rewrites it */
				t->rport_param = span(pv.semi, c->p);
				if (pv.has_val) {
					if (!param_num(c->b, &pv, 65535, &port))
						return bad;
					t->rport = port;
					t->flags |= SIPREG_VIA_RPORT_VALUE;
				}
			} else if (IEQ(c->b, pv.name, "received")) {
				if (t->received.len || !pv.val.len ||
				    pv.quoted)
					return bad;
				t->received = pv.val;
			}
		}
		m->vias[m->n_vias++] = span(s, c->p);
		if (at_end(c))
			return SIPREG_OK;
		sws(c);
		if (!eat(c, ','))
			return bad;
	}
	return SIPREG_TOO_MANY_VIAS;
}

/* via_() on a cursor in locals: the compiler keeps it in registers. */
static enum sipreg_verdict via(struct sipreg_msg *m, struct cur *c)
{
	struct cur l = *c;
	enum sipreg_verdict v = via_(m, &l);

	c->p = l.p;
	return v;
}

/* From and To: ( name-addr / addr-spec ) *( SEMI param ) */
static __always_inline enum sipreg_verdict
from_to_(struct sipreg_nameaddr *a, struct cur *c, enum sipreg_verdict bad)
{
	unsigned int n, s = c->p;
	enum sipreg_verdict v;
	struct param pv;

	v = addr(c, &a->display, &a->uri, bad);
	if (v)
		return v;
	for (n = 0; n <= SIPREG_MAX_PARAMS;) {
		v = next_param(c, &n, &pv, bad);
		if (v)
			return v;
		if (!pv.name.len)
			break;
		if (IEQ(c->b, pv.name, "tag")) {
			if (a->tag.len || !pv.val.len || pv.quoted)
				return bad;
			a->tag = pv.val;
		}
	}
	if (at_end(c)) {
		a->value = span(s, c->p);
		return SIPREG_OK;
	}
	sws(c);
	return bad;
}

/* from_to_() on a cursor in locals: the compiler keeps it in registers. */
static enum sipreg_verdict from_to(struct sipreg_nameaddr *a, struct cur *c,
				   enum sipreg_verdict bad)
{
	struct cur l = *c;
	enum sipreg_verdict v = from_to_(a, &l, bad);

	c->p = l.p;
	return v;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static bool qvalue(const u8 *b, const struct param *pv, u16 *q)
{
	const u8 *s = b + pv->val.off;
	unsigned int i, n = pv->val.len, r, mul = 100;

	if (!pv->has_val || pv->quoted || n < 1 || n > 5 ||
	    (s[0] != '0' && s[0] != '1'))
		return false;
	r = (s[0] - '0') * 1000;
	if (n > 1 && s[1] != '.')
		return false;
	for (i = 2; i < n; i++, mul /= 10) {
		if (!is(s[i], C_DIG))
			return false;
		r += (s[i] - '0') * mul;
	}
	if (r > 1000)
		return false;
	*q = r;
	return true;
}

static __always_inline enum sipreg_verdict
contact_params(struct sipreg_msg_contact *ct, struct cur *c, bool lenient)
{
	const enum sipreg_verdict bad = SIPREG_BAD_CONTACT;
	enum sipreg_verdict v;
	struct param pv;
	unsigned int n;

	for (n = 0; n <= SIPREG_MAX_PARAMS;) {
		v = next_param(c, &n, &pv, bad);
		if (v)
			return v;
		if (!pv.name.len)
			break;
		if (IEQ(c->b, pv.name, "expires")) {
			if (ct->flags & SIPREG_CONTACT_EXPIRES)
				return bad;
			if (param_num(c->b, &pv, 0xffffffff, &ct->expires)) {
				ct->flags |= SIPREG_CONTACT_EXPIRES;
				continue;
			}
			if (!lenient)
				return SIPREG_BAD_NUMBER;
			ct->expires = SIPREG_MALFORMED_EXPIRES;
			ct->flags |= SIPREG_CONTACT_EXPIRES |
				     SIPREG_CONTACT_EXPIRES_MALFORMED;
		} else if (IEQ(c->b, pv.name, "q")) {
			if ((ct->flags & SIPREG_CONTACT_Q) ||
			    !qvalue(c->b, &pv, &ct->q))
				return bad;
			ct->flags |= SIPREG_CONTACT_Q;
		} else if (IEQ(c->b, pv.name, "+sip.instance")) {
			if ((ct->flags & SIPREG_CONTACT_INSTANCE) ||
			    !pv.val.len)
				return bad;
			ct->instance = pv.val;
			ct->flags |= SIPREG_CONTACT_INSTANCE;
		} else if (IEQ(c->b, pv.name, "reg-id")) {
			if (ct->flags & SIPREG_CONTACT_REG_ID)
				return bad;
			if (!param_num(c->b, &pv, 0x7fffffff, &ct->reg_id) ||
			    !ct->reg_id)
				return SIPREG_BAD_NUMBER;
			ct->flags |= SIPREG_CONTACT_REG_ID;
		}
	}
	return SIPREG_OK;
}

/* Contact: "*" / contact-param *(COMMA contact-param) */
static __always_inline enum sipreg_verdict contact_(struct sipreg_msg *m,
						    struct cur *c)
{
	const enum sipreg_verdict bad = SIPREG_BAD_CONTACT;
	struct sipreg_msg_contact *ct;
	enum sipreg_verdict v;
	unsigned int i, s;

	if (m->n_contacts && (m->contacts[0].flags & SIPREG_CONTACT_STAR))
		return bad;
	if (peek(c, '*')) {
		if (m->n_contacts)
			return bad;
		c->p++;
		if (!at_end(c)) {
			c->p--;
			return bad;
		}
		ct = &m->contacts[m->n_contacts++];
		ct->value = span(c->p - 1, c->p);
		ct->flags = SIPREG_CONTACT_STAR;
		return SIPREG_OK;
	}
	for (i = 0; i <= SIPREG_MAX_CONTACTS; i++) {
		if (m->n_contacts == SIPREG_MAX_CONTACTS)
			return SIPREG_TOO_MANY_CONTACTS;
		ct = &m->contacts[m->n_contacts];
		sws(c);
		s = c->p;
		v = addr(c, &ct->display, &ct->uri, bad);
		if (!v)
			v = contact_params(ct, c, m->opts &
					   SIPREG_PARSE_LENIENT_EXPIRES);
		if (v)
			return v;
		ct->value = span(s, c->p);
		m->n_contacts++;
		if (at_end(c))
			return SIPREG_OK;
		sws(c);
		if (!eat(c, ','))
			return bad;
	}
	return SIPREG_TOO_MANY_CONTACTS;
}

/* contact_() on a cursor in locals: the compiler keeps it in registers. */
static enum sipreg_verdict contact(struct sipreg_msg *m, struct cur *c)
{
	struct cur l = *c;
	enum sipreg_verdict v = contact_(m, &l);

	c->p = l.p;
	return v;
}

/* The slot of Digest parameter s[0..n), NULL for an unknown one (nc is kept apart). */
static __always_inline struct sipreg_span *
digest_slot(struct sipreg_auth *a, const u8 *s, unsigned int n)
{
	switch (n) {
	case 3:
		if (tokeq(s, 3, "uri", 3))
			return &a->uri;
		if (tokeq(s, 3, "qop", 3))
			return &a->qop;
		break;
	case 5:
		if (tokeq(s, 5, "realm", 5))
			return &a->realm;
		if (tokeq(s, 5, "nonce", 5))
			return &a->nonce;
		break;
	case 6:
		if (tokeq(s, 6, "cnonce", 6))
			return &a->cnonce;
		if (tokeq(s, 6, "opaque", 6))
			return &a->opaque;
		break;
	case 8:
		if (tokeq(s, 8, "username", 8))
			return &a->username;
		if (tokeq(s, 8, "response", 8))
			return &a->response;
		break;
	case 9:
		if (tokeq(s, 9, "algorithm", 9))
			return &a->algorithm;
		break;
	}
	return NULL;
}

/* nc-value = 8LHEX */
static bool nc_value(const u8 *b, struct sipreg_span sp, u32 *nc)
{
	unsigned int i;
	u32 v = 0;
	u8 ch;

	if (sp.len != 8)
		return false;
	for (i = 0; i < 8; i++) {
		ch = b[sp.off + i];
		if (!is(ch, C_HEX))
			return false;
		v = v << 4 | (ch <= '9' ? ch - '0' : lc(ch) - 'a' + 10);
	}
	*nc = v;
	return true;
}

/*
 * credentials = "Digest" LWS dig-resp *(COMMA dig-resp) / other-response.
 * Value spans are only set for parameters present, and a present one has
 * off > 0 (offset 0 is the scheme), which is how duplicates are caught.
 * The hottest field of a refresh: the cursor lives in q, written back to
 * c->p only at the end (err_off of a refused field).
 */
static enum sipreg_verdict auth(struct cur *c, struct sipreg_auth *a)
{
	const enum sipreg_verdict bad = SIPREG_BAD_AUTH;
	const u8 *b = c->b, *q = b + c->p, *e = b + c->e, *s, *name;
	enum sipreg_verdict v = bad;
	struct sipreg_span val, *slot;
	unsigned int n, n_name;

	q = lws_scan(q, e);
	s = q;
	q = scan(q, e, C_TOK);
	if (q == s)
		goto out;
	a->scheme = span(s - b, q - b);
	a->flags = SIPREG_AUTH_PRESENT;
	v = SIPREG_OK;
	if (!TOKEQ(s, q - s, "digest"))
		goto out;
	a->flags |= SIPREG_AUTH_DIGEST;
	v = bad;
	s = q;
	q = lws_scan(q, e);
	if (q == s)
		goto out;
	for (n = 0; n <= SIPREG_MAX_PARAMS; n++) {
		if (n == SIPREG_MAX_PARAMS) {
			v = SIPREG_TOO_MANY_PARAMS;
			goto out;
		}
		s = q;
		q = scan(q, e, C_TOK);
		if (q == s)
			goto out;
		n_name = q - s;
		name = s;
		q = lws_scan(q, e);
		if (q >= e || *q != '=')
			goto out;
		q = lws_scan(q + 1, e);
		if (q < e && *q == '"') {
			v = qscan(b, &q, e, &val, bad);
			if (v)
				goto out;
			v = bad;
		} else {
			s = q;
			q = scan(q, e, C_TOK);
			if (q == s)
				goto out;
			val = span(s - b, q - b);
		}
		if (n_name == 2 && TOKEQ(name, 2, "nc")) {
			if ((a->flags & SIPREG_AUTH_NC) ||
			    !nc_value(b, val, &a->nc))
				goto out;
			a->nc_text = val;
			a->flags |= SIPREG_AUTH_NC;
		} else {
			slot = digest_slot(a, name, n_name);
			if (slot) {
				if (slot->off)
					goto out;
				*slot = val;
			}
		}
		q = lws_scan(q, e);
		if (q >= e || *q == '\r')
			break;
		if (*q != ',')
			goto out;
		q = lws_scan(q + 1, e);
	}
	if (!a->username.off || !a->realm.off || !a->nonce.off ||
	    !a->uri.off || !a->response.off)
		goto out;
	if (a->qop.off && (!a->cnonce.off || !(a->flags & SIPREG_AUTH_NC)))
		goto out;
	v = SIPREG_OK;
out:
	c->p = q - b;
	return v;
}

enum sipreg_verdict sipreg_parse_auth(const u8 *buf, size_t len,
				      struct sipreg_auth *a)
{
	struct cur c;
	size_t i;

	memset(a, 0, sizeof(*a));
	if (len > SIPREG_MAX_LEN)
		return SIPREG_TOO_LARGE;
	c.b = buf;
	c.p = 0;
	c.e = len;
	/* CR and LF only as folds, as in a field delimited by sipreg_parse() */
	for (i = 0; i < len; i++) {
		if (buf[i] == '\r' &&
		    (i + 2 >= len || buf[i + 1] != '\n' ||
		     (buf[i + 2] != ' ' && buf[i + 2] != '\t')))
			return SIPREG_BAD_AUTH;
		if (buf[i] == '\n' && (!i || buf[i - 1] != '\r'))
			return SIPREG_BAD_AUTH;
	}
	while (c.e > 0 && is_lws(buf[c.e - 1]))
		c.e--;
	return auth(&c, a);
}

/* Call-ID = word [ "@" word ] */
static bool call_id(struct cur *c)
{
	if (!run(c, C_WORD))
		return false;
	if (eat(c, '@') && !run(c, C_WORD))
		return false;
	return at_end(c);
}

/* CSeq = 1*DIGIT LWS Method, the method that of the request line */
static enum sipreg_verdict cseq(struct sipreg_msg *m, struct cur *c)
{
	unsigned int s = c->p;
	u8 ch;

	if (!num(c, 0x7fffffff, &m->cseq)) {
		ch = more(c) ? c->b[s] : 0;
		/* digits beyond the bound, or a sign */
		if (is(ch, C_DIG) || ch == '-' || ch == '+')
			return SIPREG_BAD_NUMBER;
		return SIPREG_BAD_CSEQ;
	}
	if (!lws(c))
		return SIPREG_BAD_CSEQ;
	s = c->p;
	if (!run(c, C_TOK) || !at_end(c))
		return SIPREG_BAD_CSEQ;
	m->cseq_method = span(s, c->p);
	if (m->cseq_method.len != m->method.len ||
	    memcmp(c->b + s, c->b + m->method.off, m->method.len))
		return SIPREG_CSEQ_METHOD_MISMATCH;
	return SIPREG_OK;
}

/* option-tag *(COMMA option-tag), possibly empty */
static bool token_list(struct cur *c, bool empty_ok)
{
	if (at_end(c))
		return empty_ok;
	while (c->p < c->e) {
		if (!run(c, C_TOK))
			return false;
		if (at_end(c))
			return true;
		sws(c);
		if (!eat(c, ','))
			return false;
		sws(c);
	}
	return false;	/* ended with a comma */
}

static bool ieq2(const u8 *a, unsigned int n, const char *b, size_t bn)
{
	unsigned int i;

	if (n != bn)
		return false;
	for (i = 0; i < n; i++)
		if (lc(a[i]) != lc(b[i]))
			return false;
	return true;
}

bool sipreg_list_has(const u8 *buf, const struct sipreg_list *l,
		     const char *tok, size_t toklen)
{
	unsigned int i, s;
	struct cur c;

	for (i = 0; i < l->n && i < SIPREG_MAX_REPEAT; i++) {
		c.b = buf;
		c.p = l->v[i].off;
		c.e = l->v[i].off + l->v[i].len;
		while (c.p < c.e) {
			sws(&c);
			s = c.p;
			run(&c, C_TOK);
			if (c.p > s && ieq2(buf + s, c.p - s, tok, toklen))
				return true;
			sws(&c);
			if (!eat(&c, ','))
				break;
		}
	}
	return false;
}

/* A field kept whole: Path. */
static enum sipreg_verdict list_add(struct sipreg_list *l, struct cur *c)
{
	if (l->n == SIPREG_MAX_REPEAT)
		return SIPREG_TOO_MANY_HEADERS;
	l->v[l->n++] = span(c->p, c->e);
	return SIPREG_OK;
}

/* A field of option tags: Require, Proxy-Require, Supported. */
static enum sipreg_verdict tag_list(struct sipreg_list *l, struct cur *c,
				    bool empty_ok)
{
	unsigned int s = c->p;

	if (l->n == SIPREG_MAX_REPEAT)
		return SIPREG_TOO_MANY_HEADERS;
	if (!token_list(c, empty_ok))
		return SIPREG_BAD_HEADER;
	l->v[l->n++] = span(s, c->p);
	return SIPREG_OK;
}

/* A field value that is a number and nothing else; refused, unmoved. */
static __always_inline bool num_field(struct cur *c, u32 max, u32 *out)
{
	unsigned int s = c->p;

	if (num(c, max, out) && at_end(c))
		return true;
	c->p = s;
	return false;
}

bool sipreg_span_eq_unquoted(const u8 *buf, struct sipreg_span sp,
			     const u8 *s, size_t n)
{
	unsigned int i, e = sp.off + sp.len;
	size_t j = 0;

	for (i = sp.off; i < e; i++, j++) {
		if (buf[i] == '\\' && i + 1 < e)
			i++;
		if (j >= n || buf[i] != s[j])
			return false;
	}
	return j == n;
}

int sipreg_span_unquote(const u8 *buf, struct sipreg_span sp,
			u8 *out, size_t outlen)
{
	unsigned int i, e = sp.off + sp.len;
	size_t j = 0;

	for (i = sp.off; i < e; i++, j++) {
		if (buf[i] == '\\' && i + 1 < e)
			i++;
		if (j >= outlen)
			return -1;
		out[j] = buf[i];
	}
	return j;
}

enum hdr {
	H_OTHER,
	H_VIA,
	H_CONTACT,
	H_AUTH,
	H_REQUIRE,
	H_PROXY_REQUIRE,
	H_SUPPORTED,
	H_PATH,
	/* single-valued from here on */
	H_FROM,
	H_TO,
	H_CALL_ID,
	H_CSEQ,
	H_MAX_FORWARDS,
	H_EXPIRES,
	H_USER_AGENT,
	H_CONTENT_LENGTH,
	H_NR
};

#define H_SINGLE H_FROM

/* Field name (a token, already checked) to enum hdr, compact forms too. */
static enum hdr hdr_id(const u8 *s, unsigned int n)
{
	switch (n) {
	case 1:
		switch (lc(s[0])) {
		case 'v': return H_VIA;
		case 'f': return H_FROM;
		case 't': return H_TO;
		case 'i': return H_CALL_ID;
		case 'm': return H_CONTACT;
		case 'l': return H_CONTENT_LENGTH;
		case 'k': return H_SUPPORTED;
		}
		break;
	case 2:
		if (tokeq(s, n, "to", 2))
			return H_TO;
		break;
	case 3:
		if (tokeq(s, n, "via", 3))
			return H_VIA;
		break;
	case 4:
		if (tokeq(s, n, "from", 4))
			return H_FROM;
		if (tokeq(s, n, "cseq", 4))
			return H_CSEQ;
		if (tokeq(s, n, "path", 4))
			return H_PATH;
		break;
	case 7:
		switch (lc(s[0])) {
		case 'c':
			if (tokeq(s, n, "call-id", 7))
				return H_CALL_ID;
			if (tokeq(s, n, "contact", 7))
				return H_CONTACT;
			break;
		case 'e':
			if (tokeq(s, n, "expires", 7))
				return H_EXPIRES;
			break;
		case 'r':
			if (tokeq(s, n, "require", 7))
				return H_REQUIRE;
			break;
		}
		break;
	case 9:
		if (tokeq(s, n, "supported", 9))
			return H_SUPPORTED;
		break;
	case 10:
		if (tokeq(s, n, "user-agent", 10))
			return H_USER_AGENT;
		break;
	case 12:
		if (tokeq(s, n, "max-forwards", 12))
			return H_MAX_FORWARDS;
		break;
	case 13:
		if (tokeq(s, n, "authorization", 13))
			return H_AUTH;
		if (tokeq(s, n, "proxy-require", 13))
			return H_PROXY_REQUIRE;
		break;
	case 14:
		if (tokeq(s, n, "content-length", 14))
			return H_CONTENT_LENGTH;
		break;
	}
	return H_OTHER;
}

/* w[] holds the 16 bytes at the name; n = strlen(lit), at most 16. */
static __always_inline bool name_is(const u64 *w, const char *lit,
				    unsigned int n)
{
	if (n <= 8)
		return word_is(w[0], lit, n);
	return word_is(w[0], lit, 8) && word_is(w[1], lit + 8, n - 8);
}

static __always_inline enum hdr named(unsigned int *n, unsigned int len,
				      enum hdr h)
{
	*n = len;
	return h;
}

#define IS_NAME(lit)	name_is(w, lit, sizeof(lit) - 1)
#define NAMED(lit, h)	named(n, sizeof(lit) - 1, h)

/*
 * The common names written "Name:" at s, or H_NR: then the caller parses
 * the name as a token (compact forms, SP before the colon, other names).
 * Needs 16 bytes at s.
 */
static enum hdr known_name(const u8 *s, unsigned int *n)
{
	u64 w[2];

	memcpy(w, s, sizeof(w));
	switch (s[0] | 0x20) {
	case 'v':
		if (IS_NAME("via:"))
			return NAMED("via:", H_VIA);
		break;
	case 'f':
		if (IS_NAME("from:"))
			return NAMED("from:", H_FROM);
		break;
	case 't':
		if (IS_NAME("to:"))
			return NAMED("to:", H_TO);
		break;
	case 'c':
		/* the fifth byte tells the four apart */
		switch (s[4] | 0x20) {
		case ':' | 0x20:
			if (IS_NAME("cseq:"))
				return NAMED("cseq:", H_CSEQ);
			break;
		case '-':
			if (IS_NAME("call-id:"))
				return NAMED("call-id:", H_CALL_ID);
			break;
		case 'a':
			if (IS_NAME("contact:"))
				return NAMED("contact:", H_CONTACT);
			break;
		case 'e':
			if (IS_NAME("content-length:"))
				return NAMED("content-length:", H_CONTENT_LENGTH);
			break;
		}
		break;
	case 'e':
		if (IS_NAME("expires:"))
			return NAMED("expires:", H_EXPIRES);
		break;
	case 'm':
		if (IS_NAME("max-forwards:"))
			return NAMED("max-forwards:", H_MAX_FORWARDS);
		break;
	case 'a':
		if (IS_NAME("authorization:"))
			return NAMED("authorization:", H_AUTH);
		if (IS_NAME("allow:"))
			return NAMED("allow:", H_OTHER);
		break;
	case 'u':
		if (IS_NAME("user-agent:"))
			return NAMED("user-agent:", H_USER_AGENT);
		break;
	case 's':
		if (IS_NAME("supported:"))
			return NAMED("supported:", H_SUPPORTED);
		break;
	}
	return H_NR;
}

/* A line of SIPREG_MAX_LINE bytes and its CRLF */
#define LINE_LIM (SIPREG_MAX_LINE + 2)

/* Method SP Request-URI SP SIP-Version CRLF; *hp = first header. */
static enum sipreg_verdict request_line(const u8 *b, size_t len,
					struct sipreg_msg *m,
					unsigned int *hp)
{
	unsigned int lim = len < LINE_LIM ? len : LINE_LIM;
	struct cur c = { b, 0, lim };
	enum sipreg_verdict v = SIPREG_BAD_REQUEST_LINE;
	const u8 *nl = NULL;
	unsigned int s;

	if (len >= 4 && CI_IS(b, "sip/"))
		return SIPREG_RESPONSE;
	if (!run(&c, C_TOK) || !peek(&c, ' '))
		goto fail;
	m->method = span(0, c.p);
	if (c.p != 8 || memcmp(b, "REGISTER", 8))
		return SIPREG_NOT_REGISTER;
	nl = memchr(b, '\n', lim);
	if (!nl) {
		v = lim < len ? SIPREG_LINE_TOO_LONG : SIPREG_TRUNCATED;
		goto fail;
	}
	c.e = nl - b;
	if (b[c.e - 1] != '\r') {
		v = SIPREG_BAD_LINE_ENDING;
		goto fail;
	}
	c.e--;
	c.p++;
	if (peek(&c, ' '))
		goto fail;
	s = c.p;
	v = uri(&c, C_URI, &m->ruri);
	if (v)
		goto fail;
	v = SIPREG_BAD_URI;
	if (memchr(b + s, '?', c.p - s))
		goto fail;
	if (more(&c) && !peek(&c, ' '))
		goto fail;
	v = SIPREG_BAD_URI_SCHEME;
	if (!(m->ruri.len > 4 && CI_IS(b + s, "sip:")) &&
	    !(m->ruri.len > 5 && CI_IS(b + s, "sips:")))
		goto fail;
	v = SIPREG_BAD_REQUEST_LINE;
	if (!eat(&c, ' '))
		goto fail;
	if (c.e - c.p == 7 && CI_IS(b + c.p, "sip/2.0")) {
		*hp = c.e + 2;
		return SIPREG_OK;
	}
	if (c.e - c.p >= 4 && CI_IS(b + c.p, "sip/") &&
	    !memchr(b + c.p, ' ', c.e - c.p))
		v = SIPREG_BAD_VERSION;
fail:
	m->err_off = c.p;
	if (memchr(b, 0, nl ? (unsigned int)(nl - b) : lim))
		return SIPREG_NUL_BYTE;
	return v;
}

/*
 * A NUL is fine in a body, nowhere else. Only when there is one do we look
 * for the end of the headers before it.
 */
static bool nul_in_headers(const u8 *b, size_t len, u16 *where)
{
	const u8 *z = memchr(b, 0, len);
	unsigned int i, n;

	if (likely(!z))
		return false;
	n = z - b;
	for (i = 0; i + 3 < n; i++)
		if (b[i] == '\r' && b[i + 1] == '\n' &&
		    b[i + 2] == '\r' && b[i + 3] == '\n')
			return false;
	*where = n;
	return true;
}

/*
 * Finds the end of the field starting at p: *eol is the CR of its last
 * CRLF (folds included); the field is at most SIPREG_MAX_LINE bytes. A CR
 * anywhere else is refused: a lenient reader would take it for a line end
 * in the headers we echo (response splitting).
 */
static enum sipreg_verdict field_end(const u8 *b, size_t len, unsigned int p,
				     unsigned int *eol)
{
	size_t lim = len < p + LINE_LIM ? len : p + LINE_LIM;
	unsigned int q = p, i;
	const u8 *nl;

	while (q < lim) {
		nl = memchr(b + q, '\n', lim - q);
		if (!nl)
			break;
		i = nl - b;
		if (b[i - 1] != '\r' || memchr(b + q, '\r', i - 1 - q))
			return SIPREG_BAD_LINE_ENDING;
		if (i + 1 < len && (b[i + 1] == ' ' || b[i + 1] == '\t')) {
			q = i + 1;
			continue;
		}
		*eol = i - 1;
		return SIPREG_OK;
	}
	return lim < len ? SIPREG_LINE_TOO_LONG : SIPREG_TRUNCATED;
}

/*
 * The offset in [q, lim) of the first byte below 0x0e (CR, LF, NUL, HT and
 * the other controls), or lim. Eight bytes at a time: (w - 0x0e..) & ~w &
 * 0x80.. is not zero exactly when a byte of w is below 0x0e, and its lowest
 * set bit is in the first such byte (a borrow only runs upwards, from a byte
 * that was below). Big-endian machines look at the eight bytes one by one.
 */
static inline unsigned int below_0e(const u8 *b, unsigned int q,
				    unsigned int lim)
{
	u64 w, hit;

	while (lim - q >= 8) {
		memcpy(&w, b + q, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		hit = (w - 0x0e * ONES) & ~w & HIGHS;
		if (hit)
			return q + (__builtin_ctzll(hit) >> 3);
#else
		hit = (w - 0x0e * ONES) & ~w & HIGHS;
		if (hit)
			break;
#endif
		q += 8;
	}
	while (q < lim && b[q] >= 0x0e)
		q++;
	return q;
}

/*
 * field_end() of a well-formed field, in one pass over it: the first CR
 * must begin its CRLF (or a fold's), an HT or other control below 0x0e
 * is passed over. False for anything field_end() would look at twice (a
 * bare CR or LF, a NUL, no CRLF within the line's bound): then the caller
 * does the whole header section again with field_end(), whose verdict,
 * after the NUL check of the datagram, is the one.
 */
static bool field_end_fast(const u8 *b, size_t len, unsigned int q,
			   unsigned int lim, unsigned int *eol)
{
	unsigned int n;

	for (n = 0; n < LINE_LIM; n++) {
		q = below_0e(b, q, lim);
		if (q + 1 >= lim)
			return false;
		if (b[q] != '\r') {
			if (b[q] == '\n' || !b[q])
				return false;
			q++;
			continue;
		}
		if (b[q + 1] != '\n')
			return false;
		if (q + 2 < len && (b[q + 2] == ' ' || b[q + 2] == '\t')) {
			q += 2;
			continue;
		}
		*eol = q;
		return true;
	}
	return false;
}

/* The value of one header field, [c->p, c->e) trimmed. */
static enum sipreg_verdict field(struct sipreg_msg *m, enum hdr h,
				 struct cur *c)
{
	struct sipreg_auth tmp;
	u32 n;

	switch (h) {
	case H_VIA:
		return via(m, c);
	case H_FROM:
		return from_to(&m->from, c, SIPREG_BAD_FROM);
	case H_TO:
		return from_to(&m->to, c, SIPREG_BAD_TO);
	case H_CALL_ID:
		n = c->p;
		if (!call_id(c))
			return SIPREG_BAD_CALL_ID;
		m->call_id = span(n, c->p);
		return SIPREG_OK;
	case H_CSEQ:
		return cseq(m, c);
	case H_MAX_FORWARDS:
		if (!num_field(c, 255, &n))
			return SIPREG_BAD_NUMBER;
		m->max_forwards = n;
		m->flags |= SIPREG_MSG_MAX_FORWARDS;
		return SIPREG_OK;
	case H_EXPIRES:
		if (!num_field(c, 0xffffffff, &m->expires)) {
			if (!(m->opts & SIPREG_PARSE_LENIENT_EXPIRES))
				return SIPREG_BAD_NUMBER;
			m->expires = SIPREG_MALFORMED_EXPIRES;
			m->flags |= SIPREG_MSG_EXPIRES_MALFORMED;
		}
		m->flags |= SIPREG_MSG_EXPIRES;
		return SIPREG_OK;
	case H_CONTENT_LENGTH:
		if (!num_field(c, 0xffffffff, &m->content_length))
			return SIPREG_BAD_NUMBER;
		m->flags |= SIPREG_MSG_CONTENT_LENGTH;
		return SIPREG_OK;
	case H_CONTACT:
		return contact(m, c);
	case H_AUTH:
		if (m->n_auth++) {
			memset(&tmp, 0, sizeof(tmp));
			return auth(c, &tmp);
		}
		return auth(c, &m->auth);
	case H_REQUIRE:
		return tag_list(&m->require, c, false);
	case H_PROXY_REQUIRE:
		return tag_list(&m->proxy_require, c, false);
	case H_SUPPORTED:
		return tag_list(&m->supported, c, true);
	case H_PATH:
		return list_add(&m->path, c);
	case H_USER_AGENT:
		m->user_agent = span(c->p, c->e);
		return SIPREG_OK;
	default:
		return SIPREG_OK;
	}
}

/*
 * Whether headers() delimits the field before parsing it even in the fast
 * pass: fields kept whole (their end is the value's), and an Expires that
 * may be taken as 3600 when malformed.
 */
static bool kept_whole(const struct sipreg_msg *m, enum hdr h)
{
	return h == H_OTHER || h == H_USER_AGENT || h == H_PATH ||
	       (h == H_EXPIRES && (m->opts & SIPREG_PARSE_LENIENT_EXPIRES));
}

/*
 * The end of a field parsed before it was delimited: LWS from c->p, then
 * the CRLF of its last line, within the line's bound. False where
 * field_end() might see it otherwise (a bare CR, a fold past the bound).
 */
static bool line_end(const struct cur *c, size_t len, unsigned int *eol)
{
	const u8 *b = c->b;
	unsigned int q = c->p;

	/* a fold right at the value's end: left to the exact pass */
	if (q < c->e && b[q] != '\r')
		q = lws_scan(b + q, b + c->e) - b;
	if (q + 1 >= c->e || b[q] != '\r' || b[q + 1] != '\n')
		return false;
	if (q + 2 < len && is(b[q + 2], C_WS))
		return false;
	*eol = q;
	return true;
}

/*
 * The header section from p. @exact: delimit every field with field_end()
 * first. Else (the fast pass) the value parsers find where a field ends,
 * and field_end_fast() delimits the others; it gives up (SIPREG_TRUNCATED)
 * wherever it cannot tell the verdict, as does line_end().
 */
static enum sipreg_verdict headers(const u8 *b, size_t len,
				   struct sipreg_msg *m, unsigned int p,
				   bool exact)
{
	struct sipreg_span first[H_NR - H_SINGLE];
	unsigned int nh, eol = 0, lim, s;
	bool delimited, dup;
	enum sipreg_verdict v;
	struct sipreg_span *f;
	u32 seen = 0;
	struct cur c;
	enum hdr h;

	for (nh = 0; nh <= SIPREG_MAX_HEADERS; nh++) {
		m->err_off = p;
		if (p + 1 >= len)
			return SIPREG_TRUNCATED;
		if (b[p] == '\r' && b[p + 1] == '\n') {
			m->body_off = p + 2;
			return SIPREG_OK;
		}
		if (nh == SIPREG_MAX_HEADERS)
			return SIPREG_TOO_MANY_HEADERS;
		lim = len < p + LINE_LIM ? len : p + LINE_LIM;
		if (exact) {
			v = field_end(b, len, p, &eol);
			if (v)
				return v;
			lim = eol;
		}
		/* field-name *(SP / HT) ":" */
		c.b = b;
		c.p = p;
		c.e = lim;
		h = len - p >= 16 ? known_name(b + p, &s) : H_NR;
		if (h != H_NR) {
			/* "Name: value", one SP: sws() short cut */
			c.p += s;
			if (c.e - c.p >= 2 && b[c.p] == ' ' &&
			    !is(b[c.p + 1], C_LWS1))
				c.p++;
		} else {
			if (!run(&c, C_TOK))
				return SIPREG_BAD_HEADER;
			h = hdr_id(b + p, c.p - p);
			while (peek(&c, ' ') || peek(&c, '\t'))
				c.p++;
			if (!eat(&c, ':'))
				return SIPREG_BAD_HEADER;
		}
		sws(&c);
		dup = h >= H_SINGLE && (seen & (1U << h));
		delimited = exact;
		if (!exact && (dup || kept_whole(m, h))) {
			if (!field_end_fast(b, len, c.p, lim, &eol))
				return SIPREG_TRUNCATED;
			c.e = eol;
			delimited = true;
		}
		if (delimited)
			while (c.e > c.p && is_lws(b[c.e - 1]))
				c.e--;
		if (dup) {
			f = &first[h - H_SINGLE];
			if (f->len != c.e - c.p ||
			    memcmp(b + f->off, b + c.p, f->len))
				return SIPREG_DUPLICATE_HEADER;
			p = eol + 2;
			continue;
		}
		seen |= 1U << h;
		s = c.p;
		v = field(m, h, &c);
		if (v) {
			m->err_off = c.p;
			return v;
		}
		if (!delimited && !line_end(&c, len, &eol))
			return SIPREG_TRUNCATED;
		if (h >= H_SINGLE)
			first[h - H_SINGLE] = span(s, delimited ? c.e : c.p);
		p = eol + 2;
	}
	return SIPREG_TOO_MANY_HEADERS;
}

/* Forgets what headers() wrote: all but the request line and opts. */
static void reset_headers(struct sipreg_msg *m)
{
	struct sipreg_span method = m->method, ruri = m->ruri;
	u8 opts = m->opts;

	memset(m, 0, sizeof(*m));
	m->method = method;
	m->ruri = ruri;
	m->opts = opts;
}

enum sipreg_verdict sipreg_parse(const u8 *buf, size_t len,
				 struct sipreg_msg *m)
{
	return sipreg_parse_max(buf, len, SIPREG_MAX_LEN, m);
}

enum sipreg_verdict sipreg_parse_max(const u8 *buf, size_t len,
				     size_t max_len, struct sipreg_msg *m)
{
	return sipreg_parse_opts(buf, len, max_len, 0, m);
}

enum sipreg_verdict sipreg_parse_opts(const u8 *buf, size_t len,
				      size_t max_len, unsigned int opts,
				      struct sipreg_msg *m)
{
	enum sipreg_verdict v;
	unsigned int p = 0;
	u32 avail;

	memset(m, 0, sizeof(*m));
	m->opts = opts;
	v = request_line(buf, len, m, &p);
	if (v)
		return v;
	if (len > max_len || len > SIPREG_SPAN_MAX)
		return SIPREG_TOO_LARGE;
	/*
	 * The fast pass takes a well-formed REGISTER at once. What it refuses
	 * is done again the slow way, NUL check first, as the verdict (a
	 * counter of its own in the module) must not depend on which pass
	 * noticed what first.
	 */
	v = headers(buf, len, m, p, false);
	if (v) {
		reset_headers(m);
		if (nul_in_headers(buf, len, &m->err_off))
			return SIPREG_NUL_BYTE;
		v = headers(buf, len, m, p, true);
		if (v)
			return v;
	}
	if (!m->n_vias)
		return SIPREG_MISSING_VIA;
	if (!m->from.value.len)
		return SIPREG_MISSING_FROM;
	if (!m->to.value.len)
		return SIPREG_MISSING_TO;
	if (!m->call_id.len)
		return SIPREG_MISSING_CALL_ID;
	if (!m->cseq_method.len)
		return SIPREG_MISSING_CSEQ;
	avail = len - m->body_off;
	if (!(m->flags & SIPREG_MSG_CONTENT_LENGTH))
		m->content_length = avail;
	else if (m->content_length > avail)
		return SIPREG_CONTENT_LENGTH_MISMATCH;
	/* RFC 3261 10.3 step 6: "*" only alone and with Expires: 0 */
	if (m->n_contacts && (m->contacts[0].flags & SIPREG_CONTACT_STAR) &&
	    (!(m->flags & SIPREG_MSG_EXPIRES) || m->expires)) {
		m->err_off = m->contacts[0].value.off;
		return SIPREG_BAD_CONTACT;
	}
	m->err_off = 0;
	return SIPREG_OK;
}

bool sipreg_uri_user(const u8 *buf, struct sipreg_span uri,
		     struct sipreg_span *user, bool *sips)
{
	const u8 *u = buf + uri.off;
	unsigned int s, at, end;

	for (s = 0; s < uri.len && u[s] != ':'; s++)
		;
	for (at = s; at < uri.len && u[at] != '@'; at++)
		;
	if (s + 1 >= at || at >= uri.len)
		return false;
	for (end = s + 1; end < at && u[end] != ';'; end++)
		;
	if (end == s + 1)
		return false;
	*sips = s == 4 && lc(u[3]) == 's';
	user->off = uri.off + s + 1;
	user->len = end - s - 1;
	return true;
}

bool sipreg_uri_host(const u8 *buf, struct sipreg_span uri,
		     struct sipreg_span *host)
{
	const u8 *u = buf + uri.off;
	unsigned int s, at, start, end;

	for (s = 0; s < uri.len && u[s] != ':'; s++)
		;
	if (s >= uri.len)
		return false;
	/* userinfo ends at the first "@" (RFC 3261 25.1: none after it) */
	for (at = s + 1; at < uri.len && u[at] != '@'; at++)
		;
	start = at < uri.len ? at + 1 : s + 1;
	end = start;
	if (end < uri.len && u[end] == '[') {
		while (end < uri.len && u[end] != ']')
			end++;
		if (end == uri.len)
			return false;
		end++;
	} else {
		while (end < uri.len && u[end] != ':' && u[end] != ';' &&
		       u[end] != '?' && u[end] != '>')
			end++;
	}
	if (end == start)
		return false;
	host->off = uri.off + start;
	host->len = end - start;
	return true;
}

bool sipreg_contact_uri_valid(const u8 *buf, size_t len)
{
	struct cur c = { .b = buf, .p = 0, .e = len };
	struct sipreg_span sp;

	if (len > SIPREG_MAX_LEN)
		return false;
	return uri(&c, C_URI, &sp) == SIPREG_OK && c.p == len;
}
