// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-sipstream [--tls] [--ca FILE] [--tls-max 1.2|1.3] [--timeout MS]
 *                  [--rcvbuf BYTES] HOST PORT STEP...: one TCP (or TLS) connection to a SIP
 * server, driven by steps, one output line per step that reads:
 *   send:FILE          FILE's bytes in one write
 *   split:FILE:N:MS    FILE in writes of N bytes, MS ms apart
 *   recv               one response (framed by Content-Length): prints its
 *                      status line, "closed" or "timeout"
 *   recv-via           the same, and its first Via line after a space
 *   pong               one CRLF: prints "pong", "closed" or "timeout"
 *   closed             prints "closed" if the server closes within the
 *                      timeout, else "open"
 *   flood:FILE:N       FILE N times, never reading: prints "sent" or
 *                      "send failed" (the server gave up on us)
 *   sleep:MS
 * Exit status 0, 1 when the connection or handshake failed (printed as
 * "connect failed" / "handshake failed"), 2 usage or file errors.
 */
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX	(1 << 20)

static int fd = -1;
static SSL *ssl;
static int timeout_ms = 3000;
static int rcvbuf;
static char rbuf[MAX];
static size_t rlen;

static int usage(void)
{
	fprintf(stderr, "usage: sipreg-sipstream [--tls] [--ca FILE] "
		"[--tls-max 1.2|1.3] [--timeout MS] [--rcvbuf BYTES]\n"
		"       HOST PORT STEP...\n");
	return 2;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int dial(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };

	if (getaddrinfo(host, port, &hints, &ai))
		return -1;
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd >= 0 && rcvbuf)	/* before connect: the window follows it */
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

static int handshake(const char *ca, const char *max)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		return -1;
	if (max)
		SSL_CTX_set_max_proto_version(ctx, strcmp(max, "1.2") ?
					      TLS1_3_VERSION : TLS1_2_VERSION);
	if (ca) {
		if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
			return -1;
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);		/* the session holds a reference */
	if (!ssl || SSL_set_fd(ssl, fd) != 1 || SSL_connect(ssl) != 1)
		return -1;
	return 0;
}

static int put(const char *b, size_t n)
{
	size_t done;

	if (ssl)
		return SSL_write_ex(ssl, b, n, &done) == 1 ? 0 : -1;
	return send(fd, b, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* >0 bytes, 0 closed, -1 timeout */
static int get(void)
{
	size_t done = 0;
	ssize_t r;

	if (rlen == sizeof(rbuf))
		return -1;
	if (ssl) {
		if (SSL_read_ex(ssl, rbuf + rlen, sizeof(rbuf) - rlen, &done) == 1) {
			rlen += done;
			return 1;
		}
		switch (SSL_get_error(ssl, 0)) {
		case SSL_ERROR_ZERO_RETURN:
			return 0;
		case SSL_ERROR_SYSCALL:
			return errno == EAGAIN ? -1 : 0;
		default:
			return errno == EAGAIN ? -1 : 0;
		}
	}
	r = recv(fd, rbuf + rlen, sizeof(rbuf) - rlen, 0);
	if (r > 0) {
		rlen += (size_t)r;
		return 1;
	}
	return r == 0 || errno != EAGAIN ? 0 : -1;
}

static void consume(size_t n)
{
	memmove(rbuf, rbuf + n, rlen - n);
	rlen -= n;
}

/* The length of the whole response at rbuf's start, 0 if not yet. */
static size_t framed(void)
{
	char *end, *p;
	size_t hend, clen = 0;

	end = memmem(rbuf, rlen, "\r\n\r\n", 4);
	if (!end)
		return 0;
	hend = (size_t)(end - rbuf) + 4;
	for (p = rbuf; p && p < end; p = memmem(p, (size_t)(end - p), "\r\n", 2)) {
		p += 2;
		if (!strncasecmp(p, "Content-Length:", 15))
			clen = strtoul(p + 15, NULL, 10);
		else if (!strncasecmp(p, "l:", 2))
			clen = strtoul(p + 2, NULL, 10);
	}
	return rlen >= hend + clen ? hend + clen : 0;
}

static void step_recv(bool via)
{
	const char *v;
	size_t n;
	int r;

	while (!(n = framed())) {
		r = get();
		if (r <= 0) {
			puts(r ? "timeout" : "closed");
			return;
		}
	}
	printf("%.*s", (int)strcspn(rbuf, "\r\n"), rbuf);
	v = via ? memmem(rbuf, n, "\r\nVia: ", 7) : NULL;
	if (v)
		printf(" %.*s", (int)strcspn(v + 2, "\r\n"), v + 2);
	printf("\n");
	consume(n);
}

static void step_pong(void)
{
	int r;

	while (rlen < 2) {
		r = get();
		if (r <= 0) {
			puts(r ? "timeout" : "closed");
			return;
		}
	}
	puts(!memcmp(rbuf, "\r\n", 2) ? "pong" : "not a pong");
	consume(2);
}

static void step_closed(void)
{
	int r;

	for (;;) {
		rlen = 0;
		r = get();
		if (r <= 0) {
			puts(r ? "open" : "closed");
			return;
		}
	}
}

static char *slurp(const char *path, size_t *n)
{
	static char buf[MAX];
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	*n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static int step(char *s)
{
	char *file, *a, *b;
	size_t n, off, chunk;
	const char *p;

	if (!strcmp(s, "recv") || !strcmp(s, "recv-via")) {
		step_recv(s[4] == '-');
	} else if (!strcmp(s, "pong")) {
		step_pong();
	} else if (!strcmp(s, "closed")) {
		step_closed();
	} else if (!strncmp(s, "sleep:", 6)) {
		msleep(atoi(s + 6));
	} else if (!strncmp(s, "send:", 5)) {
		p = slurp(s + 5, &n);
		if (!p)
			return -1;
		puts(put(p, n) ? "send failed" : "sent");
	} else if (!strncmp(s, "flood:", 6)) {
		file = s + 6;
		a = strchr(file, ':');
		if (!a)
			return -1;
		*a = 0;
		p = slurp(file, &n);
		if (!p)
			return -1;
		for (off = strtoul(a + 1, NULL, 10); off; off--)
			if (put(p, n))
				break;
		puts(off ? "send failed" : "sent");
	} else if (!strncmp(s, "split:", 6)) {
		file = s + 6;
		a = strchr(file, ':');
		b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			return -1;
		*a = 0;
		chunk = strtoul(a + 1, NULL, 10);
		p = slurp(file, &n);
		if (!p || !chunk)
			return -1;
		for (off = 0; off < n; off += chunk) {
			if (off)
				msleep(atoi(b + 1));
			if (put(p + off, n - off < chunk ? n - off : chunk)) {
				puts("send failed");
				return 0;
			}
		}
		puts("sent");
	} else {
		return -1;
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ca = NULL, *max = NULL;
	bool tls = false;
	int i = 1;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--tls"))
			tls = true;
		else if (!strcmp(argv[i], "--ca") && i + 1 < argc)
			ca = argv[++i];
		else if (!strcmp(argv[i], "--tls-max") && i + 1 < argc)
			max = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout_ms = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--rcvbuf") && i + 1 < argc)
			rcvbuf = atoi(argv[++i]);
		else
			return usage();
	}
	if (argc - i < 2)
		return usage();
	if (dial(argv[i], argv[i + 1])) {
		puts("connect failed");
		return 1;
	}
	if (tls && handshake(ca, max)) {
		puts("handshake failed");
		return 1;
	}
	for (i += 2; i < argc; i++) {
		if (step(argv[i])) {
			fprintf(stderr, "sipreg-sipstream: bad step or file: %s\n",
				argv[i]);
			return 2;
		}
	}
	if (ssl) {
		SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	close(fd);
	return 0;
}
