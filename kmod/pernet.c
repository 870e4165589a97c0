// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: created with the namespace (or at module
 * load for the namespaces that exist), torn down with it.
 */
#include <linux/slab.h>

#include "binding.h"
#include "config.h"
#include "hook.h"
#include "pernet.h"
#include "secret.h"
#include "user.h"

unsigned int sipreg_net_id __read_mostly;

static int __net_init sipreg_net_init(struct net *net)
{
	struct sipreg_net *sn = sipreg_pernet(net);
	int err;

	sn->net = net;
	mutex_init(&sn->lock);
	atomic_set(&sn->gen, 1);
	sn->stats = sipreg_stats_alloc();
	if (!sn->stats)
		return -ENOMEM;
	sn->stats_base = kzalloc(sizeof(*sn->stats_base), GFP_KERNEL);
	if (!sn->stats_base) {
		err = -ENOMEM;
		goto err_stats;
	}
	err = sipreg_config_init(sn);
	if (err)
		goto err_base;
	err = sipreg_secret_init(sn);
	if (err)
		goto err_config;
	err = sipreg_user_init(sn);
	if (err)
		goto err_secret;
	err = sipreg_binding_init(sn);
	if (err)
		goto err_user;
	sipreg_refreshq_init(sn);
	err = sipreg_hook_register(net);
	if (err)
		goto err_binding;
	return 0;

err_binding:
	sipreg_binding_exit(sn);
err_user:
	sipreg_user_exit(sn);
err_secret:
	sipreg_secret_exit(sn);
err_config:
	sipreg_config_exit(sn);
err_base:
	kfree(sn->stats_base);
err_stats:
	sipreg_stats_free(sn->stats);
	return err;
}

/*
 * Hooks come down first, as iptable_*_net_pre_exit do: the core waits for
 * an RCU grace period between .pre_exit and .exit, so no hook still runs
 * when .exit frees what it reads.
 */
static void __net_exit sipreg_net_pre_exit(struct net *net)
{
	sipreg_hook_unregister(net);
}

static void __net_exit sipreg_net_exit(struct net *net)
{
	struct sipreg_net *sn = sipreg_pernet(net);

	sipreg_refreshq_exit(sn);
	sipreg_binding_exit(sn);
	sipreg_user_exit(sn);
	sipreg_secret_exit(sn);
	sipreg_config_exit(sn);
	kfree(sn->stats_base);
	sipreg_stats_free(sn->stats);
}

static struct pernet_operations sipreg_net_ops = {
	.init = sipreg_net_init,
	.pre_exit = sipreg_net_pre_exit,
	.exit = sipreg_net_exit,
	.id = &sipreg_net_id,
	.size = sizeof(struct sipreg_net),
};

int sipreg_pernet_register(void)
{
	return register_pernet_subsys(&sipreg_net_ops);
}

void sipreg_pernet_unregister(void)
{
	unregister_pernet_subsys(&sipreg_net_ops);
}
