// SPDX-License-Identifier: GPL-2.0
/*
 * Fixed memory whatever the number of sources: a source maps to a bucket
 * by SipHash under a random key, so sources that collide share a bucket
 * (which only ever limits harder) and nobody can aim at another's. Time
 * is in whole seconds, as the registrar's clock is: a bucket gains @rate
 * tokens per second, up to @burst.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "random.h"
#include "ratelimit.h"

#define BUCKETS_LOG	12

struct bucket {
	int64_t last;
	uint32_t tokens;
};

struct ratelimit {
	struct bucket b[1u << BUCKETS_LOG];
	struct bucket global;
	struct sipreg_mackey key;
};

struct ratelimit *ratelimit_new(void)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));

	if (rl)
		random_bytes(&rl->key, sizeof(rl->key));
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	free(rl);
}

/* Takes a token if there is one, after adding those earned since last. */
static bool take(struct bucket *b, int64_t now, uint32_t rate, uint32_t burst)
{
	uint64_t t;

	if (!b->last || now < b->last) {
		b->tokens = burst;		/* first use, or the clock went back */
	} else if (now > b->last) {
		t = b->tokens + (uint64_t)rate * (uint64_t)(now - b->last);
		b->tokens = t > burst ? burst : (uint32_t)t;
	}
	b->last = now;
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}

static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };

bool ratelimit_allow(struct ratelimit *rl, const uint8_t *addr16,
		     int64_t now, uint32_t rate, uint32_t burst,
		     uint32_t global)
{
	/* an IPv4 address whole, an IPv6 one by its /64 */
	size_t plen = memcmp(addr16, v4mapped, 12) ? 8 : 16;
	uint64_t h;

	/* never 0: a bucket's last of 0 means never used */
	now = now > 0 ? now : 1;
	if (rate) {
		h = sipreg_mac64(&rl->key, addr16, plen);
		if (!take(&rl->b[h & ((1u << BUCKETS_LOG) - 1)], now, rate,
			  burst < rate ? rate : burst))
			return false;
	}
	return !global || take(&rl->global, now, global, global);
}
