// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics endpoint: a TCP listener in the daemon's poll() loop. A
 * connection sends one request (at most 2 KB of headers), gets the
 * whole answer and is closed; nothing blocks, a connection that neither
 * finishes its request nor reads its answer is closed after 5 s, and
 * connections beyond METRICS_CONNS wait in the listen queue. The
 * address is meant for a management network or loopback: the counters
 * are not secret, but nothing here authenticates the scraper.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "daemon.h"
#include "log.h"
#include "metrics.h"

#define METRICS_CONNS	(METRICS_POLL_MAX - 1)
#define REQ_MAX		2048
#define OUT_MAX		(256 * 1024)
#define DEADLINE_S	5

struct conn {
	int fd;				/* -1: free */
	size_t in_len;
	char in[REQ_MAX + 1];
	char *out;			/* the answer, once the request is in */
	size_t out_len, out_off;
	time_t deadline;		/* CLOCK_MONOTONIC seconds */
};

struct metrics {
	int lfd;
	struct conn c[METRICS_CONNS];
	metrics_render_fn render;
	void *arg;
	int pfd_conn[METRICS_POLL_MAX];	/* pollfd slot -> conn, -1 listener */
};

static time_t mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

struct metrics *metrics_open(const char *addr, metrics_render_fn render,
			     void *arg, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct metrics *m;
	socklen_t len;
	int one = 1, i;

	if (sockets_parse_listen(addr, &ss, &len)) {
		snprintf(err, errlen, "metrics_listen %s: want ADDR:PORT or "
			 "[ADDR6]:PORT", addr);
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "metrics_listen %s: out of memory",
			 addr);
		return NULL;
	}
	for (i = 0; i < METRICS_CONNS; i++)
		m->c[i].fd = -1;
	m->render = render;
	m->arg = arg;
	m->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0);
	if (m->lfd < 0 ||
	    setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(m->lfd, (struct sockaddr *)&ss, len) || listen(m->lfd, 16)) {
		snprintf(err, errlen, "metrics_listen %s: %s", addr,
			 strerror(errno));
		if (m->lfd >= 0)
			close(m->lfd);
		free(m);
		return NULL;
	}
	return m;
}

static void conn_close(struct conn *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void metrics_close(struct metrics *m)
{
	int i;

	if (!m)
		return;
	for (i = 0; i < METRICS_CONNS; i++)
		conn_close(&m->c[i]);
	close(m->lfd);
	free(m);
}

static struct conn *free_conn(struct metrics *m)
{
	int i;

	for (i = 0; i < METRICS_CONNS; i++)
		if (m->c[i].fd < 0)
			return &m->c[i];
	return NULL;
}

unsigned int metrics_pollfds(struct metrics *m, struct pollfd *pfd)
{
	unsigned int n = 0;
	int i;

	if (!m)
		return 0;
	if (free_conn(m)) {
		m->pfd_conn[n] = -1;
		pfd[n++] = (struct pollfd){ m->lfd, POLLIN, 0 };
	}
	for (i = 0; i < METRICS_CONNS; i++) {
		if (m->c[i].fd < 0)
			continue;
		m->pfd_conn[n] = i;
		pfd[n++] = (struct pollfd){ m->c[i].fd,
					    m->c[i].out ? POLLOUT : POLLIN, 0 };
	}
	return n;
}

/* The answer to the request in @c->in: status line, headers, body. */
static void answer(struct metrics *m, struct conn *c)
{
	const char *status = "200 OK", *type = "text/plain; version=0.0.4";
	size_t body = 0, head;
	char *out = malloc(OUT_MAX);

	if (!out) {
		conn_close(c);
		return;
	}
	if (strncmp(c->in, "GET ", 4) && strncmp(c->in, "HEAD ", 5)) {
		status = "405 Method Not Allowed";
	} else if (strncmp(c->in + (c->in[0] == 'G' ? 4 : 5), "/metrics", 8) ||
		   !strchr(" ?", c->in[(c->in[0] == 'G' ? 4 : 5) + 8])) {
		status = "404 Not Found";
	} else {
		body = m->render(m->arg, out + 512, OUT_MAX - 512);
		if (!body)
			status = "500 Internal Server Error";
	}
	if (strcmp(status, "200 OK")) {
		type = "text/plain";
		body = (size_t)snprintf(out + 512, OUT_MAX - 512,
					"%s: the counters are at GET /metrics\n",
					status);
	}
	head = (size_t)snprintf(out, 512, "HTTP/1.0 %s\r\nContent-Type: %s\r\n"
				"Content-Length: %zu\r\nConnection: close\r\n\r\n",
				status, type, body);
	if (!strncmp(c->in, "HEAD ", 5))
		body = 0;
	memmove(out + head, out + 512, body);
	c->out = out;
	c->out_len = head + body;
	c->out_off = 0;
}

static void conn_read(struct metrics *m, struct conn *c)
{
	ssize_t r = read(c->fd, c->in + c->in_len, REQ_MAX - c->in_len);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		conn_close(c);
		return;
	}
	c->in_len += (size_t)r;
	c->in[c->in_len] = '\0';
	if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n"))
		answer(m, c);
	else if (c->in_len == REQ_MAX)
		conn_close(c);		/* headers that large: not a scraper */
}

static void conn_write(struct conn *c)
{
	ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL);

	if (w < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (w < 0) {
		conn_close(c);
		return;
	}
	c->out_off += (size_t)w;
	if (c->out_off == c->out_len)
		conn_close(c);
}

static void conn_accept(struct metrics *m)
{
	struct conn *c = free_conn(m);
	int fd;

	if (!c)
		return;
	fd = accept4(m->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_msg(LOG_WARN, "metrics: accept: %s",
				strerror(errno));
		return;
	}
	c->fd = fd;
	c->deadline = mono() + DEADLINE_S;
}

void metrics_handle(struct metrics *m, const struct pollfd *pfd,
		    unsigned int n)
{
	unsigned int i;

	for (i = 0; m && i < n; i++) {
		struct conn *c;

		if (!pfd[i].revents)
			continue;
		if (m->pfd_conn[i] < 0) {
			conn_accept(m);
			continue;
		}
		c = &m->c[m->pfd_conn[i]];
		if (c->fd != pfd[i].fd)
			continue;
		if (c->out)
			conn_write(c);
		else
			conn_read(m, c);
	}
}

void metrics_tick(struct metrics *m)
{
	time_t now = mono();
	int i;

	for (i = 0; m && i < METRICS_CONNS; i++)
		if (m->c[i].fd >= 0 && now >= m->c[i].deadline)
			conn_close(&m->c[i]);
}
