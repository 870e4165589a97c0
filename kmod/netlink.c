// SPDX-License-Identifier: GPL-2.0
/*
 * The "sipreg" generic netlink family. Every request is served in the
 * network namespace of the socket that sent it; every write needs
 * CAP_NET_ADMIN in the user namespace that owns it (GENL_UNS_ADMIN_PERM),
 * so a container's admin runs its own gateway and nobody else's. So does
 * every read of users and bindings and joining the events group (they
 * hold every phone's contact, address, Call-ID and CSeq); statistics and
 * configuration are readable by anyone. kmod/uapi/sipreg.yaml describes the same policies.
 */
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "binding.h"
#include "compat.h"
#include "config.h"
#include "domain.h"
#include "netlink.h"
#include "notify.h"
#include "parser.h"
#include "pernet.h"
#include "secret.h"
#include "user.h"

static struct genl_family sipreg_family;

/*
 * True outside sipreg_genl_open() .. sipreg_genl_close(): while the
 * namespaces' state is being set up or torn down, requests are refused.
 * Written under genl_lock(), which every request of this (not parallel)
 * family holds.
 */
static bool closed = true;

enum { SIPREG_MCGRP_EVENTS };

/* Events carry contacts, addresses, Call-IDs: admins of the namespace only. */
static const struct genl_multicast_group sipreg_mcgrps[] = {
	[SIPREG_MCGRP_EVENTS] = {
		.name = SIPREG_GENL_MCGRP_EVENTS,
		.flags = SIPREG_MCAST_ADMIN,
	},
};

/* Not const: 6.1's struct nla_policy points to a mutable one. */
static struct netlink_range_validation expires_range = {
	.min = 1, .max = SIPREG_EXPIRES_LIMIT,
};

static struct netlink_range_validation nonce_range = {
	.min = 1, .max = SIPREG_NONCE_LIFETIME_LIMIT,
};

static struct netlink_range_validation busy_range = {
	.min = 0, .max = SIPREG_BUSY_RETRY_AFTER_LIMIT,
};

static struct netlink_range_validation miss_queue_max_range = {
	.min = 0, .max = SIPREG_MISS_QUEUE_MAX_LIMIT,
};

static struct netlink_range_validation miss_queue_age_range = {
	.min = 0, .max = SIPREG_MISS_QUEUE_AGE_LIMIT,
};

static struct netlink_range_validation miss_queue_wait_range = {
	.min = 0, .max = SIPREG_MISS_QUEUE_WAIT_LIMIT,
};

static struct netlink_range_validation rate_range = {
	.min = 0, .max = 1000000,
};

static struct netlink_range_validation table_range = {
	.min = 1, .max = SIPREG_TABLE_LIMIT,
};

static const struct nla_policy config_policy[SIPREG_CONFIG_A_MAX + 1] = {
	[SIPREG_CONFIG_A_REALM] = { .type = NLA_NUL_STRING,
				    .len = SIPREG_REALM_MAX },
	[SIPREG_CONFIG_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[SIPREG_CONFIG_A_EXPIRES_MIN] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &expires_range),
	[SIPREG_CONFIG_A_EXPIRES_DEFAULT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &expires_range),
	[SIPREG_CONFIG_A_EXPIRES_MAX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &expires_range),
	[SIPREG_CONFIG_A_NONCE_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &nonce_range),
	[SIPREG_CONFIG_A_ALGS] =
		NLA_POLICY_MASK(NLA_U32, SIPREG_ALG_FLAG_MD5 |
					 SIPREG_ALG_FLAG_SHA256),
	[SIPREG_CONFIG_A_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &rate_range),
	[SIPREG_CONFIG_A_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32, &rate_range),
	[SIPREG_CONFIG_A_MAX_USERS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &table_range),
	[SIPREG_CONFIG_A_MAX_BINDINGS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &table_range),
	[SIPREG_CONFIG_A_MAX_CONTACTS] =
		NLA_POLICY_RANGE(NLA_U32, 1, SIPREG_CONTACTS_LIMIT),
	[SIPREG_CONFIG_A_FASTPATH] = NLA_POLICY_MAX(NLA_U8, 1),
	[SIPREG_CONFIG_A_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[SIPREG_CONFIG_A_LEGACY_DIGEST] = NLA_POLICY_MAX(NLA_U8, 1),
	[SIPREG_CONFIG_A_RATE_GLOBAL] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &rate_range),
	/* one flag: with two algorithms, the range is exactly their flags */
	[SIPREG_CONFIG_A_ALGS_FIRST] =
		NLA_POLICY_RANGE(NLA_U32, SIPREG_ALG_FLAG_MD5,
				 SIPREG_ALG_FLAG_SHA256),
	[SIPREG_CONFIG_A_BUSY_RETRY_AFTER] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &busy_range),
	[SIPREG_CONFIG_A_TIMING] = NLA_POLICY_MAX(NLA_U8, 1),
	[SIPREG_CONFIG_A_MISS_QUEUE_MAX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &miss_queue_max_range),
	[SIPREG_CONFIG_A_MISS_QUEUE_AGE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &miss_queue_age_range),
	[SIPREG_CONFIG_A_MISS_QUEUE_WAIT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &miss_queue_wait_range),
};

static const struct nla_policy user_policy[SIPREG_USER_A_MAX + 1] = {
	[SIPREG_USER_A_NAME] = { .type = NLA_NUL_STRING,
				 .len = SIPREG_USER_MAX },
	[SIPREG_USER_A_REALM] = { .type = NLA_NUL_STRING,
				  .len = SIPREG_REALM_MAX },
	[SIPREG_USER_A_HA1_MD5] = NLA_POLICY_EXACT_LEN(SIPREG_HA1_MD5_LEN),
	[SIPREG_USER_A_HA1_SHA256] =
		NLA_POLICY_EXACT_LEN(SIPREG_HA1_SHA256_LEN),
	[SIPREG_USER_A_ALGS] = { .type = NLA_REJECT },
};

static const struct nla_policy contact_policy[SIPREG_CONTACT_A_MAX + 1] = {
	[SIPREG_CONTACT_A_PAD] = { .type = NLA_REJECT },
	[SIPREG_CONTACT_A_URI] = { .type = NLA_NUL_STRING,
				   .len = SIPREG_URI_MAX },
	[SIPREG_CONTACT_A_CALL_ID] = { .type = NLA_NUL_STRING,
				       .len = SIPREG_CALL_ID_MAX },
	[SIPREG_CONTACT_A_CSEQ] = { .type = NLA_U32 },
	[SIPREG_CONTACT_A_EXPIRES] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &expires_range),
	[SIPREG_CONTACT_A_EXPIRES_AT] = { .type = NLA_REJECT },
	[SIPREG_CONTACT_A_ADDR4] = NLA_POLICY_EXACT_LEN(4),
	[SIPREG_CONTACT_A_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[SIPREG_CONTACT_A_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[SIPREG_CONTACT_A_NC] = { .type = NLA_U32 },
	[SIPREG_CONTACT_A_Q] = NLA_POLICY_MAX(NLA_U16, SIPREG_Q_MAX),
	[SIPREG_CONTACT_A_NONCE_TIME] = { .type = NLA_U64 },
};

static const struct nla_policy binding_policy[SIPREG_BINDING_A_MAX + 1] = {
	[SIPREG_BINDING_A_AOR] = { .type = NLA_NUL_STRING,
				   .len = SIPREG_AOR_MAX },
	[SIPREG_BINDING_A_CONTACT] = NLA_POLICY_NESTED(contact_policy),
};

static const struct nla_policy nonce_keys_policy[SIPREG_NONCE_KEYS_A_MAX + 1] = {
	[SIPREG_NONCE_KEYS_A_CUR] = NLA_POLICY_EXACT_LEN(16),
	[SIPREG_NONCE_KEYS_A_PREV] = NLA_POLICY_EXACT_LEN(16),
	[SIPREG_NONCE_KEYS_A_GEN] = { .type = NLA_U32 },
};

static const struct nla_policy domain_policy[SIPREG_DOMAIN_A_MAX + 1] = {
	[SIPREG_DOMAIN_A_NAME] = { .type = NLA_NUL_STRING,
				   .len = SIPREG_DOMAIN_MAX },
	[SIPREG_DOMAIN_A_REALM] = { .type = NLA_NUL_STRING,
				    .len = SIPREG_REALM_MAX },
};

/* Kernel-to-user attributes are rejected in requests. */
static const struct nla_policy sipreg_policy[SIPREG_A_MAX + 1] = {
	[SIPREG_A_PAD] = { .type = NLA_REJECT },
	[SIPREG_A_STATS] = { .type = NLA_REJECT },
	[SIPREG_A_STATS_VERDICT] = { .type = NLA_REJECT },
	[SIPREG_A_STATS_MISS] = { .type = NLA_REJECT },
	[SIPREG_A_CONFIG] = NLA_POLICY_NESTED(config_policy),
	[SIPREG_A_USER] = NLA_POLICY_NESTED(user_policy),
	[SIPREG_A_BINDING] = NLA_POLICY_NESTED(binding_policy),
	[SIPREG_A_MISS] = { .type = NLA_REJECT },
	[SIPREG_A_EVENT] = { .type = NLA_REJECT },
	[SIPREG_A_NONCE_KEYS] = NLA_POLICY_NESTED(nonce_keys_policy),
	[SIPREG_A_DOMAIN] = NLA_POLICY_NESTED(domain_policy),
	[SIPREG_A_CLAIM] = { .type = NLA_U32 },
};

static struct sipreg_net *info_sn(struct genl_info *info)
{
	return sipreg_pernet(genl_info_net(info));
}

/* A reply to @info with room for @size bytes of attributes. */
static struct sk_buff *reply_new(struct genl_info *info, size_t size,
				 void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &sipreg_family,
				 0, info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info,
		      int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* ---- statistics ---- */

static int put_counters(struct sk_buff *skb, int type, const u64 *val,
			unsigned int n, unsigned int first, int offset, int pad)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = first; i < n; i++) {
		if (nla_put_u64_64bit(skb, i + offset, val[i], pad)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_stats(struct sk_buff *skb, const struct sipreg_stats_snap *s)
{
	return put_counters(skb, SIPREG_A_STATS, s->cnt, ARRAY_SIZE(s->cnt),
			    SIPREG_STAT_PAD + 1, 0, SIPREG_STAT_PAD) ?:
	       put_counters(skb, SIPREG_A_STATS_VERDICT, s->verdict,
			    SIPREG_VERDICT_MAX, 0, 1, 0) ?:
	       put_counters(skb, SIPREG_A_STATS_MISS, s->miss,
			    ARRAY_SIZE(s->miss), SIPREG_MISS_UNSPEC + 1, 0,
			    SIPREG_MISS_UNSPEC);
}

static int sipreg_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	struct sipreg_stats_snap *snap;
	struct sk_buff *msg;
	void *hdr;
	int err;

	snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	msg = reply_new(info, NLMSG_DEFAULT_SIZE, &hdr);
	if (!msg) {
		kfree(snap);
		return -ENOMEM;
	}
	sipreg_stats_read(sn->stats, snap);
	mutex_lock(&sn->lock);
	sipreg_stats_sub(snap, sn->stats_base);
	mutex_unlock(&sn->lock);
	err = put_stats(msg, snap);
	kfree(snap);
	return reply_send(msg, hdr, info, err);
}

/* Counters keep running; a reset only moves the baseline reads subtract. */
static int sipreg_nl_stats_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);

	mutex_lock(&sn->lock);
	sipreg_stats_read(sn->stats, sn->stats_base);
	mutex_unlock(&sn->lock);
	return 0;
}

/* ---- configuration ---- */

static int sipreg_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = reply_new(info, NLMSG_DEFAULT_SIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	err = sipreg_config_fill(msg, sipreg_config_get(sn));
	rcu_read_unlock();
	return reply_send(msg, hdr, info, err);
}

static int sipreg_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SIPREG_A_CONFIG))
		return -EINVAL;
	mutex_lock(&sn->lock);
	err = sipreg_pernet_configure(sn, info->attrs[SIPREG_A_CONFIG],
				      info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

/* ---- events ---- */

bool sipreg_netlink_has_listeners(struct sipreg_net *sn)
{
	return genl_has_listeners(&sipreg_family, sn->net, SIPREG_MCGRP_EVENTS);
}

struct sk_buff *sipreg_netlink_event_new(struct sipreg_net *sn, u8 cmd,
					 u32 event, size_t size, gfp_t gfp,
					 void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&sipreg_family, sn->net, SIPREG_MCGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(size, gfp);
	if (!skb)
		goto err_count;
	*hdr = genlmsg_put(skb, 0, 0, &sipreg_family, 0, cmd);
	if (!*hdr || nla_put_u32(skb, SIPREG_A_EVENT, event)) {
		nlmsg_free(skb);
		goto err_count;
	}
	return skb;

err_count:
	sipreg_stats_inc_any(sn->stats, SIPREG_STAT_EVENTS_DROPPED);
	return NULL;
}

void sipreg_netlink_event_send(struct sipreg_net *sn, struct sk_buff *skb,
			       void *hdr, int err, gfp_t gfp)
{
	if (err) {
		nlmsg_free(skb);
	} else {
		genlmsg_end(skb, hdr);
		err = genlmsg_multicast_netns(&sipreg_family, sn->net, skb, 0,
					      SIPREG_MCGRP_EVENTS, gfp);
	}
	/* -ESRCH: the last listener left meanwhile. */
	if (err && err != -ESRCH)
		sipreg_stats_inc_any(sn->stats, SIPREG_STAT_EVENTS_DROPPED);
}

static void notify_user(struct sipreg_net *sn, u32 event, const char *name,
			const char *realm)
{
	struct sk_buff *skb;
	void *hdr;

	/* a page per event was 4 KB of the listener's buffer per user */
	skb = sipreg_netlink_event_new(sn, SIPREG_CMD_USER_NTF, event,
				       nla_total_size(sizeof(u32)) +
				       nla_total_size(0) +
				       nla_total_size(SIPREG_USER_MAX + 1) +
				       nla_total_size(SIPREG_REALM_MAX + 1),
				       GFP_KERNEL, &hdr);
	if (skb)
		sipreg_netlink_event_send(sn, skb, hdr,
					  name ? sipreg_user_fill(skb, name, realm, 0) : 0,
					  GFP_KERNEL);
}

/* ---- table changes (notify.h) ---- */

void sipreg_notify_binding(struct sipreg_net *sn, u32 event,
			   const struct sipreg_binding *b, int only, gfp_t gfp)
{
	struct sk_buff *skb;
	void *hdr;

	skb = sipreg_netlink_event_new(sn, SIPREG_CMD_BINDING_NTF, event,
				       sipreg_binding_msg_size(only < 0 ?
							       b->ncontacts : 1),
				       gfp, &hdr);
	if (skb)
		sipreg_netlink_event_send(sn, skb, hdr,
					  sipreg_binding_fill(skb, b, only), gfp);
}

void sipreg_notify_refreshed(struct sipreg_net *sn,
			     const struct sipreg_binding *b, int idx)
{
	sipreg_refreshq_add(sn, b, idx);
}

/* ---- who owns users and domains ---- */

/*
 * While a daemon holds the claim, its store is the one authority for
 * users and domains: anything else written here would be undone by its
 * next push, or would serve what the daemon does not know. Its own
 * requests carry the claim's portid (SIPREG_A_CLAIM). A guard against
 * mistakes, not against an admin: any admin may read the portid. The
 * text is not formatted: with the portid it would pass the 80 bytes of
 * a formatted extack message.
 */
static int owner_check(struct sipreg_net *sn, struct genl_info *info)
{
	const struct nlattr *a = info->attrs[SIPREG_A_CLAIM];
	u32 claim = READ_ONCE(sn->daemon_portid);

	lockdep_assert_held(&sn->lock);
	if (!claim || (a && nla_get_u32(a) == claim))
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, a,
			    "users and domains belong to sipregd while it is attached: use 'sipregd user add|del'");
	return -EBUSY;
}

/* ---- users ---- */

/* Parses the USER nest; NAME and REALM are required and not empty. */
static int parse_user(struct genl_info *info, struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[SIPREG_A_USER];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SIPREG_A_USER))
		return -EINVAL;
	err = nla_parse_nested(tb, SIPREG_USER_A_MAX, nest, user_policy,
			       info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, SIPREG_USER_A_NAME) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, SIPREG_USER_A_REALM))
		return -EINVAL;
	if (!*(char *)nla_data(tb[SIPREG_USER_A_NAME])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SIPREG_USER_A_NAME],
				    "user: empty name");
		return -EINVAL;
	}
	if (!*(char *)nla_data(tb[SIPREG_USER_A_REALM])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SIPREG_USER_A_REALM],
				    "user: empty realm");
		return -EINVAL;
	}
	return 0;
}

static int sipreg_nl_user_add(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	struct nlattr *tb[SIPREG_USER_A_MAX + 1];
	const char *name, *realm;
	int err;

	err = parse_user(info, tb);
	if (err)
		return err;
	if (!tb[SIPREG_USER_A_HA1_MD5] && !tb[SIPREG_USER_A_HA1_SHA256]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SIPREG_A_USER],
				    "user: give ha1-md5, ha1-sha256 or both");
		return -EINVAL;
	}
	name = nla_data(tb[SIPREG_USER_A_NAME]);
	realm = nla_data(tb[SIPREG_USER_A_REALM]);
	mutex_lock(&sn->lock);
	err = owner_check(sn, info) ?:
	      sipreg_user_add(sn, name, realm,
			      tb[SIPREG_USER_A_HA1_MD5] ?
			      nla_data(tb[SIPREG_USER_A_HA1_MD5]) : NULL,
			      tb[SIPREG_USER_A_HA1_SHA256] ?
			      nla_data(tb[SIPREG_USER_A_HA1_SHA256]) : NULL,
			      info->nlhdr->nlmsg_flags & NLM_F_EXCL,
			      info->extack);
	mutex_unlock(&sn->lock);
	if (!err)
		notify_user(sn, SIPREG_EVENT_USER_ADDED, name, realm);
	return err;
}

static int sipreg_nl_user_del(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	struct nlattr *tb[SIPREG_USER_A_MAX + 1];
	const char *name, *realm;
	int err;

	err = parse_user(info, tb);
	if (err)
		return err;
	name = nla_data(tb[SIPREG_USER_A_NAME]);
	realm = nla_data(tb[SIPREG_USER_A_REALM]);
	mutex_lock(&sn->lock);
	err = owner_check(sn, info);
	if (!err)
		err = sipreg_user_del(sn, name, realm);
	mutex_unlock(&sn->lock);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_MOD(info->extack, "user: no such user in this realm");
	if (!err)
		notify_user(sn, SIPREG_EVENT_USER_DELETED, name, realm);
	return err;
}

static int sipreg_nl_user_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	int err;

	mutex_lock(&sn->lock);
	err = owner_check(sn, info);
	if (!err)
		sipreg_user_flush(sn);
	mutex_unlock(&sn->lock);
	if (!err)
		notify_user(sn, SIPREG_EVENT_USERS_FLUSHED, NULL, NULL);
	return err;
}

/* ---- domains ---- */

/* Parses the DOMAIN nest; NAME is required. */
static int parse_domain(struct genl_info *info, struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[SIPREG_A_DOMAIN];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SIPREG_A_DOMAIN))
		return -EINVAL;
	err = nla_parse_nested(tb, SIPREG_DOMAIN_A_MAX, nest, domain_policy,
			       info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, SIPREG_DOMAIN_A_NAME))
		return -EINVAL;
	return 0;
}

static int sipreg_nl_domain_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SIPREG_DOMAIN_A_MAX + 1];
	struct sipreg_net *sn = info_sn(info);
	int err;

	err = parse_domain(info, tb);
	if (err)
		return err;
	mutex_lock(&sn->lock);
	err = owner_check(sn, info) ?:
	      sipreg_domain_add(sn, nla_data(tb[SIPREG_DOMAIN_A_NAME]),
				tb[SIPREG_DOMAIN_A_REALM] ?
				nla_data(tb[SIPREG_DOMAIN_A_REALM]) : NULL,
				info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

static int sipreg_nl_domain_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SIPREG_DOMAIN_A_MAX + 1];
	struct sipreg_net *sn = info_sn(info);
	int err;

	err = parse_domain(info, tb);
	if (err)
		return err;
	mutex_lock(&sn->lock);
	err = owner_check(sn, info) ?:
	      sipreg_domain_del(sn, nla_data(tb[SIPREG_DOMAIN_A_NAME]),
				info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

static int sipreg_nl_domain_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	int err;

	mutex_lock(&sn->lock);
	err = owner_check(sn, info);
	if (!err)
		sipreg_domain_flush(sn);
	mutex_unlock(&sn->lock);
	return err;
}

/* ---- dumps: a table walk that survives across calls ---- */

static struct sipreg_net *cb_sn(struct netlink_callback *cb)
{
	return sipreg_pernet(sock_net(cb->skb->sk));
}

/*
 * Under the genl lock like a doit; a dump in progress holds a module
 * reference, so only a start can come before the namespaces' state does.
 */
static int dump_start(struct netlink_callback *cb, struct rhashtable *ht)
{
	struct rhashtable_iter *iter;

	if (closed)
		return -ESHUTDOWN;
	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(ht, iter);
	cb->args[0] = (long)iter;
	return 0;
}

static int sipreg_nl_user_start(struct netlink_callback *cb)
{
	return dump_start(cb, closed ? NULL : &cb_sn(cb)->users);
}

static int sipreg_nl_binding_start(struct netlink_callback *cb)
{
	/* Room for the largest AOR in every part of the dump. */
	cb->min_dump_alloc = sipreg_binding_msg_size(SIPREG_CONTACTS_LIMIT);
	return dump_start(cb, closed ? NULL : &cb_sn(cb)->bindings);
}

static int sipreg_nl_domain_start(struct netlink_callback *cb)
{
	return dump_start(cb, closed ? NULL : &cb_sn(cb)->domains);
}

static int sipreg_nl_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (void *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

typedef int (*fill_fn)(struct sk_buff *skb, const void *obj);

static int fill_user(struct sk_buff *skb, const void *obj)
{
	const struct sipreg_user *u = obj;

	return sipreg_user_fill(skb, u->str, sipreg_user_realm(u), u->algs);
}

static int fill_domain(struct sk_buff *skb, const void *obj)
{
	return sipreg_domain_fill(skb, obj);
}

static int fill_binding(struct sk_buff *skb, const void *obj)
{
	return sipreg_binding_fill(skb, obj, -1);
}

/*
 * One part of a dump. An object that does not fit stays current in the
 * walk (rhashtable_walk_peek() finds it again). NLM_F_DUMP_INTR tells
 * userspace when a table changed between parts.
 */
static int dump(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd,
		fill_fn fill)
{
	struct rhashtable_iter *iter = (void *)cb->args[0];
	struct sipreg_net *sn = cb_sn(cb);
	void *obj, *hdr;
	int err = 0;

	cb->seq = atomic_read(&sn->gen);
	rhashtable_walk_start(iter);
	for (obj = rhashtable_walk_peek(iter); obj;
	     obj = rhashtable_walk_next(iter)) {
		if (IS_ERR(obj))
			continue;	/* -EAGAIN: the table was resized */
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &sipreg_family,
				  NLM_F_MULTI, cmd);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		err = fill(skb, obj);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rhashtable_walk_stop(iter);
	/* Not even one object fitted in an empty message: give up. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int sipreg_nl_user_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump(skb, cb, SIPREG_CMD_USER_GET, fill_user);
}

static int sipreg_nl_domain_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return dump(skb, cb, SIPREG_CMD_DOMAIN_GET, fill_domain);
}

static int sipreg_nl_binding_dump(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	return dump(skb, cb, SIPREG_CMD_BINDING_GET, fill_binding);
}

/* ---- bindings ---- */

static int count_type(const struct nlattr *nest, int type)
{
	const struct nlattr *a;
	int rem, n = 0;

	nla_for_each_nested(a, nest, rem)
		n += nla_type(a) == type;
	return n;
}

static int parse_binding(struct genl_info *info, struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[SIPREG_A_BINDING];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SIPREG_A_BINDING))
		return -EINVAL;
	err = nla_parse_nested(tb, SIPREG_BINDING_A_MAX, nest, binding_policy,
			       info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, SIPREG_BINDING_A_AOR))
		return -EINVAL;
	if (!*(char *)nla_data(tb[SIPREG_BINDING_A_AOR])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SIPREG_BINDING_A_AOR],
				    "binding: empty AOR");
		return -EINVAL;
	}
	if (count_type(nest, SIPREG_BINDING_A_CONTACT) > 1) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SIPREG_BINDING_A_CONTACT],
				    "binding: one contact per request");
		return -EINVAL;
	}
	return 0;
}

static int parse_contact(struct genl_info *info, struct nlattr *nest,
			 struct nlattr **tb, bool full)
{
	static const int required[] = {
		SIPREG_CONTACT_A_URI, SIPREG_CONTACT_A_CALL_ID,
		SIPREG_CONTACT_A_CSEQ, SIPREG_CONTACT_A_EXPIRES,
	};
	const struct nlattr *uri;
	int err, i;

	err = nla_parse_nested(tb, SIPREG_CONTACT_A_MAX, nest, contact_policy,
			       info->extack);
	if (err)
		return err;
	for (i = 0; i < (full ? ARRAY_SIZE(required) : 1); i++)
		if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, required[i]))
			return -EINVAL;
	if (!*(char *)nla_data(tb[SIPREG_CONTACT_A_URI]) ||
	    (full && !*(char *)nla_data(tb[SIPREG_CONTACT_A_CALL_ID]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "contact: empty uri or call-id");
		return -EINVAL;
	}
	uri = tb[SIPREG_CONTACT_A_URI];
	if (full && !sipreg_contact_uri_valid(nla_data(uri),
					      strlen(nla_data(uri)))) {
		NL_SET_ERR_MSG_ATTR(info->extack, uri,
				    "contact: not a SIP URI (scheme:... without <>)");
		return -EINVAL;
	}
	if (tb[SIPREG_CONTACT_A_ADDR4] && tb[SIPREG_CONTACT_A_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SIPREG_CONTACT_A_ADDR6],
				    "contact: addr4 and addr6 are exclusive");
		return -EINVAL;
	}
	return 0;
}

/*
 * The nonce NC counts for: the one given (sipregd passes the nonce of the
 * request it answered), else the time of the install. Then a REGISTER
 * captured with an older nonce is refused by the fast path whatever its
 * count, instead of being taken once because nothing was known.
 */
static void contact_from_attrs(struct sipreg_contact *c, struct nlattr **tb)
{
	u64 now = ktime_get_boottime_seconds();

	memset(c, 0, sizeof(*c));
	c->cseq = nla_get_u32(tb[SIPREG_CONTACT_A_CSEQ]);
	c->expires = now + nla_get_u32(tb[SIPREG_CONTACT_A_EXPIRES]);
	if (tb[SIPREG_CONTACT_A_NC])
		c->nc = nla_get_u32(tb[SIPREG_CONTACT_A_NC]);
	c->nonce_time = tb[SIPREG_CONTACT_A_NONCE_TIME] ?
			nla_get_u64(tb[SIPREG_CONTACT_A_NONCE_TIME]) :
			div_u64(ktime_get_real_ns(), NSEC_PER_USEC);
	c->q = tb[SIPREG_CONTACT_A_Q] ?
	       nla_get_u16(tb[SIPREG_CONTACT_A_Q]) : SIPREG_Q_MAX;
	if (tb[SIPREG_CONTACT_A_PORT])
		c->port = nla_get_u16(tb[SIPREG_CONTACT_A_PORT]);
	if (tb[SIPREG_CONTACT_A_ADDR4]) {
		c->family = AF_INET;
		c->addr.v4 = nla_get_in_addr(tb[SIPREG_CONTACT_A_ADDR4]);
	} else if (tb[SIPREG_CONTACT_A_ADDR6]) {
		c->family = AF_INET6;
		c->addr.v6 = nla_get_in6_addr(tb[SIPREG_CONTACT_A_ADDR6]);
	}
}

static int sipreg_nl_binding_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *ctb[SIPREG_CONTACT_A_MAX + 1];
	struct nlattr *tb[SIPREG_BINDING_A_MAX + 1];
	struct sipreg_net *sn = info_sn(info);
	struct sipreg_contact c;
	int err;

	err = parse_binding(info, tb);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[SIPREG_A_BINDING], tb,
			      SIPREG_BINDING_A_CONTACT))
		return -EINVAL;
	err = parse_contact(info, tb[SIPREG_BINDING_A_CONTACT], ctb, true);
	if (err)
		return err;
	contact_from_attrs(&c, ctb);
	mutex_lock(&sn->lock);
	err = sipreg_binding_add(sn, nla_data(tb[SIPREG_BINDING_A_AOR]), &c,
				 nla_data(ctb[SIPREG_CONTACT_A_URI]),
				 nla_data(ctb[SIPREG_CONTACT_A_CALL_ID]),
				 info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

static int sipreg_nl_binding_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *ctb[SIPREG_CONTACT_A_MAX + 1];
	struct nlattr *tb[SIPREG_BINDING_A_MAX + 1];
	struct sipreg_net *sn = info_sn(info);
	const char *uri = NULL;
	int err;

	err = parse_binding(info, tb);
	if (err)
		return err;
	if (tb[SIPREG_BINDING_A_CONTACT]) {
		err = parse_contact(info, tb[SIPREG_BINDING_A_CONTACT], ctb,
				    false);
		if (err)
			return err;
		uri = nla_data(ctb[SIPREG_CONTACT_A_URI]);
	}
	mutex_lock(&sn->lock);
	err = sipreg_binding_del(sn, nla_data(tb[SIPREG_BINDING_A_AOR]), uri,
				 info->extack);
	mutex_unlock(&sn->lock);
	return err;
}

static int sipreg_nl_binding_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SIPREG_BINDING_A_MAX + 1];
	struct sipreg_net *sn = info_sn(info);
	const struct sipreg_binding *b;
	struct sk_buff *msg = NULL;
	const char *aor;
	void *hdr;
	int err;

	err = parse_binding(info, tb);
	if (err)
		return err;
	aor = nla_data(tb[SIPREG_BINDING_A_AOR]);
	mutex_lock(&sn->lock);
	b = sipreg_binding_lookup_locked(sn, aor);
	if (!b) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[SIPREG_BINDING_A_AOR],
				    "binding: no such AOR");
		err = -ENOENT;
	} else {
		msg = reply_new(info, sipreg_binding_msg_size(b->ncontacts),
				&hdr);
		err = msg ? sipreg_binding_fill(msg, b, -1) : -ENOMEM;
	}
	mutex_unlock(&sn->lock);
	if (!msg)
		return err;
	return reply_send(msg, hdr, info, err);
}

static int sipreg_nl_binding_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	struct sk_buff *ntf;
	void *hdr;

	mutex_lock(&sn->lock);
	sipreg_binding_flush(sn);
	mutex_unlock(&sn->lock);
	ntf = sipreg_netlink_event_new(sn, SIPREG_CMD_BINDING_NTF,
				       SIPREG_EVENT_BINDINGS_FLUSHED,
				       NLMSG_GOODSIZE, GFP_KERNEL, &hdr);
	if (ntf)
		sipreg_netlink_event_send(sn, ntf, hdr, 0, GFP_KERNEL);
	return 0;
}

/* ---- the miss channel ---- */

/*
 * The claim is the claiming socket itself (held), not only its portid: a
 * portid is free for another socket as soon as the old one is unhashed,
 * before NETLINK_URELEASE clears the claim, and that socket must not get
 * a single miss. Changed under sn->lock; the hook reads it under RCU.
 */
static void claim_set(struct sipreg_net *sn, struct sock *sk, u32 portid)
{
	lockdep_assert_held(&sn->lock);
	rcu_assign_pointer(sn->daemon_sk, sk);
	WRITE_ONCE(sn->daemon_portid, portid);
}

/* Drops the claim of @portid; 0 or -ENOENT. */
static int claim_drop(struct sipreg_net *sn, u32 portid)
{
	struct sock *sk;

	lockdep_assert_held(&sn->lock);
	if (!portid || READ_ONCE(sn->daemon_portid) != portid)
		return -ENOENT;
	sk = rcu_dereference_protected(sn->daemon_sk,
				       lockdep_is_held(&sn->lock));
	claim_set(sn, NULL, 0);
	/* A hook may still look at the socket. */
	synchronize_net();
	sock_put(sk);
	return 0;
}

void sipreg_netlink_claim_exit(struct sipreg_net *sn)
{
	mutex_lock(&sn->lock);
	claim_drop(sn, READ_ONCE(sn->daemon_portid));
	mutex_unlock(&sn->lock);
}

static int sipreg_nl_daemon_claim(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	u32 old;
	int err = 0;

	mutex_lock(&sn->lock);
	old = READ_ONCE(sn->daemon_portid);
	if (!old) {
		sock_hold(NETLINK_CB(skb).sk);
		claim_set(sn, NETLINK_CB(skb).sk, info->snd_portid);
	} else if (old != info->snd_portid) {
		SIPREG_SET_ERR_MSG_FMT(info->extack,
				       "miss channel already claimed by another socket",
				       "miss channel already claimed by another socket (portid %u)",
				       old);
		err = -EBUSY;
	}
	mutex_unlock(&sn->lock);
	return err;
}

static int sipreg_nl_daemon_release(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct sipreg_net *sn = info_sn(info);
	int err;

	mutex_lock(&sn->lock);
	err = claim_drop(sn, info->snd_portid);
	mutex_unlock(&sn->lock);
	if (err)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "miss channel not claimed by this socket");
	return err;
}

/*
 * The daemon's nonce keys, so that nonces verify on either side; only the
 * socket holding the miss channel may set them, as only it rotates them.
 */
static int sipreg_nl_nonce_keys_set(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nlattr *tb[SIPREG_NONCE_KEYS_A_MAX + 1];
	struct sipreg_net *sn = info_sn(info);
	struct sipreg_mackey cur, prev;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SIPREG_A_NONCE_KEYS))
		return -EINVAL;
	err = nla_parse_nested(tb, SIPREG_NONCE_KEYS_A_MAX,
			       info->attrs[SIPREG_A_NONCE_KEYS], NULL,
			       info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[SIPREG_A_NONCE_KEYS],
			      tb, SIPREG_NONCE_KEYS_A_CUR) ||
	    NL_REQ_ATTR_CHECK(info->extack, info->attrs[SIPREG_A_NONCE_KEYS],
			      tb, SIPREG_NONCE_KEYS_A_PREV) ||
	    NL_REQ_ATTR_CHECK(info->extack, info->attrs[SIPREG_A_NONCE_KEYS],
			      tb, SIPREG_NONCE_KEYS_A_GEN))
		return -EINVAL;
	if (READ_ONCE(sn->daemon_portid) != info->snd_portid) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "nonce keys: claim the miss channel first");
		return -EPERM;
	}
	nla_memcpy(&cur, tb[SIPREG_NONCE_KEYS_A_CUR], sizeof(cur));
	nla_memcpy(&prev, tb[SIPREG_NONCE_KEYS_A_PREV], sizeof(prev));
	mutex_lock(&sn->lock);
	err = sipreg_secret_set(sn, &cur, &prev,
				nla_get_u32(tb[SIPREG_NONCE_KEYS_A_GEN]));
	mutex_unlock(&sn->lock);
	memzero_explicit(&cur, sizeof(cur));
	memzero_explicit(&prev, sizeof(prev));
	return err;
}

static int put_addr(struct sk_buff *skb, u8 family, int type4, int type6,
		    const void *addr)
{
	if (family == AF_INET)
		return nla_put(skb, type4, sizeof(__be32), addr);
	return nla_put(skb, type6, sizeof(struct in6_addr), addr);
}

static int put_miss(struct sk_buff *skb, const void *data, size_t len,
		    const struct sipreg_miss_meta *m)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, SIPREG_A_MISS);
	if (!nest ||
	    nla_put_u32(skb, SIPREG_MISS_A_REASON, m->reason) ||
	    nla_put_u32(skb, SIPREG_MISS_A_VERDICT, m->verdict) ||
	    nla_put_u32(skb, SIPREG_MISS_A_IFINDEX, m->ifindex) ||
	    put_addr(skb, m->family, SIPREG_MISS_A_SADDR4,
		     SIPREG_MISS_A_SADDR6, &m->saddr) ||
	    put_addr(skb, m->family, SIPREG_MISS_A_DADDR4,
		     SIPREG_MISS_A_DADDR6, &m->daddr) ||
	    nla_put_u16(skb, SIPREG_MISS_A_SPORT, ntohs(m->sport)) ||
	    nla_put_u16(skb, SIPREG_MISS_A_DPORT, ntohs(m->dport)) ||
	    nla_put(skb, SIPREG_MISS_A_DATA, len, data))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int sipreg_netlink_send_miss(struct sipreg_net *sn, const void *data,
			     size_t len, const struct sipreg_miss_meta *meta)
{
	u32 portid = READ_ONCE(sn->daemon_portid);
	struct sock *sk = rcu_dereference(sn->daemon_sk);
	struct sk_buff *skb;
	void *hdr;
	int err;

	sipreg_stats_miss(sn->stats, meta->reason);
	/* A closing socket has given up its portid: the claim is void. */
	if (!portid || !sk || sock_flag(sk, SOCK_DEAD)) {
		sipreg_stats_inc(sn->stats, SIPREG_STAT_MISS_NO_DAEMON);
		return -ENOTCONN;
	}
	skb = genlmsg_new(nla_total_size(len) + 256, GFP_ATOMIC);
	if (!skb) {
		err = -ENOMEM;
		goto err_count;
	}
	hdr = genlmsg_put(skb, 0, 0, &sipreg_family, 0, SIPREG_CMD_MISS);
	if (!hdr || put_miss(skb, data, len, meta)) {
		nlmsg_free(skb);
		err = -EMSGSIZE;
		goto err_count;
	}
	genlmsg_end(skb, hdr);
	/* When it was queued, for the age limit: sipreg_netlink_daemon_busy() */
	skb->tstamp = ktime_get_real();
	err = genlmsg_unicast(sn->net, skb, portid);
	if (err)
		goto err_count;
	sipreg_stats_inc(sn->stats, SIPREG_STAT_MISS_SENT);
	sipreg_drain_queued(&sn->drain);
	return 0;

err_count:
	sipreg_stats_inc(sn->stats, SIPREG_STAT_MISS_SEND_FAILED);
	return err;
}

/* How long the oldest message of the daemon's queue has waited, in ms. */
static s64 queue_age_ms(struct sock *sk)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	unsigned long flags;
	struct sk_buff *skb;
	ktime_t t = 0;

	spin_lock_irqsave(&q->lock, flags);
	skb = skb_peek(q);
	if (skb)
		t = skb->tstamp;
	spin_unlock_irqrestore(&q->lock, flags);
	/* not a miss (an ack, a dump): no time of its own, not old */
	if (!t)
		return 0;
	return ktime_ms_delta(ktime_get_real(), t);
}

/*
 * Whether the daemon is not keeping up with what arrives (a registration
 * storm), and by which measure: the queue fills three quarters of the
 * socket's buffer, holds miss_queue_max messages, would keep a new miss
 * waiting longer than miss_queue_wait ms at the daemon's measured rate
 * (drain.c), or its oldest has waited miss_queue_age ms. The wait follows
 * the daemon's speed, whatever the machine: a REGISTER that waits longer
 * than the absorption's window is retransmitted into the same queue and
 * answered twice, one that waits longer than Timer F (32 s) is answered
 * after its phone gave up. The count and bytes are read without the
 * socket's lock: a hint, good enough to choose between queueing and a 503.
 */
enum sipreg_busy sipreg_netlink_daemon_busy(struct sipreg_net *sn,
					    const struct sipreg_config *cfg)
{
	struct sock *sk = rcu_dereference(sn->daemon_sk);
	u32 qlen;

	if (!sk)
		return SIPREG_BUSY_NO;
	if (atomic_read(&sk->sk_rmem_alloc) > READ_ONCE(sk->sk_rcvbuf) / 4 * 3)
		return SIPREG_BUSY_BYTES;
	qlen = skb_queue_len_lockless(&sk->sk_receive_queue);
	if (cfg->miss_queue_max && qlen >= cfg->miss_queue_max)
		return SIPREG_BUSY_COUNT;
	if (cfg->miss_queue_wait &&
	    sipreg_drain_too_slow(&sn->drain, sk, qlen, cfg->miss_queue_wait))
		return SIPREG_BUSY_WAIT;
	if (cfg->miss_queue_age && queue_age_ms(sk) >= cfg->miss_queue_age)
		return SIPREG_BUSY_AGE;
	return SIPREG_BUSY_NO;
}

/* The daemon's socket closed: nobody takes misses until the next claim. */
static int sipreg_nl_urelease(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;
	struct sipreg_net *sn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	sn = sipreg_pernet(n->net);
	if (!sn || READ_ONCE(sn->daemon_portid) != n->portid)
		return NOTIFY_DONE;
	mutex_lock(&sn->lock);
	claim_drop(sn, n->portid);
	mutex_unlock(&sn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block sipreg_nl_notifier = {
	.notifier_call = sipreg_nl_urelease,
};

static int sipreg_nl_pre_doit(const SIPREG_GENL_OPS *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	if (closed) {
		NL_SET_ERR_MSG_MOD(info->extack, "module is being unloaded");
		return -ESHUTDOWN;
	}
	return 0;
}

static const struct genl_ops sipreg_ops[] = {
	{
		.cmd = SIPREG_CMD_STATS_GET,
		.doit = sipreg_nl_stats_get,
	},
	{
		.cmd = SIPREG_CMD_STATS_RESET,
		.doit = sipreg_nl_stats_reset,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_CONFIG_GET,
		.doit = sipreg_nl_config_get,
	},
	{
		.cmd = SIPREG_CMD_CONFIG_SET,
		.doit = sipreg_nl_config_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_USER_ADD,
		.doit = sipreg_nl_user_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_USER_DEL,
		.doit = sipreg_nl_user_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_USER_GET,
		.start = sipreg_nl_user_start,
		.dumpit = sipreg_nl_user_dump,
		.done = sipreg_nl_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_USER_FLUSH,
		.doit = sipreg_nl_user_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_BINDING_ADD,
		.doit = sipreg_nl_binding_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_BINDING_DEL,
		.doit = sipreg_nl_binding_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_BINDING_GET,
		.doit = sipreg_nl_binding_get,
		.start = sipreg_nl_binding_start,
		.dumpit = sipreg_nl_binding_dump,
		.done = sipreg_nl_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_BINDING_FLUSH,
		.doit = sipreg_nl_binding_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_DAEMON_CLAIM,
		.doit = sipreg_nl_daemon_claim,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_DAEMON_RELEASE,
		.doit = sipreg_nl_daemon_release,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_NONCE_KEYS_SET,
		.doit = sipreg_nl_nonce_keys_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_DOMAIN_ADD,
		.doit = sipreg_nl_domain_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_DOMAIN_DEL,
		.doit = sipreg_nl_domain_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_DOMAIN_GET,
		.start = sipreg_nl_domain_start,
		.dumpit = sipreg_nl_domain_dump,
		.done = sipreg_nl_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SIPREG_CMD_DOMAIN_FLUSH,
		.doit = sipreg_nl_domain_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family sipreg_family __ro_after_init = {
	.name = SIPREG_GENL_NAME,
	.version = SIPREG_GENL_VERSION,
	.maxattr = SIPREG_A_MAX,
	.policy = sipreg_policy,
	.netnsok = true,
	.pre_doit = sipreg_nl_pre_doit,
	.module = THIS_MODULE,
	.ops = sipreg_ops,
	.n_ops = ARRAY_SIZE(sipreg_ops),
	.mcgrps = sipreg_mcgrps,
	.n_mcgrps = ARRAY_SIZE(sipreg_mcgrps),
	/*
	 * resv_start_op 0: no command is legacy. Every request is validated
	 * strictly (attributes above the policy's maximum, trailing bytes,
	 * nests without NLA_F_NESTED and a non-zero reserved header field
	 * are refused), dumps included.
	 */
};

int __init sipreg_genl_register(void)
{
	return genl_register_family(&sipreg_family);
}

/* Every namespace has its state: requests and socket releases may use it. */
int __init sipreg_genl_open(void)
{
	int err;

	err = netlink_register_notifier(&sipreg_nl_notifier);
	if (err)
		return err;
	genl_lock();
	closed = false;
	genl_unlock();
	return 0;
}

/*
 * The reverse: once this returns no request runs and none will reach a
 * namespace's state (dumps hold a module reference, so none is running
 * when the module goes), and no socket release looks at a claim.
 */
void sipreg_genl_close(void)
{
	genl_lock();
	closed = true;
	genl_unlock();
	netlink_unregister_notifier(&sipreg_nl_notifier);
}

/* After sipreg_pernet_unregister(): nothing sends on the family any more. */
void sipreg_genl_unregister(void)
{
	genl_unregister_family(&sipreg_family);
}
