/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a backend of store.h provides: its operations, and a struct store
 * at the start of its own connection state. store.c picks the backend by
 * the "db" string and calls through ops; the contract of each operation
 * is the one store.h gives for the store_ function of that name.
 */
#ifndef SIPREGD_STORE_PRIV_H
#define SIPREGD_STORE_PRIV_H

#include "store.h"

struct store_ops {
	void (*close)(struct store *st);
	void (*set_busy_timeout)(struct store *st, unsigned int ms);
	int (*begin)(struct store *st);
	int (*commit)(struct store *st);
	void (*rollback)(struct store *st);
	int (*savepoint)(struct store *st);
	int (*release)(struct store *st);
	void (*rollback_to)(struct store *st);
	bool (*in_transaction)(const struct store *st);
	void (*commit_veto)(struct store *st, int (*veto)(void *arg),
			    void *arg);
	int (*changed)(struct store *st);
	int (*aors_changed)(struct store *st, store_aor_cb cb, void *arg);
	int (*user_get)(struct store *st, const char *user, const char *realm,
			struct store_user *u);
	int (*user_put)(struct store *st, const struct store_user *u);
	int (*user_del)(struct store *st, const char *user, const char *realm);
	int (*user_each)(struct store *st, store_user_cb cb, void *arg);
	int (*binding_each)(struct store *st, const char *aor, int64_t now,
			    store_binding_cb cb, void *arg);
	int (*binding_put)(struct store *st, const struct store_binding *b);
	int (*binding_del)(struct store *st, const char *aor,
			   const char *contact);
	int (*binding_purge)(struct store *st, int64_t now, unsigned int max);
	int (*binding_refresh)(struct store *st,
			       const struct store_binding *b);
	/* NULL: store.c calls binding_refresh for each */
	int (*binding_refresh_many)(struct store *st,
				    const struct store_binding *b, size_t n);
	int (*binding_expire)(struct store *st, const char *aor,
			      const char *contact, const char *call_id,
			      uint32_t cseq);
	int (*binding_count)(struct store *st, int64_t now);
	int (*nc_advance)(struct store *st, const void *key, size_t klen,
			  uint32_t nc, int64_t now, int64_t max_age);
	int (*nc_purge)(struct store *st, int64_t before, unsigned int max);
	int (*users_gen)(struct store *st, int64_t *gen);
	int (*meta_get)(struct store *st, const char *key, void *val,
			size_t len);
	int (*meta_put)(struct store *st, const char *key, const void *val,
			size_t len);
};

struct store {
	const struct store_ops *ops;
	bool busy;		/* the last error was a lock or an outage */
	char err[256];		/* the last error, for store_error() */
	char name[512];		/* "db" without a password, for messages */
};

struct store *store_sqlite_open(const char *path, enum store_sync sync,
				char *err, size_t errlen);
/* NULL with a message naming the setting when built without libpq. */
struct store *store_pg_open(const char *uri, enum store_sync sync,
			    char *err, size_t errlen);

#endif /* SIPREGD_STORE_PRIV_H */
