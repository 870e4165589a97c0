// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: created with the namespace (or at module
 * load for the namespaces that exist), torn down with it.
 */
#include "pernet.h"
#include "hook.h"

unsigned int sipreg_net_id __read_mostly;

static int __net_init sipreg_net_init(struct net *net)
{
	struct sipreg_net *sn = sipreg_pernet(net);
	int err;

	sn->net = net;
	sn->port = SIPREG_DEFAULT_PORT;
	sn->stats = sipreg_stats_alloc();
	if (!sn->stats)
		return -ENOMEM;

	err = sipreg_hook_register(net);
	if (err) {
		sipreg_stats_free(sn->stats);
		return err;
	}
	return 0;
}

static void __net_exit sipreg_net_exit(struct net *net)
{
	struct sipreg_net *sn = sipreg_pernet(net);

	/* Unregistering the hooks waits for running hooks to finish. */
	sipreg_hook_unregister(net);
	sipreg_stats_free(sn->stats);
}

static struct pernet_operations sipreg_net_ops = {
	.init = sipreg_net_init,
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
