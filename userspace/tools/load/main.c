// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load: a SIP REGISTER load generator. Many simulated user agents,
 * split over threads, each doing the real exchange (REGISTER, 401, REGISTER
 * with Digest credentials, refreshes) at an open-loop rate or with a
 * closed-loop window, checking every response. This file: options, threads,
 * the report and the exit status.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

#define EXIT_USAGE	1
#define EXIT_RUNTIME	2
#define EXIT_WRONG	3
#define EXIT_UNREGISTERED	4

#define MAX_SECONDS	600
#define MAX_THREADS	64
#define MAX_USERS	10000000u

struct opts {
	const char *target;
	const char *bind;
	const char *mode;
	const char *user_pat;
	const char *pass_pat;
	const char *users_file;
	const char *domain;
	const char *realm;
	const char *alg;
	const char *transport;
	u32 users;
	u32 first;
	bool json;
	bool duration_set;
};

static atomic_bool stop_flag;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sipreg-load -t HOST:PORT [options]\n"
		"  -t, --target HOST:PORT      registrar (IPv6: [::1]:5060)\n"
		"  -b, --bind ADDR             local address (default: by route)\n"
		"  -p, --local-port PORT       thread i binds PORT+i (default: any; UDP only)\n"
		"      --transport T           udp (default), tcp or tls (OpenSSL): over\n"
		"                              TCP/TLS each thread opens a pool of\n"
		"                              connections, user i on connection i %% N,\n"
		"                              all up before the load; responses framed\n"
		"                              by Content-Length; no retransmissions\n"
		"                              (RFC 3261 17.1.2.2), --timeout is Timer F\n"
		"      --connections N         TCP/TLS: connections per thread, at most\n"
		"                              (default 100: one per user up to 100)\n"
		"      --ca FILE               TLS: verify the server's certificate\n"
		"                              chain against FILE (default: no check)\n"
		"  -m, --mode MODE             register (default), challenge, refresh,\n"
		"                              echo (challenges; the request sent back\n"
		"                              unchanged is the answer: benchmark floor),\n"
		"                              storm (every phone registers once, all at\n"
		"                              once or at -r phones/s, and stops when it\n"
		"                              holds a binding; a 503 is waited out for\n"
		"                              its Retry-After, or backed off without\n"
		"                              one; Timer F ends in a back-off and a new\n"
		"                              registration; no window unless -w;\n"
		"                              reports when every phone held a binding)\n"
		"  -n, --users N               number of users (default 1000)\n"
		"      --first N               first user number (default 1)\n"
		"  -u, --user-pattern PAT      user names (default user%%06d)\n"
		"  -P, --password-pattern PAT  passwords (default pw%%06d)\n"
		"  -f, --users-file FILE       users from \"user;password\" lines\n"
		"  -D, --domain DOMAIN         Request-URI and AOR domain (default: HOST)\n"
		"      --realm REALM           expected realm (default: any, then fixed)\n"
		"  -a, --algorithm ALG         md5 (default) or sha256\n"
		"  -e, --expires S             Expires of the bindings (default 3600)\n"
		"  -T, --threads N             threads, each with its socket (default 1)\n"
		"  -r, --rate N                open loop: N requests/s over all threads\n"
		"  -w, --window N              closed loop: N in flight per thread\n"
		"                              (default -w 32 when no -r)\n"
		"  -d, --duration S            measured seconds (default 10, storm 300,\n"
		"                              at most %d)\n"
		"      --once                  register mode: each user once, no refreshes;\n"
		"                              the run ends when all are done (or -d)\n"
		"      --refresh-interval S    least time between a user's refreshes\n"
		"                              (default 0: as fast as the load allows)\n"
		"      --no-retransmit         no RFC 3261 retransmissions; --timeout counts\n"
		"      --t1 MS                 T1 (default 500); T2 is 8*T1\n"
		"      --timeout MS            give up (default 64*T1, 2000 without retransmit)\n"
		"      --backoff S             storm: wait after a first failure (timeout,\n"
		"                              503 without Retry-After), doubling per\n"
		"                              failure in a row, a random point in its\n"
		"                              upper half (default 2)\n"
		"      --backoff-max S         storm: longest back-off (default 32)\n"
		"      --retry-after-max S     storm: longest Retry-After honoured\n"
		"                              (default 300)\n"
		"      --drain MS              wait for answers after the load (default 1000)\n"
		"      --warmup S              refresh mode: longest registration phase (default 60)\n"
		"      --tick US               wake at most every US microseconds and take\n"
		"                              responses in batches (default 0: wake for each);\n"
		"                              latency uses kernel timestamps either way\n"
		"      --show-wrong N          print the first N wrong responses per thread\n"
		"  -j, --json                  one JSON object instead of the table\n"
		"  -h, --help\n"
		"exit status: 0 run complete and every response right, 1 usage,\n"
		"2 runtime error, 3 wrong responses seen (a connection lost counts\n"
		"as a send error), 4 storm: a phone held no binding at the end\n",
		MAX_SECONDS);
}

static void die_usage(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "sipreg-load: ");
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, "\n");
	exit(EXIT_USAGE);
}

static double num(const char *opt, const char *arg, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || v < lo || v > hi) {
		char range[64];

		snprintf(range, sizeof(range), "%g..%g", lo, hi);
		die_usage("%s: want a number in %s", opt, range);
	}
	return v;
}

static u32 whole(const char *opt, const char *arg, double lo, double hi)
{
	double v = num(opt, arg, lo, hi);

	if (v != (u32)v)
		die_usage("%s: want a whole number, not %s", opt, arg);
	return v;
}

/* "HOST:PORT" or "[V6]:PORT"; the host part is also the default domain. */
static void parse_target(struct lg_conf *c, const char *arg, char *host,
			 size_t hostlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV };
	const char *colon = strrchr(arg, ':');
	char name[256];
	struct addrinfo *ai;
	size_t n;
	int rc;

	if (!colon || !colon[1] || (size_t)(colon - arg) >= sizeof(name) ||
	    colon == arg)
		die_usage("--target %s: want HOST:PORT or [IPV6]:PORT", arg, "");
	n = colon - arg;
	snprintf(host, hostlen, "%.*s", (int)n, arg);
	if (arg[0] == '[') {
		if (arg[n - 1] != ']')
			die_usage("--target %s: want [IPV6]:PORT", arg, "");
		snprintf(name, sizeof(name), "%.*s", (int)n - 2, arg + 1);
	} else {
		if (memchr(arg, ':', n))
			die_usage("--target %s: put an IPv6 address in brackets", arg, "");
		snprintf(name, sizeof(name), "%s", host);
	}
	whole("--target port", colon + 1, 1, 65535);
	rc = getaddrinfo(name, colon + 1, &hints, &ai);
	if (rc)
		die_usage("--target %s: %s", arg, gai_strerror(rc));
	memcpy(&c->target, ai->ai_addr, ai->ai_addrlen);
	c->target_len = ai->ai_addrlen;
	freeaddrinfo(ai);
}

static void parse_bind(struct lg_conf *c, const char *arg)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)&c->bind;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&c->bind;

	memset(&c->bind, 0, sizeof(c->bind));
	if (inet_pton(AF_INET, arg, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		c->bind_len = sizeof(*a4);
	} else if (inet_pton(AF_INET6, arg, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		c->bind_len = sizeof(*a6);
	} else {
		die_usage("--bind %s: want an IPv4 or IPv6 address", arg, "");
	}
}

enum {
	OPT_FIRST = 256, OPT_REALM, OPT_REFRESH, OPT_NO_RETRANS, OPT_T1,
	OPT_TIMEOUT, OPT_DRAIN, OPT_WARMUP, OPT_SHOW_WRONG, OPT_TICK, OPT_ONCE,
	OPT_TRANSPORT, OPT_CONNECTIONS, OPT_CA, OPT_BACKOFF, OPT_BACKOFF_MAX,
	OPT_RETRY_AFTER_MAX,
};

static const struct option longopts[] = {
	{ "target", required_argument, NULL, 't' },
	{ "bind", required_argument, NULL, 'b' },
	{ "local-port", required_argument, NULL, 'p' },
	{ "mode", required_argument, NULL, 'm' },
	{ "users", required_argument, NULL, 'n' },
	{ "first", required_argument, NULL, OPT_FIRST },
	{ "user-pattern", required_argument, NULL, 'u' },
	{ "password-pattern", required_argument, NULL, 'P' },
	{ "users-file", required_argument, NULL, 'f' },
	{ "domain", required_argument, NULL, 'D' },
	{ "realm", required_argument, NULL, OPT_REALM },
	{ "algorithm", required_argument, NULL, 'a' },
	{ "expires", required_argument, NULL, 'e' },
	{ "threads", required_argument, NULL, 'T' },
	{ "rate", required_argument, NULL, 'r' },
	{ "window", required_argument, NULL, 'w' },
	{ "duration", required_argument, NULL, 'd' },
	{ "refresh-interval", required_argument, NULL, OPT_REFRESH },
	{ "no-retransmit", no_argument, NULL, OPT_NO_RETRANS },
	{ "t1", required_argument, NULL, OPT_T1 },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "drain", required_argument, NULL, OPT_DRAIN },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "show-wrong", required_argument, NULL, OPT_SHOW_WRONG },
	{ "tick", required_argument, NULL, OPT_TICK },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "transport", required_argument, NULL, OPT_TRANSPORT },
	{ "connections", required_argument, NULL, OPT_CONNECTIONS },
	{ "ca", required_argument, NULL, OPT_CA },
	{ "backoff", required_argument, NULL, OPT_BACKOFF },
	{ "backoff-max", required_argument, NULL, OPT_BACKOFF_MAX },
	{ "retry-after-max", required_argument, NULL, OPT_RETRY_AFTER_MAX },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

#define MS	1000000ull
#define SEC	1000000000ull

static void parse_one(int ch, struct lg_conf *c, struct opts *o, double *timeout_ms)
{
	switch (ch) {
	case 't': o->target = optarg; break;
	case 'b': o->bind = optarg; break;
	case 'p': c->local_port = whole("--local-port", optarg, 1, 65535); break;
	case 'm': o->mode = optarg; break;
	case 'n': o->users = whole("--users", optarg, 1, MAX_USERS); break;
	case OPT_FIRST: o->first = whole("--first", optarg, 0, 4e9); break;
	case 'u': o->user_pat = optarg; break;
	case 'P': o->pass_pat = optarg; break;
	case 'f': o->users_file = optarg; break;
	case 'D': o->domain = optarg; break;
	case OPT_REALM: o->realm = optarg; break;
	case 'a': o->alg = optarg; break;
	case 'e': c->expires = whole("--expires", optarg, 1, 4e9); break;
	case 'T': c->threads = whole("--threads", optarg, 1, MAX_THREADS); break;
	case 'r': c->rate = num("--rate", optarg, 1, 1e8); break;
	case 'w': c->window = whole("--window", optarg, 1, 1e6); break;
	case 'd':
		c->duration_ns = num("--duration", optarg, 0.1, MAX_SECONDS) * SEC;
		o->duration_set = true;
		break;
	case OPT_REFRESH: c->refresh_ns = num("--refresh-interval", optarg, 0, 86400) * SEC; break;
	case OPT_NO_RETRANS: c->retransmit = false; break;
	case OPT_T1: c->timing.t1_ns = num("--t1", optarg, 1, 60000) * MS; break;
	case OPT_BACKOFF:
		c->timing.backoff_base_ns = num("--backoff", optarg, 0.001, 3600) * SEC;
		break;
	case OPT_BACKOFF_MAX:
		c->timing.backoff_max_ns = num("--backoff-max", optarg, 0.001, 3600) * SEC;
		break;
	case OPT_RETRY_AFTER_MAX:
		c->timing.retry_after_max_ns =
			num("--retry-after-max", optarg, 0, MAX_SECONDS) * SEC;
		break;
	case OPT_TIMEOUT: *timeout_ms = num("--timeout", optarg, 1, 600000); break;
	case OPT_DRAIN: c->drain_ns = num("--drain", optarg, 0, 60000) * MS; break;
	case OPT_WARMUP: c->warmup_ns = num("--warmup", optarg, 1, MAX_SECONDS) * SEC; break;
	case OPT_ONCE: c->once = true; break;
	case OPT_TRANSPORT: o->transport = optarg; break;
	case OPT_CONNECTIONS: c->connections = whole("--connections", optarg, 1, 10000); break;
	case OPT_CA: c->ca = optarg; break;
	case OPT_TICK: c->tick_ns = num("--tick", optarg, 0, 100000) * 1000; break;
	case OPT_SHOW_WRONG: c->show_wrong = whole("--show-wrong", optarg, 0, 1000); break;
	case 'j': o->json = true; break;
	case 'h': usage(stdout); exit(0);
	default: usage(stderr); exit(EXIT_USAGE);
	}
}

static void parse_mode(struct lg_conf *c, const struct opts *o)
{
	if (!strcmp(o->mode, "register"))
		c->mode = LG_MODE_REGISTER;
	else if (!strcmp(o->mode, "challenge"))
		c->mode = LG_MODE_CHALLENGE;
	else if (!strcmp(o->mode, "refresh"))
		c->mode = LG_MODE_REFRESH;
	else if (!strcmp(o->mode, "echo"))
		c->mode = LG_MODE_ECHO;
	else if (!strcmp(o->mode, "storm"))
		c->mode = LG_MODE_STORM;
	else
		die_usage("--mode %s: want register, challenge, refresh, echo or storm",
			  o->mode, "");
	if (!strcasecmp(o->transport, "udp"))
		c->transport = LG_UDP;
	else if (!strcasecmp(o->transport, "tcp"))
		c->transport = LG_TCP;
	else if (!strcasecmp(o->transport, "tls"))
		c->transport = LG_TLS;
	else
		die_usage("--transport %s: want udp, tcp or tls", o->transport, "");
	if (c->transport != LG_UDP && c->local_port)
		die_usage("--local-port: UDP only%s%s", "", "");
	if (c->ca && c->transport != LG_TLS)
		die_usage("--ca %s: only with --transport tls%s", c->ca, "");
	if (c->transport != LG_UDP && c->mode == LG_MODE_ECHO)
		die_usage("--mode echo: UDP only%s%s", "", "");
	/* RFC 3261 17.1.2.2: no retransmission over a reliable transport */
	if (c->transport != LG_UDP)
		c->retransmit = false;
	if (!strcasecmp(o->alg, "md5"))
		c->alg = SIPREG_ALG_MD5;
	else if (!strcasecmp(o->alg, "sha256") || !strcasecmp(o->alg, "sha-256"))
		c->alg = SIPREG_ALG_SHA256;
	else
		die_usage("--algorithm %s: want md5 or sha256", o->alg, "");
}

/*
 * A storm is every phone at once (no window unless -w), each registering
 * once; it ends when all hold a binding, so the time limit is generous.
 */
static void storm_defaults(struct lg_conf *c, const struct opts *o)
{
	c->once = true;
	if (!o->duration_set)
		c->duration_ns = 300 * SEC;
	if (c->timing.backoff_base_ns > c->timing.backoff_max_ns)
		die_usage("--backoff: longer than --backoff-max%s%s", "", "");
}

static void parse_args(int argc, char **argv, struct lg_conf *c, struct opts *o,
		       char *host, size_t hostlen)
{
	double timeout_ms = 0;
	const char *bad;
	int ch;

	while ((ch = getopt_long(argc, argv, "t:b:p:m:n:u:P:f:D:a:e:T:r:w:d:jh",
				 longopts, NULL)) != -1)
		parse_one(ch, c, o, &timeout_ms);
	if (optind < argc)
		die_usage("unexpected argument %s (see --help)", argv[optind], "");
	if (!o->target)
		die_usage("--target HOST:PORT is required%s", "", "");
	parse_target(c, o->target, host, hostlen);
	if (o->bind)
		parse_bind(c, o->bind);
	if (c->bind.ss_family && c->bind.ss_family != c->target.ss_family)
		die_usage("--bind %s: not the address family of --target %s", o->bind, o->target);
	parse_mode(c, o);
	if (c->once && c->mode != LG_MODE_REGISTER)
		die_usage("--once: only with --mode register%s%s", "", "");
	if ((bad = lg_pattern_check(o->user_pat)))
		die_usage("--user-pattern: %s", bad, "");
	if ((bad = lg_pattern_check(o->pass_pat)))
		die_usage("--password-pattern: %s", bad, "");
	if (c->mode == LG_MODE_STORM)
		storm_defaults(c, o);
	else if (!c->rate && !c->window)
		c->window = 32;
	c->timing.t2_ns = 8 * c->timing.t1_ns;
	c->timing.timeout_ns = timeout_ms ? timeout_ms * MS :
			       c->retransmit || c->transport != LG_UDP ?
			       64 * c->timing.t1_ns : 2000 * MS;
	c->domain = o->domain ? (struct lg_str){ o->domain, strlen(o->domain) } :
				(struct lg_str){ host, strlen(host) };
	if (o->realm)
		c->want_realm = (struct lg_str){ o->realm, strlen(o->realm) };
	if (c->domain.len > LG_REALM_MAX || c->want_realm.len > LG_REALM_MAX)
		die_usage("--domain/--realm: at most %s bytes%s", "128", "");
}

static int load_users(struct lg_users *u, const struct opts *o)
{
	char err[256];
	int rc;

	if (o->users_file)
		rc = lg_users_csv(u, o->users_file, 0, err, sizeof(err));
	else
		rc = lg_users_pattern(u, o->user_pat, o->pass_pat, o->first,
				      o->users, err, sizeof(err));
	if (rc)
		fprintf(stderr, "sipreg-load: %s\n", err);
	return rc;
}

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop_flag, true);
}

static u32 run_id(void)
{
	u32 r;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (u32)time(NULL) ^ (u32)getpid() << 16;
	return r;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int setup_workers(struct lg_worker *w, const struct lg_conf *c,
			 unsigned int *ready)
{
	u32 n = c->users->n;
	char err[256];
	unsigned int i;

	for (i = 0; i < c->threads; i++) {
		u32 first = (u64)n * i / c->threads;
		u32 last = (u64)n * (i + 1) / c->threads;

		*ready = i + 1;
		if (lg_worker_setup(&w[i], c, i, first, last - first, err,
				    sizeof(err))) {
			fprintf(stderr, "sipreg-load: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static int start_workers(struct lg_worker *w, const struct lg_conf *c)
{
	unsigned int i;
	int rc;

	for (i = 0; i < c->threads; i++) {
		rc = pthread_create(&w[i].tid, NULL, lg_worker_run, &w[i]);
		if (rc) {
			/* The barrier would never open: nothing to do but leave. */
			fprintf(stderr, "sipreg-load: pthread_create: %s\n", strerror(rc));
			exit(EXIT_RUNTIME);
		}
	}
	for (i = 0; i < c->threads; i++)
		pthread_join(w[i].tid, NULL);
	return 0;
}

static void summarize(struct lg_worker *w, const struct lg_conf *c,
		      struct lg_stats *s, struct lg_run_info *ri)
{
	double secs = 0;
	unsigned int i;
	u32 j;

	for (i = 0; i < c->threads; i++) {
		lg_stats_merge(s, w[i].stats);
		secs += (w[i].t_end - w[i].t_start) / 1e9;
		ri->cpu_requests += w[i].requests;
		ri->warmup_failed += w[i].warmup_failed;
		for (j = 0; j < w[i].n; j++)
			ri->users_ok += w[i].ua[j].got_200;
	}
	ri->seconds = secs / c->threads;
	ri->cpu_seconds = cpu_seconds();
}

int main(int argc, char **argv)
{
	struct opts o = { .mode = "register", .user_pat = "user%06d",
			  .pass_pat = "pw%06d", .alg = "md5", .users = 1000,
			  .first = 1, .transport = "udp" };
	struct lg_conf c = { .expires = 3600, .threads = 1,
			     .duration_ns = 10 * SEC, .drain_ns = 1000 * MS,
			     .warmup_ns = 60 * SEC, .retransmit = true,
			     .timing = { .t1_ns = 500 * MS,
					 .backoff_base_ns = 2 * SEC,
					 .backoff_max_ns = 32 * SEC,
					 .retry_after_max_ns = 300 * SEC },
			     .stop = &stop_flag,
			     .connections = 100 };
	static struct lg_stats total;
	struct lg_run_info ri = { 0 };
	pthread_barrier_t barrier;
	struct lg_worker *w;
	struct lg_users users;
	unsigned int ready = 0, i;
	char host[256];
	int rc = 0;

	parse_args(argc, argv, &c, &o, host, sizeof(host));
	if (load_users(&users, &o))
		return o.users_file ? EXIT_USAGE : EXIT_RUNTIME;
	if (c.threads > users.n)
		c.threads = users.n;
	c.users = &users;
	c.run = run_id();
	c.barrier = &barrier;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	w = calloc(c.threads, sizeof(*w));
	if (!w || pthread_barrier_init(&barrier, NULL, c.threads)) {
		fprintf(stderr, "sipreg-load: out of memory\n");
		return EXIT_RUNTIME;
	}
	if (setup_workers(w, &c, &ready) || start_workers(w, &c)) {
		rc = EXIT_RUNTIME;
	} else {
		ri = (struct lg_run_info){ .mode = o.mode, .target = o.target,
			.threads = c.threads, .users = users.n, .rate = c.rate,
			.window = c.window, .storm = c.mode == LG_MODE_STORM };
		summarize(w, &c, &total, &ri);
		if (o.json)
			lg_report_json(stdout, &total, &ri);
		else
			lg_report_text(stdout, &total, &ri);
		rc = lg_stats_wrong(&total) ? EXIT_WRONG : 0;
		if (!rc && ri.storm && ri.users_ok < ri.users)
			rc = EXIT_UNREGISTERED;
	}
	for (i = 0; i < ready; i++)
		lg_worker_free(&w[i]);
	free(w);
	pthread_barrier_destroy(&barrier);
	lg_users_free(&users);
	return rc;
}
