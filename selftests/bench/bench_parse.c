// SPDX-License-Identifier: GPL-2.0
/*
 * bench_parse: how long sipreg_parse() takes in userspace.
 *
 *   bench_parse            ns per parse of a typical REGISTER (a desk
 *                          phone's, with Authorization: the wire vector
 *                          register-authorized.sip) and of a minimal one,
 *                          median of RUNS runs of ITERS parses each
 *   bench_parse -c N WHICH N parses of WHICH (typical|minimal) and nothing
 *                          else, for callgrind: run it with
 *                          --toggle-collect=sipreg_parse, divide Ir by N;
 *                          WHICH typical-K is the typical REGISTER
 *                          without its K-th header field (from 0)
 *   bench_parse -f         the typical REGISTER's header fields, a line
 *                          each: K, name, bytes (CRLF and folds included)
 *
 * Not a test: the numbers depend on the machine. Built -O2, no sanitizers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parser.h"

#define RUNS	15
#define ITERS	200000

static const char typical[] =
	"REGISTER sip:10.10.1.99 SIP/2.0\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Via: SIP/2.0/UDP 10.10.1.13:5060;\r\n"
	" branch=z9hG4bK32366531-99e1-de11-8845-080027608325;rport\r\n"
	"User-Agent: MySipClient/4.0.0\r\n"
	"Authorization: Digest username=\"test13\", realm=\"mypbx\",\r\n"
	" nonce=\"343eb793\", uri=\"sip:10.10.1.99\", algorithm=MD5, \r\n"
	" response=\"6c13de87f9cde9c44e95edbb68cbdea9\"\r\n"
	"From: <sip:13@10.10.1.99>;\r\n"
	" tag=d60e6131-99e1-de11-8845-080027608325\r\n"
	"Call-ID: e4ec6031-99e1\r\n"
	"To: <sip:13@10.10.1.99>\r\n"
	"Contact: <sip:13@10.10.1.13>;q=1\r\n"
	"Allow: INVITE,ACK,OPTIONS,BYE,CANCEL,SUBSCRIBE,NOTIFY,REFER,\r\n"
	" MESSAGE,INFO,PING\r\n"
	"Expires: 3600\r\n"
	"Content-Length: 0\r\n"
	"Max-Forwards: 70\r\n"
	"Expires: 3600\r\n"
	"\r\n";

static const char minimal[] =
	"REGISTER sip:example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds7\r\n"
	"From: <sip:alice@example.com>;tag=456248\r\n"
	"To: <sip:alice@example.com>\r\n"
	"Call-ID: 843817637684230@998sdasdh09\r\n"
	"CSeq: 1826 REGISTER\r\n"
	"Contact: <sip:alice@192.0.2.1>\r\n"
	"\r\n";

static volatile unsigned long sink;

/*
 * The k-th header field of the typical REGISTER (a fold continues a
 * field): *off and *len, CRLF included. False past the last one.
 */
static bool typical_field(unsigned int k, size_t *off, size_t *len)
{
	const char *p = strstr(typical, "\r\n") + 2, *e;
	unsigned int i;

	for (i = 0; *p && !(p[0] == '\r' && p[1] == '\n'); i++) {
		e = p;
		do
			e = strstr(e, "\r\n") + 2;
		while (*e == ' ' || *e == '\t');
		if (i == k) {
			*off = p - typical;
			*len = e - p;
			return true;
		}
		p = e;
	}
	return false;
}

static char without[sizeof(typical)];

static const char *pick(const char *which, size_t *len)
{
	size_t off, flen;
	char *end;
	long k;

	if (!strncmp(which, "typical-", 8)) {
		k = strtol(which + 8, &end, 10);
		if (*end || k < 0 || !typical_field(k, &off, &flen))
			return NULL;
		memcpy(without, typical, off);
		memcpy(without + off, typical + off + flen,
		       sizeof(typical) - off - flen);
		*len = sizeof(typical) - 1 - flen;
		return without;
	}
	if (!strcmp(which, "typical")) {
		*len = sizeof(typical) - 1;
		return typical;
	}
	if (!strcmp(which, "minimal")) {
		*len = sizeof(minimal) - 1;
		return minimal;
	}
	return NULL;
}

static void parse_n(const u8 *buf, size_t len, long n)
{
	struct sipreg_msg m;
	long i;

	for (i = 0; i < n; i++) {
		sink += sipreg_parse(buf, len, &m);
		sink += m.cseq;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double median_ns(const u8 *buf, size_t len)
{
	double t[RUNS], t0;
	int r;

	parse_n(buf, len, ITERS / 10);	/* warm up */
	for (r = 0; r < RUNS; r++) {
		t0 = now_ns();
		parse_n(buf, len, ITERS);
		t[r] = (now_ns() - t0) / ITERS;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

int main(int argc, char **argv)
{
	static const char * const which[] = { "typical", "minimal" };
	struct sipreg_msg m;
	const char *msg;
	size_t len, i;
	long n;

	if (argc == 2 && !strcmp(argv[1], "-f")) {
		size_t off, flen;
		unsigned int k;

		for (k = 0; typical_field(k, &off, &flen); k++)
			printf("%u %.*s %zu\n", k,
			       (int)strcspn(typical + off, ":"), typical + off,
			       flen);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "-c")) {
		n = atol(argv[2]);
		msg = pick(argv[3], &len);
		if (!msg || n < 0) {
			fprintf(stderr, "usage: %s [-f | -c N typical|minimal|typical-K]\n",
				argv[0]);
			return 2;
		}
		parse_n((const u8 *)msg, len, n);
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: %s [-f | -c N typical|minimal|typical-K]\n",
			argv[0]);
		return 2;
	}
	for (i = 0; i < 2; i++) {
		msg = pick(which[i], &len);
		if (sipreg_parse((const u8 *)msg, len, &m) != SIPREG_OK) {
			fprintf(stderr, "%s REGISTER does not parse\n",
				which[i]);
			return 1;
		}
		printf("parse %-8s %4zu bytes: %7.1f ns/parse (median of %d x %d)\n",
		       which[i], len, median_ns((const u8 *)msg, len), RUNS,
		       ITERS);
	}
	return 0;
}
