/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Many write requests in flight on one netlink socket: a full push of
 * 100 000 users and bindings, one request and one ack at a time, spends
 * its time in system calls. Requests are packed into one sendmsg() per
 * batch, only the last asks for an ack, and the answers (that ack, and
 * an error for each request that failed) are read with recvmmsg() and
 * matched to their request by sequence number.
 */
#ifndef SIPREGD_KSYNC_PIPELINE_H
#define SIPREGD_KSYNC_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

/*
 * Requests per batch. The kernel queues all their answers (with
 * NETLINK_CAP_ACK well under 1 KB each) before sendmsg() returns: if every
 * request failed, they must still fit in the socket's receive buffer
 * (KNL_CMD_RCVBUF).
 */
#define KPIPE_WINDOW	128
/* Bytes per batch: below the send buffer libnl gives the socket (64 KB). */
#define KPIPE_SEND	(32 * 1024)
/* Room for one ack: an error's extack text with a capped request. */
#define KPIPE_ACK	2048
/* Enough for "AOR <contact>". */
#define KPIPE_LABEL	400

/* The transport; the daemon's is netlink, the unit test's a fake. */
struct kpipe_io {
	/* One batch, whole: 0 or -errno. */
	int (*send)(void *ctx, const void *buf, size_t len);
	/*
	 * Up to @n datagrams into @bufs (KPIPE_ACK bytes each), their
	 * lengths into @lens: the count, or -errno. @wait: block (a few
	 * seconds at most, then -EAGAIN) until the first arrives.
	 */
	int (*recv)(void *ctx, uint8_t (*bufs)[KPIPE_ACK], int *lens, int n,
		    bool wait);
	void *ctx;
};

/*
 * Called once per request: @err 0, or -errno with the kernel's words in
 * the error buffer given to kpipe_begin(); -ETIMEDOUT when the kernel
 * did not answer (the pipeline then stops: kpipe_add() and kpipe_flush()
 * return -ETIMEDOUT, as knl_request() does).
 */
typedef void (*kpipe_done_fn)(void *arg, int tag, const char *label, int err);

struct kpipe;

struct kpipe *kpipe_new(void);
void kpipe_free(struct kpipe *p);
/* A new run of requests on @io, results to @done, texts into @err. */
void kpipe_begin(struct kpipe *p, const struct kpipe_io *io,
		 kpipe_done_fn done, void *arg, char *err, size_t errsz);
/*
 * Queues the request @h (complete: flags, port and a sequence number no
 * other request in flight has), sending the batch when full. @tag and
 * @label come back to done(). 0 or the pipeline's fatal error.
 */
int kpipe_add(struct kpipe *p, const struct nlmsghdr *h, int tag,
	      const char *label);
/* Sends what is queued and waits for every ack: 0 or the fatal error. */
int kpipe_flush(struct kpipe *p);

/* The netlink transport on socket @fd. */
int kpipe_nl_send(void *ctx, const void *buf, size_t len);
int kpipe_nl_recv(void *ctx, uint8_t (*bufs)[KPIPE_ACK], int *lens, int n,
		  bool wait);

#endif /* SIPREGD_KSYNC_PIPELINE_H */
