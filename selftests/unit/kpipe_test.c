// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd's pipelined kernel writes (userspace/sipregd/ksync/pipeline.c)
 * against a fake kernel that answers as netlink does (in order, an ack
 * when asked, an error always): one ack per batch, errors matched to
 * their request by sequence number with the kernel's extack text, a
 * receive buffer overrun that lost answers (what is not known is sent
 * again), a kernel that does not answer, a failed send.
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>

#include "kselftest_harness.h"

#include "ksync/pipeline.h"

#define MAXQ	1024
#define MAXSEQ	1024

struct fake {
	uint8_t q[MAXQ][256];		/* acks queued, one per datagram */
	int qlen[MAXQ], nq, head;
	int sends;
	int sent[MAXSEQ];		/* times each sequence number was sent */
	uint32_t busy_seq;		/* answered -EBUSY with a text */
	bool all_busy;			/* every request is */
	int keep;			/* per batch, answers beyond this are lost */
	int asked;			/* requests that asked for an ack */
	bool silent;			/* no answer at all */
	int send_err;
	bool overrun;			/* ENOBUFS to report */
};

struct result {
	int n, ok, calls[MAXSEQ], err[MAXSEQ];
	char text[MAXSEQ][128];
};

static void queue_ack(struct fake *f, const struct nlmsghdr *req)
{
	static const char msg[] = "users belong to sipregd";
	uint8_t *b = f->q[f->nq];
	struct nlmsghdr *h = (struct nlmsghdr *)b;
	struct nlmsgerr *e = NLMSG_DATA(h);
	struct nlattr *a = (struct nlattr *)(e + 1);
	bool busy = req->nlmsg_seq == f->busy_seq || f->all_busy;

	memset(b, 0, sizeof(f->q[0]));
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_seq = req->nlmsg_seq;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
	h->nlmsg_flags = NLM_F_CAPPED;
	e->msg = *req;
	if (busy) {
		e->error = -EBUSY;
		a->nla_type = NLMSGERR_ATTR_MSG;
		a->nla_len = NLA_HDRLEN + sizeof(msg);
		memcpy(a + 1, msg, sizeof(msg));
		h->nlmsg_len += NLA_ALIGN(a->nla_len);
		h->nlmsg_flags |= NLM_F_ACK_TLVS;
	}
	f->qlen[f->nq++] = (int)h->nlmsg_len;
}

static int fake_send(void *ctx, const void *buf, size_t len)
{
	struct fake *f = ctx;
	const struct nlmsghdr *h = buf;
	int n = (int)len, first = f->nq;

	f->sends++;
	if (f->send_err)
		return f->send_err;
	for (; NLMSG_OK(h, (unsigned int)n); h = NLMSG_NEXT(h, n)) {
		f->sent[h->nlmsg_seq % MAXSEQ]++;
		f->asked += !!(h->nlmsg_flags & NLM_F_ACK);
		if (f->silent)
			continue;
		/* netlink: an ack when asked, an error always */
		if (!(h->nlmsg_flags & NLM_F_ACK) && !f->all_busy &&
		    h->nlmsg_seq != f->busy_seq)
			continue;
		if (f->keep && f->nq - first >= f->keep) {
			f->overrun = true;
			continue;
		}
		queue_ack(f, h);
	}
	return 0;
}

static int fake_recv(void *ctx, uint8_t (*bufs)[KPIPE_ACK], int *lens, int n,
		     bool wait)
{
	struct fake *f = ctx;
	int got = 0;

	if (f->overrun) {
		f->overrun = false;
		return -ENOBUFS;
	}
	while (got < n && f->head < f->nq) {
		memcpy(bufs[got], f->q[f->head], (size_t)f->qlen[f->head]);
		lens[got++] = f->qlen[f->head++];
	}
	return got ? got : -EAGAIN;	/* waiting: "no answer" */
}

static void done(void *arg, int tag, const char *label, int err)
{
	struct result *r = arg;

	r->n++;
	r->ok += !err;
	r->calls[tag]++;
	r->err[tag] = err;
	snprintf(r->text[tag], sizeof(r->text[0]), "%s", label);
}

FIXTURE(kpipe) {
	struct kpipe *p;
	struct fake f;
	struct result r;
	char err[256];
};

FIXTURE_SETUP(kpipe)
{
	const struct kpipe_io io = { fake_send, fake_recv, &self->f };

	memset(&self->f, 0, sizeof(self->f));
	memset(&self->r, 0, sizeof(self->r));
	self->p = kpipe_new();
	ASSERT_NE(NULL, self->p);
	kpipe_begin(self->p, &io, done, &self->r, self->err, sizeof(self->err));
}

FIXTURE_TEARDOWN(kpipe)
{
	kpipe_free(self->p);
}

/* @n requests with sequence numbers 1..n, tag = sequence number. */
static int add_n(struct kpipe *p, int n)
{
	struct {
		struct nlmsghdr h;
		uint8_t body[100];
	} m;
	char label[32];
	int i, err;

	memset(&m, 0, sizeof(m));
	for (i = 1; i <= n; i++) {
		m.h.nlmsg_len = sizeof(m);
		m.h.nlmsg_type = 0x1c;
		m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		m.h.nlmsg_seq = (uint32_t)i;
		snprintf(label, sizeof(label), "user%d", i);
		err = kpipe_add(p, &m.h, i, label);
		if (err)
			return err;
	}
	return 0;
}

static bool each_once(const struct result *r, int n)
{
	int i;

	for (i = 1; i <= n; i++)
		if (r->calls[i] != 1)
			return false;
	return true;
}

TEST_F(kpipe, batches_of_the_window)
{
	ASSERT_EQ(0, add_n(self->p, 300));
	/* nothing waits for an ack until a batch is full */
	EXPECT_EQ(2, self->f.sends);
	ASSERT_EQ(0, kpipe_flush(self->p));
	EXPECT_EQ(3, self->f.sends);
	EXPECT_EQ(300, self->r.n);
	EXPECT_EQ(300, self->r.ok);
	EXPECT_TRUE(each_once(&self->r, 300));
	EXPECT_STREQ("user300", self->r.text[300]);
	EXPECT_EQ(0, kpipe_flush(self->p));	/* nothing left: no send */
	EXPECT_EQ(3, self->f.sends);
	EXPECT_EQ(3, self->f.asked);		/* one ack per batch */
}

TEST_F(kpipe, errors_matched_by_sequence)
{
	self->f.busy_seq = 7;
	ASSERT_EQ(0, add_n(self->p, 20));
	ASSERT_EQ(0, kpipe_flush(self->p));
	EXPECT_EQ(20, self->r.n);
	EXPECT_EQ(19, self->r.ok);
	EXPECT_EQ(-EBUSY, self->r.err[7]);
	EXPECT_STREQ("user7", self->r.text[7]);
	EXPECT_EQ(0, self->r.err[6]);
	EXPECT_EQ(0, self->r.err[8]);
	/* the kernel's words, for the log line naming the user */
	EXPECT_NE(NULL, strstr(self->err, "users belong to sipregd"));
	EXPECT_TRUE(each_once(&self->r, 20));
}

TEST_F(kpipe, stale_acks_ignored)
{
	struct nlmsghdr old = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_seq = 999 };

	self->f.busy_seq = 999;
	queue_ack(&self->f, &old);		/* of a request that timed out */
	ASSERT_EQ(0, add_n(self->p, 5));
	ASSERT_EQ(0, kpipe_flush(self->p));
	EXPECT_EQ(5, self->r.ok);
	EXPECT_TRUE(each_once(&self->r, 5));
}

/* The batch's own ack is an error: the others still succeeded. */
TEST_F(kpipe, error_of_the_acked_request)
{
	self->f.busy_seq = 20;
	ASSERT_EQ(0, add_n(self->p, 20));
	ASSERT_EQ(0, kpipe_flush(self->p));
	EXPECT_EQ(19, self->r.ok);
	EXPECT_EQ(-EBUSY, self->r.err[20]);
	EXPECT_TRUE(each_once(&self->r, 20));
}

TEST_F(kpipe, overrun_sends_the_unknown_again)
{
	int i;

	self->f.all_busy = true;
	self->f.keep = 50;			/* room for 50 errors a batch */
	ASSERT_EQ(0, add_n(self->p, 128));
	ASSERT_EQ(0, kpipe_flush(self->p));
	EXPECT_EQ(0, self->r.ok);
	EXPECT_EQ(-EBUSY, self->r.err[128]);
	EXPECT_TRUE(each_once(&self->r, 128));
	EXPECT_EQ(3, self->f.sends);		/* 128, 78, 28 */
	for (i = 1; i <= 50; i++)
		EXPECT_EQ(1, self->f.sent[i]);
	EXPECT_EQ(2, self->f.sent[51]);
	EXPECT_EQ(3, self->f.sent[128]);
}

TEST_F(kpipe, overrun_without_any_ack_fails_the_rest)
{
	self->f.keep = -1;			/* not even one answer fits */
	ASSERT_EQ(0, add_n(self->p, 10));
	EXPECT_EQ(0, kpipe_flush(self->p));	/* an error, not a timeout */
	EXPECT_EQ(10, self->r.n);
	EXPECT_EQ(0, self->r.ok);
	EXPECT_EQ(-ENOBUFS, self->r.err[10]);
}

TEST_F(kpipe, no_answer_stops_the_pipeline)
{
	self->f.silent = true;
	ASSERT_EQ(0, add_n(self->p, 10));
	EXPECT_EQ(-ETIMEDOUT, kpipe_flush(self->p));
	EXPECT_EQ(10, self->r.n);
	EXPECT_EQ(-ETIMEDOUT, self->r.err[1]);
	EXPECT_STREQ("no answer from the kernel", self->err);
	/* nothing more is taken, nothing reported twice */
	EXPECT_EQ(-ETIMEDOUT, add_n(self->p, 1));
	EXPECT_EQ(10, self->r.n);
	EXPECT_EQ(1, self->f.sends);
}

TEST_F(kpipe, failed_send_fails_its_batch_only)
{
	self->f.send_err = -ECONNREFUSED;
	ASSERT_EQ(0, add_n(self->p, 3));
	EXPECT_EQ(0, kpipe_flush(self->p));
	EXPECT_EQ(3, self->r.n);
	EXPECT_EQ(-EIO, self->r.err[2]);
	EXPECT_EQ(0, strncmp(self->err, "send: ", 6));
	self->f.send_err = 0;
	memset(&self->r, 0, sizeof(self->r));
	ASSERT_EQ(0, add_n(self->p, 3));
	EXPECT_EQ(0, kpipe_flush(self->p));
	EXPECT_EQ(3, self->r.ok);
}

TEST_F(kpipe, unbuilt_request_is_an_error)
{
	EXPECT_EQ(0, kpipe_add(self->p, NULL, 4, "user4"));
	EXPECT_EQ(-ENOMEM, self->r.err[4]);
	EXPECT_STREQ("out of memory", self->err);
	EXPECT_EQ(0, self->f.sends);
}

TEST_HARNESS_MAIN
