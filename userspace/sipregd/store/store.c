// SPDX-License-Identifier: GPL-2.0
/*
 * store.h's entry points: the backend is chosen once, by the "db" setting
 * (a PostgreSQL connection URI, or an SQLite file), and every call goes
 * through its operations.
 */
#include <stdio.h>
#include <string.h>

#include "store_priv.h"

/* "postgresql://..." or "postgres://...": libpq's URI forms. */
bool store_is_pg(const char *db)
{
	return !strncmp(db, "postgresql://", 13) ||
	       !strncmp(db, "postgres://", 11);
}

/*
 * Copies @db into @buf with "***" for the password of the user info
 * ("scheme://user:PASSWORD@host") and of a "password=" parameter.
 */
const char *store_db_name(const char *db, char *buf, size_t size)
{
	const char *user, *end, *colon, *p;
	size_t n = 0;

	if (!store_is_pg(db) || !size)
		return db;
	user = strstr(db, "://") + 3;
	end = user + strcspn(user, "/?");
	colon = memchr(user, ':', (size_t)(end - user));
	if (colon && !memchr(colon, '@', (size_t)(end - colon)))
		colon = NULL;	/* host:port, no password */
	for (p = db; *p && n + 4 < size; p++) {
		if (p == colon + 1 && colon) {
			memcpy(buf + n, "***", 3);
			n += 3;
			p = strchr(p, '@') - 1;
			continue;
		}
		buf[n++] = *p;
		if ((*p == '?' || *p == '&') && !strncmp(p + 1, "password=", 9)) {
			memcpy(buf + n, "password=***", 12 < size - n - 1 ?
			       12 : size - n - 1);
			n += 12 < size - n - 1 ? 12 : size - n - 1;
			p += 9 + strcspn(p + 10, "&");
		}
	}
	buf[n] = '\0';
	return buf;
}

static struct store *open_backend(const char *db, enum store_sync sync,
				  char *err, size_t errlen)
{
	if (store_is_pg(db))
		return store_pg_open(db, sync, err, errlen);
	/* "sqlite:PATH" names SQLite explicitly; a plain path does too. */
	if (!strncmp(db, "sqlite:", 7))
		db += 7;
	if (!*db) {
		snprintf(err, errlen, "db: empty SQLite path");
		return NULL;
	}
	return store_sqlite_open(db, sync, err, errlen);
}

struct store *store_open(const char *db, enum store_sync sync,
			 char *err, size_t errlen)
{
	struct store *st = open_backend(db, sync, err, errlen);
	char buf[sizeof(st->name)];

	if (st)
		snprintf(st->name, sizeof(st->name), "%s",
			 store_db_name(db, buf, sizeof(buf)));
	return st;
}

const char *store_name(const struct store *st)
{
	return st->name;
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

const char *store_error(const struct store *st)
{
	return st->err;
}

bool store_busy(const struct store *st)
{
	return st->busy;
}

void store_set_busy_timeout(struct store *st, unsigned int ms)
{
	st->ops->set_busy_timeout(st, ms);
}

int store_begin(struct store *st)
{
	return st->ops->begin(st);
}

int store_commit(struct store *st)
{
	return st->ops->commit(st);
}

void store_rollback(struct store *st)
{
	st->ops->rollback(st);
}

int store_savepoint(struct store *st)
{
	return st->ops->savepoint(st);
}

int store_release(struct store *st)
{
	return st->ops->release(st);
}

void store_rollback_to(struct store *st)
{
	st->ops->rollback_to(st);
}

bool store_in_transaction(const struct store *st)
{
	return st->ops->in_transaction(st);
}

void store_commit_veto(struct store *st, int (*veto)(void *arg), void *arg)
{
	st->ops->commit_veto(st, veto, arg);
}

int store_changed(struct store *st)
{
	return st->ops->changed(st);
}

int store_aors_changed(struct store *st, store_aor_cb cb, void *arg)
{
	return st->ops->aors_changed ? st->ops->aors_changed(st, cb, arg) : 0;
}

int store_user_get(struct store *st, const char *user, const char *realm,
		   struct store_user *u)
{
	return st->ops->user_get(st, user, realm, u);
}

int store_user_put(struct store *st, const struct store_user *u)
{
	return st->ops->user_put(st, u);
}

int store_user_del(struct store *st, const char *user, const char *realm)
{
	return st->ops->user_del(st, user, realm);
}

int store_user_each(struct store *st, store_user_cb cb, void *arg)
{
	return st->ops->user_each(st, cb, arg);
}

int store_binding_each(struct store *st, const char *aor, int64_t now,
		       store_binding_cb cb, void *arg)
{
	return st->ops->binding_each(st, aor, now, cb, arg);
}

int store_binding_put(struct store *st, const struct store_binding *b)
{
	return st->ops->binding_put(st, b);
}

int store_binding_del(struct store *st, const char *aor, const char *contact)
{
	return st->ops->binding_del(st, aor, contact);
}

int store_binding_purge(struct store *st, int64_t now, unsigned int max)
{
	return st->ops->binding_purge(st, now, max);
}

int store_binding_refresh(struct store *st, const struct store_binding *b)
{
	return st->ops->binding_refresh(st, b);
}

int store_binding_refresh_many(struct store *st,
			       const struct store_binding *b, size_t n)
{
	int done = 0, rc;
	size_t i;

	if (st->ops->binding_refresh_many)
		return st->ops->binding_refresh_many(st, b, n);
	for (i = 0; i < n; i++) {
		rc = st->ops->binding_refresh(st, &b[i]);
		if (rc < 0)
			return -1;
		done += rc;
	}
	return done;
}

int store_binding_expire(struct store *st, const char *aor,
			 const char *contact, const char *call_id,
			 uint32_t cseq)
{
	return st->ops->binding_expire(st, aor, contact, call_id, cseq);
}

int store_binding_count(struct store *st, int64_t now)
{
	return st->ops->binding_count(st, now);
}

int store_nc_advance(struct store *st, const void *key, size_t klen,
		     uint32_t nc, int64_t now, int64_t max_age)
{
	return st->ops->nc_advance(st, key, klen, nc, now, max_age);
}

int store_nc_purge(struct store *st, int64_t before, unsigned int max)
{
	return st->ops->nc_purge(st, before, max);
}

int store_users_gen(struct store *st, int64_t *gen)
{
	return st->ops->users_gen(st, gen);
}

int store_meta_get(struct store *st, const char *key, void *val, size_t len)
{
	return st->ops->meta_get(st, key, val, len);
}

int store_meta_put(struct store *st, const char *key, const void *val,
		   size_t len)
{
	return st->ops->meta_put(st, key, val, len);
}
