/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_CONFIG_H
#define _SIPREG_CONFIG_H

#include <linux/jump_label.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "challenge.h"
#include "uapi/sipreg.h"

struct netlink_ext_ack;
struct nlattr;
struct sk_buff;
struct sipreg_net;

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
	u32 algs_first;		/* one SIPREG_ALG_FLAG_*: challenged first */
	u32 rate;
	u32 burst;
	u32 max_users;
	u32 max_bindings;
	u32 max_contacts;
	u16 ports[SIPREG_PORTS_MAX];
	u8 nports;
	u8 realm_len;
	u32 rate_global;	/* 401s per s for the namespace, 0 = off */
	u32 busy_retry_after;	/* 503's Retry-After base, s; 0 = no 503 */
	u32 miss_queue_max;	/* messages queued to the daemon; 0 = any */
	u32 miss_queue_age;	/* ms its oldest may wait; 0 = any */
	u32 miss_queue_wait;	/* ms a new one may expect to; 0 = any */
	bool fastpath;
	bool enabled;		/* the namespace's admin switched it on */
	bool legacy_digest;	/* RFC 2069 answers (no qop) accepted */
	bool timing;		/* the hook times itself: see hook.c */
	char realm[SIPREG_REALM_MAX + 1];
	struct sipreg_challenge challenge[2];	/* [stale] */
};

int sipreg_config_init(struct sipreg_net *sn);
void sipreg_config_exit(struct sipreg_net *sn);
/*
 * A set is two steps under sn->lock: _build() returns the new
 * configuration (or an ERR_PTR, nothing changed), _publish() makes it
 * current; in between the caller may still give up with kfree().
 */
struct sipreg_config *sipreg_config_build(struct sipreg_net *sn,
					  const struct nlattr *nest,
					  struct netlink_ext_ack *extack);
void sipreg_config_publish(struct sipreg_net *sn, struct sipreg_config *cfg);
int sipreg_config_fill(struct sk_buff *skb, const struct sipreg_config *cfg);

/* Realms go into quoted strings of challenges: 1..64 printable, no " or \\. */
bool sipreg_realm_ok(const char *s, size_t len);

/*
 * On while any namespace's configuration has timing on: the hook reads
 * the clock only then, so timing off everywhere costs one patched-out
 * jump. A namespace with timing off pays a clock read while another has
 * it on, never a counter update.
 */
DECLARE_STATIC_KEY_FALSE(sipreg_timing_key);

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
