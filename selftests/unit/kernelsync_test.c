// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd's kernel sync without a kernel: the reconcile rules on two
 * lists (userspace/sipregd/ksync/reconcile.c), the parsing of the messages the
 * module sends (ksync/msg.c), each message built in memory
 * with libnl exactly as kmod/netlink.c lays it out, and the configuration
 * the daemon pushes (ksync/config_msg.c) from its own configuration file's
 * keys (config.c).
 */
#include <arpa/inet.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"

#include "config.h"
#include "ksync/config_msg.h"
#include "ksync/msg.h"
#include "ksync/reconcile.h"

#define NOW	1700000000
#define FAM	0x1c

/* ---- reconcile ---- */

struct seen {
	char log[2048];
};

static void record(void *arg, enum rec_action a, const struct rec_binding *b)
{
	static const char *const names[] = { "update", "add", "del" };
	struct seen *s = arg;
	size_t n = strlen(s->log);

	snprintf(s->log + n, sizeof(s->log) - n, "%s %s %s %s %u %lld;",
		 names[a], b->aor, b->contact, b->call_id, b->cseq,
		 (long long)(b->expires - NOW));
}

static void add(struct rec_list *l, const char *aor, const char *contact,
		const char *call_id, uint32_t cseq, int64_t left)
{
	struct rec_binding b = {
		.aor = (char *)aor, .contact = (char *)contact,
		.call_id = (char *)call_id, .cseq = cseq,
		.expires = NOW + left, .q = -1,
	};

	if (rec_list_add(l, &b))
		abort();
}

FIXTURE(rec) {
	struct rec_list db, k;
	struct seen s;
	struct rec_counts n;
};

FIXTURE_SETUP(rec)
{
	memset(self, 0, sizeof(*self));
}

FIXTURE_TEARDOWN(rec)
{
	rec_list_free(&self->db);
	rec_list_free(&self->k);
}

static void run(struct __test_metadata *_metadata, FIXTURE_DATA(rec) *self)
{
	reconcile(&self->db, &self->k, NOW, 2, record, &self->s, &self->n);
	TH_LOG("%s", self->s.log);
}

TEST_F(rec, equal_lists_do_nothing)
{
	add(&self->db, "sip:a@r", "sip:a@1", "c1", 5, 600);
	add(&self->k, "sip:a@r", "sip:a@1", "c1", 5, 601);
	run(_metadata, self);
	ASSERT_STREQ("", self->s.log);
	ASSERT_EQ(1, self->n.same);
}

TEST_F(rec, kernel_refresh_wins_for_expiry_and_cseq)
{
	add(&self->db, "sip:a@r", "sip:a@1", "c1", 5, 100);
	add(&self->k, "sip:a@r", "sip:a@1", "c1", 9, 3600);
	run(_metadata, self);
	ASSERT_STREQ("update sip:a@r sip:a@1 c1 9 3600;", self->s.log);
}

TEST_F(rec, kernel_refresh_saves_a_binding_expired_in_the_database)
{
	add(&self->db, "sip:a@r", "sip:a@1", "c1", 5, -30);
	add(&self->k, "sip:a@r", "sip:a@1", "c1", 6, 3000);
	run(_metadata, self);
	ASSERT_STREQ("update sip:a@r sip:a@1 c1 6 3000;", self->s.log);
}

TEST_F(rec, same_cseq_other_expiry_takes_the_kernels)
{
	add(&self->db, "sip:a@r", "sip:a@1", "c1", 5, 100);
	add(&self->k, "sip:a@r", "sip:a@1", "c1", 5, 200);
	run(_metadata, self);
	ASSERT_STREQ("update sip:a@r sip:a@1 c1 5 200;", self->s.log);
}

TEST_F(rec, database_newer_cseq_is_installed)
{
	add(&self->db, "sip:a@r", "sip:a@1", "c1", 7, 600);
	add(&self->k, "sip:a@r", "sip:a@1", "c1", 6, 300);
	run(_metadata, self);
	ASSERT_STREQ("add sip:a@r sip:a@1 c1 7 600;", self->s.log);
}

TEST_F(rec, other_call_id_the_database_wins)
{
	add(&self->db, "sip:a@r", "sip:a@1", "c2", 1, 600);
	add(&self->k, "sip:a@r", "sip:a@1", "c1", 99, 300);
	run(_metadata, self);
	ASSERT_STREQ("add sip:a@r sip:a@1 c2 1 600;", self->s.log);
}

TEST_F(rec, database_wins_for_existence)
{
	add(&self->db, "sip:b@r", "sip:b@1", "b", 1, 600);
	add(&self->db, "sip:a@r", "sip:a@2", "a", 1, 600);
	add(&self->db, "sip:c@r", "sip:c@1", "c", 1, -5);	/* expired */
	add(&self->k, "sip:a@r", "sip:a@1", "a", 3, 600);	/* deleted */
	add(&self->k, "sip:z@r", "sip:z@1", "z", 3, 600);
	run(_metadata, self);
	ASSERT_STREQ("del sip:a@r sip:a@1 a 3 600;add sip:a@r sip:a@2 a 1 600;"
		     "add sip:b@r sip:b@1 b 1 600;del sip:z@r sip:z@1 z 3 600;",
		     self->s.log);
	ASSERT_EQ(2, self->n.kernel_adds);
	ASSERT_EQ(2, self->n.kernel_dels);
}

TEST_F(rec, expired_in_database_with_another_call_id_goes)
{
	add(&self->db, "sip:a@r", "sip:a@1", "new", 1, -1);
	add(&self->k, "sip:a@r", "sip:a@1", "old", 8, 60);
	run(_metadata, self);
	ASSERT_STREQ("del sip:a@r sip:a@1 old 8 60;", self->s.log);
}

TEST_F(rec, empty_kernel_gets_everything_live)
{
	char aor[32];
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(aor, sizeof(aor), "sip:u%03d@r", 99 - i);
		add(&self->db, aor, "sip:x", "c", 1, i % 2 ? 60 : -60);
	}
	reconcile(&self->db, &self->k, NOW, 2, record, &self->s, &self->n);
	ASSERT_EQ(50, self->n.kernel_adds);
	ASSERT_EQ(0, self->n.kernel_dels + self->n.db_updates);
}

/* ---- messages ---- */

static struct nl_msg *event(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m || !genlmsg_put(m, 0, 0, FAM, 0, 0, cmd, 1))
		abort();
	return m;
}

static void put_miss(struct nl_msg *m, bool v6, bool with_data)
{
	static const char reg[] = "REGISTER sip:r SIP/2.0\r\n\r\n";
	uint8_t s6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t d6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	in_addr_t s4 = inet_addr("192.0.2.1"), d4 = inet_addr("192.0.2.2");
	struct nlattr *n = nla_nest_start(m, SIPREG_A_MISS | NLA_F_NESTED);

	nla_put_u32(m, SIPREG_MISS_A_REASON, SIPREG_MISS_NO_BINDING);
	nla_put_u32(m, SIPREG_MISS_A_VERDICT, 0);
	nla_put_u32(m, SIPREG_MISS_A_IFINDEX, 7);
	if (v6) {
		nla_put(m, SIPREG_MISS_A_SADDR6, 16, s6);
		nla_put(m, SIPREG_MISS_A_DADDR6, 16, d6);
	} else {
		nla_put(m, SIPREG_MISS_A_SADDR4, 4, &s4);
		nla_put(m, SIPREG_MISS_A_DADDR4, 4, &d4);
	}
	nla_put_u16(m, SIPREG_MISS_A_SPORT, 5062);
	nla_put_u16(m, SIPREG_MISS_A_DPORT, 5060);
	if (with_data)
		nla_put(m, SIPREG_MISS_A_DATA, sizeof(reg) - 1, reg);
	nla_nest_end(m, n);
}

TEST(miss_ipv4)
{
	struct nl_msg *m = event(SIPREG_CMD_MISS);
	struct kmiss k;
	char err[128];

	put_miss(m, false, true);
	ASSERT_EQ(0, kmsg_parse_miss(nlmsg_hdr(m), &k, err, sizeof(err)));
	ASSERT_EQ(AF_INET, k.family);
	ASSERT_EQ(SIPREG_MISS_NO_BINDING, k.reason);
	ASSERT_EQ(7, k.ifindex);
	ASSERT_EQ(5062, k.sport);
	ASSERT_EQ(5060, k.dport);
	ASSERT_EQ(0, memcmp(k.saddr, "\xc0\x00\x02\x01", 4));
	ASSERT_EQ(0, memcmp(k.daddr, "\xc0\x00\x02\x02", 4));
	ASSERT_EQ(26, k.len);
	ASSERT_EQ(0, memcmp(k.data, "REGISTER sip:r", 14));
	nlmsg_free(m);
}

TEST(miss_ipv6)
{
	struct nl_msg *m = event(SIPREG_CMD_MISS);
	struct kmiss k;
	char err[128];

	put_miss(m, true, true);
	ASSERT_EQ(0, kmsg_parse_miss(nlmsg_hdr(m), &k, err, sizeof(err)));
	ASSERT_EQ(AF_INET6, k.family);
	ASSERT_EQ(1, k.saddr[15]);
	ASSERT_EQ(2, k.daddr[15]);
	nlmsg_free(m);
}

TEST(miss_without_data_is_refused)
{
	struct nl_msg *m = event(SIPREG_CMD_MISS);
	struct kmiss k;
	char err[128];

	put_miss(m, false, false);
	ASSERT_EQ(-1, kmsg_parse_miss(nlmsg_hdr(m), &k, err, sizeof(err)));
	ASSERT_NE(NULL, strstr(err, "DATA"));
	nlmsg_free(m);
}

TEST(miss_with_mixed_families_is_refused)
{
	struct nl_msg *m = event(SIPREG_CMD_MISS);
	uint8_t d6[16] = { 0 };
	struct nlattr *n;
	struct kmiss k;
	char err[128];

	n = nla_nest_start(m, SIPREG_A_MISS | NLA_F_NESTED);
	nla_put(m, SIPREG_MISS_A_SADDR4, 4, "\xc0\x00\x02\x01");
	nla_put(m, SIPREG_MISS_A_DADDR6, 16, d6);
	nla_put_u16(m, SIPREG_MISS_A_SPORT, 1);
	nla_put_u16(m, SIPREG_MISS_A_DPORT, 2);
	nla_put(m, SIPREG_MISS_A_DATA, 1, "x");
	nla_nest_end(m, n);
	ASSERT_EQ(-1, kmsg_parse_miss(nlmsg_hdr(m), &k, err, sizeof(err)));
	nlmsg_free(m);
}

TEST(not_a_miss)
{
	struct nl_msg *m = event(SIPREG_CMD_BINDING_NTF);
	struct kmiss k;
	char err[128];

	ASSERT_EQ(-1, kmsg_parse_miss(nlmsg_hdr(m), &k, err, sizeof(err)));
	nlmsg_free(m);
}

static void put_contact(struct nl_msg *m, const char *uri, uint32_t cseq,
			const char *call_id)
{
	struct nlattr *c = nla_nest_start(m, SIPREG_BINDING_A_CONTACT | NLA_F_NESTED);

	if (uri)
		nla_put_string(m, SIPREG_CONTACT_A_URI, uri);
	nla_put_string(m, SIPREG_CONTACT_A_CALL_ID, call_id);
	nla_put_u32(m, SIPREG_CONTACT_A_CSEQ, cseq);
	nla_put_u32(m, SIPREG_CONTACT_A_EXPIRES, 3600);
	nla_put_u64(m, SIPREG_CONTACT_A_EXPIRES_AT, 123456);
	nla_put_u32(m, SIPREG_CONTACT_A_NC, 4);
	nla_put_u16(m, SIPREG_CONTACT_A_Q, 500);
	nla_put(m, SIPREG_CONTACT_A_ADDR4, 4, "\xc0\x00\x02\x01");
	nla_put_u16(m, SIPREG_CONTACT_A_PORT, 5062);
	nla_nest_end(m, c);
}

static void put_binding(struct nl_msg *m, const char *aor, const char *uri,
			uint32_t cseq)
{
	struct nlattr *b = nla_nest_start(m, SIPREG_A_BINDING | NLA_F_NESTED);

	nla_put_string(m, SIPREG_BINDING_A_AOR, aor);
	put_contact(m, uri, cseq, "cid@x");
	nla_nest_end(m, b);
}

struct got {
	char log[1024];
};

static int got_contact(void *arg, const struct kcontact *c)
{
	struct got *g = arg;
	size_t n = strlen(g->log);

	snprintf(g->log + n, sizeof(g->log) - n, "%s %s %s %u %u %llu %u %u %d;",
		 c->aor, c->uri, c->call_id, c->cseq, c->nc,
		 (unsigned long long)c->expires_at, c->q, c->port, c->family);
	return 0;
}

TEST(refreshed_event_with_several_bindings)
{
	struct nl_msg *m = event(SIPREG_CMD_BINDING_NTF);
	unsigned int bad = 0;
	struct got g = { "" };

	nla_put_u32(m, SIPREG_A_EVENT, SIPREG_EVENT_BINDING_REFRESHED);
	put_binding(m, "sip:a@r", "sip:a@192.0.2.1:5062", 2);
	put_binding(m, "sip:b@r", "sip:b@192.0.2.1:5064", 3);
	ASSERT_EQ(SIPREG_EVENT_BINDING_REFRESHED, kmsg_event(nlmsg_hdr(m)));
	ASSERT_EQ(SIPREG_CMD_BINDING_NTF, kmsg_cmd(nlmsg_hdr(m)));
	ASSERT_EQ(0, kmsg_each_contact(nlmsg_hdr(m), got_contact, &g, &bad));
	ASSERT_STREQ("sip:a@r sip:a@192.0.2.1:5062 cid@x 2 4 123456 500 5062 2;"
		     "sip:b@r sip:b@192.0.2.1:5064 cid@x 3 4 123456 500 5062 2;",
		     g.log);
	ASSERT_EQ(0, bad);
	nlmsg_free(m);
}

TEST(contact_without_uri_is_skipped_and_counted)
{
	struct nl_msg *m = event(SIPREG_CMD_BINDING_NTF);
	unsigned int bad = 0;
	struct got g = { "" };
	struct nlattr *b;

	nla_put_u32(m, SIPREG_A_EVENT, SIPREG_EVENT_BINDING_EXPIRED);
	b = nla_nest_start(m, SIPREG_A_BINDING | NLA_F_NESTED);
	nla_put_string(m, SIPREG_BINDING_A_AOR, "sip:a@r");
	put_contact(m, NULL, 1, "x");
	put_contact(m, "sip:ok", 2, "y");
	nla_nest_end(m, b);
	ASSERT_EQ(0, kmsg_each_contact(nlmsg_hdr(m), got_contact, &g, &bad));
	ASSERT_EQ(1, bad);
	ASSERT_NE(NULL, strstr(g.log, "sip:ok y 2"));
	nlmsg_free(m);
}

TEST(aor_without_nul_is_malformed)
{
	struct nl_msg *m = event(SIPREG_CMD_BINDING_NTF);
	unsigned int bad = 0;
	struct got g = { "" };
	struct nlattr *b;

	b = nla_nest_start(m, SIPREG_A_BINDING | NLA_F_NESTED);
	nla_put(m, SIPREG_BINDING_A_AOR, 3, "abc");
	nla_nest_end(m, b);
	ASSERT_EQ(-1, kmsg_each_contact(nlmsg_hdr(m), got_contact, &g, &bad));
	nlmsg_free(m);
}

TEST(user_reply)
{
	struct nl_msg *m = event(SIPREG_CMD_USER_GET);
	char name[65], realm[65];
	struct nlattr *u;

	u = nla_nest_start(m, SIPREG_A_USER | NLA_F_NESTED);
	nla_put_string(m, SIPREG_USER_A_NAME, "alice");
	nla_put_string(m, SIPREG_USER_A_REALM, "example.com");
	nla_put_u32(m, SIPREG_USER_A_ALGS, 3);
	nla_nest_end(m, u);
	ASSERT_EQ(0, kmsg_parse_user(nlmsg_hdr(m), name, sizeof(name), realm,
				     sizeof(realm)));
	ASSERT_STREQ("alice", name);
	ASSERT_STREQ("example.com", realm);
	nlmsg_free(m);
}

/* DOMAIN_GET replies: NAME and REALM, each within its kernel limit. */
TEST(domain_reply)
{
	struct nl_msg *m = event(SIPREG_CMD_DOMAIN_GET);
	char name[SIPREG_DOMAIN_MAX + 1], realm[SIPREG_REALM_MAX + 1];
	char long_realm[SIPREG_REALM_MAX + 2];
	struct nlattr *d;

	d = nla_nest_start(m, SIPREG_A_DOMAIN | NLA_F_NESTED);
	nla_put_string(m, SIPREG_DOMAIN_A_NAME, "a.example");
	nla_put_string(m, SIPREG_DOMAIN_A_REALM, "realm-a");
	nla_nest_end(m, d);
	ASSERT_EQ(0, kmsg_parse_domain(nlmsg_hdr(m), name, sizeof(name), realm,
				       sizeof(realm)));
	ASSERT_STREQ("a.example", name);
	ASSERT_STREQ("realm-a", realm);
	nlmsg_free(m);

	memset(long_realm, 'r', sizeof(long_realm) - 1);
	long_realm[sizeof(long_realm) - 1] = 0;
	m = event(SIPREG_CMD_DOMAIN_GET);
	d = nla_nest_start(m, SIPREG_A_DOMAIN | NLA_F_NESTED);
	nla_put_string(m, SIPREG_DOMAIN_A_NAME, "a.example");
	nla_put_string(m, SIPREG_DOMAIN_A_REALM, long_realm);
	nla_nest_end(m, d);
	ASSERT_EQ(-1, kmsg_parse_domain(nlmsg_hdr(m), name, sizeof(name), realm,
					sizeof(realm)));
	nlmsg_free(m);
}

static struct nl_msg *ctrl(uint8_t cmd, const char *name)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, GENL_ID_CTRL, 0, 0, cmd, 2);
	nla_put_string(m, CTRL_ATTR_FAMILY_NAME, name);
	nla_put_u16(m, CTRL_ATTR_FAMILY_ID, FAM);
	return m;
}

TEST(nlctrl_family_notifications)
{
	struct nl_msg *m;

	m = ctrl(CTRL_CMD_NEWFAMILY, "sipreg");
	ASSERT_EQ(1, kmsg_ctrl_family(nlmsg_hdr(m), "sipreg"));
	nlmsg_free(m);
	m = ctrl(CTRL_CMD_DELFAMILY, "sipreg");
	ASSERT_EQ(-1, kmsg_ctrl_family(nlmsg_hdr(m), "sipreg"));
	nlmsg_free(m);
	m = ctrl(CTRL_CMD_NEWFAMILY, "sipreg2");
	ASSERT_EQ(0, kmsg_ctrl_family(nlmsg_hdr(m), "sipreg"));
	nlmsg_free(m);
	m = ctrl(CTRL_CMD_NEWMCAST_GRP, "sipreg");
	ASSERT_EQ(0, kmsg_ctrl_family(nlmsg_hdr(m), "sipreg"));
	nlmsg_free(m);
}

/* ---- the configuration pushed ---- */

/*
 * The CONFIG nest of CONFIG_SET for "algorithms = @algs" (NULL: the
 * default), parsed back: ALGS, and ALGS_FIRST (0 if absent).
 */
static int pushed_algs(const char *algs, bool with_first, uint32_t *set,
		       uint32_t *first)
{
	struct nlattr *tb[SIPREG_A_MAX + 1], *ctb[SIPREG_CONFIG_A_MAX + 1];
	struct nl_msg *m = event(SIPREG_CMD_CONFIG_SET);
	struct daemon_config c;
	int err = -1;

	config_defaults(&c);
	if ((algs && config_set(&c, "algorithms", algs, "test")) ||
	    kmsg_put_config(m, &c, with_first) ||
	    genlmsg_parse(nlmsg_hdr(m), 0, tb, SIPREG_A_MAX, NULL) ||
	    !tb[SIPREG_A_CONFIG] || !(tb[SIPREG_A_CONFIG]->nla_type & NLA_F_NESTED) ||
	    nla_parse_nested(ctb, SIPREG_CONFIG_A_MAX, tb[SIPREG_A_CONFIG], NULL) ||
	    !ctb[SIPREG_CONFIG_A_ALGS])
		goto out;
	*set = nla_get_u32(ctb[SIPREG_CONFIG_A_ALGS]);
	*first = ctb[SIPREG_CONFIG_A_ALGS_FIRST] ?
		 nla_get_u32(ctb[SIPREG_CONFIG_A_ALGS_FIRST]) : 0;
	err = 0;
out:
	nlmsg_free(m);
	return err;
}

#define BOTH	(SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256)

/* The kernel's challenges in the daemon's order: the first one named. */
TEST(config_push_carries_the_challenge_order)
{
	static const struct {
		const char *algs;
		uint32_t set, first;
	} rows[] = {
		{ NULL, BOTH, SIPREG_ALG_FLAG_MD5 },	/* the default */
		{ "md5, sha256", BOTH, SIPREG_ALG_FLAG_MD5 },
		{ "sha256, md5", BOTH, SIPREG_ALG_FLAG_SHA256 },
		{ "SHA-256,MD5", BOTH, SIPREG_ALG_FLAG_SHA256 },
		{ "md5", SIPREG_ALG_FLAG_MD5, SIPREG_ALG_FLAG_MD5 },
		{ "sha256", SIPREG_ALG_FLAG_SHA256, SIPREG_ALG_FLAG_SHA256 },
	};
	uint32_t set, first;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		ASSERT_EQ(0, pushed_algs(rows[i].algs, true, &set, &first))
			TH_LOG("algorithms = %s", rows[i].algs);
		EXPECT_EQ(rows[i].set, set) TH_LOG("algorithms = %s", rows[i].algs);
		EXPECT_EQ(rows[i].first, first)
			TH_LOG("algorithms = %s", rows[i].algs);
	}
}

/* For a module older than ALGS_FIRST: the same set, no order. */
TEST(config_push_without_the_order)
{
	uint32_t set, first;

	ASSERT_EQ(0, pushed_algs("sha256, md5", false, &set, &first));
	EXPECT_EQ(BOTH, set);
	EXPECT_EQ(0, first);
}

TEST(sips_aor_stays_out_of_the_kernel)
{
	struct rec_binding b = {
		.aor = "sip:alice@example.com",
		.contact = "sip:alice@192.0.2.1:5060",
		.call_id = "c1", .source = "", .cseq = 1,
	};

	EXPECT_TRUE(rec_kernel_installable(&b));
	b.aor = "sips:alice@example.com";
	EXPECT_FALSE(rec_kernel_installable(&b));
	b.aor = "SIPS:alice@example.com";
	EXPECT_FALSE(rec_kernel_installable(&b));
	b.aor = "sip:alice@example.com";
	b.call_id = "";
	EXPECT_FALSE(rec_kernel_installable(&b));
}

TEST_HARNESS_MAIN
