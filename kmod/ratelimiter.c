// SPDX-License-Identifier: GPL-2.0
/*
 * Per-source limit on the 401s the hook sends, so that the gateway cannot be
 * used to reflect traffic at a victim whose address an attacker spoofs.
 *
 * One fixed table of token buckets for all namespaces, allocated at load:
 * the packet path never allocates and the memory is bounded whatever the
 * number of sources. A source maps to a bucket by a keyed hash of (netns,
 * prefix); sources that collide share a bucket, which only ever limits
 * harder, and the random key keeps an attacker from aiming at a victim's
 * bucket.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>

#include "ratelimiter.h"

#define RL_BUCKETS_LOG	14

struct rl_bucket {
	spinlock_t lock;	/* last_ns and credit_ns */
	u64 last_ns;
	u64 credit_ns;	/* nanoseconds of sending time saved up */
};

static struct rl_bucket *buckets;
static siphash_key_t rl_key;

int sipreg_ratelimiter_init(void)
{
	unsigned int i;

	buckets = kvcalloc(1U << RL_BUCKETS_LOG, sizeof(*buckets), GFP_KERNEL);
	if (!buckets)
		return -ENOMEM;
	for (i = 0; i < (1U << RL_BUCKETS_LOG); i++)
		spin_lock_init(&buckets[i].lock);
	get_random_bytes(&rl_key, sizeof(rl_key));
	return 0;
}

void sipreg_ratelimiter_uninit(void)
{
	kvfree(buckets);
	buckets = NULL;
}

static u32 bucket_of(const struct net *net, const struct sk_buff *skb, u8 pf)
{
	u64 prefix;

	if (pf == NFPROTO_IPV4)
		prefix = (__force u32)ip_hdr(skb)->saddr;
	else
		memcpy(&prefix, &ipv6_hdr(skb)->saddr, sizeof(prefix));
	return siphash_3u64(prefix, pf, (u64)(unsigned long)net, &rl_key) &
	       ((1U << RL_BUCKETS_LOG) - 1);
}

bool sipreg_ratelimiter_allow(const struct net *net, const struct sk_buff *skb,
			      u8 pf, u32 rate, u32 burst)
{
	struct rl_bucket *b;
	u64 now, cost, max;
	bool ok;

	if (!rate)
		return true;
	cost = NSEC_PER_SEC / rate;
	max = cost * max(burst, 1U);
	now = ktime_get_ns();

	b = &buckets[bucket_of(net, skb, pf)];
	spin_lock(&b->lock);
	/* A bucket not used for a while is full again. */
	b->credit_ns = min(max, b->credit_ns + (now - b->last_ns));
	b->last_ns = now;
	ok = b->credit_ns >= cost;
	if (ok)
		b->credit_ns -= cost;
	spin_unlock(&b->lock);
	return ok;
}

/*
 * The namespace's budget over all sources, whatever their number: a
 * generic cell rate algorithm on one word, @tat the time the next 401 is
 * due at the steady rate, with one second's worth of burst. No lock: a
 * lost race retries a bounded number of times, then refuses.
 */
bool sipreg_ratelimiter_allow_global(atomic64_t *tat, u32 rate)
{
	u64 now, cost, old, next;
	int tries;

	if (!rate)
		return true;
	cost = NSEC_PER_SEC / rate;
	now = ktime_get_ns();
	for (tries = 0; tries < 4; tries++) {
		old = atomic64_read(tat);
		next = max(old, now) + cost;
		if (next > now + NSEC_PER_SEC + cost)
			return false;
		if (atomic64_cmpxchg(tat, old, next) == old)
			return true;
	}
	return false;
}
