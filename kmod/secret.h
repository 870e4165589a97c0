/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_SECRET_H
#define _SIPREG_SECRET_H

#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "nonce.h"

struct sipreg_net;

/* One namespace's nonce keys, replaced as a whole and freed by RCU. */
struct sipreg_secret {
	struct sipreg_nonce_keys keys;
	struct rcu_head rcu;
};

struct sipreg_secrets {
	struct sipreg_secret __rcu *cur;
	struct delayed_work rotate;
	/* Keys came from the daemon: it rotates them while it holds the claim. */
	bool from_daemon;
};

int sipreg_secret_init(struct sipreg_net *sn);
void sipreg_secret_exit(struct sipreg_net *sn);
void sipreg_secret_start(struct sipreg_net *sn);

/* Under rcu_read_lock(). */
static inline const struct sipreg_nonce_keys *
sipreg_secret_keys(struct sipreg_secrets *s)
{
	return &rcu_dereference(s->cur)->keys;
}

/* The daemon's keys (NONCE_KEYS_SET); the caller holds sn->lock. */
int sipreg_secret_set(struct sipreg_net *sn, const struct sipreg_mackey *cur,
		      const struct sipreg_mackey *prev, u32 gen);

#endif /* _SIPREG_SECRET_H */
