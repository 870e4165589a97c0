// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-sipsend [-o DIR] HOST PORT FILE...: sends each message file
 * (RFC 4475 notation, torture.h) to a SIP server over UDP and prints
 * "NAME STATUS" per file, STATUS 0 when it got no answer. Whether an
 * answer is coming is never guessed from a timeout: an OPTIONS probe
 * follows each message on the same socket, and the server answers in
 * order, so what arrives before the probe's 200 is the message's answer.
 * With -o each answer is written to DIR/NAME.answer. Exit status 0, or 1
 * when a file could not be read or a probe got no answer within 5 s.
 */
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "torture.h"

#define MAX	65536

static uint8_t msg[MAX], ans[MAX], got[MAX];

static int probe(int fd, unsigned int i)
{
	char p[512];
	int n;

	n = snprintf(p, sizeof(p),
		     "OPTIONS sip:example.com SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKprobe%u\r\n"
		     "From: <sip:probe@example.com>;tag=p%u\r\n"
		     "To: <sip:example.com>\r\nCall-ID: probe-%u\r\n"
		     "CSeq: %u OPTIONS\r\nContent-Length: 0\r\n\r\n",
		     i, i, i, i + 1);
	return send(fd, p, n, 0) == n ? 0 : -1;
}

/* The status of what came before the probe's answer: 0 for nothing. */
static int exchange(int fd, unsigned int i, size_t len, size_t *alen)
{
	char want[64];
	struct pollfd pf = { fd, POLLIN, 0 };
	int status = 0;
	ssize_t n;

	snprintf(want, sizeof(want), "\r\nCall-ID: probe-%u\r\n", i);
	if (send(fd, msg, len, 0) != (ssize_t)len || probe(fd, i))
		return -1;
	for (;;) {
		if (poll(&pf, 1, 5000) != 1)
			return -1;
		n = recv(fd, got, sizeof(got) - 1, 0);
		if (n < 0)
			return -1;
		got[n] = 0;
		if (strstr((char *)got, want))
			return status;
		if (!status && n > 12 && !memcmp(got, "SIP/2.0 ", 8)) {
			status = atoi((char *)got + 8);
			memcpy(ans, got, n);
			*alen = (size_t)n;
		}
	}
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
	const char *dir = NULL, *base;
	char name[256], path[512];
	size_t alen;
	int fd, i, st, rc = 0;
	long len;
	FILE *f;

	if (argc > 2 && !strcmp(argv[1], "-o")) {
		dir = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: sipreg-sipsend [-o DIR] HOST PORT FILE...\n");
		return 2;
	}
	if (getaddrinfo(argv[1], argv[2], &hints, &ai)) {
		fprintf(stderr, "sipreg-sipsend: cannot resolve %s %s\n",
			argv[1], argv[2]);
		return 2;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		perror("sipreg-sipsend: socket");
		return 2;
	}
	freeaddrinfo(ai);
	for (i = 3; i < argc; i++) {
		base = strrchr(argv[i], '/');
		snprintf(name, sizeof(name), "%s", base ? base + 1 : argv[i]);
		if (strchr(name, '.'))
			*strchr(name, '.') = 0;
		len = torture_load(argv[i], msg, sizeof(msg));
		if (len < 0) {
			fprintf(stderr, "sipreg-sipsend: %s: cannot read or decode\n",
				argv[i]);
			rc = 1;
			continue;
		}
		alen = 0;
		st = exchange(fd, (unsigned int)i, (size_t)len, &alen);
		if (st < 0) {
			fprintf(stderr, "sipreg-sipsend: %s: no answer to the probe\n",
				name);
			rc = 1;
		}
		printf("%s %d\n", name, st);
		if (dir && alen) {
			snprintf(path, sizeof(path), "%s/%s.answer", dir, name);
			f = fopen(path, "w");
			if (f) {
				fwrite(ans, 1, alen, f);
				fclose(f);
			}
		}
	}
	close(fd);
	return rc;
}
