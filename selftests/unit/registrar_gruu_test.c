// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5627 GRUUs at sipregd's registrar (issue 13 item 5): pub-gruu and
 * temp-gruu on the 200's Contacts only for a UA that supports gruu and
 * sends +sip.instance; a new temp-gruu at each refresh with the earlier
 * ones still valid until the Call-ID changes; none reveals the AOR; a
 * GRUU of ours as Contact is refused with 403 (section 6.1).
 * No network: requests go straight into registrar_handle().
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "config.h"
#include "digest.h"
#include "ha1.h"
#include "parser.h"
#include "registrar/registrar.h"
#include "registrar/gruu.h"
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

static int bed_init(struct bed *b)
{
	struct registrar_cfg cfg = test_cfg();
	struct registrar_time now = { T0, BOOT0 };
	struct store_user su;
	char err[256];

	memset(b, 0, sizeof(*b));
	b->resp_max = sizeof(b->resp) - 1;
	b->src.sin_family = AF_INET;
	b->src.sin_port = htons(5062);
	inet_pton(AF_INET, "192.0.2.1", &b->src.sin_addr);
	b->st = store_open(":memory:", STORE_SYNC_NORMAL, err, sizeof(err));
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

static void bed_fini(struct bed *b)
{
	registrar_free(b->reg);
	store_close(b->st);
}

static int send_at(struct bed *b, int dt)
{
	struct registrar_time now = { T0 + dt, BOOT0 + (uint32_t)dt };
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
	snprintf(b->nonce, sizeof(b->nonce), "%.25s", p + 7);
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

static int count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

#define has(b, s)	(strstr((const char *)(b)->resp, (s)) != NULL)

#define UUID	"f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
#define INST	";+sip.instance=\"<urn:uuid:" UUID ">\""
#define PUB	"pub-gruu=\"sip:alice@" REALM ";gr=urn:uuid:" UUID "\""
#define GRUU_OK	"Supported: gruu\r\n"

/* The temp-gruu of the 200's first Contact, without its quotes. */
static bool temp_of(struct bed *b, char *out, size_t size)
{
	const char *p = strstr((const char *)b->resp, "temp-gruu=\""), *e;

	if (!p)
		return false;
	p += strlen("temp-gruu=\"");
	e = strchr(p, '"');
	if (!e || (size_t)(e - p) >= size)
		return false;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = 0;
	return true;
}

static int first_binding(void *arg, const struct store_binding *sb)
{
	*(struct store_binding *)arg = *sb;
	return 1;
}

/* The stored binding of alice (one), as it is after the last request. */
static bool binding(struct bed *b, struct store_binding *sb, int dt)
{
	memset(sb, 0, sizeof(*sb));
	store_binding_each(b->st, "sip:alice@" REALM, T0 + dt, first_binding,
			   sb);
	return sb->aor[0] != 0;
}

FIXTURE(g) {
	struct bed b;
};

FIXTURE_SETUP(g)
{
	ASSERT_EQ(0, bed_init(&self->b));
	ASSERT_EQ(0, challenge(&self->b));
}

FIXTURE_TEARDOWN(g)
{
	bed_fini(&self->b);
}

TEST_F(g, both_gruus_with_supported_and_instance)
{
	char tmp[GRUU_MAX];

	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n" GRUU_OK, 0));
	EXPECT_TRUE(has(&self->b, PUB));
	ASSERT_TRUE(temp_of(&self->b, tmp, sizeof(tmp)));
	/* sip:tgruu.<32 hex digits>@domain;gr, and nothing of alice */
	EXPECT_EQ(0, strncmp(tmp, "sip:tgruu.", 10));
	EXPECT_EQ(32, strspn(tmp + 10, "0123456789abcdef"));
	EXPECT_STREQ("@" REALM ";gr", tmp + 42);
	EXPECT_EQ(NULL, strstr(tmp, "alice"));
	EXPECT_TRUE(has(&self->b, "\r\nSupported: gruu\r\n"));
}

TEST_F(g, none_without_supported_gruu)
{
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n", 0));
	EXPECT_TRUE(has(&self->b, "+sip.instance="));
	EXPECT_FALSE(has(&self->b, "pub-gruu"));
	EXPECT_FALSE(has(&self->b, "temp-gruu"));
	EXPECT_FALSE(has(&self->b, "Supported: gruu"));
}

TEST_F(g, none_without_instance)
{
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>\r\n"
			   GRUU_OK, 0));
	EXPECT_FALSE(has(&self->b, "pub-gruu"));
	EXPECT_FALSE(has(&self->b, "temp-gruu"));
}

/* Every Contact of the 200 with an instance: another UA's too. */
TEST_F(g, every_instance_contact_of_the_200)
{
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n", 0));
	ASSERT_EQ(200, reg(&self->b, "c2", 1, "Contact: <sip:alice@192.0.2.2:5062>"
			   ";+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-000000000002>\"\r\n"
			   "Contact: <sip:alice@192.0.2.3:5062>\r\n"
			   GRUU_OK, 0));
	EXPECT_TRUE(has(&self->b, PUB));
	EXPECT_TRUE(has(&self->b, "pub-gruu=\"sip:alice@" REALM
			";gr=urn:uuid:00000000-0000-0000-0000-000000000002\""));
	EXPECT_EQ(2, count((const char *)self->b.resp, "temp-gruu="));
}

/*
 * RFC 5627 3.2: a new temp-gruu at each refresh, the earlier ones still
 * valid while the contact is registered under the same Call-ID; a new
 * Call-ID (the UA rebooted) ends them.
 */
TEST_F(g, temp_gruu_new_per_refresh_old_ones_valid)
{
	char t1[GRUU_MAX], t2[GRUU_MAX], t3[GRUU_MAX];
	struct store_binding sb;
	struct gruu *keys = gruu_open(self->b.st);

	ASSERT_NE(NULL, keys);
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n" GRUU_OK, 0));
	ASSERT_TRUE(temp_of(&self->b, t1, sizeof(t1)));
	ASSERT_EQ(200, reg(&self->b, "c1", 2, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n" GRUU_OK, 10));
	ASSERT_TRUE(temp_of(&self->b, t2, sizeof(t2)));
	EXPECT_STRNE(t1, t2);
	/* the same pub-gruu at both */
	EXPECT_TRUE(has(&self->b, PUB));
	ASSERT_TRUE(binding(&self->b, &sb, 10));
	EXPECT_TRUE(gruu_temp_valid(keys, t1, &sb));
	EXPECT_TRUE(gruu_temp_valid(keys, t2, &sb));
	/* a forged one: one digit changed */
	snprintf(t3, sizeof(t3), "%s", t2);
	t3[20] = t3[20] == '0' ? '1' : '0';
	EXPECT_FALSE(gruu_temp_valid(keys, t3, &sb));
	/* rebooted: new Call-ID, the old temp-gruus die */
	ASSERT_EQ(200, reg(&self->b, "c1-reboot", 1,
			   "Contact: <sip:alice@192.0.2.1:5062>" INST "\r\n"
			   GRUU_OK, 20));
	ASSERT_TRUE(temp_of(&self->b, t3, sizeof(t3)));
	ASSERT_TRUE(binding(&self->b, &sb, 20));
	EXPECT_FALSE(gruu_temp_valid(keys, t1, &sb));
	EXPECT_FALSE(gruu_temp_valid(keys, t2, &sb));
	EXPECT_TRUE(gruu_temp_valid(keys, t3, &sb));
	gruu_free(keys);
}

/* Section 6.1: a GRUU of this domain as Contact loops: 403, no binding. */
TEST_F(g, gruu_as_contact_is_403)
{
	char tmp[GRUU_MAX], hdr[GRUU_MAX + 64];
	struct store_binding sb;

	ASSERT_EQ(403, reg(&self->b, "c9", 1, "Contact: <sip:alice@" REALM
			   ";gr=urn:uuid:" UUID ">\r\n" GRUU_OK, 0));
	EXPECT_TRUE(has(&self->b, "Contact is a GRUU"));
	EXPECT_FALSE(binding(&self->b, &sb, 0));
	/* a temp-gruu handed out before */
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n" GRUU_OK, 0));
	ASSERT_TRUE(temp_of(&self->b, tmp, sizeof(tmp)));
	snprintf(hdr, sizeof(hdr), "Contact: <%s>\r\n", tmp);
	EXPECT_EQ(403, reg(&self->b, "c1", 2, hdr, 1));
	/* another domain's GRUU is just a URI */
	EXPECT_EQ(200, reg(&self->b, "c1", 3,
			   "Contact: <sip:bob@example.net;gr=x>\r\n", 2));
}

/* Require: gruu is understood (not 420), OPTIONS says so. */
TEST_F(g, require_gruu_understood)
{
	EXPECT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\nRequire: gruu\r\n" GRUU_OK, 0));
	EXPECT_TRUE(has(&self->b, PUB));
}

/* The gr value is the URN without <>, escaped as a URI parameter. */
TEST(pub_gruu_escaping)
{
	char out[GRUU_MAX];

	ASSERT_TRUE(gruu_public("sip:alice@" REALM, "<urn:uuid:" UUID ">",
				out, sizeof(out)));
	EXPECT_STREQ("sip:alice@" REALM ";gr=urn:uuid:" UUID, out);
	ASSERT_TRUE(gruu_public("sips:bob@" REALM, "<urn:x:a;b=c d%>", out,
				sizeof(out)));
	EXPECT_STREQ("sips:bob@" REALM ";gr=urn:x:a%3Bb%3Dc%20d%25", out);
	EXPECT_FALSE(gruu_public("sip:alice@" REALM, "<urn:uuid:" UUID ">",
				 out, 30));
}

/* The same binding at two CSeqs: unrelated-looking temp-gruus. */
TEST(temp_gruu_hides_aor_and_counter)
{
	struct store_binding sb = { .aor = "sips:alice@" REALM,
		.instance = "<urn:uuid:" UUID ">", .call_id = "c1", .cseq = 7 };
	char a[GRUU_MAX], b2[GRUU_MAX];
	struct store *st;
	struct gruu *g;
	char err[256];
	int same = 0, i;

	st = store_open(":memory:", STORE_SYNC_NORMAL, err, sizeof(err));
	ASSERT_NE(NULL, st);
	g = gruu_open(st);
	ASSERT_NE(NULL, g);
	ASSERT_TRUE(gruu_temp(g, &sb, a, sizeof(a)));
	sb.cseq = 8;
	ASSERT_TRUE(gruu_temp(g, &sb, b2, sizeof(b2)));
	EXPECT_EQ(0, strncmp(a, "sips:tgruu.", 11));	/* the AOR's scheme */
	for (i = 0; i < 32; i++)
		same += a[11 + i] == b2[11 + i];
	EXPECT_LT(same, 16);	/* about 2 of 32 hex digits agree by chance */
	/* a later CSeq's temp-gruu is not valid for an earlier binding */
	sb.cseq = 7;
	EXPECT_TRUE(gruu_temp_valid(g, a, &sb));
	EXPECT_FALSE(gruu_temp_valid(g, b2, &sb));
	/* another instance's binding does not take it */
	snprintf(sb.instance, sizeof(sb.instance), "<urn:uuid:other>");
	EXPECT_FALSE(gruu_temp_valid(g, a, &sb));
	gruu_free(g);
	store_close(st);
}

TEST_HARNESS_MAIN
