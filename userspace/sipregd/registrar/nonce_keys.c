// SPDX-License-Identifier: GPL-2.0
/*
 * Nonce keys of the daemon, persisted in the store's meta table. Nonces
 * are dated by CLOCK_REALTIME, so keys saved before a restart, a reboot,
 * or by another gateway on the same database are good here too; keys
 * dated in the future (a clock stepped back) are not taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nonce.h"
#include "nonce_keys.h"
#include "log.h"
#include "random.h"

struct saved_keys {
	struct sipreg_mackey cur, prev;
	u32 gen, since;
};

struct nonces {
	struct sipreg_nonce_keys k;
	struct sipreg_mackey tag;
	u32 last_s, last_us;		/* the last nonce's issue time */
};

static void save(const struct nonces *n, struct store *st)
{
	struct saved_keys s;

	memset(&s, 0, sizeof(s));
	s.cur = n->k.cur;
	s.prev = n->k.prev;
	s.gen = n->k.gen;
	s.since = n->k.cur_since;
	if (store_meta_put(st, "nonce_keys", &s, sizeof(s)))
		log_msg(LOG_WARN, "store: cannot save nonce keys: %s",
			store_error(st));
}

static bool load(struct nonces *n, struct store *st, u32 now)
{
	struct saved_keys s;

	/* a record of another size: the boot-dated keys of before */
	if (store_meta_get(st, "nonce_keys", &s, sizeof(s)) != 1 ||
	    s.since > now)
		return false;
	n->k.cur = s.cur;
	n->k.prev = s.prev;
	n->k.gen = s.gen;
	n->k.cur_since = s.since;
	return true;
}

/*
 * The keys as the store has them now, rotated first if they are due, in
 * one write transaction: workers sharing the store take turns here, the
 * first creates or rotates, the others load what it saved, and all make
 * and check nonces with the same keys. 1 when the keys changed, 0 not,
 * -1 when the store could not be read (the keys in memory stay).
 */
static int sync_keys(struct nonces *n, struct store *st, u32 now,
		     u32 lifetime)
{
	struct sipreg_nonce_keys old = n->k;
	struct sipreg_mackey key;
	bool have = n->k.gen || n->k.cur_since;

	if (store_begin(st))
		return -1;
	if (load(n, st, now))
		have = true;
	if (!have) {
		random_bytes(&key, sizeof(key));
		sipreg_nonce_keys_init(&n->k, &key, now);
		save(n, st);
	} else if (now - n->k.cur_since >= lifetime) {
		random_bytes(&key, sizeof(key));
		sipreg_nonce_rotate(&n->k, &key, now);
		save(n, st);
	}
	if (store_meta_get(st, "tag_key", &n->tag, sizeof(n->tag)) != 1) {
		random_bytes(&n->tag, sizeof(n->tag));
		store_meta_put(st, "tag_key", &n->tag, sizeof(n->tag));
	}
	if (store_commit(st)) {
		store_rollback(st);
		n->k = old;
		return -1;
	}
	return memcmp(&old, &n->k, sizeof(old)) != 0;
}

struct nonces *nonces_open(struct store *st, u32 now, u32 lifetime)
{
	struct nonces *n = calloc(1, sizeof(*n));

	if (n && sync_keys(n, st, now, lifetime) < 0) {
		log_msg(LOG_ERR, "store: nonce keys: %s", store_error(st));
		free(n);
		return NULL;
	}
	return n;
}

void nonces_free(struct nonces *n)
{
	free(n);
}

bool nonces_due(const struct nonces *n, u32 now, u32 lifetime)
{
	return now - n->k.cur_since >= lifetime;
}

/*
 * Once per lifetime, never faster: a nonce made just before a rotation is
 * checked with the previous key until it expires.
 */
bool nonces_tick(struct nonces *n, struct store *st, u32 now,
		 u32 lifetime)
{
	if (!nonces_due(n, now, lifetime))
		return false;
	if (sync_keys(n, st, now, lifetime) < 0) {
		log_msg(LOG_WARN, "store: nonce keys not rotated: %s",
			store_error(st));
		return false;
	}
	return true;
}

static void to_addr(struct sipreg_addr *a, const u8 *addr16)
{
	sipreg_addr_set_v6(a, addr16);
}

/*
 * Two challenges within one microsecond (one batch shares its clock
 * reading) still get two nonces: the second is dated a microsecond later.
 */
void nonces_make(struct nonces *n, u32 now, u32 usec, const u8 *addr16,
		 const char *realm, char *out)
{
	struct sipreg_addr a;

	if (now == n->last_s && usec <= n->last_us && n->last_us < 999999)
		usec = n->last_us + 1;
	n->last_s = now;
	n->last_us = usec;
	to_addr(&a, addr16);
	sipreg_nonce_make(&n->k, now, usec, &a, (const u8 *)realm,
			  strlen(realm), out);
}

enum nonces_verdict nonces_check(const struct nonces *n, u32 now,
				 u32 lifetime, const u8 *addr16,
				 const char *realm, const u8 *nonce,
				 size_t len)
{
	struct sipreg_addr a;

	to_addr(&a, addr16);
	switch (sipreg_nonce_check(&n->k, now, lifetime, &a,
				   (const u8 *)realm, strlen(realm), nonce,
				   len)) {
	case SIPREG_NONCE_VALID:
		return NONCES_VALID;
	case SIPREG_NONCE_STALE:
		return NONCES_STALE;
	default:
		return NONCES_BAD;
	}
}

const struct sipreg_mackey *nonces_tag_key(const struct nonces *n)
{
	return &n->tag;
}

void nonces_export(const struct nonces *n, struct sipreg_mackey *cur,
		   struct sipreg_mackey *prev, u32 *gen, u32 *since)
{
	*cur = n->k.cur;
	*prev = n->k.prev;
	*gen = n->k.gen;
	*since = n->k.cur_since;
}
