// SPDX-License-Identifier: GPL-2.0
/*
 * The misses sipregd keeps while it waits for an ack on the miss socket
 * (userspace/sipregd/ksync/backlog.c): as many as the byte budget holds,
 * whatever their number, served in the order they came; past the budget
 * a miss is lost (and counted by the caller), and the budget is free
 * again once drained.
 */
#include <string.h>

#include "kselftest_harness.h"

#include "ksync/backlog.h"

#define MSG	200		/* bytes per message, about a miss */

struct seen {
	unsigned int n, out_of_order;
};

static void make(struct nlmsghdr *h, unsigned int seq)
{
	memset(h, 0, MSG);
	h->nlmsg_len = MSG;
	h->nlmsg_seq = seq;
}

static void count(void *arg, const struct nlmsghdr *h)
{
	struct seen *s = arg;

	s->out_of_order += h->nlmsg_seq != s->n;
	s->n++;
}

/* More than the 1 024 a fixed array used to keep. */
TEST(budget_in_bytes_not_messages)
{
	union { struct nlmsghdr h; char b[MSG]; } m;
	struct backlog b;
	struct seen s = { 0 };
	unsigned int i;

	backlog_init(&b, 5000 * MSG);
	for (i = 0; i < 5000; i++) {
		make(&m.h, i);
		ASSERT_EQ(0, backlog_keep(&b, &m.h));
	}
	make(&m.h, i);
	EXPECT_EQ(-1, backlog_keep(&b, &m.h));	/* the budget is full */
	backlog_drain(&b, count, &s);
	EXPECT_EQ(5000, s.n);
	EXPECT_EQ(0, s.out_of_order);
	/* drained: room again */
	EXPECT_EQ(0, backlog_keep(&b, &m.h));
	backlog_free(&b);
}

TEST(free_forgets_what_was_kept)
{
	union { struct nlmsghdr h; char b[MSG]; } m;
	struct backlog b;
	struct seen s = { 0 };

	backlog_init(&b, 10 * MSG);
	make(&m.h, 0);
	ASSERT_EQ(0, backlog_keep(&b, &m.h));
	backlog_free(&b);
	backlog_drain(&b, count, &s);
	EXPECT_EQ(0, s.n);
	EXPECT_EQ(0, backlog_keep(&b, &m.h));	/* the budget stays */
	backlog_free(&b);
}

TEST_HARNESS_MAIN
