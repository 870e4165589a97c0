// SPDX-License-Identifier: GPL-2.0
/*
 * Retransmission cache: a ring of entries in insertion order (so eviction
 * is O(1) and always the oldest) indexed by a chained hash table. The
 * ring runs from tail (oldest) to head (next free); an entry is evicted
 * when the ring is full or the new one would go over the byte budget.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "random.h"
#include "retrans.h"

#define NIL	UINT32_MAX

struct entry {
	uint64_t hash;
	int64_t time;
	uint32_t next;		/* hash chain */
	uint32_t klen, rlen;
	uint8_t *data;		/* key, then response */
};

struct retrans {
	struct entry *e;
	uint32_t *heads;
	uint32_t cap, mask;
	uint32_t head, tail, count;	/* head: next ring slot to use */
	size_t bytes, max_bytes;	/* keys and responses held */
	struct sipreg_mackey key;
};

/*
 * The keys hold what clients sent (Call-ID, branch, tags): SipHash under
 * a random key, so that nobody can line requests up in one chain.
 */
static uint64_t hash(const struct retrans *rc, const void *key, size_t n)
{
	return sipreg_mac64(&rc->key, key, n);
}

struct retrans *retrans_new(unsigned int max_entries, size_t max_bytes)
{
	struct retrans *rc = calloc(1, sizeof(*rc));
	uint32_t nb = 1, i;

	if (!rc || !max_entries)
		goto fail;
	while (nb < 2 * max_entries)
		nb <<= 1;
	rc->cap = max_entries;
	rc->mask = nb - 1;
	rc->max_bytes = max_bytes ? max_bytes : RETRANS_BYTES_DEFAULT;
	rc->e = calloc(max_entries, sizeof(*rc->e));
	rc->heads = malloc(nb * sizeof(*rc->heads));
	if (!rc->e || !rc->heads)
		goto fail;
	for (i = 0; i < nb; i++)
		rc->heads[i] = NIL;
	random_bytes(&rc->key, sizeof(rc->key));
	return rc;
fail:
	retrans_free(rc);
	return NULL;
}

void retrans_free(struct retrans *rc)
{
	uint32_t i;

	if (!rc)
		return;
	for (i = 0; rc->e && i < rc->cap; i++)
		free(rc->e[i].data);
	free(rc->e);
	free(rc->heads);
	free(rc);
}

static void unlink_entry(struct retrans *rc, uint32_t idx)
{
	struct entry *e = &rc->e[idx];
	uint32_t *p = &rc->heads[e->hash & rc->mask];

	while (*p != NIL && *p != idx)
		p = &rc->e[*p].next;
	if (*p == idx)
		*p = e->next;
	rc->bytes -= e->klen + e->rlen;
	free(e->data);
	e->data = NULL;
}

/* The oldest entry goes. */
static void evict(struct retrans *rc)
{
	unlink_entry(rc, rc->tail);
	rc->tail = (rc->tail + 1) % rc->cap;
	rc->count--;
}

const uint8_t *retrans_get(struct retrans *rc, const void *key, size_t klen,
			   int64_t now, size_t *rlen)
{
	uint64_t h = hash(rc, key, klen);
	uint32_t i;

	for (i = rc->heads[h & rc->mask]; i != NIL; i = rc->e[i].next) {
		struct entry *e = &rc->e[i];

		if (e->hash != h || e->klen != klen ||
		    memcmp(e->data, key, klen))
			continue;
		if (now - e->time > RETRANS_TTL)
			return NULL;
		*rlen = e->rlen;
		return e->data + klen;
	}
	return NULL;
}

void retrans_put(struct retrans *rc, const void *key, size_t klen,
		 const uint8_t *resp, size_t rlen, int64_t now)
{
	size_t need = klen + rlen;
	struct entry *e;
	uint8_t *d;
	uint32_t idx;

	if (need > rc->max_bytes)
		return;
	while (rc->count &&
	       (rc->count == rc->cap || rc->bytes + need > rc->max_bytes))
		evict(rc);
	d = malloc(need);
	if (!d)
		return;
	idx = rc->head;
	e = &rc->e[idx];
	memcpy(d, key, klen);
	memcpy(d + klen, resp, rlen);
	e->data = d;
	e->hash = hash(rc, key, klen);
	e->time = now;
	e->klen = klen;
	e->rlen = rlen;
	e->next = rc->heads[e->hash & rc->mask];
	rc->heads[e->hash & rc->mask] = idx;
	rc->head = (idx + 1) % rc->cap;
	rc->count++;
	rc->bytes += need;
}

void retrans_usage(const struct retrans *rc, unsigned int *entries,
		   size_t *bytes)
{
	*entries = rc->count;
	*bytes = rc->bytes;
}
