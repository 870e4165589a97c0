// SPDX-License-Identifier: GPL-2.0
/*
 * Answers from the hook: a new skb with its own route lookup, as
 * nf_reject does for TCP resets, so that the reply takes the path any
 * locally generated packet would (LOCAL_OUT hooks, policy routing, xfrm).
 * Like nf_reject's, the reply is attached to the request's conntrack entry
 * (NAT translates it back: a REDIRECT to the module's port answers from the
 * port the client used) and routed with the request's mark and VRF.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/l3mdev.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/xfrm.h>

#include "send.h"

/* A UDP header and payload behind @reserve bytes of headroom. */
static struct sk_buff *udp_skb(unsigned int reserve, __be16 sport,
			       __be16 dport, const void *data,
			       unsigned int len)
{
	struct sk_buff *skb;
	struct udphdr *uh;

	skb = alloc_skb(reserve + sizeof(*uh) + len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, reserve + sizeof(*uh));
	skb_put_data(skb, data, len);
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(sizeof(*uh) + len);
	uh->check = 0;
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

/* What every reply carries over from its request. */
static void inherit(struct sk_buff *skb, const struct sk_buff *req, u32 mark)
{
	skb->mark = mark;
	nf_ct_attach(skb, req);
}

static int l3mdev_of(const struct sk_buff *req)
{
	return req->dev ? l3mdev_master_ifindex_rcu(req->dev) : 0;
}

static struct sk_buff *build_v4(struct net *net, const struct sk_buff *req,
				const struct udphdr *ruh, const void *data,
				unsigned int len)
{
	const struct iphdr *riph = ip_hdr(req);
	struct flowi4 fl4 = {
		.daddr = riph->saddr,
		.saddr = riph->daddr,
		.flowi4_proto = IPPROTO_UDP,
		.flowi4_mark = IP4_REPLY_MARK(net, req->mark),
		.flowi4_l3mdev = l3mdev_of(req),
		.fl4_sport = ruh->dest,
		.fl4_dport = ruh->source,
	};
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;
	struct rtable *rt;
	unsigned int ulen;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	skb = udp_skb(LL_RESERVED_SPACE(rt->dst.dev) + sizeof(*iph),
		      ruh->dest, ruh->source, data, len);
	if (!skb) {
		ip_rt_put(rt);
		return ERR_PTR(-ENOMEM);
	}
	uh = udp_hdr(skb);
	ulen = skb->len;
	uh->check = csum_tcpudp_magic(fl4.saddr, fl4.daddr, ulen, IPPROTO_UDP,
				      csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

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
	inherit(skb, req, fl4.flowi4_mark);
	return skb;
}

static struct sk_buff *build_v6(struct net *net, const struct sk_buff *req,
				const struct udphdr *ruh, const void *data,
				unsigned int len)
{
	const struct ipv6hdr *rip6h = ipv6_hdr(req);
	struct flowi6 fl6 = {
		.daddr = rip6h->saddr,
		.saddr = rip6h->daddr,
		.flowi6_proto = IPPROTO_UDP,
		.flowi6_mark = IP6_REPLY_MARK(net, req->mark),
		.flowi6_l3mdev = l3mdev_of(req),
		.fl6_sport = ruh->dest,
		.fl6_dport = ruh->source,
	};
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct udphdr *uh;
	unsigned int ulen;

	/* A link-local peer is only reachable through the arrival device. */
	if (ipv6_addr_type(&fl6.daddr) & IPV6_ADDR_LINKLOCAL)
		fl6.flowi6_oif = req->skb_iif;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		int err = dst->error;

		dst_release(dst);
		return ERR_PTR(err);
	}
	dst = xfrm_lookup(net, dst, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(dst))
		return ERR_CAST(dst);

	skb = udp_skb(LL_RESERVED_SPACE(dst->dev) + sizeof(*ip6h),
		      ruh->dest, ruh->source, data, len);
	if (!skb) {
		dst_release(dst);
		return ERR_PTR(-ENOMEM);
	}
	uh = udp_hdr(skb);
	ulen = skb->len;
	uh->check = csum_ipv6_magic(&fl6.saddr, &fl6.daddr, ulen, IPPROTO_UDP,
				    csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(ulen);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = fl6.daddr;

	skb->protocol = htons(ETH_P_IPV6);
	/* A 200 with many contacts may exceed the path MTU: fragment it. */
	skb->ignore_df = 1;
	skb_dst_set(skb, dst);
	inherit(skb, req, fl6.flowi6_mark);
	return skb;
}

struct sk_buff *sipreg_send_build(struct net *net, const struct sk_buff *req,
				  u8 pf, int uoff, const void *data,
				  unsigned int len)
{
	struct udphdr _uh;
	const struct udphdr *uh;

	uh = skb_header_pointer(req, uoff, sizeof(_uh), &_uh);
	if (!uh)
		return ERR_PTR(-EINVAL);
	if (pf == NFPROTO_IPV4)
		return build_v4(net, req, uh, data, len);
	if (pf == NFPROTO_IPV6)
		return build_v6(net, req, uh, data, len);
	return ERR_PTR(-EAFNOSUPPORT);
}

int sipreg_send_xmit(struct net *net, struct sk_buff *skb)
{
	int err;

	if (skb->protocol == htons(ETH_P_IP))
		err = ip_local_out(net, NULL, skb);
	else
		err = ip6_local_out(net, NULL, skb);
	return net_xmit_eval(err);
}

int sipreg_send_reply(struct net *net, const struct sk_buff *req, u8 pf,
		      int uoff, const void *data, unsigned int len)
{
	struct sk_buff *skb = sipreg_send_build(net, req, pf, uoff, data, len);

	if (IS_ERR(skb))
		return PTR_ERR(skb);
	return sipreg_send_xmit(net, skb);
}
