/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipreg-load: when a UA sends again. Pure arithmetic on times the caller
 * passes in (no clock, no sleeping), so the unit test can walk a storm's
 * timeline in microseconds:
 *   - RFC 3261 17.1.1.2: Timer E starts at T1 and doubles up to T2; Timer F
 *     (64*T1) ends the transaction;
 *   - RFC 3261 21.5.4: a 503 with Retry-After: come back that many seconds
 *     later (capped, so a run stays bounded);
 *   - a transaction that timed out, or a 503 without Retry-After: back off,
 *     as RFC 5626 4.5 shapes it, min(max, base * 2^(failures - 1)), a
 *     random point in its upper half so that phones do not come back in step.
 */
#ifndef LG_RETRY_H
#define LG_RETRY_H

#include "shim.h"

struct lg_timing {
	u64 t1_ns;
	u64 t2_ns;
	u64 timeout_ns;		/* Timer F */
	u64 backoff_base_ns;
	u64 backoff_max_ns;
	u64 retry_after_max_ns;	/* longest Retry-After honoured */
};

/*
 * A retransmission goes out at now: doubles *rto_ns (up to T2) and returns
 * when the timer fires next, at the latest when Timer F does (t0 + timeout).
 */
u64 lg_retry_rexmit(const struct lg_timing *t, u64 *rto_ns, u64 t0, u64 now);

/* Timer F: the transaction begun at t0 is over at now. */
bool lg_retry_expired(const struct lg_timing *t, u64 t0, u64 now);

/*
 * The wait after the failures-th failure in a row (at least 1); rnd is a
 * uniform random number that picks the point in [w/2, w].
 */
u64 lg_retry_backoff(const struct lg_timing *t, u32 failures, u32 rnd);

/*
 * The wait a 503 asks for: Retry-After seconds (retry_after >= 0) capped
 * at retry_after_max_ns, or the back-off when it carried none (< 0).
 */
u64 lg_retry_busy(const struct lg_timing *t, s64 retry_after, u32 failures,
		  u32 rnd);

/* xorshift32: the workers' random numbers; state must not be 0. */
u32 lg_retry_rand(u32 *state);

#endif /* LG_RETRY_H */
