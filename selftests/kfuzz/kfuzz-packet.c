// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-kfuzz-packet: a bounded packet fuzzer aimed at the module's hook,
 * run from the client namespace of the test VM. Seeds: files (the
 * libFuzzer corpora, RFC-style vectors), libFuzzer dictionaries, PROTOS
 * c07-sip records ("LEN SP MESSAGE", placeholders filled in, INVITEs also
 * turned into REGISTERs) and, with -u, REGISTERs with valid digest
 * credentials built from the nonces of the 401s it gets back. Each one is
 * mutated and sent over IPv4 or IPv6 by one of:
 *   udp     a UDP socket, to unicast, broadcast or multicast
 *   gso     UDP_SEGMENT: several datagrams in one GSO super-packet
 *   cork    MSG_MORE pieces: a datagram in page fragments (non-linear)
 *   big     up to the maximum datagram size (IP fragments, reassembled)
 *   raw     IP_HDRINCL / IPv6 IPPROTO_RAW: bad UDP length and checksum,
 *           IP options, IPv6 extension headers, fragments
 *   packet  AF_PACKET: the same with IP framing the raw socket would fix
 *           (total length, header length, payload length)
 * Replies are counted by status code. Fixed seed (-S): a run is repeatable
 * apart from timing. Exit: 0 done, 1 setup or usage error.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

#define MAX_SEEDS	20000
#define MAX_TOKENS	512
#define MAX_PAYLOAD	65535
#define LPORT		5062

struct seed {
	unsigned char *data;
	size_t len;
};

enum sender { S_UDP, S_GSO, S_CORK, S_BIG, S_RAW, S_PACKET, S_MAX };
static const char *const sender_name[S_MAX] = {
	"udp", "gso", "cork", "big", "raw", "packet",
};

static struct {
	struct seed seeds[MAX_SEEDS];
	size_t nseeds, nprotos;
	struct seed tokens[MAX_TOKENS];
	size_t ntokens;
	uint64_t rng;
	/* targets */
	struct in_addr src4, dst4, bcast4;
	struct in6_addr src6, dst6;
	bool has4, has6;
	int ifindex;
	unsigned char dmac[6];
	bool has_mac;
	int port;
	/* sockets */
	int udp4, udp6, raw4, raw6, pkt;
	/* stateful REGISTERs: user, password, realm; the last nonce */
	const char *user, *password, *realm, *call_id, *contact;
	char nonce4[256], nonce6[256];
	unsigned int cseq, nc;
	/* figures */
	unsigned long sent[S_MAX], send_err[S_MAX], bytes;
	unsigned long replies[7], authorized;
	bool verbose;
} f = {
	.port = 5060, .udp4 = -1, .udp6 = -1, .raw4 = -1, .raw6 = -1,
	.pkt = -1, .rng = 1, .realm = "sipreg", .call_id = "kfuzz-1",
	.cseq = 100,
};

static uint64_t rnd(void)
{
	/* xorshift64*: repeatable, no libc state */
	f.rng ^= f.rng >> 12;
	f.rng ^= f.rng << 25;
	f.rng ^= f.rng >> 27;
	return f.rng * 2685821657736338717ULL;
}

static size_t below(size_t n)
{
	return n ? rnd() % n : 0;
}

static bool one_in(unsigned int n)
{
	return below(n) == 0;
}

/* ---- seeds -------------------------------------------------------------- */

static void add_seed(const void *p, size_t len)
{
	struct seed *s;

	if (f.nseeds == MAX_SEEDS)
		return;
	if (len > MAX_PAYLOAD)
		len = MAX_PAYLOAD;
	s = &f.seeds[f.nseeds];
	s->data = malloc(len ? len : 1);
	if (!s->data)
		return;
	memcpy(s->data, p, len);
	s->len = len;
	f.nseeds++;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *buf = NULL, *nb;
	size_t cap = 0, n = 0;
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t r;

	if (!fp)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, fp);
		if (!r)
			break;
		n += r;
	}
	if (fp != stdin)
		fclose(fp);
	*len = n;
	return buf;
}

/* A libFuzzer dictionary: lines of "token" with \xNN and \\ escapes. */
static void load_dict(const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len, *q;
	unsigned char tok[256];
	size_t n;

	while (p < end && f.ntokens < MAX_TOKENS) {
		q = memchr(p, '\n', end - p);
		if (!q)
			q = end;
		while (p < q && *p != '"')
			p++;
		n = 0;
		for (p++; p < q && *p != '"' && n < sizeof(tok); p++) {
			if (*p == '\\' && p + 1 < q && p[1] == 'x' && p + 3 < q) {
				char hex[3] = { (char)p[2], (char)p[3], 0 };

				tok[n++] = strtoul(hex, NULL, 16);
				p += 3;
			} else if (*p == '\\' && p + 1 < q) {
				tok[n++] = *++p;
			} else {
				tok[n++] = *p;
			}
		}
		if (n) {
			f.tokens[f.ntokens].data = malloc(n);
			if (f.tokens[f.ntokens].data) {
				memcpy(f.tokens[f.ntokens].data, tok, n);
				f.tokens[f.ntokens++].len = n;
			}
		}
		p = q + 1;
	}
}

static void load_path(const char *path)
{
	struct stat st;
	unsigned char *buf;
	size_t len;
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (stat(path, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		struct dirent **names;
		int n = scandir(path, &names, NULL, alphasort);
		char sub[4096];

		for (int i = 0; i < n; i++) {
			if (names[i]->d_name[0] != '.') {
				snprintf(sub, sizeof(sub), "%s/%s", path,
					 names[i]->d_name);
				load_path(sub);
			}
			free(names[i]);
		}
		free(names);
		return;
	}
	if (!strcmp(base, "README.md"))
		return;
	buf = slurp(path, &len);
	if (!buf)
		return;
	len = len > MAX_PAYLOAD ? MAX_PAYLOAD : len;
	if (strstr(base, ".dict"))
		load_dict(buf, len);
	else
		add_seed(buf, len);
	free(buf);
}

/*
 * Replaces every @from in @s (length *n, room @cap) by @to, in one pass
 * (PROTOS messages reach 64 KiB with thousands of line ends); what does
 * not fit is cut off.
 */
static void replace_all(unsigned char *s, size_t *n, size_t cap,
			const char *from, const char *to)
{
	static unsigned char tmp[MAX_PAYLOAD + 8192];
	size_t fl = strlen(from), tl = strlen(to), i = 0, o = 0;

	if (cap > sizeof(tmp))
		cap = sizeof(tmp);
	while (i < *n && o < cap) {
		if (i + fl <= *n && !memcmp(s + i, from, fl)) {
			size_t k = tl < cap - o ? tl : cap - o;

			memcpy(tmp + o, to, k);
			o += k;
			i += fl;
		} else {
			tmp[o++] = s[i++];
		}
	}
	memcpy(s, tmp, o);
	*n = o;
}

/*
 * PROTOS c07-sip: records "LEN SP MESSAGE" back to back (files may be
 * concatenated). Each test INVITE becomes two seeds: as is, and as a
 * REGISTER (request line and CSeq); teardowns are dropped.
 */
static void load_protos(const char *path)
{
	static unsigned char msg[MAX_PAYLOAD + 4096];
	unsigned char *buf, *p, *end;
	size_t len, n, before = f.nseeds;
	char *e;
	unsigned long l;

	buf = slurp(path, &len);
	if (!buf) {
		fprintf(stderr, "kfuzz-packet: cannot read %s\n", path);
		return;
	}
	p = buf;
	end = buf + len;
	while (p < end) {
		while (p < end && (*p == '\r' || *p == '\n'))
			p++;
		if (p == end)
			break;
		l = strtoul((char *)p, &e, 10);
		if ((unsigned char *)e == p || *e != ' ' ||
		    l > (size_t)(end - (unsigned char *)e - 1))
			break;
		p = (unsigned char *)e + 1;
		n = l > MAX_PAYLOAD ? MAX_PAYLOAD : l;
		memcpy(msg, p, n);
		p += l;
		if (n > 10 && !memcmp(msg, "<Teardown-", 10))
			continue;
		replace_all(msg, &n, sizeof(msg), "<To>", "alice@192.0.2.2");
		replace_all(msg, &n, sizeof(msg), "<From>", "alice@192.0.2.1");
		replace_all(msg, &n, sizeof(msg), "<From-Address>", "192.0.2.1");
		replace_all(msg, &n, sizeof(msg), "<From-IP>", "192.0.2.1");
		replace_all(msg, &n, sizeof(msg), "<Local-Port>", "5062");
		replace_all(msg, &n, sizeof(msg), "<Branch-ID>", "kf1");
		replace_all(msg, &n, sizeof(msg), "<Call-ID>", "protos");
		replace_all(msg, &n, sizeof(msg), "<CSeq>", "1");
		replace_all(msg, &n, sizeof(msg), "<Content-Length>", "0");
		add_seed(msg, n);
		replace_all(msg, &n, sizeof(msg), "INVITE", "REGISTER");
		add_seed(msg, n);
	}
	free(buf);
	f.nprotos += f.nseeds - before;
}

/* ---- REGISTERs with credentials ---------------------------------------- */

static int build_register(bool v6, bool auth, char *out, size_t size)
{
#define S(x) ((struct sipreg_digest_str){ (const u8 *)(x), strlen(x) })
	char ruri[80], src[64], dst[64], hdr[1024] = "", ncs[16];
	const char *nonce = v6 ? f.nonce6 : f.nonce4;
	u8 ha1[SIPREG_HASH_MAX], resp[SIPREG_HASH_MAX];
	char hex[2 * SIPREG_HASH_MAX + 1];

	inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? (void *)&f.src6 : (void *)&f.src4,
		  src, sizeof(src));
	inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? (void *)&f.dst6 : (void *)&f.dst4,
		  dst, sizeof(dst));
	snprintf(ruri, sizeof(ruri), v6 ? "sip:[%s]" : "sip:%s", dst);
	f.cseq++;
	if (auth && nonce[0]) {
		struct sipreg_digest_req d = {
			.alg = SIPREG_ALG_MD5,
			.method = S("REGISTER"), .uri = S(ruri),
			.nonce = S(nonce), .cnonce = S("c0ffee"),
			.qop = S("auth"),
		};

		snprintf(ncs, sizeof(ncs), "%08x", ++f.nc);
		d.nc = S(ncs);
		if (sipreg_digest_ha1(d.alg, S(f.user), S(f.realm),
				      S(f.password), ha1) ||
		    sipreg_digest_response(&d, ha1, sipreg_hash_len(d.alg),
					   resp) != SIPREG_DIGEST_OK)
			return -1;
		sipreg_digest_hex(resp, sipreg_hash_len(d.alg), hex);
		hex[2 * sipreg_hash_len(d.alg)] = 0;
		snprintf(hdr, sizeof(hdr),
			 "Authorization: Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", response=\"%s\", algorithm=MD5, cnonce=\"c0ffee\", qop=auth, nc=%s\r\n",
			 f.user, f.realm, nonce, ruri, hex, ncs);
		f.authorized++;
	}
	return snprintf(out, size,
			"REGISTER %s SIP/2.0\r\n"
			"Via: SIP/2.0/UDP %s%s%s:%d;branch=z9hG4bK-kf%u;rport\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:%s@%s>;tag=kf%u\r\n"
			"To: <sip:%s@%s>\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %u REGISTER\r\n"
			"Contact: <%s>\r\n"
			"Expires: 600\r\n"
			"%s"
			"Content-Length: 0\r\n\r\n",
			ruri, v6 ? "[" : "", src, v6 ? "]" : "", LPORT,
			f.cseq, f.user, f.realm, f.cseq, f.user, f.realm,
			f.call_id, f.cseq, f.contact, hdr);
#undef S
}

/* A reply on a UDP socket: count its class, keep a 401's nonce. */
static void take_reply(const unsigned char *p, size_t n, bool v6)
{
	const char *nonce, *end;
	char *dst = v6 ? f.nonce6 : f.nonce4;
	char line[4096];
	int code;

	n = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
	memcpy(line, p, n);
	line[n] = 0;
	if (sscanf(line, "SIP/2.0 %d", &code) != 1 || code < 100 || code > 699) {
		f.replies[0]++;
		return;
	}
	f.replies[code / 100]++;
	if (code != 401)
		return;
	nonce = strstr(line, "nonce=\"");
	if (!nonce)
		return;
	nonce += 7;
	end = strchr(nonce, '"');
	if (!end || end - nonce >= 255)
		return;
	memcpy(dst, nonce, end - nonce);
	dst[end - nonce] = 0;
	f.nc = 0;
}

static void drain(void)
{
	unsigned char buf[65536];
	ssize_t n;

	while (f.udp4 >= 0 && (n = recv(f.udp4, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		take_reply(buf, n, false);
	while (f.udp6 >= 0 && (n = recv(f.udp6, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		take_reply(buf, n, true);
}

/* ---- mutations ---------------------------------------------------------- */

static const char *const interesting[] = {
	"0", "-1", "4294967295", "4294967296", "4294967328",
	"18446744073709551616", "99999999999999999999", "2147483648",
	"00000000000000000000001", "1e9", " ", "\t", "\r", "\n", "\r\n",
	"\r\n\r\n", "\r\r", "\n\n", "\r\n ", "\"", "\\", "<", ">", ";", ",",
	"%00", "%", "[", "]", "::", "sip:", "sips:", "tel:", "*",
};

static const char *const headers[] = {
	"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-x;rport\r\n",
	"Contact: <sip:alice@192.0.2.1:5062>;expires=4294967296\r\n",
	"Contact: *\r\n", "Expires: 0\r\n", "Expires: 4294967295\r\n",
	"CSeq: 4294967295 REGISTER\r\n", "Content-Length: 4294967328\r\n",
	"Content-Length: 99999\r\n", "Call-ID: \r\n", "To: <sip:bob@sipreg>\r\n",
	"Authorization: Digest username=\"alice\", realm=\"sipreg\", nonce=\"x\", uri=\"sip:x\", response=\"00\"\r\n",
	"Authorization: Digest username=\"alice\", realm=\"sipreg\", nonce=\"x\", uri=\"sip:x\", response=\"0\", qop=auth, nc=ffffffff, cnonce=\"\"\r\n",
	"Path: <sip:p@192.0.2.9;lr>\r\n", "Require: path\r\n",
	"Supported: outbound\r\n", "X: \r\r\n", "From: a\rb <sip:a@b>\r\n",
	"Max-Forwards: 0\r\n", " folded continuation\r\n",
};

static void insert(unsigned char *b, size_t *n, size_t at, const void *p,
		   size_t len)
{
	if (*n + len > MAX_PAYLOAD)
		len = MAX_PAYLOAD - *n;
	memmove(b + at + len, b + at, *n - at);
	memcpy(b + at, p, len);
	*n += len;
}

/* Offset just after a random line end, or 0. */
static size_t line_start(const unsigned char *b, size_t n)
{
	size_t at = below(n + 1), i;

	for (i = at; i < n; i++)
		if (b[i] == '\n')
			return i + 1;
	return 0;
}

static void mutate_once(unsigned char *b, size_t *n)
{
	size_t at, len, i, end;

	switch (below(14)) {
	case 0:	/* bit flips */
		for (i = 0, len = 1 + below(8); i < len && *n; i++)
			b[below(*n)] ^= 1u << below(8);
		break;
	case 1:	/* random bytes */
		for (i = 0, len = 1 + below(4); i < len && *n; i++)
			b[below(*n)] = rnd();
		break;
	case 2:	/* truncate */
		*n = below(*n + 1);
		break;
	case 3:	/* duplicate one line (a header) several times */
		at = line_start(b, *n);
		for (end = at; end < *n && b[end] != '\n'; end++)
			;
		if (end < *n) {
			unsigned char line[1024];

			len = end + 1 - at;
			if (len > sizeof(line))
				break;
			memcpy(line, b + at, len);
			for (i = 1 + below(one_in(8) ? 200 : 3); i; i--)
				insert(b, n, at, line, len);
		}
		break;
	case 4:	/* delete one line */
		at = line_start(b, *n);
		for (end = at; end < *n && b[end] != '\n'; end++)
			;
		if (end < *n) {
			memmove(b + at, b + end + 1, *n - end - 1);
			*n -= end + 1 - at;
		}
		break;
	case 5:	/* CRLF games: every line end, or one */
		if (one_in(2)) {
			const char *to = (const char *[]){ "\n", "\r", "\r\r\n",
							  "\n\r", "\r\n " }[below(5)];

			replace_all(b, n, MAX_PAYLOAD, "\r\n", to);
		} else {
			at = below(*n + 1);
			insert(b, n, at, "\r", 1);
		}
		break;
	case 6:	/* a number made huge, or an interesting token */
		for (at = below(*n + 1); at < *n && (b[at] < '0' || b[at] > '9'); at++)
			;
		if (at < *n) {
			const char *s = interesting[below(sizeof(interesting) /
							  sizeof(*interesting))];

			for (end = at; end < *n && b[end] >= '0' && b[end] <= '9'; end++)
				;
			memmove(b + at, b + end, *n - end);
			*n -= end - at;
			insert(b, n, at, s, strlen(s));
		}
		break;
	case 7:	/* a dictionary token */
		if (f.ntokens) {
			struct seed *t = &f.tokens[below(f.ntokens)];

			insert(b, n, below(*n + 1), t->data, t->len);
		}
		break;
	case 8:	/* a hostile header line */
		at = line_start(b, *n);
		{
			const char *h = headers[below(sizeof(headers) /
						      sizeof(*headers))];

			insert(b, n, at, h, strlen(h));
		}
		break;
	case 9:	/* splice with another seed */
		if (f.nseeds) {
			struct seed *s = &f.seeds[below(f.nseeds)];
			size_t from = below(s->len + 1);

			*n = below(*n + 1);
			len = s->len - from;
			if (*n + len > MAX_PAYLOAD)
				len = MAX_PAYLOAD - *n;
			memcpy(b + *n, s->data + from, len);
			*n += len;
		}
		break;
	case 10: /* a NUL */
		if (*n)
			b[below(*n)] = 0;
		break;
	case 11: /* a long run of one byte (long lines, huge values) */
		len = below(one_in(4) ? 8000 : 300);
		at = below(*n + 1);
		{
			static unsigned char run[8000];

			memset(run, "aA0 ;,\"\\\t%"[below(11)], len);
			insert(b, n, at, run, len);
		}
		break;
	case 12: /* method swap */
		if (*n > 8 && !memcmp(b, "REGISTER", 8)) {
			memcpy(b, (const char *[]){ "register", "REGISTEr", "INVITE  ",
						   "SIP/2.0 " }[below(4)], 8);
		} else {
			at = 0;
			while (at < *n && b[at] != ' ')
				at++;
			memmove(b, b + at, *n - at);
			*n -= at;
			insert(b, n, 0, "REGISTER", 8);
		}
		break;
	default: /* swap two bytes */
		if (*n > 1) {
			unsigned char t;

			at = below(*n);
			i = below(*n);
			t = b[at];
			b[at] = b[i];
			b[i] = t;
		}
		break;
	}
}

/* The next payload: a stateful REGISTER, a seed, or random bytes; mutated. */
static size_t next_payload(unsigned char *b, bool v6)
{
	size_t n = 0;
	int k;

	if (f.user && f.password && one_in(3)) {
		k = build_register(v6, !one_in(4), (char *)b, MAX_PAYLOAD);
		n = k > 0 ? (size_t)k : 0;
		if (one_in(2))	/* half of them clean: refreshes */
			return n;
	} else if (f.nseeds && !one_in(50)) {
		/* files and PROTOS (loaded last) half and half */
		size_t nfiles = f.nseeds - f.nprotos;
		struct seed *s = nfiles && (!f.nprotos || one_in(2)) ?
				 &f.seeds[below(nfiles)] :
				 &f.seeds[nfiles + below(f.nprotos)];

		memcpy(b, s->data, s->len);
		n = s->len;
	} else {
		n = below(one_in(10) ? 4000 : 200);
		for (size_t i = 0; i < n; i++)
			b[i] = rnd();
		return n;
	}
	if (one_in(8))
		return n;
	for (k = 1 + below(one_in(4) ? 16 : 3); k; k--)
		mutate_once(b, &n);
	return n;
}

/* ---- framing ------------------------------------------------------------ */

static uint32_t csum_add(uint32_t sum, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (c[i] << 8) | c[i + 1];
	if (n & 1)
		sum += c[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

/* UDP checksum over the pseudo header; the UDP header's csum must be 0. */
static uint16_t udp_csum(bool v6, const void *src, const void *dst,
			 const unsigned char *udp, size_t len)
{
	uint32_t sum = 0;

	sum = csum_add(sum, src, v6 ? 16 : 4);
	sum = csum_add(sum, dst, v6 ? 16 : 4);
	sum += IPPROTO_UDP + (uint32_t)len;
	if (v6)
		sum += (uint32_t)len >> 16;
	sum = csum_add(sum, udp, len);
	return csum_fold(sum);
}

/* The UDP header at @u (payload follows, @plen bytes): length, checksum. */
static void udp_header(unsigned char *u, size_t plen, bool v6,
		       const void *src, const void *dst)
{
	struct udphdr *h = (struct udphdr *)u;
	size_t len = 8 + plen;
	uint16_t sum;

	h->source = htons(LPORT);
	h->dest = htons(f.port);
	h->len = htons(len);
	h->check = 0;
	switch (below(12)) {
	case 0: h->len = htons(len + 1 + below(100)); break;
	case 1: h->len = htons(below(8)); break;
	case 2: h->len = htons(len > 9 ? len - 1 - below(len - 9) : 8); break;
	case 3: h->len = htons(0xffff); break;
	}
	sum = udp_csum(v6, src, dst, u, len);
	switch (below(10)) {
	case 0: h->check = sum ^ htons(1 << below(16)); break;
	case 1: h->check = 0; break;	/* none (IPv4), invalid (IPv6) */
	case 2: h->check = 0xffff; break;
	default: h->check = sum ? sum : 0xffff; break;
	}
}

/*
 * An IPv4 packet in @out: header (options sometimes), UDP, payload; as a
 * fragment sometimes. @fix: the kernel fills in length and checksum (raw
 * socket), else bad values may be written. Returns its length.
 */
static size_t ipv4_packet(unsigned char *out, const unsigned char *pl,
			  size_t plen, struct in_addr dst, bool fix)
{
	struct iphdr *ip = (struct iphdr *)out;
	size_t ihl = 20, olen = 0, len;
	unsigned char *u;

	if (one_in(8)) {	/* options: NOPs, RR, garbage */
		olen = 4 * (1 + below(10));
		for (size_t i = 0; i < olen; i++)
			out[20 + i] = one_in(3) ? rnd() : IPOPT_NOP;
		if (one_in(2)) {
			out[20] = IPOPT_RR;
			out[21] = olen;
			out[22] = 4;
		}
		ihl += olen;
	}
	memset(ip, 0, 20);
	ip->version = 4;
	ip->ihl = ihl / 4;
	ip->ttl = one_in(10) ? 1 : 64;
	ip->protocol = IPPROTO_UDP;
	ip->id = htons(rnd());
	ip->saddr = f.src4.s_addr;
	ip->daddr = dst.s_addr;
	u = out + ihl;
	memcpy(u + 8, pl, plen);
	udp_header(u, plen, false, &ip->saddr, &ip->daddr);
	len = ihl + 8 + plen;
	switch (below(10)) {
	case 0:	/* first fragment, more to come that never do */
		ip->frag_off = htons(IP_MF);
		break;
	case 1:	/* a later fragment: the payload at an offset */
		memmove(u, u + 8, plen);
		len -= 8;
		ip->frag_off = htons((one_in(2) ? IP_MF : 0) | (1 + below(200)));
		break;
	case 2:
		ip->frag_off = htons(IP_DF);
		break;
	}
	ip->tot_len = htons(len);
	if (!fix) {
		switch (below(8)) {
		case 0: ip->tot_len = htons(len + 1 + below(64)); break;
		case 1: ip->tot_len = htons(below(len)); break;
		case 2: ip->ihl = below(16); break;
		}
		ip->check = csum_fold(csum_add(0, ip, ihl));
		if (one_in(16))
			ip->check ^= 1;
	}
	return len;
}

/* IPv6 with a chain of extension headers, sometimes a fragment header. */
static size_t ipv6_packet(unsigned char *out, const unsigned char *pl,
			  size_t plen, const struct in6_addr *dst, bool fix)
{
	unsigned char *nh = out + 6, *p = out + 40, *u;
	size_t len, hlen, i, n = below(4);
	bool frag = false, later = false;

	memset(out, 0, 40);
	out[0] = 0x60;
	out[7] = 64;
	memcpy(out + 8, &f.src6, 16);
	memcpy(out + 24, dst, 16);
	for (i = 0; i < n; i++) {
		int type = (int[]){ IPPROTO_HOPOPTS, IPPROTO_DSTOPTS,
				    IPPROTO_ROUTING, IPPROTO_FRAGMENT }[below(4)];

		if (type == IPPROTO_HOPOPTS && i)
			type = IPPROTO_DSTOPTS;
		*nh = type;
		nh = p;
		if (type == IPPROTO_FRAGMENT) {
			later = one_in(2);
			p[1] = 0;
			p[2] = later ? (1 + below(200)) >> 5 : 0;
			p[3] = (later ? (1 + below(31)) << 3 : 0) |
			       (one_in(3) ? 0 : 1);
			memcpy(p + 4, &(uint32_t){ (uint32_t)rnd() }, 4);
			p += 8;
			frag = true;
			continue;
		}
		hlen = 8 * (1 + below(one_in(10) ? 30 : 2));
		memset(p, 0, hlen);
		p[1] = hlen / 8 - 1;
		if (type == IPPROTO_ROUTING) {
			/* type 0 (deprecated), 2 (mobile), 4 (SRH) */
			p[2] = (int[]){ 0, 2, 4, 3 }[below(4)];
			p[3] = below(3);	/* segments left */
			if (hlen >= 24)
				memcpy(p + 8, dst, 16);
		} else {
			for (size_t j = 2; j < hlen; j++)	/* PadN, junk */
				p[j] = one_in(2) ? 0 : rnd();
			if (one_in(2)) {
				p[2] = 1;
				p[3] = hlen - 4;
				memset(p + 4, 0, hlen - 4);
			}
		}
		p += hlen;
	}
	*nh = IPPROTO_UDP;
	u = p;
	if (later && frag) {
		memcpy(u, pl, plen);
		len = u - out + plen;
	} else {
		memcpy(u + 8, pl, plen);
		udp_header(u, plen, true, out + 8, out + 24);
		len = u - out + 8 + plen;
	}
	out[4] = (len - 40) >> 8;
	out[5] = len - 40;
	if (!fix && one_in(6)) {
		uint16_t bad = one_in(2) ? len - 40 + 1 + below(64) : below(len - 40);

		out[4] = bad >> 8;
		out[5] = bad;
	}
	return len;
}

/* ---- senders ------------------------------------------------------------ */

static void count(enum sender s, ssize_t r, size_t len)
{
	if (r < 0) {
		f.send_err[s]++;
		if (f.verbose)
			fprintf(stderr, "kfuzz-packet: %s: %s\n", sender_name[s],
				strerror(errno));
		return;
	}
	f.sent[s]++;
	f.bytes += len;
}

/* Where a datagram goes: mostly the gateway, sometimes broadcast/multicast. */
static socklen_t destination(bool v6, struct sockaddr_storage *ss,
			     bool cast)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(f.port);
		a->sin6_addr = f.dst6;
		if (cast && one_in(20)) {
			inet_pton(AF_INET6, "ff02::1", &a->sin6_addr);
			a->sin6_scope_id = f.ifindex;
		}
		return sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(f.port);
		a->sin_addr = f.dst4;
		if (cast && one_in(20))
			a->sin_addr = one_in(2) ? f.bcast4 :
				      (struct in_addr){ htonl(0xe0000001) };
		return sizeof(*a);
	}
}

static void send_one(void)
{
	static unsigned char pl[MAX_PAYLOAD + 8], pkt[MAX_PAYLOAD + 1024];
	bool v6 = f.has6 && (!f.has4 || one_in(2));
	int fd = v6 ? f.udp6 : f.udp4;
	struct sockaddr_storage ss;
	socklen_t sl;
	size_t n = next_payload(pl, v6), len;
	enum sender s;
	unsigned int r = below(100);

	if (r < 45)
		s = S_UDP;
	else if (r < 55)
		s = S_GSO;
	else if (r < 62)
		s = S_CORK;
	else if (r < 67)
		s = S_BIG;
	else if (r < 85)
		s = S_RAW;
	else
		s = f.pkt >= 0 ? S_PACKET : S_RAW;

	switch (s) {
	case S_UDP:
		sl = destination(v6, &ss, true);
		count(s, sendto(fd, pl, n, 0, (struct sockaddr *)&ss, sl), n);
		break;
	case S_GSO: {
		/* k copies (mutated apart) of a segment, one super-packet */
		size_t seg = n ? n : 1, k = 2 + below(6), i, total = 0;
		int gso = seg;

		if (seg > 1400)
			seg = 1400;
		gso = seg;
		for (i = 0; i < k && total + seg <= sizeof(pkt); i++) {
			memcpy(pkt + total, pl, seg);
			if (i && one_in(2))
				pkt[total + below(seg)] ^= 0x20;
			total += seg;
		}
		if (one_in(3))	/* a short last segment */
			total -= below(seg);
		sl = destination(v6, &ss, false);
		if (setsockopt(fd, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso))) {
			count(s, -1, 0);
			break;
		}
		count(s, sendto(fd, pkt, total, 0, (struct sockaddr *)&ss, sl),
		      total);
		gso = 0;
		setsockopt(fd, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso));
		break;
	}
	case S_CORK: {
		size_t off = 0, piece;
		ssize_t rr = 0;

		sl = destination(v6, &ss, false);
		while (off < n && rr >= 0) {
			piece = 1 + below(n - off);
			rr = sendto(fd, pl + off, piece,
				    off + piece < n ? MSG_MORE : 0,
				    (struct sockaddr *)&ss, sl);
			off += piece;
		}
		if (!n)
			rr = sendto(fd, pl, 0, 0, (struct sockaddr *)&ss, sl);
		count(s, rr, n);
		break;
	}
	case S_BIG: {
		/* up to the largest datagram: padding after the message */
		size_t max = v6 ? 65527 : 65507, big;

		if (n > max)
			n = max;
		big = one_in(2) ? max : n + below(max - n + 1);
		memset(pl + n, one_in(2) ? ' ' : 'a', big - n);
		sl = destination(v6, &ss, false);
		count(s, sendto(fd, pl, big, 0, (struct sockaddr *)&ss, sl), big);
		break;
	}
	case S_RAW:
	case S_PACKET: {
		bool raw = s == S_RAW;
		int rfd = raw ? (v6 ? f.raw6 : f.raw4) : f.pkt;
		bool cast = one_in(15);
		struct in6_addr d6 = f.dst6;
		struct in_addr d4 = f.dst4;

		if (rfd < 0)
			break;
		if (n > 1400)	/* one frame on the veth */
			n = below(1400);
		if (cast && v6)
			inet_pton(AF_INET6, "ff02::1", &d6);
		else if (cast)
			d4.s_addr = one_in(2) ? f.bcast4.s_addr : htonl(0xe0000001);
		len = v6 ? ipv6_packet(pkt, pl, n, &d6, raw) :
			   ipv4_packet(pkt, pl, n, d4, raw);
		if (raw) {
			sl = destination(v6, &ss, false);
			if (v6) {
				((struct sockaddr_in6 *)&ss)->sin6_addr = d6;
				((struct sockaddr_in6 *)&ss)->sin6_port = 0;
				((struct sockaddr_in6 *)&ss)->sin6_scope_id =
					cast ? f.ifindex : 0;
			} else {
				((struct sockaddr_in *)&ss)->sin_addr = d4;
				((struct sockaddr_in *)&ss)->sin_port = 0;
			}
			count(s, sendto(rfd, pkt, len, 0, (struct sockaddr *)&ss, sl),
			      len);
		} else {
			struct sockaddr_ll ll = {
				.sll_family = AF_PACKET,
				.sll_protocol = htons(v6 ? ETH_P_IPV6 : ETH_P_IP),
				.sll_ifindex = f.ifindex,
				.sll_halen = 6,
			};

			memcpy(ll.sll_addr, f.dmac, 6);
			if (cast)
				memset(ll.sll_addr, 0xff, 6);
			count(s, sendto(rfd, pkt, len, 0, (struct sockaddr *)&ll,
					sizeof(ll)), len);
		}
		break;
	}
	default:
		break;
	}
}

/* ---- setup -------------------------------------------------------------- */

static int udp_socket(int family, const void *addr)
{
	struct sockaddr_storage ss = { 0 };
	int fd = socket(family, SOCK_DGRAM, 0), one = 1;
	socklen_t sl;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(LPORT);
		memcpy(&a->sin6_addr, addr, 16);
		sl = sizeof(*a);
		setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &f.ifindex,
			   sizeof(f.ifindex));
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(LPORT);
		memcpy(&a->sin_addr, addr, 4);
		sl = sizeof(*a);
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, addr, 4);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl)) {
		fprintf(stderr, "kfuzz-packet: bind: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: sipreg-kfuzz-packet -i IFNAME [-4 SRC,DST] [-6 SRC,DST]\n"
		"   [-m DST-MAC] [-p PORT] [-t SECONDS] [-n MAX-EXECS] [-S SEED]\n"
		"   [-c CORPUS-PATH]... [-P PROTOS-FILE|-] [-u USER:PASSWORD:CALL-ID:CONTACT]\n"
		"   [-v]\n");
	return 1;
}

static bool parse_pair(int family, char *arg, void *src, void *dst)
{
	char *comma = strchr(arg, ',');

	if (!comma)
		return false;
	*comma = 0;
	return inet_pton(family, arg, src) == 1 &&
	       inet_pton(family, comma + 1, dst) == 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *protos = NULL;
	unsigned long max_execs = 0, execs = 0, errs = 0;
	double seconds = 30, start, elapsed;
	char *cred = NULL;
	int c, one = 1;

	while ((c = getopt(argc, argv, "i:4:6:m:p:t:n:S:c:P:u:v")) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case '4':
			f.has4 = parse_pair(AF_INET, optarg, &f.src4, &f.dst4);
			if (!f.has4)
				return usage();
			break;
		case '6':
			f.has6 = parse_pair(AF_INET6, optarg, &f.src6, &f.dst6);
			if (!f.has6)
				return usage();
			break;
		case 'm':
			f.has_mac = sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
					   &f.dmac[0], &f.dmac[1], &f.dmac[2],
					   &f.dmac[3], &f.dmac[4], &f.dmac[5]) == 6;
			if (!f.has_mac)
				return usage();
			break;
		case 'p': f.port = atoi(optarg); break;
		case 't': seconds = atof(optarg); break;
		case 'n': max_execs = strtoul(optarg, NULL, 10); break;
		case 'S': f.rng = strtoull(optarg, NULL, 10) | 1; break;
		case 'c': load_path(optarg); break;
		case 'P': protos = optarg; break;
		case 'u': cred = optarg; break;
		case 'v': f.verbose = true; break;
		default: return usage();
		}
	}
	if (!ifname || (!f.has4 && !f.has6) || optind != argc)
		return usage();
	f.ifindex = if_nametoindex(ifname);
	if (!f.ifindex) {
		fprintf(stderr, "kfuzz-packet: no interface %s\n", ifname);
		return 1;
	}
	if (cred) {
		f.user = strtok(cred, ":");
		f.password = strtok(NULL, ":");
		f.call_id = strtok(NULL, ":");
		f.contact = strtok(NULL, "");
		if (!f.user || !f.password || !f.call_id || !f.contact)
			return usage();
	}
	if (protos)
		load_protos(protos);
	/* the /24 broadcast of the IPv4 target */
	f.bcast4.s_addr = f.dst4.s_addr | htonl(0xff);
	if (f.has4) {
		f.udp4 = udp_socket(AF_INET, &f.src4);
		f.raw4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
		if (f.raw4 >= 0)
			setsockopt(f.raw4, SOL_SOCKET, SO_BROADCAST, &one,
				   sizeof(one));
		if (f.udp4 < 0)
			return 1;
	}
	if (f.has6) {
		f.udp6 = udp_socket(AF_INET6, &f.src6);
		f.raw6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
		if (f.udp6 < 0)
			return 1;
	}
	if (f.has_mac)
		f.pkt = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (f.raw4 < 0 && f.raw6 < 0)
		fprintf(stderr, "kfuzz-packet: no raw sockets (%s): UDP only\n",
			strerror(errno));
	printf("# kfuzz-packet: %zu seeds (%zu from PROTOS), %zu dictionary tokens, %.0f s, seed %llu\n",
	       f.nseeds, f.nprotos, f.ntokens, seconds,
	       (unsigned long long)f.rng);
	fflush(stdout);

	start = now();
	elapsed = 0;
	while (elapsed < seconds && (!max_execs || execs < max_execs)) {
		send_one();
		execs++;
		if (!(execs & 15)) {
			drain();
			elapsed = now() - start;
		}
	}
	/* the last answers */
	{
		struct pollfd p[2] = { { .fd = f.udp4, .events = POLLIN },
				       { .fd = f.udp6, .events = POLLIN } };

		while (poll(p, 2, 300) > 0)
			drain();
	}
	elapsed = now() - start;
	for (int s = 0; s < S_MAX; s++)
		errs += f.send_err[s];
	printf("# kfuzz-packet: %lu execs in %.1f s (%.0f/s), %lu bytes, %lu send errors\n",
	       execs, elapsed, execs / (elapsed > 0 ? elapsed : 1), f.bytes, errs);
	printf("# kfuzz-packet: sent");
	for (int s = 0; s < S_MAX; s++)
		printf(" %s=%lu", sender_name[s], f.sent[s]);
	printf("; errors");
	for (int s = 0; s < S_MAX; s++)
		printf(" %s=%lu", sender_name[s], f.send_err[s]);
	printf("\n# kfuzz-packet: replies 1xx=%lu 2xx=%lu 3xx=%lu 4xx=%lu 5xx=%lu 6xx=%lu other=%lu; %lu REGISTERs with credentials\n",
	       f.replies[1], f.replies[2], f.replies[3], f.replies[4],
	       f.replies[5], f.replies[6], f.replies[0], f.authorized);
	return 0;
}
