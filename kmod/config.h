/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_CONFIG_H
#define _SIPREG_CONFIG_H

#include <linux/rcupdate.h>
#include <linux/types.h>

#include "uapi/sipreg.h"

struct netlink_ext_ack;
struct nlattr;
struct sk_buff;
struct sipreg_net;

/*
 * The WWW-Authenticate fields of a 401, built when the configuration
 * changes: a request only fills in the nonce, at each slot.
 */
struct sipreg_challenge {
	u16 len;
	u16 slot[2];
	u8 nslots;
	char text[400];
};

/*
 * One namespace's configuration. Immutable once published: a change
 * builds a new copy and swaps the pointer, so the hook reads a consistent
 * set under RCU without any lock.
 */
struct sipreg_config {
	struct rcu_head rcu;
	u32 expires_min;
	u32 expires_default;
	u32 expires_max;
	u32 nonce_lifetime;
	u32 algs;		/* SIPREG_ALG_FLAG_* */
	u32 rate;
	u32 burst;
	u32 max_users;
	u32 max_bindings;
	u32 max_contacts;
	u16 ports[SIPREG_PORTS_MAX];
	u8 nports;
	u8 realm_len;
	u32 rate_global;	/* 401s per s for the namespace, 0 = off */
	bool fastpath;
	bool legacy_digest;	/* RFC 2069 answers (no qop) accepted */
	char realm[SIPREG_REALM_MAX + 1];
	struct sipreg_challenge challenge[2];	/* [stale] */
};

int sipreg_config_init(struct sipreg_net *sn);
void sipreg_config_exit(struct sipreg_net *sn);
int sipreg_config_set(struct sipreg_net *sn, const struct nlattr *nest,
		      struct netlink_ext_ack *extack);
int sipreg_config_fill(struct sk_buff *skb, const struct sipreg_config *cfg);

/* The caller holds sn->lock or rcu_read_lock(). */
const struct sipreg_config *sipreg_config_get(struct sipreg_net *sn);

static inline bool sipreg_config_has_port(const struct sipreg_config *cfg,
					  u16 port)
{
	unsigned int i;

	for (i = 0; i < cfg->nports; i++)
		if (cfg->ports[i] == port)
			return true;
	return false;
}

#endif /* _SIPREG_CONFIG_H */
