// SPDX-License-Identifier: GPL-2.0
/*
 * Two workers on one store ("workers = 2"): two registrars, each on its
 * own connection to one database file, as sipregd's workers are. A nonce
 * count used at one is used at the other (it is in the store, written in
 * the group's transaction), nonce keys rotated by one are the other's at
 * the same second, and only operator changes of users move the users'
 * generation (not the other worker's bindings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "registrar_bed.h"

FIXTURE(workers) {
	char dir[64], path[96];
	struct bed a, b;	/* worker 0 and worker 1 */
};

FIXTURE_SETUP(workers)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/sipreg-workers.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/db", self->dir);
	ASSERT_EQ(0, bed_init_at(&self->a, self->path));
	ASSERT_EQ(0, bed_init_at(&self->b, self->path));
	/* as sipregd's workers: wait for the other's COMMIT, not forever */
	store_set_busy_timeout(self->a.st, 200);
	store_set_busy_timeout(self->b.st, 200);
	registrar_set_primary(self->b.reg, false);
}

FIXTURE_TEARDOWN(workers)
{
	char cmd[128];

	bed_fini(&self->a);
	bed_fini(&self->b);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", self->dir);
}

/* The same datagram, from the same address, to worker @to. */
static int replay_to(const struct bed *from, struct bed *to, int dt)
{
	memcpy(to->req, from->req, sizeof(to->req));
	return send_at(to, dt);
}

/* A challenge from @b at @dt: its nonce into @b->nonce. */
static int challenge_at(struct bed *b, int dt)
{
	const char *p;

	build(b, "alice", "probe", 1, "", "");
	if (send_at(b, dt) != 401)
		return -1;
	p = strstr((const char *)b->resp, "nonce=\"");
	if (!p)
		return -1;
	snprintf(b->nonce, sizeof(b->nonce), "%.*s",
		 (int)strcspn(p + 7, "\""), p + 7);
	b->nc = 0;
	return 0;
}

TEST_F(workers, replayed_count_refused_by_the_other_worker)
{
	ASSERT_EQ(0, challenge(&self->a));
	ASSERT_EQ(200, reg(&self->a, "c1", 1,
			   "Contact: <sip:alice@192.0.2.1:5062>\r\n", 1));
	/*
	 * The captured Authorization (same nonce, cnonce and nc) in a new
	 * request to worker 1: another CSeq, another Contact.
	 */
	memcpy(self->b.nonce, self->a.nonce, sizeof(self->b.nonce));
	self->b.nc = self->a.nc - 1;
	self->b.branch = self->a.branch;
	EXPECT_EQ(401, reg(&self->b, "c1", 2,
			   "Contact: <sip:mallory@192.0.2.66>\r\n", 2));
	EXPECT_EQ(1, registrar_stats(self->b.reg)->nc_replays);
	EXPECT_EQ(0, registrar_stats(self->b.reg)->status[2]);
	/* and at worker 0 itself, whose memory holds no count any more */
	self->a.nc--;
	EXPECT_EQ(401, reg(&self->a, "c1", 3,
			   "Contact: <sip:mallory@192.0.2.66>\r\n", 3));
	EXPECT_EQ(1, registrar_stats(self->a.reg)->nc_replays);
}

/*
 * The first request itself again, at the worker whose retransmission
 * cache never saw it: the retransmission of what it committed, 200 with
 * nothing changed.
 */
TEST_F(workers, retransmission_at_the_other_worker)
{
	ASSERT_EQ(0, challenge(&self->a));
	ASSERT_EQ(200, reg(&self->a, "c1", 1,
			   "Contact: <sip:alice@192.0.2.1:5062>\r\n", 1));
	EXPECT_EQ(200, replay_to(&self->a, &self->b, 2));
	EXPECT_EQ(1, registrar_stats(self->b.reg)->retransmitted_commits);
	EXPECT_EQ(0, registrar_stats(self->b.reg)->nc_replays);
}

TEST_F(workers, next_count_accepted_by_the_other_worker)
{
	ASSERT_EQ(0, challenge(&self->a));
	ASSERT_EQ(200, reg(&self->a, "c1", 1,
			   "Contact: <sip:alice@192.0.2.1:5062>\r\n", 1));
	/* worker 1 knows worker 0's nonce (one key set) and the count */
	memcpy(self->b.nonce, self->a.nonce, sizeof(self->b.nonce));
	self->b.nc = self->a.nc;
	self->b.branch = self->a.branch;
	EXPECT_EQ(200, reg(&self->b, "c1", 2,
			   "Contact: <sip:alice@192.0.2.1:5062>\r\n", 2));
	EXPECT_EQ(0, registrar_stats(self->b.reg)->nc_replays);
}

TEST_F(workers, rotated_keys_are_the_other_workers_at_once)
{
	struct registrar_time now = { .wall = T0 + 301, .boot = BOOT0 + 301 };

	/* worker 0 rotates at its tick, then challenges with the new key */
	registrar_tick(self->a.reg, &now);
	ASSERT_EQ(0, challenge_at(&self->a, 301));
	/* worker 1 has not ticked: its next group takes the new keys */
	memcpy(self->b.nonce, self->a.nonce, sizeof(self->b.nonce));
	self->b.nc = 0;
	self->b.branch = self->a.branch;
	EXPECT_EQ(200, reg(&self->b, "c1", 1,
			   "Contact: <sip:alice@192.0.2.1:5062>\r\n", 301));
	/* and its own rotation at its tick changes nothing any more */
	registrar_tick(self->b.reg, &now);
	self->a.nc = self->b.nc;
	self->a.branch = self->b.branch;
	EXPECT_EQ(200, reg(&self->a, "c1", 2,
			   "Contact: <sip:alice@192.0.2.1:5062>\r\n", 302));
}

TEST_F(workers, count_waits_for_the_other_transaction)
{
	static const char key[] = "alice\0example.com\0nonce\0cn";
	int64_t now = T0;

	ASSERT_EQ(0, store_begin(self->a.st));
	ASSERT_EQ(1, store_nc_advance(self->a.st, key, sizeof(key), 1, now,
				      600));
	/* worker 1 cannot check the count while worker 0 may still use it */
	store_set_busy_timeout(self->b.st, 0);
	EXPECT_EQ(-1, store_begin(self->b.st));
	EXPECT_TRUE(store_busy(self->b.st));
	ASSERT_EQ(0, store_commit(self->a.st));
	ASSERT_EQ(0, store_begin(self->b.st));
	EXPECT_EQ(0, store_nc_advance(self->b.st, key, sizeof(key), 1, now,
				      600));
	EXPECT_EQ(1, store_nc_advance(self->b.st, key, sizeof(key), 2, now,
				      600));
	ASSERT_EQ(0, store_commit(self->b.st));
	/* a count of a transaction rolled back was never used */
	ASSERT_EQ(0, store_begin(self->a.st));
	EXPECT_EQ(1, store_nc_advance(self->a.st, key, sizeof(key), 3, now,
				      600));
	store_rollback(self->a.st);
	EXPECT_EQ(1, store_nc_advance(self->b.st, key, sizeof(key), 3, now,
				      600));
	/* a record older than max_age is no longer a reason to refuse */
	EXPECT_EQ(0, store_nc_advance(self->a.st, key, sizeof(key), 3,
				      now + 600, 600));
	EXPECT_EQ(1, store_nc_advance(self->a.st, key, sizeof(key), 3,
				      now + 601, 600));
	/* the primary's purge removes it then */
	EXPECT_EQ(1, store_nc_purge(self->a.st, now + 602, 100));
}

TEST_F(workers, users_generation_moves_for_users_only)
{
	struct store_binding sb;
	struct store_user su;
	int64_t g0, g1, g2;

	ASSERT_EQ(0, store_users_gen(self->b.st, &g0));
	memset(&sb, 0, sizeof(sb));
	snprintf(sb.aor, sizeof(sb.aor), "sip:alice@" REALM);
	snprintf(sb.contact, sizeof(sb.contact), "sip:alice@192.0.2.1");
	snprintf(sb.call_id, sizeof(sb.call_id), "x");
	sb.expires = T0 + 60;
	ASSERT_EQ(0, store_binding_put(self->a.st, &sb));
	ASSERT_EQ(0, store_users_gen(self->b.st, &g1));
	EXPECT_EQ(g0, g1);
	memset(&su, 0, sizeof(su));
	snprintf(su.user, sizeof(su.user), "bob");
	snprintf(su.realm, sizeof(su.realm), REALM);
	ASSERT_EQ(0, store_user_put(self->a.st, &su));
	ASSERT_EQ(0, store_users_gen(self->b.st, &g2));
	EXPECT_NE(g1, g2);
	ASSERT_EQ(1, store_user_del(self->a.st, "bob", REALM));
	ASSERT_EQ(0, store_users_gen(self->b.st, &g1));
	EXPECT_NE(g1, g2);
}

TEST_HARNESS_MAIN
