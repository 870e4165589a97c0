// SPDX-License-Identifier: GPL-2.0
/*
 * The registrar of sipregd against RFC 3261 section 10.3, no network: each
 * case is a sequence of requests at time offsets, each with the exact
 * status and Contact set expected back, over an in-memory SQLite store.
 * Digest answers are computed here with the shared digest code, from the
 * nonce the registrar's own 401 carried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wclobbered"
/* the case table leaves trailing fields of a step out */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "kselftest_harness.h"

#include "digest.h"
#include "ha1.h"
#include "registrar/registrar.h"
#include "store/store.h"

#define REALM	"example.com"
#define T0	1700000000
#define BOOT0	1000
#define C1	"<sip:alice@192.0.2.1:5062>"
#define C2	"<sip:alice@192.0.2.1:5064>"
#define C3	"<sip:alice@192.0.2.1:5066>"
#define C4	"<sip:alice@192.0.2.1:5068>"

enum how {
	A_GOOD,		/* Digest MD5, qop=auth, the current nonce, nc + 1 */
	A_SHA256,	/* the same with SHA-256 */
	A_LEGACY,	/* MD5 without qop (RFC 2069 form) */
	A_NONE,		/* no Authorization */
	A_WRONG,	/* wrong password */
	A_UNKNOWN,	/* a user that does not exist */
	A_REPLAY,	/* the previous step's nonce count again */
	A_STALE,	/* a nonce from the start of the case */
	A_RETRANS,	/* the previous request, byte for byte */
	A_REGEN,	/* the previous request, same branch, nc + 1 (sipp) */
	A_RAW,		/* hdrs is the whole request */
	A_FORGED,	/* a nonce with a MAC digit changed, answered right */
	A_REALM,	/* realm="other.example", answered with our HA1 */
};

struct step {
	int dt;			/* seconds after the start of the case */
	enum how how;
	const char *call_id;	/* NULL: "call-1" */
	unsigned int cseq;
	const char *hdrs;	/* Contact, Expires and other lines */
	int status;
	const char *contacts;	/* Contact lines of the answer, NULL: any */
	const char *has;	/* must appear in the answer */
	const char *user;	/* NULL: alice */
};

#define MAX_STEPS	6

struct rcase {
	const char *name;
	struct step s[MAX_STEPS];
};

#define EXP(uri, n)	"Contact: " uri ";expires=" #n
#define IDS		";+sip.instance=\"<urn:uuid:1>\";reg-id=1"

static const struct rcase cases[] = {
	{ "initial REGISTER is challenged", {
		{ 0, A_NONE, NULL, 1, "Contact: " C1 "\r\n", 401, "",
		  "WWW-Authenticate: Digest realm=\"example.com\"" },
	} },
	{ "authenticated add", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\nExpires: 3600\r\n",
		  200, EXP(C1, 3600), "\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\n" },
	} },
	{ "refresh", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
		{ 100, A_GOOD, NULL, 2, "Contact: " C1 "\r\nExpires: 1800\r\n",
		  200, EXP(C1, 1800) },
	} },
	{ "query lists remaining time", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
		{ 10, A_GOOD, "other", 1, "", 200, EXP(C1, 3590) },
	} },
	{ "remove one of two", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 ", " C2 "\r\n", 200,
		  EXP(C1, 3600) "\n" EXP(C2, 3600) },
		{ 5, A_GOOD, NULL, 2, "Contact: " C1 ";expires=0\r\n", 200,
		  EXP(C2, 3595) },
	} },
	{ "wildcard with Expires 0 removes all", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\nContact: " C2 "\r\n",
		  200, EXP(C1, 3600) "\n" EXP(C2, 3600) },
		{ 1, A_GOOD, "another", 1, "Contact: *\r\nExpires: 0\r\n", 200, "" },
	} },
	{ "wildcard with Expires 3600 is 400", {
		{ 0, A_GOOD, NULL, 1, "Contact: *\r\nExpires: 3600\r\n", 400, "",
		  "400 Bad Request (bad_contact)" },
	} },
	{ "wildcard with another contact is 400", {
		{ 0, A_GOOD, NULL, 1, "Contact: *, " C1 "\r\nExpires: 0\r\n", 400,
		  "", "400 Bad Request (bad_contact)" },
	} },
	{ "below min_expires is 423 with Min-Expires", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\nExpires: 30\r\n", 423,
		  "", "\r\nMin-Expires: 60\r\n" },
		{ 1, A_GOOD, NULL, 2, "", 200, "" },
	} },
	{ "above max_expires is clamped", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\nExpires: 99999\r\n",
		  200, EXP(C1, 7200) },
	} },
	{ "contact expires param wins over Expires", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 ";expires=120, " C2
		  "\r\nExpires: 600\r\n", 200,
		  EXP(C1, 120) "\n" EXP(C2, 600) },
	} },
	/* an equal CSeq is the committed request again (Kamailio too) */
	{ "same Call-ID, CSeq not higher: 500 (equal: 200), nothing changed", {
		{ 0, A_GOOD, NULL, 5, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
		{ 1, A_GOOD, NULL, 5, "Contact: " C1 "\r\nExpires: 600\r\n", 200,
		  EXP(C1, 3599) },
		{ 2, A_GOOD, NULL, 4, "Contact: " C1 ";expires=0\r\n", 500, "" },
		{ 3, A_GOOD, "q", 1, "", 200, EXP(C1, 3597) },
	} },
	{ "another Call-ID replaces the binding", {
		{ 0, A_GOOD, NULL, 5, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
		{ 1, A_GOOD, "call-2", 1, "Contact: " C1 "\r\nExpires: 900\r\n",
		  200, EXP(C1, 900) },
	} },
	{ "q is stored and echoed", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 ";q=0.5, " C2 ";q=1\r\n",
		  200, EXP(C1, 3600) ";q=0.5\n" EXP(C2, 3600) ";q=1" },
		{ 1, A_GOOD, NULL, 2, "", 200,
		  EXP(C1, 3599) ";q=0.5\n" EXP(C2, 3599) ";q=1" },
	} },
	{ "max_contacts (3): a fourth is 403, nothing changed", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 ", " C2 ", " C3 "\r\n", 200,
		  EXP(C1, 3600) "\n" EXP(C2, 3600) "\n" EXP(C3, 3600) },
		{ 1, A_GOOD, NULL, 2, "Contact: " C4 "\r\n", 403, "",
		  "403 Forbidden (too many contacts)" },
		{ 2, A_GOOD, NULL, 3, "Contact: " C3 "\r\n", 200,
		  EXP(C1, 3598) "\n" EXP(C2, 3598) "\n" EXP(C3, 3600) },
	} },
	{ "Require: foo is 420 with Unsupported: foo", {
		{ 0, A_NONE, NULL, 1, "Require: foo, path\r\nContact: " C1 "\r\n",
		  420, "", "\r\nUnsupported: foo\r\n" },
	} },
	{ "Path with Supported: path is stored and echoed", {
		{ 0, A_GOOD, NULL, 1, "Supported: path\r\n"
		  "Path: <sip:edge.example.com;lr>\r\nContact: " C1 "\r\n", 200,
		  EXP(C1, 3600), "\r\nPath: <sip:edge.example.com;lr>\r\n" },
	} },
	{ "Path without Supported: path is 421 (RFC 3327 5.3)", {
		{ 0, A_GOOD, NULL, 1, "Path: <sip:edge.example.com;lr>\r\n"
		  "Contact: " C1 "\r\n", 421, "", "\r\nRequire: path\r\n" },
	} },
	{ "outbound: same instance and reg-id replaces the flow", {
		{ 0, A_GOOD, NULL, 1, "Supported: outbound\r\nContact: " C1
		  ";+sip.instance=\"<urn:uuid:1>\";reg-id=1\r\n", 200,
		  EXP(C1, 3600) ";+sip.instance=\"<urn:uuid:1>\";reg-id=1",
		  "\r\nRequire: outbound\r\n" },
		{ 1, A_GOOD, NULL, 2, "Contact: " C2
		  ";+sip.instance=\"<urn:uuid:1>\";reg-id=2\r\n", 200,
		  EXP(C1, 3599) ";+sip.instance=\"<urn:uuid:1>\";reg-id=1\n"
		  EXP(C2, 3600) ";+sip.instance=\"<urn:uuid:1>\";reg-id=2" },
		{ 2, A_GOOD, NULL, 3, "Contact: " C3
		  ";+sip.instance=\"<urn:uuid:1>\";reg-id=1\r\n", 200,
		  EXP(C3, 3600) ";+sip.instance=\"<urn:uuid:1>\";reg-id=1\n"
		  EXP(C2, 3599) ";+sip.instance=\"<urn:uuid:1>\";reg-id=2" },
	} },
	{ "wrong password is 401", {
		{ 0, A_WRONG, NULL, 1, "Contact: " C1 "\r\n", 401, "" },
		{ 1, A_GOOD, NULL, 2, "", 200, "" },
	} },
	{ "unknown user is 401, like a wrong password", {
		{ 0, A_UNKNOWN, NULL, 1, "Contact: <sip:mallory@192.0.2.1>\r\n",
		  401, "", NULL, "mallory" },
	} },
	{ "someone else's AOR is 403", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\n", 403, "", NULL, "bob" },
	} },
	{ "stale nonce is 401 stale=true", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
		{ 400, A_STALE, NULL, 2, "Contact: " C1 "\r\n", 401, "",
		  "stale=true" },
		{ 401, A_GOOD, NULL, 3, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
	} },
	{ "replayed nonce count is 401", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
		{ 1, A_REPLAY, NULL, 2, "Contact: " C1 "\r\n", 401, "" },
	} },
	{ "retransmission gets identical bytes", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
		{ 3, A_RETRANS, NULL, 0, NULL, 200, EXP(C1, 3600) },
		{ 4, A_GOOD, NULL, 2, "Contact: " C1 ";expires=0\r\n", 200, "" },
		{ 5, A_RETRANS, NULL, 0, NULL, 200, "" },
		{ 6, A_REGEN, NULL, 2, "Contact: " C1 ";expires=0\r\n", 200, "" },
	} },
	{ "SHA-256 digest", {
		{ 0, A_SHA256, NULL, 1, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
	} },
	{ "legacy digest without qop", {
		{ 0, A_LEGACY, NULL, 1, "Contact: " C1 "\r\n", 200, EXP(C1, 3600) },
	} },
	{ "expired bindings are not listed", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 "\r\nExpires: 60\r\n", 200,
		  EXP(C1, 60) },
		{ 61, A_GOOD, NULL, 2, "", 200, "" },
	} },
	{ "OPTIONS is 200", {
		{ 0, A_RAW, NULL, 0,
		  "OPTIONS sip:example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKo1\r\n"
		  "From: <sip:alice@example.com>;tag=1\r\n"
		  "To: <sip:example.com>\r\n"
		  "Call-ID: opt-1\r\nCSeq: 7 OPTIONS\r\n"
		  "Content-Length: 0\r\n\r\n", 200, "",
		  "\r\nCSeq: 7 OPTIONS\r\nAllow: REGISTER, OPTIONS\r\n" },
	} },
	{ "INVITE is 405 with Allow", {
		{ 0, A_RAW, NULL, 0,
		  "INVITE sip:bob@example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKi1;rport\r\n"
		  "From: <sip:alice@example.com>;tag=1\r\n"
		  "To: <sip:bob@example.com>\r\n"
		  "Call-ID: inv-1\r\nCSeq: 1 INVITE\r\n"
		  "Content-Length: 0\r\n\r\n", 405, "",
		  "\r\nCSeq: 1 INVITE\r\nAllow: REGISTER, OPTIONS\r\n" },
	} },
	{ "malformed request is 400 naming the problem", {
		{ 0, A_RAW, NULL, 0,
		  "REGISTER sip:example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKm1\r\n"
		  "From: <sip:alice@example.com>;tag=1\r\n"
		  "To: <sip:alice@example.com>\r\n"
		  "Call-ID: bad-1\r\nCSeq: 1 INVITE\r\n"
		  "Content-Length: 0\r\n\r\n", 400, "",
		  "SIP/2.0 400 Bad Request (cseq_method_mismatch)\r\n" },
		{ 0, A_RAW, NULL, 0,
		  "REGISTER sip:example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKm2\r\n"
		  "From: <sip:alice@example.com>;tag=1\r\n"
		  "To: <sip:alice@example.com>\r\n"
		  "Call-ID: bad-2\r\nCSeq: 1 REGISTER\r\n"
		  "Contact: <sip:alice@192.0.2.1>;reg-id=soon\r\n"
		  "Content-Length: 0\r\n\r\n", 400, "",
		  "SIP/2.0 400 Bad Request (bad_number)\r\n" },
		{ 0, A_RAW, NULL, 0, "REGISTER garbage\r\n\r\n", 0, NULL },
		{ 0, A_RAW, NULL, 0, "SIP/2.0 200 OK\r\n\r\n", 0, NULL },
	} },
	{ "a forged nonce is 401, however right the answer", {
		{ 0, A_FORGED, NULL, 1, "Contact: " C1 "\r\n", 401, "" },
	} },
	{ "a realm not served is 401, however right the answer", {
		{ 0, A_REALM, NULL, 1, "Contact: " C1 "\r\n", 401, "" },
	} },
	/* RFC 5626 section 6, case by case */
	{ "outbound: a Path without ;ob and Supported: outbound is 439", {
		{ 0, A_GOOD, NULL, 1, "Supported: path, outbound\r\n"
		  "Path: <sip:edge.example.com;lr>\r\nContact: " C1 IDS
		  "\r\n", 439, "", "SIP/2.0 439 First Hop Lacks Outbound "
		  "Support\r\n" },
		{ 1, A_GOOD, NULL, 2, "", 200, "" },
	} },
	{ "outbound: a topmost Path with ;ob is an outbound first hop", {
		{ 0, A_GOOD, NULL, 1, "Supported: path, outbound\r\n"
		  "Path: <sip:edge.example.com;lr;ob>, <sip:p2.example.com;lr>\r\n"
		  "Contact: " C1 IDS "\r\n", 200, EXP(C1, 3600) IDS,
		  "\r\nRequire: outbound\r\nFlow-Timer: 120\r\n" },
	} },
	{ "outbound: ;ob on the second Path only is 439", {
		{ 0, A_GOOD, NULL, 1, "Supported: path, outbound\r\n"
		  "Path: <sip:ob@edge.example.com;lr>\r\n"
		  "Path: <sip:p2.example.com;lr;ob>\r\n"
		  "Contact: " C1 IDS "\r\n", 439, "" },
	} },
	{ "outbound: two Vias and no Path is 439", {
		{ 0, A_GOOD, NULL, 1, "Supported: outbound\r\n"
		  "Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKp\r\n"
		  "Contact: " C1 IDS "\r\n", 439, "" },
	} },
	{ "outbound: first hop lacks it, no Supported: reg-id ignored", {
		{ 0, A_GOOD, NULL, 1, "Supported: path\r\n"
		  "Path: <sip:edge.example.com;lr>\r\nContact: " C1 IDS
		  "\r\n", 200, EXP(C1, 3600)
		  ";+sip.instance=\"<urn:uuid:1>\"" },
	} },
	{ "outbound: reg-id without +sip.instance is ignored", {
		{ 0, A_GOOD, NULL, 1, "Supported: outbound\r\nContact: " C1
		  ";reg-id=1\r\n", 200, EXP(C1, 3600) },
	} },
	{ "outbound: reg-id with two Contacts is 400", {
		{ 0, A_GOOD, NULL, 1, "Supported: outbound\r\nContact: " C1
		  IDS ", " C2 "\r\n", 400, "",
		  "400 Bad Request (reg-id with several Contacts)" },
		{ 1, A_GOOD, NULL, 2, "", 200, "" },
	} },
	{ "outbound: without Supported: outbound, no Require nor Flow-Timer", {
		{ 0, A_GOOD, NULL, 1, "Contact: " C1 IDS "\r\n", 200,
		  EXP(C1, 3600) IDS },
	} },
};

/* ---- a small SIP client ---------------------------------------------------- */

struct client {
	struct registrar *reg;
	struct store *st;
	struct sockaddr_in src;
	char nonce[64], prev_nonce[64];
	int nonce_t;		/* dt when the nonce was issued */
	unsigned int nc, step_no;
	char req[4096], last_req[4096];
	uint8_t resp[REGISTRAR_RESP_MAX];
	size_t resp_len, last_resp_len;
	uint8_t last_resp[REGISTRAR_RESP_MAX];
};

/* The connection the next requests come on; 0: datagrams. */
static uint64_t cur_flow;

static size_t exchange(struct client *c, const char *req, int dt)
{
	struct registrar_time now = { .wall = T0 + dt, .boot = BOOT0 + (uint32_t)dt };
	struct registrar_pkt pkt = {
		(const uint8_t *)req, strlen(req),
		(const struct sockaddr *)&c->src, NULL,
		cur_flow ? REGISTRAR_TCP : REGISTRAR_UDP, cur_flow,
	};

	c->resp_len = registrar_handle(c->reg, &pkt, &now, c->resp,
				       sizeof(c->resp) - 1);
	c->resp[c->resp_len] = 0;
	return c->resp_len;
}

static int status_of(const struct client *c)
{
	return c->resp_len > 12 ? atoi((const char *)c->resp + 8) : 0;
}

static void build(struct client *c, const struct step *s, const char *user,
		  const char *auth)
{
	unsigned int n = c->step_no++;

	snprintf(c->req, sizeof(c->req),
		 "REGISTER sip:" REALM " SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-%u;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:%s@" REALM ">;tag=ft%u\r\n"
		 "To: <sip:%s@" REALM ">\r\n"
		 "Call-ID: %s\r\n"
		 "CSeq: %u REGISTER\r\n"
		 "%s%s"
		 "Content-Length: 0\r\n\r\n",
		 n, user, n, user,
		 s->call_id ? s->call_id : "call-1", s->cseq, auth, s->hdrs);
}

/* Gets a fresh nonce from a 401 to an unauthenticated REGISTER. */
static int challenge(struct client *c, int dt)
{
	static const struct step probe = { 0, A_NONE, "probe", 1, "", 0, 0, 0, 0 };
	const char *p;

	build(c, &probe, "alice", "");
	exchange(c, c->req, dt);
	p = strstr((const char *)c->resp, "nonce=\"");
	if (status_of(c) != 401 || !p)
		return -1;
	snprintf(c->prev_nonce, sizeof(c->prev_nonce), "%s", c->nonce);
	snprintf(c->nonce, sizeof(c->nonce), "%.*s",
		 (int)strcspn(p + 7, "\""), p + 7);
	c->nonce_t = dt;
	c->nc = 0;
	return 0;
}

static void auth_header(struct client *c, enum how how, const char *user,
			const char *nonce, unsigned int nc, char *out,
			size_t size)
{
	enum sipreg_alg alg = how == A_SHA256 ? SIPREG_ALG_SHA256 :
			      SIPREG_ALG_MD5;
	const char *pw = how == A_WRONG ? "wrong" : "secret";
	u8 ha1[SIPREG_HASH_MAX], resp[SIPREG_HASH_MAX];
	char hex[2 * SIPREG_HASH_MAX + 1] = "", ncs[9];
	bool qop = how != A_LEGACY;
	struct sipreg_digest_req d = {
		.alg = alg,
		.method = { (const u8 *)"REGISTER", 8 },
		.uri = { (const u8 *)"sip:" REALM, strlen("sip:" REALM) },
		.nonce = { (const u8 *)nonce, strlen(nonce) },
	};

	snprintf(ncs, sizeof(ncs), "%08x", nc);
	if (qop) {
		d.nc = (struct sipreg_digest_str){ (const u8 *)ncs, 8 };
		d.cnonce = (struct sipreg_digest_str){ (const u8 *)"cn0", 3 };
		d.qop = (struct sipreg_digest_str){ (const u8 *)"auth", 4 };
	}
	ha1_from_password(alg, user, REALM, pw, ha1);
	if (sipreg_digest_response(&d, ha1, sipreg_hash_len(alg), resp) ==
	    SIPREG_DIGEST_OK)
		sipreg_digest_hex(resp, sipreg_hash_len(alg), hex);
	hex[2 * sipreg_hash_len(alg)] = 0;
	snprintf(out, size,
		 "Authorization: Digest username=\"%s\", realm=\"%s\", "
		 "nonce=\"%s\", uri=\"sip:" REALM "\", response=\"%s\", "
		 "algorithm=%s%s%s\r\n", user,
		 how == A_REALM ? "other.example" : REALM, nonce, hex,
		 alg == SIPREG_ALG_MD5 ? "MD5" : "SHA-256",
		 qop ? ", cnonce=\"cn0\", qop=auth, nc=" : "", qop ? ncs : "");
}

/* Sends one step; returns -1 if the client side could not do it. */
static int run_step(struct client *c, const struct step *s, int t_start)
{
	const char *user = s->user ? s->user : "alice";
	char auth[1024] = "", stale_nonce[64];
	unsigned int nc;

	switch (s->how) {
	case A_RAW:
		exchange(c, s->hdrs, s->dt);
		return 0;
	case A_RETRANS:
		exchange(c, c->last_req, s->dt);
		return 0;
	case A_REGEN:
		c->step_no--;
		auth_header(c, A_GOOD, "alice", c->nonce, ++c->nc, auth,
			    sizeof(auth));
		break;
	case A_NONE:
		break;
	case A_STALE:
		snprintf(stale_nonce, sizeof(stale_nonce), "%s", c->nonce);
		if (s->dt - c->nonce_t <= 300)
			return -1;
		auth_header(c, A_GOOD, "alice", stale_nonce, ++c->nc, auth,
			    sizeof(auth));
		break;
	default:
		if ((!c->nonce[0] || s->dt - c->nonce_t > 200) &&
		    challenge(c, s->dt))
			return -1;
		nc = s->how == A_REPLAY ? c->nc : ++c->nc;
		snprintf(stale_nonce, sizeof(stale_nonce), "%s", c->nonce);
		/* the last MAC digit, changed */
		if (s->how == A_FORGED && stale_nonce[0])
			stale_nonce[strlen(stale_nonce) - 1] ^=
				stale_nonce[strlen(stale_nonce) - 1] == '0' ? 1 : 2;
		/* alice authenticates, except as the unknown user */
		auth_header(c, s->how, s->how == A_UNKNOWN ? user : "alice",
			    stale_nonce, nc, auth, sizeof(auth));
		break;
	}
	(void)t_start;
	build(c, s, user, auth);
	memcpy(c->last_req, c->req, sizeof(c->req));
	exchange(c, c->req, s->dt);
	return 0;
}

/* The answer's Contact lines, "\n"-joined. */
static void contacts_of(const struct client *c, char *out, size_t size)
{
	const char *p = (const char *)c->resp;
	size_t n = 0;

	out[0] = 0;
	while ((p = strstr(p, "\r\nContact: "))) {
		const char *e = strstr(p + 2, "\r\n");

		if (!e)
			break;
		n += snprintf(out + n, size - n, "%s%.*s", n ? "\n" : "",
			      (int)(e - p - 2), p + 2);
		p = e;
	}
}

static struct registrar_cfg test_cfg(void)
{
	struct registrar_cfg cfg = {
		.realm = REALM, .min_expires = 60, .default_expires = 3600,
		.max_expires = 7200, .max_contacts = 3, .nonce_lifetime = 300,
		.alg_md5 = true, .alg_sha256 = true, .expiry_jitter = 0,
		.flow_timer = 120,
	};

	return cfg;
}

static void add_user(struct store *st, const char *name)
{
	struct store_user su;

	memset(&su, 0, sizeof(su));
	snprintf(su.user, sizeof(su.user), "%s", name);
	snprintf(su.realm, sizeof(su.realm), REALM);
	ha1_from_password(SIPREG_ALG_MD5, name, REALM, "secret", su.ha1_md5);
	ha1_from_password(SIPREG_ALG_SHA256, name, REALM, "secret", su.ha1_sha256);
	su.has_md5 = su.has_sha256 = true;
	store_user_put(st, &su);
}

static int client_init(struct client *c, const struct registrar_cfg *cfg)
{
	struct registrar_time now = { .wall = T0, .boot = BOOT0 };
	char err[256];

	memset(c, 0, sizeof(*c));
	c->src.sin_family = AF_INET;
	c->src.sin_port = htons(5062);
	inet_pton(AF_INET, "192.0.2.1", &c->src.sin_addr);
	c->st = store_open(":memory:", STORE_SYNC_NORMAL, err, sizeof(err));
	if (!c->st)
		return -1;
	add_user(c->st, "alice");
	add_user(c->st, "bob");
	c->reg = registrar_new(cfg, c->st, NULL, &now, 1024);
	return c->reg ? 0 : -1;
}

static void client_fini(struct client *c)
{
	registrar_free(c->reg);
	store_close(c->st);
}

FIXTURE(reg) {
	struct client *c;
};

FIXTURE_VARIANT(reg) {
	const struct rcase *rc;
};

FIXTURE_SETUP(reg)
{
	struct registrar_cfg cfg = test_cfg();

	self->c = calloc(1, sizeof(*self->c));
	ASSERT_NE(NULL, self->c);
	ASSERT_EQ(0, client_init(self->c, &cfg));
}

FIXTURE_TEARDOWN(reg)
{
	client_fini(self->c);
	free(self->c);
}

#define CASE(id, i) \
	FIXTURE_VARIANT_ADD(reg, id) { .rc = &cases[i] }

CASE(challenge, 0);
CASE(add, 1);
CASE(refresh, 2);
CASE(query, 3);
CASE(remove_one, 4);
CASE(wildcard_remove, 5);
CASE(wildcard_nonzero_400, 6);
CASE(wildcard_mixed_400, 7);
CASE(too_brief_423, 8);
CASE(clamp_max, 9);
CASE(contact_param_wins, 10);
CASE(cseq_not_higher_500, 11);
CASE(callid_replaces, 12);
CASE(q_echoed, 13);
CASE(max_contacts_403, 14);
CASE(require_420, 15);
CASE(path_echoed, 16);
CASE(path_unsupported_421, 17);
CASE(outbound_flow_replace, 18);
CASE(wrong_password_401, 19);
CASE(unknown_user_401, 20);
CASE(foreign_aor_403, 21);
CASE(stale_nonce, 22);
CASE(nc_replay_401, 23);
CASE(retransmission, 24);
CASE(sha256, 25);
CASE(legacy_no_qop, 26);
CASE(expired_not_listed, 27);
CASE(options_200, 28);
CASE(invite_405, 29);
CASE(malformed_400, 30);
CASE(forged_nonce_401, 31);
CASE(foreign_realm_401, 32);
CASE(outbound_path_no_ob_439, 33);
CASE(outbound_path_ob, 34);
CASE(outbound_second_path_ob_439, 35);
CASE(outbound_two_vias_439, 36);
CASE(outbound_reg_id_ignored, 37);
CASE(outbound_no_instance, 38);
CASE(outbound_two_contacts_400, 39);
CASE(outbound_no_flow_timer, 40);

TEST_F(reg, rfc3261_10_3)
{
	const struct rcase *rc = variant->rc;
	struct client *c = self->c;
	char got[4096];
	int i;

	ASSERT_EQ(ARRAY_SIZE(cases), 41);
	for (i = 0; i < MAX_STEPS && (rc->s[i].hdrs || rc->s[i].how ==
				      A_RETRANS); i++) {
		const struct step *s = &rc->s[i];

		memcpy(c->last_resp, c->resp, c->resp_len);
		c->last_resp_len = c->resp_len;
		ASSERT_EQ(0, run_step(c, s, 0)) TH_LOG("%s: step %d", rc->name, i);
		EXPECT_EQ(s->status, status_of(c))
			TH_LOG("%s: step %d: %s", rc->name, i, c->resp);
		if (s->contacts) {
			contacts_of(c, got, sizeof(got));
			EXPECT_STREQ(s->contacts, got)
				TH_LOG("%s: step %d", rc->name, i);
		}
		if (s->has)
			EXPECT_NE(NULL, strstr((const char *)c->resp, s->has))
				TH_LOG("%s: step %d: want %s in %s", rc->name,
				       i, s->has, c->resp);
		if (s->how == A_RETRANS || s->how == A_REGEN) {
			ASSERT_EQ(c->last_resp_len, c->resp_len);
			EXPECT_EQ(0, memcmp(c->last_resp, c->resp, c->resp_len))
				TH_LOG("%s: step %d: not the same bytes",
				       rc->name, i);
		}
	}
}

/* One challenge per algorithm, SHA-256 first when configured (RFC 8760 2.4). */
TEST(challenge_order)
{
	struct registrar_cfg cfg = test_cfg();
	struct client *c = calloc(1, sizeof(*c));
	const char *sha, *md5;

	cfg.sha256_first = true;
	ASSERT_EQ(0, client_init(c, &cfg));
	ASSERT_EQ(0, challenge(c, 0));
	sha = strstr((const char *)c->resp, "algorithm=SHA-256, qop=\"auth\"\r\n");
	md5 = strstr((const char *)c->resp, "algorithm=MD5, qop=\"auth\"\r\n");
	ASSERT_NE(NULL, sha);
	ASSERT_NE(NULL, md5);
	EXPECT_LT(sha, md5);
	EXPECT_NE(NULL, strstr((const char *)c->resp, ";rport=5062;received=192.0.2.1\r\n"));
	EXPECT_NE(NULL, strstr((const char *)c->resp, "\r\nTo: <sip:alice@example.com>;tag="));
	client_fini(c);
	free(c);
}

/* Expiry jitter shortens, within the percentage, never below min. */
TEST(expiry_jitter)
{
	struct registrar_cfg cfg = test_cfg();
	struct client *c = calloc(1, sizeof(*c));
	static const struct step s = { 0, A_GOOD, NULL, 1,
		"Contact: " C1 "\r\nExpires: 3600\r\n", 200, 0, 0, 0 };
	struct step t = s;
	const char *p;
	int i, e, lo = 3600, hi = 0;

	cfg.expiry_jitter = 10;
	ASSERT_EQ(0, client_init(c, &cfg));
	for (i = 0; i < 50; i++) {
		t.cseq = i + 1;
		ASSERT_EQ(0, run_step(c, &t, 0));
		ASSERT_EQ(200, status_of(c));
		p = strstr((const char *)c->resp, ";expires=");
		ASSERT_NE(NULL, p);
		e = atoi(p + 9);
		lo = e < lo ? e : lo;
		hi = e > hi ? e : hi;
	}
	EXPECT_LE(3240, lo);
	EXPECT_GE(3600, hi);
	EXPECT_LT(lo, hi);
	client_fini(c);
	free(c);
}

/* Nonce keys live in the store: a new registrar on it accepts old nonces. */
TEST(nonce_survives_restart)
{
	struct registrar_cfg cfg = test_cfg();
	struct registrar_time now = { .wall = T0, .boot = BOOT0 };
	struct client *c = calloc(1, sizeof(*c));
	static const struct step s = { 10, A_GOOD, NULL, 1,
		"Contact: " C1 "\r\n", 200, 0, 0, 0 };

	ASSERT_EQ(0, client_init(c, &cfg));
	ASSERT_EQ(0, challenge(c, 0));
	registrar_free(c->reg);
	c->reg = registrar_new(&cfg, c->st, NULL, &now, 1024);
	ASSERT_NE(NULL, c->reg);
	ASSERT_EQ(0, run_step(c, &s, 0));
	EXPECT_EQ(200, status_of(c)) TH_LOG("%s", c->resp);
	client_fini(c);
	free(c);
}

static int count_one(void *arg, const struct store_binding *b)
{
	(*(int *)arg)++;
	return 0;
}

static int bindings_now(struct client *c)
{
	int n = 0;

	store_binding_each(c->st, NULL, T0, count_one, &n);
	return n;
}

/*
 * RFC 5626: an outbound binding registered over a connection goes when
 * that connection closes; one refreshed since over another stays, and so
 * does an ordinary (no reg-id) binding registered over the same one.
 */
TEST(flow_closed)
{
	struct registrar_cfg cfg = test_cfg();
	struct client *c = calloc(1, sizeof(*c));
	struct step ob = { 1, A_GOOD, NULL, 1, "Supported: outbound\r\n"
		"Contact: " C1 IDS "\r\n", 200, 0, 0, 0 };
	struct step plain = { 2, A_GOOD, "other", 1, "Contact: " C2 "\r\n",
		200, 0, 0, 0 };

	ASSERT_EQ(0, client_init(c, &cfg));
	cur_flow = 7;
	ASSERT_EQ(0, run_step(c, &ob, 0));
	ASSERT_EQ(200, status_of(c)) TH_LOG("%s", c->resp);
	ASSERT_EQ(0, run_step(c, &plain, 0));
	ASSERT_EQ(200, status_of(c));
	EXPECT_EQ(2, bindings_now(c));
	registrar_flow_closed(c->reg, 8);	/* another connection */
	EXPECT_EQ(2, bindings_now(c));
	registrar_flow_closed(c->reg, 7);
	EXPECT_EQ(1, bindings_now(c));
	EXPECT_EQ(1, registrar_stats(c->reg)->flows_closed);

	/* registered on 9, refreshed on 10 (same Call-ID, higher CSeq) */
	cur_flow = 9;
	ob.cseq = 2;
	ASSERT_EQ(0, run_step(c, &ob, 0));
	ASSERT_EQ(200, status_of(c));
	cur_flow = 10;
	ob.cseq = 3;
	ASSERT_EQ(0, run_step(c, &ob, 0));
	ASSERT_EQ(200, status_of(c));
	registrar_flow_closed(c->reg, 9);
	EXPECT_EQ(2, bindings_now(c));
	registrar_flow_closed(c->reg, 10);
	EXPECT_EQ(1, bindings_now(c));
	EXPECT_EQ(2, registrar_stats(c->reg)->flows_closed);

	/* behind an edge proxy (Path ;ob) the flow is the proxy's */
	cur_flow = 11;
	ob.cseq = 4;
	ob.hdrs = "Supported: outbound, path\r\n"
		  "Path: <sip:edge.example.com;lr;ob>\r\n"
		  "Contact: " C1 IDS "\r\n";
	ASSERT_EQ(0, run_step(c, &ob, 0));
	ASSERT_EQ(200, status_of(c)) TH_LOG("%s", c->resp);
	registrar_flow_closed(c->reg, 11);
	EXPECT_EQ(2, bindings_now(c));
	cur_flow = 0;
	client_fini(c);
	free(c);
}

/* Garbage of every length never crashes and never gets an answer. */
TEST(garbage)
{
	struct registrar_cfg cfg = test_cfg();
	struct client *c = calloc(1, sizeof(*c));
	char buf[600];
	unsigned int i, seed = 1;

	ASSERT_EQ(0, client_init(c, &cfg));
	for (i = 0; i < sizeof(buf) - 1; i++) {
		unsigned int j;

		for (j = 0; j < i; j++) {
			seed = seed * 1103515245 + 12345;
			buf[j] = (char)(seed >> 16);
		}
		buf[i] = 0;
		exchange(c, buf, 0);
		EXPECT_EQ(0, c->resp_len);
	}
	client_fini(c);
	free(c);
}

TEST_HARNESS_MAIN
