// SPDX-License-Identifier: GPL-2.0
/*
 * Retransmissions of a REGISTER the daemon has not answered yet. In a
 * registration storm a REGISTER may wait in the daemon's queue longer
 * than T1, and the phone's copies (Timer E) would join it and be answered
 * again, each a transaction's worth of the daemon's time. A copy of one
 * handed over moments ago is dropped instead: the daemon answers the
 * first.
 *
 * A direct-mapped table of keyed hashes: a slot holds 32 bits of the hash
 * that did not pick it and the time it was noted. Colliding transactions
 * overwrite each other, which costs an absorbed copy, never a wrong drop;
 * a wrong drop needs 32 more bits to match, and the random key keeps an
 * attacker from aiming at another phone's transaction (the source address
 * is in the hash too). Readers and writers race on whole u64s only.
 */
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "absorb.h"
#include "netlink.h"

#define ABSORB_SLOTS_LOG	12

int sipreg_absorb_init(struct sipreg_absorb *a)
{
	a->slots = kvcalloc(1U << ABSORB_SLOTS_LOG, sizeof(*a->slots),
			    GFP_KERNEL_ACCOUNT);
	if (!a->slots)
		return -ENOMEM;
	get_random_bytes(&a->key, sizeof(a->key));
	return 0;
}

void sipreg_absorb_exit(struct sipreg_absorb *a)
{
	kvfree(a->slots);
	a->slots = NULL;
}

u64 sipreg_absorb_hash(const struct sipreg_absorb *a,
		       const void *call_id, size_t call_id_len,
		       const void *branch, size_t branch_len, u32 cseq,
		       const struct sipreg_miss_meta *meta)
{
	struct {
		u64 call_id;
		u64 branch;
		u8 saddr[16];
		u32 cseq;
		__be16 sport;
		u8 family;
		u8 pad;
	} t;

	memset(&t, 0, sizeof(t));
	t.call_id = siphash(call_id, call_id_len, &a->key);
	t.branch = siphash(branch, branch_len, &a->key);
	memcpy(t.saddr, &meta->saddr,
	       meta->family == AF_INET ? sizeof(meta->saddr.v4) :
					 sizeof(meta->saddr.v6));
	t.cseq = cseq;
	t.sport = meta->sport;
	t.family = meta->family;
	return siphash(&t, sizeof(t), &a->key);
}

static u64 *slot(const struct sipreg_absorb *a, u64 hash)
{
	return &a->slots[hash & ((1U << ABSORB_SLOTS_LOG) - 1)];
}

bool sipreg_absorb_seen(const struct sipreg_absorb *a, u64 hash)
{
	u64 v = READ_ONCE(*slot(a, hash));
	u32 then = lower_32_bits(v);

	return v && upper_32_bits(v) == upper_32_bits(hash) &&
	       (u32)jiffies - then < msecs_to_jiffies(SIPREG_ABSORB_MS);
}

void sipreg_absorb_note(struct sipreg_absorb *a, u64 hash)
{
	u64 v = (u64)upper_32_bits(hash) << 32 | (u32)jiffies;

	WRITE_ONCE(*slot(a, hash), v);
}
