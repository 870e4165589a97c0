/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipreg-load over TCP or TLS (OpenSSL 3): a bounded pool of connections
 * per thread, UA i speaking on connection i % n. All nonblocking: the
 * pool connects and shakes hands at once, requests are queued per
 * connection and written as the socket takes them, and responses are
 * framed by Content-Length (RFC 3261 18.3).
 */
#ifndef LG_CONN_H
#define LG_CONN_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "shim.h"

enum lg_transport { LG_UDP, LG_TCP, LG_TLS };

struct lg_conn;
struct ssl_ctx_st;

struct lg_conns {
	struct lg_conn *v;
	struct pollfd *pfd;
	unsigned int n;
	struct ssl_ctx_st *ctx;		/* TLS only */
	u64 lost;			/* connections closed under us */
};

struct lg_conns_cfg {
	enum lg_transport transport;
	const struct sockaddr_storage *target;
	socklen_t target_len;
	const struct sockaddr_storage *bind;	/* family 0: any */
	socklen_t bind_len;
	const char *ca;			/* TLS: verify the server against it */
	u64 timeout_ns;			/* for connect and handshake */
};

/* Opens @n connections; 0, or -1 with a message in @err. */
int lg_conns_open(struct lg_conns *cs, const struct lg_conns_cfg *c,
		  unsigned int n, char *err, size_t errlen);
void lg_conns_free(struct lg_conns *cs);

/* The descriptor of connection 0, for our address in Via. */
int lg_conns_fd(const struct lg_conns *cs);

/* Queues a request of UA @ua; -1 if its connection is gone. */
int lg_conns_send(struct lg_conns *cs, u32 ua, const char *b, size_t n);

/* One framed response; may modify it in place (lg_sip_scan unfolds). */
typedef void (*lg_conns_msg)(void *arg, char *b, size_t n);

/*
 * Writes what is queued and reads what arrived on every connection,
 * without waiting; @cb for each response. How many there were.
 */
int lg_conns_receive(struct lg_conns *cs, lg_conns_msg cb, void *arg);

/* Sleeps up to @ts, or until a connection can be read (or written). */
void lg_conns_wait(struct lg_conns *cs, const struct timespec *ts);

/* Frames @b: the length of its first whole message, 0 if not yet. */
size_t lg_conn_frame(const char *b, size_t n);

#endif /* LG_CONN_H */
