// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load: the timer wheel. Timers further away than one turn of the
 * wheel stay in their slot and are skipped until their turn comes, so the
 * horizon is unbounded and only costs a look per turn.
 */
#include <stdlib.h>

#include "timer.h"

int lg_wheel_init(struct lg_wheel *w, u32 nids, u32 nslots, u64 tick_ns,
		  u64 now)
{
	u32 i;

	w->head = malloc(sizeof(*w->head) * nslots);
	w->node = malloc(sizeof(*w->node) * (nids ? nids : 1));
	if (!w->head || !w->node) {
		lg_wheel_free(w);
		return -1;
	}
	for (i = 0; i < nslots; i++)
		w->head[i] = LG_TIMER_NONE;
	for (i = 0; i < nids; i++)
		w->node[i].slot = LG_TIMER_NONE;
	w->nslots = nslots;
	w->tick_ns = tick_ns;
	w->cur = now / tick_ns;
	w->armed = 0;
	return 0;
}

void lg_wheel_free(struct lg_wheel *w)
{
	free(w->head);
	free(w->node);
	w->head = NULL;
	w->node = NULL;
}

void lg_wheel_cancel(struct lg_wheel *w, u32 id)
{
	struct lg_tnode *n = &w->node[id];

	if (n->slot == LG_TIMER_NONE)
		return;
	if (n->prev != LG_TIMER_NONE)
		w->node[n->prev].next = n->next;
	else
		w->head[n->slot] = n->next;
	if (n->next != LG_TIMER_NONE)
		w->node[n->next].prev = n->prev;
	n->slot = LG_TIMER_NONE;
	w->armed--;
}

void lg_wheel_arm(struct lg_wheel *w, u32 id, u64 when)
{
	struct lg_tnode *n = &w->node[id];
	u64 tick = when / w->tick_ns;

	lg_wheel_cancel(w, id);
	/* A time already passed goes to the next slot looked at, not a turn later. */
	if (tick < w->cur)
		tick = w->cur;
	n->when = when;
	n->slot = tick & (w->nslots - 1);
	n->prev = LG_TIMER_NONE;
	n->next = w->head[n->slot];
	if (n->next != LG_TIMER_NONE)
		w->node[n->next].prev = id;
	w->head[n->slot] = id;
	w->armed++;
}

/* Moves the due timers of one slot to out; false if out filled up. */
static bool expire_slot(struct lg_wheel *w, u32 slot, u64 now, u32 *out,
			u32 max, u32 *n)
{
	u32 id = w->head[slot];

	while (id != LG_TIMER_NONE) {
		u32 next = w->node[id].next;

		if (w->node[id].when <= now) {
			if (*n == max)
				return false;
			lg_wheel_cancel(w, id);
			out[(*n)++] = id;
		}
		id = next;
	}
	return true;
}

u32 lg_wheel_expire(struct lg_wheel *w, u64 now, u32 *out, u32 max)
{
	u64 last = now / w->tick_ns;
	u32 n = 0, looked = 0;

	/*
	 * Ticks wholly in the past are done with; the current tick is looked
	 * at but stays current, as it may hold timers later than now.
	 */
	while (w->cur < last && w->armed) {
		if (!expire_slot(w, w->cur & (w->nslots - 1), now, out, max, &n))
			return n;
		/* After a long sleep one full turn has seen every slot. */
		if (++looked >= w->nslots)
			break;
		w->cur++;
	}
	w->cur = last;
	if (w->armed)
		expire_slot(w, last & (w->nslots - 1), now, out, max, &n);
	return n;
}
