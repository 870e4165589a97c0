/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_SEND_H
#define _SIPREG_SEND_H

#include <linux/skbuff.h>

struct net;

/*
 * Sends @len bytes of @data as a UDP datagram answering @req: to the
 * request's source address and port, from the address and port it was sent
 * to (RFC 3581 symmetric response). @uoff is the offset of the request's UDP
 * header. Runs in the hook, in softirq context: never sleeps.
 */
/*
 * The reply to @req as a routed skb ready to go, or an ERR_PTR: nothing
 * has left yet, so the caller may still change its mind (kfree_skb).
 */
struct sk_buff *sipreg_send_build(struct net *net, const struct sk_buff *req,
				  u8 pf, int uoff, const void *data,
				  unsigned int len);
/* Sends what sipreg_send_build() made; 0 or a negative errno. */
int sipreg_send_xmit(struct net *net, struct sk_buff *skb);
/* Both at once. */
int sipreg_send_reply(struct net *net, const struct sk_buff *req, u8 pf,
		      int uoff, const void *data, unsigned int len);

#endif /* _SIPREG_SEND_H */
