// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "genl.h"
#include "sipreg.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct nl_sock *sipreg_genl_open(int rcvbuf, int timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, fd;

	if (!sk)
		return NULL;
	if (nl_connect(sk, NETLINK_GENERIC)) {
		nl_socket_free(sk);
		return NULL;
	}
	fd = nl_socket_get_fd(sk);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (timeout_s)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* FORCE: above rmem_max, as root may; a tiny one is for tests */
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				 sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	nl_socket_disable_seq_check(sk);
	return sk;
}

struct nl_msg *sipreg_genl_request(int family, uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				flags, cmd, SIPREG_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

void sipreg_genl_ack_error(const struct nlmsghdr *h, char *buf, size_t size)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	snprintf(buf, size, "%s", strerror(-e->error));
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* without CAPPED the request comes back whole before the TLVs */
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (off >= h->nlmsg_len ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)h + off),
		      (int)(h->nlmsg_len - off), NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(buf, size, "%s (%s)",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]),
			 strerror(-e->error));
	else if (tb[NLMSGERR_ATTR_MISS_TYPE])
		snprintf(buf, size, "missing attribute %u in the request (%s)",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
			 strerror(-e->error));
}
