/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_NETLINK_H
#define _SIPREG_NETLINK_H

#include <linux/in6.h>
#include <linux/types.h>

#include "uapi/sipreg.h"

struct sk_buff;
struct sipreg_net;

/*
 * Module load: register, then the namespaces, then open; unload: close,
 * the namespaces, unregister. The family outlives everything that sends
 * on it; requests see the namespaces' state only while it exists.
 */
int sipreg_genl_register(void);
/* The namespace goes: its claim (a socket reference) too. */
void sipreg_netlink_claim_exit(struct sipreg_net *sn);
int sipreg_genl_open(void);
void sipreg_genl_close(void);
void sipreg_genl_unregister(void);

/* Where a missed REGISTER came from and why it missed. */
struct sipreg_miss_meta {
	union {
		__be32 v4;
		struct in6_addr v6;
	} saddr, daddr;
	__be16 sport;
	__be16 dport;
	u8 family;			/* AF_INET or AF_INET6 */
	int ifindex;
	enum sipreg_miss_reason reason;
	u32 verdict;			/* the parser's */
};

enum sipreg_busy {
	SIPREG_BUSY_NO,
	SIPREG_BUSY_BYTES,	/* 3/4 of the socket's receive buffer */
	SIPREG_BUSY_COUNT,	/* config miss_queue_max messages */
	SIPREG_BUSY_AGE,	/* its oldest waited config miss_queue_age */
	SIPREG_BUSY_WAIT,	/* a new one would wait config miss_queue_wait */
};

struct sipreg_config;

/* Whether the daemon's miss queue is full, and why; under rcu_read_lock(). */
enum sipreg_busy sipreg_netlink_daemon_busy(struct sipreg_net *sn,
					    const struct sipreg_config *cfg);

/*
 * Hands a REGISTER the kernel did not answer to the daemon that claimed
 * the miss channel; from the hook (softirq) or with bottom halves off. Counts the miss under
 * its reason. Returns -ENOTCONN when no daemon has claimed the channel:
 * the caller then lets the packet through.
 */
int sipreg_netlink_send_miss(struct sipreg_net *sn, const void *data,
			     size_t len, const struct sipreg_miss_meta *meta);

/*
 * A notification on the events group: _new() returns NULL when nobody
 * listens or memory is short (counted); the caller adds attributes and
 * gives the result (0 or an error, then the message is dropped and
 * counted) to _send(), which always consumes @skb.
 */
/* Whether anyone listens to the events group of @sn's namespace. */
bool sipreg_netlink_has_listeners(struct sipreg_net *sn);

struct sk_buff *sipreg_netlink_event_new(struct sipreg_net *sn, u8 cmd,
					 u32 event, size_t size, gfp_t gfp,
					 void **hdr);
void sipreg_netlink_event_send(struct sipreg_net *sn, struct sk_buff *skb,
			       void *hdr, int err, gfp_t gfp);

#endif /* _SIPREG_NETLINK_H */
