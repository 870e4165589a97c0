// SPDX-License-Identifier: GPL-2.0
/*
 * REGISTERs the kernel did not answer (ksync hands them over): the
 * registrar answers them as if they had come to a listen socket, and the
 * answer leaves from the socket the datagram would have reached.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "daemon.h"

static bool addr_any(const struct sockaddr_storage *ss)
{
	static const struct in6_addr any6;

	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return !memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, &any6,
		       sizeof(any6));
}

static bool addr_is(const struct sockaddr_storage *ss, const uint8_t *a)
{
	if (ss->ss_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)ss)->sin_addr, a, 4);
	return !memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, a, 16);
}

static uint16_t bound_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/*
 * The listen socket the datagram would have reached: same family and
 * port, bound to its destination or to the wildcard. The answer leaves
 * from it, with PKTINFO naming the destination as the source.
 */
static int reply_fd(const struct daemon *d, const struct kmiss *m)
{
	int any = -1;
	unsigned int i;

	for (i = 0; i < d->n_fds; i++) {
		if (d->bound[i].ss_family != m->family ||
		    bound_port(&d->bound[i]) != m->dport)
			continue;
		if (addr_is(&d->bound[i], m->daddr))
			return d->fds[i];
		if (addr_any(&d->bound[i]))
			any = d->fds[i];
	}
	return any;
}

static void miss_dgram(const struct kmiss *m, struct dgram *g)
{
	memset(g, 0, sizeof(*g));
	g->len = m->len;
	g->ifindex = (int)m->ifindex;
	if (m->family == AF_INET) {
		struct sockaddr_in *s = (void *)&g->src, *l = (void *)&g->local;

		s->sin_family = l->sin_family = AF_INET;
		memcpy(&s->sin_addr, m->saddr, 4);
		memcpy(&l->sin_addr, m->daddr, 4);
		s->sin_port = htons(m->sport);
		l->sin_port = htons(m->dport);
		g->srclen = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (void *)&g->src, *l = (void *)&g->local;

		s->sin6_family = l->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, m->saddr, 16);
		memcpy(&l->sin6_addr, m->daddr, 16);
		s->sin6_port = htons(m->sport);
		l->sin6_port = htons(m->dport);
		/* a link-local client is reachable through its interface */
		if (IN6_IS_ADDR_LINKLOCAL(&s->sin6_addr))
			s->sin6_scope_id = m->ifindex;
		g->srclen = sizeof(*s);
	}
}

/*
 * The same registrar as for a datagram of the UDP sockets, in a group
 * with the other misses of this turn (answered by miss_done(), or here
 * when the group is full).
 */
bool miss_handle(void *arg, const struct kmiss *m)
{
	struct daemon *d = arg;
	struct group_slot *s = group_next(d->group);
	int fd = reply_fd(d, m);

	if (!s) {
		group_flush(d);
		s = group_next(d->group);
	}
	if (m->len > DGRAM_MAX)
		return false;		/* the kernel never hands one over */
	miss_dgram(m, &s->g);
	memcpy(s->in, m->data, m->len);
	s->fd = fd;
	if (fd < 0)
		log_msg(LOG_DEBUG, "miss to port %u: no listen socket to "
			"answer from", m->dport);
	group_add(d->group);
	return fd >= 0;
}

void miss_done(void *arg)
{
	group_flush(arg);
}
