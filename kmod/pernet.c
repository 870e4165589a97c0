// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: created with the namespace (or at module
 * load for the namespaces that exist), torn down with it. A namespace is
 * inert until its admin switches it on (CONFIG_SET enabled=1): until then
 * no hook is registered and nothing answers, so a container running a
 * registrar of its own never meets the module.
 */
#include <linux/slab.h>
#include <net/netlink.h>

#include "binding.h"
#include "config.h"
#include "domain.h"
#include "hook.h"
#include "netlink.h"
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
	sn->stats_base = kzalloc(sizeof(*sn->stats_base), GFP_KERNEL_ACCOUNT);
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
	err = sipreg_domain_init(sn);
	if (err)
		goto err_binding;
	err = sipreg_absorb_init(&sn->absorb);
	if (err)
		goto err_domain;
	sipreg_refreshq_init(sn);
	sipreg_drain_init(&sn->drain);
	return 0;

err_domain:
	sipreg_domain_exit(sn);
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
	struct sipreg_net *sn = sipreg_pernet(net);

	/* No request can come any more: the lock is for lockdep's sake. */
	mutex_lock(&sn->lock);
	if (sn->hooked)
		sipreg_hook_unregister(net);
	sn->hooked = false;
	mutex_unlock(&sn->lock);
}

static void __net_exit sipreg_net_exit(struct net *net)
{
	struct sipreg_net *sn = sipreg_pernet(net);

	sipreg_netlink_claim_exit(sn);
	sipreg_refreshq_exit(sn);
	sipreg_absorb_exit(&sn->absorb);
	sipreg_domain_exit(sn);
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

/* Whether the domains' cached challenges must be built again for @cfg. */
static bool algs_changed(struct sipreg_net *sn, const struct sipreg_config *cfg)
{
	const struct sipreg_config *old = sipreg_config_get(sn);

	return old->algs != cfg->algs || old->algs_first != cfg->algs_first;
}

/*
 * CONFIG_SET: the hook comes up before a configuration that enables the
 * namespace is published (the hook checks it too), and goes after one
 * that disables it; a failed registration changes nothing. Other
 * algorithms rebuild the domains' challenges, all or nothing as well.
 */
int sipreg_pernet_configure(struct sipreg_net *sn, const struct nlattr *nest,
			    struct netlink_ext_ack *extack)
{
	struct sipreg_config *cfg;
	bool rechallenge;
	int err;

	lockdep_assert_held(&sn->lock);
	cfg = sipreg_config_build(sn, nest, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	rechallenge = algs_changed(sn, cfg);
	if (rechallenge) {
		err = sipreg_domain_rechallenge_prepare(sn, cfg);
		if (err)
			goto err_free;
	}
	if (cfg->enabled && !sn->hooked) {
		err = sipreg_hook_register(sn->net);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "cannot register the netfilter hook");
			goto err_abort;
		}
		sn->hooked = true;
		sipreg_secret_start(sn);
	}
	sipreg_config_publish(sn, cfg);
	if (rechallenge)
		sipreg_domain_rechallenge_commit(sn);
	if (!cfg->enabled && sn->hooked) {
		sipreg_hook_unregister(sn->net);
		sn->hooked = false;
	}
	return 0;

err_abort:
	if (rechallenge)
		sipreg_domain_rechallenge_abort(sn);
err_free:
	kfree(cfg);
	return err;
}

int sipreg_pernet_register(void)
{
	return register_pernet_subsys(&sipreg_net_ops);
}

void sipreg_pernet_unregister(void)
{
	unregister_pernet_subsys(&sipreg_net_ops);
}
