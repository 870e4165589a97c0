// SPDX-License-Identifier: GPL-2.0
/*
 * Group commit (userspace/sipregd/registrar/batch.c): requests handed to
 * registrar_handle_batch() together are answered in order against one
 * store transaction. Two changes of one AOR see each other (CSeq order, the
 * contact list of the 200), a retransmission in the same group gets the
 * first answer, one request's failed write is undone alone, and no 200
 * leaves for a change that did not commit: an error that rolls the whole
 * transaction back, or a failed COMMIT, turns every 200 of the group into
 * 500. Kernel sync's hook runs after the COMMIT. The store is a file here,
 * so that a second SQLite connection can add failing triggers and look at
 * what was committed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sqlite3.h>

#include "kselftest_harness.h"
#include "registrar_bed.h"

#define N_MAX	8

struct group {
	char req[N_MAX][8192];
	uint8_t resp[N_MAX][4096];
	struct registrar_batch_item it[N_MAX];
	unsigned int n;
};

/* The bed's last built request joins the group. */
static void add(struct bed *b, struct group *g)
{
	unsigned int i = g->n++;

	snprintf(g->req[i], sizeof(g->req[i]), "%s", b->req);
	g->it[i] = (struct registrar_batch_item){
		.pkt = {
			(const uint8_t *)g->req[i], strlen(g->req[i]),
			(const struct sockaddr *)&b->src, NULL, REGISTRAR_UDP, 0,
		},
		.out = g->resp[i], .size = sizeof(g->resp[i]) - 1,
	};
}

/* An authenticated REGISTER of alice with @contact into the group. */
static void add_reg(struct bed *b, struct group *g, const char *call_id,
		    unsigned int cseq, const char *contact)
{
	char auth[1024], hdr[256];

	auth_hdr(b, auth, sizeof(auth));
	snprintf(hdr, sizeof(hdr), "Contact: <%s>\r\nExpires: 600\r\n",
		 contact);
	build(b, "alice", call_id, cseq, auth, hdr);
	add(b, g);
}

static int run(struct bed *b, struct group *g)
{
	struct registrar_time now = { .wall = T0, .boot = BOOT0 };
	unsigned int i;

	registrar_handle_batch(b->reg, g->it, g->n, &now);
	for (i = 0; i < g->n; i++)
		g->resp[i][g->it[i].len] = 0;
	return 0;
}

static int status(const struct group *g, unsigned int i)
{
	return g->it[i].len > 12 ? atoi((const char *)g->resp[i] + 8) : 0;
}

static const char *resp(const struct group *g, unsigned int i)
{
	return (const char *)g->resp[i];
}

/* A second connection: what is committed, and test triggers. */
static int sql_count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n;
}

static int sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

FIXTURE(batch) {
	struct bed b;
	struct group g;
	char dir[64], path[96];
	int hooks;		/* aor_changed calls */
	int committed_at_hook;	/* bindings a reader saw at the first */
};

static void on_change(void *arg, const struct registrar_change *ch)
{
	FIXTURE_DATA(batch) *self = arg;

	if (!self->hooks++)
		self->committed_at_hook = sql_count(self->path,
			"SELECT count(*) FROM bindings");
	(void)ch;
}

FIXTURE_SETUP(batch)
{
	struct registrar_hooks h = { .aor_changed = on_change, .arg = self };
	struct registrar_cfg cfg = test_cfg();
	struct registrar_time now = { .wall = T0, .boot = BOOT0 };

	snprintf(self->dir, sizeof(self->dir), "/tmp/sipreg-batch.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/db", self->dir);
	ASSERT_EQ(0, bed_init_at(&self->b, self->path));
	registrar_free(self->b.reg);
	self->b.reg = registrar_new(&cfg, self->b.st, &h, &now, 64);
	ASSERT_NE(NULL, self->b.reg);
	ASSERT_EQ(0, challenge(&self->b));
	memset(&self->g, 0, sizeof(self->g));
	self->hooks = 0;
	self->committed_at_hook = -1;
}

FIXTURE_TEARDOWN(batch)
{
	char cmd[128];

	bed_fini(&self->b);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", self->dir);
}

#define BINDINGS(self, where) \
	sql_count((self)->path, "SELECT count(*) FROM bindings " where)

/*
 * One group: A registers contact a (CSeq 2), a copy of A, B refreshes
 * a (CSeq 3), C comes with CSeq 2 again (out of order against B's write),
 * D adds contact b. Each sees the writes before it.
 */
TEST_F(batch, same_aor_in_one_group)
{
	struct bed *b = &self->b;
	struct group *g = &self->g;

	add_reg(b, g, "c1", 2, "sip:a@192.0.2.1");
	add(b, g);
	add_reg(b, g, "c1", 3, "sip:a@192.0.2.1");
	add_reg(b, g, "c1", 2, "sip:a@192.0.2.1");
	add_reg(b, g, "c1", 4, "sip:b@192.0.2.1");
	run(b, g);
	EXPECT_EQ(200, status(g, 0));
	/* the retransmission: the first answer's bytes */
	EXPECT_EQ(g->it[0].len, g->it[1].len);
	EXPECT_EQ(0, memcmp(g->resp[0], g->resp[1], g->it[0].len));
	EXPECT_EQ(200, status(g, 2));
	EXPECT_EQ(500, status(g, 3));
	EXPECT_NE(NULL, strstr(resp(g, 3), "CSeq out of order"));
	EXPECT_EQ(200, status(g, 4));
	EXPECT_NE(NULL, strstr(resp(g, 4), "<sip:a@192.0.2.1>"));
	EXPECT_NE(NULL, strstr(resp(g, 4), "<sip:b@192.0.2.1>"));
	EXPECT_EQ(1, BINDINGS(self, "WHERE contact = 'sip:a@192.0.2.1' "
			      "AND cseq = 3"));
	EXPECT_EQ(1, BINDINGS(self, "WHERE contact = 'sip:b@192.0.2.1'"));
	/* A, B and D changed the AOR: told after the one COMMIT */
	EXPECT_EQ(3, self->hooks);
	EXPECT_EQ(2, self->committed_at_hook);
}

/* A write that fails is undone alone; the others commit. */
TEST_F(batch, one_failure_in_a_group)
{
	struct bed *b = &self->b;
	struct group *g = &self->g;

	ASSERT_EQ(0, sql_exec(self->path,
		"CREATE TRIGGER fail BEFORE INSERT ON bindings "
		"WHEN NEW.contact LIKE '%fail%' "
		"BEGIN SELECT RAISE(ABORT, 'test: this write fails'); END"));
	add_reg(b, g, "c1", 2, "sip:a@192.0.2.1");
	add_reg(b, g, "c2", 2, "sip:fail@192.0.2.1");
	add_reg(b, g, "c3", 2, "sip:b@192.0.2.1");
	run(b, g);
	EXPECT_EQ(200, status(g, 0));
	EXPECT_EQ(500, status(g, 1));
	EXPECT_EQ(200, status(g, 2));
	EXPECT_EQ(NULL, strstr(resp(g, 2), "fail@"));
	EXPECT_NE(NULL, strstr(resp(g, 2), "<sip:a@192.0.2.1>"));
	EXPECT_EQ(2, BINDINGS(self, ""));
	EXPECT_EQ(0, BINDINGS(self, "WHERE contact LIKE '%fail%'"));
	EXPECT_EQ(2, self->hooks);
}

/*
 * An error that rolls the whole transaction back takes the earlier
 * changes of the group with it: none of them is answered 200, and the
 * rest of the group is refused rather than committed without them.
 */
TEST_F(batch, transaction_lost_in_a_group)
{
	struct bed *b = &self->b;
	struct group *g = &self->g;

	ASSERT_EQ(0, sql_exec(self->path,
		"CREATE TRIGGER lost BEFORE INSERT ON bindings "
		"WHEN NEW.contact LIKE '%lost%' "
		"BEGIN SELECT RAISE(ROLLBACK, 'test: transaction lost'); END"));
	add_reg(b, g, "c1", 2, "sip:a@192.0.2.1");
	add_reg(b, g, "c2", 2, "sip:lost@192.0.2.1");
	add_reg(b, g, "c3", 2, "sip:b@192.0.2.1");
	run(b, g);
	EXPECT_EQ(500, status(g, 0));
	EXPECT_EQ(500, status(g, 1));
	EXPECT_EQ(500, status(g, 2));
	EXPECT_EQ(0, BINDINGS(self, ""));
	EXPECT_EQ(0, self->hooks);
	/* the next group commits again */
	memset(g, 0, sizeof(*g));
	add_reg(b, g, "c4", 2, "sip:c@192.0.2.1");
	run(b, g);
	EXPECT_EQ(200, status(g, 0));
	EXPECT_EQ(1, BINDINGS(self, ""));
}

static int veto(void *arg)
{
	return *(int *)arg;
}

/*
 * The COMMIT fails (a disk that fails at fsync): no 200 leaves, also not
 * for the retransmission the cache answered in the same group, and a
 * later retransmission gets the 500 too.
 */
TEST_F(batch, commit_fails)
{
	struct bed *b = &self->b;
	struct group *g = &self->g;
	int fail = 1;

	store_commit_veto(b->st, veto, &fail);
	add_reg(b, g, "c1", 2, "sip:a@192.0.2.1");
	add(b, g);
	add_reg(b, g, "c2", 2, "sip:b@192.0.2.1");
	run(b, g);
	EXPECT_EQ(500, status(g, 0));
	EXPECT_EQ(500, status(g, 1));
	EXPECT_EQ(500, status(g, 2));
	EXPECT_NE(NULL, strstr(resp(g, 1), "(store)"));
	EXPECT_EQ(0, BINDINGS(self, ""));
	EXPECT_EQ(0, self->hooks);
	fail = 0;
	/* the copy of the first request, again, alone: the cached 500 */
	snprintf(b->req, sizeof(b->req), "%s", g->req[0]);
	EXPECT_EQ(500, send_at(b, 1));
	EXPECT_EQ(0, BINDINGS(self, ""));
	store_commit_veto(b->st, NULL, NULL);
}

/* A group of one, as registrar_handle() makes: committed before return. */
TEST_F(batch, single_request)
{
	struct bed *b = &self->b;

	EXPECT_EQ(200, reg(b, "c1", 2, "Contact: <sip:a@192.0.2.1>\r\n", 0));
	EXPECT_EQ(1, BINDINGS(self, ""));
	EXPECT_EQ(1, self->hooks);
	EXPECT_EQ(1, self->committed_at_hook);
}

/*
 * Alone in its group a request has no savepoint of its own: a failed
 * write rolls the transaction back, and the next request starts afresh.
 */
TEST_F(batch, single_request_fails)
{
	struct bed *b = &self->b;

	ASSERT_EQ(0, sql_exec(self->path,
		"CREATE TRIGGER fail BEFORE INSERT ON bindings "
		"WHEN NEW.contact LIKE '%fail%' "
		"BEGIN SELECT RAISE(ABORT, 'test: this write fails'); END"));
	EXPECT_EQ(500, reg(b, "c1", 2, "Contact: <sip:fail@192.0.2.1>\r\n", 0));
	EXPECT_EQ(0, BINDINGS(self, ""));
	EXPECT_EQ(200, reg(b, "c2", 2, "Contact: <sip:a@192.0.2.1>\r\n", 0));
	EXPECT_EQ(1, BINDINGS(self, ""));
	EXPECT_EQ(1, self->hooks);
}

TEST_HARNESS_MAIN
