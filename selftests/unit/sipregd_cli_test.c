// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd's operator commands ("sipregd user ...", "sipregd binding
 * ..."), without a database: each row is a command line, the status
 * cli_parse() must give, and a piece of its message (refused) or the
 * command (accepted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "cli.h"
#include "store/store.h"

struct row {
	const char *line;	/* words split on spaces; "~" stands for "" */
	int status;
	const char *msg;	/* in req.err when refused */
	int cmd;		/* the command when accepted */
};

#define BAD(line, msg) { line, EXIT_USAGE, msg, 0 }
#define OK(line, cmd) { line, 0, NULL, cmd }

#define HA1	"0123456789abcdef0123456789ABCDEF"

static const struct row rows[] = {
	BAD("", "need user or binding"),
	BAD("frob", "unknown command \"frob\""),
	BAD("user frob", "unknown command \"user frob\""),
	/* user add */
	BAD("user add", "need USER"),
	OK("user add alice", CLI_USER_ADD),
	OK("user add realm", CLI_USER_ADD),	/* a user called "realm" */
	BAD("user add ~", "user \"\": empty"),
	BAD("user add a;b", "user \"a;b\""),
	BAD("user add a\"b", "user \"a\"b\""),
	BAD("user add aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "too long"),
	OK("user add alice realm example.com", CLI_USER_ADD),
	BAD("user add alice realm", "realm: missing value"),
	BAD("user add alice realm a\\b", "realm \"a\\b\""),
	BAD("user add alice realm x realm y", "realm given twice"),
	OK("user add alice ha1 " HA1, CLI_USER_ADD),
	BAD("user add alice ha1", "ha1: missing value"),
	BAD("user add alice ha1 0123", "ha1: need 32 hex digits"),
	BAD("user add alice ha1 0123456789abcdef0123456789abcdeg",
	    "ha1: need 32 hex digits"),
	BAD("user add alice ha1-sha256 " HA1, "ha1-sha256: need 64 hex digits"),
	OK("user add alice ha1-sha256 " HA1 HA1, CLI_USER_ADD),
	BAD("user add alice -j", "unexpected \"-j\""),
	BAD("user add alice bob", "unexpected \"bob\""),
	/* user del */
	BAD("user del", "need USER"),
	OK("user del alice", CLI_USER_DEL),
	OK("user del alice realm example.com", CLI_USER_DEL),
	BAD("user del alice ha1 " HA1, "unexpected \"ha1\""),
	/* user list */
	OK("user", CLI_USER_LIST),
	OK("user list", CLI_USER_LIST),
	OK("user list -j", CLI_USER_LIST),
	BAD("user list all", "unexpected \"all\""),
	BAD("user list -j -j", "-j given twice"),
	/* user import */
	BAD("user import", "need FILE"),
	OK("user import users.txt", CLI_USER_IMPORT),
	OK("user import - realm example.com", CLI_USER_IMPORT),
	BAD("user import a b", "unexpected \"b\""),
	/* domain D: a host name or [IPv6], at most 128 bytes */
	OK("user add alice domain A.Example", CLI_USER_ADD),
	OK("user add domain domain a.example", CLI_USER_ADD),	/* user "domain" */
	OK("user del alice domain [2001:db8::2]", CLI_USER_DEL),
	OK("user import users.txt domain a.example", CLI_USER_IMPORT),
	OK("user list domain a.example -j", CLI_USER_LIST),
	BAD("user add alice domain", "domain: missing value"),
	BAD("user add alice domain a_b.example", "domain \"a_b.example\": character 2 (0x5f)"),
	BAD("user add alice domain a.example:5060", "no port"),
	BAD("user add alice domain 2001:db8::2", "written [ADDR]"),
	BAD("user add alice domain aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "too long: 129 bytes, at most 128"),
	BAD("user add alice domain a realm b", "realm and domain: give one"),
	BAD("user del alice domain a domain b", "domain given twice"),
	BAD("binding list domain a", "unexpected \"a\""),
	/* binding list */
	BAD("binding", "unknown command \"binding\""),
	OK("binding list", CLI_BINDING_LIST),
	OK("binding list -j", CLI_BINDING_LIST),
	OK("binding list sip:alice@example.com", CLI_BINDING_LIST),
	OK("binding list -j sip:alice@example.com", CLI_BINDING_LIST),
	BAD("binding list sip:a@x sip:b@x", "unexpected \"sip:b@x\""),
	BAD("binding list realm x", "unexpected \"x\""),
};

static int split(const char *line, char *buf, size_t len, char **argv, int max)
{
	int argc = 0;
	char *tok, *save = NULL;

	snprintf(buf, len, "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < max - 1;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = strcmp(tok, "~") ? tok : "";
	argv[argc] = NULL;
	return argc;
}

TEST(grammar_table)
{
	char buf[1024], *argv[32];
	struct cli_req req;
	size_t i;
	int argc, st;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		argc = split(rows[i].line, buf, sizeof(buf), argv, 32);
		st = cli_parse(argc, argv, &req);
		EXPECT_EQ(rows[i].status, st)
			TH_LOG("row \"%s\": status %d, message \"%s\"",
			       rows[i].line, st, req.err);
		if (rows[i].msg)
			EXPECT_NE(NULL, strstr(req.err, rows[i].msg))
				TH_LOG("row \"%s\": message \"%s\", want \"%s\"",
				       rows[i].line, req.err, rows[i].msg);
		if (!rows[i].status)
			EXPECT_EQ(rows[i].cmd, (int)req.cmd)
				TH_LOG("row \"%s\": command %d", rows[i].line,
				       req.cmd);
	}
}

TEST(domain_folded)
{
	char *argv[] = { "user", "add", "alice", "domain", "A.Example", NULL };
	struct cli_req req;

	ASSERT_EQ(0, cli_parse(5, argv, &req));
	EXPECT_STREQ("a.example", req.domain);
	EXPECT_EQ(NULL, req.realm);
}

TEST(user_add_fields)
{
	char *argv[] = { "user", "add", "alice", "realm", "example.com",
			 "ha1", "000102030405060708090a0b0c0d0e0F", NULL };
	struct cli_req req;

	ASSERT_EQ(0, cli_parse(7, argv, &req));
	EXPECT_STREQ("alice", req.user);
	EXPECT_STREQ("example.com", req.realm);
	EXPECT_TRUE(req.has_md5);
	EXPECT_FALSE(req.has_sha256);
	EXPECT_EQ(0x0f, req.ha1_md5[15]);
	EXPECT_EQ(0x0a, req.ha1_md5[10]);
}

TEST(defaults_and_positions)
{
	char *add[] = { "user", "add", "bob", NULL };
	char *list[] = { "binding", "list", "-j", "sip:bob@x", NULL };
	char *import[] = { "user", "import", "-", NULL };
	struct cli_req req;

	ASSERT_EQ(0, cli_parse(3, add, &req));
	EXPECT_EQ(NULL, req.realm);	/* the configured one */
	EXPECT_FALSE(req.has_md5 || req.has_sha256);	/* password on stdin */
	ASSERT_EQ(0, cli_parse(4, list, &req));
	EXPECT_TRUE(req.json);
	EXPECT_STREQ("sip:bob@x", req.aor);
	ASSERT_EQ(0, cli_parse(3, import, &req));
	EXPECT_STREQ("-", req.file);
	EXPECT_FALSE(req.json);
}

TEST(usage_names_the_command)
{
	char *argv[] = { "user", "del", NULL };
	struct cli_req req;

	ASSERT_EQ(EXIT_USAGE, cli_parse(2, argv, &req));
	EXPECT_STREQ("user del USER [realm R | domain D]", req.usage);
}

/* stdout of cli_run() into @out. */
static int run_captured(const struct daemon_config *c, struct cli_req *req,
			char *out, size_t size)
{
	FILE *f = tmpfile();
	int saved, rc;
	size_t n;

	if (!f)
		return -1;
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(f), 1);
	rc = cli_run(c, req);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(f);
	n = fread(out, 1, size - 1, f);
	out[n] = 0;
	fclose(f);
	return rc;
}

/* RFC 5627: "binding list" shows the public GRUU of an instance's binding. */
TEST(binding_list_shows_pub_gruu)
{
	struct store_binding b = { .aor = "sip:alice@example.com",
		.contact = "sip:alice@192.0.2.1:5062", .call_id = "c1",
		.cseq = 1, .q = -1,
		.instance = "<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>",
		.source = "192.0.2.1 5062" };
	char *argv[] = { "binding", "list", NULL }, *argj[] = { "binding",
		"list", "-j", NULL };
	static struct daemon_config c;
	char err[256], out[4096];
	struct cli_req req;
	struct store *st;
	int fd;

	snprintf(c.db, sizeof(c.db), "/tmp/sipregd-cli-test-XXXXXX");
	fd = mkstemp(c.db);
	ASSERT_LE(0, fd);
	close(fd);
	c.db_sync = STORE_SYNC_NORMAL;
	st = store_open(c.db, STORE_SYNC_NORMAL, err, sizeof(err));
	ASSERT_NE(NULL, st);
	b.expires = time(NULL) + 600;
	ASSERT_EQ(0, store_binding_put(st, &b));
	snprintf(b.contact, sizeof(b.contact), "sip:alice@192.0.2.2");
	b.instance[0] = 0;
	ASSERT_EQ(0, store_binding_put(st, &b));
	store_close(st);

	ASSERT_EQ(0, cli_parse(2, argv, &req));
	EXPECT_EQ(0, run_captured(&c, &req, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, " pub-gruu=sip:alice@example.com;gr=urn:"
			       "uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6 "))
		TH_LOG("%s", out);
	/* the binding without an instance has none */
	EXPECT_EQ(NULL, strstr(strstr(out, "192.0.2.2"), "pub-gruu"));
	ASSERT_EQ(0, cli_parse(3, argj, &req));
	EXPECT_EQ(0, run_captured(&c, &req, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\"pub_gruu\":\"sip:alice@example.com;gr="
			       "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"pub_gruu\":\"\""));
	unlink(c.db);
}

TEST_HARNESS_MAIN
