/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_RATELIMITER_H
#define _SIPREG_RATELIMITER_H

#include <linux/types.h>

struct net;
struct sk_buff;

int sipreg_ratelimiter_init(void);
void sipreg_ratelimiter_uninit(void);

/*
 * True if one more 401 may go to the source of @skb: a token bucket per
 * source /32 (IPv4) or /64 (IPv6) in @net, @rate per second with @burst.
 * @rate 0 means no limit.
 */
bool sipreg_ratelimiter_allow(const struct net *net, const struct sk_buff *skb,
			      u8 pf, u32 rate, u32 burst);

bool sipreg_ratelimiter_allow_global(atomic64_t *tat, u32 rate);

#endif /* _SIPREG_RATELIMITER_H */
