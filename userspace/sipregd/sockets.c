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

/* Datagrams per socket per wakeup, so signals and ticks are not starved. */
#define BATCH		256

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
static int open_socket(const char *spec, struct sockaddr_storage *bound)
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
		d->fds[i] = open_socket(d->cfg.listen[i], &d->bound[i]);
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

static bool recv_one(int fd, uint8_t *buf, struct dgram *g)
{
	char ctl[256];
	struct iovec iov = { buf, DGRAM_MAX };
	struct msghdr mh = {
		.msg_name = &g->src, .msg_namelen = sizeof(g->src),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	ssize_t n = recvmsg(fd, &mh, 0);

	if (n < 0)
		return false;
	g->len = (size_t)n;
	g->srclen = mh.msg_namelen;
	local_from_cmsg(&mh, g);
	return true;
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

void sockets_serve(struct daemon *d, int fd, uint8_t *in)
{
	struct registrar_time now;
	struct registrar_pkt pkt = { .transport = REGISTRAR_UDP };
	struct dgram g;
	size_t n;
	int i;

	for (i = 0; i < BATCH && recv_one(fd, in, &g); i++) {
		if (keepalive_handle(d, fd, &g, in))
			continue;
		registrar_now(&now);
		pkt.data = in;
		pkt.len = g.len;
		pkt.src = (const struct sockaddr *)&g.src;
		pkt.local = (const struct sockaddr *)&g.local;
		n = registrar_handle(d->reg, &pkt, &now, d->out,
				     REGISTRAR_RESP_MAX);
		if (n)
			sockets_reply(fd, &g, d->out, n);
	}
}
