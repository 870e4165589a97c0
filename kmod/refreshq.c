// SPDX-License-Identifier: GPL-2.0
/*
 * Batching of the fast path's "refreshed" events. The daemon persists
 * them; when one cannot be reported (no memory) it gets an "overflow"
 * event and resynchronises with a dump, so nothing is lost silently.
 */
#include <net/genetlink.h>

#include "binding.h"
#include "netlink.h"
#include "pernet.h"
#include "refreshq.h"

#define FLUSH_DELAY	(HZ / 10)

static struct sipreg_refreshq *q_of(struct sipreg_net *sn)
{
	return &sn->refreshq;
}

/* Takes the pending message (and the loss flag) out of the queue. */
static struct sk_buff *take(struct sipreg_refreshq *q, void **hdr, bool *lost)
{
	struct sk_buff *skb = q->skb;

	*hdr = q->hdr;
	*lost = q->lost;
	q->skb = NULL;
	q->lost = false;
	return skb;
}

static void overflow(struct sipreg_net *sn)
{
	struct sk_buff *skb;
	void *hdr;

	skb = sipreg_netlink_event_new(sn, SIPREG_CMD_BINDING_NTF,
				       SIPREG_EVENT_OVERFLOW, NLMSG_GOODSIZE,
				       GFP_KERNEL, &hdr);
	if (skb)
		sipreg_netlink_event_send(sn, skb, hdr, 0, GFP_KERNEL);
}

static void refreshq_flush(struct work_struct *work)
{
	struct sipreg_net *sn = container_of(to_delayed_work(work),
					     struct sipreg_net, refreshq.flush);
	struct sipreg_refreshq *q = q_of(sn);
	struct sk_buff *skb;
	bool lost;
	void *hdr;

	spin_lock_bh(&q->lock);
	skb = take(q, &hdr, &lost);
	spin_unlock_bh(&q->lock);
	if (skb)
		sipreg_netlink_event_send(sn, skb, hdr, 0, GFP_KERNEL);
	if (lost)
		overflow(sn);
}

void sipreg_refreshq_init(struct sipreg_net *sn)
{
	struct sipreg_refreshq *q = q_of(sn);

	spin_lock_init(&q->lock);
	q->skb = NULL;
	q->lost = false;
	q->dead = false;
	INIT_DELAYED_WORK(&q->flush, refreshq_flush);
}

/*
 * The hook is gone; @dead makes sure that even so nothing queues the work
 * again once it is cancelled.
 */
void sipreg_refreshq_exit(struct sipreg_net *sn)
{
	struct sipreg_refreshq *q = q_of(sn);

	spin_lock_bh(&q->lock);
	q->dead = true;
	spin_unlock_bh(&q->lock);
	cancel_delayed_work_sync(&q->flush);
	nlmsg_free(q->skb);
	q->skb = NULL;
}

void sipreg_refreshq_add(struct sipreg_net *sn, const struct sipreg_binding *b,
			 int idx)
{
	struct sipreg_refreshq *q = q_of(sn);
	struct sk_buff *full = NULL;
	void *full_hdr = NULL;

	if (!sipreg_netlink_has_listeners(sn))
		return;
	spin_lock(&q->lock);
	if (q->dead) {
		spin_unlock(&q->lock);
		return;
	}
	if (q->skb) {
		if (!sipreg_binding_fill(q->skb, b, idx))
			goto out;
		/* Full: it goes as it is, the refresh opens the next one. */
		full = q->skb;
		full_hdr = q->hdr;
	}
	q->skb = sipreg_netlink_event_new(sn, SIPREG_CMD_BINDING_NTF,
					  SIPREG_EVENT_BINDING_REFRESHED,
					  NLMSG_GOODSIZE, GFP_ATOMIC, &q->hdr);
	if (!q->skb || sipreg_binding_fill(q->skb, b, idx))
		q->lost = true;
out:
	/* Under the lock: sipreg_refreshq_exit() cancels after @dead is set. */
	schedule_delayed_work(&q->flush, FLUSH_DELAY);
	spin_unlock(&q->lock);
	if (full)
		sipreg_netlink_event_send(sn, full, full_hdr, 0, GFP_ATOMIC);
}
