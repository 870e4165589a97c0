// SPDX-License-Identifier: GPL-2.0
/*
 * Answers from the hook: a new skb with its own route lookup, as
 * nf_reject does for TCP resets, so that the reply takes the path any
 * locally generated packet would (LOCAL_OUT hooks, policy routing, xfrm).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
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

static int send_v4(struct net *net, const struct sk_buff *req,
		   const struct udphdr *ruh, const void *data,
		   unsigned int len)
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
	struct udphdr *uh;
	struct iphdr *iph;
	struct rtable *rt;
	unsigned int ulen;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb = udp_skb(LL_RESERVED_SPACE(rt->dst.dev) + sizeof(*iph),
		      ruh->dest, ruh->source, data, len);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOMEM;
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
	return ip_local_out(net, NULL, skb);
}

static int send_v6(struct net *net, const struct sk_buff *req,
		   const struct udphdr *ruh, const void *data,
		   unsigned int len)
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
	struct udphdr *uh;
	unsigned int ulen;

	/* A link-local peer is only reachable through the arrival device. */
	if (ipv6_addr_type(&fl6.daddr) & IPV6_ADDR_LINKLOCAL)
		fl6.flowi6_oif = req->skb_iif;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		int err = dst->error;

		dst_release(dst);
		return err;
	}
	dst = xfrm_lookup(net, dst, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(dst))
		return PTR_ERR(dst);

	skb = udp_skb(LL_RESERVED_SPACE(dst->dev) + sizeof(*ip6h),
		      ruh->dest, ruh->source, data, len);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
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
	return ip6_local_out(net, NULL, skb);
}

int sipreg_send_reply(struct net *net, const struct sk_buff *req, u8 pf,
		      int uoff, const void *data, unsigned int len)
{
	struct udphdr _uh;
	const struct udphdr *uh;

	uh = skb_header_pointer(req, uoff, sizeof(_uh), &_uh);
	if (!uh)
		return -EINVAL;
	if (pf == NFPROTO_IPV4)
		return send_v4(net, req, uh, data, len);
	if (pf == NFPROTO_IPV6)
		return send_v6(net, req, uh, data, len);
	return -EAFNOSUPPORT;
}
