/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SIPREG_FASTPATH_H
#define _SIPREG_FASTPATH_H

#include <linux/types.h>

struct sk_buff;
struct sipreg_config;
struct sipreg_net;

/* What became of a request, for timing (uapi SIPREG_STAT_TIMED_*). */
enum sipreg_tclass {
	SIPREG_TCLASS_CHALLENGE,
	SIPREG_TCLASS_REFRESH,
	SIPREG_TCLASS_RETRANSMISSION,
	SIPREG_TCLASS_MISS,
	SIPREG_TCLASS_PASS,
	SIPREG_TCLASS_OTHER,
};

int sipreg_fastpath_init(void);
void sipreg_fastpath_uninit(void);

/*
 * A UDP datagram to one of the namespace's SIP ports, its UDP header at
 * @uoff; from the hook, under rcu_read_lock(). Returns the hook's verdict
 * (NF_STOLEN once answered or handed to the daemon) and in @tclass what
 * became of the request.
 */
unsigned int sipreg_fastpath(struct sipreg_net *sn,
			     const struct sipreg_config *cfg,
			     struct sk_buff *skb, u8 pf, int uoff,
			     enum sipreg_tclass *tclass);

#endif /* _SIPREG_FASTPATH_H */
