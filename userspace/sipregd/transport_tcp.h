/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP over TCP and TLS (RFC 3261 18): listeners and their connections,
 * nonblocking in the daemon's one poll() loop, so that a slow or silent
 * connection never delays a UDP datagram. Each complete message goes
 * through the same registrar as a datagram; its answer goes back on the
 * connection it came on (18.2.2). Limits: the message size, an idle
 * timeout, connections per source address and in all.
 */
#ifndef SIPREGD_TRANSPORT_TCP_H
#define SIPREGD_TRANSPORT_TCP_H

#include <poll.h>
#include <stdint.h>

#include "config.h"
#include "registrar/registrar.h"

struct streams;

struct stream_stats {
	uint64_t accepted, refused_total, refused_source, closed_idle;
	uint64_t closed_too_large, closed_bad, closed_slow_reader;
	uint64_t answered_too_large;	/* of closed_too_large: 513 first */
	uint64_t tls_failed, messages, pings, pongs;
};

/* The listeners of @c (none: an empty set); NULL after printing why. */
struct streams *streams_open(const struct stream_config *c);
void streams_close(struct streams *s);
/* How many pollfds streams_pollfds() may fill at most. */
unsigned int streams_max_pollfds(const struct streams *s);
/*
 * Fills @pfd with the listeners and connections; lowers *@timeout_ms to
 * 0 when TLS holds decrypted bytes poll() cannot see. The count.
 */
unsigned int streams_pollfds(struct streams *s, struct pollfd *pfd,
			     int *timeout_ms);
/* After poll(): @pfd and @n as filled. Answers through @reg into @out. */
void streams_handle(struct streams *s, struct registrar *reg,
		    const struct pollfd *pfd, unsigned int n, uint8_t *out);
/* Once a second: closes the connections idle too long. */
void streams_tick(struct streams *s);
const struct stream_stats *streams_stats(const struct streams *s);
/*
 * @cb hears of every connection that closes, with its flow id (the
 * registrar_pkt.flow of its messages), but not of those closed by
 * streams_close().
 */
typedef void (*streams_closed_cb)(void *arg, uint64_t flow);
void streams_on_close(struct streams *s, streams_closed_cb cb, void *arg);
unsigned int streams_count(const struct streams *s);

#endif /* SIPREGD_TRANSPORT_TCP_H */
