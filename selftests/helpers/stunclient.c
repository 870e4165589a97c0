// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-stun [-b ADDR] [-f] [-w MS] [-n N] [--crlf | --raw HEX] HOST PORT:
 * one STUN Binding request over UDP (RFC 5389), with a FINGERPRINT if
 * -f, and its answer checked with code of its own (not kmod/sip/stun.c,
 * which it tests): Binding success, magic cookie, the request's
 * transaction id, the length, FINGERPRINT present and right exactly when
 * asked, XOR-MAPPED-ADDRESS equal to the socket's own address and port.
 * Prints "mapped ADDR PORT" and "local ADDR PORT". --crlf sends "\r\n\r\n"
 * and --raw the given bytes instead, and print whatever comes back.
 * -n N sends N requests back to back (each its own transaction id) and
 * then takes answers for MS milliseconds: "answers K of N", every one
 * checked (exit 1 if one is wrong, 2 if none came).
 * Exit status: 0 answered and right, 1 answered wrong, 2 no answer within
 * MS milliseconds (default 2000), 3 usage or socket error.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define COOKIE		0x2112A442u
#define FP_XOR		0x5354554eu

static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

static uint16_t g16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t g32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void p32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static int usage(void)
{
	fprintf(stderr, "usage: sipreg-stun [-b ADDR] [-f] [-w MS] [-n N] [--crlf | --raw HEX] HOST PORT\n");
	return 3;
}

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (*s && n < max) {
		if (*s == ' ' || *s == ':') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &b) != 1)
			break;
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

/* Checks @r (@n bytes) against the request; 0 when right. */
static int check(const uint8_t *r, size_t n, const uint8_t *txid, bool fp,
		 const struct sockaddr_storage *local)
{
	uint8_t key[16], addr[16];
	size_t off = 20, alen = 0;
	bool got_fp = false, got_xma = false;
	uint16_t port = 0;
	char text[INET6_ADDRSTRLEN];
	int fam = 0, i;

	if (n < 20 || g16(r) != 0x0101 || g32(r + 4) != COOKIE ||
	    memcmp(r + 8, txid, 12) || g16(r + 2) != n - 20 || n % 4) {
		fprintf(stderr, "sipreg-stun: not a Binding success response to ours (%zu bytes)\n", n);
		return 1;
	}
	p32(key, COOKIE);
	memcpy(key + 4, txid, 12);
	while (off + 4 <= n) {
		uint16_t t = g16(r + off), l = g16(r + off + 2);

		if (off + 4 + ((l + 3u) & ~3u) > n) {
			fprintf(stderr, "sipreg-stun: attribute 0x%04x overruns\n", t);
			return 1;
		}
		if (got_fp) {
			fprintf(stderr, "sipreg-stun: attribute after FINGERPRINT\n");
			return 1;
		}
		if (t == 0x0020 && (l == 8 || l == 20)) {
			fam = r[off + 5] == 1 ? 4 : r[off + 5] == 2 ? 6 : 0;
			alen = fam == 4 ? 4 : 16;
			if (!fam || l != 4 + alen)
				return fprintf(stderr, "sipreg-stun: bad family\n"), 1;
			port = g16(r + off + 6) ^ (COOKIE >> 16);
			for (i = 0; i < (int)alen; i++)
				addr[i] = r[off + 8 + i] ^ key[i];
			got_xma = true;
		} else if (t == 0x8028) {
			if (l != 4 || g32(r + off + 4) != (crc32_bitwise(r, off) ^ FP_XOR))
				return fprintf(stderr, "sipreg-stun: wrong FINGERPRINT\n"), 1;
			got_fp = true;
		}
		off += 4 + ((l + 3u) & ~3u);
	}
	if (!got_xma || got_fp != fp) {
		fprintf(stderr, "sipreg-stun: XOR-MAPPED-ADDRESS %s, FINGERPRINT %s (asked: %s)\n",
			got_xma ? "present" : "missing", got_fp ? "present" : "missing",
			fp ? "yes" : "no");
		return 1;
	}
	inet_ntop(fam == 4 ? AF_INET : AF_INET6, addr, text, sizeof(text));
	printf("mapped %s %u\n", text, port);
	if (local->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)local;

		inet_ntop(AF_INET, &s->sin_addr, text, sizeof(text));
		printf("local %s %u\n", text, ntohs(s->sin_port));
		return fam == 4 && !memcmp(addr, &s->sin_addr, 4) &&
		       port == ntohs(s->sin_port) ? 0 : 1;
	}
	{
		const struct sockaddr_in6 *s = (const void *)local;

		inet_ntop(AF_INET6, &s->sin6_addr, text, sizeof(text));
		printf("local %s %u\n", text, ntohs(s->sin6_port));
		return fam == 6 && !memcmp(addr, &s->sin6_addr, 16) &&
		       port == ntohs(s->sin6_port) ? 0 : 1;
	}
}

/*
 * -n: @count requests, the transaction id's last 4 bytes numbering them,
 * sent at once; then every answer within @wait_ms checked against its own.
 */
static int burst(int fd, uint8_t *req, size_t len, int count, int wait_ms,
		 bool fp, const struct sockaddr_storage *local)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	uint8_t resp[2048], txid[12];
	int k, got = 0, bad = 0;
	ssize_t n;

	for (k = 0; k < count; k++) {
		p32(req + 16, (uint32_t)k);
		if (fp)
			p32(req + 24, crc32_bitwise(req, 20) ^ FP_XOR);
		if (send(fd, req, len, 0) != (ssize_t)len)
			return perror("sipreg-stun: send"), 3;
	}
	while (poll(&pfd, 1, wait_ms) == 1) {
		n = recv(fd, resp, sizeof(resp), 0);
		if (n < 20)
			break;
		memcpy(txid, req + 8, 12);
		memcpy(txid + 8, resp + 16, 4);	/* which one it answers */
		if (g32(txid + 8) >= (uint32_t)count ||
		    check(resp, (size_t)n, txid, fp, local))
			bad++;
		got++;
	}
	printf("answers %d of %d\n", got, count);
	return bad ? 1 : got ? 0 : 2;
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai, *bi;
	const char *bind_addr = NULL, *raw = NULL;
	uint8_t req[1024], resp[2048];
	struct sockaddr_storage local;
	socklen_t llen = sizeof(local);
	bool fp = false, crlf = false;
	int wait_ms = 2000, count = 0, fd, i;
	struct pollfd pfd;
	size_t len = 20;
	ssize_t n;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-f"))
			fp = true;
		else if (!strcmp(argv[i], "--crlf"))
			crlf = true;
		else if (!strcmp(argv[i], "-b") && i + 1 < argc)
			bind_addr = argv[++i];
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			wait_ms = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			count = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--raw") && i + 1 < argc)
			raw = argv[++i];
		else
			return usage();
	}
	if (argc - i != 2)
		return usage();
	if (getaddrinfo(argv[i], argv[i + 1], &hints, &ai)) {
		fprintf(stderr, "sipreg-stun: cannot resolve %s\n", argv[i]);
		return 3;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return perror("sipreg-stun: socket"), 3;
	if (bind_addr) {
		hints.ai_family = ai->ai_family;
		hints.ai_flags = AI_NUMERICHOST;
		if (getaddrinfo(bind_addr, "0", &hints, &bi) ||
		    bind(fd, bi->ai_addr, bi->ai_addrlen))
			return perror("sipreg-stun: bind"), 3;
		freeaddrinfo(bi);
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) ||
	    getsockname(fd, (struct sockaddr *)&local, &llen))
		return perror("sipreg-stun: connect"), 3;
	freeaddrinfo(ai);

	/* Binding request, random transaction id. */
	memset(req, 0, 28);
	req[1] = 0x01;
	p32(req + 4, COOKIE);
	if (getrandom(req + 8, 12, 0) != 12)
		return perror("sipreg-stun: getrandom"), 3;
	if (fp) {
		req[3] = 8;
		req[20] = 0x80;
		req[21] = 0x28;
		req[23] = 4;
		p32(req + 24, crc32_bitwise(req, 20) ^ FP_XOR);
		len = 28;
	}
	if (count > 0)
		return burst(fd, req, len, count, wait_ms, fp, &local);
	if (crlf) {
		memcpy(req, "\r\n\r\n", 4);
		len = 4;
	} else if (raw) {
		len = unhex(raw, req, sizeof(req));
	}
	if (send(fd, req, len, 0) != (ssize_t)len)
		return perror("sipreg-stun: send"), 3;
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, wait_ms) != 1)
		return 2;
	n = recv(fd, resp, sizeof(resp), 0);
	if (n < 0) {
		/* ICMP port unreachable: nobody answered. */
		perror("sipreg-stun: recv");
		return 2;
	}
	if (crlf || raw) {
		printf("answer %zd bytes\n", n);
		return 0;
	}
	return check(resp, (size_t)n, req + 8, fp, &local);
}
