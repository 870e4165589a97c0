/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's limit on the 401s it sends, as the kernel has its own
 * (kmod/ratelimiter.c): token buckets per source prefix (/32 for IPv4,
 * /64 for IPv6) in a fixed table, and one for all sources. Without it a
 * flood of REGISTERs from spoofed addresses has the daemon reflect 401s
 * at them and spend its time building challenges.
 */
#ifndef SIPREGD_RATELIMIT_H
#define SIPREGD_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit;

struct ratelimit *ratelimit_new(void);
void ratelimit_free(struct ratelimit *rl);

/*
 * True if one more 401 may go to @addr16 (IPv6, or IPv4-mapped) at
 * @now (monotonic seconds): @rate per second and source with room for
 * @burst at once, and @global per second in all. A rate of 0 is no limit.
 */
bool ratelimit_allow(struct ratelimit *rl, const uint8_t *addr16,
		     int64_t now, uint32_t rate, uint32_t burst,
		     uint32_t global);

#endif /* SIPREGD_RATELIMIT_H */
