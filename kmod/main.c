// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg: answers SIP REGISTER challenges and refreshes in the kernel and
 * hands everything else to a userspace registrar over generic netlink.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "fastpath.h"
#include "hash.h"
#include "netlink.h"
#include "pernet.h"
#include "ratelimiter.h"

static int __init sipreg_init(void)
{
	int err;

	err = sipreg_hash_init();
	if (err)
		return err;

	err = sipreg_fastpath_init();
	if (err)
		goto err_hash;

	err = sipreg_ratelimiter_init();
	if (err)
		goto err_fastpath;

	/*
	 * The family before the namespaces, which send on it; requests are
	 * refused until sipreg_genl_open(), when every namespace has state.
	 */
	err = sipreg_genl_register();
	if (err)
		goto err_ratelimiter;

	err = sipreg_pernet_register();
	if (err)
		goto err_genl;

	err = sipreg_genl_open();
	if (err)
		goto err_pernet;

	pr_info("loaded\n");
	return 0;

err_pernet:
	sipreg_pernet_unregister();
err_genl:
	sipreg_genl_unregister();
	rcu_barrier();
err_ratelimiter:
	sipreg_ratelimiter_uninit();
err_fastpath:
	sipreg_fastpath_uninit();
err_hash:
	sipreg_hash_exit();
	return err;
}

static void __exit sipreg_exit(void)
{
	/* No request or socket release reaches a namespace's state now. */
	sipreg_genl_close();
	/*
	 * Hooks come down in .pre_exit; after the core's grace period .exit
	 * stops the work items and frees the tables.
	 */
	sipreg_pernet_unregister();
	/* Nothing sends on the family any more. */
	sipreg_genl_unregister();
	/* RCU callbacks (module code) must be done before the module goes. */
	rcu_barrier();
	sipreg_ratelimiter_uninit();
	sipreg_fastpath_uninit();
	sipreg_hash_exit();
	pr_info("unloaded\n");
}

module_init(sipreg_init);
module_exit(sipreg_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SIP REGISTER fast path");
MODULE_AUTHOR("The sipreg developers");
MODULE_ALIAS_GENL_FAMILY(SIPREG_GENL_NAME);
