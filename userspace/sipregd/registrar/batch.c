// SPDX-License-Identifier: GPL-2.0
/*
 * Group commit: the requests that were ready together are handled in
 * order, their changes written into one store transaction (a savepoint
 * each), and committed once, so that a burst of registrations costs one
 * fsync instead of one each. Nothing of the group is final before the
 * COMMIT: the responses stay with the caller until we return, kernel sync
 * hears of the changes after it, and if it fails every change of the
 * group is answered 500 (503 for a lock), also where a retransmission in
 * the same group was answered from the cache.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registrar_priv.h"
#include "log.h"

int batch_write_begin(struct registrar *r)
{
	if (r->txn == TXN_LOST)
		return -1;
	if (r->txn == TXN_NONE) {
		if (store_begin(r->st)) {
			/* the rest of the group does not wait for it again */
			r->txn = TXN_LOST;
			r->txn_busy = store_busy(r->st);
			return -1;
		}
		r->txn = TXN_OPEN;
	}
	/* alone in its group, the transaction is its savepoint */
	if (r->group_n == 1 || !store_savepoint(r->st))
		return 0;
	batch_write_end(r, false);
	return -1;
}

int batch_write_end(struct registrar *r, bool ok)
{
	if (r->group_n == 1 && ok)
		return 0;
	if (r->group_n == 1) {
		store_rollback(r->st);
		r->txn = TXN_NONE;
		return -1;
	}
	if (ok && !store_release(r->st))
		return 0;
	store_rollback_to(r->st);
	/* some errors (a full disk, I/O) roll the whole transaction back */
	if (!store_in_transaction(r->st)) {
		log_msg(LOG_ERR, "store: %s: the group's transaction was "
			"rolled back: its changes are answered 500",
			store_error(r->st));
		r->txn = TXN_LOST;
		r->txn_busy = store_busy(r->st);
	}
	return -1;
}

static uint64_t mono_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

/* COMMIT, its time counted: the metrics' database latency. */
static int timed_commit(struct registrar *r)
{
	uint64_t t0 = mono_us(), us;
	int rc = store_commit(r->st);

	us = mono_us() - t0;
	r->stats.db_commits++;
	r->stats.db_commit_us += us;
	if (us > r->stats.db_commit_us_max)
		r->stats.db_commit_us_max = us;
	return rc;
}

/* True when the group's changes are durable (or there were none). */
static bool commit_group(struct registrar *r, bool *busy)
{
	enum txn_state t = r->txn;

	r->txn = TXN_NONE;
	*busy = r->txn_busy;
	if (t == TXN_NONE)
		return true;
	if (t == TXN_OPEN && !timed_commit(r))
		return true;
	if (t == TXN_OPEN) {
		*busy = store_busy(r->st);
		log_msg(LOG_ERR, "store: commit of a group: %s",
			store_error(r->st));
	}
	store_rollback(r->st);
	return false;
}

/*
 * The COMMIT failed: every change of the group is lost. Its 200s become
 * 500 (503) and replace the cached ones; then a request the cache answered
 * in this group gets what the cache holds now.
 */
static void fail_group(struct req **q, struct registrar_batch_item *it,
		       unsigned int n, bool busy)
{
	u8 key[1024];
	const u8 *cached;
	size_t klen, len;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!q[i] || !q[i]->pending)
			continue;
		q[i]->pending = false;
		it[i].len = regbind_failed(q[i], busy);
		klen = req_trans_key(q[i], key, sizeof(key));
		if (it[i].len)
			retrans_put(q[i]->r->retrans, key, klen, it[i].out,
				    it[i].len, q[i]->now->wall);
	}
	for (i = 0; i < n; i++) {
		if (!q[i] || !q[i]->from_cache)
			continue;
		klen = req_trans_key(q[i], key, sizeof(key));
		cached = retrans_get(q[i]->r->retrans, key, klen,
				     q[i]->now->wall, &len);
		if (cached && len <= it[i].size) {
			memmove(it[i].out, cached, len);
			it[i].len = len;
		}
	}
}

void registrar_handle_batch(struct registrar *r,
			    struct registrar_batch_item *it, unsigned int n,
			    const struct registrar_time *now)
{
	struct req *q[REGISTRAR_BATCH_MAX];
	unsigned int i;
	bool busy;

	for (i = REGISTRAR_BATCH_MAX; i < n; i++)
		it[i].len = 0;		/* the caller's mistake: not answered */
	if (n > REGISTRAR_BATCH_MAX)
		n = REGISTRAR_BATCH_MAX;
	r->group_n = n;
	/* at a rotation, the keys another worker may already use */
	if (nonces_due(r->nonces, (u32)now->wall, r->cfg.nonce_lifetime))
		regkeys_sync(r, now);
	for (i = 0; i < n; i++) {
		q[i] = req_new(r, &it[i].pkt, now, it[i].out, it[i].size);
		it[i].len = q[i] ? req_dispatch(q[i], &it[i].pkt) : 0;
	}
	if (!commit_group(r, &busy))
		fail_group(q, it, n, busy);
	for (i = 0; i < n; i++) {
		if (q[i] && q[i]->pending)
			regbind_announce(q[i]);
		free(q[i]);
	}
}
