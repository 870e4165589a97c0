// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-ua: sends one REGISTER, built from options, and prints the
 * answer. With --nonce and --password it carries digest credentials
 * computed by the shared digest code; every field can be set so that
 * tests can build the wrong requests too (foreign nonce, replayed nonce
 * count, lower CSeq, other Call-ID). Exit status: 0 an answer came, 1 no
 * answer within the timeout, 2 usage or system error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "digest.h"
#include "ha1.h"

struct ua {
	const char *bind, *target, *user, *password, *realm, *nonce;
	const char *call_id, *branch, *contact, *uri, *algorithm, *nc;
	const char *cnonce, *extra;
	int cseq, expires, port, dport, timeout_ms, flood;
	bool no_qop;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: sipreg-ua -b ADDR -t ADDR[:PORT] [options]\n"
		"  -u USER  -r REALM  -c CSEQ  -i CALL-ID  -B BRANCH  -p LOCAL-PORT\n"
		"  -e EXPIRES (-1: none)  -C CONTACT-URI  -x 'Header: value' (extra)\n"
		"  --nonce N --password P [--algorithm MD5|SHA-256] [--nc 00000001]\n"
		"  [--cnonce C] [--no-qop] [--uri DIGEST-URI] [--timeout MS] [--dport PORT]\n"
		"  [--flood N]  N mangled datagrams, no answer awaited\n");
	return 2;
}

static int resolve(const char *s, int port, struct sockaddr_storage *ss,
		   socklen_t *len)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST,
				  .ai_socktype = SOCK_DGRAM }, *ai;
	char host[64], serv[8];

	snprintf(host, sizeof(host), "%s", s);
	snprintf(serv, sizeof(serv), "%d", port);
	if (getaddrinfo(host, serv, &hints, &ai))
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* "Authorization: Digest ..." with the response computed for @ua. */
static int authorization(const struct ua *ua, const char *ruri, char *out,
			 size_t size)
{
#define S(x) digest_cstr(x)
	struct sipreg_digest_req d = {
		.method = S("REGISTER"),
		.uri = S(ua->uri ? ua->uri : ruri),
		.nonce = S(ua->nonce),
		.nc = S(ua->no_qop ? "" : ua->nc),
		.cnonce = S(ua->no_qop ? "" : ua->cnonce),
		.qop = S(ua->no_qop ? "" : "auth"),
	};
	u8 ha1[SIPREG_HASH_MAX], resp[SIPREG_HASH_MAX];
	char hex[2 * SIPREG_HASH_MAX + 1];
	bool sess;
	size_t n;

	if (!sipreg_digest_alg_parse((const u8 *)ua->algorithm,
				     strlen(ua->algorithm), &d.alg, &sess))
		return -1;
	if (ha1_from_password(d.alg, ua->user, ua->realm, ua->password, ha1) ||
	    sipreg_digest_response(&d, ha1, sipreg_hash_len(d.alg), resp) !=
	    SIPREG_DIGEST_OK)
		return -1;
	n = sipreg_hash_len(d.alg);
	sipreg_digest_hex(resp, n, hex);
	hex[2 * n] = 0;
	if (ua->no_qop)
		return snprintf(out, size,
				"Authorization: Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", response=\"%s\", algorithm=%s\r\n",
				ua->user, ua->realm, ua->nonce,
				ua->uri ? ua->uri : ruri, hex, ua->algorithm);
	return snprintf(out, size,
			"Authorization: Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", response=\"%s\", algorithm=%s, cnonce=\"%s\", qop=auth, nc=%s\r\n",
			ua->user, ua->realm, ua->nonce,
			ua->uri ? ua->uri : ruri, hex, ua->algorithm,
			ua->cnonce, ua->nc);
#undef S
}

static int build(const struct ua *ua, int lport, char *buf, size_t size)
{
	char ruri[96], auth[1024] = "", expires[32] = "", extra[512] = "";
	const char *b = ua->bind, *t = ua->target;
	bool v6 = strchr(t, ':');

	snprintf(ruri, sizeof(ruri), v6 ? "sip:[%s]" : "sip:%s", t);
	if (ua->nonce && ua->password &&
	    authorization(ua, ruri, auth, sizeof(auth)) < 0)
		return -1;
	if (ua->expires >= 0)
		snprintf(expires, sizeof(expires), "Expires: %d\r\n",
			 ua->expires);
	if (ua->extra)
		snprintf(extra, sizeof(extra), "%s\r\n", ua->extra);
	return snprintf(buf, size,
			"REGISTER %s SIP/2.0\r\n"
			"Via: SIP/2.0/UDP %s%s%s:%d;branch=%s;rport\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:%s@%s>;tag=f%s\r\n"
			"To: <sip:%s@%s>\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %d REGISTER\r\n"
			"Contact: <%s>\r\n"
			"%s%s%s"
			"Content-Length: 0\r\n\r\n",
			ruri, v6 ? "[" : "", b, v6 ? "]" : "", lport,
			ua->branch, ua->user, ua->realm, ua->call_id, ua->user,
			ua->realm, ua->call_id, ua->cseq, ua->contact, expires,
			auth, extra);
}

/*
 * --flood N: N datagrams of garbage, no answer awaited: random bytes,
 * or the request with bytes flipped, cut short or NULs put in (fixed seed,
 * so a failure can be replayed).
 */
static int flood(const struct ua *ua, int fd, const char *req, int len,
		 const struct sockaddr_storage *dst, socklen_t dlen)
{
	unsigned int seed = 1;
	char buf[8192];
	int i, j, n;

	for (i = 0; i < ua->flood; i++) {
		n = len;
		memcpy(buf, req, len);
		switch (rand_r(&seed) % 4) {
		case 0:
			n = 1 + rand_r(&seed) % 1400;
			for (j = 0; j < n; j++)
				buf[j] = rand_r(&seed);
			break;
		case 1:
			for (j = 0; j < 8; j++)
				buf[rand_r(&seed) % n] = rand_r(&seed);
			break;
		case 2:
			n = 1 + rand_r(&seed) % len;
			break;
		default:
			buf[rand_r(&seed) % n] = 0;
			break;
		}
		if (sendto(fd, buf, n, 0, (const struct sockaddr *)dst, dlen) != n)
			return 2;
	}
	return 0;
}

static int run(const struct ua *ua)
{
	struct sockaddr_storage src, dst;
	socklen_t slen, dlen;
	char buf[8192];
	struct pollfd pfd;
	int fd, n;

	if (resolve(ua->bind, ua->port, &src, &slen) ||
	    resolve(ua->target, ua->dport, &dst, &dlen)) {
		fprintf(stderr, "sipreg-ua: bad address in -b or -t\n");
		return 2;
	}
	fd = socket(src.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, slen)) {
		fprintf(stderr, "sipreg-ua: bind %s:%d: %s\n", ua->bind,
			ua->port, strerror(errno));
		return 2;
	}
	n = build(ua, ua->port, buf, sizeof(buf));
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		fprintf(stderr, "sipreg-ua: cannot build the request (algorithm?)\n");
		return 2;
	}
	if (ua->flood)
		return flood(ua, fd, buf, n, &dst, dlen);
	if (sendto(fd, buf, n, 0, (struct sockaddr *)&dst, dlen) != n) {
		fprintf(stderr, "sipreg-ua: send: %s\n", strerror(errno));
		return 2;
	}
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&pfd, 1, ua->timeout_ms) != 1)
		return 1;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return 2;
	fwrite(buf, 1, n, stdout);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nonce", required_argument, NULL, 'N' },
		{ "password", required_argument, NULL, 'P' },
		{ "algorithm", required_argument, NULL, 'A' },
		{ "nc", required_argument, NULL, 'n' },
		{ "cnonce", required_argument, NULL, 'k' },
		{ "uri", required_argument, NULL, 'U' },
		{ "no-qop", no_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "dport", required_argument, NULL, 'D' },
		{ "flood", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct ua ua = {
		.user = "alice", .realm = "sipreg", .call_id = "call-1",
		.branch = "z9hG4bK-1", .contact = "sip:alice@192.0.2.1:5061",
		.algorithm = "MD5", .nc = "00000001", .cnonce = "c0ffee",
		.cseq = 1, .expires = 3600, .port = 5061, .dport = 5060,
		.timeout_ms = 1000,
	};
	int c;

	while ((c = getopt_long(argc, argv, "b:t:u:r:c:i:B:p:e:C:x:", opts,
				NULL)) != -1) {
		switch (c) {
		case 'b': ua.bind = optarg; break;
		case 't': ua.target = optarg; break;
		case 'u': ua.user = optarg; break;
		case 'r': ua.realm = optarg; break;
		case 'c': ua.cseq = atoi(optarg); break;
		case 'i': ua.call_id = optarg; break;
		case 'B': ua.branch = optarg; break;
		case 'p': ua.port = atoi(optarg); break;
		case 'e': ua.expires = atoi(optarg); break;
		case 'C': ua.contact = optarg; break;
		case 'x': ua.extra = optarg; break;
		case 'N': ua.nonce = optarg; break;
		case 'P': ua.password = optarg; break;
		case 'A': ua.algorithm = optarg; break;
		case 'n': ua.nc = optarg; break;
		case 'k': ua.cnonce = optarg; break;
		case 'U': ua.uri = optarg; break;
		case 'q': ua.no_qop = true; break;
		case 'T': ua.timeout_ms = atoi(optarg); break;
		case 'D': ua.dport = atoi(optarg); break;
		case 'F': ua.flood = atoi(optarg); break;
		default: return usage();
		}
	}
	if (!ua.bind || !ua.target || optind != argc)
		return usage();
	return run(&ua);
}
