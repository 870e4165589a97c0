// SPDX-License-Identifier: GPL-2.0
/*
 * store.h on PostgreSQL (libpq), for several gateways sharing one
 * location service. The same tables as the SQLite backend, so that the
 * daemon cannot tell them apart, with these differences:
 *
 * - A writer's transaction takes one advisory lock, held to its COMMIT:
 *   writers are serialised across all gateways as BEGIN IMMEDIATE
 *   serialises them on one SQLite file, so the registrar's read, check,
 *   write of an AOR needs no retry logic of its own.
 * - A lost connection is "busy" (503 with Retry-After), not an error;
 *   it is reconnected without blocking the daemon's loop (PQconnectPoll,
 *   tried again at each call, at most every backoff period).
 * - store_changed() and store_aors_changed() are LISTEN: triggers
 *   (pg_schema.c) NOTIFY "sipreg" when users change and "sipreg_aor"
 *   with the AOR of each binding written; only other backends' notices
 *   count.
 * - A kernel event's refreshes are one UPDATE over arrays, one round
 *   trip however many.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libpq-fe.h>

#include "hex.h"
#include "pg_priv.h"

/* pg_advisory_xact_lock key of the writers: 'sipr' 'egw' */
#define LOCK_WRITERS	"1936290930, 6645623"
#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	5000
#define MAX_PARAMS	12
/*
 * AORs other gateways changed, kept until store_aors_changed() hands
 * them out; beyond this many, "all of them" (a full reconcile) is both
 * cheaper and bounded.
 */
#define AORS_MAX	4096

enum {
	Q_LOCK, Q_USER_GET, Q_USER_PUT, Q_USER_DEL, Q_USER_ALL,
	Q_BIND_AOR, Q_BIND_ALL, Q_BIND_PUT, Q_BIND_DEL, Q_BIND_PURGE,
	Q_BIND_COUNT, Q_META_GET, Q_META_PUT, Q_BIND_REFRESH, Q_BIND_EXPIRE,
	Q_NC_ADVANCE, Q_NC_PURGE, Q_USERS_GEN, Q_BIND_REFRESH_MANY,
	Q_NR
};

#define BIND_COLS "aor, contact, call_id, cseq, expires, updated, q," \
		  " instance, reg_id, path, source, nc"

static const char *const sql[Q_NR] = {
	[Q_LOCK] = "SELECT pg_advisory_xact_lock(" LOCK_WRITERS ")",
	[Q_USER_GET] = "SELECT \"user\", realm, ha1_md5, ha1_sha256 FROM users"
		       " WHERE \"user\" = $1 AND realm = $2",
	[Q_USER_PUT] = "INSERT INTO users VALUES($1, $2, $3, $4)"
		       " ON CONFLICT(\"user\", realm) DO UPDATE SET"
		       " ha1_md5 = excluded.ha1_md5,"
		       " ha1_sha256 = excluded.ha1_sha256",
	[Q_USER_DEL] = "DELETE FROM users WHERE \"user\" = $1 AND realm = $2",
	[Q_USER_ALL] = "SELECT \"user\", realm, ha1_md5, ha1_sha256 FROM users"
		       " ORDER BY \"user\", realm",
	[Q_BIND_AOR] = "SELECT " BIND_COLS " FROM bindings"
		       " WHERE aor = $1 AND expires > $2 ORDER BY seq",
	[Q_BIND_ALL] = "SELECT " BIND_COLS " FROM bindings"
		       " WHERE expires > $1 ORDER BY aor, contact",
	/* a replaced binding moves to the end, as SQLite's REPLACE does */
	[Q_BIND_PUT] = "INSERT INTO bindings(" BIND_COLS ")"
		       " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
		       " ON CONFLICT(aor, contact) DO UPDATE SET"
		       " call_id = excluded.call_id, cseq = excluded.cseq,"
		       " expires = excluded.expires, updated = excluded.updated,"
		       " q = excluded.q, instance = excluded.instance,"
		       " reg_id = excluded.reg_id, path = excluded.path,"
		       " source = excluded.source, nc = excluded.nc,"
		       " seq = nextval('bindings_seq')",
	[Q_BIND_DEL] = "DELETE FROM bindings WHERE aor = $1 AND contact = $2",
	[Q_BIND_PURGE] = "DELETE FROM bindings WHERE (aor, contact) IN"
			 " (SELECT aor, contact FROM bindings"
			 " WHERE expires <= $1 LIMIT $2)",
	[Q_BIND_COUNT] = "SELECT count(*) FROM bindings WHERE expires > $1",
	[Q_META_GET] = "SELECT value FROM meta WHERE key = $1",
	[Q_META_PUT] = "INSERT INTO meta VALUES($1, $2) ON CONFLICT(key)"
		       " DO UPDATE SET value = excluded.value",
	[Q_BIND_REFRESH] = "UPDATE bindings SET cseq = $4, expires = $5,"
			   " nc = $6, updated = $7 WHERE aor = $1 AND"
			   " contact = $2 AND call_id = $3 AND cseq <= $4",
	[Q_BIND_EXPIRE] = "DELETE FROM bindings WHERE aor = $1 AND"
			  " contact = $2 AND call_id = $3 AND cseq <= $4",
	[Q_NC_ADVANCE] = "INSERT INTO nonce_counts VALUES($1, $2, $3)"
			 " ON CONFLICT(key) DO UPDATE SET nc = excluded.nc,"
			 " time = excluded.time WHERE excluded.nc >"
			 " nonce_counts.nc OR excluded.time -"
			 " nonce_counts.time > $4",
	[Q_NC_PURGE] = "DELETE FROM nonce_counts WHERE key IN (SELECT key"
		       " FROM nonce_counts WHERE time < $1 LIMIT $2)",
	[Q_USERS_GEN] = "SELECT gen FROM gens WHERE what = 'users'",
	/*
	 * A kernel event's refreshes in one statement: arrays of the
	 * columns, the highest CSeq of each (aor, contact), since UPDATE
	 * ... FROM takes any one of several matching rows.
	 */
	[Q_BIND_REFRESH_MANY] = "UPDATE bindings AS b SET cseq = v.cseq,"
				" expires = v.expires, nc = v.nc,"
				" updated = v.updated FROM (SELECT DISTINCT ON"
				" (aor, contact) * FROM unnest($1::text[],"
				" $2::text[], $3::text[], $4::bigint[],"
				" $5::bigint[], $6::bigint[], $7::bigint[])"
				" AS u(aor, contact, call_id, cseq, expires,"
				" nc, updated) ORDER BY aor, contact, cseq DESC)"
				" AS v WHERE b.aor = v.aor AND"
				" b.contact = v.contact AND"
				" b.call_id = v.call_id AND b.cseq <= v.cseq",
};


/* One statement's parameters: text, or binary for bytea. */
struct params {
	const char *v[MAX_PARAMS];
	int len[MAX_PARAMS];
	int fmt[MAX_PARAMS];
	char num[MAX_PARAMS][24];
	int n;
};

static struct pg_store *pg(struct store *base)
{
	return (struct pg_store *)base;
}

static void p_text(struct params *p, const char *s)
{
	p->v[p->n] = s;
	p->len[p->n] = 0;
	p->fmt[p->n++] = 0;
}

static void p_int(struct params *p, int64_t v)
{
	snprintf(p->num[p->n], sizeof(p->num[0]), "%" PRId64, v);
	p_text(p, p->num[p->n]);
}

static void p_bytes(struct params *p, const void *b, size_t n, bool has)
{
	p->v[p->n] = has ? b : NULL;
	p->len[p->n] = (int)n;
	p->fmt[p->n++] = 1;
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* libpq's messages may span lines and end in a newline: not in logs. */
static void one_line(char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (s[n] == '\n' || s[n] == '\t')
			s[n] = ' ';
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
}

int pg_set_err(struct pg_store *st, bool busy, const char *what,
		   const char *msg)
{
	st->base.busy = busy;
	snprintf(st->base.err, sizeof(st->base.err), "%s: %s", what, msg);
	one_line(st->base.err);
	return -1;
}

/*
 * Another writer's lock outlasting lock_timeout, a conflict PostgreSQL
 * resolved by cancelling us, or the server going away: all "try again
 * later", as SQLITE_BUSY is.
 */
static bool sqlstate_busy(const char *state)
{
	static const char *const busy[] = {
		"40001", "40P01", "55P03", "57014", "57P01", "57P02",
		"57P03", "53300",
	};
	size_t i;

	if (!state)
		return false;
	if (!strncmp(state, "08", 2))
		return true;
	for (i = 0; i < sizeof(busy) / sizeof(busy[0]); i++)
		if (!strcmp(state, busy[i]))
			return true;
	return false;
}

/* The connection is gone: the next call reconnects, after a backoff. */
static void lost(struct pg_store *st)
{
	int64_t at;

	st->txn_lost = st->txn_lost || st->txn;
	st->txn = false;
	st->backoff_ms = st->backoff_ms ?
		(st->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
		 st->backoff_ms * 2) : BACKOFF_MIN_MS;
	at = now_ms() + st->backoff_ms;
	st->next_try.tv_sec = at / 1000;
	st->next_try.tv_nsec = (at % 1000) * 1000000;
	PQfinish(st->conn);
	st->conn = NULL;
	st->connecting = false;
}

int pg_fail_res(struct pg_store *st, const char *what, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
				  NULL;
	bool gone = !st->conn || PQstatus(st->conn) != CONNECTION_OK;

	pg_set_err(st, gone || sqlstate_busy(state), what,
		res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) :
		st->conn ? PQerrorMessage(st->conn) : "no connection");
	PQclear(res);
	if (gone)
		lost(st);
	return -1;
}

/* Plain SQL, no rows wanted: setup, BEGIN, COMMIT, savepoints. */
int pg_exec_cmd(struct pg_store *st, const char *cmd)
{
	PGresult *res;

	if (!st->conn)
		return pg_set_err(st, true, cmd, "connection lost");
	res = PQexec(st->conn, cmd);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		return pg_fail_res(st, cmd, res);
	PQclear(res);
	return 0;
}

static int set_lock_timeout(struct pg_store *st)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "SET lock_timeout = %u", st->busy_ms);
	return pg_exec_cmd(st, cmd);
}

/* A new connection: schema, statements, lock_timeout, LISTEN. */
static int setup(struct pg_store *st)
{
	char name[8];
	PGresult *res;
	int i;

	/* "relation already exists, skipping" is not for a gateway's log */
	if (pg_exec_cmd(st, "SET client_min_messages = warning") ||
	    pg_schema_make(st))
		return -1;
	for (i = 0; i < Q_NR; i++) {
		snprintf(name, sizeof(name), "q%d", i);
		res = PQprepare(st->conn, name, sql[i], 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return pg_fail_res(st, sql[i], res);
		PQclear(res);
	}
	/*
	 * bytea_out() reads hex, whatever the server's default. db_sync
	 * normal: a commit is not waited for on the server's disk, so a
	 * crash of the server (not of sipregd) may lose the last ones.
	 */
	if (set_lock_timeout(st) || pg_exec_cmd(st, "SET bytea_output = hex") ||
	    (st->sync == STORE_SYNC_NORMAL &&
	     pg_exec_cmd(st, "SET synchronous_commit = off")) ||
	    pg_exec_cmd(st, "LISTEN sipreg") || pg_exec_cmd(st, "LISTEN sipreg_aor"))
		return -1;
	/* what others did while we were away is unknown: say changed */
	st->changed = true;
	st->backoff_ms = 0;
	return 0;
}

static PGconn *start(struct pg_store *st)
{
	/*
	 * The URI's own settings come last and win: these are defaults for
	 * a gateway, which must notice a dead server in seconds, not in the
	 * kernel's TCP retransmission time.
	 */
	static const char *const keys[] = {
		"connect_timeout", "tcp_user_timeout", "keepalives_idle",
		"keepalives_interval", "keepalives_count", "application_name",
		"dbname", NULL,
	};
	const char *vals[] = { "5", "5000", "5", "2", "3", "sipregd",
			       st->uri, NULL };

	return PQconnectStartParams(keys, vals, 1);
}

/*
 * One step of PQconnectPoll, waiting at most @wait_ms for the socket:
 * 1 connected, 2 a step done, 0 the socket not ready, -1 failed (the
 * message is libpq's).
 */
static int connect_step(struct pg_store *st, int wait_ms)
{
	struct pollfd pfd;
	int n;

	if (PQstatus(st->conn) == CONNECTION_BAD)
		return -1;
	pfd.fd = PQsocket(st->conn);
	pfd.events = st->poll == PGRES_POLLING_READING ? POLLIN : POLLOUT;
	if (pfd.fd < 0)
		return -1;
	n = poll(&pfd, 1, wait_ms);
	if (n < 0 && errno != EINTR)
		return -1;
	if (n <= 0)
		return 0;
	st->poll = PQconnectPoll(st->conn);
	if (st->poll == PGRES_POLLING_FAILED)
		return -1;
	return st->poll == PGRES_POLLING_OK ? 1 : 2;
}

static int connect_begin(struct pg_store *st)
{
	st->conn = start(st);
	if (!st->conn)
		return pg_set_err(st, true, "database", "out of memory");
	/* libpq: before the first PQconnectPoll, as if it said WRITING */
	st->poll = PGRES_POLLING_WRITING;
	st->connecting = true;
	return 0;
}

/*
 * Drives a reconnect a step, never waiting: 0 when the connection is up,
 * else -1 busy with the reason. A transaction the connection took with
 * it stays failed until the caller's ROLLBACK.
 */
static int ensure(struct pg_store *st)
{
	struct timespec now;
	int rc;

	if (st->txn_lost)
		return pg_set_err(st, true, "database",
			       "connection lost in a transaction");
	if (st->conn && !st->connecting) {
		if (PQstatus(st->conn) == CONNECTION_OK)
			return 0;
		lost(st);
	}
	if (!st->conn) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec < st->next_try.tv_sec ||
		    (now.tv_sec == st->next_try.tv_sec &&
		     now.tv_nsec < st->next_try.tv_nsec))
			return pg_set_err(st, true, "database",
				       "unavailable, reconnecting");
		if (connect_begin(st))
			return -1;
	}
	do
		rc = connect_step(st, 0);
	while (rc == 2);
	if (rc < 0) {
		pg_set_err(st, true, "database", PQerrorMessage(st->conn));
		lost(st);
		return -1;
	}
	if (!rc)
		return pg_set_err(st, true, "database", "connecting");
	st->connecting = false;
	if (setup(st)) {
		if (st->conn)
			lost(st);
		st->base.busy = true;
		return -1;
	}
	/* the bindings others changed while we were away: unknown */
	st->aors_all = true;
	return 0;
}

/* A prepared statement; the result, or NULL with the error set. */
static PGresult *run(struct pg_store *st, int q, const struct params *p,
		     ExecStatusType want)
{
	char name[8];
	PGresult *res;

	if (ensure(st))
		return NULL;
	snprintf(name, sizeof(name), "q%d", q);
	res = PQexecPrepared(st->conn, name, p ? p->n : 0, p ? p->v : NULL,
			     p ? p->len : NULL, p ? p->fmt : NULL, 0);
	if (PQresultStatus(res) != want) {
		pg_fail_res(st, sql[q], res);
		return NULL;
	}
	return res;
}

/* Rows changed by a prepared statement, or -1. */
static int run_count(struct pg_store *st, int q, const struct params *p)
{
	PGresult *res = run(st, q, p, PGRES_COMMAND_OK);
	int n;

	if (!res)
		return -1;
	n = atoi(PQcmdTuples(res));
	PQclear(res);
	return n;
}

static int copy_text(struct pg_store *st, PGresult *res, int row, int col,
		     char *out, size_t size, const char *name)
{
	const char *t = PQgetvalue(res, row, col);
	size_t n = (size_t)PQgetlength(res, row, col);

	if (n >= size) {
		char msg[64];

		snprintf(msg, sizeof(msg), "%zu bytes, longer than %zu", n,
			 size - 1);
		return pg_set_err(st, false, name, msg);
	}
	memcpy(out, t, n);
	out[n] = '\0';
	return 0;
}

/* A bytea column in text form ("\x" and hex) of exactly @n bytes. */
static bool bytea_out(PGresult *res, int row, int col, uint8_t *out,
		      size_t n)
{
	const char *t = PQgetvalue(res, row, col);

	return !PQgetisnull(res, row, col) && t[0] == '\\' && t[1] == 'x' &&
	       hex_decode(t + 2, out, n);
}

static int64_t int_out(PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static void aor_note(struct pg_store *st, const char *aor)
{
	size_t i;

	if (st->aors_all)
		return;
	for (i = 0; i < st->n_aors; i++)
		if (!strcmp(st->aors[i], aor))
			return;
	if (st->n_aors == AORS_MAX) {
		st->aors_all = true;
		return;
	}
	if (!st->aors)
		st->aors = calloc(AORS_MAX, sizeof(*st->aors));
	if (!st->aors || !(st->aors[st->n_aors] = strdup(aor))) {
		st->aors_all = true;
		return;
	}
	st->n_aors++;
}

static void aors_forget(struct pg_store *st)
{
	while (st->n_aors)
		free(st->aors[--st->n_aors]);
	st->aors_all = false;
}

static void pg_close(struct store *base)
{
	struct pg_store *st = pg(base);

	PQfinish(st->conn);
	aors_forget(st);
	free(st->aors);
	free(st->uri);
	free(st);
}

static void pg_set_busy_timeout(struct store *base, unsigned int ms)
{
	struct pg_store *st = pg(base);

	st->busy_ms = ms;
	if (st->conn && !st->connecting)
		set_lock_timeout(st);
}

static int pg_begin(struct store *base)
{
	struct pg_store *st = pg(base);
	PGresult *res;

	st->txn_lost = false;
	if (ensure(st) || pg_exec_cmd(st, "BEGIN"))
		return -1;
	st->txn = true;
	res = run(st, Q_LOCK, NULL, PGRES_TUPLES_OK);
	if (!res) {
		if (st->conn)
			pg_exec_cmd(st, "ROLLBACK");
		st->txn = false;
		return -1;
	}
	PQclear(res);
	return 0;
}

static int pg_commit(struct store *base)
{
	struct pg_store *st = pg(base);
	PGresult *res;
	int rc;

	if (st->txn_lost || !st->conn) {
		st->txn_lost = false;
		return pg_set_err(st, true, "COMMIT",
			       "connection lost in the transaction");
	}
	if (st->veto && st->veto(st->veto_arg)) {
		pg_exec_cmd(st, "ROLLBACK");
		st->txn = false;
		return pg_set_err(st, false, "COMMIT", "vetoed (fault injection)");
	}
	res = PQexec(st->conn, "COMMIT");
	st->txn = false;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return pg_fail_res(st, "COMMIT", res);
	/* a transaction an error aborted answers COMMIT with ROLLBACK */
	rc = strcmp(PQcmdStatus(res), "COMMIT") ?
		pg_set_err(st, false, "COMMIT", "the transaction had failed: "
			"rolled back") : 0;
	PQclear(res);
	return rc;
}

static void pg_rollback(struct store *base)
{
	struct pg_store *st = pg(base);

	if (st->txn && st->conn)
		pg_exec_cmd(st, "ROLLBACK");
	st->txn = false;
	st->txn_lost = false;
}

static int pg_savepoint(struct store *base)
{
	struct pg_store *st = pg(base);

	if (st->txn_lost)
		return pg_set_err(st, true, "SAVEPOINT", "connection lost");
	return pg_exec_cmd(st, "SAVEPOINT req");
}

static int pg_release(struct store *base)
{
	struct pg_store *st = pg(base);

	if (st->txn_lost)
		return pg_set_err(st, true, "RELEASE", "connection lost");
	return pg_exec_cmd(st, "RELEASE req");
}

static void pg_rollback_to(struct store *base)
{
	struct pg_store *st = pg(base);

	if (st->txn && st->conn && !pg_exec_cmd(st, "ROLLBACK TO req"))
		pg_exec_cmd(st, "RELEASE req");
}

static bool pg_in_transaction(const struct store *base)
{
	const struct pg_store *st = (const struct pg_store *)base;

	return st->txn || st->txn_lost;
}

static void pg_commit_veto(struct store *base, int (*veto)(void *arg),
			   void *arg)
{
	struct pg_store *st = pg(base);

	st->veto = veto;
	st->veto_arg = arg;
}

/* Other backends' notices, sorted into what each reader wants. */
static void drain(struct pg_store *st)
{
	PGnotify *n;
	int self;

	if (ensure(st))
		return;
	if (!PQconsumeInput(st->conn)) {
		pg_fail_res(st, "LISTEN", NULL);
		return;
	}
	self = PQbackendPID(st->conn);
	while ((n = PQnotifies(st->conn))) {
		if (n->be_pid != self) {
			if (!strcmp(n->relname, "sipreg_aor"))
				aor_note(st, n->extra);
			else
				st->changed = true;
		}
		PQfreemem(n);
	}
}

static int pg_changed(struct store *base)
{
	struct pg_store *st = pg(base);

	drain(st);
	if (!st->changed)
		return 0;
	st->changed = false;
	return 1;
}

static int pg_aors_changed(struct store *base, store_aor_cb cb, void *arg)
{
	struct pg_store *st = pg(base);
	size_t i, n;

	drain(st);
	if (st->aors_all) {
		aors_forget(st);
		cb(arg, NULL);
		return 1;
	}
	n = st->n_aors;
	for (i = 0; i < n; i++)
		cb(arg, st->aors[i]);
	aors_forget(st);
	return (int)n;
}

static int user_row(struct pg_store *st, PGresult *res, int row,
		    struct store_user *u)
{
	memset(u, 0, sizeof(*u));
	if (copy_text(st, res, row, 0, u->user, sizeof(u->user),
		      "users.user") ||
	    copy_text(st, res, row, 1, u->realm, sizeof(u->realm),
		      "users.realm"))
		return -1;
	u->has_md5 = bytea_out(res, row, 2, u->ha1_md5, sizeof(u->ha1_md5));
	u->has_sha256 = bytea_out(res, row, 3, u->ha1_sha256,
				  sizeof(u->ha1_sha256));
	return 0;
}

static int pg_user_get(struct store *base, const char *user,
		       const char *realm, struct store_user *u)
{
	struct pg_store *st = pg(base);
	struct params p = { .n = 0 };
	PGresult *res;
	int rc = 0;

	p_text(&p, user);
	p_text(&p, realm);
	res = run(st, Q_USER_GET, &p, PGRES_TUPLES_OK);
	if (!res)
		return -1;
	if (PQntuples(res))
		rc = user_row(st, res, 0, u) ? -1 : 1;
	PQclear(res);
	return rc;
}

static int pg_user_put(struct store *base, const struct store_user *u)
{
	struct params p = { .n = 0 };

	p_text(&p, u->user);
	p_text(&p, u->realm);
	p_bytes(&p, u->ha1_md5, sizeof(u->ha1_md5), u->has_md5);
	p_bytes(&p, u->ha1_sha256, sizeof(u->ha1_sha256), u->has_sha256);
	return run_count(pg(base), Q_USER_PUT, &p) < 0 ? -1 : 0;
}

static int pg_user_del(struct store *base, const char *user,
		       const char *realm)
{
	struct params p = { .n = 0 };
	int n;

	p_text(&p, user);
	p_text(&p, realm);
	n = run_count(pg(base), Q_USER_DEL, &p);
	return n < 0 ? -1 : n > 0;
}

static int pg_user_each(struct store *base, store_user_cb cb, void *arg)
{
	struct pg_store *st = pg(base);
	PGresult *res = run(st, Q_USER_ALL, NULL, PGRES_TUPLES_OK);
	struct store_user u;
	int i, rc = 0;

	if (!res)
		return -1;
	for (i = 0; i < PQntuples(res) && !rc; i++) {
		if (user_row(st, res, i, &u) || cb(arg, &u)) {
			st->base.busy = false;
			rc = -1;
		}
	}
	PQclear(res);
	return rc;
}

static int binding_row(struct pg_store *st, PGresult *res, int row,
		       struct store_binding *b)
{
	memset(b, 0, sizeof(*b));
	if (copy_text(st, res, row, 0, b->aor, sizeof(b->aor), "aor") ||
	    copy_text(st, res, row, 1, b->contact, sizeof(b->contact),
		      "contact") ||
	    copy_text(st, res, row, 2, b->call_id, sizeof(b->call_id),
		      "call_id") ||
	    copy_text(st, res, row, 7, b->instance, sizeof(b->instance),
		      "instance") ||
	    copy_text(st, res, row, 9, b->path, sizeof(b->path), "path") ||
	    copy_text(st, res, row, 10, b->source, sizeof(b->source),
		      "source"))
		return -1;
	b->cseq = (uint32_t)int_out(res, row, 3);
	b->expires = int_out(res, row, 4);
	b->updated = int_out(res, row, 5);
	b->q = PQgetisnull(res, row, 6) ? -1 : (int)int_out(res, row, 6);
	b->reg_id = (uint32_t)int_out(res, row, 8);
	b->nc = (uint32_t)int_out(res, row, 11);
	return 0;
}

/*
 * The whole result is fetched before the first callback, so a callback
 * may call the store again (libpq runs one statement at a time).
 */
static int pg_binding_each(struct store *base, const char *aor, int64_t now,
			   store_binding_cb cb, void *arg)
{
	struct pg_store *st = pg(base);
	struct params p = { .n = 0 };
	struct store_binding b;
	PGresult *res;
	int i, rc = 0;

	if (aor)
		p_text(&p, aor);
	p_int(&p, now);
	res = run(st, aor ? Q_BIND_AOR : Q_BIND_ALL, &p, PGRES_TUPLES_OK);
	if (!res)
		return -1;
	for (i = 0; i < PQntuples(res) && !rc; i++) {
		if (binding_row(st, res, i, &b)) {
			rc = -1;
			break;
		}
		rc = cb(arg, &b);
		if (rc)
			st->base.busy = false;	/* the callback's, not a lock */
	}
	PQclear(res);
	return rc;
}

static int pg_binding_put(struct store *base, const struct store_binding *b)
{
	struct params p = { .n = 0 };

	p_text(&p, b->aor);
	p_text(&p, b->contact);
	p_text(&p, b->call_id);
	p_int(&p, b->cseq);
	p_int(&p, b->expires);
	p_int(&p, b->updated);
	if (b->q >= 0)
		p_int(&p, b->q);
	else
		p_text(&p, NULL);
	p_text(&p, b->instance);
	p_int(&p, b->reg_id);
	p_text(&p, b->path);
	p_text(&p, b->source);
	p_int(&p, b->nc);
	return run_count(pg(base), Q_BIND_PUT, &p) < 0 ? -1 : 0;
}

static int pg_binding_del(struct store *base, const char *aor,
			  const char *contact)
{
	struct params p = { .n = 0 };

	p_text(&p, aor);
	p_text(&p, contact);
	return run_count(pg(base), Q_BIND_DEL, &p) < 0 ? -1 : 0;
}

static int pg_binding_purge(struct store *base, int64_t now,
			    unsigned int max)
{
	struct params p = { .n = 0 };

	p_int(&p, now);
	p_int(&p, max);
	return run_count(pg(base), Q_BIND_PURGE, &p);
}

static int pg_binding_refresh(struct store *base,
			      const struct store_binding *b)
{
	struct params p = { .n = 0 };
	int n;

	p_text(&p, b->aor);
	p_text(&p, b->contact);
	p_text(&p, b->call_id);
	p_int(&p, b->cseq);
	p_int(&p, b->expires);
	p_int(&p, b->nc);
	p_int(&p, b->updated);
	n = run_count(pg(base), Q_BIND_REFRESH, &p);
	return n < 0 ? -1 : n > 0;
}

/* A growing text buffer for array literals; false once out of memory. */
struct text {
	char *s;
	size_t n, cap;
	bool oom;
};

static void text_put(struct text *t, const char *s, size_t len)
{
	if (t->oom)
		return;
	if (t->n + len + 1 > t->cap) {
		size_t cap = (t->n + len + 1) * 2;
		char *p = realloc(t->s, cap);

		if (!p) {
			t->oom = true;
			return;
		}
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->n, s, len);
	t->n += len;
	t->s[t->n] = '\0';
}

/* One element of an array literal: quoted, '"' and '\\' escaped. */
static void text_elem(struct text *t, const char *v, bool first)
{
	const char *p;

	text_put(t, first ? "{\"" : ",\"", 2);
	for (p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			text_put(t, "\\", 1);
		text_put(t, p, 1);
	}
	text_put(t, "\"", 1);
}

static void num_elem(struct text *t, int64_t v, bool first)
{
	char num[24];

	snprintf(num, sizeof(num), "%s%" PRId64, first ? "{" : ",", v);
	text_put(t, num, strlen(num));
}

static int pg_binding_refresh_many(struct store *base,
				   const struct store_binding *b, size_t n)
{
	struct text col[7] = { { 0 } };
	struct params p = { .n = 0 };
	size_t i;
	int c, rc = -1;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		text_elem(&col[0], b[i].aor, !i);
		text_elem(&col[1], b[i].contact, !i);
		text_elem(&col[2], b[i].call_id, !i);
		num_elem(&col[3], b[i].cseq, !i);
		num_elem(&col[4], b[i].expires, !i);
		num_elem(&col[5], b[i].nc, !i);
		num_elem(&col[6], b[i].updated, !i);
	}
	for (c = 0; c < 7; c++) {
		text_put(&col[c], "}", 1);
		if (col[c].oom) {
			pg_set_err(pg(base), false, "bindings", "out of memory");
			goto out;
		}
		p_text(&p, col[c].s);
	}
	rc = run_count(pg(base), Q_BIND_REFRESH_MANY, &p);
out:
	for (c = 0; c < 7; c++)
		free(col[c].s);
	return rc;
}

static int pg_binding_expire(struct store *base, const char *aor,
			     const char *contact, const char *call_id,
			     uint32_t cseq)
{
	struct params p = { .n = 0 };
	int n;

	p_text(&p, aor);
	p_text(&p, contact);
	p_text(&p, call_id);
	p_int(&p, cseq);
	n = run_count(pg(base), Q_BIND_EXPIRE, &p);
	return n < 0 ? -1 : n > 0;
}

/* One number from a one-row, one-column query; 0 when no row. */
static int one_int(struct pg_store *st, int q, const struct params *p,
		   int64_t *v)
{
	PGresult *res = run(st, q, p, PGRES_TUPLES_OK);

	if (!res)
		return -1;
	*v = PQntuples(res) && !PQgetisnull(res, 0, 0) ? int_out(res, 0, 0) :
							 0;
	PQclear(res);
	return 0;
}

static int pg_binding_count(struct store *base, int64_t now)
{
	struct params p = { .n = 0 };
	int64_t n;

	p_int(&p, now);
	if (one_int(pg(base), Q_BIND_COUNT, &p, &n))
		return -1;
	return (int)n;
}

static int pg_nc_advance(struct store *base, const void *key, size_t klen,
			 uint32_t nc, int64_t now, int64_t max_age)
{
	struct params p = { .n = 0 };
	int n;

	p_bytes(&p, key, klen, true);
	p_int(&p, nc);
	p_int(&p, now);
	p_int(&p, max_age);
	n = run_count(pg(base), Q_NC_ADVANCE, &p);
	return n < 0 ? -1 : n > 0;
}

static int pg_nc_purge(struct store *base, int64_t before, unsigned int max)
{
	struct params p = { .n = 0 };

	p_int(&p, before);
	p_int(&p, max);
	return run_count(pg(base), Q_NC_PURGE, &p);
}

static int pg_users_gen(struct store *base, int64_t *gen)
{
	return one_int(pg(base), Q_USERS_GEN, NULL, gen);
}

static int pg_meta_get(struct store *base, const char *key, void *val,
		       size_t len)
{
	struct pg_store *st = pg(base);
	struct params p = { .n = 0 };
	PGresult *res;
	int rc;

	p_text(&p, key);
	res = run(st, Q_META_GET, &p, PGRES_TUPLES_OK);
	if (!res)
		return -1;
	/* A value of another size is from another layout: ignore it. */
	rc = PQntuples(res) && bytea_out(res, 0, 0, val, len);
	PQclear(res);
	return rc;
}

static int pg_meta_put(struct store *base, const char *key, const void *val,
		       size_t len)
{
	struct params p = { .n = 0 };

	p_text(&p, key);
	p_bytes(&p, val, len, true);
	return run_count(pg(base), Q_META_PUT, &p) < 0 ? -1 : 0;
}

static const struct store_ops pg_ops = {
	.close = pg_close,
	.set_busy_timeout = pg_set_busy_timeout,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.release = pg_release,
	.rollback_to = pg_rollback_to,
	.in_transaction = pg_in_transaction,
	.commit_veto = pg_commit_veto,
	.changed = pg_changed,
	.aors_changed = pg_aors_changed,
	.user_get = pg_user_get,
	.user_put = pg_user_put,
	.user_del = pg_user_del,
	.user_each = pg_user_each,
	.binding_each = pg_binding_each,
	.binding_put = pg_binding_put,
	.binding_del = pg_binding_del,
	.binding_purge = pg_binding_purge,
	.binding_refresh = pg_binding_refresh,
	.binding_refresh_many = pg_binding_refresh_many,
	.binding_expire = pg_binding_expire,
	.binding_count = pg_binding_count,
	.nc_advance = pg_nc_advance,
	.nc_purge = pg_nc_purge,
	.users_gen = pg_users_gen,
	.meta_get = pg_meta_get,
	.meta_put = pg_meta_put,
};

/*
 * The first connection is made here, waiting for it (sipregd should not
 * start on a database it cannot reach, nor a CLI command go on without
 * one); later ones are made by ensure(), without waiting.
 */
struct store *store_pg_open(const char *uri, enum store_sync sync,
			    char *err, size_t errlen)
{
	struct pg_store *st = calloc(1, sizeof(*st));
	int rc = -1;

	if (!st || !(st->uri = strdup(uri))) {
		free(st);
		snprintf(err, errlen, "database: out of memory");
		return NULL;
	}
	st->base.ops = &pg_ops;
	st->busy_ms = STORE_BUSY_TIMEOUT_CLI;
	st->sync = sync;
	if (!connect_begin(st))
		do
			rc = connect_step(st, 10000);
		while (rc == 2);
	if (rc != 1) {
		char name[512];

		snprintf(err, errlen, "%s: %s",
			 store_db_name(uri, name, sizeof(name)),
			 !st->conn ? "out of memory" :
			 rc ? PQerrorMessage(st->conn) : "connection timed out");
		one_line(err);
		pg_close(&st->base);
		return NULL;
	}
	st->connecting = false;
	if (setup(st)) {
		char name[512];

		snprintf(err, errlen, "%s: %s",
			 store_db_name(uri, name, sizeof(name)), st->base.err);
		pg_close(&st->base);
		return NULL;
	}
	return &st->base;
}
