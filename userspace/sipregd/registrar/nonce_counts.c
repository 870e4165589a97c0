// SPDX-License-Identifier: GPL-2.0
/*
 * Open addressing over a power-of-two table, probing a few slots. The
 * stored key is a 64-bit SipHash under a random key, so clients cannot
 * aim at each other's slots; a collision between two live nonces would
 * make one of them look replayed (a spurious 401 and a retry), never let a
 * replay through.
 */
#include <stdlib.h>

#include "hash.h"
#include "nonce_counts.h"
#include "random.h"

#define PROBES	8

struct slot {
	uint64_t key;
	int64_t time;
	uint32_t nc;
};

struct nctable {
	struct slot *s;
	uint32_t mask;
	struct sipreg_mackey key;
};

static uint64_t hash(const struct nctable *t, const void *key, size_t n)
{
	return sipreg_mac64(&t->key, key, n) | 1;	/* 0: a free slot */
}

struct nctable *nctable_new(unsigned int slots)
{
	struct nctable *t = calloc(1, sizeof(*t));
	uint32_t n = 16;

	while (n < slots)
		n <<= 1;
	if (t)
		t->s = calloc(n, sizeof(*t->s));
	if (!t || !t->s) {
		nctable_free(t);
		return NULL;
	}
	t->mask = n - 1;
	random_bytes(&t->key, sizeof(t->key));
	return t;
}

void nctable_free(struct nctable *t)
{
	if (t)
		free(t->s);
	free(t);
}

bool nctable_advance(struct nctable *t, const void *key, size_t klen,
		     uint32_t nc, int64_t now, int64_t max_age)
{
	uint64_t h = hash(t, key, klen);
	struct slot *victim = NULL, *s;
	unsigned int i;

	for (i = 0; i < PROBES; i++) {
		s = &t->s[(h + i) & t->mask];
		if (s->key == h) {
			if (now - s->time <= max_age && nc <= s->nc)
				return false;
			s->nc = nc;
			s->time = now;
			return true;
		}
		/* a free slot, else the oldest */
		if (!victim || (victim->key &&
				(!s->key || s->time < victim->time)))
			victim = s;
	}
	victim->key = h;
	victim->nc = nc;
	victim->time = now;
	return true;
}
