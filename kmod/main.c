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

	err = sipreg_pernet_register();
	if (err)
		goto err_ratelimiter;

	err = sipreg_genl_register();
	if (err)
		goto err_pernet;

	pr_info("loaded\n");
	return 0;

err_pernet:
	sipreg_pernet_unregister();
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
	sipreg_genl_unregister();
	sipreg_pernet_unregister();
	/* Entries freed with kfree_rcu() must be gone before the module. */
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
