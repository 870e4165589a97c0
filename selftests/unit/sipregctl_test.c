// SPDX-License-Identifier: GPL-2.0
/*
 * sipregctl's grammar, without the module: each row is a command line,
 * the exit status ctl_parse() must give and a piece of its message (or,
 * for accepted lines, of the request it builds).
 */
#include <string.h>

#include "kselftest_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ctl.h"
#include "dstats.h"

struct row {
	const char *line;	/* words split on spaces; "~" stands for "" */
	int status;
	const char *msg;	/* in req.err when refused */
	int cmd;		/* the command when accepted */
};

#define BAD(line, msg) { line, CTL_SYNTAX, msg, 0 }
#define OK(line, cmd) { line, CTL_OK, NULL, cmd }

static const struct row rows[] = {
	/* global */
	BAD("", "need an object"),
	BAD("-x stats", "unknown option \"-x\""),
	BAD("frob", "unknown object \"frob\""),
	OK("-h", CTL_HELP),
	OK("help", CTL_HELP),
	OK("help user", CTL_HELP),
	OK("user -h", CTL_HELP),
	OK("binding help", CTL_HELP),
	OK("version", CTL_VERSION),
	OK("-j version", CTL_VERSION),
	BAD("version now", "version: unexpected \"now\""),
	/* stats */
	OK("stats", CTL_STATS),
	OK("-j stats", CTL_STATS),
	OK("stats reset", CTL_STATS_RESET),
	BAD("stats reset now", "stats: unexpected \"now\""),
	OK("stats daemon", CTL_STATS_DAEMON),
	OK("stats daemon file /tmp/x", CTL_STATS_DAEMON),
	OK("stats file /tmp/x", CTL_STATS),
	OK("stats show file /tmp/x", CTL_STATS),
	BAD("stats file", "stats file: need a PATH"),
	BAD("stats daemon now", "stats: unexpected \"now\""),
	/* config */
	OK("config", CTL_CONFIG_SHOW),
	OK("config show", CTL_CONFIG_SHOW),
	BAD("config frob", "config: unknown command \"frob\""),
	BAD("config set", "config set: need KEY VALUE"),
	BAD("config set colour blue", "unknown key \"colour\""),
	BAD("config set realm", "realm: missing value"),
	BAD("config set realm ~", "realm: must be 1 to 64"),
	BAD("config set realm a\"b", "not allowed"),
	BAD("config set realm "
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "realm: must be 1 to 64"),
	BAD("config set realm example.com realm b", "given twice"),
	OK("config set realm example.com", CTL_CONFIG_SET),
	BAD("config set ports 0", "ports: \"0\" is not a number in 1..65535"),
	BAD("config set ports 65536", "1..65535"),
	OK("config set ports 5060,", CTL_CONFIG_SET),
	BAD("config set ports 1,2,3,4,5", "ports: at most 4"),
	BAD("config set ports 5060,abc", "\"abc\" is not a number"),
	OK("config set ports 5060,5080", CTL_CONFIG_SET),
	OK("config set miss-queue-max 0 miss-queue-age 0", CTL_CONFIG_SET),
	OK("config set miss-queue-max 1048576 miss-queue-age 60000", CTL_CONFIG_SET),
	BAD("config set miss-queue-max 1048577", "miss-queue-max: \"1048577\""),
	BAD("config set miss-queue-age 60001", "miss-queue-age: \"60001\""),
	OK("config set miss-queue-wait 0", CTL_CONFIG_SET),
	OK("config set miss-queue-wait 60000", CTL_CONFIG_SET),
	BAD("config set miss-queue-wait 60001", "miss-queue-wait: \"60001\""),
	BAD("config set expires-min 0", "expires-min: \"0\""),
	BAD("config set expires-min -1", "expires-min: \"-1\""),
	BAD("config set expires-min 1000 expires-max 100",
	    "expires-min <= expires-default <= expires-max"),
	BAD("config set expires-default 10 expires-max 5",
	    "expires-min <= expires-default"),
	OK("config set expires-min 10 expires-default 20 expires-max 30",
	   CTL_CONFIG_SET),
	BAD("config set algorithms md4", "algorithms: \"md4\""),
	BAD("config set algorithms md5,md4", "algorithms: \"md5,md4\""),
	BAD("config set algorithms md5,md5", "md5 named twice"),
	BAD("config set algorithms sha256,sha-256", "sha-256 named twice"),
	BAD("config set algorithms ,", "name md5, sha256 or both"),
	BAD("config set algorithms md5 algorithms sha256", "given twice"),
	OK("config set algorithms md5,sha256", CTL_CONFIG_SET),
	OK("config set algorithms sha256,md5", CTL_CONFIG_SET),
	OK("config set algorithms both", CTL_CONFIG_SET),
	BAD("config set fastpath maybe", "fastpath: \"maybe\""),
	OK("config set fastpath off", CTL_CONFIG_SET),
	BAD("config set enabled yes", "enabled: \"yes\""),
	OK("config set enabled on", CTL_CONFIG_SET),
	BAD("config set timing yes", "timing: \"yes\": use on or off"),
	OK("config set timing on", CTL_CONFIG_SET),
	OK("config set timing off", CTL_CONFIG_SET),
	BAD("config set max-contacts 17", "max-contacts"),
	BAD("config set max-users 99999999999", "max-users"),
	OK("config set rate 10 burst 20", CTL_CONFIG_SET),
	/* user */
	OK("user", CTL_USER_LIST),
	OK("user list", CTL_USER_LIST),
	BAD("user list all", "user list: unexpected \"all\""),
	BAD("user add", "user add: need a user name"),
	OK("user add alice", CTL_USER_ADD),
	BAD("user add alice realm", "realm: missing value"),
	OK("user add alice realm example.com", CTL_USER_ADD),
	BAD("user add alice ha1", "ha1: missing value"),
	BAD("user add alice ha1 0123", "ha1: need 32 hex digits, got 4"),
	BAD("user add alice ha1 0123456789abcdef0123456789abcdeg",
	    "ha1: \"g\" is not a hex digit"),
	OK("user add alice ha1 0123456789abcdef0123456789ABCDEF", CTL_USER_ADD),
	BAD("user add alice ha1-sha256 0123456789abcdef0123456789abcdef",
	    "ha1-sha256: need 64 hex digits"),
	BAD("user add alice ha1 0123456789abcdef0123456789abcdef ha1 "
	  "0123456789abcdef0123456789abcdef",
	    "user add: unexpected \"ha1\""),
	BAD("user add alice colour blue", "user add: unexpected \"colour\""),
	BAD("user add ~", "user: must be 1 to 64"),
	BAD("user del", "user del: need a user name"),
	OK("user del alice", CTL_USER_DEL),
	BAD("user del alice realm r extra", "user del: unexpected \"extra\""),
	OK("user flush", CTL_USER_FLUSH),
	BAD("user frob", "user: unknown command \"frob\""),
	/* binding */
	OK("binding", CTL_BINDING_LIST),
	OK("binding list sip:a@x", CTL_BINDING_LIST),
	OK("binding sip:a@x", CTL_BINDING_LIST),
	BAD("binding list sip:a@x more", "binding list: unexpected"),
	BAD("binding add", "binding add: need an AOR"),
	BAD("binding add sip:a@x", "need contact URI"),
	BAD("binding add sip:a@x contact sip:a", "need call-id"),
	BAD("binding add sip:a@x contact sip:a call-id c", "need expires"),
	BAD("binding add sip:a@x contact sip:a call-id c expires 0",
	    "expires: \"0\""),
	OK("binding add sip:a@x contact sip:a call-id c cseq 1 expires 60",
	   CTL_BINDING_ADD),
	BAD("binding add sip:a@x contact sip:a call-id c expires 60 addr 300.1.1.1",
	    "addr: \"300.1.1.1\" is not an IPv4 or IPv6 address"),
	OK("binding add sip:a@x contact sip:a call-id c expires 60 addr 2001:db8::1 port 5060 q 0.5 nc 1",
	   CTL_BINDING_ADD),
	BAD("binding add sip:a@x contact sip:a call-id c expires 60 q 1.5",
	    "q: \"1.5\" is not a q-value"),
	BAD("binding add sip:a@x contact sip:a call-id c expires 60 q 0.1234",
	    "q-value"),
	BAD("binding add sip:a@x contact sip:a call-id c expires 60 port 0",
	    "port: \"0\""),
	BAD("binding add sip:a@x contact sip:a call-id c expires 60 weight 3",
	    "binding add: unexpected \"weight\""),
	BAD("binding del", "binding del: need an AOR"),
	OK("binding del sip:a@x", CTL_BINDING_DEL),
	BAD("binding del sip:a@x contact", "contact: missing value"),
	OK("binding del sip:a@x contact sip:a", CTL_BINDING_DEL),
	OK("binding flush", CTL_BINDING_FLUSH),
	BAD("binding flush all", "binding flush: unexpected"),
	/* domain */
	OK("domain", CTL_DOMAIN_LIST),
	OK("domain list", CTL_DOMAIN_LIST),
	OK("-j domain show", CTL_DOMAIN_LIST),
	BAD("domain list all", "domain list: unexpected \"all\""),
	OK("domain help", CTL_HELP),
	OK("domain add example.com", CTL_DOMAIN_ADD),
	OK("domain add Example.COM realm Example", CTL_DOMAIN_ADD),
	OK("domain add 192.0.2.2", CTL_DOMAIN_ADD),
	OK("domain add [2001:db8::2]", CTL_DOMAIN_ADD),
	BAD("domain add", "domain add: need a domain name"),
	BAD("domain add ~", "domain: must be 1 to 128"),
	BAD("domain add a_b.example", "\"a_b.example\" is not a host name"),
	BAD("domain add [] ", "is not a host name"),
	BAD("domain add [2001:db8::x]", "is not a host name"),
	BAD("domain add example.com:5060", "is not a host name"),
	BAD("domain add "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "domain: must be 1 to 128"),
	BAD("domain add x realm", "realm: missing value"),
	BAD("domain add x realm a\"b", "not allowed"),
	BAD("domain add x colour blue", "domain add: unexpected \"colour\""),
	BAD("domain add x realm a realm b", "domain add: unexpected \"realm\""),
	OK("domain del example.com", CTL_DOMAIN_DEL),
	OK("domain delete example.com", CTL_DOMAIN_DEL),
	BAD("domain del", "domain del: need a domain name"),
	BAD("domain del x realm y", "domain del: unexpected \"realm\""),
	OK("domain flush", CTL_DOMAIN_FLUSH),
	BAD("domain flush all", "domain flush: unexpected \"all\""),
	BAD("domain frob", "domain: unknown command \"frob\""),
	/* monitor, daemon */
	OK("monitor", CTL_MONITOR),
	OK("-j monitor", CTL_MONITOR),
	BAD("monitor all", "monitor: unexpected \"all\""),
	OK("daemon claim", CTL_DAEMON_CLAIM),
	OK("daemon claim hold", CTL_DAEMON_CLAIM),
	OK("daemon release", CTL_DAEMON_RELEASE),
	BAD("daemon frob", "daemon: use claim or release"),
};

/* Splits @line into @argv (argv[0] = "sipregctl"); returns argc. */
static int split(const char *line, char *buf, size_t len, char **argv, int max)
{
	int argc = 0;
	char *tok, *save = NULL;

	snprintf(buf, len, "%s", line);
	argv[argc++] = "sipregctl";
	for (tok = strtok_r(buf, " ", &save); tok && argc < max - 1;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = strcmp(tok, "~") ? tok : "";
	argv[argc] = NULL;
	return argc;
}

TEST(grammar_table)
{
	char buf[512], *argv[32];
	struct ctl_req req;
	size_t i;
	int argc, st;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		argc = split(rows[i].line, buf, sizeof(buf), argv, 32);
		st = ctl_parse(argc, argv, &req);
		EXPECT_EQ(rows[i].status, st)
			TH_LOG("row \"%s\": status %d, message \"%s\"",
			       rows[i].line, st, req.err);
		if (rows[i].msg)
			EXPECT_NE(NULL, strstr(req.err, rows[i].msg))
				TH_LOG("row \"%s\": message \"%s\", want \"%s\"",
				       rows[i].line, req.err, rows[i].msg);
		if (rows[i].status == CTL_OK)
			EXPECT_EQ(rows[i].cmd, (int)req.cmd)
				TH_LOG("row \"%s\": command %d", rows[i].line,
				       req.cmd);
	}
}

TEST(user_add_fields)
{
	char *argv[] = { "sipregctl", "-j", "user", "add", "alice", "realm",
			 "example.com", "ha1", "000102030405060708090a0b0c0d0e0F",
			 NULL };
	struct ctl_req req;

	ASSERT_EQ(CTL_OK, ctl_parse(8 + 1, argv, &req));
	EXPECT_TRUE(req.json);
	EXPECT_STREQ("alice", req.user);
	EXPECT_STREQ("example.com", req.realm);
	EXPECT_TRUE(req.has_md5);
	EXPECT_FALSE(req.has_sha256);
	EXPECT_FALSE(req.password);
	EXPECT_EQ(0x0f, req.ha1_md5[15]);
	EXPECT_EQ(0x0a, req.ha1_md5[10]);
}

TEST(domain_add_fields)
{
	char *argv[] = { "sipregctl", "domain", "add", "Example.COM", "realm",
			 "Example realm", NULL };
	char *argv2[] = { "sipregctl", "domain", "add", "b.example", NULL };
	struct ctl_req req;

	ASSERT_EQ(CTL_OK, ctl_parse(6, argv, &req));
	EXPECT_STREQ("Example.COM", req.domain);	/* the kernel lowercases */
	EXPECT_STREQ("Example realm", req.realm);
	ASSERT_EQ(CTL_OK, ctl_parse(4, argv2, &req));
	EXPECT_STREQ("b.example", req.domain);
	EXPECT_EQ(NULL, req.realm);		/* the kernel takes the name */
}

TEST(domain_usage)
{
	EXPECT_NE(NULL, strstr(ctl_usage("domain"), "domain add NAME [realm REALM]"));
	EXPECT_NE(NULL, strstr(ctl_usage(NULL), "domain"));
}

TEST(password_when_no_ha1)
{
	char *argv[] = { "sipregctl", "user", "add", "bob", NULL };
	struct ctl_req req;

	ASSERT_EQ(CTL_OK, ctl_parse(4, argv, &req));
	EXPECT_TRUE(req.password);
	EXPECT_EQ(NULL, req.realm);
}

TEST(config_fields)
{
	char *argv[] = { "sipregctl", "config", "set", "ports", "5060,5080",
			 "fastpath", "off", "algorithms", "sha256", NULL };
	struct ctl_req req;

	ASSERT_EQ(CTL_OK, ctl_parse(9, argv, &req));
	EXPECT_EQ(2, req.cfg.nports);
	EXPECT_EQ(5080, req.cfg.ports[1]);
	EXPECT_EQ(0, req.cfg.val[SIPREG_CONFIG_A_FASTPATH]);
	EXPECT_EQ(SIPREG_ALG_FLAG_SHA256, req.cfg.val[SIPREG_CONFIG_A_ALGS]);
	EXPECT_EQ(SIPREG_ALG_FLAG_SHA256, req.cfg.val[SIPREG_CONFIG_A_ALGS_FIRST]);
	EXPECT_EQ((1u << SIPREG_CONFIG_A_PORT) | (1u << SIPREG_CONFIG_A_FASTPATH) |
		  (1u << SIPREG_CONFIG_A_ALGS) | (1u << SIPREG_CONFIG_A_ALGS_FIRST),
		  req.cfg.given);
}

/* The order of the list is the order of the challenges. */
static const struct {
	const char *value;
	uint32_t algs, first;
	const char *shown;
} alg_rows[] = {
	{ "md5,sha256", SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256,
	  SIPREG_ALG_FLAG_MD5, "md5,sha256" },
	{ "sha256,md5", SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256,
	  SIPREG_ALG_FLAG_SHA256, "sha256,md5" },
	{ "sha-256,md5", SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256,
	  SIPREG_ALG_FLAG_SHA256, "sha256,md5" },
	{ "both", SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256,
	  SIPREG_ALG_FLAG_MD5, "md5,sha256" },
	{ "md5", SIPREG_ALG_FLAG_MD5, SIPREG_ALG_FLAG_MD5, "md5" },
	{ "sha256", SIPREG_ALG_FLAG_SHA256, SIPREG_ALG_FLAG_SHA256, "sha256" },
};

TEST(algorithms_set_and_order)
{
	char *argv[] = { "sipregctl", "config", "set", "algorithms", NULL, NULL };
	const uint32_t *v;
	struct ctl_req req;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(alg_rows); i++) {
		argv[4] = (char *)alg_rows[i].value;
		ASSERT_EQ(CTL_OK, ctl_parse(5, argv, &req))
			TH_LOG("%s: %s", alg_rows[i].value, req.err);
		v = req.cfg.val;
		EXPECT_EQ(alg_rows[i].algs, v[SIPREG_CONFIG_A_ALGS])
			TH_LOG("%s", alg_rows[i].value);
		EXPECT_EQ(alg_rows[i].first, v[SIPREG_CONFIG_A_ALGS_FIRST])
			TH_LOG("%s", alg_rows[i].value);
		/* both go to the kernel, in one set */
		EXPECT_EQ((1u << SIPREG_CONFIG_A_ALGS) |
			  (1u << SIPREG_CONFIG_A_ALGS_FIRST), req.cfg.given);
		EXPECT_STREQ(alg_rows[i].shown,
			     ctl_algs_order_name(v[SIPREG_CONFIG_A_ALGS],
						 v[SIPREG_CONFIG_A_ALGS_FIRST]));
	}
	/* an older module, no ALGS_FIRST: SHA-256 first, as it offers */
	EXPECT_STREQ("sha256,md5", ctl_algs_order_name(3, SIPREG_ALG_FLAG_SHA256));
	EXPECT_STREQ("md5", ctl_algs_order_name(SIPREG_ALG_FLAG_MD5,
						SIPREG_ALG_FLAG_SHA256));
	EXPECT_STREQ("none", ctl_algs_order_name(0, SIPREG_ALG_FLAG_MD5));
}

TEST(binding_fields)
{
	char *argv[] = { "sipregctl", "binding", "add", "sip:a@x", "contact",
			 "sip:a@1.2.3.4", "call-id", "c1", "cseq", "9", "expires",
			 "60", "addr", "192.0.2.1", "port", "5061", "q", "0.25",
			 NULL };
	struct ctl_req req;

	ASSERT_EQ(CTL_OK, ctl_parse(18, argv, &req));
	EXPECT_STREQ("sip:a@x", req.aor);
	EXPECT_STREQ("sip:a@1.2.3.4", req.contact.uri);
	EXPECT_EQ(9, req.contact.cseq);
	EXPECT_EQ(60, req.contact.expires);
	EXPECT_EQ(AF_INET, req.contact.family);
	EXPECT_EQ(5061, req.contact.port);
	EXPECT_EQ(250, req.contact.q);
}

static const char *tmpfile_with(const char *text)
{
	static char path[] = "/tmp/sipregctl-dstats.XXXXXX";
	int fd;

	strcpy(path, "/tmp/sipregctl-dstats.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return NULL;
	close(fd);
	return path;
}

/* The sipregd stats file: keys kept in order, pid and interval read. */
TEST(dstats_file)
{
	struct dstats *ds = calloc(1, sizeof(*ds));
	const char *p = tmpfile_with("sipregd_stats 1\npid 42\ninterval 5\n"
				     "keepalive_pongs 3\nnew_counter 9\n");
	char err[256];

	ASSERT_NE(NULL, ds);
	ASSERT_NE(NULL, p);
	ASSERT_EQ(1, dstats_read(p, ds, err, sizeof(err)));
	EXPECT_EQ(5, ds->n);
	EXPECT_EQ(42, ds->pid);
	EXPECT_EQ(5, ds->interval);
	EXPECT_STREQ("new_counter", ds->v[4].key);
	EXPECT_EQ(9, ds->v[4].val);
	/* stale: daemon gone, or three intervals without a new file */
	EXPECT_FALSE(dstats_stale(ds, ds->mtime + 15, true));
	EXPECT_TRUE(dstats_stale(ds, ds->mtime + 16, true));
	EXPECT_TRUE(dstats_stale(ds, ds->mtime, false));
	unlink(p);
	p = tmpfile_with("requests 1\n");
	ASSERT_EQ(-1, dstats_read(p, ds, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "not a sipregd stats file"));
	unlink(p);
	p = tmpfile_with("sipregd_stats 1\npid x\n");
	ASSERT_EQ(-1, dstats_read(p, ds, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "line 2: want \"key value\""));
	unlink(p);
	EXPECT_EQ(0, dstats_read("/nonexistent/stats", ds, err, sizeof(err)));
	setenv(DSTATS_ENV, "/tmp/e", 1);
	EXPECT_STREQ("/tmp/x", dstats_path("/tmp/x"));
	EXPECT_STREQ("/tmp/e", dstats_path(NULL));
	unsetenv(DSTATS_ENV);
	EXPECT_STREQ(DSTATS_DEFAULT_FILE, dstats_path(NULL));
	free(ds);
}

TEST_HARNESS_MAIN
