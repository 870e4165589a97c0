// SPDX-License-Identifier: GPL-2.0
/*
 * bench_fastpath: the fast path's shared code, run in userspace so that
 * callgrind can count its instructions exactly.
 *
 *   bench_fastpath                 checks both answers once, prints them
 *                                  and ns per request (median of runs)
 *   bench_fastpath -c N challenge  N times fp_challenge() and nothing else
 *   bench_fastpath -c N refresh    N times fp_refresh() and nothing else
 *
 * Under callgrind with --toggle-collect=fp_challenge (or fp_refresh), Ir
 * divided by N is the exact instruction count per request.
 *
 * fp_challenge: parse a REGISTER without credentials, make a nonce, write
 * the 401 (the challenge's constant part prebuilt, as the module caches
 * it). fp_refresh: parse a REGISTER with Digest credentials, check realm,
 * algorithm and nonce, verify the response against the HA1 (HA2 from a
 * cache as the module keeps per CPU, warmed in setup()), write the 200
 * with the one contact. The requests are the load generator's own
 * (lg_sip_build), byte for byte what the VM benchmark sends. What the
 * module does around this (netfilter, skb, the user and binding hash
 * tables, the send) is not here: that is what the VM run measures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "digest.h"
#include "ha1.h"
#include "sip.h"
#include "nonce.h"
#include "parser.h"
#include "reply.h"

#define RUNS	11
#define ITERS	20000
#define OUT_MAX	2048

static const char realm[] = "sipreg.test";
static const char user[] = "user000001";
static const char pass[] = "pw000001";
static const char client_ip[] = "192.0.2.1";
#define CLIENT_PORT	40000
#define NOW		1000u		/* CLOCK_BOOTTIME seconds */
#define LIFETIME	300u
#define EXPIRES		3600u

static struct sipreg_nonce_keys keys;
/* The module's per-CPU HA2 of the last refresh (fastpath.c). */
static struct sipreg_ha2_cache ha2_cache;
static struct sipreg_addr client;
static u8 ha1[SIPREG_MD5_LEN];
/* "..., algorithm=MD5, qop=\"auth\"\r\n" after the nonce: built once. */
static char chal_tail[64];
static size_t chal_tail_len;

static char initial[LG_REQ_MAX], authorized[LG_REQ_MAX];
static u8 warm[OUT_MAX];
static size_t initial_len, authorized_len;
static volatile unsigned long sink;

/* Not static, so that no clone renames them: callgrind looks for them. */
int fp_challenge(const u8 *req, size_t len, u8 *out, size_t cap);
int fp_refresh(const u8 *req, size_t len, u8 *out, size_t cap);

static const struct sipreg_reply_src src = {
	client_ip, sizeof(client_ip) - 1, CLIENT_PORT
};

/* To tag of our answers: a MAC of the Call-ID, so retransmissions match. */
static void make_tag(const u8 *req, const struct sipreg_msg *m, char *tag)
{
	u64 h = sipreg_mac64(&keys.cur, req + m->call_id.off, m->call_id.len);

	sipreg_digest_hex((const u8 *)&h, sizeof(h), tag);
}

__attribute__((noinline))
int fp_challenge(const u8 *req, size_t len, u8 *out, size_t cap)
{
	struct sipreg_reply r;
	struct sipreg_msg m;
	char nonce[SIPREG_NONCE_LEN], tag[16];

	if (sipreg_parse(req, len, &m) != SIPREG_OK ||
	    (m.auth.flags & SIPREG_AUTH_PRESENT))
		return -1;
	sipreg_nonce_make(&keys, NOW, 0, &client, (const u8 *)realm,
			  sizeof(realm) - 1, nonce);
	make_tag(req, &m, tag);
	sipreg_reply_init(&r, out, cap);
	sipreg_reply_start(&r, req, &m, 401, "Unauthorized", 12, &src,
			   (const u8 *)tag, sizeof(tag));
	sipreg_reply_lit(&r, "WWW-Authenticate: Digest realm=\"sipreg.test\", nonce=\"");
	sipreg_reply_put(&r, nonce, sizeof(nonce));
	sipreg_reply_put(&r, chal_tail, chal_tail_len);
	return sipreg_reply_end(&r);
}

static struct sipreg_digest_str dstr(const u8 *req, struct sipreg_span sp)
{
	return (struct sipreg_digest_str){ req + sp.off, sp.len };
}

static int refresh(const u8 *req, size_t len, u8 *out, size_t cap)
{
	const struct sipreg_msg_contact *c;
	struct sipreg_digest_req d;
	struct sipreg_reply r;
	struct sipreg_msg m;
	enum sipreg_alg alg;
	char nc[8], tag[16];
	bool sess;
	u32 expires;

	if (sipreg_parse(req, len, &m) != SIPREG_OK || m.n_contacts != 1 ||
	    !(m.auth.flags & SIPREG_AUTH_DIGEST) ||
	    !sipreg_span_eq_unquoted(req, m.auth.realm, (const u8 *)realm,
				     sizeof(realm) - 1) ||
	    !sipreg_span_eq_unquoted(req, m.auth.username, (const u8 *)user,
				     sizeof(user) - 1) ||
	    !sipreg_digest_alg_parse(req + m.auth.algorithm.off,
				     m.auth.algorithm.len, &alg, &sess) ||
	    alg != SIPREG_ALG_MD5)
		return -1;
	if (sipreg_nonce_check(&keys, NOW, LIFETIME, &client,
			       (const u8 *)realm, sizeof(realm) - 1,
			       req + m.auth.nonce.off,
			       m.auth.nonce.len) != SIPREG_NONCE_VALID)
		return -1;
	/* The parser keeps nc as a number; the digest hashes its 8 hex. */
	nc[0] = 0;
	d = (struct sipreg_digest_req){
		.alg = alg,
		.sess = sess,
		.method = dstr(req, m.method),
		.uri = dstr(req, m.auth.uri),
		.nonce = dstr(req, m.auth.nonce),
		.cnonce = dstr(req, m.auth.cnonce),
		.qop = dstr(req, m.auth.qop),
		.response = dstr(req, m.auth.response),
	};
	if (m.auth.qop.len) {
		u32 v = m.auth.nc;
		int i;

		for (i = 7; i >= 0; i--, v >>= 4)
			nc[i] = "0123456789abcdef"[v & 15];
		d.nc = (struct sipreg_digest_str){ (const u8 *)nc, 8 };
	}
	if (sipreg_digest_verify_cached(&d, ha1, sizeof(ha1), &ha2_cache) !=
	    SIPREG_DIGEST_OK)
		return -1;
	c = &m.contacts[0];
	expires = c->flags & SIPREG_CONTACT_EXPIRES ? c->expires :
		  m.flags & SIPREG_MSG_EXPIRES ? m.expires : EXPIRES;
	make_tag(req, &m, tag);
	sipreg_reply_init(&r, out, cap);
	sipreg_reply_start(&r, req, &m, 200, "OK", 2, &src, (const u8 *)tag,
			   sizeof(tag));
	sipreg_reply_lit(&r, "Contact: <");
	sipreg_reply_span(&r, req, c->uri);
	sipreg_reply_lit(&r, ">;expires=");
	sipreg_reply_u32(&r, expires);
	sipreg_reply_lit(&r, "\r\n");
	return sipreg_reply_end(&r);
}

__attribute__((noinline))
int fp_refresh(const u8 *req, size_t len, u8 *out, size_t cap)
{
	return refresh(req, len, out, cap);
}

/* The two requests, as sipreg-load's user 1 sends them. */
static int setup(void)
{
	struct sipreg_mackey key = { { 0x0706050403020100ull,
				       0x0f0e0d0c0b0a0908ull } };
	u8 client4[4] = { 192, 0, 2, 1 };
	char nonce[SIPREG_NONCE_LEN];
	struct lg_cred cred;
	struct lg_req q;

	if (sipreg_hash_init())
		return -1;
	sipreg_nonce_keys_init(&keys, &key, NOW);
	sipreg_addr_set_v4(&client, client4);
	if (ha1_from_password(SIPREG_ALG_MD5, user, realm, pass, ha1))
		return -1;
	chal_tail_len = snprintf(chal_tail, sizeof(chal_tail),
				 "\", algorithm=MD5, qop=\"auth\"\r\n");
	sipreg_nonce_make(&keys, NOW, 0, &client, (const u8 *)realm,
			  sizeof(realm) - 1, nonce);
	q = (struct lg_req){
		.ids = { .run = 0x12345678, .thread = 0, .ua = 0, .gen = 1,
			 .txn = 1 },
		.domain = LG_STR("192.0.2.2"),
		.user = LG_STR("user000001"),
		.host = LG_STR("192.0.2.1"),
		.port = CLIENT_PORT,
		.cseq = 1,
		.expires = EXPIRES,
	};
	initial_len = lg_sip_build(initial, sizeof(initial), &q);
	cred = (struct lg_cred){
		.user = LG_STR("user000001"),
		.realm = LG_STR("sipreg.test"),
		.nonce = { nonce, sizeof(nonce) },
		.alg = SIPREG_ALG_MD5,
		.qop = true,
		.nc = 7,
		.cnonce = 0x0123456789abcdefull,
		.ha1 = ha1,
	};
	q.ids.txn = 9;
	q.cseq = 9;
	q.cred = &cred;
	authorized_len = lg_sip_build(authorized, sizeof(authorized), &q);
	if (!initial_len || !authorized_len)
		return -1;
	/*
	 * Warm, outside what callgrind counts, as under load: the module's
	 * HA2 cache then holds this Request-URI's (all users share it).
	 */
	return refresh((const u8 *)authorized, authorized_len, warm,
		       sizeof(warm)) > 0 ? 0 : -1;
}

static int run(const char *which, long n)
{
	int (*fn)(const u8 *, size_t, u8 *, size_t);
	const char *req;
	u8 out[OUT_MAX];
	size_t len;
	long i;

	if (!strcmp(which, "challenge")) {
		fn = fp_challenge;
		req = initial;
		len = initial_len;
	} else if (!strcmp(which, "refresh")) {
		fn = fp_refresh;
		req = authorized;
		len = authorized_len;
	} else {
		return -1;
	}
	for (i = 0; i < n; i++) {
		int r = fn((const u8 *)req, len, out, sizeof(out));

		if (r <= 0)
			return -1;
		sink += r + out[r - 1];
	}
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_ns(const char *which)
{
	double t[RUNS], t0;
	int i;

	run(which, ITERS / 10);
	for (i = 0; i < RUNS; i++) {
		t0 = now_ns();
		run(which, ITERS);
		t[i] = (now_ns() - t0) / ITERS;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

int main(int argc, char **argv)
{
	static const char *const which[] = { "challenge", "refresh" };
	u8 out[OUT_MAX];
	unsigned int i;
	int n;

	if (setup()) {
		fprintf(stderr, "bench_fastpath: setup failed\n");
		return 2;
	}
	if (argc == 4 && !strcmp(argv[1], "-c")) {
		if (run(argv[3], atol(argv[2]))) {
			fprintf(stderr, "bench_fastpath: %s: not answered\n",
				argv[3]);
			return 1;
		}
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: bench_fastpath [-c N challenge|refresh]\n");
		return 2;
	}
	n = fp_challenge((const u8 *)initial, initial_len, out, sizeof(out));
	if (n <= 0)
		return 1;
	printf("---- request\n%.*s---- 401\n%.*s", (int)initial_len, initial,
	       n, (const char *)out);
	n = fp_refresh((const u8 *)authorized, authorized_len, out, sizeof(out));
	if (n <= 0)
		return 1;
	printf("---- request\n%.*s---- 200\n%.*s", (int)authorized_len,
	       authorized, n, (const char *)out);
	for (i = 0; i < 2; i++)
		printf("%-9s %.0f ns per request (median of %d x %d)\n",
		       which[i], median_ns(which[i]), RUNS, ITERS);
	return 0;
}
