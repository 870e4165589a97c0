// SPDX-License-Identifier: GPL-2.0
/*
 * The "sipreg" generic netlink family. Every request is served in the
 * network namespace of the socket that sent it.
 */
#include <net/genetlink.h>

#include "netlink.h"
#include "pernet.h"
#include "uapi/sipreg.h"

static struct genl_family sipreg_family;

static const struct nla_policy sipreg_policy[SIPREG_A_MAX + 1] = {
	[SIPREG_A_PAD] = { .type = NLA_REJECT },
	[SIPREG_A_STATS] = { .type = NLA_REJECT },	/* kernel to user only */
};

static int put_stats(struct sk_buff *skb, struct sipreg_net *sn)
{
	u64 val[__SIPREG_STAT_MAX];
	struct nlattr *nest;
	int i;

	sipreg_stats_read(sn->stats, val);
	nest = nla_nest_start(skb, SIPREG_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = SIPREG_STAT_PAD + 1; i < __SIPREG_STAT_MAX; i++) {
		if (nla_put_u64_64bit(skb, i, val[i], SIPREG_STAT_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int sipreg_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sipreg_net *sn = sipreg_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sipreg_family, 0,
				SIPREG_CMD_STATS_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = put_stats(msg, sn);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

static const struct genl_small_ops sipreg_ops[] = {
	{
		.cmd = SIPREG_CMD_STATS_GET,
		.doit = sipreg_nl_stats_get,
	},
};

static struct genl_family sipreg_family __ro_after_init = {
	.name = SIPREG_GENL_NAME,
	.version = SIPREG_GENL_VERSION,
	.maxattr = SIPREG_A_MAX,
	.policy = sipreg_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = sipreg_ops,
	.n_small_ops = ARRAY_SIZE(sipreg_ops),
	.resv_start_op = SIPREG_CMD_MAX + 1,
};

int __init sipreg_genl_register(void)
{
	return genl_register_family(&sipreg_family);
}

void sipreg_genl_unregister(void)
{
	genl_unregister_family(&sipreg_family);
}
