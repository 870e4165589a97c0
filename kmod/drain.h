/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_DRAIN_H
#define _SIPREG_DRAIN_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * How fast the daemon takes misses off its queue, per namespace: the
 * storm valve's measure of how long a new miss would wait. Written from
 * the hook at most once a window, read without a lock.
 */
struct sipreg_drain {
	spinlock_t lock;		/* the window, below */
	const void *sk;			/* whose queue; never dereferenced */
	unsigned long since;		/* jiffies: the window began */
	long sent;			/* @queued then */
	u32 qlen;			/* the queue's length then */
	s32 rate;			/* misses per second; -1: not known */
	atomic_long_t queued;		/* misses ever queued to a daemon */
};

void sipreg_drain_init(struct sipreg_drain *d);
/* A miss went into the daemon's queue. */
static inline void sipreg_drain_queued(struct sipreg_drain *d)
{
	atomic_long_inc(&d->queued);
}

/*
 * Whether a miss joining @qlen others in the queue of @sk would wait
 * longer than @wait_ms at the rate measured so far; measures first.
 * False while the rate is not known.
 */
bool sipreg_drain_too_slow(struct sipreg_drain *d, const void *sk, u32 qlen,
			   u32 wait_ms);

#endif /* _SIPREG_DRAIN_H */
