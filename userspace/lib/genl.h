/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sipregd's kernel sync and sipregctl both do with generic netlink
 * (libnl-genl-3): sockets that ask for extended acks, requests for the
 * "sipreg" family, nests that strict validation accepts, and the words of
 * an NLMSG_ERROR for the user.
 */
#ifndef SIPREG_LIB_GENL_H
#define SIPREG_LIB_GENL_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

/*
 * A connected generic netlink socket with extended and capped acks and no
 * sequence check (replies are matched by their callers). @rcvbuf: bytes,
 * 0 for the default; @timeout_s: blocking receives give up after it (0:
 * never). NULL when out of memory or when the socket cannot connect.
 */
struct nl_sock *sipreg_genl_open(int rcvbuf, int timeout_s);

/* A @family request for @cmd in a message of @size bytes (0: libnl's default). */
struct nl_msg *sipreg_genl_request(int family, uint8_t cmd, int flags, size_t size);

/* A nest with NLA_F_NESTED set, as strict validation wants (libnl 3.7 does not). */
static inline struct nlattr *sipreg_genl_nest(struct nl_msg *msg, int type)
{
	return nla_nest_start(msg, type | NLA_F_NESTED);
}

/*
 * The words for an NLMSG_ERROR @h carrying a non-zero error: the extended
 * ack's message (or the missing attribute it names) followed by
 * "(strerror)", or strerror alone.
 */
void sipreg_genl_ack_error(const struct nlmsghdr *h, char *buf, size_t size);

#endif /* SIPREG_LIB_GENL_H */
