// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's drain rate. In a registration storm a REGISTER queued for
 * the daemon is worth queueing only if the daemon will answer it before
 * its phone gives up or retransmits it into the same queue; how long it
 * would wait is the queue's length over the rate at which the daemon
 * takes misses. Neither the queue's bytes (how long they last depends on
 * the machine) nor its head's age (a burst fills the queue before its head
 * is old; a stalled VM makes the head look old) say that.
 *
 * The rate is counted, not timed per message: over a window, the misses
 * taken are those queued during it minus what the queue grew by. A daemon
 * takes them in batches (sipregd: up to 64, then one commit for them all),
 * so a window must span several batches to tell its speed: it lasts until
 * DRAIN_TAKEN misses were taken, and at least DRAIN_WINDOW, at most
 * DRAIN_LONG. A window proves the daemon's speed only if the daemon never
 * ran out of work in it (it took fewer misses than were already waiting
 * when the window began); one in which the queue may have run dry only
 * says the daemon is at least that fast. So an idle daemon's rate stays
 * unknown, and the first storm sets it from the first window the daemon
 * spends busy and takes some in (one that took none may only have been
 * descheduled); until then only the queue's bytes bound it. Once known,
 * the rate of a daemon that stops taking misses loses a quarter each
 * DRAIN_LONG, and the queue's bytes still bound it meanwhile.
 */
#include <linux/jiffies.h>
#include <linux/math64.h>

#include "drain.h"

#define DRAIN_TAKEN	256
#define DRAIN_WINDOW	(HZ / 10)
#define DRAIN_LONG	HZ

void sipreg_drain_init(struct sipreg_drain *d)
{
	spin_lock_init(&d->lock);
	d->rate = -1;
	atomic_long_set(&d->queued, 0);
}

/* Misses taken since the window began, now that @qlen are queued. */
static long taken(const struct sipreg_drain *d, u32 qlen)
{
	long n = atomic_long_read(&d->queued) - d->sent -
		 ((long)qlen - (long)d->qlen);

	return n > 0 ? n : 0;
}

/* Learns from the window that ends at @now, having seen @n taken. */
static void window_end(struct sipreg_drain *d, unsigned long now, long n)
{
	u64 sample = div_u64((u64)n * HZ, now - d->since);
	bool busy = n < (long)d->qlen;
	s32 rate = d->rate;

	sample = min_t(u64, sample, S32_MAX);
	if (rate < 0 && busy && n)
		rate = sample;	/* the first proof: see above */
	else if (rate >= 0 && (busy || sample > rate))
		/* busy all along, or at least this fast: smoothed */
		rate = (3 * (s64)rate + sample) / 4;
	WRITE_ONCE(d->rate, rate);
}

/* Starts a window at @now with @qlen queued. */
static void window_start(struct sipreg_drain *d, unsigned long now, u32 qlen)
{
	WRITE_ONCE(d->since, now);
	d->sent = atomic_long_read(&d->queued);
	d->qlen = qlen;
}

static void measure(struct sipreg_drain *d, const void *sk, u32 qlen)
{
	unsigned long now = jiffies;
	long n;

	if (READ_ONCE(d->sk) == sk &&
	    time_before(now, READ_ONCE(d->since) + DRAIN_WINDOW))
		return;
	if (!spin_trylock_bh(&d->lock))
		return;		/* another CPU measures */
	if (d->sk != sk) {
		/* a new claimant: another process, another speed */
		WRITE_ONCE(d->sk, sk);
		WRITE_ONCE(d->rate, -1);
		window_start(d, now, qlen);
	} else if (time_after_eq(now, d->since + DRAIN_WINDOW)) {
		n = taken(d, qlen);
		if (n >= DRAIN_TAKEN ||
		    time_after_eq(now, d->since + DRAIN_LONG)) {
			window_end(d, now, n);
			window_start(d, now, qlen);
		}
	}
	spin_unlock_bh(&d->lock);
}

bool sipreg_drain_too_slow(struct sipreg_drain *d, const void *sk, u32 qlen,
			   u32 wait_ms)
{
	s32 rate;

	measure(d, sk, qlen);
	rate = READ_ONCE(d->rate);
	if (rate < 0 || !qlen)
		return false;
	/* qlen / rate s > wait_ms ms; a daemon that took none: forever */
	return (u64)qlen * MSEC_PER_SEC > (u64)wait_ms * rate;
}
