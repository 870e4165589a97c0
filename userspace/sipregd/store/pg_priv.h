/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PostgreSQL backend's connection state, shared by pg.c (the
 * connection and the operations) and pg_schema.c (tables, migrations,
 * the Kamailio view).
 */
#ifndef SIPREGD_STORE_PG_PRIV_H
#define SIPREGD_STORE_PG_PRIV_H

#include <stdbool.h>
#include <time.h>
#include <libpq-fe.h>

#include "store_priv.h"

struct pg_store {
	struct store base;		/* first: store.c's error, busy, ops */
	PGconn *conn;
	bool connecting;		/* PQconnectPoll not done yet */
	PostgresPollingStatusType poll;	/* PQconnectPoll's last word */
	bool txn;			/* BEGIN done, no COMMIT/ROLLBACK yet */
	bool txn_lost;			/* ... and the connection lost since */
	bool changed;			/* another backend's NOTIFY seen */
	unsigned int busy_ms;		/* lock_timeout */
	unsigned int backoff_ms;
	struct timespec next_try;	/* no reconnect before this */
	int (*veto)(void *arg);
	void *veto_arg;
	enum store_sync sync;
	char *uri;
	char **aors;			/* changed elsewhere, not handed out */
	size_t n_aors;
	bool aors_all;			/* too many, or a reconnect: all */
};

/* Sets the store's error ("@what: @msg"); -1. */
int pg_set_err(struct pg_store *st, bool busy, const char *what,
	       const char *msg);
/* The error of @res (freed) or of the connection; a lost one is closed. */
int pg_fail_res(struct pg_store *st, const char *what, PGresult *res);
/* Plain SQL, no rows wanted; 0 or -1. */
int pg_exec_cmd(struct pg_store *st, const char *cmd);
/* Tables made or migrated to this version (once per database). */
int pg_schema_make(struct pg_store *st);

#endif /* SIPREGD_STORE_PG_PRIV_H */
