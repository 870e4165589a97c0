// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 3261 19.1.4, SIP URI comparison. Each URI is taken apart into a
 * normal form (escapes of unreserved characters decoded, every component
 * but the userinfo lowercased), then compared component by component:
 *
 * - sip: and sips: never match each other;
 * - userinfo (user and password) byte for byte after decoding: the only
 *   case-sensitive part;
 * - host and port must both match, and a port given never matches an
 *   absent one (the RFC's sip:bob@biloxi.com vs sip:bob@biloxi.com:5060);
 * - a parameter present in both must have the same value; user, ttl,
 *   method, maddr and transport present in only one never match (the
 *   first four by the rule's text, transport by its examples:
 *   sip:bob@biloxi.com vs ...;transport=udp "can resolve to different
 *   transports"); any other parameter in only one is ignored;
 * - header components are never ignored: the same set in both, in any
 *   order.
 *
 * "Characters other than those in the reserved set are equivalent to
 * their %HH encoding": an escaped reserved character stays escaped (hex
 * digits uppercased) and so differs from the character itself.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "uri_eq.h"

#define URI_POOL	1024	/* decoded text of one URI */
#define URI_PARTS	24	/* parameters, and header components */

struct kv {
	const char *k, *v;	/* v NULL: a parameter without '=' */
};

struct nuri {
	char pool[URI_POOL];
	size_t used;
	bool sips;
	const char *user;	/* NULL: none */
	const char *host;
	const char *port;	/* NULL: none */
	struct kv prm[URI_PARTS], hdr[URI_PARTS];
	unsigned int np, nh;
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool reserved(int c)
{
	return c && strchr(";/?:@&=+$,", c);
}

/* The byte of [s, e) at s[*i], decoded; -1 on a malformed escape. */
static int next_char(const char *s, const char *e, size_t *i, bool *esc)
{
	int h, l;

	*esc = false;
	if (s[*i] != '%')
		return (unsigned char)s[(*i)++];
	if (s + *i + 2 >= e)
		return -1;
	h = hexval(s[*i + 1]);
	l = hexval(s[*i + 2]);
	if (h < 0 || l < 0)
		return -1;
	*i += 3;
	*esc = true;
	return h * 16 + l;
}

bool uri_unescape(const char *s, size_t n, char *out, size_t size)
{
	size_t i = 0, o = 0;
	bool esc;
	int c;

	while (i < n) {
		c = next_char(s, s + n, &i, &esc);
		if (c <= 0 || o + 1 >= size)
			return false;
		out[o++] = (char)c;
	}
	if (o >= size)
		return false;
	out[o] = 0;
	return true;
}

/* [s, e) in normal form into the pool; NULL if it does not fit or is bad. */
static const char *norm(struct nuri *u, const char *s, const char *e,
			bool lower)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = u->pool + u->used, *o = out;
	const char *end = u->pool + sizeof(u->pool) - 4;
	size_t i = 0, n = (size_t)(e - s);
	bool esc;
	int c;

	while (i < n) {
		if (o >= end)
			return NULL;
		c = next_char(s, e, &i, &esc);
		if (c < 0)
			return NULL;
		if (esc && (reserved(c) || !c || c == '%')) {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
			continue;
		}
		*o++ = (char)(lower ? tolower(c) : c);
	}
	*o++ = 0;
	u->used = (size_t)(o - u->pool);
	return out;
}

/* "name[=value]" pieces of [s, e) split at @sep. */
static bool split(struct nuri *u, const char *s, const char *e, char sep,
		  struct kv *v, unsigned int *n)
{
	while (s < e) {
		const char *p = memchr(s, sep, (size_t)(e - s));
		const char *q, *eq;

		q = p ? p : e;
		if (q > s) {
			if (*n == URI_PARTS)
				return false;
			eq = memchr(s, '=', (size_t)(q - s));
			v[*n].k = norm(u, s, eq ? eq : q, true);
			v[*n].v = eq ? norm(u, eq + 1, q, true) : NULL;
			if (!v[*n].k || (eq && !v[*n].v))
				return false;
			(*n)++;
		}
		s = q + (p ? 1 : 0);
	}
	return true;
}

/* host [":" port], IPv6 references in brackets. */
static bool hostport(struct nuri *u, const char *s, const char *e)
{
	const char *c;

	if (s < e && *s == '[') {
		c = memchr(s, ']', (size_t)(e - s));
		if (!c)
			return false;
		c++;
		if (c < e && *c != ':')
			return false;
	} else {
		c = memchr(s, ':', (size_t)(e - s));
		if (!c)
			c = e;
	}
	u->host = norm(u, s, c, true);
	if (!u->host || !*u->host)
		return false;
	if (c < e) {
		u->port = norm(u, c + 1, e, false);
		if (!u->port || !*u->port ||
		    strspn(u->port, "0123456789") != strlen(u->port))
			return false;
	}
	return true;
}

static bool parse(struct nuri *u, const char *s)
{
	const char *e, *q, *at, *semi;

	memset(u, 0, sizeof(*u));
	if (!strncasecmp(s, "sips:", 5)) {
		u->sips = true;
		s += 5;
	} else if (!strncasecmp(s, "sip:", 4)) {
		s += 4;
	} else {
		return false;
	}
	e = s + strlen(s);
	q = memchr(s, '?', (size_t)(e - s));
	if (!q)
		q = e;
	at = memchr(s, '@', (size_t)(q - s));
	if (at) {
		u->user = norm(u, s, at, false);
		if (!u->user)
			return false;
		s = at + 1;
	}
	semi = memchr(s, ';', (size_t)(q - s));
	if (!semi)
		semi = q;
	if (!hostport(u, s, semi))
		return false;
	if (!split(u, semi, q, ';', u->prm, &u->np))
		return false;
	return q == e || split(u, q + 1, e, '&', u->hdr, &u->nh);
}

static const struct kv *lookup(const struct kv *v, unsigned int n,
			       const char *k)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].k, k))
			return &v[i];
	return NULL;
}

static bool same_value(const struct kv *a, const struct kv *b)
{
	if (!a->v || !b->v)
		return !a->v && !b->v;
	return !strcmp(a->v, b->v);
}

static bool must_be_in_both(const char *k)
{
	return !strcmp(k, "user") || !strcmp(k, "ttl") ||
	       !strcmp(k, "method") || !strcmp(k, "maddr") ||
	       !strcmp(k, "transport");
}

/* Every parameter of @a against @b (run both ways). */
static bool params_match(const struct nuri *a, const struct nuri *b)
{
	unsigned int i;

	for (i = 0; i < a->np; i++) {
		const struct kv *o = lookup(b->prm, b->np, a->prm[i].k);

		if (o ? !same_value(&a->prm[i], o) :
			must_be_in_both(a->prm[i].k))
			return false;
	}
	return true;
}

static bool headers_match(const struct nuri *a, const struct nuri *b)
{
	unsigned int i;

	if (a->nh != b->nh)
		return false;
	for (i = 0; i < a->nh; i++) {
		const struct kv *o = lookup(b->hdr, b->nh, a->hdr[i].k);

		if (!o || !same_value(&a->hdr[i], o))
			return false;
	}
	return true;
}

static bool port_match(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b;
	return strtoul(a, NULL, 10) == strtoul(b, NULL, 10);
}

bool uri_equal(const char *a, const char *b)
{
	struct nuri nx, ny, *x = &nx, *y = &ny;

	if (!strcmp(a, b))
		return true;
	if (!parse(x, a) || !parse(y, b))
		return false;
	return x->sips == y->sips &&
	     (x->user && y->user ? !strcmp(x->user, y->user) :
				   !x->user && !y->user) &&
	     !strcmp(x->host, y->host) && port_match(x->port, y->port) &&
	     params_match(x, y) && params_match(y, x) && headers_match(x, y);
}

bool uri_has_host_param(const char *uri, const char *host, const char *param)
{
	struct nuri u;
	unsigned int i;

	if (!parse(&u, uri) || strcasecmp(u.host, host))
		return false;
	for (i = 0; i < u.np; i++)
		if (!strcmp(u.prm[i].k, param))
			return true;
	return false;
}
