// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg_floor: the benchmark's floor, not part of sipreg. Every UDP
 * datagram to the SIP port is sent straight back to where it came from,
 * payload unchanged, and the request is consumed. It sits where sipreg's
 * hook sits (LOCAL_IN, per network namespace) and answers the way sipreg
 * answers (its very sending code, kmod/send.c), so what it costs is
 * what receiving and sending one datagram costs there, and the difference
 * to sipreg is the SIP work alone.
 *
 * It times itself always, as sipreg's hook does with "config set timing
 * on" (kmod/hook.c): local_clock() at the hook's entry and at its verdict,
 * summed per CPU over the echoes. /sys/module/sipreg_floor/parameters/timing
 * reads "ECHOES NS", the sums over every CPU since the module was loaded.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/sched/clock.h>
#include <linux/u64_stats_sync.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/route.h>
#include <net/udp.h>

#include "send.h"

static unsigned short port = 5060;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "UDP port whose datagrams are echoed (default 5060)");

/* Room for a non-linear payload: read as sipreg reads it. */
struct floor_buf {
	u8 b[4096];
};

static struct floor_buf __percpu *bufs;

/* The echoes' count and their nanoseconds in the hook, per CPU. */
struct floor_timing {
	u64_stats_t echoes;
	u64_stats_t ns;
	struct u64_stats_sync syncp;
};

static struct floor_timing __percpu *timing;

/* Softirq, one CPU from entry to verdict: both clock reads are its own. */
static void floor_account(u64 t0)
{
	struct floor_timing *t = this_cpu_ptr(timing);
	u64 ns = local_clock() - t0;

	u64_stats_update_begin(&t->syncp);
	u64_stats_inc(&t->echoes);
	u64_stats_add(&t->ns, ns);
	u64_stats_update_end(&t->syncp);
}

static int timing_get(char *buf, const struct kernel_param *kp)
{
	u64 echoes = 0, ns = 0, e, n;
	unsigned int start;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct floor_timing *t = per_cpu_ptr(timing, cpu);

		do {
			start = u64_stats_fetch_begin(&t->syncp);
			e = u64_stats_read(&t->echoes);
			n = u64_stats_read(&t->ns);
		} while (u64_stats_fetch_retry(&t->syncp, start));
		echoes += e;
		ns += n;
	}
	return sysfs_emit(buf, "%llu %llu\n", echoes, ns);
}

static const struct kernel_param_ops timing_ops = {
	.get = timing_get,
};

module_param_cb(timing, &timing_ops, NULL, 0444);
MODULE_PARM_DESC(timing, "echoes and their ns in the hook, read only");

static unsigned int floor_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	u64 t0 = local_clock();
	const struct udphdr *uh;
	struct udphdr _uh;
	unsigned int len;
	int uoff, err;
	u8 *buf;

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
	if (!in_softirq() || len > sizeof(bufs->b))
		return NF_ACCEPT;
	buf = skb_header_pointer(skb, uoff + sizeof(*uh), len,
				 this_cpu_ptr(bufs)->b);
	if (!buf)
		return NF_ACCEPT;
	/* sipreg's own sending code (kmod/send.c), built into this module. */
	err = sipreg_send_reply(state->net, skb, state->pf, uoff, buf, len);
	if (err)
		return NF_ACCEPT;
	consume_skb(skb);
	floor_account(t0);
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
	int err, cpu;

	bufs = alloc_percpu(struct floor_buf);
	timing = alloc_percpu(struct floor_timing);
	if (!bufs || !timing) {
		err = -ENOMEM;
		goto err_free;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(timing, cpu)->syncp);
	err = register_pernet_subsys(&floor_net_ops);
	if (!err)
		return 0;
err_free:
	free_percpu(timing);
	free_percpu(bufs);
	return err;
}

static void __exit floor_exit(void)
{
	unregister_pernet_subsys(&floor_net_ops);
	free_percpu(timing);
	free_percpu(bufs);
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sipreg benchmark floor: echoes UDP datagrams on the SIP port");
