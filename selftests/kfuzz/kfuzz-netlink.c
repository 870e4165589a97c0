// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-kfuzz-netlink: generic netlink fuzzing of the sipreg family, on
 * raw netlink sockets (libnl would refuse to build the broken messages).
 *
 * Default mode: for a bounded time, messages for every command (and a few
 * that do not exist) with attributes drawn from kmod/uapi/sipreg.h's
 * attribute sets: valid values, boundary values, wrong lengths and types,
 * unknown types, nests in the wrong place or too deep, strings without
 * NUL or too long, repeated attributes, truncated messages and
 * attributes, several messages in one datagram, dumps, the events group
 * joined, sockets closed while claiming. The family id is looked up again
 * when the module comes back after a reload. -U: the caller is
 * unprivileged, and any write command acknowledged with success fails the
 * run.
 *
 * --failnth: allocation-failure injection through /proc/thread-self/
 * fail-nth (CONFIG_FAULT_INJECTION with failslab): every write command and
 * every read's reply is run with its 1st, 2nd, ... allocation failing
 * until one runs to the end with no failure injected; after each, the
 * state must be all or nothing: a command answered with an error changed
 * nothing, one answered with success did all it should.
 *
 * Exit: 0 done, 1 a check failed, 2 setup or usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sipreg.h"

#define BUF	65536
#define NCMD	(SIPREG_CMD_MAX + 3)

/* ---- raw generic netlink ------------------------------------------------ */

struct nl {
	int fd;
	uint32_t seq;
	uint16_t family;
	uint32_t events_grp;
};

static uint64_t rng = 1;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static size_t below(size_t n)
{
	return n ? rnd() % n : 0;
}

static bool one_in(unsigned int n)
{
	return below(n) == 0;
}

struct msg {
	unsigned char buf[BUF];
	size_t len;
	size_t nest[16];
	int depth;
};

static struct nlmsghdr *msg_start(struct msg *m, uint16_t type, uint16_t flags,
				  uint8_t cmd, uint32_t seq)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(m->buf + m->len);
	struct genlmsghdr *g = NLMSG_DATA(h);

	memset(h, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	g->cmd = cmd;
	g->version = SIPREG_GENL_VERSION;
	m->len += NLMSG_HDRLEN + GENL_HDRLEN;
	m->depth = 0;
	return h;
}

static void msg_end(struct msg *m, struct nlmsghdr *h)
{
	h->nlmsg_len = m->buf + m->len - (unsigned char *)h;
	m->len = NLMSG_ALIGN(m->len);
}

static struct nlattr *put(struct msg *m, uint16_t type, const void *p,
			  size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > BUF - 64)
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((unsigned char *)a + NLA_HDRLEN, p, len);
	m->len += NLA_ALIGN(a->nla_len);
	return a;
}

static void nest_start(struct msg *m, uint16_t type)
{
	if (m->depth == 16 || !put(m, type | NLA_F_NESTED, NULL, 0))
		return;
	m->nest[m->depth++] = m->len - NLA_HDRLEN;
}

static void nest_end(struct msg *m)
{
	struct nlattr *a;

	if (!m->depth)
		return;
	a = (struct nlattr *)(m->buf + m->nest[--m->depth]);
	a->nla_len = m->buf + m->len - (unsigned char *)a;
}

static void put_u32(struct msg *m, uint16_t t, uint32_t v) { put(m, t, &v, 4); }
static void put_u16(struct msg *m, uint16_t t, uint16_t v) { put(m, t, &v, 2); }
static void put_u8(struct msg *m, uint16_t t, uint8_t v) { put(m, t, &v, 1); }
static void put_str(struct msg *m, uint16_t t, const char *s)
{
	put(m, t, s, strlen(s) + 1);
}

static int nl_open(struct nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;

	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0 || bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

static int nl_send(struct nl *nl, const void *p, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return sendto(nl->fd, p, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0 ?
	       -errno : 0;
}

/*
 * Reads until the answer to @seq is complete (an ack, an error or
 * NLMSG_DONE), or @ms pass without a datagram. Each message of the answer
 * goes to @cb. Returns the error of the ack (0, -E...), -ETIMEDOUT, or
 * the recv error (-ENOBUFS: a reply was lost).
 */
static int nl_recv(struct nl *nl, uint32_t seq, int ms,
		   void (*cb)(const struct nlmsghdr *, void *), void *arg)
{
	static unsigned char buf[BUF];
	struct pollfd p = { .fd = nl->fd, .events = POLLIN };
	struct nlmsghdr *h;
	ssize_t n;
	int len;

	for (;;) {
		if (poll(&p, 1, ms) != 1)
			return -ETIMEDOUT;
		n = recv(nl->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		len = n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)	/* events, stale answers */
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb)
				cb(h, arg);
		}
	}
}

/* The family's id and events group; 0 if not registered (module out). */
static void resolve_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl *nl = arg;
	int len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);

	for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
		void *d = (char *)a + NLA_HDRLEN;

		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			nl->family = *(uint16_t *)d;
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			/* [group [id, name]]...: the only group is "events" */
			struct nlattr *g = d, *ga;
			int gl = a->nla_len - NLA_HDRLEN, l2;

			if (gl < NLA_HDRLEN || g->nla_len < NLA_HDRLEN)
				continue;
			ga = (struct nlattr *)((char *)g + NLA_HDRLEN);
			for (l2 = g->nla_len - NLA_HDRLEN; l2 >= NLA_HDRLEN &&
			     ga->nla_len >= NLA_HDRLEN && ga->nla_len <= l2;
			     l2 -= NLA_ALIGN(ga->nla_len),
			     ga = (struct nlattr *)((char *)ga + NLA_ALIGN(ga->nla_len)))
				if ((ga->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID)
					nl->events_grp = *(uint32_t *)((char *)ga + NLA_HDRLEN);
		}
	}
}

static int resolve(struct nl *nl)
{
	static struct msg m;
	struct nlmsghdr *h;

	m.len = 0;
	nl->family = 0;
	h = msg_start(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		      CTRL_CMD_GETFAMILY, ++nl->seq);
	put_str(&m, CTRL_ATTR_FAMILY_NAME, SIPREG_GENL_NAME);
	msg_end(&m, h);
	if (nl_send(nl, m.buf, m.len))
		return -1;
	nl_recv(nl, nl->seq, 1000, resolve_cb, nl);
	return nl->family ? 0 : -1;
}

/* ---- the attribute sets, as in kmod/uapi/sipreg.h ----------------------- */

/* K_NONE: no spec, a table not brought up to the uapi (see specs_complete()). */
enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_STR, K_BIN, K_NEST };

struct aset;
struct aspec {
	enum kind kind;
	unsigned int size;	/* strings: max length; binary: exact */
	const struct aset *nest;
};

struct aset {
	const struct aspec *a;
	unsigned int max;
};

static const struct aspec contact_a[SIPREG_CONTACT_A_MAX + 1] = {
	[SIPREG_CONTACT_A_PAD] = { K_BIN, 4, NULL },
	[SIPREG_CONTACT_A_URI] = { K_STR, SIPREG_URI_MAX, NULL },
	[SIPREG_CONTACT_A_CALL_ID] = { K_STR, SIPREG_CALL_ID_MAX, NULL },
	[SIPREG_CONTACT_A_CSEQ] = { K_U32, 0, NULL },
	[SIPREG_CONTACT_A_EXPIRES] = { K_U32, 0, NULL },
	[SIPREG_CONTACT_A_EXPIRES_AT] = { K_U64, 0, NULL },
	[SIPREG_CONTACT_A_ADDR4] = { K_BIN, 4, NULL },
	[SIPREG_CONTACT_A_ADDR6] = { K_BIN, 16, NULL },
	[SIPREG_CONTACT_A_PORT] = { K_U16, 0, NULL },
	[SIPREG_CONTACT_A_NC] = { K_U32, 0, NULL },
	[SIPREG_CONTACT_A_Q] = { K_U16, 0, NULL },
	[SIPREG_CONTACT_A_NONCE_TIME] = { K_U64, 0, NULL },
};
static const struct aset contact_set = { contact_a, SIPREG_CONTACT_A_MAX };

static const struct aspec config_a[SIPREG_CONFIG_A_MAX + 1] = {
	[SIPREG_CONFIG_A_REALM] = { K_STR, SIPREG_REALM_MAX, NULL },
	[SIPREG_CONFIG_A_PORT] = { K_U16, 0, NULL },
	[SIPREG_CONFIG_A_EXPIRES_MIN] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_EXPIRES_DEFAULT] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_EXPIRES_MAX] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_NONCE_LIFETIME] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_ALGS] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_RATE] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_BURST] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_MAX_USERS] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_MAX_BINDINGS] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_MAX_CONTACTS] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_FASTPATH] = { K_U8, 0, NULL },
	[SIPREG_CONFIG_A_ENABLED] = { K_U8, 0, NULL },
	[SIPREG_CONFIG_A_LEGACY_DIGEST] = { K_U8, 0, NULL },
	[SIPREG_CONFIG_A_RATE_GLOBAL] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_ALGS_FIRST] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_BUSY_RETRY_AFTER] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_TIMING] = { K_U8, 0, NULL },
	[SIPREG_CONFIG_A_MISS_QUEUE_MAX] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_MISS_QUEUE_AGE] = { K_U32, 0, NULL },
	[SIPREG_CONFIG_A_MISS_QUEUE_WAIT] = { K_U32, 0, NULL },
};
static const struct aset config_set = { config_a, SIPREG_CONFIG_A_MAX };

static const struct aspec user_a[SIPREG_USER_A_MAX + 1] = {
	[SIPREG_USER_A_NAME] = { K_STR, SIPREG_USER_MAX, NULL },
	[SIPREG_USER_A_REALM] = { K_STR, SIPREG_REALM_MAX, NULL },
	[SIPREG_USER_A_HA1_MD5] = { K_BIN, SIPREG_HA1_MD5_LEN, NULL },
	[SIPREG_USER_A_HA1_SHA256] = { K_BIN, SIPREG_HA1_SHA256_LEN, NULL },
	[SIPREG_USER_A_ALGS] = { K_U32, 0, NULL },
};
static const struct aset user_set = { user_a, SIPREG_USER_A_MAX };

static const struct aspec domain_a[SIPREG_DOMAIN_A_MAX + 1] = {
	[SIPREG_DOMAIN_A_NAME] = { K_STR, SIPREG_DOMAIN_MAX, NULL },
	[SIPREG_DOMAIN_A_REALM] = { K_STR, SIPREG_REALM_MAX, NULL },
};
static const struct aset domain_set = { domain_a, SIPREG_DOMAIN_A_MAX };

static const struct aspec binding_a[SIPREG_BINDING_A_MAX + 1] = {
	[SIPREG_BINDING_A_AOR] = { K_STR, SIPREG_AOR_MAX, NULL },
	[SIPREG_BINDING_A_CONTACT] = { K_NEST, 0, &contact_set },
};
static const struct aset binding_set = { binding_a, SIPREG_BINDING_A_MAX };

static const struct aspec keys_a[SIPREG_NONCE_KEYS_A_MAX + 1] = {
	[SIPREG_NONCE_KEYS_A_CUR] = { K_BIN, 16, NULL },
	[SIPREG_NONCE_KEYS_A_PREV] = { K_BIN, 16, NULL },
	[SIPREG_NONCE_KEYS_A_GEN] = { K_U32, 0, NULL },
};
static const struct aset keys_set = { keys_a, SIPREG_NONCE_KEYS_A_MAX };

static const struct aspec miss_a[SIPREG_MISS_A_MAX + 1] = {
	[SIPREG_MISS_A_REASON] = { K_U32, 0, NULL },
	[SIPREG_MISS_A_VERDICT] = { K_U32, 0, NULL },
	[SIPREG_MISS_A_IFINDEX] = { K_U32, 0, NULL },
	[SIPREG_MISS_A_SADDR4] = { K_BIN, 4, NULL },
	[SIPREG_MISS_A_SADDR6] = { K_BIN, 16, NULL },
	[SIPREG_MISS_A_DADDR4] = { K_BIN, 4, NULL },
	[SIPREG_MISS_A_DADDR6] = { K_BIN, 16, NULL },
	[SIPREG_MISS_A_SPORT] = { K_U16, 0, NULL },
	[SIPREG_MISS_A_DPORT] = { K_U16, 0, NULL },
	[SIPREG_MISS_A_DATA] = { K_BIN, 200, NULL },
};
static const struct aset miss_set = { miss_a, SIPREG_MISS_A_MAX };

static const struct aspec counters_a[2] = { [1] = { K_U64, 0, NULL } };
static const struct aset counters_set = { counters_a, 1 };

static const struct aspec top_a[SIPREG_A_MAX + 1] = {
	[SIPREG_A_PAD] = { K_BIN, 4, NULL },
	[SIPREG_A_STATS] = { K_NEST, 0, &counters_set },
	[SIPREG_A_STATS_VERDICT] = { K_NEST, 0, &counters_set },
	[SIPREG_A_STATS_MISS] = { K_NEST, 0, &counters_set },
	[SIPREG_A_CONFIG] = { K_NEST, 0, &config_set },
	[SIPREG_A_USER] = { K_NEST, 0, &user_set },
	[SIPREG_A_BINDING] = { K_NEST, 0, &binding_set },
	[SIPREG_A_MISS] = { K_NEST, 0, &miss_set },
	[SIPREG_A_EVENT] = { K_U32, 0, NULL },
	[SIPREG_A_NONCE_KEYS] = { K_NEST, 0, &keys_set },
	[SIPREG_A_DOMAIN] = { K_NEST, 0, &domain_set },
	[SIPREG_A_CLAIM] = { K_U32, 0, NULL },
};
static const struct aset top_set = { top_a, SIPREG_A_MAX };

/*
 * Every attribute the uapi names has a spec here. An entry missing when
 * the uapi grew is K_NONE, and its attribute would never be sent.
 */
static bool specs_complete(void)
{
	static const struct {
		const char *name;
		const struct aset *set;
	} sets[] = {
		{ "top_a", &top_set }, { "config_a", &config_set },
		{ "user_a", &user_set }, { "domain_a", &domain_set },
		{ "binding_a", &binding_set }, { "contact_a", &contact_set },
		{ "keys_a", &keys_set }, { "miss_a", &miss_set },
	};
	bool ok = true;

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		for (unsigned int t = 1; t <= sets[i].set->max; t++) {
			if (sets[i].set->a[t].kind != K_NONE)
				continue;
			fprintf(stderr, "sipreg-kfuzz-netlink: attribute %u has no spec in %s[]\n",
				t, sets[i].name);
			ok = false;
		}
	}
	return ok;
}

/* The attribute each command is about. */
static const uint16_t cmd_attr[NCMD] = {
	[SIPREG_CMD_CONFIG_SET] = SIPREG_A_CONFIG,
	[SIPREG_CMD_USER_ADD] = SIPREG_A_USER,
	[SIPREG_CMD_USER_DEL] = SIPREG_A_USER,
	[SIPREG_CMD_USER_GET] = SIPREG_A_USER,
	[SIPREG_CMD_BINDING_ADD] = SIPREG_A_BINDING,
	[SIPREG_CMD_BINDING_DEL] = SIPREG_A_BINDING,
	[SIPREG_CMD_BINDING_GET] = SIPREG_A_BINDING,
	[SIPREG_CMD_NONCE_KEYS_SET] = SIPREG_A_NONCE_KEYS,
	[SIPREG_CMD_DOMAIN_ADD] = SIPREG_A_DOMAIN,
	[SIPREG_CMD_DOMAIN_DEL] = SIPREG_A_DOMAIN,
	[SIPREG_CMD_MISS] = SIPREG_A_MISS,
	[SIPREG_CMD_USER_NTF] = SIPREG_A_USER,
	[SIPREG_CMD_BINDING_NTF] = SIPREG_A_BINDING,
};

static bool is_write(int cmd)
{
	switch (cmd) {
	case SIPREG_CMD_STATS_RESET: case SIPREG_CMD_CONFIG_SET:
	case SIPREG_CMD_USER_ADD: case SIPREG_CMD_USER_DEL:
	case SIPREG_CMD_USER_FLUSH: case SIPREG_CMD_BINDING_ADD:
	case SIPREG_CMD_BINDING_DEL: case SIPREG_CMD_BINDING_FLUSH:
	case SIPREG_CMD_DAEMON_CLAIM: case SIPREG_CMD_DAEMON_RELEASE:
	case SIPREG_CMD_NONCE_KEYS_SET:
	case SIPREG_CMD_DOMAIN_ADD: case SIPREG_CMD_DOMAIN_DEL:
	case SIPREG_CMD_DOMAIN_FLUSH:
		return true;
	}
	return false;
}

static const char *const names[] = { "alice", "bob", "carol", "u0", "" };
static const char *const domains[] = {
	"a.example", "B.Example", "[2001:db8::2]", "192.0.2.2", "bad_name", "",
};
static const char *const realms[] = { "sipreg", "example.com", "other", "" };
static const char *const aors[] = {
	"sip:alice@sipreg", "sip:bob@sipreg", "sip:alice@example.com",
	"sips:carol@other", "sip:@", "alice", "",
};
static const char *const uris[] = {
	"sip:alice@192.0.2.1:5062", "sip:alice@[2001:db8::1]:5062;transport=udp",
	"sip:bob@192.0.2.1", "<sip:x@y>", "nonsense", "sip:a@b;expires=0", "",
};

static uint64_t value(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 3, 4, 5, 16, 60, 64, 65, 255, 256, 1000, 1001, 3600,
		5060, 65535, 65536, 86400, 86401, 31536000, 31536001, 16777216,
		16777217, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		~0ULL,
	};

	return one_in(3) ? rnd() : edge[below(sizeof(edge) / sizeof(*edge))];
}

static void gen_string(struct msg *m, uint16_t type, unsigned int max)
{
	char s[1400];
	size_t n;

	switch (below(8)) {
	case 0:		/* too long by one, or much */
		n = max + 1 + (one_in(2) ? 0 : below(900));
		memset(s, 'a' + below(26), n);
		put(m, type, s, n + 1 - one_in(2));
		return;
	case 1:		/* no NUL */
		put(m, type, "alice", 5);
		return;
	case 2:		/* NUL inside, bytes after */
		put(m, type, "ali\0ce", 7);
		return;
	case 3:		/* binary junk */
		n = below(max + 8);
		for (size_t i = 0; i < n; i++)
			s[i] = rnd();
		put(m, type, s, n);
		return;
	case 4:
		put_str(m, type, names[below(sizeof(names) / sizeof(*names))]);
		return;
	case 5:
		put_str(m, type, realms[below(sizeof(realms) / sizeof(*realms))]);
		return;
	case 6:
		put_str(m, type, aors[below(sizeof(aors) / sizeof(*aors))]);
		return;
	default:
		put_str(m, type, uris[below(sizeof(uris) / sizeof(*uris))]);
		return;
	}
}

static void gen_set(struct msg *m, const struct aset *set, int depth);

/* One attribute of @set: mostly as its spec says, sometimes not. */
static void gen_attr(struct msg *m, const struct aset *set, int depth)
{
	unsigned int t = 1 + below(set->max);
	const struct aspec *s = &set->a[t];
	unsigned char b[64];
	uint64_t v = value();
	size_t len;

	if (one_in(20))	/* unknown type, type 0, or a flag bit */
		t = one_in(3) ? 0 : one_in(2) ? set->max + 1 + below(100) :
		    t | NLA_F_NET_BYTEORDER;
	if (one_in(15)) {	/* wrong length for any type */
		len = below(40);
		for (size_t i = 0; i < len; i++)
			b[i] = rnd();
		put(m, t, b, len);
		return;
	}
	switch (s->kind) {
	case K_NONE: break;	/* specs_complete() keeps these out */
	case K_U8: put_u8(m, t, v); break;
	case K_U16: put_u16(m, t, v); break;
	case K_U32: put_u32(m, t, v); break;
	case K_U64: put(m, t, &v, 8); break;
	case K_STR: gen_string(m, t, s->size); break;
	case K_BIN:
		len = one_in(4) ? below(40) : s->size;
		len = len > sizeof(b) ? sizeof(b) : len;
		for (size_t i = 0; i < len; i++)
			b[i] = rnd();
		put(m, t, b, len);
		break;
	case K_NEST:
		if (depth > 6 || one_in(20)) {	/* a nest that is not one */
			put_u32(m, t, v);
			break;
		}
		if (one_in(10))
			t &= ~NLA_F_NESTED;
		nest_start(m, t);
		/* sometimes the wrong set inside */
		gen_set(m, one_in(10) ? &top_set : s->nest, depth + 1);
		nest_end(m);
		break;
	}
}

static void gen_set(struct msg *m, const struct aset *set, int depth)
{
	unsigned int n = below(one_in(10) ? 40 : 6);

	while (n--)
		gen_attr(m, set, depth);
}

/* A well-formed request of @cmd, values drawn from the small pools. */
static void gen_valid(struct msg *m, int cmd)
{
	unsigned char ha1[32];

	for (size_t i = 0; i < sizeof(ha1); i++)
		ha1[i] = rnd();
	switch (cmd) {
	case SIPREG_CMD_CONFIG_SET:
		nest_start(m, SIPREG_A_CONFIG);
		if (one_in(2))
			put_str(m, SIPREG_CONFIG_A_REALM, realms[below(3)]);
		if (one_in(3))
			put_u16(m, SIPREG_CONFIG_A_PORT, one_in(2) ? 5060 : 5080);
		if (one_in(3))
			put_u32(m, SIPREG_CONFIG_A_MAX_CONTACTS, 1 + below(16));
		if (one_in(3))
			put_u32(m, SIPREG_CONFIG_A_MAX_USERS, 1 + below(20));
		if (one_in(3))
			put_u32(m, SIPREG_CONFIG_A_MAX_BINDINGS, 1 + below(20));
		if (one_in(3))
			put_u32(m, SIPREG_CONFIG_A_RATE, below(3) * 50);
		if (one_in(4))
			put_u8(m, SIPREG_CONFIG_A_FASTPATH, below(2));
		if (one_in(4))
			put_u32(m, SIPREG_CONFIG_A_NONCE_LIFETIME, 1 + below(600));
		if (one_in(4))
			put_u8(m, SIPREG_CONFIG_A_TIMING, below(2));
		if (one_in(4))
			put_u32(m, SIPREG_CONFIG_A_BUSY_RETRY_AFTER, below(3) * 10);
		if (one_in(6))
			put_u8(m, SIPREG_CONFIG_A_ENABLED, below(2));
		if (one_in(6))
			put_u32(m, SIPREG_CONFIG_A_RATE_GLOBAL, below(3) * 100);
		if (one_in(6))
			put_u32(m, SIPREG_CONFIG_A_MISS_QUEUE_MAX, below(3) * 8);
		if (one_in(6))
			put_u32(m, SIPREG_CONFIG_A_MISS_QUEUE_AGE, below(3) * 250);
		if (one_in(6))
			put_u32(m, SIPREG_CONFIG_A_MISS_QUEUE_WAIT, below(3) * 500);
		nest_end(m);
		break;
	case SIPREG_CMD_USER_ADD:
	case SIPREG_CMD_USER_DEL:
		nest_start(m, SIPREG_A_USER);
		put_str(m, SIPREG_USER_A_NAME, names[below(4)]);
		put_str(m, SIPREG_USER_A_REALM, realms[below(3)]);
		if (cmd == SIPREG_CMD_USER_ADD) {
			if (!one_in(3))
				put(m, SIPREG_USER_A_HA1_MD5, ha1, 16);
			if (one_in(2))
				put(m, SIPREG_USER_A_HA1_SHA256, ha1, 32);
		}
		nest_end(m);
		break;
	case SIPREG_CMD_BINDING_ADD:
	case SIPREG_CMD_BINDING_DEL:
	case SIPREG_CMD_BINDING_GET:
		nest_start(m, SIPREG_A_BINDING);
		put_str(m, SIPREG_BINDING_A_AOR, aors[below(4)]);
		if (cmd != SIPREG_CMD_BINDING_GET && !one_in(4)) {
			nest_start(m, SIPREG_BINDING_A_CONTACT);
			put_str(m, SIPREG_CONTACT_A_URI, uris[below(3)]);
			if (cmd == SIPREG_CMD_BINDING_ADD) {
				put_str(m, SIPREG_CONTACT_A_CALL_ID,
					one_in(2) ? "c1" : "c2");
				put_u32(m, SIPREG_CONTACT_A_CSEQ, below(100));
				put_u32(m, SIPREG_CONTACT_A_EXPIRES, 1 + below(3600));
				if (one_in(2))
					put(m, SIPREG_CONTACT_A_ADDR4,
					    "\xc0\x00\x02\x01", 4);
				if (one_in(3))
					put_u16(m, SIPREG_CONTACT_A_PORT, 5062);
				if (one_in(3))
					put_u16(m, SIPREG_CONTACT_A_Q, below(1200));
			}
			nest_end(m);
		}
		nest_end(m);
		break;
	case SIPREG_CMD_NONCE_KEYS_SET:
		nest_start(m, SIPREG_A_NONCE_KEYS);
		put(m, SIPREG_NONCE_KEYS_A_CUR, ha1, 16);
		if (one_in(2))
			put(m, SIPREG_NONCE_KEYS_A_PREV, ha1 + 16, 16);
		put_u32(m, SIPREG_NONCE_KEYS_A_GEN, below(10));
		nest_end(m);
		break;
	case SIPREG_CMD_DOMAIN_ADD:
	case SIPREG_CMD_DOMAIN_DEL:
		nest_start(m, SIPREG_A_DOMAIN);
		put_str(m, SIPREG_DOMAIN_A_NAME, domains[below(5)]);
		if (cmd == SIPREG_CMD_DOMAIN_ADD && one_in(2))
			put_str(m, SIPREG_DOMAIN_A_REALM, realms[below(4)]);
		nest_end(m);
		break;
	}
}

/* ---- fuzz mode ---------------------------------------------------------- */

static struct {
	unsigned long sent, send_err, acked, timeouts, lost, reopen;
	unsigned long reresolve, family_gone;
	unsigned long by_cmd[NCMD], ok_by_cmd[NCMD];	/* ok: clean ones */
	unsigned long err[140];
	unsigned long priv_ok;	/* -U: write commands that succeeded */
} st;

static void count_answer(int cmd, int r, bool batched)
{
	if (r == -ETIMEDOUT) {
		st.timeouts++;
		return;
	}
	if (r == -ENOBUFS && !batched) {
		st.lost++;
		return;
	}
	st.acked++;
	if (r == 0) {
		if (cmd >= 0 && cmd < NCMD)
			st.ok_by_cmd[cmd]++;
	} else if (-r < 140) {
		st.err[-r]++;
	}
}

static const char *const cmd_names[NCMD] = {
	"unspec", "stats-get", "stats-reset", "config-get", "config-set",
	"user-add", "user-del", "user-get", "user-flush", "binding-add",
	"binding-del", "binding-get", "binding-flush", "daemon-claim",
	"daemon-release", "miss", "user-ntf", "binding-ntf", "nonce-keys-set",
	"domain-add", "domain-del", "domain-get", "domain-flush",
	"cmd-23", "cmd-24",
};

static void report(unsigned long execs, double el)
{
	unsigned long msgs = 0;
	int i, reached = 0;

	for (i = 0; i < NCMD; i++) {
		msgs += st.by_cmd[i];
		reached += st.ok_by_cmd[i] != 0;
	}
	printf("# kfuzz-netlink: %lu datagrams (%lu messages) in %.1f s (%.0f/s); %lu send errors, %lu answers, %lu timeouts, %lu lost replies (ENOBUFS)\n",
	       execs, msgs, el, execs / (el > 0 ? el : 1), st.send_err,
	       st.acked, st.timeouts, st.lost);
	printf("# kfuzz-netlink: family looked up %lu times (%lu while absent), %lu sockets closed\n",
	       st.reresolve, st.family_gone, st.reopen);
	printf("# kfuzz-netlink: commands sent/succeeded (well-formed headers):");
	for (i = 0; i < NCMD; i++)
		if (st.by_cmd[i])
			printf(" %s=%lu/%lu", cmd_names[i], st.by_cmd[i],
			       st.ok_by_cmd[i]);
	printf("\n# kfuzz-netlink: %d commands succeeded at least once; errors:", reached);
	for (i = 1; i < 140; i++)
		if (st.err[i])
			printf(" %s=%lu", strerrorname_np(i) ? strerrorname_np(i) : "?",
			       st.err[i]);
	printf("\n");
	if (st.priv_ok)
		printf("# kfuzz-netlink: FAIL: %lu write commands succeeded without privileges\n",
		       st.priv_ok);
}

static int fuzz(double seconds, unsigned long max, bool unpriv)
{
	static struct msg m;
	struct nl nl = { .fd = -1 };
	struct timespec t0, t;
	unsigned long execs = 0;
	double el = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (el < seconds && (!max || execs < max)) {
		int k, nmsg = one_in(10) ? 2 + below(3) : 1, cmd = 0, r;
		struct nlmsghdr *h = NULL;
		bool clean, answer;
		uint16_t flags;

		if (nl.fd < 0 || one_in(300)) {	/* a fresh socket: URELEASE */
			if (nl.fd >= 0) {
				close(nl.fd);
				st.reopen++;
			}
			if (nl_open(&nl)) {
				fprintf(stderr, "kfuzz-netlink: socket: %s\n",
					strerror(errno));
				return 2;
			}
			nl.family = 0;
		}
		if (!nl.family || one_in(200)) {
			st.reresolve++;
			if (resolve(&nl)) {
				st.family_gone++;
				usleep(20000);
				goto next;
			}
			if (one_in(2) && nl.events_grp)
				setsockopt(nl.fd, SOL_NETLINK,
					   NETLINK_ADD_MEMBERSHIP,
					   &nl.events_grp, sizeof(nl.events_grp));
		}
		m.len = 0;
		clean = nmsg == 1;
		answer = false;
		for (k = 0; k < nmsg; k++) {
			cmd = below(NCMD);
			if (one_in(20)) {
				cmd = rnd() & 0xff;
				clean = false;
			}
			flags = NLM_F_REQUEST | NLM_F_ACK;
			if (one_in(3))
				flags |= NLM_F_DUMP;
			if (one_in(30))
				flags = rnd();
			if (one_in(30))
				flags &= ~NLM_F_REQUEST;
			if ((flags & (NLM_F_REQUEST | NLM_F_ACK)) !=
			    (NLM_F_REQUEST | NLM_F_ACK))
				clean = false;
			/* without REQUEST or ACK there may be no answer */
			answer = (flags & NLM_F_REQUEST) && (flags & NLM_F_ACK);
			h = msg_start(&m, nl.family, flags, cmd, ++nl.seq);
			if (one_in(100)) {
				h->nlmsg_type = rnd();
				clean = false;
			}
			if (one_in(20))
				((struct genlmsghdr *)NLMSG_DATA(h))->version = rnd();
			if (cmd < NCMD && one_in(2))
				gen_valid(&m, cmd);
			if (cmd < NCMD && cmd_attr[cmd] && one_in(2)) {
				/* the command's own nest, generated */
				const struct aspec *s = &top_a[cmd_attr[cmd]];

				nest_start(&m, cmd_attr[cmd]);
				gen_set(&m, s->nest, 1);
				nest_end(&m);
			}
			if (one_in(4))
				gen_set(&m, &top_set, 0);
			msg_end(&m, h);
			if (one_in(30)) {	/* header length beyond the data */
				h->nlmsg_len += 1 + below(64);
				clean = false;
			}
			if (one_in(30) && h->nlmsg_len > NLMSG_HDRLEN) {
				h->nlmsg_len = below(h->nlmsg_len);
				clean = false;
			}
			if (cmd < NCMD)
				st.by_cmd[cmd]++;
		}
		if (one_in(30) && m.len > 4) {	/* the datagram cut short */
			m.len = 4 + below(m.len - 4);
			clean = false;
		}
		if (one_in(50)) {	/* a few bytes flipped anywhere */
			for (k = 0; k < 4; k++)
				m.buf[below(m.len)] ^= 1 << below(8);
			clean = false;
		}
		r = nl_send(&nl, m.buf, m.len);
		st.sent++;
		if (r) {
			st.send_err++;
			if (r < 0 && -r < 140)
				st.err[-r]++;
		} else {
			/* the answer to the last message of the datagram */
			r = nl_recv(&nl, nl.seq, answer && clean ? 1000 : 30,
				    NULL, NULL);
			count_answer(clean ? cmd : -1, r, !clean);
			if (r == -ENOENT && one_in(4))
				nl.family = 0;	/* the module may have gone */
			if (unpriv && clean && r == 0 && is_write(cmd)) {
				st.priv_ok++;
				fprintf(stderr, "kfuzz-netlink: unprivileged %s succeeded\n",
					cmd_names[cmd]);
			}
		}
next:
		execs++;
		clock_gettime(CLOCK_MONOTONIC, &t);
		el = t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9;
	}
	if (nl.fd >= 0)
		close(nl.fd);
	report(execs, el);
	return st.priv_ok ? 1 : 0;
}

/* ---- --failnth: allocation failures, all or nothing --------------------- */

static int fail_nth_fd = -1;

static void fail_nth_set(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	if (pwrite(fail_nth_fd, s, len, 0) != len && n)
		fprintf(stderr, "kfuzz-netlink: fail-nth: %s\n", strerror(errno));
}

/* The count left: 0 once the fault was injected (or when off). */
static unsigned int fail_nth_get(void)
{
	char s[16] = "";

	if (pread(fail_nth_fd, s, sizeof(s) - 1, 0) <= 0)
		return 0;
	return strtoul(s, NULL, 10);
}

struct text {
	char lines[64][1024];
	int n;
};

/*
 * One message's attributes as hex, recursively. A contact's times are left
 * out (EXPIRES, EXPIRES_AT, and NONCE_TIME, which a netlink install without
 * one sets to its own time): two runs of a case at different times
 * would differ in them.
 */
static void attr_hex(const struct nlattr *a, int len, int depth, char *out,
		     size_t size)
{
	size_t o = strlen(out);

	for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		uint16_t t = a->nla_type & NLA_TYPE_MASK;
		const unsigned char *d = (const unsigned char *)a + NLA_HDRLEN;
		int dl = a->nla_len - NLA_HDRLEN;

		if (depth == 2 && (t == SIPREG_CONTACT_A_EXPIRES_AT ||
				   t == SIPREG_CONTACT_A_EXPIRES ||
				   t == SIPREG_CONTACT_A_NONCE_TIME))
			continue;
		if (o + 8 >= size)
			return;
		o += snprintf(out + o, size - o, " %u%s", t,
			      a->nla_type & NLA_F_NESTED ? "{" : ":");
		if (a->nla_type & NLA_F_NESTED) {
			attr_hex((const struct nlattr *)d, dl, depth + 1, out, size);
			o = strlen(out);
			o += snprintf(out + o, size - o, "}");
		} else {
			for (int i = 0; i < dl && o + 3 < size; i++)
				o += snprintf(out + o, size - o, "%02x", d[i]);
		}
	}
}

static void text_cb(const struct nlmsghdr *h, void *arg)
{
	struct text *t = arg;

	if (t->n == 64)
		return;
	t->lines[t->n][0] = 0;
	attr_hex((const struct nlattr *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN),
		 h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0, t->lines[t->n],
		 sizeof(t->lines[0]));
	t->n++;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Runs @cmd (a do or a dump) and puts its answer, sorted, in @t. */
static int query(struct nl *nl, int cmd, bool dump, struct text *t)
{
	static struct msg m;
	struct nlmsghdr *h;
	int r;

	m.len = 0;
	t->n = 0;
	h = msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK |
		      (dump ? NLM_F_DUMP : 0), cmd, ++nl->seq);
	if (cmd == SIPREG_CMD_BINDING_GET && !dump) {
		nest_start(&m, SIPREG_A_BINDING);
		put_str(&m, SIPREG_BINDING_A_AOR, "sip:alice@sipreg");
		nest_end(&m);
	}
	msg_end(&m, h);
	r = nl_send(nl, m.buf, m.len);
	if (!r)
		r = nl_recv(nl, nl->seq, 2000, text_cb, t);
	qsort(t->lines, t->n, sizeof(t->lines[0]), cmp_line);
	return r;
}

static bool text_eq(const struct text *a, const struct text *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->lines[i], b->lines[i]))
			return false;
	return true;
}

/* The namespace's state: config, users, bindings. */
struct state {
	struct text config, users, bindings, domains;
};

static int read_state(struct nl *nl, struct state *s)
{
	if (query(nl, SIPREG_CMD_CONFIG_GET, false, &s->config) ||
	    query(nl, SIPREG_CMD_USER_GET, true, &s->users) ||
	    query(nl, SIPREG_CMD_BINDING_GET, true, &s->bindings) ||
	    query(nl, SIPREG_CMD_DOMAIN_GET, true, &s->domains))
		return -1;
	return 0;
}

static bool text_has(const struct text *t, const char *line)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->lines[i], line))
			return true;
	return false;
}

static bool state_eq(const struct state *a, const struct state *b)
{
	return text_eq(&a->config, &b->config) && text_eq(&a->users, &b->users) &&
	       text_eq(&a->bindings, &b->bindings) &&
	       text_eq(&a->domains, &b->domains);
}

/* Prints the lines of @b that @a does not have, and the other way round. */
static void state_diff(const struct state *a, const struct state *b)
{
	const struct text *ta[] = { &a->config, &a->users, &a->bindings, &a->domains };
	const struct text *tb[] = { &b->config, &b->users, &b->bindings, &b->domains };

	for (int k = 0; k < 4; k++) {
		for (int i = 0; i < ta[k]->n; i++)
			if (!text_has(tb[k], ta[k]->lines[i]))
				fprintf(stderr, "  was: %s\n", ta[k]->lines[i]);
		for (int i = 0; i < tb[k]->n; i++)
			if (!text_has(ta[k], tb[k]->lines[i]))
				fprintf(stderr, "  now: %s\n", tb[k]->lines[i]);
	}
}

static int simple(struct nl *nl, struct msg *m)
{
	int r = nl_send(nl, m->buf, m->len);

	return r ? r : nl_recv(nl, nl->seq, 2000, NULL, NULL);
}

/* Builds the request of test case @c in @m; NULL name: past the end. */
static const char *failnth_case(int c, struct nl *nl, struct msg *m)
{
	static const unsigned char ha1[32] = { 1, 2, 3 };
	struct nlmsghdr *h;
	const char *name;
	int cmd;

	static const struct { const char *name; int cmd; } cases[] = {
		{ "config-set", SIPREG_CMD_CONFIG_SET },
		{ "user-add(new)", SIPREG_CMD_USER_ADD },
		{ "user-add(update)", SIPREG_CMD_USER_ADD },
		{ "user-del", SIPREG_CMD_USER_DEL },
		{ "user-flush", SIPREG_CMD_USER_FLUSH },
		{ "binding-add(new aor)", SIPREG_CMD_BINDING_ADD },
		{ "binding-add(second contact)", SIPREG_CMD_BINDING_ADD },
		{ "binding-del(contact)", SIPREG_CMD_BINDING_DEL },
		{ "binding-del(aor)", SIPREG_CMD_BINDING_DEL },
		{ "binding-flush", SIPREG_CMD_BINDING_FLUSH },
		{ "stats-reset", SIPREG_CMD_STATS_RESET },
		{ "daemon-claim", SIPREG_CMD_DAEMON_CLAIM },
		{ "nonce-keys-set", SIPREG_CMD_NONCE_KEYS_SET },
		{ "daemon-release", SIPREG_CMD_DAEMON_RELEASE },
		{ "domain-add(new)", SIPREG_CMD_DOMAIN_ADD },
		{ "domain-add(new realm)", SIPREG_CMD_DOMAIN_ADD },
		{ "domain-del", SIPREG_CMD_DOMAIN_DEL },
		{ "domain-flush", SIPREG_CMD_DOMAIN_FLUSH },
	};

	if (c >= (int)(sizeof(cases) / sizeof(*cases)))
		return NULL;
	name = cases[c].name;
	cmd = cases[c].cmd;
	m->len = 0;
	h = msg_start(m, nl->family, NLM_F_REQUEST | NLM_F_ACK, cmd, ++nl->seq);
	switch (c) {
	case 0:
		nest_start(m, SIPREG_A_CONFIG);
		put_str(m, SIPREG_CONFIG_A_REALM, "example.com");
		put_u16(m, SIPREG_CONFIG_A_PORT, 5060);
		put_u16(m, SIPREG_CONFIG_A_PORT, 5080);
		put_u32(m, SIPREG_CONFIG_A_MAX_USERS, 100);
		put_u32(m, SIPREG_CONFIG_A_EXPIRES_MAX, 7200);
		put_u32(m, SIPREG_CONFIG_A_ALGS, SIPREG_ALG_FLAG_MD5 |
			SIPREG_ALG_FLAG_SHA256);
		nest_end(m);
		break;
	case 1: case 2: case 3:
		nest_start(m, SIPREG_A_USER);
		put_str(m, SIPREG_USER_A_NAME, c == 1 ? "bob" : "alice");
		put_str(m, SIPREG_USER_A_REALM, "sipreg");
		if (c != 3) {
			put(m, SIPREG_USER_A_HA1_MD5, ha1, 16);
			put(m, SIPREG_USER_A_HA1_SHA256, ha1, 32);
		}
		nest_end(m);
		break;
	case 5: case 6: case 7: case 8:
		nest_start(m, SIPREG_A_BINDING);
		put_str(m, SIPREG_BINDING_A_AOR, c == 5 ? "sip:bob@sipreg" :
						   "sip:alice@sipreg");
		if (c != 8) {
			nest_start(m, SIPREG_BINDING_A_CONTACT);
			put_str(m, SIPREG_CONTACT_A_URI, c == 6 ?
				"sip:alice@192.0.2.9:5062" : "sip:alice@192.0.2.1:5062");
			if (c != 7) {
				put_str(m, SIPREG_CONTACT_A_CALL_ID, "c9");
				put_u32(m, SIPREG_CONTACT_A_CSEQ, 7);
				put_u32(m, SIPREG_CONTACT_A_EXPIRES, 600);
			}
			nest_end(m);
		}
		nest_end(m);
		break;
	case 14: case 15: case 16:
		nest_start(m, SIPREG_A_DOMAIN);
		put_str(m, SIPREG_DOMAIN_A_NAME, c == 14 ? "B.example" : "a.example");
		if (c == 15)
			put_str(m, SIPREG_DOMAIN_A_REALM, "realm-a2");
		nest_end(m);
		break;
	case 12:
		nest_start(m, SIPREG_A_NONCE_KEYS);
		put(m, SIPREG_NONCE_KEYS_A_CUR, ha1, 16);
		put(m, SIPREG_NONCE_KEYS_A_PREV, ha1 + 16, 16);
		put_u32(m, SIPREG_NONCE_KEYS_A_GEN, 3);
		nest_end(m);
		break;
	}
	msg_end(m, h);
	return name;
}

/*
 * Cases 12 and 13 (nonce-keys-set, daemon-release) act for the holder of
 * the miss channel, and the claim is the claiming socket: @nl claims it
 * first, without a fault. Closing @nl releases it.
 */
static int failnth_prelude(int c, struct nl *nl)
{
	static struct msg m;
	struct nlmsghdr *h;

	if (c != 12 && c != 13)
		return 0;
	m.len = 0;
	h = msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK,
		      SIPREG_CMD_DAEMON_CLAIM, ++nl->seq);
	msg_end(&m, h);
	return simple(nl, &m);
}

/* The base state every case starts from, set without faults. */
static int failnth_base(struct nl *nl)
{
	static struct msg m;
	struct nlmsghdr *h;
	static const unsigned char ha1[16] = { 9 };
	int r = 0;

	for (int cmd = SIPREG_CMD_USER_FLUSH; cmd <= SIPREG_CMD_BINDING_FLUSH;
	     cmd += SIPREG_CMD_BINDING_FLUSH - SIPREG_CMD_USER_FLUSH) {
		m.len = 0;
		h = msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK, cmd,
			      ++nl->seq);
		msg_end(&m, h);
		r |= simple(nl, &m);
	}
	m.len = 0;
	h = msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK,
		      SIPREG_CMD_CONFIG_SET, ++nl->seq);
	nest_start(&m, SIPREG_A_CONFIG);
	put_str(&m, SIPREG_CONFIG_A_REALM, "sipreg");
	put_u16(&m, SIPREG_CONFIG_A_PORT, 5060);
	put_u32(&m, SIPREG_CONFIG_A_MAX_USERS, 1000);
	put_u32(&m, SIPREG_CONFIG_A_EXPIRES_MAX, 3600);
	put_u32(&m, SIPREG_CONFIG_A_ALGS, SIPREG_ALG_FLAG_MD5);
	nest_end(&m);
	msg_end(&m, h);
	r |= simple(nl, &m);
	m.len = 0;
	h = msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK,
		      SIPREG_CMD_USER_ADD, ++nl->seq);
	nest_start(&m, SIPREG_A_USER);
	put_str(&m, SIPREG_USER_A_NAME, "alice");
	put_str(&m, SIPREG_USER_A_REALM, "sipreg");
	put(&m, SIPREG_USER_A_HA1_MD5, ha1, 16);
	nest_end(&m);
	msg_end(&m, h);
	r |= simple(nl, &m);
	/* a domain: config-set's new algorithms rebuild its challenges */
	m.len = 0;
	h = msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK,
		      SIPREG_CMD_DOMAIN_FLUSH, ++nl->seq);
	msg_end(&m, h);
	r |= simple(nl, &m);
	m.len = 0;
	h = msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK,
		      SIPREG_CMD_DOMAIN_ADD, ++nl->seq);
	nest_start(&m, SIPREG_A_DOMAIN);
	put_str(&m, SIPREG_DOMAIN_A_NAME, "a.example");
	put_str(&m, SIPREG_DOMAIN_A_REALM, "realm-a");
	nest_end(&m);
	msg_end(&m, h);
	r |= simple(nl, &m);
	m.len = 0;
	h = msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK,
		      SIPREG_CMD_BINDING_ADD, ++nl->seq);
	nest_start(&m, SIPREG_A_BINDING);
	put_str(&m, SIPREG_BINDING_A_AOR, "sip:alice@sipreg");
	nest_start(&m, SIPREG_BINDING_A_CONTACT);
	put_str(&m, SIPREG_CONTACT_A_URI, "sip:alice@192.0.2.1:5062");
	put_str(&m, SIPREG_CONTACT_A_CALL_ID, "c1");
	put_u32(&m, SIPREG_CONTACT_A_CSEQ, 1);
	put_u32(&m, SIPREG_CONTACT_A_EXPIRES, 600);
	nest_end(&m);
	nest_end(&m);
	msg_end(&m, h);
	r |= simple(nl, &m);
	return r;
}

static void show_state(const char *what, const struct state *s)
{
	const struct text *t[4] = { &s->config, &s->users, &s->bindings, &s->domains };

	for (int i = 0; i < 4; i++)
		for (int j = 0; j < t[i]->n; j++)
			fprintf(stderr, "#   %s:%s\n", what, t[i]->lines[j]);
}

static int failnth(unsigned int max_nth)
{
	static struct msg m;
	static struct state base, ref, now;
	struct nl rd = { .fd = -1 }, op = { .fd = -1 };
	unsigned long runs = 0, injected = 0, errors[140] = { 0 }, lost = 0;
	int c, r, bad = 0;
	const char *name;
	unsigned int nth;

	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		fprintf(stderr, "kfuzz-netlink: /proc/thread-self/fail-nth: %s\n",
			strerror(errno));
		return 2;
	}
	if (nl_open(&rd) || resolve(&rd)) {
		fprintf(stderr, "kfuzz-netlink: no sipreg family\n");
		return 2;
	}
	for (c = 0; (name = failnth_case(c, &rd, &m)); c++) {
		unsigned int points = 0;

		/* the reference: the case run once without a fault */
		if (failnth_base(&rd) || read_state(&rd, &base)) {
			fprintf(stderr, "kfuzz-netlink: %s: cannot set the base state\n", name);
			return 2;
		}
		if (nl_open(&op) || resolve(&op) || failnth_prelude(c, &op))
			return 2;
		failnth_case(c, &op, &m);
		r = simple(&op, &m);
		close(op.fd);
		if (r) {
			fprintf(stderr, "kfuzz-netlink: %s fails without a fault: %s\n",
				name, strerror(-r));
			bad++;
			continue;
		}
		read_state(&rd, &ref);

		for (nth = 1; nth <= max_nth; nth++) {
			unsigned int left;

			if (failnth_base(&rd) || read_state(&rd, &now) ||
			    !state_eq(&now, &base)) {
				fprintf(stderr, "kfuzz-netlink: %s: base state not restored\n", name);
				state_diff(&base, &now);
				return 2;
			}
			if (nl_open(&op) || resolve(&op) || failnth_prelude(c, &op))
				return 2;
			failnth_case(c, &op, &m);
			fail_nth_set(nth);
			r = simple(&op, &m);
			left = fail_nth_get();
			fail_nth_set(0);
			close(op.fd);
			runs++;
			if (left) {	/* ran to the end without a fault */
				points = nth - 1;
				break;
			}
			injected++;
			if (r == -ENOBUFS || r == -ETIMEDOUT)
				lost++;
			else if (r < 0 && -r < 140)
				errors[-r]++;
			if (read_state(&rd, &now)) {
				fprintf(stderr, "kfuzz-netlink: %s, allocation %u failing: cannot read the state back\n",
					name, nth);
				bad++;
				continue;
			}
			if (r == 0 && !state_eq(&now, &ref)) {
				fprintf(stderr, "kfuzz-netlink: FAIL: %s, allocation %u failing: success, but not all done\n",
					name, nth);
				show_state("expected", &ref);
				show_state("found", &now);
				bad++;
			} else if (r < 0 && r != -ENOBUFS && r != -ETIMEDOUT &&
				   !state_eq(&now, &base)) {
				fprintf(stderr, "kfuzz-netlink: FAIL: %s, allocation %u failing: error %s, but state changed\n",
					name, nth, strerror(-r));
				show_state("before", &base);
				show_state("found", &now);
				bad++;
			} else if (r < 0 && !state_eq(&now, &base) &&
				   !state_eq(&now, &ref)) {
				fprintf(stderr, "kfuzz-netlink: FAIL: %s, allocation %u failing: answer lost, state half applied\n",
					name, nth);
				bad++;
			}
		}
		printf("# failnth: %-28s %u allocation points%s\n", name, points,
		       nth > max_nth ? " (limit reached)" : "");
	}

	/* The reply path: reads with each allocation failing. */
	static const struct { const char *name; int cmd; bool dump; } reads[] = {
		{ "stats-get", SIPREG_CMD_STATS_GET, false },
		{ "config-get", SIPREG_CMD_CONFIG_GET, false },
		{ "user-get(dump)", SIPREG_CMD_USER_GET, true },
		{ "binding-get", SIPREG_CMD_BINDING_GET, false },
		{ "binding-get(dump)", SIPREG_CMD_BINDING_GET, true },
		{ "domain-get(dump)", SIPREG_CMD_DOMAIN_GET, true },
	};
	static struct text clean, got;

	failnth_base(&rd);
	for (c = 0; c < (int)(sizeof(reads) / sizeof(*reads)); c++) {
		unsigned int points = 0;

		for (nth = 1; nth <= max_nth; nth++) {
			unsigned int left;

			if (nl_open(&op) || resolve(&op))
				return 2;
			query(&op, reads[c].cmd, reads[c].dump, &clean);
			fail_nth_set(nth);
			r = query(&op, reads[c].cmd, reads[c].dump, &got);
			left = fail_nth_get();
			fail_nth_set(0);
			close(op.fd);
			runs++;
			if (left) {
				points = nth - 1;
				break;
			}
			injected++;
			if (r == -ENOBUFS || r == -ETIMEDOUT)
				lost++;
			else if (r < 0 && -r < 140)
				errors[-r]++;
			/* stats move by themselves: only their presence */
			if (r == 0 && (reads[c].cmd == SIPREG_CMD_STATS_GET ?
				       got.n != clean.n : !text_eq(&got, &clean))) {
				fprintf(stderr, "kfuzz-netlink: FAIL: %s, allocation %u failing: success with a wrong answer (%d messages, expected %d)\n",
					reads[c].name, nth, got.n, clean.n);
				bad++;
			}
		}
		printf("# failnth: %-28s %u allocation points%s\n", reads[c].name,
		       points, nth > max_nth ? " (limit reached)" : "");
	}
	printf("# failnth: %lu runs, %lu with a failed allocation; %lu answers lost; errors:",
	       runs, injected, lost);
	for (c = 1; c < 140; c++)
		if (errors[c])
			printf(" %s=%lu", strerrorname_np(c), errors[c]);
	printf("\n# failnth: %d problems\n", bad);
	return bad ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: sipreg-kfuzz-netlink [-t SECONDS] [-n MAX] [-S SEED] [-U]\n"
		"       sipreg-kfuzz-netlink --failnth [-n MAX-NTH]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "failnth", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	double seconds = 30;
	unsigned long max = 0;
	bool unpriv = false, fnth = false;
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "t:n:S:U", opts, NULL)) != -1) {
		switch (c) {
		case 't': seconds = atof(optarg); break;
		case 'n': max = strtoul(optarg, NULL, 10); break;
		case 'S': rng = strtoull(optarg, NULL, 10) | 1; break;
		case 'U': unpriv = true; break;
		case 'F': fnth = true; break;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (!specs_complete())
		return 2;
	if (fnth)
		return failnth(max ? max : 200);
	return fuzz(seconds, max, unpriv);
}
