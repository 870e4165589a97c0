// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load: retransmission, Retry-After and back-off times (retry.h).
 */
#include "retry.h"

#define NS_PER_S	1000000000ull

u64 lg_retry_rexmit(const struct lg_timing *t, u64 *rto_ns, u64 t0, u64 now)
{
	u64 rto = *rto_ns * 2;

	if (rto > t->t2_ns)
		rto = t->t2_ns;
	*rto_ns = rto;
	return min(now + rto, t0 + t->timeout_ns);
}

bool lg_retry_expired(const struct lg_timing *t, u64 t0, u64 now)
{
	return now - t0 >= t->timeout_ns;
}

u64 lg_retry_backoff(const struct lg_timing *t, u32 failures, u32 rnd)
{
	u64 w = t->backoff_base_ns;
	u32 i;

	/* Doubling stops at the cap: no overflow however many failures. */
	for (i = 1; i < failures && w < t->backoff_max_ns; i++)
		w *= 2;
	if (w > t->backoff_max_ns)
		w = t->backoff_max_ns;
	return w / 2 + (u64)((double)(w - w / 2) * rnd / UINT32_MAX);
}

u64 lg_retry_busy(const struct lg_timing *t, s64 retry_after, u32 failures,
		  u32 rnd)
{
	if (retry_after < 0)
		return lg_retry_backoff(t, failures, rnd);
	if ((u64)retry_after >= t->retry_after_max_ns / NS_PER_S)
		return t->retry_after_max_ns;
	return (u64)retry_after * NS_PER_S;
}

u32 lg_retry_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}
