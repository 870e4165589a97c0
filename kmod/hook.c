// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hook: sees every datagram delivered locally and picks out
 * UDP to the namespace's SIP port. Anything it does not handle is
 * NF_ACCEPTed untouched, so the normal stack (and a registrar bound to the
 * port) still gets it.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jump_label.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/sched/clock.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/xfrm.h>

#include "config.h"
#include "fastpath.h"
#include "hook.h"
#include "pernet.h"

/* Whether a routing header still has segments to visit: not for us. */
static bool routed_on(struct sk_buff *skb)
{
	struct ipv6_rt_hdr _rh;
	const struct ipv6_rt_hdr *rh;
	unsigned int off = 0;

	if (ipv6_find_hdr(skb, &off, NEXTHDR_ROUTING, NULL, NULL) < 0)
		return false;
	rh = skb_header_pointer(skb, off, sizeof(_rh), &_rh);
	return !rh || rh->segments_left;
}

/*
 * Offset of the UDP header, or -1 when the packet is not a whole UDP
 * datagram for this host: without nf_defrag_ipv6, IPv6 fragments reach
 * LOCAL_IN one by one, the first one with a UDP header.
 */
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
		if (off < 0 || nexthdr != IPPROTO_UDP || frag_off ||
		    routed_on(skb))
			return -1;
		return off;
	}
	return -1;
}

/*
 * Inbound IPsec policy is enforced by the transport layer, after LOCAL_IN:
 * check it here as udp_rcv() would for an unbound port. What it refuses is
 * left to the stack, which drops it.
 */
static bool ipsec_allows(struct sk_buff *skb, u8 pf)
{
	if (pf == NFPROTO_IPV4)
		return xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb);
	return xfrm6_policy_check(NULL, XFRM_POLICY_IN, skb);
}

/* The counters of each class: how many requests, how many ns. */
static const struct {
	u8 timed, ns;
} tclass_stat[] = {
	[SIPREG_TCLASS_CHALLENGE] = { SIPREG_STAT_TIMED_CHALLENGE,
				      SIPREG_STAT_TIME_NS_CHALLENGE },
	[SIPREG_TCLASS_REFRESH] = { SIPREG_STAT_TIMED_REFRESH,
				    SIPREG_STAT_TIME_NS_REFRESH },
	[SIPREG_TCLASS_RETRANSMISSION] = { SIPREG_STAT_TIMED_RETRANSMISSION,
					   SIPREG_STAT_TIME_NS_RETRANSMISSION },
	[SIPREG_TCLASS_MISS] = { SIPREG_STAT_TIMED_MISS, SIPREG_STAT_TIME_NS_MISS },
	[SIPREG_TCLASS_PASS] = { SIPREG_STAT_TIMED_PASS, SIPREG_STAT_TIME_NS_PASS },
	[SIPREG_TCLASS_OTHER] = { SIPREG_STAT_TIMED_OTHER,
				  SIPREG_STAT_TIME_NS_OTHER },
};

/*
 * The nanoseconds of one request, from the hook's entry to its verdict,
 * into the counters of its class (uapi SIPREG_STAT_TIMED_*). The hook runs
 * in softirq on one CPU from start to end, so both clock reads are the
 * same CPU's local_clock(), as perf and the scheduler use it.
 */
static void account(struct sipreg_net *sn, enum sipreg_tclass tclass, u64 t0)
{
	u64 ns = local_clock() - t0;

	BUILD_BUG_ON(__SIPREG_STAT_MAX > U8_MAX);
	if (tclass >= ARRAY_SIZE(tclass_stat))
		return;
	sipreg_stats_inc(sn->stats, tclass_stat[tclass].timed);
	sipreg_stats_add(sn->stats, tclass_stat[tclass].ns, ns);
}

static unsigned int sipreg_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct sipreg_net *sn = sipreg_pernet(state->net);
	const struct sipreg_config *cfg;
	enum sipreg_tclass tclass;
	const struct udphdr *uh;
	unsigned int verdict;
	struct udphdr _uh;
	u64 t0 = 0;
	int off;

	/*
	 * Timing is per namespace (cfg->timing), the key global: it is on
	 * while any namespace times, so with timing off everywhere the
	 * clock costs nothing but this patched-out jump.
	 */
	if (static_branch_unlikely(&sipreg_timing_key))
		t0 = local_clock();

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
	if (!ipsec_allows(skb, state->pf))
		return NF_ACCEPT;

	sipreg_stats_inc(sn->stats, SIPREG_STAT_RX_PACKETS);
	if (ntohs(uh->len) >= sizeof(*uh))
		sipreg_stats_add(sn->stats, SIPREG_STAT_RX_BYTES,
				 ntohs(uh->len) - sizeof(*uh));
	verdict = sipreg_fastpath(sn, cfg, skb, state->pf, off, &tclass);
	/* cfg is still the one this request was served with: RCU. */
	if (t0 && cfg->timing)
		account(sn, tclass, t0);
	return verdict;
}

/*
 * LOCAL_IN, last but for conntrack's confirm (NF_IP_PRI_LAST): every
 * filter, security and mangle chain of iptables or nftables at any lower
 * priority (firewalld's filter_INPUT sits at +10, the security table at
 * +50) has accepted the datagram before the module sees it, and only
 * datagrams addressed to this host get here. A chain at NF_IP_PRI_LAST - 1
 * or above may run after the module: none of the usual tools puts one there.
 */
#define SIPREG_HOOK_PRIORITY	(NF_IP_PRI_LAST - 1)

static const struct nf_hook_ops sipreg_nf_ops[] = {
	{
		.hook = sipreg_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = SIPREG_HOOK_PRIORITY,
	},
	{
		.hook = sipreg_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = SIPREG_HOOK_PRIORITY,
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
