// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel sync's pipelined writes (pipeline.h). The kernel handles a
 * netlink request inside the sendmsg() that carries it, in order, so when
 * a batch has been sent every answer it will ever get is already queued,
 * in the order of the requests. Only the last request of a batch asks
 * for an ack (NLM_F_ACK): netlink answers a failed request whether asked
 * or not, so once that ack is read, a request without an error before it
 * succeeded. 200 000 acks fewer for a full push of 100 000 users and
 * bindings: each was an skb allocated, queued and read.
 *
 * An overrun of the receive buffer (ENOBUFS) lost some answers: what is
 * not known then is sent again. Requests are all idempotent (an add
 * replaces, a delete of what is gone is ENOENT), so sending one twice is
 * harmless.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "genl.h"
#include "pipeline.h"

struct kpipe_slot {
	uint32_t seq;
	uint32_t off, len;		/* the request, in out[] */
	int tag;
	bool acked;
	char label[KPIPE_LABEL];
};

struct kpipe {
	struct kpipe_io io;
	kpipe_done_fn done;
	void *arg;
	char *err;
	size_t errsz;
	int fatal;
	unsigned int n, left;		/* requests queued, not acked yet */
	uint32_t ack_seq;		/* the batch's last: the one acked */
	bool batch_done;		/* its answer was read */
	size_t len;			/* bytes of out[] used */
	struct kpipe_slot slot[KPIPE_WINDOW];
	uint8_t out[KPIPE_SEND];
	uint8_t in[KPIPE_WINDOW][KPIPE_ACK];
	int lens[KPIPE_WINDOW];
};

struct kpipe *kpipe_new(void)
{
	return calloc(1, sizeof(struct kpipe));
}

void kpipe_free(struct kpipe *p)
{
	free(p);
}

void kpipe_begin(struct kpipe *p, const struct kpipe_io *io,
		 kpipe_done_fn done, void *arg, char *err, size_t errsz)
{
	p->io = *io;
	p->done = done;
	p->arg = arg;
	p->err = err;
	p->errsz = errsz;
	p->fatal = 0;
	p->n = p->left = 0;
	p->len = 0;
}

static void finish(struct kpipe *p, struct kpipe_slot *s, int err)
{
	s->acked = true;
	p->left--;
	p->done(p->arg, s->tag, s->label, err);
}

/* Requests in flight have consecutive numbers: look there first. */
static struct kpipe_slot *slot_of(struct kpipe *p, uint32_t seq)
{
	uint32_t i = seq - p->slot[0].seq;

	if (i < p->n && p->slot[i].seq == seq)
		return p->slot[i].acked ? NULL : &p->slot[i];
	for (i = 0; i < p->n; i++)
		if (p->slot[i].seq == seq)
			return p->slot[i].acked ? NULL : &p->slot[i];
	return NULL;
}

/* One datagram; acks of requests not in flight (timed out) are stale. */
static void take(struct kpipe *p, const uint8_t *buf, int n)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;

	for (; NLMSG_OK(h, (unsigned int)n); h = NLMSG_NEXT(h, n)) {
		const struct nlmsgerr *e = NLMSG_DATA(h);
		struct kpipe_slot *s;

		if (h->nlmsg_type != NLMSG_ERROR ||
		    h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			continue;
		if (h->nlmsg_seq == p->ack_seq)
			p->batch_done = true;
		s = slot_of(p, h->nlmsg_seq);
		if (!s)
			continue;
		if (e->error)
			sipreg_genl_ack_error(h, p->err, p->errsz);
		finish(p, s, e->error);
	}
}

/* Every request still without an ack gets @err; a timeout stops all. */
static int fail_rest(struct kpipe *p, int err, const char *what)
{
	unsigned int i;

	if (err == -EAGAIN) {
		err = p->fatal = -ETIMEDOUT;
		snprintf(p->err, p->errsz, "no answer from the kernel");
	} else {
		snprintf(p->err, p->errsz, "%s%s", what, strerror(-err));
		if (*what)
			err = -EIO;		/* as a failed send always was */
	}
	for (i = 0; i < p->n; i++)
		if (!p->slot[i].acked)
			finish(p, &p->slot[i], err);
	return p->fatal;
}

/* The batch's ack was read and nothing lost: the others succeeded. */
static void finish_silent(struct kpipe *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (!p->slot[i].acked)
			finish(p, &p->slot[i], 0);
}

/*
 * Reads answers until the batch's ack (0), or until an overrun has lost
 * some and the rest are read (1), or fails what is left.
 */
static int collect(struct kpipe *p)
{
	bool lost = false;
	int i, n;

	while (p->left && !p->batch_done) {
		n = p->io.recv(p->io.ctx, p->in, p->lens, KPIPE_WINDOW, !lost);
		if (n == -EINTR)
			continue;
		if (n == -ENOBUFS) {
			lost = true;
			continue;
		}
		if (n == -EAGAIN && lost)
			return 1;
		if (n < 0)
			return fail_rest(p, n, "");
		for (i = 0; i < n; i++)
			take(p, p->in[i], p->lens[i]);
	}
	if (lost)
		return 1;	/* an error may be what was lost */
	finish_silent(p);
	return 0;
}

/* Only the last request asks for an ack. */
static void ask_last(struct kpipe *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)(p->out + p->slot[i].off);

		if (i + 1 < p->n)
			h->nlmsg_flags &= ~NLM_F_ACK;
		else
			h->nlmsg_flags |= NLM_F_ACK;
	}
	p->ack_seq = p->slot[p->n - 1].seq;
	p->batch_done = false;
}

/* The requests without an ack, moved to the front of out[]. */
static void compact(struct kpipe *p)
{
	unsigned int i, n = 0;
	size_t len = 0;

	for (i = 0; i < p->n; i++) {
		struct kpipe_slot *s = &p->slot[i];

		if (s->acked)
			continue;
		memmove(p->out + len, p->out + s->off, NLMSG_ALIGN(s->len));
		s->off = (uint32_t)len;
		len += NLMSG_ALIGN(s->len);
		p->slot[n++] = *s;
	}
	p->n = n;
	p->len = len;
}

int kpipe_flush(struct kpipe *p)
{
	unsigned int before;
	int err, lost;

	while (p->n && !p->fatal) {
		p->left = p->n;
		ask_last(p);
		err = p->io.send(p->io.ctx, p->out, p->len);
		if (err) {
			fail_rest(p, err, "send: ");
			break;
		}
		before = p->left;
		lost = collect(p);
		if (lost != 1)
			break;
		if (p->left == before) {	/* not even one ack fits */
			fail_rest(p, -ENOBUFS, "");
			break;
		}
		compact(p);
	}
	p->n = p->left = 0;
	p->len = 0;
	return p->fatal;
}

int kpipe_add(struct kpipe *p, const struct nlmsghdr *h, int tag,
	      const char *label)
{
	struct kpipe_slot *s;
	size_t len;

	if (p->fatal)
		return p->fatal;
	if (!h || h->nlmsg_len > KPIPE_SEND) {
		snprintf(p->err, p->errsz, h ? "request too large" :
			 "out of memory");
		p->done(p->arg, tag, label, h ? -EMSGSIZE : -ENOMEM);
		return 0;
	}
	len = NLMSG_ALIGN(h->nlmsg_len);
	if ((p->n == KPIPE_WINDOW || p->len + len > KPIPE_SEND) &&
	    kpipe_flush(p))
		return p->fatal;
	s = &p->slot[p->n++];
	s->seq = h->nlmsg_seq;
	s->off = (uint32_t)p->len;
	s->len = h->nlmsg_len;
	s->tag = tag;
	s->acked = false;
	snprintf(s->label, sizeof(s->label), "%s", label);
	memset(p->out + p->len, 0, len);
	memcpy(p->out + p->len, h, h->nlmsg_len);
	p->len += len;
	return 0;
}

/* ---- the netlink transport ---- */

int kpipe_nl_send(void *ctx, const void *buf, size_t len)
{
	int fd = *(const int *)ctx;
	ssize_t n;

	do
		n = send(fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

int kpipe_nl_recv(void *ctx, uint8_t (*bufs)[KPIPE_ACK], int *lens, int n,
		  bool wait)
{
	struct mmsghdr v[KPIPE_WINDOW];
	struct iovec iov[KPIPE_WINDOW];
	int fd = *(const int *)ctx, i, got;

	if (n > KPIPE_WINDOW)
		n = KPIPE_WINDOW;
	memset(v, 0, sizeof(v[0]) * (size_t)n);
	for (i = 0; i < n; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = KPIPE_ACK;
		v[i].msg_hdr.msg_iov = &iov[i];
		v[i].msg_hdr.msg_iovlen = 1;
	}
	/* SO_RCVTIMEO bounds the wait for the first */
	got = recvmmsg(fd, v, (unsigned int)n,
		       wait ? MSG_WAITFORONE : MSG_DONTWAIT, NULL);
	if (got < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	for (i = 0; i < got; i++) {
		struct nlmsghdr *h = (struct nlmsghdr *)bufs[i];

		lens[i] = (int)v[i].msg_len;
		/* a cut ack keeps its error, not its text */
		if ((v[i].msg_hdr.msg_flags & MSG_TRUNC) &&
		    lens[i] >= (int)NLMSG_HDRLEN) {
			h->nlmsg_len = (uint32_t)lens[i];
			h->nlmsg_flags &= ~NLM_F_ACK_TLVS;
		}
	}
	return got;
}
