/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test bed of the registrar's rule tests: a registrar on a
 * ":memory:" store with one user, alice (password "secret") in realm
 * REALM, and requests built, challenged, authenticated and handed
 * straight to registrar_handle() at a chosen time. No network. Included
 * by the tests that share it, after kselftest_harness.h.
 */
#ifndef SIPREG_REGISTRAR_BED_H
#define SIPREG_REGISTRAR_BED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "digest.h"
#include "ha1.h"
#include "registrar/registrar.h"
#include "store/store.h"

#define REALM	"example.com"
#define T0	1700000000
#define BOOT0	1000

struct bed {
	struct registrar *reg;
	struct store *st;
	struct sockaddr_in src;
	char nonce[64];
	unsigned int nc, branch;
	size_t resp_max;		/* what registrar_handle() may write */
	char req[8192];
	uint8_t resp[REGISTRAR_RESP_MAX];
	size_t len;
};

static struct registrar_cfg test_cfg(void)
{
	struct registrar_cfg c = {
		.realm = REALM, .min_expires = 60, .default_expires = 3600,
		.max_expires = 7200, .max_contacts = 10, .nonce_lifetime = 300,
		.alg_md5 = true, .alg_sha256 = true,
	};

	return c;
}

/* The bed on the store at @path (":memory:" or a file). */
static int bed_init_at(struct bed *b, const char *path)
{
	struct registrar_cfg cfg = test_cfg();
	struct registrar_time now = { .wall = T0, .boot = BOOT0 };
	struct store_user su;
	char err[256];

	memset(b, 0, sizeof(*b));
	b->resp_max = sizeof(b->resp) - 1;
	b->src.sin_family = AF_INET;
	b->src.sin_port = htons(5062);
	inet_pton(AF_INET, "192.0.2.1", &b->src.sin_addr);
	b->st = store_open(path, STORE_SYNC_NORMAL, err, sizeof(err));
	if (!b->st)
		return -1;
	memset(&su, 0, sizeof(su));
	snprintf(su.user, sizeof(su.user), "alice");
	snprintf(su.realm, sizeof(su.realm), REALM);
	ha1_from_password(SIPREG_ALG_MD5, "alice", REALM, "secret", su.ha1_md5);
	su.has_md5 = true;
	store_user_put(b->st, &su);
	b->reg = registrar_new(&cfg, b->st, NULL, &now, 64);
	return b->reg ? 0 : -1;
}

static __attribute__((unused)) int bed_init(struct bed *b)
{
	return bed_init_at(b, ":memory:");
}

static void bed_fini(struct bed *b)
{
	registrar_free(b->reg);
	store_close(b->st);
}

static int send_at(struct bed *b, int dt)
{
	struct registrar_time now = { .wall = T0 + dt, .boot = BOOT0 + (uint32_t)dt };
	struct registrar_pkt pkt = {
		(const uint8_t *)b->req, strlen(b->req),
		(const struct sockaddr *)&b->src, NULL, REGISTRAR_UDP, 0,
	};

	b->len = registrar_handle(b->reg, &pkt, &now, b->resp, b->resp_max);
	b->resp[b->len] = 0;
	return b->len > 12 ? atoi((const char *)b->resp + 8) : 0;
}

static void auth_hdr(struct bed *b, char *out, size_t size)
{
	u8 ha1[SIPREG_HASH_MAX], resp[SIPREG_HASH_MAX];
	char hex[2 * SIPREG_HASH_MAX + 1], ncs[9];
	struct sipreg_digest_req d = {
		.alg = SIPREG_ALG_MD5,
		.method = { (const u8 *)"REGISTER", 8 },
		.uri = { (const u8 *)"sip:" REALM, strlen("sip:" REALM) },
		.nonce = { (const u8 *)b->nonce, strlen(b->nonce) },
		.nc = { (const u8 *)ncs, 8 },
		.cnonce = { (const u8 *)"cn", 2 },
		.qop = { (const u8 *)"auth", 4 },
	};

	snprintf(ncs, sizeof(ncs), "%08x", ++b->nc);
	ha1_from_password(SIPREG_ALG_MD5, "alice", REALM, "secret", ha1);
	sipreg_digest_response(&d, ha1, 16, resp);
	sipreg_digest_hex(resp, 16, hex);
	hex[32] = 0;
	snprintf(out, size,
		 "Authorization: Digest username=\"alice\", realm=\"" REALM
		 "\", nonce=\"%s\", uri=\"sip:" REALM "\", response=\"%s\", "
		 "algorithm=MD5, cnonce=\"cn\", qop=auth, nc=%s\r\n",
		 b->nonce, hex, ncs);
}

/* A REGISTER for To: <sip:@to_user@...>; @auth and @hdrs whole lines. */
static void build(struct bed *b, const char *to_user, const char *call_id,
		  unsigned int cseq, const char *auth, const char *hdrs)
{
	snprintf(b->req, sizeof(b->req),
		 "REGISTER sip:" REALM " SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-%u;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:alice@" REALM ">;tag=f%u\r\n"
		 "To: <sip:%s@" REALM ">\r\n"
		 "Call-ID: %s\r\nCSeq: %u REGISTER\r\n%s%s"
		 "Content-Length: 0\r\n\r\n",
		 b->branch, b->branch, to_user, call_id, cseq, auth, hdrs);
	b->branch++;
}

static int challenge(struct bed *b)
{
	const char *p;
	int st;

	build(b, "alice", "probe", 1, "", "");
	st = send_at(b, 0);
	p = strstr((const char *)b->resp, "nonce=\"");
	if (st != 401 || !p)
		return -1;
	snprintf(b->nonce, sizeof(b->nonce), "%.*s",
		 (int)strcspn(p + 7, "\""), p + 7);
	b->nc = 0;
	return 0;
}

/* An authenticated REGISTER: its status. */
static int reg_as(struct bed *b, const char *to_user, const char *call_id,
		  unsigned int cseq, const char *hdrs, int dt)
{
	char auth[1024];

	auth_hdr(b, auth, sizeof(auth));
	build(b, to_user, call_id, cseq, auth, hdrs);
	return send_at(b, dt);
}

static int reg(struct bed *b, const char *call_id, unsigned int cseq,
	       const char *hdrs, int dt)
{
	return reg_as(b, "alice", call_id, cseq, hdrs, dt);
}

static __attribute__((unused)) int count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

#define has(b, s)	(strstr((const char *)(b)->resp, (s)) != NULL)

#endif /* SIPREG_REGISTRAR_BED_H */
