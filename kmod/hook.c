// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hook: sees every datagram delivered locally and picks out
 * UDP to the namespace's SIP port. Anything it does not handle is
 * NF_ACCEPTed untouched, so the normal stack (and a registrar bound to the
 * port) still gets it.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "config.h"
#include "fastpath.h"
#include "hook.h"
#include "pernet.h"

/* Offset of the UDP header, or -1 when the packet is not UDP. */
static int udp_offset(struct sk_buff *skb, u8 pf)
{
	if (pf == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_UDP)
			return -1;
		return skb_network_offset(skb) + ip_hdrlen(skb);
	}
	if (pf == NFPROTO_IPV6) {
		u8 nexthdr = ipv6_hdr(skb)->nexthdr;
		__be16 frag_off;
		int off;

		off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				       sizeof(struct ipv6hdr), &nexthdr,
				       &frag_off);
		if (off < 0 || nexthdr != IPPROTO_UDP)
			return -1;
		return off;
	}
	return -1;
}

static unsigned int sipreg_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct sipreg_net *sn = sipreg_pernet(state->net);
	const struct sipreg_config *cfg;
	const struct udphdr *uh;
	struct udphdr _uh;
	int off;

	/* Per-CPU counters and scratch: only with bottom halves off. */
	if (!in_softirq())
		return NF_ACCEPT;
	off = udp_offset(skb, state->pf);
	if (off < 0)
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
	/* Netfilter runs hooks under rcu_read_lock(). */
	cfg = rcu_dereference(sn->config);
	if (!uh || !cfg->enabled || !sipreg_config_has_port(cfg, ntohs(uh->dest)))
		return NF_ACCEPT;

	sipreg_stats_inc(sn->stats, SIPREG_STAT_RX_PACKETS);
	if (ntohs(uh->len) >= sizeof(*uh))
		sipreg_stats_add(sn->stats, SIPREG_STAT_RX_BYTES,
				 ntohs(uh->len) - sizeof(*uh));
	return sipreg_fastpath(sn, cfg, skb, state->pf, off);
}

/*
 * LOCAL_IN, after the filter table: the gateway's own firewall rules still
 * apply to SIP traffic, and only datagrams addressed to this host get here.
 */
static const struct nf_hook_ops sipreg_nf_ops[] = {
	{
		.hook = sipreg_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER + 1,
	},
	{
		.hook = sipreg_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_FILTER + 1,
	},
};

int sipreg_hook_register(struct net *net)
{
	return nf_register_net_hooks(net, sipreg_nf_ops,
				     ARRAY_SIZE(sipreg_nf_ops));
}

void sipreg_hook_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, sipreg_nf_ops, ARRAY_SIZE(sipreg_nf_ops));
}
