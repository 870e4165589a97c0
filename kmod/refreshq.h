/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_REFRESHQ_H
#define _SIPREG_REFRESHQ_H

#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct sk_buff;
struct sipreg_binding;
struct sipreg_net;

/*
 * Refreshed events, batched: the fast path appends to one pending
 * message, sent when full or after a tenth of a second, so a refresh
 * storm does not become an event storm.
 */
struct sipreg_refreshq {
	spinlock_t lock;		/* skb, hdr, lost, dead */
	struct sk_buff *skb;
	void *hdr;
	bool lost;			/* a refresh went unreported */
	bool dead;			/* exiting: @flush is not queued again */
	struct delayed_work flush;
};

void sipreg_refreshq_init(struct sipreg_net *sn);
void sipreg_refreshq_exit(struct sipreg_net *sn);

/* Contact @idx of @b was refreshed; in softirq, under rcu_read_lock(). */
void sipreg_refreshq_add(struct sipreg_net *sn, const struct sipreg_binding *b,
			 int idx);

#endif /* _SIPREG_REFRESHQ_H */
