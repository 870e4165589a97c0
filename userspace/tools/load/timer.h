/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipreg-load: a hashed timer wheel, one per thread. Each UA owns exactly
 * one timer (retransmission, transaction timeout or the wait before its
 * next refresh), so timers are named by the UA's index and arming,
 * cancelling and expiring are O(1) per timer.
 */
#ifndef LG_TIMER_H
#define LG_TIMER_H

#include "shim.h"

#define LG_TIMER_NONE	UINT32_MAX

struct lg_tnode {
	u32 next;
	u32 prev;
	u64 when;		/* ns */
	u32 slot;		/* LG_TIMER_NONE: not armed */
};

struct lg_wheel {
	u32 *head;		/* nslots list heads */
	struct lg_tnode *node;	/* one per id */
	u32 nslots;		/* power of two */
	u32 armed;
	u64 tick_ns;
	u64 cur;		/* next tick to look at */
};

/* Returns 0, or -1 if out of memory. */
int lg_wheel_init(struct lg_wheel *w, u32 nids, u32 nslots, u64 tick_ns,
		  u64 now);
void lg_wheel_free(struct lg_wheel *w);
void lg_wheel_arm(struct lg_wheel *w, u32 id, u64 when);
void lg_wheel_cancel(struct lg_wheel *w, u32 id);

static inline bool lg_wheel_armed(const struct lg_wheel *w, u32 id)
{
	return w->node[id].slot != LG_TIMER_NONE;
}

/*
 * Disarms and writes into out (at most max) the ids whose time is <= now.
 * Returns how many; call again while it returns max.
 */
u32 lg_wheel_expire(struct lg_wheel *w, u64 now, u32 *out, u32 max);

#endif /* LG_TIMER_H */
