/* SPDX-License-Identifier: GPL-2.0 */
/* sipregctl's netlink transport (libnl-genl-3). */
#ifndef SIPREG_CTL_NL_H
#define SIPREG_CTL_NL_H

#include <stddef.h>
#include <stdint.h>

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

struct ctl_nl {
	struct nl_sock *sk;
	int family;
	char err[512];		/* why the last call failed */
};

/* Every reply message of one request, copied. */
struct ctl_replies {
	struct nlmsghdr **msg;
	size_t n;
};

/* CTL_OK, or CTL_KERNEL with nl->err ("... not loaded ..."). */
int ctl_nl_open(struct ctl_nl *nl);
void ctl_nl_close(struct ctl_nl *nl);

/* A request for @cmd; NULL when out of memory. */
struct nl_msg *ctl_nl_msg(struct ctl_nl *nl, uint8_t cmd, int flags);

/*
 * Sends @msg (and frees it), waits for the answer, collects the replies in
 * @out (may be NULL). A dump interrupted by a concurrent change is redone.
 * Returns 0 or a negative errno with the kernel's message in nl->err.
 */
int ctl_nl_transact(struct ctl_nl *nl, struct nl_msg *msg,
		    struct ctl_replies *out);
void ctl_replies_free(struct ctl_replies *r);

/* Calls @cb for every event until @cb returns non-zero or an error. */
int ctl_nl_monitor(struct ctl_nl *nl, int (*cb)(struct nlmsghdr *, void *),
		   void *arg);

#endif /* SIPREG_CTL_NL_H */
