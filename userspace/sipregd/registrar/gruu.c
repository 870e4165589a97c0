// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5627 GRUUs without a row per GRUU.
 *
 * The public GRUU is the AOR with gr=<instance id>: anyone may compute
 * it, as the RFC intends, and it lives as long as the AOR does.
 *
 * A temporary GRUU must be new at every registration and refresh, must
 * keep working for as long as its contact stays registered under the same
 * Call-ID (3.2: a UA that reboots changes Call-ID, and its old temp-gruus
 * die), must not reveal the AOR, and two of them must not be linkable by
 * anyone but us. Storing one row per refresh would grow the store without
 * end; instead a temp-gruu is one 128-bit block, enciphered under a key
 * only the registrar holds:
 *
 *   handle = SipHash(km, "h" AOR instance)       64 bits: which binding
 *   cseq   = the binding's CSeq at issue         32 bits: the "counter"
 *   check  = SipHash(km, "c" AOR instance Call-ID cseq)  low 32 bits
 *
 * The block cipher is a four-round Feistel network whose round function
 * is SipHash under a second key (Luby-Rackoff: a strong pseudorandom
 * permutation from a PRF), so the output says nothing of its fields and
 * two temp-gruus of one binding look unrelated. The CSeq of a binding
 * goes up at each refresh under one Call-ID (RFC 3261 10.3 step 7), so
 * each refresh yields a new block, a retransmission the same one, and a
 * temp-gruu checks out against the live binding as long as its Call-ID
 * is the same and its CSeq is not above the binding's. A forged or
 * altered block deciphers to random fields: its handle matches a binding
 * with chance 2^-64, its check with 2^-32 more. Both keys sit in the
 * store's meta table, so a restart or another gateway on a shared store
 * honours the temp-gruus already issued. The handle is what a routing
 * proxy would index bindings by; the registrar itself only checks them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gruu.h"
#include "hash.h"
#include "uri_eq.h"
#include "random.h"

#define GRUU_ROUNDS	4
#define TEMP_PREFIX	"tgruu."

struct gruu {
	struct sipreg_mackey perm;	/* Feistel round function */
	struct sipreg_mackey mac;	/* handle and check */
};

struct gruu *gruu_open(struct store *st)
{
	struct gruu *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	if (store_meta_get(st, "gruu_keys", g, sizeof(*g)) != 1) {
		random_bytes(g, sizeof(*g));
		/* unsaved, GRUUs only die with this process: not fatal */
		store_meta_put(st, "gruu_keys", g, sizeof(*g));
	}
	return g;
}

void gruu_free(struct gruu *g)
{
	free(g);
}

/* ---- public GRUU ---------------------------------------------------------- */

/* RFC 3261 25.1 paramchar: unreserved / param-unreserved. */
static bool paramchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-_.!~*'()[]/:&+$", c);
}

bool gruu_public(const char *aor, const char *instance, char *out,
		 size_t size)
{
	size_t n = strlen(instance), o;
	const char *s = instance;

	/* the instance id is a URN in <>: gr takes the URN (RFC 5627 3.1) */
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
	}
	o = (size_t)snprintf(out, size, "%s;gr=", aor);
	if (o >= size)
		return false;
	for (; n; n--, s++) {
		unsigned char c = (unsigned char)*s;

		if (o + 4 > size)
			return false;
		if (c && paramchar(c))
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, size - o, "%%%02X", c);
	}
	out[o] = 0;
	return true;
}

/* ---- temporary GRUU --------------------------------------------------------- */

static u64 handle_of(const struct gruu *g, const char *aor,
		     const char *instance)
{
	char buf[2 + STORE_AOR_MAX + STORE_INSTANCE_MAX];
	int n = snprintf(buf, sizeof(buf), "h%s%c%s", aor, 0, instance);

	return sipreg_mac64(&g->mac, buf, (size_t)n);
}

static u32 check_of(const struct gruu *g, const struct store_binding *b,
		    u32 cseq)
{
	char buf[4 + STORE_AOR_MAX + STORE_INSTANCE_MAX + STORE_CALLID_MAX +
		 12];
	int n = snprintf(buf, sizeof(buf), "c%s%c%s%c%s%c%u", b->aor, 0,
			 b->instance, 0, b->call_id, 0, cseq);

	return (u32)sipreg_mac64(&g->mac, buf, (size_t)n);
}

static u64 round_f(const struct gruu *g, unsigned int i, u64 x)
{
	u8 in[9];

	in[0] = (u8)i;
	memcpy(in + 1, &x, 8);
	return sipreg_mac64(&g->perm, in, sizeof(in));
}

static void encipher(const struct gruu *g, u64 *l, u64 *r)
{
	unsigned int i;
	u64 t;

	for (i = 0; i < GRUU_ROUNDS; i++) {
		t = *l ^ round_f(g, i, *r);
		*l = *r;
		*r = t;
	}
}

static void decipher(const struct gruu *g, u64 *l, u64 *r)
{
	unsigned int i = GRUU_ROUNDS;
	u64 t;

	while (i--) {
		t = *r ^ round_f(g, i, *l);
		*r = *l;
		*l = t;
	}
}

/* The AOR's scheme ("sip" or "sips") and domain. */
static bool aor_parts(const char *aor, const char **scheme, const char **host)
{
	const char *at = strrchr(aor, '@');

	if (!at)
		return false;
	*scheme = !strncasecmp(aor, "sips:", 5) ? "sips" : "sip";
	*host = at + 1;
	return true;
}

bool gruu_temp(const struct gruu *g, const struct store_binding *b,
	       char *out, size_t size)
{
	const char *scheme, *host;
	u64 l, r;
	int n;

	if (!aor_parts(b->aor, &scheme, &host))
		return false;
	l = handle_of(g, b->aor, b->instance);
	r = (u64)b->cseq << 32 | check_of(g, b, b->cseq);
	encipher(g, &l, &r);
	n = snprintf(out, size, "%s:" TEMP_PREFIX "%016llx%016llx@%s;gr",
		     scheme, (unsigned long long)l, (unsigned long long)r,
		     host);
	return n > 0 && (size_t)n < size;
}

static bool hex64(const char *s, u64 *v)
{
	unsigned int i;

	*v = 0;
	for (i = 0; i < 16; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return false;
		*v = *v << 4 | (u64)d;
	}
	return true;
}

bool gruu_temp_valid(const struct gruu *g, const char *uri,
		     const struct store_binding *b)
{
	const char *p = strchr(uri, ':'), *scheme, *host;
	u64 l, r;
	u32 cseq;

	if (!p || !b->instance[0] || !aor_parts(b->aor, &scheme, &host) ||
	    !uri_has_host_param(uri, host, "gr"))
		return false;
	p++;
	if (strncasecmp(p, TEMP_PREFIX, strlen(TEMP_PREFIX)))
		return false;
	p += strlen(TEMP_PREFIX);
	if (!hex64(p, &l) || !hex64(p + 16, &r) || p[32] != '@')
		return false;
	decipher(g, &l, &r);
	cseq = (u32)(r >> 32);
	return l == handle_of(g, b->aor, b->instance) && cseq <= b->cseq &&
	       (u32)r == check_of(g, b, cseq);
}
