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
 * The rate is counted, not timed per message: over a window of at least
 * DRAIN_WINDOW (DRAIN_FIRST until the first proof), the misses taken are
 * those queued during it minus what the queue grew by. A window proves the daemon's speed only if the daemon
 * never ran out of work in it (it took fewer misses than were already
 * waiting when the window began); one in which the queue may have run dry
 * only says the daemon is at least that fast. So an idle daemon's rate
 * stays unknown, and the first storm sets it from the first window the
 * daemon spends busy and takes some in: one that took none may only have
 * been descheduled. Once known, the rate of a daemon that stops taking
 * misses falls to a twentieth within a second (each window without one
 * takes a quarter off), and the queue's bytes still bound it meanwhile.
 */
#include <linux/jiffies.h>
#include <linux/math64.h>

#include "drain.h"

#define DRAIN_WINDOW	(HZ / 10)
/*
 * While the rate is not known: a storm's first burst fills the queue in a
 * few tenths of a second (6 MB at 100 000 phones), before two windows of
 * DRAIN_WINDOW could pass. A rough first rate soon is worth more than a
 * good one late; the next windows smooth it.
 */
#define DRAIN_FIRST	(HZ / 100 + 1)

static unsigned long window(const struct sipreg_drain *d)
{
	return READ_ONCE(d->rate) < 0 ? DRAIN_FIRST : DRAIN_WINDOW;
}

void sipreg_drain_init(struct sipreg_drain *d)
{
	spin_lock_init(&d->lock);
	d->rate = -1;
	atomic_long_set(&d->queued, 0);
}

/* The window ends at @now with @qlen queued: learn from it, start the next. */
static void window_end(struct sipreg_drain *d, unsigned long now, u32 qlen)
{
	long sent = atomic_long_read(&d->queued);
	long taken = sent - d->sent - ((long)qlen - (long)d->qlen);
	s32 rate = d->rate;
	u64 sample;

	if (taken < 0)
		taken = 0;
	sample = div_u64((u64)taken * HZ, now - d->since);
	sample = min_t(u64, sample, S32_MAX);
	if (rate < 0 && taken && taken < (long)d->qlen)
		rate = sample;	/* the first proof: see above */
	else if (rate >= 0 && taken < (long)d->qlen)
		/* busy all along: its speed, smoothed over ~4 windows */
		rate = (3 * (s64)rate + sample) / 4;
	else if (rate >= 0 && sample > rate)
		/* it may have idled: at least this fast */
		rate = (3 * (s64)rate + sample) / 4;
	WRITE_ONCE(d->rate, rate);
	WRITE_ONCE(d->since, now);
	d->sent = sent;
	d->qlen = qlen;
}

static void measure(struct sipreg_drain *d, const void *sk, u32 qlen)
{
	unsigned long now = jiffies;

	if (READ_ONCE(d->sk) == sk &&
	    time_before(now, READ_ONCE(d->since) + window(d)))
		return;
	if (!spin_trylock_bh(&d->lock))
		return;		/* another CPU measures */
	if (d->sk != sk) {
		/* a new claimant: another process, another speed */
		WRITE_ONCE(d->sk, sk);
		WRITE_ONCE(d->rate, -1);
		WRITE_ONCE(d->since, now);
		d->sent = atomic_long_read(&d->queued);
		d->qlen = qlen;
	} else if (time_after_eq(now, d->since + window(d))) {
		window_end(d, now, qlen);
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
