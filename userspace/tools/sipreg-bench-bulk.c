// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-bench-bulk: installs many synthetic users or bindings in the
 * module of this network namespace, fast, for the scale benchmark.
 * sipregctl does one request and waits for its ack; a million of those
 * take minutes under emulation. Here up to 32 KB of requests go in one
 * sendmsg() without acks (the kernel still answers each failure with an
 * error message), and since the kernel handles a generic netlink request
 * inside the sender's sendmsg(), whatever failed is queued when it
 * returns and is read right away.
 *
 *   sipreg-bench-bulk bindings N [FIRST [EXPIRES|@AT]]
 *                                          AOR sip:bulkNNNNNNNN@bench.invalid,
 *                                          one contact each, EXPIRES seconds
 *                                          (default 7200), or all expiring
 *                                          at CLOCK_BOOTTIME second AT
 *   sipreg-bench-bulk users N [REALM]      user%06d with the HA1 of pw%06d
 *                                          (sipreg-load's defaults)
 *
 * Exit status: 0 all installed, 1 usage, 2 netlink error or refusals.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "ha1.h"
#include "sipreg.h"

#define BUF_MAX		(32 * 1024)
#define MSG_MAX		1024

struct bulk {
	int fd;
	int family;
	u32 seq;
	u8 buf[BUF_MAX];
	size_t len;
	u64 refused;
	int first_err;
};

static size_t put_attr(u8 *p, u16 type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(a->nla_len);
}

static size_t put_str(u8 *p, u16 type, const char *s)
{
	return put_attr(p, type, s, strlen(s) + 1);
}

static size_t put_u32(u8 *p, u16 type, u32 v)
{
	return put_attr(p, type, &v, sizeof(v));
}

/* Reads every queued answer; only errors are expected. */
static int drain(struct bulk *b)
{
	static u8 rbuf[64 * 1024];

	for (;;) {
		ssize_t n = recv(b->fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		struct nlmsghdr *h;
		int left;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			/* ENOBUFS: errors were lost; they were still errors. */
			if (errno == ENOBUFS) {
				b->refused++;
				continue;
			}
			perror("sipreg-bench-bulk: recv");
			return -1;
		}
		left = (int)n;
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type != NLMSG_ERROR || !e->error)
				continue;
			b->refused++;
			if (!b->first_err)
				b->first_err = e->error;
		}
	}
}

static int flush(struct bulk *b)
{
	size_t off = 0;

	while (off < b->len) {
		ssize_t n = send(b->fd, b->buf + off, b->len - off, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("sipreg-bench-bulk: send");
			return -1;
		}
		off += n;
	}
	b->len = 0;
	return drain(b);
}

/* Starts a request in the buffer; returns where its attributes go. */
static u8 *begin(struct bulk *b, u8 cmd)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + b->len);
	struct genlmsghdr *g = NLMSG_DATA(h);

	memset(h, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = b->family;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_seq = ++b->seq;
	g->cmd = cmd;
	g->version = SIPREG_GENL_VERSION;
	return (u8 *)g + GENL_HDRLEN;
}

static int end(struct bulk *b, u8 *attrs_end)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(b->buf + b->len);

	h->nlmsg_len = attrs_end - (u8 *)h;
	b->len += NLMSG_ALIGN(h->nlmsg_len);
	return b->len + MSG_MAX > BUF_MAX ? flush(b) : 0;
}

/* A nest with NLA_F_NESTED, as strict validation wants; closed by the caller. */
static struct nlattr *nest(u8 *p, u16 type)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type | NLA_F_NESTED;
	return a;
}

static int add_binding(struct bulk *b, u32 i, u32 expires)
{
	u8 *p = begin(b, SIPREG_CMD_BINDING_ADD), *q;
	struct nlattr *bind, *c;
	char aor[64], uri[96], cid[48];

	snprintf(aor, sizeof(aor), "sip:bulk%08u@bench.invalid", i);
	snprintf(uri, sizeof(uri), "sip:bulk%08u@198.51.100.1:5060", i);
	snprintf(cid, sizeof(cid), "bulk-%08u@bench.invalid", i);
	bind = nest(p, SIPREG_A_BINDING);
	q = p + NLA_HDRLEN;
	q += put_str(q, SIPREG_BINDING_A_AOR, aor);
	c = nest(q, SIPREG_BINDING_A_CONTACT);
	q += NLA_HDRLEN;
	q += put_str(q, SIPREG_CONTACT_A_URI, uri);
	q += put_str(q, SIPREG_CONTACT_A_CALL_ID, cid);
	q += put_u32(q, SIPREG_CONTACT_A_CSEQ, 1);
	q += put_u32(q, SIPREG_CONTACT_A_EXPIRES, expires);
	c->nla_len = q - (u8 *)c;
	bind->nla_len = q - (u8 *)bind;
	return end(b, q);
}

static int add_user(struct bulk *b, u32 i, const char *realm)
{
	u8 *p = begin(b, SIPREG_CMD_USER_ADD), *q;
	char name[32], pw[32];
	u8 ha1[SIPREG_MD5_LEN];
	struct nlattr *u;

	snprintf(name, sizeof(name), "user%06u", i);
	snprintf(pw, sizeof(pw), "pw%06u", i);
	if (ha1_from_password(SIPREG_ALG_MD5, name, realm, pw, ha1))
		return -1;
	u = nest(p, SIPREG_A_USER);
	q = p + NLA_HDRLEN;
	q += put_str(q, SIPREG_USER_A_NAME, name);
	q += put_str(q, SIPREG_USER_A_REALM, realm);
	q += put_attr(q, SIPREG_USER_A_HA1_MD5, ha1, sizeof(ha1));
	u->nla_len = q - (u8 *)u;
	return end(b, q);
}

/*
 * The kernel adds EXPIRES to its own reading of the clock, taken while
 * our send is in progress, and its reading is the coarse one, up to a
 * tick behind ours. So a request goes out only well inside a second (not
 * within MARGIN of either end), and is sent again when the second ended
 * before the send returned: then the kernel may have read either one.
 */
#define MARGIN_NS	(50 * 1000 * 1000L)
#define AT_TRIES	5

static u64 boot_second_inside(void)
{
	struct timespec ts, d = { 0, 0 };

	clock_gettime(CLOCK_BOOTTIME, &ts);
	if (ts.tv_nsec < MARGIN_NS)
		d.tv_nsec = MARGIN_NS - ts.tv_nsec;
	else if (ts.tv_nsec > 1000000000L - MARGIN_NS)
		d.tv_nsec = 1000000000L - ts.tv_nsec + MARGIN_NS;
	if (d.tv_nsec) {
		nanosleep(&d, NULL);
		clock_gettime(CLOCK_BOOTTIME, &ts);
	}
	return ts.tv_sec;
}

static u64 boot_second(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec;
}

/* Binding @i, expiring at boottime second @at; 0, -1, or 1: @at came. */
static int add_binding_at(struct bulk *b, u32 i, u64 at)
{
	int tries, rc;
	u64 s;

	for (tries = 0; tries < AT_TRIES; tries++) {
		s = boot_second_inside();
		if (s >= at)
			return 1;
		rc = add_binding(b, i, at - s) ?: flush(b);
		if (rc || boot_second() == s)
			return rc;
	}
	fprintf(stderr, "sipreg-bench-bulk: binding %u: %d sends each took a second's end\n",
		i, AT_TRIES);
	return -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: sipreg-bench-bulk bindings N [FIRST [EXPIRES|@AT]]\n"
			"       sipreg-bench-bulk users N [REALM]\n");
	return 1;
}

static int open_family(struct bulk *b)
{
	struct nl_sock *sk = nl_socket_alloc();
	int buf = 1 << 20;

	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "sipreg-bench-bulk: no generic netlink socket\n");
		return -1;
	}
	b->family = genl_ctrl_resolve(sk, SIPREG_GENL_NAME);
	nl_socket_free(sk);
	if (b->family < 0) {
		fprintf(stderr, "sipreg-bench-bulk: the sipreg module is not loaded\n");
		return -1;
	}
	b->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (b->fd < 0) {
		perror("sipreg-bench-bulk: socket");
		return -1;
	}
	setsockopt(b->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	return 0;
}

int main(int argc, char **argv)
{
	static struct bulk b;
	bool users;
	char *e;
	/* The longest the default configuration allows: none expires. */
	u32 n, first = 1, i, expires = 7200;
	unsigned long long at = 0;
	const char *realm = "sipreg.test";
	int rc = 0;

	if (argc < 3 || argc > 5 || (argc == 5 && strcmp(argv[1], "bindings")))
		return usage();
	users = !strcmp(argv[1], "users");
	if (!users && strcmp(argv[1], "bindings"))
		return usage();
	n = strtoul(argv[2], &e, 10);
	if (*e || !n)
		return usage();
	if (argc == 4 && users) {
		realm = argv[3];
	} else if (argc >= 4) {
		first = strtoul(argv[3], &e, 10);
		if (*e)
			return usage();
	}
	if (argc == 5 && argv[4][0] == '@') {
		at = strtoull(argv[4] + 1, &e, 10);
		if (*e || !at)
			return usage();
	} else if (argc == 5) {
		expires = strtoul(argv[4], &e, 10);
		if (*e || !expires)
			return usage();
	}
	if (sipreg_hash_init() || open_family(&b))
		return 2;
	for (i = 0; i < n && !rc; i++) {
		if (users) {
			rc = add_user(&b, first + i, realm);
			continue;
		}
		/* One request per send: each is timed as it goes out. */
		rc = at ? add_binding_at(&b, first + i, at) :
			  add_binding(&b, first + i, expires);
		if (rc > 0) {
			fprintf(stderr, "sipreg-bench-bulk: boottime second %llu came after %u of %u bindings\n",
				at, i, n);
			return 2;
		}
	}
	if (!rc)
		rc = flush(&b);
	if (rc)
		return 2;
	if (b.refused) {
		fprintf(stderr, "sipreg-bench-bulk: %llu of %u refused (first: %s)\n",
			(unsigned long long)b.refused, n, strerror(-b.first_err));
		return 2;
	}
	return 0;
}
