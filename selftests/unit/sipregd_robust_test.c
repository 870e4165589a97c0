// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd's registrar under the conditions review found it weak in
 * (issue 13, item 8): a store locked by another connection, a 401 flood,
 * forged nonces for unknown users, a restart between a commit and the
 * phone's retransmission, a Contact given twice, two devices of one user
 * behind one NAT, a retransmission cache fed large entries; and the
 * configuration's challenge order and name checks (item 7, 8b).
 * No network: requests go straight into registrar_handle().
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "config.h"
#include "digest.h"
#include "ha1.h"
#include "registrar/registrar.h"
#include "registrar/retrans.h"
#include "store/store.h"

#define REALM	"example.com"
#define T0	1700000000
#define BOOT0	1000
#define C1	"<sip:alice@192.0.2.1:5062>"
#define C2	"<sip:alice@192.0.2.1:5064>"

/* One phone: its address, the nonce it holds, its next branch. */
struct ua {
	struct sockaddr_in src;
	char nonce[64];
	const char *cnonce;
	unsigned int nc, branch;
};

struct bed {
	struct registrar *reg;
	struct store *st;
	struct registrar_cfg cfg;
	char path[64];			/* the database, "" for :memory: */
	char req[4096];
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

static void ua_init(struct ua *u, const char *addr, int port,
		    const char *cnonce)
{
	memset(u, 0, sizeof(*u));
	u->src.sin_family = AF_INET;
	u->src.sin_port = htons(port);
	inet_pton(AF_INET, addr, &u->src.sin_addr);
	u->cnonce = cnonce;
}

static void add_user(struct store *st, const char *name)
{
	struct store_user su;

	memset(&su, 0, sizeof(su));
	snprintf(su.user, sizeof(su.user), "%s", name);
	snprintf(su.realm, sizeof(su.realm), REALM);
	ha1_from_password(SIPREG_ALG_MD5, name, REALM, "secret", su.ha1_md5);
	su.has_md5 = true;
	store_user_put(st, &su);
}

static struct registrar *new_reg(struct bed *b)
{
	struct registrar_time now = { .wall = T0, .boot = BOOT0 };

	return registrar_new(&b->cfg, b->st, NULL, &now, 64);
}

/* @file: a database file (WAL, so another connection can lock it). */
static int bed_init(struct bed *b, const struct registrar_cfg *cfg, bool file)
{
	char err[256];

	memset(b, 0, sizeof(*b));
	b->cfg = *cfg;
	if (file) {
		snprintf(b->path, sizeof(b->path), "/tmp/sipregd-robust-%d.db",
			 getpid());
		unlink(b->path);
	}
	b->st = store_open(file ? b->path : ":memory:", STORE_SYNC_NORMAL,
			   err, sizeof(err));
	if (!b->st)
		return -1;
	add_user(b->st, "alice");
	b->reg = new_reg(b);
	return b->reg ? 0 : -1;
}

static void bed_fini(struct bed *b)
{
	char wal[80];

	registrar_free(b->reg);
	store_close(b->st);
	if (b->path[0]) {
		unlink(b->path);
		snprintf(wal, sizeof(wal), "%s-wal", b->path);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-shm", b->path);
		unlink(wal);
	}
}

static int send_at(struct bed *b, const struct ua *u, const char *req,
		   int dt)
{
	struct registrar_time now = { .wall = T0 + dt, .boot = BOOT0 + (uint32_t)dt };
	struct registrar_pkt pkt = {
		(const uint8_t *)req, strlen(req),
		(const struct sockaddr *)&u->src, NULL, REGISTRAR_UDP, 0,
	};

	b->len = registrar_handle(b->reg, &pkt, &now, b->resp,
				  sizeof(b->resp) - 1);
	b->resp[b->len] = 0;
	return b->len > 12 ? atoi((const char *)b->resp + 8) : 0;
}

/* "Authorization: ..." for @u's nonce and count, as @user. */
static void auth_hdr(const struct ua *u, const char *user, unsigned int nc,
		     char *out, size_t size)
{
	u8 ha1[SIPREG_HASH_MAX], resp[SIPREG_HASH_MAX];
	char hex[2 * SIPREG_HASH_MAX + 1], ncs[9];
	struct sipreg_digest_req d = {
		.alg = SIPREG_ALG_MD5,
		.method = { (const u8 *)"REGISTER", 8 },
		.uri = { (const u8 *)"sip:" REALM, strlen("sip:" REALM) },
		.nonce = { (const u8 *)u->nonce, strlen(u->nonce) },
		.nc = { (const u8 *)ncs, 8 },
		.cnonce = { (const u8 *)u->cnonce, strlen(u->cnonce) },
		.qop = { (const u8 *)"auth", 4 },
	};

	snprintf(ncs, sizeof(ncs), "%08x", nc);
	ha1_from_password(SIPREG_ALG_MD5, user, REALM, "secret", ha1);
	sipreg_digest_response(&d, ha1, 16, resp);
	sipreg_digest_hex(resp, 16, hex);
	hex[32] = 0;
	snprintf(out, size,
		 "Authorization: Digest username=\"%s\", realm=\"" REALM "\", "
		 "nonce=\"%s\", uri=\"sip:" REALM "\", response=\"%s\", "
		 "algorithm=MD5, cnonce=\"%s\", qop=auth, nc=%s\r\n",
		 user, u->nonce, hex, u->cnonce, ncs);
}

/* A REGISTER from @u for alice; @auth and @hdrs are whole lines or "". */
static void build(struct bed *b, struct ua *u, const char *call_id,
		  unsigned int cseq, const char *auth, const char *hdrs)
{
	snprintf(b->req, sizeof(b->req),
		 "REGISTER sip:" REALM " SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.1:%u;branch=z9hG4bK-%u-%u;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:alice@" REALM ">;tag=f%u\r\n"
		 "To: <sip:alice@" REALM ">\r\n"
		 "Call-ID: %s\r\nCSeq: %u REGISTER\r\n%s%s"
		 "Content-Length: 0\r\n\r\n",
		 ntohs(u->src.sin_port), ntohs(u->src.sin_port), u->branch,
		 u->branch, call_id, cseq, auth, hdrs);
	u->branch++;
}

/* An unauthenticated REGISTER; the 401's nonce goes to @u. */
static int challenge(struct bed *b, struct ua *u, int dt)
{
	const char *p;
	int st;

	build(b, u, "probe", 1, "", "");
	st = send_at(b, u, b->req, dt);
	p = strstr((const char *)b->resp, "nonce=\"");
	if (st != 401 || !p)
		return -1;
	snprintf(u->nonce, sizeof(u->nonce), "%.*s",
		 (int)strcspn(p + 7, "\""), p + 7);
	u->nc = 0;
	return 0;
}

/* An authenticated REGISTER with the next nonce count: its status. */
static int reg(struct bed *b, struct ua *u, const char *call_id,
	       unsigned int cseq, const char *hdrs, int dt)
{
	char auth[1024];

	auth_hdr(u, "alice", ++u->nc, auth, sizeof(auth));
	build(b, u, call_id, cseq, auth, hdrs);
	return send_at(b, u, b->req, dt);
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

static double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * 8a: another connection holds the write lock (as "sipregd user import"
 * does for a whole file). The registrar waits only its short busy
 * timeout and answers 503 with Retry-After, counted; challenges, which
 * need no write, go on; once the lock is gone the phone registers.
 */
TEST(store_locked_503)
{
	struct registrar_cfg cfg = test_cfg();
	struct bed *b = calloc(1, sizeof(*b));
	struct store *other;
	struct ua u;
	char err[256];
	double t;

	ASSERT_EQ(0, bed_init(b, &cfg, true));
	store_set_busy_timeout(b->st, 10);
	ua_init(&u, "192.0.2.1", 5062, "cn1");
	other = store_open(b->path, STORE_SYNC_NORMAL, err, sizeof(err));
	ASSERT_NE(NULL, other) TH_LOG("%s", err);
	ASSERT_EQ(0, store_begin(other));
	ASSERT_EQ(0, challenge(b, &u, 0));
	t = secs();
	EXPECT_EQ(503, reg(b, &u, "c1", 1, "Contact: " C1 "\r\n", 1))
		TH_LOG("%s", b->resp);
	EXPECT_LT(secs() - t, 1.0);
	EXPECT_NE(NULL, strstr((const char *)b->resp, "\r\nRetry-After: "));
	EXPECT_EQ(1, registrar_stats(b->reg)->store_busy);
	EXPECT_EQ(0, registrar_stats(b->reg)->store_errors);
	/* the same request again: the same 503, from the cache */
	EXPECT_EQ(503, send_at(b, &u, b->req, 2));
	EXPECT_EQ(0, challenge(b, &u, 2));
	store_rollback(other);
	store_close(other);
	EXPECT_EQ(200, reg(b, &u, "c1", 2, "Contact: " C1 "\r\n", 3))
		TH_LOG("%s", b->resp);
	bed_fini(b);
	free(b);
}

/*
 * 8d: a forged nonce is refused before the user is looked up (the MAC
 * check is cheap, the store is not): an unknown user with a forged
 * nonce is never counted as an unknown user.
 */
TEST(nonce_checked_before_user_lookup)
{
	struct registrar_cfg cfg = test_cfg();
	struct bed *b = calloc(1, sizeof(*b));
	char auth[1024];
	struct ua u;

	ASSERT_EQ(0, bed_init(b, &cfg, false));
	ua_init(&u, "192.0.2.1", 5062, "cn1");
	ASSERT_EQ(0, challenge(b, &u, 0));
	u.nonce[strlen(u.nonce) - 1] ^= 1;	/* a MAC digit */
	auth_hdr(&u, "mallory", 1, auth, sizeof(auth));
	build(b, &u, "m1", 1, auth, "Contact: " C1 "\r\n");
	EXPECT_EQ(401, send_at(b, &u, b->req, 1));
	EXPECT_EQ(0, registrar_stats(b->reg)->unknown_users);
	/* with a genuine nonce the lookup happens, and says so */
	ASSERT_EQ(0, challenge(b, &u, 2));
	auth_hdr(&u, "mallory", 1, auth, sizeof(auth));
	build(b, &u, "m2", 1, auth, "Contact: " C1 "\r\n");
	EXPECT_EQ(401, send_at(b, &u, b->req, 3));
	EXPECT_EQ(1, registrar_stats(b->reg)->unknown_users);
	bed_fini(b);
	free(b);
}

/* 8d: 401s per source (rate, burst) and for all sources, counted. */
TEST(challenge_rate_limit)
{
	struct registrar_cfg cfg = test_cfg();
	struct bed *b = calloc(1, sizeof(*b));
	struct ua u, v, w;

	cfg.challenge_rate = 2;
	cfg.challenge_burst = 3;
	cfg.challenge_rate_global = 5;
	ASSERT_EQ(0, bed_init(b, &cfg, false));
	ua_init(&u, "192.0.2.1", 5062, "a");
	ua_init(&v, "192.0.2.2", 5062, "b");
	ua_init(&w, "192.0.2.3", 5062, "c");
	EXPECT_EQ(0, challenge(b, &u, 0));
	EXPECT_EQ(0, challenge(b, &u, 0));
	EXPECT_EQ(0, challenge(b, &u, 0));
	EXPECT_EQ(-1, challenge(b, &u, 0));	/* the burst is spent */
	EXPECT_EQ(0, b->len);
	EXPECT_EQ(1, registrar_stats(b->reg)->rate_limited);
	EXPECT_EQ(0, challenge(b, &v, 0));	/* another source */
	EXPECT_EQ(0, challenge(b, &w, 0));	/* 5 in all: the global limit */
	EXPECT_EQ(-1, challenge(b, &w, 0));
	EXPECT_EQ(2, registrar_stats(b->reg)->rate_limited);
	/* a second later: two more for u */
	EXPECT_EQ(0, challenge(b, &u, 1));
	EXPECT_EQ(0, challenge(b, &u, 1));
	EXPECT_EQ(-1, challenge(b, &u, 1));
	EXPECT_EQ(3, registrar_stats(b->reg)->rate_limited);
	bed_fini(b);
	free(b);
}

/* 8d: a rate of 0 is no limit. */
TEST(challenge_rate_zero_is_unlimited)
{
	struct registrar_cfg cfg = test_cfg();
	struct bed *b = calloc(1, sizeof(*b));
	struct ua u;
	int i;

	ASSERT_EQ(0, bed_init(b, &cfg, false));
	ua_init(&u, "192.0.2.1", 5062, "a");
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(0, challenge(b, &u, 0));
	EXPECT_EQ(0, registrar_stats(b->reg)->rate_limited);
	bed_fini(b);
	free(b);
}

/*
 * 8e: the daemon committed a REGISTER and crashed before its 200 left;
 * the phone retransmits after the restart. Same Call-ID, CSeq and
 * Contact as the stored binding: a retransmission, 200, nothing changed.
 */
TEST(retransmission_after_restart)
{
	struct registrar_cfg cfg = test_cfg();
	struct bed *b = calloc(1, sizeof(*b));
	char req[4096];
	struct ua u;

	ASSERT_EQ(0, bed_init(b, &cfg, false));
	ua_init(&u, "192.0.2.1", 5062, "cn1");
	ASSERT_EQ(0, challenge(b, &u, 0));
	ASSERT_EQ(200, reg(b, &u, "c1", 5, "Contact: " C1 "\r\n", 1));
	memcpy(req, b->req, sizeof(req));
	registrar_free(b->reg);
	b->reg = new_reg(b);
	ASSERT_NE(NULL, b->reg);
	EXPECT_EQ(200, send_at(b, &u, req, 3)) TH_LOG("%s", b->resp);
	EXPECT_NE(NULL, strstr((const char *)b->resp,
			       "\r\nContact: " C1 ";expires=3598\r\n"));
	EXPECT_EQ(1, registrar_stats(b->reg)->retransmitted_commits);
	/* a lower CSeq is still out of order */
	EXPECT_EQ(500, reg(b, &u, "c1", 4, "Contact: " C1 "\r\n", 4));
	bed_fini(b);
	free(b);
}

/* 8e: the same Contact twice in one REGISTER is one binding, not a 500. */
TEST(duplicate_contact)
{
	struct registrar_cfg cfg = test_cfg();
	struct bed *b = calloc(1, sizeof(*b));
	struct ua u;

	ASSERT_EQ(0, bed_init(b, &cfg, false));
	ua_init(&u, "192.0.2.1", 5062, "cn1");
	ASSERT_EQ(0, challenge(b, &u, 0));
	EXPECT_EQ(200, reg(b, &u, "c1", 1, "Contact: " C1 ", " C1 "\r\n", 1))
		TH_LOG("%s", b->resp);
	EXPECT_EQ(1, count((const char *)b->resp, "\r\nContact: "));
	/* the later one wins: here it removes the binding */
	EXPECT_EQ(200, reg(b, &u, "c1", 2, "Contact: " C1 ";expires=600, " C2
			   "\r\nContact: " C1 ";expires=0\r\n", 2))
		TH_LOG("%s", b->resp);
	EXPECT_EQ(1, count((const char *)b->resp, "\r\nContact: "));
	EXPECT_NE(NULL, strstr((const char *)b->resp, "\r\nContact: " C2));
	bed_fini(b);
	free(b);
}

/*
 * 8f: two phones of alice behind one NAT address, challenged in the
 * same second (one clock reading, as in one batch), get two nonces; each
 * counts from 1 with its own, and neither is taken for a replay of the
 * other. A real replay (same nonce, cnonce and count) is still refused.
 */
TEST(two_devices_one_nat)
{
	struct registrar_cfg cfg = test_cfg();
	struct bed *b = calloc(1, sizeof(*b));
	char auth[1024];
	struct ua p1, p2;

	ASSERT_EQ(0, bed_init(b, &cfg, false));
	ua_init(&p1, "198.51.100.7", 40001, "phone-one");
	ua_init(&p2, "198.51.100.7", 40002, "phone-two");
	ASSERT_EQ(0, challenge(b, &p1, 0));
	ASSERT_EQ(0, challenge(b, &p2, 0));
	ASSERT_STRNE(p1.nonce, p2.nonce);
	EXPECT_EQ(200, reg(b, &p1, "p1", 1, "Contact: " C1 "\r\n", 0));
	EXPECT_EQ(200, reg(b, &p2, "p2", 1, "Contact: " C2 "\r\n", 0))
		TH_LOG("%s", b->resp);
	EXPECT_EQ(0, registrar_stats(b->reg)->nc_replays);
	/* p1's credentials replayed in a new request */
	auth_hdr(&p1, "alice", p1.nc, auth, sizeof(auth));
	build(b, &p1, "p1", 2, auth, "Contact: " C1 "\r\n");
	EXPECT_EQ(401, send_at(b, &p1, b->req, 1));
	EXPECT_EQ(1, registrar_stats(b->reg)->nc_replays);
	bed_fini(b);
	free(b);
}

/*
 * 8c: the retransmission cache holds at most its byte budget, whatever
 * the number of entries; the oldest go first, the newest are answered.
 */
TEST(retrans_byte_budget)
{
	struct retrans *rc = retrans_new(1000, 65536);
	static uint8_t resp[1000];
	unsigned int entries, i;
	uint8_t *big;
	char key[32];
	size_t bytes, n;

	ASSERT_NE(NULL, rc);
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		memset(resp, (int)i, sizeof(resp));
		retrans_put(rc, key, strlen(key), resp, sizeof(resp), T0);
		retrans_usage(rc, &entries, &bytes);
		ASSERT_LE(bytes, 65536);
	}
	EXPECT_GE(entries, 60);
	EXPECT_LE(entries, 65);
	EXPECT_EQ(NULL, retrans_get(rc, "k0", 2, T0, &n));
	ASSERT_NE(NULL, retrans_get(rc, "k199", 4, T0, &n));
	EXPECT_EQ(sizeof(resp), n);
	EXPECT_EQ(199, *retrans_get(rc, "k199", 4, T0, &n));
	/* larger than the whole budget: not kept, nothing evicted for it */
	big = calloc(1, 70000);
	ASSERT_NE(NULL, big);
	retrans_put(rc, "big", 3, big, 70000, T0);
	free(big);
	EXPECT_EQ(NULL, retrans_get(rc, "big", 3, T0, &n));
	ASSERT_NE(NULL, retrans_get(rc, "k199", 4, T0, &n));
	retrans_free(rc);
}

/* 8c: the entry bound still holds when entries are small. */
TEST(retrans_entry_bound)
{
	struct retrans *rc = retrans_new(16, 0);
	unsigned int entries, i;
	char key[32];
	size_t bytes, n;

	ASSERT_NE(NULL, rc);
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		retrans_put(rc, key, strlen(key), (const uint8_t *)"x", 1, T0);
	}
	retrans_usage(rc, &entries, &bytes);
	EXPECT_EQ(16, entries);
	EXPECT_EQ(NULL, retrans_get(rc, "k83", 3, T0, &n));
	EXPECT_NE(NULL, retrans_get(rc, "k84", 3, T0, &n));
	retrans_free(rc);
}

/* Item 7: MD5 first by default; the order of "algorithms" is kept. */
TEST(challenge_order_config)
{
	struct daemon_config *c = calloc(1, sizeof(*c));
	struct bed *b = calloc(1, sizeof(*b));
	const char *md5, *sha;
	struct ua u;

	config_defaults(c);
	EXPECT_TRUE(c->reg.alg_md5 && c->reg.alg_sha256);
	EXPECT_FALSE(c->reg.sha256_first);
	snprintf(c->reg.realm, sizeof(c->reg.realm), REALM);
	ASSERT_EQ(0, bed_init(b, &c->reg, false));
	ua_init(&u, "192.0.2.1", 5062, "a");
	ASSERT_EQ(0, challenge(b, &u, 0));
	md5 = strstr((const char *)b->resp, "algorithm=MD5");
	sha = strstr((const char *)b->resp, "algorithm=SHA-256");
	ASSERT_TRUE(md5 && sha);
	EXPECT_LT(md5, sha);
	bed_fini(b);

	ASSERT_EQ(0, config_set(c, "algorithms", "sha256, md5", "test"));
	EXPECT_TRUE(c->reg.sha256_first);
	ASSERT_EQ(0, bed_init(b, &c->reg, false));
	ASSERT_EQ(0, challenge(b, &u, 0));
	md5 = strstr((const char *)b->resp, "algorithm=MD5");
	sha = strstr((const char *)b->resp, "algorithm=SHA-256");
	ASSERT_TRUE(md5 && sha);
	EXPECT_LT(sha, md5);
	bed_fini(b);

	ASSERT_EQ(0, config_set(c, "algorithms", "md5,sha-256", "test"));
	EXPECT_FALSE(c->reg.sha256_first);
	ASSERT_EQ(0, config_set(c, "algorithms", "sha256", "test"));
	EXPECT_FALSE(c->reg.alg_md5);
	free(b);
	free(c);
}

/* 8b: a realm from the configuration is checked like one from argv. */
TEST(config_realm_checked)
{
	struct daemon_config *c = calloc(1, sizeof(*c));
	char long_realm[301];

	config_defaults(c);
	memset(long_realm, 'r', 300);
	long_realm[300] = 0;
	EXPECT_EQ(-1, config_set(c, "realm", long_realm, "test"));
	EXPECT_EQ(-1, config_set(c, "realm", "a\"b", "test"));
	EXPECT_EQ(-1, config_set(c, "realm", "a\r\nX-Injected: 1", "test"));
	EXPECT_EQ(-1, config_set(c, "realm", "a\tb", "test"));
	EXPECT_EQ(-1, config_set(c, "realm", "", "test"));
	EXPECT_STREQ("sipreg", c->reg.realm);
	EXPECT_EQ(0, config_set(c, "realm", "example.com", "test"));
	EXPECT_STREQ("example.com", c->reg.realm);
	free(c);
}

TEST_HARNESS_MAIN
