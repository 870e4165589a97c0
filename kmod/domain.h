/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_DOMAIN_H
#define _SIPREG_DOMAIN_H

#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>

#include "challenge.h"
#include "uapi/sipreg.h"

struct netlink_ext_ack;
struct sk_buff;
struct sipreg_config;
struct sipreg_net;

/*
 * A domain the fast path serves, with its realm and that realm's cached
 * challenge. Never changed once published: a change replaces the entry,
 * the old one is freed by RCU.
 */
struct sipreg_domain {
	struct rhash_head node;
	struct rcu_head rcu;
	struct list_head list;		/* sn->domain_list, under sn->lock */
	struct sipreg_domain *repl;	/* rechallenge: the next version */
	u8 name_len;
	u8 realm_len;
	char name[SIPREG_DOMAIN_MAX + 1];	/* lowercase */
	char realm[SIPREG_REALM_MAX + 1];
	struct sipreg_challenge challenge[2];	/* [stale] */
};

int sipreg_domain_init(struct sipreg_net *sn);
void sipreg_domain_exit(struct sipreg_net *sn);

/* Whether any domain is configured (the hook reads it without a lock). */
bool sipreg_domain_any(struct sipreg_net *sn);

/* Under rcu_read_lock(): @host in any case, not NUL-terminated. */
const struct sipreg_domain *sipreg_domain_lookup(struct sipreg_net *sn,
						 const u8 *host, size_t len);

/* Under sn->lock. @realm NULL: the name. Replaces the domain's realm. */
int sipreg_domain_add(struct sipreg_net *sn, const char *name,
		      const char *realm, struct netlink_ext_ack *extack);
int sipreg_domain_del(struct sipreg_net *sn, const char *name,
		      struct netlink_ext_ack *extack);
void sipreg_domain_flush(struct sipreg_net *sn);

/*
 * A configuration with other algorithms needs every domain's challenges
 * built again, all or nothing: _prepare() builds them for @cfg (or fails
 * with nothing changed), then either _commit() publishes them or
 * _abort() drops them. Under sn->lock throughout.
 */
int sipreg_domain_rechallenge_prepare(struct sipreg_net *sn,
				      const struct sipreg_config *cfg);
void sipreg_domain_rechallenge_commit(struct sipreg_net *sn);
void sipreg_domain_rechallenge_abort(struct sipreg_net *sn);

/* A DOMAIN nest with the name and realm. */
int sipreg_domain_fill(struct sk_buff *skb, const struct sipreg_domain *d);

#endif /* _SIPREG_DOMAIN_H */
