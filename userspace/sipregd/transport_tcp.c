// SPDX-License-Identifier: GPL-2.0
/*
 * TCP and TLS listeners and connections. Everything is nonblocking: a
 * wakeup reads what one connection has (one buffer's worth), frames it
 * (stream.c), answers each whole message through the registrar and queues
 * what the peer does not take at once. A connection is closed when it
 * sends more than stream_max_message without completing a message, an
 * unreadable Content-Length, no whole message for stream_idle_timeout
 * seconds (a half-sent message does not keep it open), or lets its
 * unread answers pile up past OUT_MAX. A request too large for
 * stream_max_message first gets 513 (RFC 3261 18.3), and the connection
 * lingers until that is sent: see conn_linger().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "stream.h"
#include "tls.h"
#include "transport_tcp.h"

#define IN_START	4096		/* first input buffer, grows to the limit */
#define OUT_MAX		(256 << 10)	/* unread answers before we give up */
#define ACCEPT_BATCH	64
#define TLS_READS	4		/* per wakeup, then poll() again */
/*
 * Messages served per connection and wakeup: one connection pipelining
 * hundreds of REGISTERs (each a commit) must not hold up the UDP sockets
 * for long; the rest waits for the next turn of the loop.
 */
#define MSGS_PER_TURN	8

struct conn {
	int fd;
	uint64_t flow;			/* RFC 5626 flow: this connection */
	struct ssl_st *ssl;		/* NULL: plain TCP */
	struct sockaddr_storage src, local;
	uint8_t *in, *out;
	size_t in_len, in_cap, out_len, out_cap;
	int64_t last;			/* accept or last whole message */
	bool want_write;		/* TLS needs POLLOUT to go on */
	bool backlog;			/* whole messages left for next turn */
	bool closing;			/* last answer queued: see conn_linger() */
	bool shut;			/* ... and sent, FIN sent */
};

struct listener {
	int fd;
	bool tls;
};

struct streams {
	struct stream_config cfg;
	struct listener ls[2 * CONFIG_LISTEN_MAX];
	unsigned int n_ls;
	struct tls *tls;
	struct conn **conns;		/* cfg.max_connections slots */
	unsigned int n_conns;
	int *slot_of;			/* pollfd index -> slot, -1: listener */
	struct stream_stats stats;
	uint64_t next_flow;
	streams_closed_cb closed;	/* a connection closed: its flow */
	void *closed_arg;
};

static int64_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static const char *addr_text(const struct sockaddr_storage *ss, char *buf,
			     size_t size)
{
	const struct sockaddr_in6 *s6 = (const void *)ss;
	const struct sockaddr_in *s4 = (const void *)ss;
	char a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
	else
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
	snprintf(buf, size, "%s:%u", a, ntohs(ss->ss_family == AF_INET6 ?
					       s6->sin6_port : s4->sin_port));
	return buf;
}

/* ---- listeners ------------------------------------------------------------ */

static int open_listener(const char *spec, bool tls)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	if (sockets_parse_listen(spec, &ss, &len)) {
		fprintf(stderr, "sipregd: listen_%s %s: want ADDR:PORT or "
			"[ADDR6]:PORT\n", tls ? "tls" : "tcp", spec);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 128))
		goto fail;
	return fd;
fail:
	fprintf(stderr, "sipregd: listen_%s %s: %s\n", tls ? "tls" : "tcp",
		spec, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

static int open_list(struct streams *s, const char list[][CONFIG_ADDR_MAX],
		     unsigned int n, bool tls)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		s->ls[s->n_ls].fd = open_listener(list[i], tls);
		if (s->ls[s->n_ls].fd < 0)
			return -1;
		s->ls[s->n_ls++].tls = tls;
	}
	return 0;
}

struct streams *streams_open(const struct stream_config *c)
{
	struct streams *s = calloc(1, sizeof(*s));

	if (!s)
		goto nomem;
	s->cfg = *c;
	s->conns = calloc(c->max_connections, sizeof(*s->conns));
	s->slot_of = calloc(streams_max_pollfds(s), sizeof(*s->slot_of));
	if (!s->conns || !s->slot_of)
		goto nomem;
	if (c->n_tls) {
		s->tls = tls_open(c);
		if (!s->tls)
			goto fail;
	}
	if (open_list(s, c->tcp, c->n_tcp, false) ||
	    open_list(s, c->tls, c->n_tls, true))
		goto fail;
	return s;
nomem:
	fprintf(stderr, "sipregd: out of memory for the stream listeners\n");
fail:
	streams_close(s);
	return NULL;
}

/* ---- connections ---------------------------------------------------------- */

static void conn_free(struct streams *s, unsigned int slot, const char *why)
{
	struct conn *c = s->conns[slot];
	char a[INET6_ADDRSTRLEN + 8];

	log_msg(LOG_DEBUG, "%s %s: closed: %s", c->ssl ? "tls" : "tcp",
		addr_text(&c->src, a, sizeof(a)), why);
	if (s->closed)
		s->closed(s->closed_arg, c->flow);
	if (c->ssl)
		tls_session_free(c->ssl);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
	s->conns[slot] = NULL;
	s->n_conns--;
}

void streams_close(struct streams *s)
{
	unsigned int i;

	if (!s)
		return;
	/*
	 * Not at shutdown: the bindings stay, so that a restart does not
	 * drop every phone on a stream; each registers again over its new
	 * connection (same +sip.instance and reg-id) and replaces its own.
	 */
	s->closed = NULL;
	for (i = 0; s->conns && i < s->cfg.max_connections; i++)
		if (s->conns[i])
			conn_free(s, i, "shutdown");
	for (i = 0; i < s->n_ls; i++)
		close(s->ls[i].fd);
	tls_close(s->tls);
	free(s->conns);
	free(s->slot_of);
	free(s);
}

static bool same_host(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

/* A free slot if both caps allow a connection from @src, else -1. */
static int admit(struct streams *s, const struct sockaddr_storage *src)
{
	unsigned int i, same = 0;
	int slot = -1;

	if (s->n_conns >= s->cfg.max_connections) {
		s->stats.refused_total++;
		return -1;
	}
	for (i = 0; i < s->cfg.max_connections; i++) {
		if (!s->conns[i]) {
			if (slot < 0)
				slot = (int)i;
		} else if (same_host(&s->conns[i]->src, src)) {
			same++;
		}
	}
	if (same >= s->cfg.max_per_source) {
		s->stats.refused_source++;
		return -1;
	}
	return slot;
}

static void accept_one(struct streams *s, const struct listener *l, int fd,
		       const struct sockaddr_storage *src)
{
	socklen_t len = sizeof(struct sockaddr_storage);
	int slot = admit(s, src), one = 1;
	struct conn *c;
	char a[INET6_ADDRSTRLEN + 8];

	if (slot < 0) {
		log_msg(LOG_INFO, "%s: connection refused: stream_max_%s",
			addr_text(src, a, sizeof(a)),
			s->n_conns >= s->cfg.max_connections ?
			"connections" : "per_source");
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c && l->tls)
		c->ssl = tls_session(s->tls, fd);
	if (!c || (l->tls && !c->ssl)) {
		log_msg(LOG_ERR, "out of memory for a connection");
		free(c);
		close(fd);
		return;
	}
	c->fd = fd;
	c->flow = ++s->next_flow;
	c->src = *src;
	getsockname(fd, (struct sockaddr *)&c->local, &len);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->last = now_s();
	s->conns[slot] = c;
	s->n_conns++;
	s->stats.accepted++;
	log_msg(LOG_DEBUG, "%s %s: connected", l->tls ? "tls" : "tcp",
		addr_text(src, a, sizeof(a)));
}

static void accept_all(struct streams *s, const struct listener *l)
{
	struct sockaddr_storage src;
	socklen_t len;
	int i, fd;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		len = sizeof(src);
		fd = accept4(l->fd, (struct sockaddr *)&src, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		accept_one(s, l, fd, &src);
	}
}

/* ---- output: never blocks, keeps what the peer did not take ------------- */

/* 0 and *done bytes written (maybe fewer than @n), -1 if the peer is gone. */
static int raw_write(struct conn *c, const uint8_t *b, size_t n, size_t *done)
{
	ssize_t w;

	*done = 0;
	if (c->ssl) {
		switch (tls_write(c->ssl, b, n, done)) {
		case TLS_IO_OK:
		case TLS_IO_WANT_WRITE:
			return 0;
		case TLS_IO_WANT_READ:
			return 0;	/* renegotiation is off: rare */
		default:
			return -1;
		}
	}
	w = send(c->fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (w >= 0) {
		*done = (size_t)w;
		return 0;
	}
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ?
	       0 : -1;
}

static int flush(struct conn *c)
{
	size_t done;

	while (c->out_len) {
		if (raw_write(c, c->out, c->out_len, &done))
			return -1;
		if (!done)
			return 0;
		memmove(c->out, c->out + done, c->out_len - done);
		c->out_len -= done;
	}
	return 0;
}

/* Room for @n more queued bytes: grown by doubling up to OUT_MAX. */
static int out_room(struct conn *c, size_t n)
{
	size_t cap = c->out_cap ? c->out_cap : 4096;
	uint8_t *p;

	while (cap < c->out_len + n)
		cap *= 2;
	if (cap > OUT_MAX)
		cap = OUT_MAX;
	if (cap == c->out_cap)
		return 0;
	p = realloc(c->out, cap);
	if (!p)
		return -1;
	c->out = p;
	c->out_cap = cap;
	return 0;
}

/* Queued behind earlier answers, in order; -1: close the connection. */
static int conn_send(struct streams *s, struct conn *c, const uint8_t *b,
		     size_t n)
{
	size_t done = 0;

	if (!c->out_len && raw_write(c, b, n, &done))
		return -1;
	if (done == n)
		return 0;
	if (c->out_len + n - done > OUT_MAX) {
		s->stats.closed_slow_reader++;
		return -1;
	}
	if (out_room(c, n - done))
		return -1;
	memcpy(c->out + c->out_len, b + done, n - done);
	c->out_len += n - done;
	return 0;
}

/* ---- input ----------------------------------------------------------------- */

static int grow(struct streams *s, struct conn *c)
{
	size_t cap = c->in_cap ? c->in_cap * 2 : IN_START;
	uint8_t *p;

	if (cap > s->cfg.max_message)
		cap = s->cfg.max_message;
	p = realloc(c->in, cap);
	if (!p)
		return -1;
	c->in = p;
	c->in_cap = cap;
	return 0;
}

/* 1 bytes came, 0 nothing now, -1 closed or failed. */
static int conn_read(struct streams *s, struct conn *c)
{
	size_t done = 0;
	ssize_t r;

	if (c->in_len == c->in_cap && grow(s, c))
		return -1;
	if (c->in_len == c->in_cap)
		return -1;	/* cannot be: a full buffer always frames */
	if (c->ssl) {
		c->want_write = false;
		switch (tls_read(c->ssl, c->in + c->in_len,
				 c->in_cap - c->in_len, &done)) {
		case TLS_IO_OK:
			c->in_len += done;
			return 1;
		case TLS_IO_WANT_READ:
			return 0;
		case TLS_IO_WANT_WRITE:
			c->want_write = true;
			return 0;
		case TLS_IO_ERROR:
			s->stats.tls_failed++;
			return -1;
		default:
			return -1;
		}
	}
	r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
	if (r > 0) {
		c->in_len += (size_t)r;
		return 1;
	}
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	return -1;
}

static int serve_message(struct streams *s, struct conn *c,
			 struct registrar *reg, const uint8_t *m, size_t len,
			 uint8_t *out)
{
	struct registrar_time now;
	struct registrar_pkt pkt = {
		.data = m, .len = len,
		.src = (const struct sockaddr *)&c->src,
		.local = (const struct sockaddr *)&c->local,
		.transport = c->ssl ? REGISTRAR_TLS : REGISTRAR_TCP,
		.flow = c->flow,
	};
	size_t n;

	s->stats.messages++;
	registrar_now(&now);
	n = registrar_handle(reg, &pkt, &now, out, REGISTRAR_RESP_MAX);
	return n ? conn_send(s, c, out, n) : 0;
}

/*
 * A request past stream_max_message: 513 if its header lines say where
 * to (registrar_too_large()), then no more reading, since where the next
 * message starts is lost. True if the 513 is queued and the connection
 * now lingers; false to close it at once.
 */
static bool answer_too_large(struct streams *s, struct conn *c,
			     struct registrar *reg, size_t off, uint8_t *out)
{
	struct registrar_time now;
	struct registrar_pkt pkt = {
		.data = c->in + off, .len = c->in_len - off,
		.src = (const struct sockaddr *)&c->src,
		.local = (const struct sockaddr *)&c->local,
		.transport = c->ssl ? REGISTRAR_TLS : REGISTRAR_TCP,
	};
	size_t n;

	registrar_now(&now);
	n = registrar_too_large(reg, &pkt, &now, out, REGISTRAR_RESP_MAX);
	if (!n || conn_send(s, c, out, n))
		return false;
	s->stats.closed_too_large++;
	s->stats.answered_too_large++;
	c->closing = true;
	c->backlog = false;
	c->in_len = off;	/* the rest is never read */
	return true;
}

/*
 * After the 513: send what is queued, then FIN (shutdown), then read and
 * drop until the peer closes or stream_idle_timeout. Closing with the
 * peer's unread bytes still in our receive queue would send a RST, which
 * can destroy the 513 before the peer reads it. -1: free it now.
 */
static int conn_linger(struct conn *c, short rev)
{
	uint8_t sink[4096];
	size_t done;
	ssize_t r;
	int i;

	if (c->out_len && flush(c))
		return -1;
	if (c->out_len)
		return 0;
	if (!c->shut) {
		shutdown(c->fd, SHUT_WR);
		c->shut = true;
	}
	/* decrypted bytes poll() cannot see must go too, or poll spins */
	if (!(rev & (POLLIN | POLLERR | POLLHUP)) &&
	    !(c->ssl && tls_pending(c->ssl)))
		return 0;
	for (i = 0; i < 16; i++) {
		if (c->ssl) {
			enum tls_io io = tls_read(c->ssl, sink, sizeof(sink),
						  &done);

			if (io == TLS_IO_WANT_READ || io == TLS_IO_WANT_WRITE)
				return 0;
			if (io != TLS_IO_OK)
				return -1;
			continue;
		}
		r = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			      errno == EINTR))
			return 0;
		if (r <= 0)
			return -1;
	}
	return 0;
}

/* Every whole message in the buffer; -1 to close (why in *why). */
static int conn_frames(struct streams *s, struct conn *c,
		       struct registrar *reg, uint8_t *out, const char **why)
{
	size_t off = 0, len;
	int rc = 0, served = 0;

	c->backlog = false;
	while (!rc) {
		enum stream_frame f = stream_frame(c->in + off, c->in_len - off,
						   s->cfg.max_message, &len);

		if (f == STREAM_MORE)
			break;
		if (f == STREAM_TOO_LARGE && answer_too_large(s, c, reg,
							      off, out))
			break;
		if (f == STREAM_TOO_LARGE || f == STREAM_BAD) {
			*why = stream_frame_name(f);
			if (f == STREAM_TOO_LARGE)
				s->stats.closed_too_large++;
			else
				s->stats.closed_bad++;
			return -1;
		}
		if (f == STREAM_PING) {
			/* RFC 5626 4.4.1: a CRLF "pong" for a CRLFCRLF "ping" */
			s->stats.pings++;
			rc = conn_send(s, c, (const uint8_t *)"\r\n", 2);
			s->stats.pongs += !rc;
		} else if (f == STREAM_MSG) {
			rc = serve_message(s, c, reg, c->in + off, len, out);
		}
		if (f != STREAM_SKIP)
			c->last = now_s();
		off += len;
		if (f == STREAM_MSG && ++served == MSGS_PER_TURN) {
			c->backlog = true;
			break;
		}
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
	if (rc)
		*why = "write failed";
	return rc;
}

static void conn_event(struct streams *s, unsigned int slot, short rev,
		       struct registrar *reg, uint8_t *out)
{
	struct conn *c = s->conns[slot];
	const char *why = "closed by peer";
	int i, r = 0;

	if (c->closing) {
		if (conn_linger(c, rev))
			conn_free(s, slot, "513 sent");
		return;
	}
	if ((rev & POLLOUT) && !c->want_write && flush(c)) {
		conn_free(s, slot, "write failed");
		return;
	}
	/* what an earlier turn left first, and no more reading until done */
	if (c->backlog) {
		if (conn_frames(s, c, reg, out, &why)) {
			conn_free(s, slot, why);
			return;
		}
		if (c->closing && conn_linger(c, 0)) {
			conn_free(s, slot, "513 sent");
			return;
		}
		if (c->backlog || c->closing)
			return;
	}
	if (!(rev & (POLLIN | POLLERR | POLLHUP)) && !(c->ssl && c->want_write &&
						       (rev & POLLOUT)) &&
	    !(c->ssl && tls_pending(c->ssl)))
		return;
	for (i = 0; i < (c->ssl ? TLS_READS : 1) && !c->backlog &&
		    !c->closing; i++) {
		r = conn_read(s, c);
		if (r <= 0)
			break;
		if (conn_frames(s, c, reg, out, &why)) {
			r = -1;
			break;
		}
	}
	if (r < 0)
		conn_free(s, slot, why);
	else if (c->closing && conn_linger(c, 0))
		conn_free(s, slot, "513 sent");
}

/* ---- the poll() loop's side -------------------------------------------------- */

unsigned int streams_max_pollfds(const struct streams *s)
{
	return 2 * CONFIG_LISTEN_MAX + s->cfg.max_connections;
}

unsigned int streams_pollfds(struct streams *s, struct pollfd *pfd,
			     int *timeout_ms)
{
	unsigned int i, n = 0;
	struct conn *c;
	short ev;

	for (i = 0; i < s->n_ls; i++) {
		s->slot_of[n] = -1;
		pfd[n++] = (struct pollfd){ s->ls[i].fd, POLLIN, 0 };
	}
	for (i = 0; s->n_conns && i < s->cfg.max_connections; i++) {
		c = s->conns[i];
		if (!c)
			continue;
		ev = POLLIN;
		if (c->out_len || c->want_write)
			ev |= POLLOUT;
		if (c->backlog || (c->ssl && tls_pending(c->ssl)))
			*timeout_ms = 0;
		s->slot_of[n] = (int)i;
		pfd[n++] = (struct pollfd){ c->fd, ev, 0 };
	}
	return n;
}

void streams_handle(struct streams *s, struct registrar *reg,
		    const struct pollfd *pfd, unsigned int n, uint8_t *out)
{
	unsigned int i;

	/* connections first: an accept could take a slot polled for another */
	for (i = s->n_ls; i < n; i++) {
		int slot = s->slot_of[i];

		if (s->conns[slot] && (pfd[i].revents ||
				       s->conns[slot]->backlog ||
				       (s->conns[slot]->ssl &&
					tls_pending(s->conns[slot]->ssl))))
			conn_event(s, (unsigned int)slot, pfd[i].revents, reg,
				   out);
	}
	for (i = 0; i < s->n_ls && i < n; i++)
		if (pfd[i].revents & POLLIN)
			accept_all(s, &s->ls[i]);
}

void streams_tick(struct streams *s)
{
	int64_t now = now_s();
	unsigned int i;

	for (i = 0; s->n_conns && i < s->cfg.max_connections; i++) {
		if (s->conns[i] &&
		    now - s->conns[i]->last >= (int64_t)s->cfg.idle_timeout) {
			s->stats.closed_idle += !s->conns[i]->closing;
			conn_free(s, i, "stream_idle_timeout");
		}
	}
}

void streams_on_close(struct streams *s, streams_closed_cb cb, void *arg)
{
	s->closed = cb;
	s->closed_arg = arg;
}

const struct stream_stats *streams_stats(const struct streams *s)
{
	return &s->stats;
}

unsigned int streams_count(const struct streams *s)
{
	return s->n_conns;
}
