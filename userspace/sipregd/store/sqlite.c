// SPDX-License-Identifier: GPL-2.0
/*
 * store.h on SQLite: one connection per process, WAL so that the CLI and
 * the daemon can work on the same file at once, prepared statements
 * kept for the life of the connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

#include "store_priv.h"

/*
 * 2: bindings.nc, the last nonce count the binding was registered or
 * refreshed with (kernel sync installs it so that the fast path refuses
 * a replayed count).
 */
#define SCHEMA_VERSION	2

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS users("
	" user TEXT NOT NULL, realm TEXT NOT NULL,"
	" ha1_md5 BLOB, ha1_sha256 BLOB,"
	" PRIMARY KEY(user, realm));"
	"CREATE TABLE IF NOT EXISTS bindings("
	" aor TEXT NOT NULL, contact TEXT NOT NULL,"
	" call_id TEXT NOT NULL, cseq INTEGER NOT NULL,"
	" expires INTEGER NOT NULL, updated INTEGER NOT NULL, q INTEGER,"
	" instance TEXT NOT NULL DEFAULT '', reg_id INTEGER NOT NULL DEFAULT 0,"
	" path TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',"
	" nc INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY(aor, contact));"
	"CREATE INDEX IF NOT EXISTS bindings_expires ON bindings(expires);"
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB);"
	/*
	 * The last nonce count per (user, realm, nonce, cnonce): in the
	 * store, inside the transaction of the request that used it, so that
	 * every worker (and every gateway on a shared store) sees it.
	 */
	"CREATE TABLE IF NOT EXISTS nonce_counts(key BLOB PRIMARY KEY,"
	" nc INTEGER NOT NULL, time INTEGER NOT NULL) WITHOUT ROWID;"
	/*
	 * A generation per kind of operator change, moved by triggers: a
	 * worker's commits move data_version for the others, the users'
	 * generation only when users changed (kernel sync pushes them then).
	 */
	"CREATE TABLE IF NOT EXISTS gens(what TEXT PRIMARY KEY,"
	" gen INTEGER NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS users_ins AFTER INSERT ON users BEGIN"
	" INSERT INTO gens VALUES('users', 1) ON CONFLICT(what)"
	" DO UPDATE SET gen = gen + 1; END;"
	"CREATE TRIGGER IF NOT EXISTS users_upd AFTER UPDATE ON users BEGIN"
	" INSERT INTO gens VALUES('users', 1) ON CONFLICT(what)"
	" DO UPDATE SET gen = gen + 1; END;"
	"CREATE TRIGGER IF NOT EXISTS users_del AFTER DELETE ON users BEGIN"
	" INSERT INTO gens VALUES('users', 1) ON CONFLICT(what)"
	" DO UPDATE SET gen = gen + 1; END;";

enum {
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_DATA_VERSION,
	Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO,
	Q_USER_GET, Q_USER_PUT, Q_USER_DEL, Q_USER_ALL,
	Q_BIND_AOR, Q_BIND_ALL, Q_BIND_PUT, Q_BIND_DEL, Q_BIND_PURGE,
	Q_BIND_COUNT, Q_META_GET, Q_META_PUT, Q_BIND_REFRESH, Q_BIND_EXPIRE,
	Q_NC_ADVANCE, Q_NC_PURGE, Q_USERS_GEN,
	Q_NR
};

static const char *const sql[Q_NR] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_DATA_VERSION] = "PRAGMA data_version",
	[Q_SAVEPOINT] = "SAVEPOINT req",
	[Q_RELEASE] = "RELEASE req",
	[Q_ROLLBACK_TO] = "ROLLBACK TO req",
	[Q_USER_GET] = "SELECT user, realm, ha1_md5, ha1_sha256 FROM users"
		       " WHERE user = ?1 AND realm = ?2",
	[Q_USER_PUT] = "INSERT OR REPLACE INTO users VALUES(?1, ?2, ?3, ?4)",
	[Q_USER_DEL] = "DELETE FROM users WHERE user = ?1 AND realm = ?2",
	[Q_USER_ALL] = "SELECT user, realm, ha1_md5, ha1_sha256 FROM users"
		       " ORDER BY user, realm",
#define BIND_COLS "aor, contact, call_id, cseq, expires, updated, q," \
		  " instance, reg_id, path, source, nc"
	[Q_BIND_AOR] = "SELECT " BIND_COLS " FROM bindings"
		       " WHERE aor = ?1 AND expires > ?2 ORDER BY rowid",
	[Q_BIND_ALL] = "SELECT " BIND_COLS " FROM bindings"
		       " WHERE expires > ?2 ORDER BY aor, contact",
	[Q_BIND_PUT] = "INSERT OR REPLACE INTO bindings(" BIND_COLS ")"
		       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[Q_BIND_DEL] = "DELETE FROM bindings WHERE aor = ?1 AND contact = ?2",
	[Q_BIND_PURGE] = "DELETE FROM bindings WHERE rowid IN (SELECT rowid"
			 " FROM bindings WHERE expires <= ?1 LIMIT ?2)",
	[Q_BIND_COUNT] = "SELECT count(*) FROM bindings WHERE expires > ?1",
	[Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[Q_META_PUT] = "INSERT OR REPLACE INTO meta VALUES(?1, ?2)",
	/* the same registration (Call-ID), moved forward only */
	[Q_BIND_REFRESH] = "UPDATE bindings SET cseq = ?4, expires = ?5,"
			   " nc = ?6, updated = ?7 WHERE aor = ?1 AND"
			   " contact = ?2 AND call_id = ?3 AND cseq <= ?4",
	[Q_BIND_EXPIRE] = "DELETE FROM bindings WHERE aor = ?1 AND"
			  " contact = ?2 AND call_id = ?3 AND cseq <= ?4",
	/* a row changes only for a higher count, or once the old one aged */
	[Q_NC_ADVANCE] = "INSERT INTO nonce_counts VALUES(?1, ?2, ?3)"
			 " ON CONFLICT(key) DO UPDATE SET nc = excluded.nc,"
			 " time = excluded.time WHERE excluded.nc > nc OR"
			 " excluded.time - time > ?4",
	[Q_NC_PURGE] = "DELETE FROM nonce_counts WHERE key IN (SELECT key"
		       " FROM nonce_counts WHERE time < ?1 LIMIT ?2)",
	[Q_USERS_GEN] = "SELECT gen FROM gens WHERE what = 'users'",
};

struct sqlite_store {
	struct store base;		/* first: store.c's error, busy, ops */
	sqlite3 *db;
	unsigned int busy_ms;		/* how long to wait for a lock */
	struct timespec busy_start;	/* when this wait began */
	sqlite3_stmt *q[Q_NR];
	long long data_version;
};

static struct sqlite_store *sq(struct store *base)
{
	return (struct sqlite_store *)base;
}

/* @rc: what SQLite returned; BUSY and LOCKED are remembered as such. */
static int fail_rc(struct sqlite_store *st, const char *what, int rc)
{
	st->base.busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
	snprintf(st->base.err, sizeof(st->base.err), "%s: %s", what, sqlite3_errstr(rc));
	return -1;
}

static int fail(struct sqlite_store *st, const char *what)
{
	st->base.busy = false;
	snprintf(st->base.err, sizeof(st->base.err), "%s: %s", what,
		 sqlite3_errmsg(st->db));
	return -1;
}

/* Runs a prepared statement that returns no rows. */
static int run(struct sqlite_store *st, int q)
{
	sqlite3_stmt *s = st->q[q];
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail_rc(st, sql[q], rc);
	return 0;
}

static void done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static int copy_text(struct sqlite_store *st, sqlite3_stmt *s, int col, char *out,
		     size_t size, const char *name)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t n = t ? strlen((const char *)t) : 0;

	if (n >= size) {
		st->base.busy = false;
		snprintf(st->base.err, sizeof(st->base.err),
			 "column %s: %zu bytes, longer than %zu", name, n,
			 size - 1);
		return -1;
	}
	memcpy(out, t ? (const char *)t : "", n + 1);
	return 0;
}

/* A new file gets the current schema; version 1 gains bindings.nc. */
static int migrate(struct sqlite_store *st, int ver)
{
	if (!ver)
		return sqlite3_exec(st->db, "INSERT INTO schema_version VALUES(2)",
				    NULL, NULL, NULL) != SQLITE_OK;
	if (ver == 1)
		return sqlite3_exec(st->db, "BEGIN IMMEDIATE;"
				    "ALTER TABLE bindings ADD COLUMN"
				    " nc INTEGER NOT NULL DEFAULT 0;"
				    "INSERT INTO schema_version VALUES(2);"
				    "COMMIT", NULL, NULL, NULL) != SQLITE_OK;
	return 0;
}

static void sq_set_busy_timeout(struct store *base, unsigned int ms);

static int setup(struct sqlite_store *st, const char *path, enum store_sync sync)
{
	char pragmas[160];
	sqlite3_stmt *s;
	int i, ver = 0;

	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		return fail(st, path);
	/*
	 * Daemon and CLI share the file: wait for the other's write. The
	 * daemon shortens this once open (store_set_busy_timeout()).
	 */
	sq_set_busy_timeout(&st->base, STORE_BUSY_TIMEOUT_CLI);
	snprintf(pragmas, sizeof(pragmas),
		 "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s;",
		 sync == STORE_SYNC_FULL ? "FULL" : "NORMAL");
	if (sqlite3_exec(st->db, pragmas, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return fail(st, path);
	if (sqlite3_prepare_v2(st->db, "SELECT max(version) FROM schema_version",
			       -1, &s, NULL) != SQLITE_OK)
		return fail(st, path);
	if (sqlite3_step(s) == SQLITE_ROW)
		ver = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (ver > SCHEMA_VERSION) {
		snprintf(st->base.err, sizeof(st->base.err),
			 "%s: schema version %d is newer than this sipregd (%d)",
			 path, ver, SCHEMA_VERSION);
		return -1;
	}
	if (migrate(st, ver))
		return fail(st, path);
	for (i = 0; i < Q_NR; i++)
		if (sqlite3_prepare_v3(st->db, sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &st->q[i],
				       NULL) != SQLITE_OK)
			return fail(st, sql[i]);
	return 0;
}

static void sq_close(struct store *base)
{
	struct sqlite_store *st = sq(base);
	int i;

	if (!st)
		return;
	for (i = 0; i < Q_NR; i++)
		sqlite3_finalize(st->q[i]);
	/* The last connection to close checkpoints and removes the WAL. */
	sqlite3_close(st->db);
	free(st);
}

/*
 * SQLite's own busy handler sleeps 1, 2, 5, 10 ... ms between tries: a
 * worker waiting for another's COMMIT (a millisecond or two of fsync)
 * would sleep long after the lock is free. Tries every 100 us instead,
 * until @busy_ms have passed since the first try of this wait.
 */
static int busy_wait(void *arg, int tries)
{
	const struct timespec nap = { 0, 100 * 1000 };
	struct sqlite_store *st = arg;
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!tries)
		st->busy_start = now;
	ms = (now.tv_sec - st->busy_start.tv_sec) * 1000LL +
	     (now.tv_nsec - st->busy_start.tv_nsec) / 1000000;
	if (ms >= st->busy_ms)
		return 0;
	nanosleep(&nap, NULL);
	return 1;
}

static void sq_set_busy_timeout(struct store *base, unsigned int ms)
{
	struct sqlite_store *st = sq(base);

	st->busy_ms = ms;
	sqlite3_busy_handler(st->db, busy_wait, st);
}

static int sq_begin(struct store *base)
{
	struct sqlite_store *st = sq(base);

	return run(st, Q_BEGIN);
}

static int sq_commit(struct store *base)
{
	struct sqlite_store *st = sq(base);

	return run(st, Q_COMMIT);
}

static void sq_rollback(struct store *base)
{
	struct sqlite_store *st = sq(base);

	if (!sqlite3_get_autocommit(st->db))
		run(st, Q_ROLLBACK);
}

static int sq_savepoint(struct store *base)
{
	struct sqlite_store *st = sq(base);

	return run(st, Q_SAVEPOINT);
}

static int sq_release(struct store *base)
{
	struct sqlite_store *st = sq(base);

	return run(st, Q_RELEASE);
}

static void sq_rollback_to(struct store *base)
{
	struct sqlite_store *st = sq(base);

	/* ROLLBACK TO keeps the savepoint: release it too */
	if (!sqlite3_get_autocommit(st->db) && !run(st, Q_ROLLBACK_TO))
		run(st, Q_RELEASE);
}

static bool sq_in_transaction(const struct store *base)
{
	const struct sqlite_store *st = (const struct sqlite_store *)base;

	return !sqlite3_get_autocommit(st->db);
}

static void sq_commit_veto(struct store *base, int (*veto)(void *arg), void *arg)
{
	struct sqlite_store *st = sq(base);

	sqlite3_commit_hook(st->db, veto, arg);
}

static int sq_changed(struct store *base)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_DATA_VERSION];
	long long v = st->data_version;

	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	done(s);
	if (v == st->data_version)
		return 0;
	st->data_version = v;
	return 1;
}

static void blob_out(sqlite3_stmt *s, int col, uint8_t *out, size_t n,
		     bool *has)
{
	*has = sqlite3_column_bytes(s, col) == (int)n;
	if (*has)
		memcpy(out, sqlite3_column_blob(s, col), n);
}

static int user_row(struct sqlite_store *st, sqlite3_stmt *s, struct store_user *u)
{
	memset(u, 0, sizeof(*u));
	if (copy_text(st, s, 0, u->user, sizeof(u->user), "users.user") ||
	    copy_text(st, s, 1, u->realm, sizeof(u->realm), "users.realm"))
		return -1;
	blob_out(s, 2, u->ha1_md5, sizeof(u->ha1_md5), &u->has_md5);
	blob_out(s, 3, u->ha1_sha256, sizeof(u->ha1_sha256), &u->has_sha256);
	return 0;
}

static int sq_user_get(struct store *base, const char *user, const char *realm,
		   struct store_user *u)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_USER_GET];
	int rc;

	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, realm, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rc = user_row(st, s, u) ? -1 : 1;
	else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = fail_rc(st, "users", rc);
	done(s);
	return rc;
}

static int sq_user_put(struct store *base, const struct store_user *u)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_USER_PUT];

	sqlite3_bind_text(s, 1, u->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, u->realm, -1, SQLITE_STATIC);
	if (u->has_md5)
		sqlite3_bind_blob(s, 3, u->ha1_md5, sizeof(u->ha1_md5),
				  SQLITE_STATIC);
	if (u->has_sha256)
		sqlite3_bind_blob(s, 4, u->ha1_sha256, sizeof(u->ha1_sha256),
				  SQLITE_STATIC);
	return run(st, Q_USER_PUT);
}

static int sq_user_del(struct store *base, const char *user, const char *realm)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_USER_DEL];

	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, realm, -1, SQLITE_STATIC);
	if (run(st, Q_USER_DEL))
		return -1;
	return sqlite3_changes(st->db) ? 1 : 0;
}

static int sq_user_each(struct store *base, store_user_cb cb, void *arg)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_USER_ALL];
	struct store_user u;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (user_row(st, s, &u) || cb(arg, &u)) {
			done(s);
			st->base.busy = false;
			return -1;
		}
	}
	done(s);
	return rc == SQLITE_DONE ? 0 : fail_rc(st, "users", rc);
}

static int binding_row(struct sqlite_store *st, sqlite3_stmt *s,
		       struct store_binding *b)
{
	memset(b, 0, sizeof(*b));
	if (copy_text(st, s, 0, b->aor, sizeof(b->aor), "aor") ||
	    copy_text(st, s, 1, b->contact, sizeof(b->contact), "contact") ||
	    copy_text(st, s, 2, b->call_id, sizeof(b->call_id), "call_id") ||
	    copy_text(st, s, 7, b->instance, sizeof(b->instance),
		      "instance") ||
	    copy_text(st, s, 9, b->path, sizeof(b->path), "path") ||
	    copy_text(st, s, 10, b->source, sizeof(b->source), "source"))
		return -1;
	b->cseq = (uint32_t)sqlite3_column_int64(s, 3);
	b->expires = sqlite3_column_int64(s, 4);
	b->updated = sqlite3_column_int64(s, 5);
	b->q = sqlite3_column_type(s, 6) == SQLITE_NULL ? -1 :
		sqlite3_column_int(s, 6);
	b->reg_id = (uint32_t)sqlite3_column_int64(s, 8);
	b->nc = (uint32_t)sqlite3_column_int64(s, 11);
	return 0;
}

static int sq_binding_each(struct store *base, const char *aor, int64_t now,
		       store_binding_cb cb, void *arg)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[aor ? Q_BIND_AOR : Q_BIND_ALL];
	struct store_binding b;
	int rc;

	if (aor)
		sqlite3_bind_text(s, 1, aor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (binding_row(st, s, &b)) {
			done(s);
			return -1;
		}
		rc = cb(arg, &b);
		if (rc) {
			done(s);
			st->base.busy = false;	/* the callback's, not a lock */
			return rc;
		}
	}
	done(s);
	return rc == SQLITE_DONE ? 0 : fail_rc(st, "bindings", rc);
}

static int sq_binding_put(struct store *base, const struct store_binding *b)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_BIND_PUT];

	sqlite3_bind_text(s, 1, b->aor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, b->contact, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->call_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, b->cseq);
	sqlite3_bind_int64(s, 5, b->expires);
	sqlite3_bind_int64(s, 6, b->updated);
	if (b->q >= 0)
		sqlite3_bind_int(s, 7, b->q);
	sqlite3_bind_text(s, 8, b->instance, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, b->reg_id);
	sqlite3_bind_text(s, 10, b->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, b->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 12, b->nc);
	return run(st, Q_BIND_PUT);
}

static int sq_binding_del(struct store *base, const char *aor, const char *contact)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_BIND_DEL];

	sqlite3_bind_text(s, 1, aor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, contact, -1, SQLITE_STATIC);
	return run(st, Q_BIND_DEL);
}

static int sq_binding_purge(struct store *base, int64_t now, unsigned int max)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_BIND_PURGE];

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, max);
	if (run(st, Q_BIND_PURGE))
		return -1;
	return sqlite3_changes(st->db);
}

static int sq_nc_advance(struct store *base, const void *key, size_t klen,
		     uint32_t nc, int64_t now, int64_t max_age)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_NC_ADVANCE];

	sqlite3_bind_blob(s, 1, key, (int)klen, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, nc);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, max_age);
	if (run(st, Q_NC_ADVANCE))
		return -1;
	return sqlite3_changes(st->db) ? 1 : 0;
}

static int sq_nc_purge(struct store *base, int64_t before, unsigned int max)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_NC_PURGE];

	sqlite3_bind_int64(s, 1, before);
	sqlite3_bind_int64(s, 2, max);
	if (run(st, Q_NC_PURGE))
		return -1;
	return sqlite3_changes(st->db);
}

static int sq_users_gen(struct store *base, int64_t *gen)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_USERS_GEN];
	int rc = sqlite3_step(s);

	*gen = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	done(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	       fail_rc(st, "gens", rc);
}

static int sq_binding_count(struct store *base, int64_t now)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_BIND_COUNT];
	int rc, n = 0;

	sqlite3_bind_int64(s, 1, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	done(s);
	return rc == SQLITE_ROW ? n : fail_rc(st, "bindings", rc);
}

static int sq_meta_get(struct store *base, const char *key, void *val, size_t len)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_META_GET];
	int rc;

	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		/* A blob of another size is from another layout: ignore it. */
		rc = sqlite3_column_bytes(s, 0) == (int)len;
		if (rc)
			memcpy(val, sqlite3_column_blob(s, 0), len);
	} else {
		rc = rc == SQLITE_DONE ? 0 : fail_rc(st, "meta", rc);
	}
	done(s);
	return rc;
}

static int sq_meta_put(struct store *base, const char *key, const void *val,
		   size_t len)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_META_PUT];

	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, val, (int)len, SQLITE_STATIC);
	return run(st, Q_META_PUT);
}

static int sq_binding_refresh(struct store *base, const struct store_binding *b)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_BIND_REFRESH];

	sqlite3_bind_text(s, 1, b->aor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, b->contact, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->call_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, b->cseq);
	sqlite3_bind_int64(s, 5, b->expires);
	sqlite3_bind_int64(s, 6, b->nc);
	sqlite3_bind_int64(s, 7, b->updated);
	if (run(st, Q_BIND_REFRESH))
		return -1;
	return sqlite3_changes(st->db) ? 1 : 0;
}

static int sq_binding_expire(struct store *base, const char *aor,
			 const char *contact, const char *call_id,
			 uint32_t cseq)
{
	struct sqlite_store *st = sq(base);
	sqlite3_stmt *s = st->q[Q_BIND_EXPIRE];

	sqlite3_bind_text(s, 1, aor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, contact, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, call_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, cseq);
	if (run(st, Q_BIND_EXPIRE))
		return -1;
	return sqlite3_changes(st->db) ? 1 : 0;
}

static const struct store_ops sqlite_ops = {
	.close = sq_close,
	.set_busy_timeout = sq_set_busy_timeout,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.rollback_to = sq_rollback_to,
	.in_transaction = sq_in_transaction,
	.commit_veto = sq_commit_veto,
	.changed = sq_changed,
	.user_get = sq_user_get,
	.user_put = sq_user_put,
	.user_del = sq_user_del,
	.user_each = sq_user_each,
	.binding_each = sq_binding_each,
	.binding_put = sq_binding_put,
	.binding_del = sq_binding_del,
	.binding_purge = sq_binding_purge,
	.nc_advance = sq_nc_advance,
	.nc_purge = sq_nc_purge,
	.users_gen = sq_users_gen,
	.binding_count = sq_binding_count,
	.meta_get = sq_meta_get,
	.meta_put = sq_meta_put,
	.binding_refresh = sq_binding_refresh,
	.binding_expire = sq_binding_expire,
};

struct store *store_sqlite_open(const char *path, enum store_sync sync,
				char *err, size_t errlen)
{
	struct sqlite_store *st = calloc(1, sizeof(*st));

	if (!st) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	st->base.ops = &sqlite_ops;
	if (setup(st, path, sync)) {
		snprintf(err, errlen, "%s", st->base.err);
		sq_close(&st->base);
		return NULL;
	}
	sq_changed(&st->base);
	return &st->base;
}
