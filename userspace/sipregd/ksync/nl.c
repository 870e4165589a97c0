// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel sync's netlink transport: libnl builds and sends the messages,
 * the replies are read here with recv() so that every errno (ENOBUFS on
 * an events socket above all) reaches the caller as it is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>

#include "genl.h"
#include "kernel_priv.h"

/* A kernel that does not answer in this time is treated as gone. */
#define REQUEST_TIMEOUT_S	5
#define DUMP_TRIES		5

struct nl_sock *knl_open(int rcvbuf)
{
	return sipreg_genl_open(rcvbuf, REQUEST_TIMEOUT_S);
}

void knl_close(struct nl_sock **sk)
{
	if (*sk)
		nl_socket_free(*sk);
	*sk = NULL;
}

struct nl_msg *knl_msg(const struct kernel *k, uint8_t cmd, int flags)
{
	return sipreg_genl_request(k->family, cmd, flags, KNL_BUF / 4);
}

/*
 * Whether the module knows SIPREG_A_CLAIM: one older than it refuses a
 * request with an attribute above its maximum. Asked once per
 * connection, on a socket of its own; if the question fails, yes.
 */
static bool claim_known(struct kernel *k)
{
	struct genl_family *f = NULL;
	struct nl_cache *cache;
	struct nl_sock *sk;

	if (k->claim_attr)
		return k->claim_attr > 0;
	k->claim_attr = 1;
	sk = knl_open(0);
	if (sk && !genl_ctrl_alloc_cache(sk, &cache)) {
		f = genl_ctrl_search_by_name(cache, SIPREG_GENL_NAME);
		if (f && genl_family_get_maxattr(f) < SIPREG_A_CLAIM)
			k->claim_attr = -1;
		if (f)
			genl_family_put(f);
		nl_cache_free(cache);
	}
	knl_close(&sk);
	return k->claim_attr > 0;
}

struct nl_msg *knl_msg_owned(struct kernel *k, uint8_t cmd, int flags)
{
	struct nl_msg *msg = knl_msg(k, cmd, flags);

	if (msg && k->miss && claim_known(k) &&
	    nla_put_u32(msg, SIPREG_A_CLAIM, nl_socket_get_local_port(k->miss))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Every user and contact of a push is built in the one message k->item:
 * a new message each cost a zeroed page (libnl's calloc), a quarter of
 * a full push's instructions. libnl has no reset, but nlmsg_put() (in
 * genlmsg_put()) writes a fresh header over any message that has room
 * for one.
 */
struct nl_msg *knl_item_msg(struct kernel *k, uint8_t cmd, bool owned)
{
	if (!k->item)
		k->item = nlmsg_alloc();
	if (!k->item)
		return NULL;
	nlmsg_hdr(k->item)->nlmsg_len = NLMSG_HDRLEN;
	if (!genlmsg_put(k->item, NL_AUTO_PORT, NL_AUTO_SEQ, k->family, 0,
			 NLM_F_ACK, cmd, SIPREG_GENL_VERSION) ||
	    (owned && k->miss && claim_known(k) &&
	     nla_put_u32(k->item, SIPREG_A_CLAIM,
			 nl_socket_get_local_port(k->miss))))
		return NULL;
	return k->item;
}

/* ---- pipelined writes (pipeline.c) on the command socket ---- */

void knl_pipe_begin(struct kernel *k, kpipe_done_fn done, void *arg)
{
	const struct kpipe_io io = { kpipe_nl_send, kpipe_nl_recv, &k->pipe_fd };

	k->pipe_fd = nl_socket_get_fd(k->cmd);
	kpipe_begin(k->pipe, &io, done, arg, k->err, sizeof(k->err));
}

int knl_pipe_add(struct kernel *k, struct nl_msg *msg, int tag,
		 const char *label)
{
	int err;

	if (msg)
		nl_complete_msg(k->cmd, msg);	/* flags, port, sequence */
	err = kpipe_add(k->pipe, msg ? nlmsg_hdr(msg) : NULL, tag, label);
	if (msg != k->item)
		nlmsg_free(msg);
	return err;
}

int knl_pipe_flush(struct kernel *k)
{
	return kpipe_flush(k->pipe);
}

int knl_recv(struct nl_sock *sk, uint8_t *buf)
{
	ssize_t n = recv(nl_socket_get_fd(sk), buf, KNL_BUF, MSG_DONTWAIT);

	if (n >= 0)
		return (int)n;
	return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

void knl_backlog_free(struct kernel *k)
{
	backlog_free(&k->backlog);
}

/* A message for someone else on the miss socket: a miss, kept. */
static void keep(struct kernel *k, const struct nlmsghdr *h)
{
	if (!k->backlog.budget)
		backlog_init(&k->backlog, KNL_BACKLOG_BYTES);
	if (backlog_keep(&k->backlog, h))
		k->stats.miss_lost++;
}

struct wait {
	uint32_t seq;
	bool keep;			/* the miss socket: keep strays */
	knl_reply_fn cb;
	void *arg;
	int err;
	bool done, intr;
};

/* One datagram's messages; the ones of other requests are stale. */
static void take(struct kernel *k, struct wait *w, int n)
{
	struct nlmsghdr *h = (struct nlmsghdr *)k->buf;

	for (; NLMSG_OK(h, (unsigned int)n); h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_seq != w->seq) {
			if (w->keep && h->nlmsg_type != NLMSG_ERROR)
				keep(k, h);
			continue;
		}
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			w->intr = true;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			w->err = e->error;
			if (e->error)
				sipreg_genl_ack_error(h, k->err, sizeof(k->err));
			w->done = true;
		} else if (h->nlmsg_type == NLMSG_DONE) {
			const int *e = NLMSG_DATA(h);

			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) && *e < 0) {
				w->err = *e;
				snprintf(k->err, sizeof(k->err), "dump: %s",
					 strerror(-*e));
			}
			w->done = true;
		} else if (w->cb && !w->err) {
			w->err = w->cb(w->arg, h);
		}
	}
}

static int request_once(struct kernel *k, struct nl_sock *sk,
			struct nl_msg *msg, struct wait *w)
{
	ssize_t n;

	if (nl_send_auto(sk, msg) < 0) {
		snprintf(k->err, sizeof(k->err), "send: %s", strerror(errno));
		return -EIO;
	}
	w->seq = nlmsg_hdr(msg)->nlmsg_seq;
	while (!w->done) {
		n = recv(nl_socket_get_fd(sk), k->buf, KNL_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(k->err, sizeof(k->err), "%s",
				 errno == EAGAIN ? "no answer from the kernel" :
				 strerror(errno));
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		take(k, w, (int)n);
	}
	return w->err;
}

int knl_request(struct kernel *k, struct nl_sock *sk, struct nl_msg *msg,
		knl_reply_fn cb, void *arg)
{
	struct wait w;
	int err, tries = 0;

	if (!msg) {
		snprintf(k->err, sizeof(k->err), "out of memory");
		return -ENOMEM;
	}
	k->err[0] = 0;
	do {
		if (tries && cb)
			cb(arg, NULL);		/* start over */
		memset(&w, 0, sizeof(w));
		w.cb = cb;
		w.arg = arg;
		w.keep = sk == k->miss;
		err = request_once(k, sk, msg, &w);
	} while (!err && w.intr && ++tries < DUMP_TRIES);
	if (!err && w.intr) {
		snprintf(k->err, sizeof(k->err), "the table kept changing");
		err = -EINTR;
	}
	nlmsg_free(msg);
	return err;
}
