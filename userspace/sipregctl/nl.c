// SPDX-License-Identifier: GPL-2.0
/*
 * sipregctl's netlink transport: one socket with extended acks, requests
 * that wait for their ack, replies collected before anything is printed
 * (so a dump redone after NLM_F_DUMP_INTR never prints twice).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "ctl.h"
#include "genl.h"
#include "nl.h"

#define DUMP_TRIES 5

struct transact {
	struct ctl_nl *nl;
	struct ctl_replies *out;
	int error;
	bool done;
};

int ctl_nl_open(struct ctl_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->sk = sipreg_genl_open(0, 0);
	if (!nl->sk) {
		snprintf(nl->err, sizeof(nl->err),
			 "cannot open a generic netlink socket");
		return CTL_KERNEL;
	}
	nl->family = genl_ctrl_resolve(nl->sk, SIPREG_GENL_NAME);
	if (nl->family < 0) {
		snprintf(nl->err, sizeof(nl->err),
			 "the sipreg module is not loaded (no \"%s\" netlink family)",
			 SIPREG_GENL_NAME);
		return CTL_KERNEL;
	}
	return CTL_OK;
}

void ctl_nl_close(struct ctl_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *ctl_nl_msg(struct ctl_nl *nl, uint8_t cmd, int flags)
{
	return sipreg_genl_request(nl->family, cmd, flags, 0);
}

void ctl_replies_free(struct ctl_replies *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->msg[i]);
	free(r->msg);
	r->msg = NULL;
	r->n = 0;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg), *copy, **v;

	if (!t->out)
		return NL_OK;
	v = realloc(t->out->msg, (t->out->n + 1) * sizeof(*v));
	copy = malloc(h->nlmsg_len);
	if (!v || !copy) {
		free(copy);
		if (v)
			t->out->msg = v;
		t->error = -ENOMEM;
		return NL_STOP;
	}
	memcpy(copy, h, h->nlmsg_len);
	v[t->out->n++] = copy;
	t->out->msg = v;
	return NL_OK;
}

static int done_cb(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

static int error_cb(struct sockaddr_nl *sa, struct nlmsgerr *e, void *arg)
{
	struct transact *t = arg;
	const struct nlmsghdr *h = (const struct nlmsghdr *)e - 1;

	(void)sa;
	t->error = e->error;
	t->done = true;
	sipreg_genl_ack_error(h, t->nl->err, sizeof(t->nl->err));
	return NL_STOP;
}

static int transact_once(struct ctl_nl *nl, struct nl_msg *msg,
			 struct transact *t)
{
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, done_cb, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, done_cb, t);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, t);
	err = nl_send_auto(nl->sk, msg);
	while (err >= 0 && !t->done && !t->error)
		err = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (t->error)
		return t->error;
	if (err == -NLE_DUMP_INTR)
		return -EINTR;
	if (err < 0) {
		snprintf(nl->err, sizeof(nl->err), "%s", nl_geterror(err));
		return -EIO;
	}
	return 0;
}

int ctl_nl_transact(struct ctl_nl *nl, struct nl_msg *msg,
		    struct ctl_replies *out)
{
	struct transact t;
	int err, tries = 0;

	do {
		memset(&t, 0, sizeof(t));
		t.nl = nl;
		t.out = out;
		nl->err[0] = 0;
		if (out)
			ctl_replies_free(out);
		/*
		 * A new sequence number for each try: libnl numbers a message
		 * once and expects the next number after the interrupted
		 * dump's DONE, so a resend with the old one is refused as a
		 * sequence mismatch.
		 */
		nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
		err = transact_once(nl, msg, &t);
	} while (err == -EINTR && ++tries < DUMP_TRIES);
	if (err == -EINTR)
		snprintf(nl->err, sizeof(nl->err),
			 "the table kept changing during the dump");
	nlmsg_free(msg);
	return err;
}

struct monitor {
	int (*cb)(struct nlmsghdr *, void *);
	void *arg;
	int stop;
};

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct monitor *m = arg;

	m->stop = m->cb(nlmsg_hdr(msg), m->arg);
	return m->stop ? NL_STOP : NL_OK;
}

int ctl_nl_monitor(struct ctl_nl *nl, int (*cb)(struct nlmsghdr *, void *),
		   void *arg)
{
	struct monitor m = { .cb = cb, .arg = arg };
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, SIPREG_GENL_NAME,
				    SIPREG_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		snprintf(nl->err, sizeof(nl->err), "no \"%s\" group: %s",
			 SIPREG_GENL_MCGRP_EVENTS, nl_geterror(grp));
		return -ENOENT;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err) {
		snprintf(nl->err, sizeof(nl->err), "cannot join events: %s",
			 nl_geterror(err));
		return -EIO;
	}
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, monitor_cb, &m);
	while (!m.stop) {
		err = nl_recvmsgs_default(nl->sk);
		/* ENOBUFS: events were lost; say so and go on. */
		if (err == -NLE_NOMEM) {
			fprintf(stderr, "sipregctl: monitor: events lost\n");
			continue;
		}
		if (err < 0) {
			snprintf(nl->err, sizeof(nl->err), "%s", nl_geterror(err));
			return -EIO;
		}
	}
	return 0;
}
