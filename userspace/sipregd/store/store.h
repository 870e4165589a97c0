/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registrar's location and credential store: users, bindings,
 * transactions, a few named blobs. The only interface the daemon uses:
 * SQLite (sqlite.c) for one gateway, PostgreSQL (pg.c) for several
 * gateways sharing one location service; store.c picks one by the "db"
 * setting. Strings are NUL-terminated; a field too long for its buffer
 * is an error, never a silent truncation.
 *
 * Return convention: 0 ok (or "not found" where noted), 1 found/done,
 * -1 error with the message in store_error().
 */
#ifndef SIPREGD_STORE_H
#define SIPREGD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_NAME_MAX		128	/* user, realm */
#define STORE_AOR_MAX		256
#define STORE_URI_MAX		512
#define STORE_CALLID_MAX	1040	/* any Call-ID: a header line is <= 1024 */
#define STORE_INSTANCE_MAX	256
#define STORE_PATH_MAX		1024
#define STORE_SOURCE_MAX	64

struct store;

/*
 * A user name or realm the store and SIP headers can hold: 1 to
 * STORE_NAME_MAX - 1 bytes of printable ASCII without space, '"', '\\'
 * or ';'. False with the reason in @why.
 */
bool store_name_check(const char *v, char *why, size_t size);

struct store_user {
	char user[STORE_NAME_MAX];
	char realm[STORE_NAME_MAX];
	uint8_t ha1_md5[16];
	uint8_t ha1_sha256[32];
	bool has_md5, has_sha256;
};

struct store_binding {
	char aor[STORE_AOR_MAX];		/* "sip:user@host" */
	char contact[STORE_URI_MAX];		/* URI as sent, no <> */
	char call_id[STORE_CALLID_MAX];
	uint32_t cseq;
	int64_t expires;		/* absolute, Unix time: survives reboots */
	int64_t updated;
	int q;				/* thousandths, -1 when absent */
	char instance[STORE_INSTANCE_MAX];	/* +sip.instance, "" if none */
	uint32_t reg_id;			/* RFC 5626, 0 if none */
	char path[STORE_PATH_MAX];		/* Path values, ", " joined */
	char source[STORE_SOURCE_MAX];		/* "addr port" it came from */
	uint32_t nc;			/* last nonce count, 0 without qop */
};

enum store_sync {
	STORE_SYNC_FULL,	/* fsync at every commit: survives power loss */
	STORE_SYNC_NORMAL,	/* survives a crash of the daemon, not of the host */
};

/* How long a connection waits for another's lock, by default (ms). */
#define STORE_BUSY_TIMEOUT_CLI	5000

/*
 * @db: a libpq URI ("postgresql://..." or "postgres://...") for
 * PostgreSQL; else an SQLite file, "sqlite:PATH" or a plain path
 * (":memory:" for tests).
 */
struct store *store_open(const char *db, enum store_sync sync,
			 char *err, size_t errlen);
/* True when @db names PostgreSQL. */
bool store_is_pg(const char *db);
/*
 * @db as logs may show it: a URI's password replaced by "***". @buf, or
 * @db itself when it has none.
 */
const char *store_db_name(const char *db, char *buf, size_t size);
/* The store's "db", as store_db_name() shows it. */
const char *store_name(const struct store *st);
void store_close(struct store *st);
const char *store_error(const struct store *st);
/*
 * True when the last error was another connection's lock (SQLITE_BUSY or
 * SQLITE_LOCKED) outlasting the busy timeout: try again later.
 */
bool store_busy(const struct store *st);
/*
 * The daemon waits only a few ms for a lock (a "user import" holds one
 * for the whole file), and answers 503 rather than stall its loop.
 */
void store_set_busy_timeout(struct store *st, unsigned int ms);

/* BEGIN IMMEDIATE: a writer takes the lock up front, never mid-way. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/*
 * Inside a transaction: one request's changes of a group commit, so that
 * a request that fails half way is undone alone (ROLLBACK TO) and the
 * others' changes stay for the one COMMIT.
 */
int store_savepoint(struct store *st);
int store_release(struct store *st);
void store_rollback_to(struct store *st);
bool store_in_transaction(const struct store *st);
/*
 * Fault injection for tests: @veto returning non-zero turns the next
 * COMMIT into a failure that rolls the transaction back (a disk that
 * fails at fsync). NULL removes it.
 */
void store_commit_veto(struct store *st, int (*veto)(void *arg), void *arg);

/* 1 if another connection committed since the last call (or the first). */
int store_changed(struct store *st);
/*
 * The AORs whose bindings other gateways changed since the last call,
 * each given to @cb once, or NULL once for "any of them may have" (too
 * many, or a reconnect lost track): their number. PostgreSQL only; on
 * SQLite 0, since one gateway's own processes tell each other.
 */
typedef void (*store_aor_cb)(void *arg, const char *aor);
int store_aors_changed(struct store *st, store_aor_cb cb, void *arg);

int store_user_get(struct store *st, const char *user, const char *realm,
		   struct store_user *u);		/* 1 found, 0 not */
int store_user_put(struct store *st, const struct store_user *u);
int store_user_del(struct store *st, const char *user, const char *realm);
typedef int (*store_user_cb)(void *arg, const struct store_user *u);
/*
 * In key order: users by (user, realm), all bindings by (aor, contact),
 * one AOR's bindings in the order they were registered. A walk of the
 * primary key sorts nothing: the kernel push reads 100 000 of each, and
 * a sort by anything else doubled the cost of reading them.
 */
int store_user_each(struct store *st, store_user_cb cb, void *arg);

typedef int (*store_binding_cb)(void *arg, const struct store_binding *b);
/* @aor NULL: all; only those with expires > @now. A nonzero cb stops. */
int store_binding_each(struct store *st, const char *aor, int64_t now,
		       store_binding_cb cb, void *arg);
/* Insert or replace the binding (aor, contact). */
int store_binding_put(struct store *st, const struct store_binding *b);
int store_binding_del(struct store *st, const char *aor,
		      const char *contact);
/* Deletes at most @max bindings expired at @now; returns how many. */
int store_binding_purge(struct store *st, int64_t now, unsigned int max);
/*
 * A refresh done elsewhere (the kernel's fast path): sets cseq, expires,
 * nc and updated of (aor, contact) if it still has @b->call_id and a CSeq
 * not above @b->cseq, so a late event never undoes a newer registration.
 * 1 updated, 0 not (gone or newer).
 */
int store_binding_refresh(struct store *st, const struct store_binding *b);
/*
 * store_binding_refresh() of @n bindings at once, in one statement where
 * the backend can (PostgreSQL: one round trip, whatever @n); of two for
 * one (aor, contact), the higher CSeq counts. How many were updated (the
 * rest were gone or newer), or -1.
 */
int store_binding_refresh_many(struct store *st,
			       const struct store_binding *b, size_t n);
/* Deletes (aor, contact) on the same terms; 1 deleted, 0 not. */
int store_binding_expire(struct store *st, const char *aor,
			 const char *contact, const char *call_id,
			 uint32_t cseq);
/* Number of bindings with expires > @now, all AORs. */
int store_binding_count(struct store *st, int64_t now);

/*
 * Nonce counts (RFC 7616 3.4.5), inside the caller's transaction so that
 * a count is used once across workers and connections: 1 when @nc is
 * higher than the last count recorded for @key (user, realm, nonce,
 * cnonce) or that record is older than @max_age seconds, and records it;
 * 0 for a replay.
 */
int store_nc_advance(struct store *st, const void *key, size_t klen,
		     uint32_t nc, int64_t now, int64_t max_age);
/* Deletes at most @max counts recorded before @before; how many. */
int store_nc_purge(struct store *st, int64_t before, unsigned int max);
/* A number that moves whenever a user is added, changed or deleted. */
int store_users_gen(struct store *st, int64_t *gen);

/* Small named blobs (nonce keys). 1 found, 0 not. */
int store_meta_get(struct store *st, const char *key, void *val,
		   size_t len);
int store_meta_put(struct store *st, const char *key, const void *val,
		   size_t len);

#endif /* SIPREGD_STORE_H */
