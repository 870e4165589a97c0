/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_PERNET_H
#define _SIPREG_PERNET_H

#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "absorb.h"
#include "drain.h"
#include "refreshq.h"
#include "secret.h"
#include "stats.h"

struct sipreg_config;

/* Everything sipreg keeps for one network namespace. */
struct sipreg_net {
	struct net *net;
	struct sipreg_pcpu_stats __percpu *stats;
	struct sipreg_config __rcu *config;
	struct rhashtable users;
	struct rhashtable bindings;
	struct rhashtable domains;
	struct list_head domain_list;	/* the same domains, under lock */
	/* Serialises every writer of config, users, bindings, domains, stats_base. */
	struct mutex lock;
	unsigned int nusers;		/* under lock */
	unsigned int nbindings;		/* contacts, under lock */
	unsigned int ndomains;		/* written under lock */
	/* Bumped by every table change: dumps that see it move say so. */
	atomic_t gen;
	u32 daemon_portid;		/* 0: no daemon; under lock */
	struct sock __rcu *daemon_sk;	/* the claiming socket, held */
	bool hooked;			/* hooks registered; under lock */
	struct delayed_work expiry_work;
	struct rhashtable_iter expiry_iter;
	bool expiry_walking;		/* expiry_iter is entered */
	u64 expiry_now;			/* when the current walk began */
	struct sipreg_stats_snap *stats_base; /* under lock */
	struct sipreg_secrets secrets;	/* nonce keys */
	struct sipreg_refreshq refreshq;	/* refreshed events, batched */
	atomic64_t challenge_tat;	/* the namespace's 401 budget: ratelimiter.c */
	struct sipreg_absorb absorb;	/* misses just queued: absorb.c */
	struct sipreg_drain drain;	/* the daemon's speed: drain.c */
};

extern unsigned int sipreg_net_id;

static inline struct sipreg_net *sipreg_pernet(const struct net *net)
{
	return net_generic(net, sipreg_net_id);
}

static inline void sipreg_pernet_changed(struct sipreg_net *sn)
{
	lockdep_assert_held(&sn->lock);
	atomic_inc(&sn->gen);
}

struct netlink_ext_ack;
struct nlattr;

/* CONFIG_SET, under sn->lock: all or nothing, the hook included. */
int sipreg_pernet_configure(struct sipreg_net *sn, const struct nlattr *nest,
			    struct netlink_ext_ack *extack);

int sipreg_pernet_register(void);
void sipreg_pernet_unregister(void);

#endif /* _SIPREG_PERNET_H */
