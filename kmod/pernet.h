/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_PERNET_H
#define _SIPREG_PERNET_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "stats.h"

/* Everything sipreg keeps for one network namespace. */
struct sipreg_net {
	struct net *net;
	struct sipreg_pcpu_stats __percpu *stats;
	u16 port;		/* host order; read locklessly by the hook */
};

extern unsigned int sipreg_net_id;

static inline struct sipreg_net *sipreg_pernet(const struct net *net)
{
	return net_generic(net, sipreg_net_id);
}

int sipreg_pernet_register(void);
void sipreg_pernet_unregister(void);

#endif /* _SIPREG_PERNET_H */
