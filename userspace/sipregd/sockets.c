// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP listen sockets: nonblocking, each datagram with the local
 * address it was sent to (PKTINFO), so that a wildcard socket answers
 * from the address it was asked on.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon.h"

/*
 * Groups per socket per wakeup (REGISTRAR_BATCH_MAX datagrams each), so
 * that signals, ticks and the other sockets are not starved.
 */
#define ROUNDS		4

int sockets_parse_listen(const char *s, struct sockaddr_storage *ss,
			 socklen_t *len)
{
	struct sockaddr_in6 *s6 = (void *)ss;
	struct sockaddr_in *s4 = (void *)ss;
	char host[CONFIG_ADDR_MAX];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon)
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return -1;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = 0;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*len = sizeof(*s4);
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : -1;
}

/*
 * Nonblocking, with the destination address of each datagram (PKTINFO)
 * so that a wildcard socket answers from the address it was asked on.
 */
static int open_socket(const char *spec, struct sockaddr_storage *bound,
		       bool shared)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, rcvbuf = 4 << 20;

	if (sockets_parse_listen(spec, &ss, &len)) {
		fprintf(stderr, "sipregd: listen %s: want ADDR:PORT or "
			"[ADDR6]:PORT\n", spec);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* each worker its own socket: the kernel spreads clients by address */
	if (shared &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)))
		goto fail;
	if (ss.ss_family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			   sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&ss, len))
		goto fail;
	*bound = ss;
	return fd;
fail:
	fprintf(stderr, "sipregd: listen %s: %s\n", spec, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int sockets_open(struct daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg.n_listen; i++) {
		d->fds[i] = open_socket(d->cfg.listen[i], &d->bound[i],
					d->cfg.workers > 1);
		if (d->fds[i] < 0)
			return -1;
		d->n_fds++;
	}
	return 0;
}

void sockets_close(struct daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->n_fds; i++)
		close(d->fds[i]);
	d->n_fds = 0;
}

static void local_from_cmsg(struct msghdr *mh, struct dgram *g)
{
	struct cmsghdr *cm;

	memset(&g->local, 0, sizeof(g->local));
	g->ifindex = 0;
	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			struct sockaddr_in *l = (void *)&g->local;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			l->sin_family = AF_INET;
			l->sin_addr = pi.ipi_addr;
			g->ifindex = pi.ipi_ifindex;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
			   cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			struct sockaddr_in6 *l = (void *)&g->local;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			l->sin6_family = AF_INET6;
			l->sin6_addr = pi.ipi6_addr;
			g->ifindex = pi.ipi6_ifindex;
		}
	}
}

/*
 * What is queued on @fd now, up to a free group's worth, in one
 * recvmmsg(): never waits for more. The number of datagrams.
 */
static unsigned int recv_group(int fd, struct group *gr)
{
	struct mmsghdr mm[REGISTRAR_BATCH_MAX];
	struct iovec iov[REGISTRAR_BATCH_MAX];
	char ctl[REGISTRAR_BATCH_MAX][256];
	unsigned int i, free_n = REGISTRAR_BATCH_MAX - gr->n;
	int n;

	for (i = 0; i < free_n; i++) {
		struct group_slot *s = &gr->slot[gr->n + i];

		iov[i] = (struct iovec){ s->in, DGRAM_MAX };
		mm[i].msg_hdr = (struct msghdr){
			.msg_name = &s->g.src, .msg_namelen = sizeof(s->g.src),
			.msg_iov = &iov[i], .msg_iovlen = 1,
			.msg_control = ctl[i], .msg_controllen = sizeof(ctl[i]),
		};
	}
	n = recvmmsg(fd, mm, free_n, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;
	for (i = 0; i < (unsigned int)n; i++) {
		struct group_slot *s = &gr->slot[gr->n + i];

		s->g.len = mm[i].msg_len;
		s->g.srclen = mm[i].msg_hdr.msg_namelen;
		s->fd = fd;
		local_from_cmsg(&mm[i].msg_hdr, &s->g);
	}
	return (unsigned int)n;
}

void sockets_reply(int fd, const struct dgram *g, const uint8_t *resp,
		       size_t n)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { (void *)resp, n };
	struct msghdr mh = {
		.msg_name = (void *)&g->src, .msg_namelen = g->srclen,
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct cmsghdr *cm;

	memset(&ctl, 0, sizeof(ctl));
	if (g->local.ss_family == AF_INET) {
		struct in_pktinfo pi = {
			.ipi_spec_dst = ((const struct sockaddr_in *)&g->local)->sin_addr,
		};

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else if (g->local.ss_family == AF_INET6) {
		struct in6_pktinfo pi = {
			.ipi6_addr = ((const struct sockaddr_in6 *)&g->local)->sin6_addr,
			.ipi6_ifindex = (unsigned int)g->ifindex,
		};

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	if (sendmsg(fd, &mh, MSG_DONTWAIT) < 0)
		log_msg(LOG_DEBUG, "sendmsg: %s", strerror(errno));
}

/* Slots own their buffers: a datagram moves down over a keepalive's. */
static void slot_swap(struct group_slot *a, struct group_slot *b)
{
	struct group_slot t = *a;

	*a = *b;
	*b = t;
}

void sockets_serve(struct daemon *d, int fd)
{
	struct group *gr = d->group;
	unsigned int i, n, r, base;

	for (r = 0; r < ROUNDS; r++) {
		base = gr->n;
		n = recv_group(fd, gr);
		for (i = 0; i < n; i++) {
			struct group_slot *s = &gr->slot[base + i];

			/* keepalives are answered now: no store, no commit */
			if (keepalive_handle(d, fd, &s->g, s->in))
				continue;
			if (s != &gr->slot[gr->n])
				slot_swap(s, &gr->slot[gr->n]);
			group_add(gr);
		}
		group_flush(d);
		if (n < REGISTRAR_BATCH_MAX)
			break;
	}
}
