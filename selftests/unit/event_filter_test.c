// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd's events socket filter (userspace/sipregd/ksync/event_filter.c)
 * on a datagram socket pair: notifications laid out as the module sends
 * them go through or not by their event; anything else goes through.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"

#include "sipreg.h"
#include "ksync/event_filter.h"

#define FAMILY	35

/* A notification: header, genl header, EVENT first, then a filler. */
static size_t ntf(uint8_t *buf, uint16_t type, uint8_t cmd,
		  uint16_t attr, uint32_t event)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(h);
	struct nlattr *a = (struct nlattr *)(g + 1);
	struct nlattr *b = (struct nlattr *)((uint8_t *)(a + 1) + 4);

	memset(buf, 0, 64);
	h->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + 2 * (NLA_HDRLEN + 4));
	h->nlmsg_type = type;
	g->cmd = cmd;
	a->nla_type = attr;
	a->nla_len = NLA_HDRLEN + 4;
	memcpy(a + 1, &event, 4);
	b->nla_type = 99;
	b->nla_len = NLA_HDRLEN + 4;
	return h->nlmsg_len;
}

FIXTURE(filter) {
	int fd[2];
};

FIXTURE_SETUP(filter)
{
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, self->fd));
	ASSERT_EQ(0, kevents_filter(self->fd[1], FAMILY));
}

FIXTURE_TEARDOWN(filter)
{
	close(self->fd[0]);
	close(self->fd[1]);
}

/* Sends one datagram; true when it arrived whole. */
static bool passes(int fd[2], const uint8_t *buf, size_t len)
{
	uint8_t in[128];
	ssize_t n;

	if (send(fd[0], buf, len, 0) != (ssize_t)len)
		return false;
	n = recv(fd[1], in, sizeof(in), MSG_DONTWAIT);
	return n == (ssize_t)len && !memcmp(in, buf, len);
}

TEST_F(filter, acted_on_events_pass)
{
	static const uint32_t in[] = {
		SIPREG_EVENT_BINDING_REFRESHED, SIPREG_EVENT_BINDING_EXPIRED,
		SIPREG_EVENT_OVERFLOW,
	};
	uint8_t buf[64];
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		EXPECT_TRUE(passes(self->fd, buf,
				   ntf(buf, FAMILY, SIPREG_CMD_BINDING_NTF,
				       SIPREG_A_EVENT, in[i])));
}

TEST_F(filter, echoes_of_writes_dropped)
{
	static const uint32_t out[] = {
		SIPREG_EVENT_BINDING_ADDED, SIPREG_EVENT_BINDING_DELETED,
		SIPREG_EVENT_BINDINGS_FLUSHED,
	};
	uint8_t buf[64];
	size_t i;

	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		EXPECT_FALSE(passes(self->fd, buf,
				    ntf(buf, FAMILY, SIPREG_CMD_BINDING_NTF,
					SIPREG_A_EVENT, out[i])));
	EXPECT_FALSE(passes(self->fd, buf,
			    ntf(buf, FAMILY, SIPREG_CMD_USER_NTF,
				SIPREG_A_EVENT, SIPREG_EVENT_USER_ADDED)));
	EXPECT_FALSE(passes(self->fd, buf,
			    ntf(buf, FAMILY, SIPREG_CMD_USER_NTF,
				SIPREG_A_EVENT, SIPREG_EVENT_USERS_FLUSHED)));
	/* what was dropped was never queued: the next one is first */
	EXPECT_TRUE(passes(self->fd, buf,
			   ntf(buf, FAMILY, SIPREG_CMD_BINDING_NTF,
			       SIPREG_A_EVENT, SIPREG_EVENT_BINDING_EXPIRED)));
}

TEST_F(filter, unknown_layouts_pass)
{
	uint8_t buf[64];

	/* another family, even with an echo's bytes */
	EXPECT_TRUE(passes(self->fd, buf,
			   ntf(buf, FAMILY + 1, SIPREG_CMD_USER_NTF,
			       SIPREG_A_EVENT, SIPREG_EVENT_USER_ADDED)));
	/* EVENT not first */
	EXPECT_TRUE(passes(self->fd, buf,
			   ntf(buf, FAMILY, SIPREG_CMD_BINDING_NTF,
			       SIPREG_A_BINDING, SIPREG_EVENT_BINDING_ADDED)));
	/* another command of the family */
	EXPECT_TRUE(passes(self->fd, buf,
			   ntf(buf, FAMILY, SIPREG_CMD_BINDING_GET,
			       SIPREG_A_EVENT, SIPREG_EVENT_BINDING_ADDED)));
	/* a netlink control message (an error, say) */
	EXPECT_TRUE(passes(self->fd, buf,
			   ntf(buf, NLMSG_ERROR, 0, 0, 0)));
}

TEST_HARNESS_MAIN
