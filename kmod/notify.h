/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_NOTIFY_H
#define _SIPREG_NOTIFY_H

#include <linux/gfp.h>
#include <linux/types.h>

struct sipreg_binding;
struct sipreg_net;

/*
 * How the tables report their changes, without knowing who listens or
 * how it travels. netlink.c implements it (events to the multicast group,
 * refreshes batched through refreshq.c).
 */

/*
 * Contact @only of @b (every contact when < 0) was added, deleted or
 * expired (@event: SIPREG_EVENT_BINDING_*); sn->lock held, @b still
 * readable for the call.
 */
void sipreg_notify_binding(struct sipreg_net *sn, u32 event,
			   const struct sipreg_binding *b, int only, gfp_t gfp);

/* Contact @idx of @b was refreshed by the fast path: softirq, under RCU. */
void sipreg_notify_refreshed(struct sipreg_net *sn,
			     const struct sipreg_binding *b, int idx);

#endif /* _SIPREG_NOTIFY_H */
