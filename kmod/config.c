// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace configuration. Readers (the hook) see an immutable struct
 * under RCU; a change copies it, applies every attribute, validates the
 * result as a whole and only then publishes it, so a set that fails
 * changes nothing.
 */
#include <linux/ctype.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "challenge.h"
#include "config.h"
#include "pernet.h"

static const struct sipreg_config sipreg_config_default = {
	.expires_min = 60,
	.expires_default = 3600,
	.expires_max = 7200,
	.nonce_lifetime = 300,
	.algs = SIPREG_ALG_FLAG_MD5 | SIPREG_ALG_FLAG_SHA256,
	.algs_first = SIPREG_ALG_FLAG_MD5,	/* see challenge.c */
	.rate = 20,
	.burst = 40,
	.max_users = 100000,
	.max_bindings = 1000000,
	.max_contacts = 10,
	.ports = { SIPREG_DEFAULT_PORT },
	.nports = 1,
	.realm = "sipreg",
	.realm_len = 6,
	.fastpath = true,
	.enabled = false,
	.rate_global = 1000,
	.busy_retry_after = 20,
	.miss_queue_wait = 2000,	/* SIPREG_ABSORB_MS: see drain.c */
	.timing = false,
};

DEFINE_STATIC_KEY_FALSE(sipreg_timing_key);

const struct sipreg_config *sipreg_config_get(struct sipreg_net *sn)
{
	return rcu_dereference_check(sn->config, lockdep_is_held(&sn->lock));
}

int sipreg_config_init(struct sipreg_net *sn)
{
	struct sipreg_config *cfg;

	cfg = kmemdup(&sipreg_config_default, sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return -ENOMEM;
	sipreg_challenge_build(cfg->challenge, cfg->realm, cfg->algs,
			       cfg->algs_first);
	RCU_INIT_POINTER(sn->config, cfg);
	return 0;
}

/* The hook is gone and no request can reach a dying namespace. */
void sipreg_config_exit(struct sipreg_net *sn)
{
	struct sipreg_config *cfg = rcu_dereference_protected(sn->config, true);

	if (cfg && cfg->timing)
		static_branch_dec(&sipreg_timing_key);
	kfree(cfg);
	RCU_INIT_POINTER(sn->config, NULL);
}

/* Realms go into quoted strings of challenges: no quote, no backslash. */
bool sipreg_realm_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len > SIPREG_REALM_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isprint(s[i]) || s[i] == '"' || s[i] == '\\')
			return false;
	return true;
}

static int set_ports(struct sipreg_config *cfg, const struct nlattr *nest,
		     struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	cfg->nports = 0;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != SIPREG_CONFIG_A_PORT)
			continue;
		if (cfg->nports == SIPREG_PORTS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "port: at most 4 ports");
			return -EINVAL;
		}
		cfg->ports[cfg->nports++] = nla_get_u16(a);
	}
	return 0;
}

static u32 get_u32(struct nlattr **tb, int type, u32 old)
{
	return tb[type] ? nla_get_u32(tb[type]) : old;
}

static int apply(struct sipreg_config *cfg, const struct nlattr *nest,
		 struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const struct nlattr *a = tb[SIPREG_CONFIG_A_REALM];
	int err;

	if (a) {
		if (!sipreg_realm_ok(nla_data(a), strlen(nla_data(a)))) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "realm: 1 to 64 printable characters, no quote or backslash");
			return -EINVAL;
		}
		cfg->realm_len = strscpy(cfg->realm, nla_data(a),
					 sizeof(cfg->realm));
	}
	if (tb[SIPREG_CONFIG_A_PORT]) {
		err = set_ports(cfg, nest, extack);
		if (err)
			return err;
	}
	cfg->expires_min = get_u32(tb, SIPREG_CONFIG_A_EXPIRES_MIN, cfg->expires_min);
	cfg->expires_default = get_u32(tb, SIPREG_CONFIG_A_EXPIRES_DEFAULT,
				       cfg->expires_default);
	cfg->expires_max = get_u32(tb, SIPREG_CONFIG_A_EXPIRES_MAX, cfg->expires_max);
	cfg->nonce_lifetime = get_u32(tb, SIPREG_CONFIG_A_NONCE_LIFETIME,
				      cfg->nonce_lifetime);
	cfg->algs = get_u32(tb, SIPREG_CONFIG_A_ALGS, cfg->algs);
	cfg->algs_first = get_u32(tb, SIPREG_CONFIG_A_ALGS_FIRST,
				  cfg->algs_first);
	cfg->rate = get_u32(tb, SIPREG_CONFIG_A_RATE, cfg->rate);
	cfg->burst = get_u32(tb, SIPREG_CONFIG_A_BURST, cfg->burst);
	cfg->max_users = get_u32(tb, SIPREG_CONFIG_A_MAX_USERS, cfg->max_users);
	cfg->max_bindings = get_u32(tb, SIPREG_CONFIG_A_MAX_BINDINGS,
				    cfg->max_bindings);
	cfg->max_contacts = get_u32(tb, SIPREG_CONFIG_A_MAX_CONTACTS,
				    cfg->max_contacts);
	if (tb[SIPREG_CONFIG_A_FASTPATH])
		cfg->fastpath = nla_get_u8(tb[SIPREG_CONFIG_A_FASTPATH]);
	if (tb[SIPREG_CONFIG_A_ENABLED])
		cfg->enabled = nla_get_u8(tb[SIPREG_CONFIG_A_ENABLED]);
	if (tb[SIPREG_CONFIG_A_LEGACY_DIGEST])
		cfg->legacy_digest = nla_get_u8(tb[SIPREG_CONFIG_A_LEGACY_DIGEST]);
	if (tb[SIPREG_CONFIG_A_TIMING])
		cfg->timing = nla_get_u8(tb[SIPREG_CONFIG_A_TIMING]);
	cfg->rate_global = get_u32(tb, SIPREG_CONFIG_A_RATE_GLOBAL, cfg->rate_global);
	cfg->busy_retry_after = get_u32(tb, SIPREG_CONFIG_A_BUSY_RETRY_AFTER,
					cfg->busy_retry_after);
	cfg->miss_queue_max = get_u32(tb, SIPREG_CONFIG_A_MISS_QUEUE_MAX,
				      cfg->miss_queue_max);
	cfg->miss_queue_age = get_u32(tb, SIPREG_CONFIG_A_MISS_QUEUE_AGE,
				      cfg->miss_queue_age);
	cfg->miss_queue_wait = get_u32(tb, SIPREG_CONFIG_A_MISS_QUEUE_WAIT,
				       cfg->miss_queue_wait);
	return 0;
}

/* Checks that span attributes: the policy has checked each one alone. */
static int validate(const struct sipreg_config *cfg, struct nlattr **tb,
		    struct netlink_ext_ack *extack)
{
	if (cfg->expires_min > cfg->expires_default ||
	    cfg->expires_default > cfg->expires_max) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPREG_CONFIG_A_EXPIRES_MIN] ?:
				    tb[SIPREG_CONFIG_A_EXPIRES_DEFAULT] ?:
				    tb[SIPREG_CONFIG_A_EXPIRES_MAX],
				    "expires: need expires-min <= expires-default <= expires-max");
		return -EINVAL;
	}
	if (!cfg->algs) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPREG_CONFIG_A_ALGS],
				    "algorithms: offer at least one");
		return -EINVAL;
	}
	if (cfg->rate && cfg->burst < cfg->rate) {
		NL_SET_ERR_MSG_ATTR(extack, tb[SIPREG_CONFIG_A_BURST] ?:
				    tb[SIPREG_CONFIG_A_RATE],
				    "burst: must be at least rate");
		return -EINVAL;
	}
	return 0;
}

struct sipreg_config *sipreg_config_build(struct sipreg_net *sn,
					  const struct nlattr *nest,
					  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SIPREG_CONFIG_A_MAX + 1];
	struct sipreg_config *cfg;
	int err;

	lockdep_assert_held(&sn->lock);
	/* The family policy has validated the nest already. */
	err = nla_parse_nested(tb, SIPREG_CONFIG_A_MAX, nest, NULL, extack);
	if (err)
		return ERR_PTR(err);
	cfg = kmemdup(sipreg_config_get(sn), sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	err = apply(cfg, nest, tb, extack);
	if (!err)
		err = validate(cfg, tb, extack);
	if (err) {
		kfree(cfg);
		return ERR_PTR(err);
	}
	sipreg_challenge_build(cfg->challenge, cfg->realm, cfg->algs,
			       cfg->algs_first);
	return cfg;
}

void sipreg_config_publish(struct sipreg_net *sn, struct sipreg_config *cfg)
{
	struct sipreg_config *old;

	old = rcu_replace_pointer(sn->config, cfg, lockdep_is_held(&sn->lock));
	/* One count per namespace with timing on; process context, may sleep. */
	if (cfg->timing && !old->timing)
		static_branch_inc(&sipreg_timing_key);
	else if (!cfg->timing && old->timing)
		static_branch_dec(&sipreg_timing_key);
	kfree_rcu(old, rcu);
}

int sipreg_config_fill(struct sk_buff *skb, const struct sipreg_config *cfg)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, SIPREG_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, SIPREG_CONFIG_A_REALM, cfg->realm))
		goto err_cancel;
	for (i = 0; i < cfg->nports; i++)
		if (nla_put_u16(skb, SIPREG_CONFIG_A_PORT, cfg->ports[i]))
			goto err_cancel;
	if (nla_put_u32(skb, SIPREG_CONFIG_A_EXPIRES_MIN, cfg->expires_min) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_EXPIRES_DEFAULT, cfg->expires_default) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_EXPIRES_MAX, cfg->expires_max) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_NONCE_LIFETIME, cfg->nonce_lifetime) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_ALGS, cfg->algs) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_RATE, cfg->rate) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_BURST, cfg->burst) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_MAX_USERS, cfg->max_users) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_MAX_BINDINGS, cfg->max_bindings) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_MAX_CONTACTS, cfg->max_contacts) ||
	    nla_put_u8(skb, SIPREG_CONFIG_A_FASTPATH, cfg->fastpath) ||
	    nla_put_u8(skb, SIPREG_CONFIG_A_ENABLED, cfg->enabled) ||
	    nla_put_u8(skb, SIPREG_CONFIG_A_LEGACY_DIGEST, cfg->legacy_digest) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_RATE_GLOBAL, cfg->rate_global) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_ALGS_FIRST, cfg->algs_first) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_BUSY_RETRY_AFTER,
			cfg->busy_retry_after) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_MISS_QUEUE_MAX,
			cfg->miss_queue_max) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_MISS_QUEUE_AGE,
			cfg->miss_queue_age) ||
	    nla_put_u32(skb, SIPREG_CONFIG_A_MISS_QUEUE_WAIT,
			cfg->miss_queue_wait) ||
	    nla_put_u8(skb, SIPREG_CONFIG_A_TIMING, cfg->timing))
		goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
