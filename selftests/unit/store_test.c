// SPDX-License-Identifier: GPL-2.0
/*
 * store.h's contract, the same checks on each backend: SQLite on a file,
 * and PostgreSQL when SIPREG_TEST_PG holds a connection URI to a database
 * the test may empty (selftests/unit/store-postgres.sh starts a scratch
 * server and sets it). Two connections to one store, as the daemon's
 * workers, the CLI and other gateways have: one's commit is seen by the
 * other, a writer waits for another's transaction or is told "busy".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpq-fe.h>

#include "kselftest_harness.h"
#include "store/store.h"

FIXTURE(store) {
	char path[64];
	char db[1024];
	struct store *a, *b;	/* two connections */
};

FIXTURE_VARIANT(store) {
	bool pg;
};

FIXTURE_VARIANT_ADD(store, sqlite) {
	.pg = false,
};

FIXTURE_VARIANT_ADD(store, postgresql) {
	.pg = true,
};

/* A test's PostgreSQL database starts empty; false if it cannot be. */
static bool pg_empty(const char *uri)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;
	bool ok;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "# %s: %s", uri, PQerrorMessage(c));
		PQfinish(c);
		return false;
	}
	r = PQexec(c, "SET client_min_messages = warning;"
		   "DROP TABLE IF EXISTS schema_version, users, bindings, meta,"
		   " nonce_counts, gens CASCADE;"
		   "DROP SEQUENCE IF EXISTS bindings_seq");
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "# %s", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return ok;
}

FIXTURE_SETUP(store)
{
	char err[512];

	if (variant->pg) {
		const char *uri = getenv("SIPREG_TEST_PG");

		if (!uri || !*uri)
			SKIP(return, "SIPREG_TEST_PG not set: no PostgreSQL");
		ASSERT_TRUE(pg_empty(uri));
		snprintf(self->db, sizeof(self->db), "%s", uri);
	} else {
		int fd;

		snprintf(self->path, sizeof(self->path),
			 "/tmp/store_test.XXXXXX");
		fd = mkstemp(self->path);
		ASSERT_LE(0, fd);
		close(fd);
		unlink(self->path);
		snprintf(self->db, sizeof(self->db), "sqlite:%s", self->path);
	}
	self->a = store_open(self->db, STORE_SYNC_NORMAL, err, sizeof(err));
	ASSERT_NE(NULL, self->a) TH_LOG("%s", err);
	self->b = store_open(self->db, STORE_SYNC_NORMAL, err, sizeof(err));
	ASSERT_NE(NULL, self->b) TH_LOG("%s", err);
}

FIXTURE_TEARDOWN(store)
{
	char f[96];

	store_close(self->a);
	store_close(self->b);
	if (!self->path[0])
		return;
	unlink(self->path);
	snprintf(f, sizeof(f), "%s-wal", self->path);
	unlink(f);
	snprintf(f, sizeof(f), "%s-shm", self->path);
	unlink(f);
}

static struct store_binding bind(const char *aor, const char *contact,
				 const char *call_id, uint32_t cseq,
				 int64_t expires)
{
	struct store_binding b = { .cseq = cseq, .expires = expires,
				   .updated = 1000, .q = -1 };

	snprintf(b.aor, sizeof(b.aor), "%s", aor);
	snprintf(b.contact, sizeof(b.contact), "%s", contact);
	snprintf(b.call_id, sizeof(b.call_id), "%s", call_id);
	return b;
}

struct seen {
	char contacts[8][640];
	int n;
};

static int note(void *arg, const struct store_binding *b)
{
	struct seen *s = arg;

	if (s->n < 8)
		snprintf(s->contacts[s->n], sizeof(s->contacts[0]), "%s",
			 b->contact);
	s->n++;
	return 0;
}

static int note_user(void *arg, const struct store_user *u)
{
	struct seen *s = arg;

	if (s->n < 8)
		snprintf(s->contacts[s->n], sizeof(s->contacts[0]), "%s@%s",
			 u->user, u->realm);
	s->n++;
	return 0;
}

TEST_F(store, users)
{
	struct store_user u = { .user = "bob", .realm = "r", .has_md5 = true },
			  got;
	struct seen s = { .n = 0 };
	int64_t g0, g1;

	memset(u.ha1_md5, 0xab, sizeof(u.ha1_md5));
	ASSERT_EQ(0, store_users_gen(self->a, &g0));
	ASSERT_EQ(0, store_user_put(self->a, &u));
	snprintf(u.user, sizeof(u.user), "alice");
	u.has_sha256 = true;
	memset(u.ha1_sha256, 0x5c, sizeof(u.ha1_sha256));
	ASSERT_EQ(0, store_user_put(self->a, &u));
	ASSERT_EQ(0, store_users_gen(self->b, &g1));
	EXPECT_NE(g0, g1);

	ASSERT_EQ(1, store_user_get(self->b, "bob", "r", &got));
	EXPECT_TRUE(got.has_md5);
	EXPECT_FALSE(got.has_sha256);
	EXPECT_EQ(0xab, got.ha1_md5[15]);
	ASSERT_EQ(1, store_user_get(self->b, "alice", "r", &got));
	EXPECT_TRUE(got.has_sha256);
	EXPECT_EQ(0x5c, got.ha1_sha256[31]);
	EXPECT_EQ(0, store_user_get(self->b, "alice", "other", &got));

	/* put replaces */
	u.has_md5 = false;
	ASSERT_EQ(0, store_user_put(self->a, &u));
	ASSERT_EQ(1, store_user_get(self->b, "alice", "r", &got));
	EXPECT_FALSE(got.has_md5);

	ASSERT_EQ(0, store_user_each(self->b, note_user, &s));
	ASSERT_EQ(2, s.n);
	EXPECT_STREQ("alice@r", s.contacts[0]);
	EXPECT_STREQ("bob@r", s.contacts[1]);

	EXPECT_EQ(1, store_user_del(self->a, "bob", "r"));
	EXPECT_EQ(0, store_user_del(self->a, "bob", "r"));
	EXPECT_EQ(0, store_user_get(self->b, "bob", "r", &got));
}

TEST_F(store, binding_order_and_expiry)
{
	struct store_binding b;
	struct seen s = { .n = 0 };

	b = bind("sip:a@x", "sip:2@h", "c2", 1, 5000);
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	b = bind("sip:a@x", "sip:1@h", "c1", 1, 5000);
	b.q = 500;
	snprintf(b.path, sizeof(b.path), "<sip:p1>, <sip:p2>");
	snprintf(b.instance, sizeof(b.instance), "<urn:uuid:1>");
	b.reg_id = 7;
	b.nc = 3;
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	b = bind("sip:a@x", "sip:3@h", "c3", 1, 1500);	/* expires first */
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	b = bind("sip:b@x", "sip:9@h", "c9", 1, 5000);
	ASSERT_EQ(0, store_binding_put(self->a, &b));

	/* one AOR: in the order registered */
	ASSERT_EQ(0, store_binding_each(self->b, "sip:a@x", 1000, note, &s));
	ASSERT_EQ(3, s.n);
	EXPECT_STREQ("sip:2@h", s.contacts[0]);
	EXPECT_STREQ("sip:1@h", s.contacts[1]);
	EXPECT_STREQ("sip:3@h", s.contacts[2]);

	/* registered again: last */
	b = bind("sip:a@x", "sip:2@h", "c2b", 1, 5000);
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	s.n = 0;
	ASSERT_EQ(0, store_binding_each(self->b, "sip:a@x", 2000, note, &s));
	ASSERT_EQ(2, s.n);	/* sip:3 expired at 1500 */
	EXPECT_STREQ("sip:1@h", s.contacts[0]);
	EXPECT_STREQ("sip:2@h", s.contacts[1]);

	/* all: by (aor, contact) */
	s.n = 0;
	ASSERT_EQ(0, store_binding_each(self->b, NULL, 1000, note, &s));
	ASSERT_EQ(4, s.n);
	EXPECT_STREQ("sip:1@h", s.contacts[0]);
	EXPECT_STREQ("sip:9@h", s.contacts[3]);
	EXPECT_EQ(4, store_binding_count(self->b, 1000));
	EXPECT_EQ(3, store_binding_count(self->b, 2000));

	EXPECT_EQ(1, store_binding_purge(self->a, 2000, 10));
	EXPECT_EQ(0, store_binding_purge(self->a, 2000, 10));
	EXPECT_EQ(3, store_binding_count(self->b, 0));
	EXPECT_EQ(2, store_binding_purge(self->a, 9000, 2));	/* at most 2 */
	EXPECT_EQ(1, store_binding_count(self->b, 0));
}

static int keep(void *arg, const struct store_binding *b)
{
	*(struct store_binding *)arg = *b;
	return 0;
}

/* The first binding only (in registration order). */
static int note_first(void *arg, const struct store_binding *b)
{
	struct store_binding *got = arg;

	if (!got->aor[0])
		*got = *b;
	return 0;
}

TEST_F(store, binding_fields_refresh_expire)
{
	struct store_binding b = bind("sip:a@x", "sip:1@h;ob", "call-1", 10,
				      5000), got;

	b.q = 0;
	b.nc = 4;
	snprintf(b.source, sizeof(b.source), "192.0.2.1 5060");
	snprintf(b.path, sizeof(b.path), "<sip:edge;lr>");
	b.reg_id = 2;
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	memset(&got, 0, sizeof(got));
	ASSERT_EQ(0, store_binding_each(self->b, "sip:a@x", 0, keep, &got));
	EXPECT_STREQ("call-1", got.call_id);
	EXPECT_EQ(10, got.cseq);
	EXPECT_EQ(0, got.q);
	EXPECT_EQ(4, got.nc);
	EXPECT_EQ(2, got.reg_id);
	EXPECT_EQ(1000, got.updated);
	EXPECT_STREQ("192.0.2.1 5060", got.source);
	EXPECT_STREQ("<sip:edge;lr>", got.path);

	/* a refresh of the same registration moves it forward */
	b.cseq = 11;
	b.expires = 8000;
	b.nc = 5;
	b.updated = 2000;
	EXPECT_EQ(1, store_binding_refresh(self->a, &b));
	ASSERT_EQ(0, store_binding_each(self->b, "sip:a@x", 0, keep, &got));
	EXPECT_EQ(11, got.cseq);
	EXPECT_EQ(8000, got.expires);
	EXPECT_EQ(5, got.nc);
	EXPECT_EQ(2000, got.updated);
	EXPECT_EQ(0, got.q);	/* untouched */
	/* ... never backwards, never another Call-ID's */
	b.cseq = 9;
	EXPECT_EQ(0, store_binding_refresh(self->a, &b));
	b.cseq = 20;
	snprintf(b.call_id, sizeof(b.call_id), "call-2");
	EXPECT_EQ(0, store_binding_refresh(self->a, &b));
	EXPECT_EQ(0, store_binding_expire(self->a, "sip:a@x", "sip:1@h;ob",
					  "call-2", 20));
	EXPECT_EQ(0, store_binding_expire(self->a, "sip:a@x", "sip:1@h;ob",
					  "call-1", 10));
	EXPECT_EQ(1, store_binding_expire(self->a, "sip:a@x", "sip:1@h;ob",
					  "call-1", 11));
	EXPECT_EQ(0, store_binding_count(self->b, 0));
}

/* A kernel event's refreshes at once: odd characters, duplicates, stale. */
TEST_F(store, refreshes_at_once)
{
	struct store_binding b[5], got;
	int i;

	b[0] = bind("sip:a@x", "sip:1@h;p=\"q\\r\"", "c1", 10, 5000);
	b[1] = bind("sip:a@x", "sip:2@h", "c2", 10, 5000);
	b[2] = bind("sip:b@x", "sip:3@h", "c3", 10, 5000);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, store_binding_put(self->a, &b[i]));
	b[0].cseq = 11;			/* refreshed */
	b[0].expires = 7000;
	b[0].nc = 4;
	b[1].cseq = 9;			/* older: stays */
	b[2].cseq = 12;			/* refreshed, then ... */
	b[2].expires = 8000;
	b[3] = b[2];			/* ... again, higher: this one wins */
	b[3].cseq = 13;
	b[3].expires = 9000;
	b[4] = bind("sip:gone@x", "sip:9@h", "c9", 5, 5000);	/* gone */
	i = store_binding_refresh_many(self->a, b, 5);
	EXPECT_TRUE(i == 2 || i == 3) TH_LOG("%d updated", i);
	ASSERT_EQ(0, store_binding_each(self->b, "sip:b@x", 0, keep, &got));
	EXPECT_EQ(13, got.cseq);
	EXPECT_EQ(9000, got.expires);
	memset(&got, 0, sizeof(got));
	ASSERT_EQ(0, store_binding_each(self->b, "sip:a@x", 0, note_first, &got));
	EXPECT_STREQ("sip:1@h;p=\"q\\r\"", got.contact);
	EXPECT_EQ(11, got.cseq);
	EXPECT_EQ(7000, got.expires);
	EXPECT_EQ(4, got.nc);
	EXPECT_EQ(0, store_binding_refresh_many(self->a, b, 0));
}

TEST_F(store, nonce_counts_and_meta)
{
	const uint8_t key[20] = { 1, 2, 3 };
	uint8_t v[8] = { 9, 8, 7 }, w[8] = { 0 }, small[4];

	EXPECT_EQ(1, store_nc_advance(self->a, key, sizeof(key), 1, 100, 600));
	EXPECT_EQ(0, store_nc_advance(self->b, key, sizeof(key), 1, 100, 600));
	EXPECT_EQ(1, store_nc_advance(self->b, key, sizeof(key), 2, 101, 600));
	EXPECT_EQ(0, store_nc_advance(self->a, key, sizeof(key), 2, 101, 600));
	/* an old record no longer refuses a count from 1 */
	EXPECT_EQ(1, store_nc_advance(self->a, key, sizeof(key), 1, 800, 600));
	EXPECT_EQ(0, store_nc_purge(self->a, 800, 10));
	EXPECT_EQ(1, store_nc_purge(self->a, 801, 10));

	EXPECT_EQ(0, store_meta_get(self->a, "k", w, sizeof(w)));
	ASSERT_EQ(0, store_meta_put(self->a, "k", v, sizeof(v)));
	EXPECT_EQ(1, store_meta_get(self->b, "k", w, sizeof(w)));
	EXPECT_EQ(0, memcmp(v, w, sizeof(v)));
	/* a value of another size is not taken */
	EXPECT_EQ(0, store_meta_get(self->b, "k", small, sizeof(small)));
	v[0] = 42;
	ASSERT_EQ(0, store_meta_put(self->b, "k", v, sizeof(v)));
	EXPECT_EQ(1, store_meta_get(self->a, "k", w, sizeof(w)));
	EXPECT_EQ(42, w[0]);
}

static int always(void *arg)
{
	(void)arg;
	return 1;
}

TEST_F(store, transactions)
{
	struct store_binding b = bind("sip:a@x", "sip:1@h", "c", 1, 5000);

	/* rolled back: nothing */
	ASSERT_EQ(0, store_begin(self->a));
	EXPECT_TRUE(store_in_transaction(self->a));
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	store_rollback(self->a);
	EXPECT_FALSE(store_in_transaction(self->a));
	EXPECT_EQ(0, store_binding_count(self->b, 0));

	/* one request undone alone, the other committed */
	ASSERT_EQ(0, store_begin(self->a));
	ASSERT_EQ(0, store_savepoint(self->a));
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	ASSERT_EQ(0, store_release(self->a));
	ASSERT_EQ(0, store_savepoint(self->a));
	b = bind("sip:a@x", "sip:2@h", "c", 1, 5000);
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	store_rollback_to(self->a);
	EXPECT_EQ(0, store_binding_count(self->b, 0));	/* not yet */
	ASSERT_EQ(0, store_commit(self->a));
	EXPECT_EQ(1, store_binding_count(self->b, 0));

	/* a vetoed COMMIT fails and keeps nothing */
	store_commit_veto(self->a, always, NULL);
	ASSERT_EQ(0, store_begin(self->a));
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	EXPECT_EQ(-1, store_commit(self->a));
	store_rollback(self->a);
	store_commit_veto(self->a, NULL, NULL);
	EXPECT_EQ(1, store_binding_count(self->b, 0));
	EXPECT_FALSE(store_in_transaction(self->a));
}

TEST_F(store, busy_while_another_writes)
{
	struct store_binding b = bind("sip:a@x", "sip:1@h", "c", 1, 5000);

	store_set_busy_timeout(self->b, 50);
	ASSERT_EQ(0, store_begin(self->a));
	ASSERT_EQ(0, store_binding_put(self->a, &b));
	EXPECT_EQ(-1, store_begin(self->b));
	EXPECT_TRUE(store_busy(self->b)) TH_LOG("%s", store_error(self->b));
	store_rollback(self->b);
	ASSERT_EQ(0, store_commit(self->a));
	ASSERT_EQ(0, store_begin(self->b));
	store_rollback(self->b);
}

/* A NOTIFY travels: up to 5 s for it (SQLite's is there at once). */
static bool changed_soon(struct store *st)
{
	for (int i = 0; i < 500; i++) {
		if (store_changed(st))
			return true;
		usleep(10 * 1000);
	}
	return false;
}

TEST_F(store, changed_by_another)
{
	struct store_user u = { .user = "carol", .realm = "r" };

	store_changed(self->a);
	store_changed(self->b);
	EXPECT_EQ(0, store_changed(self->b));
	ASSERT_EQ(0, store_user_put(self->a, &u));
	EXPECT_TRUE(changed_soon(self->b));
	EXPECT_EQ(0, store_changed(self->b));	/* consumed */
	EXPECT_EQ(0, store_changed(self->a));	/* its own commit */
	u.has_md5 = true;
	ASSERT_EQ(0, store_user_put(self->a, &u));
	EXPECT_TRUE(changed_soon(self->b));
}

struct aors {
	char v[4][64];
	int n, all;
};

static void got_aor(void *arg, const char *aor)
{
	struct aors *a = arg;

	if (!aor)
		a->all++;
	else if (a->n < 4)
		snprintf(a->v[a->n++], sizeof(a->v[0]), "%s", aor);
}

/* PostgreSQL: the AORs another gateway changed, once each. */
TEST_F(store, aors_changed_by_another)
{
	struct store_binding b = bind("sip:a@x", "sip:1@h", "c", 1, 5000);
	struct aors got = { .n = 0 };
	int i;

	store_aors_changed(self->a, got_aor, &got);
	store_aors_changed(self->b, got_aor, &got);
	memset(&got, 0, sizeof(got));
	ASSERT_EQ(0, store_begin(self->b));
	ASSERT_EQ(0, store_binding_put(self->b, &b));
	b = bind("sip:a@x", "sip:2@h", "c", 1, 5000);
	ASSERT_EQ(0, store_binding_put(self->b, &b));
	b = bind("sip:z@x", "sip:9@h", "c", 1, 5000);
	ASSERT_EQ(0, store_binding_put(self->b, &b));
	ASSERT_EQ(0, store_commit(self->b));
	EXPECT_EQ(0, store_binding_del(self->b, "sip:z@x", "sip:9@h"));
	for (i = 0; i < 500 && got.n < 2 && variant->pg; i++) {
		store_aors_changed(self->a, got_aor, &got);
		usleep(10 * 1000);
	}
	EXPECT_EQ(0, store_aors_changed(self->b, got_aor, &got)); /* its own */
	if (!variant->pg) {
		EXPECT_EQ(0, got.n);	/* one gateway: nothing to tell */
		return;
	}
	EXPECT_EQ(0, got.all);
	ASSERT_EQ(2, got.n);
	EXPECT_STREQ("sip:a@x", got.v[0]);
	EXPECT_STREQ("sip:z@x", got.v[1]);
}

TEST(db_names)
{
	char buf[256];

	EXPECT_TRUE(store_is_pg("postgresql://u@h/d"));
	EXPECT_TRUE(store_is_pg("postgres://h/d"));
	EXPECT_FALSE(store_is_pg("/var/lib/sipreg/sipreg.db"));
	EXPECT_FALSE(store_is_pg("sqlite:/x.db"));
	EXPECT_STREQ("postgresql://u:***@h/d",
		     store_db_name("postgresql://u:secret@h/d", buf,
				   sizeof(buf)));
	EXPECT_STREQ("postgresql://u@h/d?sslmode=require&password=***&x=1",
		     store_db_name("postgresql://u@h/d?sslmode=require&"
				   "password=x&x=1", buf, sizeof(buf)));
	EXPECT_STREQ("postgresql://u:***@h/d?password=***",
		     store_db_name("postgresql://u:p@h/d?password=x", buf,
				   sizeof(buf)));
	EXPECT_STREQ("postgresql:///d?host=/run/pg",
		     store_db_name("postgresql:///d?host=/run/pg", buf,
				   sizeof(buf)));
	EXPECT_STREQ("/x.db", store_db_name("/x.db", buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
