// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg_floor: the benchmark's floor, not part of sipreg. Every UDP
 * datagram to the SIP port is sent straight back to where it came from,
 * payload unchanged, and the request is consumed. It sits where sipreg's
 * hook sits (LOCAL_IN, per network namespace) and answers the way sipreg
 * answers (a new skb, a route lookup, ip_local_out), so what it costs is
 * what receiving and sending one datagram costs there, and the difference
 * to sipreg is the SIP work alone.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/route.h>
#include <net/udp.h>

static unsigned short port = 5060;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "UDP port whose datagrams are echoed (default 5060)");

/* A UDP datagram with the request's payload, behind @reserve of headroom. */
static struct sk_buff *echo_skb(const struct sk_buff *req, int poff,
				unsigned int len, unsigned int reserve,
				const struct udphdr *ruh)
{
	struct sk_buff *skb;
	struct udphdr *uh;

	skb = alloc_skb(reserve + sizeof(*uh) + len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, reserve + sizeof(*uh));
	if (skb_copy_bits(req, poff, skb_put(skb, len), len)) {
		kfree_skb(skb);
		return NULL;
	}
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = ruh->dest;
	uh->dest = ruh->source;
	uh->len = htons(sizeof(*uh) + len);
	uh->check = 0;
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

static int echo_v4(struct net *net, const struct sk_buff *req, int uoff,
		   const struct udphdr *ruh, unsigned int len)
{
	const struct iphdr *riph = ip_hdr(req);
	struct flowi4 fl4 = {
		.daddr = riph->saddr,
		.saddr = riph->daddr,
		.flowi4_proto = IPPROTO_UDP,
		.fl4_sport = ruh->dest,
		.fl4_dport = ruh->source,
	};
	struct sk_buff *skb;
	struct iphdr *iph;
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb = echo_skb(req, uoff + sizeof(*ruh), len,
		       LL_RESERVED_SPACE(rt->dst.dev) + sizeof(*iph), ruh);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	udp_hdr(skb)->check = csum_tcpudp_magic(fl4.saddr, fl4.daddr, skb->len,
						IPPROTO_UDP,
						csum_partial(skb->data,
							     skb->len, 0));
	if (!udp_hdr(skb)->check)
		udp_hdr(skb)->check = CSUM_MANGLED_0;

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(skb->len);
	iph->frag_off = 0;
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	__ip_select_ident(net, iph, 1);
	ip_send_check(iph);

	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);
	return ip_local_out(net, NULL, skb);
}

static int echo_v6(struct net *net, const struct sk_buff *req, int uoff,
		   const struct udphdr *ruh, unsigned int len)
{
	const struct ipv6hdr *rip6h = ipv6_hdr(req);
	struct flowi6 fl6 = {
		.daddr = rip6h->saddr,
		.saddr = rip6h->daddr,
		.flowi6_proto = IPPROTO_UDP,
		.fl6_sport = ruh->dest,
		.fl6_dport = ruh->source,
	};
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;

	if (ipv6_addr_type(&fl6.daddr) & IPV6_ADDR_LINKLOCAL)
		fl6.flowi6_oif = req->skb_iif;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		int err = dst->error;

		dst_release(dst);
		return err;
	}
	skb = echo_skb(req, uoff + sizeof(*ruh), len,
		       LL_RESERVED_SPACE(dst->dev) + sizeof(*ip6h), ruh);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	udp_hdr(skb)->check = csum_ipv6_magic(&fl6.saddr, &fl6.daddr, skb->len,
					      IPPROTO_UDP,
					      csum_partial(skb->data,
							   skb->len, 0));
	if (!udp_hdr(skb)->check)
		udp_hdr(skb)->check = CSUM_MANGLED_0;

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = fl6.daddr;

	skb->protocol = htons(ETH_P_IPV6);
	skb_dst_set(skb, dst);
	return ip6_local_out(net, NULL, skb);
}

static unsigned int floor_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	const struct udphdr *uh;
	struct udphdr _uh;
	unsigned int len;
	int uoff, err;

	if (state->pf == NFPROTO_IPV4) {
		if (ip_hdr(skb)->protocol != IPPROTO_UDP ||
		    ip_is_fragment(ip_hdr(skb)))
			return NF_ACCEPT;
		uoff = skb_network_offset(skb) + ip_hdrlen(skb);
	} else {
		u8 nexthdr = ipv6_hdr(skb)->nexthdr;
		__be16 frag_off;

		uoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
					sizeof(struct ipv6hdr), &nexthdr,
					&frag_off);
		if (uoff < 0 || nexthdr != IPPROTO_UDP || frag_off)
			return NF_ACCEPT;
	}
	uh = skb_header_pointer(skb, uoff, sizeof(_uh), &_uh);
	/* Never answer from the SIP port to the SIP port: two hosts running
	 * this module would bounce one datagram forever.
	 */
	if (!uh || ntohs(uh->dest) != port || uh->source == uh->dest ||
	    ntohs(uh->len) < sizeof(*uh) ||
	    uoff + ntohs(uh->len) > skb->len)
		return NF_ACCEPT;
	len = ntohs(uh->len) - sizeof(*uh);
	if (state->pf == NFPROTO_IPV4)
		err = echo_v4(state->net, skb, uoff, uh, len);
	else
		err = echo_v6(state->net, skb, uoff, uh, len);
	if (err)
		return NF_ACCEPT;
	consume_skb(skb);
	return NF_STOLEN;
}

/* Where and when sipreg's hook runs (kmod/hook.c). */
static const struct nf_hook_ops floor_ops[] = {
	{
		.hook = floor_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER + 1,
	},
	{
		.hook = floor_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_FILTER + 1,
	},
};

static int __net_init floor_net_init(struct net *net)
{
	return nf_register_net_hooks(net, floor_ops, ARRAY_SIZE(floor_ops));
}

static void __net_exit floor_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, floor_ops, ARRAY_SIZE(floor_ops));
}

static struct pernet_operations floor_net_ops = {
	.init = floor_net_init,
	.exit = floor_net_exit,
};

static int __init floor_init(void)
{
	return register_pernet_subsys(&floor_net_ops);
}

static void __exit floor_exit(void)
{
	unregister_pernet_subsys(&floor_net_ops);
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sipreg benchmark floor: echoes UDP datagrams on the SIP port");
