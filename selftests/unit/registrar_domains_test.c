// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd serving several domains (issue 13 item 4): the "domain"
 * configuration key and its errors, the Request-URI's domain picking the
 * realm of the 401, the credentials and the AOR "sip:USER@DOMAIN", 404
 * for a domain not served and for a To naming another domain (RFC 3261
 * 10.3 steps 1 and 5), users of one name in two domains kept apart, and
 * the configuration without domains behaving as before. No network:
 * requests go straight into registrar_handle().
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "config.h"
#include "digest.h"
#include "ha1.h"
#include "registrar/domain.h"
#include "registrar/registrar.h"
#include "store/store.h"

#define T0	1700000000
#define BOOT0	1000

struct bed {
	struct registrar *reg;
	struct store *st;
	struct sockaddr_in src;
	char nonce[64];
	unsigned int nc, branch;
	char req[8192];
	uint8_t resp[REGISTRAR_RESP_MAX];
	size_t len;
};

/* a.example (realm "realm-a"), b.example (realm b.example), 192.0.2.2 */
static void two_domains(struct registrar_cfg *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->realm, sizeof(c->realm), "example.com");
	c->min_expires = 60;
	c->default_expires = 3600;
	c->max_expires = 7200;
	c->max_contacts = 10;
	c->nonce_lifetime = 300;
	c->alg_md5 = c->alg_sha256 = true;
	c->n_domains = 3;
	snprintf(c->domains[0].name, sizeof(c->domains[0].name), "a.example");
	snprintf(c->domains[0].realm, sizeof(c->domains[0].realm), "realm-a");
	snprintf(c->domains[1].name, sizeof(c->domains[1].name), "b.example");
	snprintf(c->domains[1].realm, sizeof(c->domains[1].realm), "b.example");
	snprintf(c->domains[2].name, sizeof(c->domains[2].name), "192.0.2.2");
	snprintf(c->domains[2].realm, sizeof(c->domains[2].realm), "realm-ip");
}

static void add_user(struct store *st, const char *user, const char *realm,
		     const char *pw)
{
	struct store_user su;

	memset(&su, 0, sizeof(su));
	snprintf(su.user, sizeof(su.user), "%s", user);
	snprintf(su.realm, sizeof(su.realm), "%s", realm);
	ha1_from_password(SIPREG_ALG_MD5, user, realm, pw, su.ha1_md5);
	su.has_md5 = true;
	store_user_put(st, &su);
}

/* alice in realm-a (password "pa"), b.example ("pb"), realm-ip, example.com */
static int bed_init(struct bed *b, bool domains)
{
	struct registrar_cfg *cfg = calloc(1, sizeof(*cfg));
	struct registrar_time now = { .wall = T0, .boot = BOOT0 };
	char err[256];

	memset(b, 0, sizeof(*b));
	b->src.sin_family = AF_INET;
	b->src.sin_port = htons(5062);
	inet_pton(AF_INET, "192.0.2.1", &b->src.sin_addr);
	b->st = store_open(":memory:", STORE_SYNC_NORMAL, err, sizeof(err));
	if (!b->st || !cfg)
		return -1;
	add_user(b->st, "alice", "realm-a", "pa");
	add_user(b->st, "alice", "b.example", "pb");
	add_user(b->st, "alice", "realm-ip", "pi");
	add_user(b->st, "alice", "example.com", "pe");
	two_domains(cfg);
	if (!domains)
		cfg->n_domains = 0;
	b->reg = registrar_new(cfg, b->st, NULL, &now, 64);
	free(cfg);
	return b->reg ? 0 : -1;
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

	b->len = registrar_handle(b->reg, &pkt, &now, b->resp,
				  sizeof(b->resp) - 1);
	b->resp[b->len] = 0;
	return b->len > 12 ? atoi((const char *)b->resp + 8) : 0;
}

/* Credentials for @ruri in @realm with password @pw, from b->nonce. */
static void auth_hdr(struct bed *b, const char *ruri, const char *realm,
		     const char *pw, char *out, size_t size)
{
	u8 ha1[SIPREG_HASH_MAX], resp[SIPREG_HASH_MAX];
	char hex[2 * SIPREG_HASH_MAX + 1], ncs[9];
	struct sipreg_digest_req d = {
		.alg = SIPREG_ALG_MD5,
		.method = { (const u8 *)"REGISTER", 8 },
		.uri = { (const u8 *)ruri, strlen(ruri) },
		.nonce = { (const u8 *)b->nonce, strlen(b->nonce) },
		.nc = { (const u8 *)ncs, 8 },
		.cnonce = { (const u8 *)"cn", 2 },
		.qop = { (const u8 *)"auth", 4 },
	};

	snprintf(ncs, sizeof(ncs), "%08x", ++b->nc);
	ha1_from_password(SIPREG_ALG_MD5, "alice", realm, pw, ha1);
	sipreg_digest_response(&d, ha1, 16, resp);
	sipreg_digest_hex(resp, 16, hex);
	hex[32] = 0;
	snprintf(out, size,
		 "Authorization: Digest username=\"alice\", realm=\"%s\", "
		 "nonce=\"%s\", uri=\"%s\", response=\"%s\", algorithm=MD5, "
		 "cnonce=\"cn\", qop=auth, nc=%s\r\n",
		 realm, b->nonce, ruri, hex, ncs);
}

/* A REGISTER to @ruri for To: <sip:alice@@to_host>. */
static void build(struct bed *b, const char *ruri, const char *to_host,
		  const char *call_id, unsigned int cseq, const char *auth,
		  const char *hdrs)
{
	snprintf(b->req, sizeof(b->req),
		 "REGISTER %s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-%u;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:alice@%s>;tag=f%u\r\n"
		 "To: <sip:alice@%s>\r\n"
		 "Call-ID: %s\r\nCSeq: %u REGISTER\r\n%s%s"
		 "Content-Length: 0\r\n\r\n",
		 ruri, b->branch, to_host, b->branch, to_host, call_id, cseq,
		 auth, hdrs);
	b->branch++;
}

/* The 401's status; its nonce into b->nonce. */
static int challenge(struct bed *b, const char *ruri, const char *to_host)
{
	const char *p;
	int st;

	build(b, ruri, to_host, "probe", 1, "", "");
	st = send_at(b, 0);
	p = strstr((const char *)b->resp, "nonce=\"");
	if (st == 401 && p) {
		snprintf(b->nonce, sizeof(b->nonce), "%.*s",
		 (int)strcspn(p + 7, "\""), p + 7);
		b->nc = 0;
	}
	return st;
}

static int reg(struct bed *b, const char *ruri, const char *to_host,
	       const char *realm, const char *pw, const char *call_id,
	       unsigned int cseq, const char *hdrs, int dt)
{
	char auth[1024];

	auth_hdr(b, ruri, realm, pw, auth, sizeof(auth));
	build(b, ruri, to_host, call_id, cseq, auth, hdrs);
	return send_at(b, dt);
}

#define has(b, s)	(strstr((const char *)(b)->resp, (s)) != NULL)

struct aors {
	char v[8][STORE_AOR_MAX + STORE_URI_MAX + 4];
	int n;
};

static int one_binding(void *arg, const struct store_binding *sb)
{
	struct aors *a = arg;

	if (a->n < 8)
		snprintf(a->v[a->n++], sizeof(a->v[0]), "%s %s", sb->aor,
			 sb->contact);
	return 0;
}

static bool stored(struct bed *b, const char *aor_contact)
{
	struct aors a = { .n = 0 };
	int i;

	store_binding_each(b->st, NULL, T0, one_binding, &a);
	for (i = 0; i < a.n; i++)
		if (!strcmp(a.v[i], aor_contact))
			return true;
	return false;
}

/* ---- configuration -------------------------------------------------- */

TEST(config_domain_key)
{
	struct daemon_config *c = calloc(1, sizeof(*c));
	char name[200], val[240];

	config_defaults(c);
	EXPECT_EQ(0, c->reg.n_domains);
	EXPECT_EQ(0, config_set(c, "domain", "A.Example", "t"));
	EXPECT_EQ(0, config_set(c, "domain", "b.example  realm-b", "t"));
	EXPECT_EQ(0, config_set(c, "domain", "[2001:DB8::2]", "t"));
	ASSERT_EQ(3, c->reg.n_domains);
	/* folded to lowercase; the realm defaults to the (folded) name */
	EXPECT_STREQ("a.example", c->reg.domains[0].name);
	EXPECT_STREQ("a.example", c->reg.domains[0].realm);
	EXPECT_STREQ("realm-b", c->reg.domains[1].realm);
	EXPECT_STREQ("[2001:db8::2]", c->reg.domains[2].name);
	/* refused: characters, port, bare IPv6, length, extra words */
	EXPECT_EQ(-1, config_set(c, "domain", "a_b.example", "t"));
	EXPECT_EQ(-1, config_set(c, "domain", "c.example:5060", "t"));
	EXPECT_EQ(-1, config_set(c, "domain", "2001:db8::3", "t"));
	EXPECT_EQ(-1, config_set(c, "domain", "[2001:db8::3", "t"));
	EXPECT_EQ(-1, config_set(c, "domain", "", "t"));
	EXPECT_EQ(-1, config_set(c, "domain", "c.example r x", "t"));
	EXPECT_EQ(-1, config_set(c, "domain", "c.example bad\"realm", "t"));
	memset(name, 'x', 129);
	name[129] = 0;
	EXPECT_EQ(-1, config_set(c, "domain", name, "t"));
	name[128] = 0;
	/* 128 bytes is a name, not a realm (at most 127, as "realm") */
	EXPECT_EQ(-1, config_set(c, "domain", name, "t"));
	snprintf(val, sizeof(val), "%s long-realm", name);
	EXPECT_EQ(0, config_set(c, "domain", val, "t"));
	/* twice the same name (any case), or a realm of another domain */
	EXPECT_EQ(-1, config_set(c, "domain", "a.EXAMPLE other", "t"));
	EXPECT_EQ(-1, config_set(c, "domain", "c.example realm-b", "t"));
	EXPECT_EQ(-1, config_set(c, "domain", "realm-b", "t"));
	EXPECT_EQ(4, c->reg.n_domains);
	free(c);
}

/* The error names the file, both lines and both domains. */
TEST(config_realm_of_two_domains)
{
	struct daemon_config *c = calloc(1, sizeof(*c));
	char path[] = "/tmp/sipreg-domains-XXXXXX", err[] =
		"/tmp/sipreg-domains-err-XXXXXX", out[2048], want[256];
	int fd = mkstemp(path), efd = mkstemp(err), saved = dup(2);
	ssize_t n;

	ASSERT_TRUE(fd >= 0 && efd >= 0 && saved >= 0);
	dprintf(fd, "realm = example.com\ndomain = a.example shared\n"
		"domain = b.example shared\n");
	close(fd);
	config_defaults(c);
	dup2(efd, 2);
	EXPECT_EQ(-1, config_load_file(c, path));
	dup2(saved, 2);
	close(saved);
	n = pread(efd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = 0;
	close(efd);
	snprintf(want, sizeof(want), "%s:3: domain = \"b.example shared\": "
		 "realm shared is already the realm of domain a.example (%s:2)",
		 path, path);
	EXPECT_TRUE(strstr(out, want) != NULL) TH_LOG("stderr: %s", out);
	unlink(path);
	unlink(err);
	free(c);
}

TEST(uri_host)
{
	static const struct {
		const char *uri, *host;
	} v[] = {
		{ "sip:a.example", "a.example" },
		{ "sip:alice@A.example:5060;transport=udp", "A.example" },
		{ "sips:al;x=y@b.example?h=v", "b.example" },
		{ "sip:[2001:db8::2]:5060", "[2001:db8::2]" },
		{ "sip:u:pw@192.0.2.2", "192.0.2.2" },
		{ "sip:alice@", NULL },
		{ "sip:[2001:db8::2", NULL },
		{ "nocolon", NULL },
	};
	uint32_t off, len;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const uint8_t *b = (const uint8_t *)v[i].uri;
		bool ok = domain_uri_host(b, 0, strlen(v[i].uri), &off, &len);

		EXPECT_EQ(v[i].host != NULL, ok) TH_LOG("%s", v[i].uri);
		if (ok && v[i].host)
			EXPECT_EQ(0, strncmp(v[i].host, v[i].uri + off, len) ||
				  strlen(v[i].host) != len) TH_LOG("%s", v[i].uri);
	}
}

/* ---- the registrar ------------------------------------------------------ */

TEST(challenge_realm_per_domain)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b, true));
	EXPECT_EQ(401, challenge(b, "sip:a.example", "a.example"));
	EXPECT_TRUE(has(b, "WWW-Authenticate: Digest realm=\"realm-a\""))
		TH_LOG("%s", b->resp);
	EXPECT_TRUE(has(b, "realm=\"realm-a\", nonce=\"") &&
		    has(b, "algorithm=SHA-256")) TH_LOG("%s", b->resp);
	EXPECT_EQ(401, challenge(b, "sip:B.Example:5060", "b.example"));
	EXPECT_TRUE(has(b, "WWW-Authenticate: Digest realm=\"b.example\""))
		TH_LOG("%s", b->resp);
	EXPECT_FALSE(has(b, "realm-a"));
	bed_fini(b);
	free(b);
}

TEST(unknown_domain_is_404)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b, true));
	EXPECT_EQ(404, challenge(b, "sip:c.example", "c.example"));
	EXPECT_TRUE(has(b, "404 Not Found (domain not served here)\r\n"))
		TH_LOG("%s", b->resp);
	/* an IP literal is a domain only if listed */
	EXPECT_EQ(404, challenge(b, "sip:192.0.2.3", "192.0.2.3"));
	EXPECT_EQ(401, challenge(b, "sip:192.0.2.2:5060", "192.0.2.2"));
	EXPECT_TRUE(has(b, "realm=\"realm-ip\"")) TH_LOG("%s", b->resp);
	/* the configured realm is not a domain of its own */
	EXPECT_EQ(404, challenge(b, "sip:example.com", "example.com"));
	/* and credentials do not help */
	EXPECT_EQ(401, challenge(b, "sip:a.example", "a.example"));
	EXPECT_EQ(404, reg(b, "sip:c.example", "c.example", "realm-a", "pa",
			   "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>\r\n",
			   1)) TH_LOG("%s", b->resp);
	bed_fini(b);
	free(b);
}

/* alice of a.example and alice of b.example: two users, two AORs. */
TEST(same_user_two_domains)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b, true));
	ASSERT_EQ(401, challenge(b, "sip:a.example", "a.example"));
	/* b.example's password is not a.example's */
	EXPECT_EQ(401, reg(b, "sip:a.example", "a.example", "realm-a", "pb",
			   "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>\r\n", 1));
	ASSERT_EQ(401, challenge(b, "sip:a.example", "a.example"));
	EXPECT_EQ(200, reg(b, "sip:a.example", "a.example", "realm-a", "pa",
			   "c1", 2, "Contact: <sip:alice@192.0.2.1:5062>\r\n", 1))
		TH_LOG("%s", b->resp);
	ASSERT_EQ(401, challenge(b, "sip:b.example", "b.example"));
	/* a.example's realm in b.example's request: challenged again */
	EXPECT_EQ(401, reg(b, "sip:b.example", "b.example", "realm-a", "pa",
			   "c2", 1, "Contact: <sip:alice@192.0.2.1:5064>\r\n", 2));
	EXPECT_TRUE(has(b, "realm=\"b.example\""));
	ASSERT_EQ(401, challenge(b, "sip:b.example", "b.example"));
	EXPECT_EQ(200, reg(b, "sip:b.example", "b.example", "b.example", "pb",
			   "c2", 2, "Contact: <sip:alice@192.0.2.1:5064>\r\n", 2))
		TH_LOG("%s", b->resp);
	/* each 200 lists its own domain's contacts only */
	EXPECT_TRUE(has(b, "<sip:alice@192.0.2.1:5064>"));
	EXPECT_FALSE(has(b, "<sip:alice@192.0.2.1:5062>")) TH_LOG("%s", b->resp);
	EXPECT_TRUE(stored(b, "sip:alice@a.example sip:alice@192.0.2.1:5062"));
	EXPECT_TRUE(stored(b, "sip:alice@b.example sip:alice@192.0.2.1:5064"));
	/* a removal in b.example leaves a.example's binding */
	EXPECT_EQ(200, reg(b, "sip:b.example", "b.example", "b.example", "pb",
			   "c2", 3, "Contact: *\r\nExpires: 0\r\n", 3));
	EXPECT_FALSE(stored(b, "sip:alice@b.example sip:alice@192.0.2.1:5064"));
	EXPECT_TRUE(stored(b, "sip:alice@a.example sip:alice@192.0.2.1:5062"));
	bed_fini(b);
	free(b);
}

/* The AOR is the domain's, lowercase, whatever case the request has. */
TEST(aor_per_domain)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b, true));
	ASSERT_EQ(401, challenge(b, "sip:A.EXAMPLE", "a.example"));
	EXPECT_EQ(200, reg(b, "sip:A.EXAMPLE", "A.Example:5060", "realm-a",
			   "pa", "c1", 1, "Contact: <sip:alice@h1.example>\r\n",
			   1)) TH_LOG("%s", b->resp);
	EXPECT_TRUE(stored(b, "sip:alice@a.example sip:alice@h1.example"));
	EXPECT_FALSE(stored(b, "sip:alice@realm-a sip:alice@h1.example"));
	bed_fini(b);
	free(b);
}

/* RFC 5627 6.1: a GRUU of the served domain (not of its realm) is refused. */
TEST(gruu_of_domain_as_contact)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b, true));
	ASSERT_EQ(401, challenge(b, "sip:a.example", "a.example"));
	EXPECT_EQ(403, reg(b, "sip:a.example", "a.example", "realm-a", "pa",
			   "c1", 1, "Contact: <sip:bob@A.example;gr=x>\r\n", 1))
		TH_LOG("%s", b->resp);
	EXPECT_TRUE(has(b, "Contact is a GRUU"));
	/* the realm is no host of ours: a URI like any other */
	EXPECT_EQ(200, reg(b, "sip:a.example", "a.example", "realm-a", "pa",
			   "c2", 1, "Contact: <sip:bob@realm-a;gr=x>\r\n", 2))
		TH_LOG("%s", b->resp);
	bed_fini(b);
	free(b);
}

/* RFC 3261 10.3 step 5: an AOR not valid for the Request-URI's domain. */
TEST(to_names_another_domain)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b, true));
	ASSERT_EQ(401, challenge(b, "sip:a.example", "a.example"));
	EXPECT_EQ(404, reg(b, "sip:a.example", "b.example", "realm-a", "pa",
			   "c1", 1, "Contact: <sip:alice@h1.example>\r\n", 1));
	EXPECT_TRUE(has(b, "404 Not Found (To names another domain)\r\n"))
		TH_LOG("%s", b->resp);
	EXPECT_EQ(404, reg(b, "sip:a.example", "elsewhere.example", "realm-a",
			   "pa", "c2", 1, "Contact: <sip:alice@h1.example>\r\n",
			   2));
	EXPECT_FALSE(stored(b, "sip:alice@a.example sip:alice@h1.example"));
	EXPECT_FALSE(stored(b, "sip:alice@b.example sip:alice@h1.example"));
	bed_fini(b);
	free(b);
}

/* No domain: one realm, any Request-URI and To host, AOR sip:USER@REALM. */
TEST(no_domain_unchanged)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b, false));
	ASSERT_EQ(401, challenge(b, "sip:c.example", "192.0.2.2"));
	EXPECT_TRUE(has(b, "realm=\"example.com\"")) TH_LOG("%s", b->resp);
	EXPECT_EQ(200, reg(b, "sip:c.example", "192.0.2.2", "example.com",
			   "pe", "c1", 1, "Contact: <sip:alice@h1.example>\r\n",
			   1)) TH_LOG("%s", b->resp);
	EXPECT_TRUE(stored(b, "sip:alice@example.com sip:alice@h1.example"));
	bed_fini(b);
	free(b);
}

TEST_HARNESS_MAIN
