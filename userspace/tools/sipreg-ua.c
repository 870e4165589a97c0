// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-ua: sends one REGISTER, built from options, and prints the
 * answer. With --nonce and --password it carries digest credentials
 * computed by the shared digest code; every field can be set so that
 * tests can build the wrong requests too (foreign nonce, replayed nonce
 * count, lower CSeq, other Call-ID, another user's AOR), and send them
 * in odd framings: several copies, one GSO super-packet, a wrong UDP
 * checksum, an IPv6 first fragment or routing header (raw sockets), to a
 * broadcast address. With --tcp or --tls (OpenSSL) the request goes over
 * a connection of its own and the one answer framed by its Content-Length
 * is printed. Exit status: 0 an answer came, 1 no answer within the
 * timeout, 2 usage or system error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103
#endif

#include <openssl/ssl.h>

#include "digest.h"
#include "ha1.h"

struct ua {
	const char *bind, *target, *user, *password, *realm, *nonce;
	const char *call_id, *branch, *contact, *uri, *algorithm, *nc;
	const char *contact_params;	/* after the Contact's '>' */
	const char *cnonce, *extra, *to_user, *message, *raw;
	const char *transport, *ca;	/* "UDP", "TCP" or "TLS"; --ca FILE */
	const char *domain;		/* --domain: Request-URI, From, To */
	int cseq, expires, port, dport, timeout_ms, flood, count, gso;
	bool no_qop, connect, broadcast;
	bool distinct;		/* --distinct: each copy its own CSeq, branch */
};

static int usage(void)
{
	fprintf(stderr,
		"usage: sipreg-ua -b ADDR -t ADDR[:PORT] [options]\n"
		"  -u USER  -r REALM  -c CSEQ  -i CALL-ID  -B BRANCH  -p LOCAL-PORT\n"
		"  -e EXPIRES (-1: none)  -C CONTACT-URI  -x 'Header: value' (extra)\n"
		"  --contact-params ';p=v...' (after the Contact's '>')\n"
		"  --nonce N --password P [--algorithm MD5|SHA-256] [--nc 00000001]\n"
		"  [--cnonce C] [--no-qop] [--uri DIGEST-URI] [--timeout MS] [--dport PORT]\n"
		"  [--flood N]  N mangled datagrams, no answer awaited\n"
		"  [--to-user U] To's user (default -u)  [--message FILE] send FILE as is\n"
		"  [--count N] send N copies, print every answer  [--connect]\n"
		"  [--distinct] with --count: copy i has CSeq+i and branch BRANCH-i\n"
		"        (new transactions, not retransmissions)\n"
		"  [--broadcast] (SO_BROADCAST)  [--gso N] N copies as one UDP_SEGMENT send\n"
		"  [--raw csum-good|csum-bad|frag|rthdr] through a raw socket: a right or\n"
		"        wrong UDP checksum; IPv6 only: as a first fragment, behind a\n"
		"        routing header with a segment left\n"
		"  [--tcp | --tls [--ca FILE]] over a connection (from an ephemeral\n"
		"        port; -p is then only Via's port), TLS verified with FILE\n"
		"  [--domain D] Request-URI sip:D and From/To sip:USER@D (default:\n"
		"        sip:TARGET-ADDR and the realm)\n");
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
	char ruri[160], auth[1024] = "", expires[32] = "", extra[512] = "";
	const char *b = ua->bind, *t = ua->target;
	const char *host = ua->domain ? ua->domain : ua->realm;
	bool v6 = strchr(t, ':');

	/* A zone (ff02::1%veth0) is the socket's business, not the URI's. */
	if (ua->domain)
		snprintf(ruri, sizeof(ruri), "sip:%s", ua->domain);
	else
		snprintf(ruri, sizeof(ruri), v6 ? "sip:[%.*s]" : "sip:%.*s",
			 (int)strcspn(t, "%"), t);
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
			"Via: SIP/2.0/%s %s%s%s:%d;branch=%s;rport\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:%s@%s>;tag=f%s\r\n"
			"To: <sip:%s@%s>\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %d REGISTER\r\n"
			"Contact: <%s>%s\r\n"
			"%s%s%s"
			"Content-Length: 0\r\n\r\n",
			ruri, ua->transport, v6 ? "[" : "", b, v6 ? "]" : "", lport,
			ua->branch, ua->user, host, ua->call_id,
			ua->to_user ? ua->to_user : ua->user,
			host, ua->call_id, ua->cseq, ua->contact,
			ua->contact_params ? ua->contact_params : "", expires,
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

static uint32_t csum_add(uint32_t sum, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/*
 * The datagram through a raw socket, UDP header ours: --raw MODE. IPv4
 * lets the kernel write the IP header; IPv6 is IPPROTO_RAW, header and
 * extension headers ours.
 */
static int send_raw(const struct ua *ua, const struct sockaddr_storage *src,
		    const struct sockaddr_storage *dst, socklen_t dlen,
		    const char *msg, int len)
{
	bool v6 = dst->ss_family == AF_INET6;
	bool bad = !strcmp(ua->raw, "csum-bad");
	bool frag = !strcmp(ua->raw, "frag"), rthdr = !strcmp(ua->raw, "rthdr");
	uint8_t pkt[9000], *p = pkt, *u;
	struct udphdr uh = {
		.uh_sport = htons(ua->port), .uh_dport = htons(ua->dport),
		.uh_ulen = htons(sizeof(uh) + len),
	};
	uint32_t sum = IPPROTO_UDP + sizeof(uh) + len;
	struct sockaddr_storage to = *dst;
	int fd, n;

	if (!bad && !frag && !rthdr && strcmp(ua->raw, "csum-good"))
		return -1;
	if ((frag || rthdr) && !v6)
		return -1;
	if (v6) {
		const struct sockaddr_in6 *s6 = (const void *)src, *d6 = (const void *)dst;
		struct ip6_hdr ip6 = {
			.ip6_flow = htonl(6u << 28),
			.ip6_hops = 64,
			.ip6_src = s6->sin6_addr,
			.ip6_dst = d6->sin6_addr,
		};
		uint8_t ext[24] = { IPPROTO_UDP };
		size_t elen = 0;

		if (frag) {	/* offset 0, more fragments, id 1 */
			ext[3] = 1;
			ext[7] = 1;
			elen = 8;
			ip6.ip6_nxt = IPPROTO_FRAGMENT;
		} else if (rthdr) {	/* type 0, one address, one left */
			ext[1] = 2;
			ext[3] = 1;
			memcpy(ext + 8, &d6->sin6_addr, 16);
			elen = 24;
			ip6.ip6_nxt = IPPROTO_ROUTING;
		} else {
			ip6.ip6_nxt = IPPROTO_UDP;
		}
		ip6.ip6_plen = htons(elen + sizeof(uh) + len);
		memcpy(p, &ip6, sizeof(ip6));
		memcpy(p + sizeof(ip6), ext, elen);
		p += sizeof(ip6) + elen;
		sum = csum_add(sum, &ip6.ip6_src, 32);
		((struct sockaddr_in6 *)&to)->sin6_port = 0;
		fd = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	} else {
		const struct sockaddr_in *s4 = (const void *)src, *d4 = (const void *)dst;

		sum = csum_add(sum, &s4->sin_addr, 4);
		sum = csum_add(sum, &d4->sin_addr, 4);
		((struct sockaddr_in *)&to)->sin_port = 0;
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
		if (fd >= 0 && bind(fd, (const struct sockaddr *)src,
				    sizeof(struct sockaddr_in))) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0)
		return -1;
	u = p;
	memcpy(p, &uh, sizeof(uh));
	memcpy(p + sizeof(uh), msg, len);
	p += sizeof(uh) + len;
	sum = csum_add(sum, u, p - u);
	uh.uh_sum = htons(csum_fold(sum));
	if (!uh.uh_sum)
		uh.uh_sum = 0xffff;
	if (bad)
		uh.uh_sum ^= htons(0x0101);
	memcpy(u + 6, &uh.uh_sum, 2);
	n = sendto(fd, pkt, p - pkt, 0, (const struct sockaddr *)&to, dlen);
	close(fd);
	return n == p - pkt ? 0 : -1;
}

/* --gso N: N copies in one send, split by UDP_SEGMENT (or not at all). */
static int send_gso(const struct ua *ua, int fd, const char *msg, int len,
		    const struct sockaddr_storage *dst, socklen_t dlen)
{
	static char big[65000];
	char ctl[CMSG_SPACE(sizeof(uint16_t))] = { 0 };
	struct iovec iov = { .iov_base = big, .iov_len = (size_t)len * ua->gso };
	struct msghdr mh = {
		.msg_name = (void *)dst, .msg_namelen = dlen,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	uint16_t seg = len;
	int i;

	if (iov.iov_len > sizeof(big))
		return -1;
	for (i = 0; i < ua->gso; i++)
		memcpy(big + i * len, msg, len);
	cm->cmsg_level = SOL_UDP;
	cm->cmsg_type = UDP_SEGMENT;
	cm->cmsg_len = CMSG_LEN(sizeof(seg));
	memcpy(CMSG_DATA(cm), &seg, sizeof(seg));
	return sendmsg(fd, &mh, 0) == (ssize_t)iov.iov_len ? 0 : -1;
}

static int send_one(const struct ua *ua, int fd, const char *msg, int n,
		    const struct sockaddr_storage *src,
		    const struct sockaddr_storage *dst, socklen_t dlen)
{
	if (ua->raw)
		return send_raw(ua, src, dst, dlen, msg, n);
	if (ua->gso)
		return send_gso(ua, fd, msg, n, dst, dlen);
	if (ua->connect)
		return send(fd, msg, n, 0) == n ? 0 : -1;
	return sendto(fd, msg, n, 0, (const struct sockaddr *)dst, dlen) == n ?
	       0 : -1;
}

static int read_message(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size, f);
	fclose(f);
	return n < size ? (int)n : -1;
}

/* The length of the response at the start of @b, 0 while incomplete. */
static size_t framed(const char *b, size_t n)
{
	const char *end = memmem(b, n, "\r\n\r\n", 4), *p;
	size_t hend, clen = 0;

	if (!end)
		return 0;
	hend = (size_t)(end - b) + 4;
	for (p = b; p && p < end; p = memmem(p, (size_t)(end - p), "\r\n", 2)) {
		p += 2;
		if (!strncasecmp(p, "Content-Length:", 15))
			clen = strtoul(p + 15, NULL, 10);
	}
	return n >= hend + clen ? hend + clen : 0;
}

static SSL *tls_connect(const struct ua *ua, int fd)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl;

	if (!ctx)
		return NULL;
	if (ua->ca) {
		if (SSL_CTX_load_verify_locations(ctx, ua->ca, NULL) != 1) {
			SSL_CTX_free(ctx);
			return NULL;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);
	if (ssl && (SSL_set_fd(ssl, fd) != 1 || SSL_connect(ssl) != 1)) {
		SSL_free(ssl);
		return NULL;
	}
	return ssl;
}

/* --tcp, --tls: one connection, one request, one answer. */
static int run_stream(const struct ua *ua, struct sockaddr_storage *src,
		      socklen_t slen, const struct sockaddr_storage *dst,
		      socklen_t dlen, const char *req, int len)
{
	struct timeval tv = { ua->timeout_ms / 1000,
			      (ua->timeout_ms % 1000) * 1000 };
	static char buf[65536];
	size_t got = 0, n = 0, done;
	SSL *ssl = NULL;
	ssize_t r;
	int fd;

	((struct sockaddr_in *)src)->sin_port = 0;	/* same offset in v6 */
	fd = socket(src->ss_family, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)src, slen) ||
	    connect(fd, (const struct sockaddr *)dst, dlen)) {
		fprintf(stderr, "sipreg-ua: connect: %s\n", strerror(errno));
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!strcmp(ua->transport, "TLS") && !(ssl = tls_connect(ua, fd))) {
		fprintf(stderr, "sipreg-ua: TLS handshake failed\n");
		return 2;
	}
	if (ssl ? SSL_write_ex(ssl, req, (size_t)len, &done) != 1 :
		  send(fd, req, (size_t)len, MSG_NOSIGNAL) != len) {
		fprintf(stderr, "sipreg-ua: send failed\n");
		return 2;
	}
	while (!(n = framed(buf, got)) && got < sizeof(buf)) {
		if (ssl)
			r = SSL_read_ex(ssl, buf + got, sizeof(buf) - got,
					&done) == 1 ? (ssize_t)done : -1;
		else
			r = recv(fd, buf + got, sizeof(buf) - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (n)
		fwrite(buf, 1, n, stdout);
	if (ssl) {
		SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	close(fd);
	return n ? 0 : 1;
}

/*
 * Copy i of --count --distinct: the same request as a new transaction,
 * CSeq + i and branch BRANCH-i, so that no server takes it for a
 * retransmission of copy 0.
 */
static int next_transaction(const struct ua *ua, int i, char *buf,
			    size_t size)
{
	struct ua next = *ua;
	char branch[128];
	int n;

	snprintf(branch, sizeof(branch), "%s-%d", ua->branch, i);
	next.branch = branch;
	next.cseq = ua->cseq + i;
	n = build(&next, ua->port, buf, size);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "sipreg-ua: cannot build copy %d\n", i);
		return -1;
	}
	return n;
}

static int run(const struct ua *ua)
{
	struct sockaddr_storage src, dst;
	socklen_t slen, dlen;
	char buf[8192];
	struct pollfd pfd;
	int fd, n, i, answers = 0, one = 1;

	if (resolve(ua->bind, ua->port, &src, &slen) ||
	    resolve(ua->target, ua->dport, &dst, &dlen)) {
		fprintf(stderr, "sipreg-ua: bad address in -b or -t\n");
		return 2;
	}
	if (strcmp(ua->transport, "UDP")) {
		n = ua->message ? read_message(ua->message, buf, sizeof(buf)) :
				  build(ua, ua->port, buf, sizeof(buf));
		if (n < 0 || (size_t)n >= sizeof(buf))
			return 2;
		return run_stream(ua, &src, slen, &dst, dlen, buf, n);
	}
	fd = socket(src.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, slen)) {
		fprintf(stderr, "sipreg-ua: bind %s:%d: %s\n", ua->bind,
			ua->port, strerror(errno));
		return 2;
	}
	if (ua->broadcast)
		setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	if (ua->connect && connect(fd, (struct sockaddr *)&dst, dlen)) {
		fprintf(stderr, "sipreg-ua: connect: %s\n", strerror(errno));
		return 2;
	}
	if (ua->message)
		n = read_message(ua->message, buf, sizeof(buf));
	else
		n = build(ua, ua->port, buf, sizeof(buf));
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		fprintf(stderr, "sipreg-ua: cannot build the request (algorithm? --message?)\n");
		return 2;
	}
	if (ua->flood)
		return flood(ua, fd, buf, n, &dst, dlen);
	for (i = 0; i < (ua->count ? ua->count : 1); i++) {
		if (i && ua->distinct) {
			n = next_transaction(ua, i, buf, sizeof(buf));
			if (n < 0)
				return 2;
		}
		if (send_one(ua, fd, buf, n, &src, &dst, dlen)) {
			fprintf(stderr, "sipreg-ua: send: %s\n", strerror(errno));
			return 2;
		}
	}
	/* Every answer until the timeout with --count, the first otherwise. */
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (poll(&pfd, 1, ua->timeout_ms) == 1) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			break;
		fwrite(buf, 1, n, stdout);
		answers++;
		if (!ua->count)
			break;
	}
	close(fd);
	return answers ? 0 : 1;
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
		{ "to-user", required_argument, NULL, 'O' },
		{ "message", required_argument, NULL, 'M' },
		{ "count", required_argument, NULL, 'K' },
		{ "distinct", no_argument, NULL, 'I' },
		{ "gso", required_argument, NULL, 'G' },
		{ "raw", required_argument, NULL, 'R' },
		{ "connect", no_argument, NULL, 'Q' },
		{ "broadcast", no_argument, NULL, 'W' },
		{ "tcp", no_argument, NULL, 'Y' },
		{ "tls", no_argument, NULL, 'Z' },
		{ "ca", required_argument, NULL, 'a' },
		{ "contact-params", required_argument, NULL, 'X' },
		{ "domain", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct ua ua = {
		.user = "alice", .realm = "sipreg", .call_id = "call-1",
		.branch = "z9hG4bK-1", .contact = "sip:alice@192.0.2.1:5061",
		.algorithm = "MD5", .nc = "00000001", .cnonce = "c0ffee",
		.cseq = 1, .expires = 3600, .port = 5061, .dport = 5060,
		.timeout_ms = 1000, .transport = "UDP",
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
		case 'X': ua.contact_params = optarg; break;
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
		case 'O': ua.to_user = optarg; break;
		case 'M': ua.message = optarg; break;
		case 'K': ua.count = atoi(optarg); break;
		case 'I': ua.distinct = true; break;
		case 'G': ua.gso = atoi(optarg); break;
		case 'R': ua.raw = optarg; break;
		case 'Q': ua.connect = true; break;
		case 'W': ua.broadcast = true; break;
		case 'Y': ua.transport = "TCP"; break;
		case 'Z': ua.transport = "TLS"; break;
		case 'a': ua.ca = optarg; break;
		case 'd': ua.domain = optarg; break;
		default: return usage();
		}
	}
	if (!ua.bind || !ua.target || optind != argc)
		return usage();
	if (ua.distinct && (ua.message || !ua.count)) {
		fprintf(stderr, "sipreg-ua: --distinct needs --count and no --message\n");
		return 2;
	}
	return run(&ua);
}
