/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Misses read while a request on the miss socket waits for its ack (the
 * claim, the nonce keys: the kernel takes them from the claiming socket
 * only). The ack is queued behind every miss already in the socket, so
 * all of them are read first and kept here, for the loop to serve
 * afterwards. In a registration storm that is as much as the socket
 * holds: the budget is its buffer in bytes (a count of 1 024 lost
 * thousands of misses at the first key rotation of a storm), not a
 * number of messages.
 */
#ifndef SIPREGD_KSYNC_BACKLOG_H
#define SIPREGD_KSYNC_BACKLOG_H

#include <stddef.h>
#include <linux/netlink.h>

struct backlog {
	struct nlmsghdr **v;
	size_t n, cap;
	size_t bytes, budget;		/* kept, and at most */
};

/* @budget: bytes of messages kept at most. */
void backlog_init(struct backlog *b, size_t budget);
/* A copy of @h, kept: 0, or -1 when it does not fit (lost). */
int backlog_keep(struct backlog *b, const struct nlmsghdr *h);
/* Each kept message to @fn in the order it came, then forgotten. */
void backlog_drain(struct backlog *b,
		   void (*fn)(void *arg, const struct nlmsghdr *h), void *arg);
void backlog_free(struct backlog *b);

#endif /* SIPREGD_KSYNC_BACKLOG_H */
