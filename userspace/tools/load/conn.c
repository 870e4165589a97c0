// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load's connections. One input buffer per connection holds at
 * most one response being framed plus what follows it; the output queue
 * grows as the load needs (a window of requests per connection). A
 * connection the server closes is counted and left: the transactions on
 * it end at their timeout (Timer F), as a phone's would, and nothing is
 * retransmitted on a reliable transport (RFC 3261 17.1.2.2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "conn.h"

#define IN_MAX		65536		/* largest response we frame */
#define READS		4		/* per connection and turn */

struct lg_conn {
	int fd;
	SSL *ssl;
	bool up;			/* connected and shaken hands */
	bool dead;
	bool want_write;		/* TLS read waits for POLLOUT */
	char *in;
	size_t in_len;
	char *out;
	size_t out_len, out_cap;
};

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* ---- framing (RFC 3261 18.3) --------------------------------------------- */

/* "Content-Length" or "l", then spaces and ':': the value, else -1. */
static long content_length(const char *p, const char *eol)
{
	size_t n = (size_t)(eol - p);

	if (n >= 14 && !strncasecmp(p, "Content-Length", 14))
		p += 14;
	else if (n >= 1 && (*p == 'l' || *p == 'L'))
		p += 1;
	else
		return -1;
	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	if (p == eol || *p != ':')
		return -1;
	return strtol(p + 1, NULL, 10);
}

size_t lg_conn_frame(const char *b, size_t n)
{
	const char *end = memmem(b, n, "\r\n\r\n", 4), *p, *eol;
	size_t hend;
	long clen = 0, v;

	if (!end)
		return 0;
	hend = (size_t)(end - b) + 4;
	for (p = b; p < end; p = eol + 2) {
		eol = memmem(p, (size_t)(end + 2 - p), "\r\n", 2);
		v = content_length(p, eol);
		if (v >= 0)
			clen = v;
	}
	if (clen < 0 || (size_t)clen > IN_MAX)
		return 0;
	return n >= hend + (size_t)clen ? hend + (size_t)clen : 0;
}

/* ---- setup: the whole pool connects and shakes hands at once ---------------- */

static int start(struct lg_conn *k, const struct lg_conns_cfg *c,
		 SSL_CTX *ctx, char *err, size_t errlen)
{
	k->fd = socket(c->target->ss_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	k->in = malloc(IN_MAX + 1);
	if (k->fd < 0 || !k->in) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (c->bind->ss_family &&
	    bind(k->fd, (const struct sockaddr *)c->bind, c->bind_len)) {
		snprintf(err, errlen, "--bind: %s", strerror(errno));
		return -1;
	}
	if (connect(k->fd, (const struct sockaddr *)c->target,
		    c->target_len) && errno != EINPROGRESS) {
		snprintf(err, errlen, "--target: connect: %s", strerror(errno));
		return -1;
	}
	if (ctx) {
		k->ssl = SSL_new(ctx);
		if (!k->ssl || SSL_set_fd(k->ssl, k->fd) != 1) {
			snprintf(err, errlen, "TLS: out of memory");
			return -1;
		}
	}
	return 0;
}

/* One step of connect, then the handshake: 1 up, 0 not yet, -1 failed. */
static int progress(struct lg_conn *k, short *events, char *err, size_t errlen)
{
	int e = 0, r;
	socklen_t len = sizeof(e);

	if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 && e) {
		snprintf(err, errlen, "--target: connect: %s", strerror(e));
		return -1;
	}
	if (!k->ssl) {
		struct sockaddr_storage peer;

		len = sizeof(peer);
		if (getpeername(k->fd, (struct sockaddr *)&peer, &len)) {
			*events = POLLOUT;
			return 0;
		}
		return 1;
	}
	r = SSL_connect(k->ssl);
	if (r == 1)
		return 1;
	switch (SSL_get_error(k->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		*events = POLLIN;
		return 0;
	case SSL_ERROR_WANT_WRITE:
		*events = POLLOUT;
		return 0;
	default:
		snprintf(err, errlen, "TLS handshake failed: %s",
			 SSL_get_verify_result(k->ssl) != X509_V_OK ?
			 X509_verify_cert_error_string(
				 SSL_get_verify_result(k->ssl)) :
			 ERR_reason_error_string(ERR_peek_last_error()) ?
			 ERR_reason_error_string(ERR_peek_last_error()) :
			 "closed");
		return -1;
	}
}

static int bring_up(struct lg_conns *cs, u64 timeout_ns, char *err,
		    size_t errlen)
{
	u64 until = now_ns() + timeout_ns;
	unsigned int i, up = 0, m;

	while (up < cs->n) {
		m = 0;
		for (i = 0; i < cs->n; i++) {
			struct lg_conn *k = &cs->v[i];
			short ev = 0;
			int r;

			if (k->up)
				continue;
			r = progress(k, &ev, err, errlen);
			if (r < 0)
				return -1;
			if (r > 0) {
				k->up = true;
				up++;
				continue;
			}
			cs->pfd[m++] = (struct pollfd){ k->fd, ev, 0 };
		}
		if (!m)
			break;
		if (now_ns() >= until) {
			snprintf(err, errlen, "--target: %u of %u connections "
				 "not up within the timeout", cs->n - up, cs->n);
			return -1;
		}
		poll(cs->pfd, m, 100);
	}
	return 0;
}

static SSL_CTX *client_ctx(const char *ca, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx) {
		snprintf(err, errlen, "TLS: cannot make a context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* the queue moves and grows between a WANT_WRITE and its retry */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (ca) {
		if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
			snprintf(err, errlen, "--ca %s: %s", ca,
				 ERR_reason_error_string(ERR_get_error()));
			SSL_CTX_free(ctx);
			return NULL;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	return ctx;
}

int lg_conns_open(struct lg_conns *cs, const struct lg_conns_cfg *c,
		  unsigned int n, char *err, size_t errlen)
{
	unsigned int i;

	memset(cs, 0, sizeof(*cs));
	cs->v = calloc(n, sizeof(*cs->v));
	cs->pfd = calloc(n, sizeof(*cs->pfd));
	if (!cs->v || !cs->pfd) {
		snprintf(err, errlen, "out of memory for %u connections", n);
		return -1;
	}
	cs->n = n;
	for (i = 0; i < n; i++)
		cs->v[i].fd = -1;
	if (c->transport == LG_TLS) {
		cs->ctx = client_ctx(c->ca, err, errlen);
		if (!cs->ctx)
			return -1;
	}
	for (i = 0; i < n; i++)
		if (start(&cs->v[i], c, cs->ctx, err, errlen))
			return -1;
	return bring_up(cs, c->timeout_ns, err, errlen);
}

void lg_conns_free(struct lg_conns *cs)
{
	unsigned int i;

	for (i = 0; cs->v && i < cs->n; i++) {
		SSL_free(cs->v[i].ssl);
		if (cs->v[i].fd >= 0)
			close(cs->v[i].fd);
		free(cs->v[i].in);
		free(cs->v[i].out);
	}
	SSL_CTX_free(cs->ctx);
	free(cs->v);
	free(cs->pfd);
	memset(cs, 0, sizeof(*cs));
}

int lg_conns_fd(const struct lg_conns *cs)
{
	return cs->n ? cs->v[0].fd : -1;
}

/* ---- output -------------------------------------------------------------- */

static void lose(struct lg_conns *cs, struct lg_conn *k)
{
	if (k->dead)
		return;
	k->dead = true;
	cs->lost++;
}

/* Bytes written now; -1 if the connection broke. */
static ssize_t raw_write(struct lg_conn *k, const char *b, size_t n)
{
	ssize_t w;
	size_t done = 0;
	int r;

	if (k->ssl) {
		r = SSL_write_ex(k->ssl, b, n, &done);
		if (r == 1)
			return (ssize_t)done;
		r = SSL_get_error(k->ssl, r);
		return r == SSL_ERROR_WANT_WRITE || r == SSL_ERROR_WANT_READ ?
		       0 : -1;
	}
	w = send(k->fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (w >= 0)
		return w;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ?
	       0 : -1;
}

static int flush_out(struct lg_conns *cs, struct lg_conn *k)
{
	ssize_t w;

	while (k->out_len && !k->dead) {
		w = raw_write(k, k->out, k->out_len);
		if (w < 0) {
			lose(cs, k);
			return -1;
		}
		if (!w)
			return 0;
		memmove(k->out, k->out + w, k->out_len - (size_t)w);
		k->out_len -= (size_t)w;
	}
	return k->dead ? -1 : 0;
}

static int queue(struct lg_conn *k, const char *b, size_t n)
{
	size_t cap = k->out_cap ? k->out_cap : 4096;
	char *p;

	while (cap < k->out_len + n)
		cap *= 2;
	if (cap != k->out_cap) {
		p = realloc(k->out, cap);
		if (!p)
			return -1;
		k->out = p;
		k->out_cap = cap;
	}
	memcpy(k->out + k->out_len, b, n);
	k->out_len += n;
	return 0;
}

int lg_conns_send(struct lg_conns *cs, u32 ua, const char *b, size_t n)
{
	struct lg_conn *k = &cs->v[ua % cs->n];

	if (k->dead || queue(k, b, n))
		return -1;
	/* TLS records must go out in order: never write past a queue */
	return flush_out(cs, k);
}

/* ---- input --------------------------------------------------------------- */

/* Bytes read now; 0 nothing yet; -1 closed or broken. */
static ssize_t raw_read(struct lg_conn *k)
{
	size_t room = IN_MAX - k->in_len, done = 0;
	ssize_t r;
	int e;

	if (k->ssl) {
		k->want_write = false;
		r = SSL_read_ex(k->ssl, k->in + k->in_len, room, &done);
		if (r == 1)
			return (ssize_t)done;
		e = SSL_get_error(k->ssl, (int)r);
		if (e == SSL_ERROR_WANT_READ)
			return 0;
		if (e == SSL_ERROR_WANT_WRITE) {
			k->want_write = true;
			return 0;
		}
		return -1;
	}
	r = recv(k->fd, k->in + k->in_len, room, MSG_DONTWAIT);
	if (r > 0)
		return r;
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		      errno == EINTR))
		return 0;
	return -1;
}

/* Every whole response in the buffer; how many. */
static int frames(struct lg_conn *k, lg_conns_msg cb, void *arg)
{
	size_t off = 0, len;
	int got = 0;

	while ((len = lg_conn_frame(k->in + off, k->in_len - off))) {
		/* a response is text: make it a C string for the scanner */
		char keep = k->in[off + len];

		k->in[off + len] = 0;
		cb(arg, k->in + off, len);
		k->in[off + len] = keep;
		off += len;
		got++;
	}
	memmove(k->in, k->in + off, k->in_len - off);
	k->in_len -= off;
	return got;
}

static int read_conn(struct lg_conns *cs, struct lg_conn *k, lg_conns_msg cb,
		     void *arg)
{
	int got = 0, i;
	ssize_t r;

	for (i = 0; i < READS && !k->dead; i++) {
		if (k->in_len == IN_MAX) {
			lose(cs, k);	/* no response is that long */
			break;
		}
		r = raw_read(k);
		if (r < 0)
			lose(cs, k);
		if (r <= 0)
			break;
		k->in_len += (size_t)r;
		got += frames(k, cb, arg);
	}
	return got;
}

int lg_conns_receive(struct lg_conns *cs, lg_conns_msg cb, void *arg)
{
	unsigned int i;
	int got = 0;

	for (i = 0; i < cs->n; i++) {
		struct lg_conn *k = &cs->v[i];

		if (k->dead)
			continue;
		if (k->out_len)
			flush_out(cs, k);
		got += read_conn(cs, k, cb, arg);
	}
	return got;
}

void lg_conns_wait(struct lg_conns *cs, const struct timespec *ts)
{
	unsigned int i, m = 0;

	for (i = 0; i < cs->n; i++) {
		struct lg_conn *k = &cs->v[i];

		if (k->dead)
			continue;
		/* TLS may hold decrypted bytes poll() cannot see */
		if (k->ssl && SSL_pending(k->ssl))
			return;
		cs->pfd[m++] = (struct pollfd){ k->fd, (short)(POLLIN |
			(k->out_len || k->want_write ? POLLOUT : 0)), 0 };
	}
	ppoll(cs->pfd, m, ts, NULL);
}
