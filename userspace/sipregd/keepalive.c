// SPDX-License-Identifier: GPL-2.0
/*
 * Keepalives on the UDP listen sockets (RFC 5626 4.4), before the
 * registrar sees a datagram: a STUN Binding request is answered with the
 * address and port it came from (kmod/sip/stun.c, as the module does when
 * it is loaded), other STUN is dropped unanswered, and a bare CRLF or
 * CRLFCRLF is dropped: on UDP nothing answers it (RFC 5626's CRLF
 * keepalive is for streams), it kept the NAT binding open by arriving.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon.h"
#include "stun.h"

/* The source as XOR-MAPPED-ADDRESS wants it; an IPv4-mapped one as IPv4. */
static int mapped_of(const struct sockaddr_storage *ss,
		     struct sipreg_stun_addr *a)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		a->family = 4;
		memcpy(a->addr, &s4->sin_addr, 4);
		memcpy(a->port, &s4->sin_port, 2);
		return 0;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			a->family = 4;
			memcpy(a->addr, s6->sin6_addr.s6_addr + 12, 4);
		} else {
			a->family = 6;
			memcpy(a->addr, &s6->sin6_addr, 16);
		}
		memcpy(a->port, &s6->sin6_port, 2);
		return 0;
	}
	return -1;
}

bool keepalive_handle(struct daemon *d, int fd, const struct dgram *g,
		      const uint8_t *in)
{
	uint8_t out[SIPREG_STUN_RESP_MAX];
	struct sipreg_stun_addr a;
	struct sipreg_stun_req req;
	int n;

	if (sipreg_stun_is_crlf(in, g->len)) {
		d->udp.keepalives++;
		return true;
	}
	switch (sipreg_stun_classify(in, g->len, &req)) {
	case SIPREG_STUN_NOT:
		return false;
	case SIPREG_STUN_IGNORED:
		d->udp.stun_ignored++;
		return true;
	case SIPREG_STUN_BINDING:
		break;
	}
	if (mapped_of(&g->src, &a))
		return true;
	n = sipreg_stun_response(&req, &a, out, sizeof(out));
	if (n > 0) {
		sockets_reply(fd, g, out, (size_t)n);
		d->udp.stun_answered++;
	}
	return true;
}
