// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd: command line, then either an operator command (sipregd_cli.c)
 * or the daemon: UDP sockets, signals, a once-a-second tick, all in one
 * poll() loop. Runs in the foreground (systemd supervises it): no fork,
 * no pid file, logs on stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon_config.h"
#include "hash.h"
#include "kernel.h"
#include "registrar.h"
#include "sipregd_cli.h"

struct daemon {
	struct daemon_config cfg;
	const char *cfg_file;		/* NULL: defaults and flags only */
	int argc;			/* the --key=value flags, re-applied */
	char **argv;			/* on SIGHUP over the reloaded file */
	struct store *st;
	struct registrar *reg;
	struct kernel *kern;		/* NULL until the registrar exists */
	int fds[CONFIG_LISTEN_MAX];
	struct sockaddr_storage bound[CONFIG_LISTEN_MAX];
	unsigned int n_fds;
	int sigfd;
	uint8_t *out;			/* responses, REGISTRAR_RESP_MAX */
};

static void help(FILE *f)
{
	fprintf(f,
		"usage: sipregd [-c FILE] [--key=value...] [--foreground]\n"
		"       sipregd [-c FILE] [--key=value...] user add USER [realm R] [ha1 HEX] [ha1-sha256 HEX]\n"
		"       sipregd [-c FILE] [--key=value...] user del USER [realm R]\n"
		"       sipregd [-c FILE] [--key=value...] user list [-j]\n"
		"       sipregd [-c FILE] [--key=value...] user import FILE [realm R]\n"
		"       sipregd [-c FILE] [--key=value...] binding list [AOR] [-j]\n"
		"keys: realm listen db db_sync min_expires default_expires max_expires\n"
		"      max_contacts nonce_lifetime algorithms expiry_jitter log_level retrans_cache\n"
		"      kernel\n");
}

/* --key=value flags, in order, over whatever is in @c. */
static int apply_flags(struct daemon_config *c, int argc, char **argv)
{
	char key[64], where[80];
	const char *eq;
	int i;

	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) || !strcmp(argv[i], "--foreground"))
			continue;
		eq = strchr(argv[i], '=');
		if (!eq || eq - argv[i] - 2 >= (int)sizeof(key)) {
			fprintf(stderr, "sipregd: %s: want --key=value\n",
				argv[i]);
			return -1;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i] - 2),
			 argv[i] + 2);
		snprintf(where, sizeof(where), "flag --%s", key);
		if (config_set(c, key, eq + 1, where))
			return -1;
	}
	return 0;
}

static int load_config(struct daemon *d, struct daemon_config *c)
{
	config_defaults(c);
	if (d->cfg_file && config_load_file(c, d->cfg_file))
		return -1;
	if (apply_flags(c, d->argc, d->argv) || config_check(c))
		return -1;
	return 0;
}

/* ---- sockets ---------------------------------------------------------------- */

static int parse_listen(const char *s, struct sockaddr_storage *ss,
			socklen_t *len)
{
	struct sockaddr_in6 *s6 = (void *)ss;
	struct sockaddr_in *s4 = (void *)ss;
	char host[CONFIG_ADDR_MAX];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon)
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return -1;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = 0;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*len = sizeof(*s4);
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : -1;
}

/*
 * Nonblocking, with the destination address of each datagram (PKTINFO)
 * so that a wildcard socket answers from the address it was asked on.
 */
static int open_socket(const char *spec, struct sockaddr_storage *bound)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, rcvbuf = 4 << 20;

	if (parse_listen(spec, &ss, &len)) {
		fprintf(stderr, "sipregd: listen %s: want ADDR:PORT or "
			"[ADDR6]:PORT\n", spec);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (ss.ss_family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			   sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&ss, len))
		goto fail;
	*bound = ss;
	return fd;
fail:
	fprintf(stderr, "sipregd: listen %s: %s\n", spec, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* ---- datagrams -------------------------------------------------------------- */

/* Room for the largest UDP payload: the parser then says "too large". */
#define DGRAM_MAX	65536
/* Datagrams per socket per wakeup, so signals and ticks are not starved. */
#define BATCH		256

struct dgram {
	struct sockaddr_storage src, local;
	socklen_t srclen;
	int ifindex;
	size_t len;
};

static void local_from_cmsg(struct msghdr *mh, struct dgram *g)
{
	struct cmsghdr *cm;

	memset(&g->local, 0, sizeof(g->local));
	g->ifindex = 0;
	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			struct sockaddr_in *l = (void *)&g->local;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			l->sin_family = AF_INET;
			l->sin_addr = pi.ipi_addr;
			g->ifindex = pi.ipi_ifindex;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
			   cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			struct sockaddr_in6 *l = (void *)&g->local;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			l->sin6_family = AF_INET6;
			l->sin6_addr = pi.ipi6_addr;
			g->ifindex = pi.ipi6_ifindex;
		}
	}
}

static bool recv_one(int fd, uint8_t *buf, struct dgram *g)
{
	char ctl[256];
	struct iovec iov = { buf, DGRAM_MAX };
	struct msghdr mh = {
		.msg_name = &g->src, .msg_namelen = sizeof(g->src),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	ssize_t n = recvmsg(fd, &mh, 0);

	if (n < 0)
		return false;
	g->len = (size_t)n;
	g->srclen = mh.msg_namelen;
	local_from_cmsg(&mh, g);
	return true;
}

/* Answers from the address the request was sent to. */
static void send_reply(int fd, const struct dgram *g, const uint8_t *resp,
		       size_t n)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { (void *)resp, n };
	struct msghdr mh = {
		.msg_name = (void *)&g->src, .msg_namelen = g->srclen,
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct cmsghdr *cm;

	memset(&ctl, 0, sizeof(ctl));
	if (g->local.ss_family == AF_INET) {
		struct in_pktinfo pi = {
			.ipi_spec_dst = ((const struct sockaddr_in *)&g->local)->sin_addr,
		};

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else if (g->local.ss_family == AF_INET6) {
		struct in6_pktinfo pi = {
			.ipi6_addr = ((const struct sockaddr_in6 *)&g->local)->sin6_addr,
			.ipi6_ifindex = (unsigned int)g->ifindex,
		};

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	if (sendmsg(fd, &mh, MSG_DONTWAIT) < 0)
		log_msg(LOG_DEBUG, "sendmsg: %s", strerror(errno));
}

static void serve(struct daemon *d, int fd, uint8_t *in, uint8_t *out)
{
	struct registrar_time now;
	struct registrar_pkt pkt;
	struct dgram g;
	size_t n;
	int i;

	for (i = 0; i < BATCH && recv_one(fd, in, &g); i++) {
		registrar_now(&now);
		pkt.data = in;
		pkt.len = g.len;
		pkt.src = (const struct sockaddr *)&g.src;
		pkt.local = (const struct sockaddr *)&g.local;
		n = registrar_handle(d->reg, &pkt, &now, out,
				     REGISTRAR_RESP_MAX);
		if (n)
			send_reply(fd, &g, out, n);
	}
}

/* ---- misses: REGISTERs the kernel hands over --------------------------------- */

static bool addr_any(const struct sockaddr_storage *ss)
{
	static const struct in6_addr any6;

	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return !memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, &any6,
		       sizeof(any6));
}

static bool addr_is(const struct sockaddr_storage *ss, const uint8_t *a)
{
	if (ss->ss_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)ss)->sin_addr, a, 4);
	return !memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, a, 16);
}

static uint16_t bound_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/*
 * The listen socket the datagram would have reached: same family and
 * port, bound to its destination or to the wildcard. The answer leaves
 * from it, with PKTINFO naming the destination as the source.
 */
static int reply_fd(const struct daemon *d, const struct kmiss *m)
{
	int any = -1;
	unsigned int i;

	for (i = 0; i < d->n_fds; i++) {
		if (d->bound[i].ss_family != m->family ||
		    bound_port(&d->bound[i]) != m->dport)
			continue;
		if (addr_is(&d->bound[i], m->daddr))
			return d->fds[i];
		if (addr_any(&d->bound[i]))
			any = d->fds[i];
	}
	return any;
}

static void miss_dgram(const struct kmiss *m, struct dgram *g)
{
	memset(g, 0, sizeof(*g));
	g->len = m->len;
	g->ifindex = (int)m->ifindex;
	if (m->family == AF_INET) {
		struct sockaddr_in *s = (void *)&g->src, *l = (void *)&g->local;

		s->sin_family = l->sin_family = AF_INET;
		memcpy(&s->sin_addr, m->saddr, 4);
		memcpy(&l->sin_addr, m->daddr, 4);
		s->sin_port = htons(m->sport);
		l->sin_port = htons(m->dport);
		g->srclen = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (void *)&g->src, *l = (void *)&g->local;

		s->sin6_family = l->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, m->saddr, 16);
		memcpy(&l->sin6_addr, m->daddr, 16);
		s->sin6_port = htons(m->sport);
		l->sin6_port = htons(m->dport);
		/* a link-local client is reachable through its interface */
		if (IN6_IS_ADDR_LINKLOCAL(&s->sin6_addr))
			s->sin6_scope_id = m->ifindex;
		g->srclen = sizeof(*s);
	}
}

/* The same registrar as for a datagram of the UDP sockets. */
static bool on_miss(void *arg, const struct kmiss *m)
{
	struct daemon *d = arg;
	struct registrar_time now;
	struct registrar_pkt pkt;
	int fd = reply_fd(d, m);
	struct dgram g;
	size_t n;

	miss_dgram(m, &g);
	registrar_now(&now);
	pkt.data = m->data;
	pkt.len = m->len;
	pkt.src = (const struct sockaddr *)&g.src;
	pkt.local = (const struct sockaddr *)&g.local;
	n = registrar_handle(d->reg, &pkt, &now, d->out, REGISTRAR_RESP_MAX);
	if (n && fd >= 0)
		send_reply(fd, &g, d->out, n);
	else if (n)
		log_msg(LOG_DEBUG, "miss to port %u: no listen socket to "
			"answer from", m->dport);
	return fd >= 0;
}

/* ---- hooks: kernel sync -------------------------------------------------------- */

static void on_aor_changed(void *arg, const struct registrar_change *ch)
{
	struct daemon *d = arg;

	log_msg(LOG_DEBUG, "bindings of %s changed", ch->aor);
	if (d->kern)
		kernel_aor_changed(d->kern, ch);
}

static void on_keys_changed(void *arg)
{
	struct daemon *d = arg;

	log_msg(LOG_INFO, "nonce keys rotated");
	if (d->kern)
		kernel_keys_changed(d->kern);
}

static void on_users_changed(void *arg)
{
	struct daemon *d = arg;

	log_msg(LOG_DEBUG, "store changed by another process");
	if (d->kern)
		kernel_users_changed(d->kern);
}

/* ---- signals and reload ------------------------------------------------------ */

static int setup_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

#define CHANGED_U(name) do { \
	if (o->reg.name != n->reg.name) \
		log_msg(LOG_INFO, "reload: " #name " %u -> %u", \
			o->reg.name, n->reg.name); \
} while (0)

static void log_changes(const struct daemon_config *o,
			const struct daemon_config *n)
{
	unsigned int i;
	bool listen = o->n_listen != n->n_listen;

	if (strcmp(o->reg.realm, n->reg.realm))
		log_msg(LOG_INFO, "reload: realm %s -> %s", o->reg.realm,
			n->reg.realm);
	CHANGED_U(min_expires);
	CHANGED_U(default_expires);
	CHANGED_U(max_expires);
	CHANGED_U(max_contacts);
	CHANGED_U(nonce_lifetime);
	CHANGED_U(expiry_jitter);
	if (o->reg.alg_md5 != n->reg.alg_md5 ||
	    o->reg.alg_sha256 != n->reg.alg_sha256)
		log_msg(LOG_INFO, "reload: algorithms now%s%s",
			n->reg.alg_sha256 ? " sha256" : "",
			n->reg.alg_md5 ? " md5" : "");
	if (o->log_level != n->log_level)
		log_msg(LOG_INFO, "reload: log_level %s -> %s",
			log_level_name(o->log_level),
			log_level_name(n->log_level));
	for (i = 0; !listen && i < n->n_listen; i++)
		listen = strcmp(o->listen[i], n->listen[i]);
	if (listen)
		log_msg(LOG_WARN, "reload: listen changed: needs a restart, "
			"still on the old addresses");
	if (strcmp(o->db, n->db) || o->db_sync != n->db_sync)
		log_msg(LOG_WARN, "reload: db/db_sync changed: needs a restart, "
			"still using %s", o->db);
	if (o->retrans_cache != n->retrans_cache)
		log_msg(LOG_WARN, "reload: retrans_cache changed: needs a restart");
	if (o->kernel != n->kernel)
		log_msg(LOG_INFO, "reload: kernel %s -> %s",
			o->kernel ? "auto" : "off", n->kernel ? "auto" : "off");
}

static void reload(struct daemon *d)
{
	struct daemon_config n;
	unsigned int i;

	log_msg(LOG_INFO, "SIGHUP: reloading %s",
		d->cfg_file ? d->cfg_file : "flags (no config file)");
	if (load_config(d, &n)) {
		log_msg(LOG_ERR, "reload failed: keeping the running configuration");
		return;
	}
	log_changes(&d->cfg, &n);
	/* what cannot change live stays as it is */
	n.n_listen = d->cfg.n_listen;
	for (i = 0; i < n.n_listen; i++)
		strcpy(n.listen[i], d->cfg.listen[i]);
	strcpy(n.db, d->cfg.db);
	n.db_sync = d->cfg.db_sync;
	n.retrans_cache = d->cfg.retrans_cache;
	d->cfg = n;
	log_level = n.log_level;
	registrar_set_cfg(d->reg, &n.reg);
	kernel_set_config(d->kern, &n);
}

static void log_stats(const struct daemon *d)
{
	const struct registrar_stats *s = registrar_stats(d->reg);

	log_msg(LOG_INFO, "stats: requests %llu registers %llu "
		"retransmissions %llu challenges %llu 2xx %llu 4xx %llu "
		"5xx %llu dropped %llu responses ignored %llu",
		(unsigned long long)s->requests,
		(unsigned long long)s->registers,
		(unsigned long long)s->retransmissions,
		(unsigned long long)s->challenges,
		(unsigned long long)s->status[2],
		(unsigned long long)s->status[4],
		(unsigned long long)s->status[5],
		(unsigned long long)s->dropped,
		(unsigned long long)s->responses_ignored);
	if (d->kern)
		kernel_log_stats(d->kern);
}

/* 1 to go on, 0 to stop. */
static int on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload(d);
			continue;
		}
		if (si.ssi_signo == SIGUSR1) {
			log_stats(d);
			continue;
		}
		log_msg(LOG_INFO, "signal %u: shutting down", si.ssi_signo);
		return 0;
	}
	return 1;
}

/* ---- the daemon -------------------------------------------------------------- */

static int daemon_open(struct daemon *d)
{
	const struct registrar_hooks hooks = {
		.aor_changed = on_aor_changed,
		.keys_changed = on_keys_changed,
		.users_changed = on_users_changed,
		.arg = d,
	};
	const struct kernel_hooks khooks = { .miss = on_miss, .arg = d };
	struct registrar_time now;
	char err[512];
	unsigned int i;

	d->sigfd = setup_signals();
	if (d->sigfd < 0) {
		perror("sipregd: signalfd");
		return -1;
	}
	d->st = store_open(d->cfg.db, d->cfg.db_sync, err, sizeof(err));
	if (!d->st) {
		fprintf(stderr, "sipregd: database %s\n", err);
		return -1;
	}
	registrar_now(&now);
	d->reg = registrar_new(&d->cfg.reg, d->st, &hooks, &now,
			       d->cfg.retrans_cache);
	if (!d->reg) {
		fprintf(stderr, "sipregd: out of memory\n");
		return -1;
	}
	for (i = 0; i < d->cfg.n_listen; i++) {
		d->fds[i] = open_socket(d->cfg.listen[i], &d->bound[i]);
		if (d->fds[i] < 0)
			return -1;
		d->n_fds++;
	}
	d->out = malloc(REGISTRAR_RESP_MAX);
	/* after the sockets: a miss may be answered during the first push */
	d->kern = d->out ? kernel_new(&d->cfg, d->st, d->reg, &khooks) : NULL;
	if (!d->kern) {
		fprintf(stderr, "sipregd: out of memory\n");
		return -1;
	}
	return 0;
}

static void daemon_close(struct daemon *d)
{
	unsigned int i;

	if (d->reg)
		log_stats(d);
	/* first: closing the miss socket gives the channel back */
	kernel_free(d->kern);
	d->kern = NULL;
	for (i = 0; i < d->n_fds; i++)
		close(d->fds[i]);
	free(d->out);
	registrar_free(d->reg);
	store_close(d->st);
	if (d->sigfd >= 0)
		close(d->sigfd);
}

static int run(struct daemon *d)
{
	struct pollfd pfd[CONFIG_LISTEN_MAX + 1 + KERNEL_POLL_MAX];
	struct registrar_time now;
	uint8_t *in = malloc(DGRAM_MAX), *out = d->out;
	unsigned int i, nk, n = d->n_fds + 1;
	int64_t last = 0;
	int go = 1;

	if (!in)
		go = 0;
	log_msg(LOG_INFO, "serving realm %s on %u sockets, database %s",
		d->cfg.reg.realm, d->n_fds, d->cfg.db);
	while (go) {
		for (i = 0; i < d->n_fds; i++)
			pfd[i] = (struct pollfd){ d->fds[i], POLLIN, 0 };
		pfd[d->n_fds] = (struct pollfd){ d->sigfd, POLLIN, 0 };
		nk = kernel_pollfds(d->kern, pfd + n);
		if (poll(pfd, n + nk, 1000) < 0 && errno != EINTR)
			break;
		kernel_handle(d->kern, pfd + n, nk);
		for (i = 0; i < d->n_fds; i++)
			if (pfd[i].revents & POLLIN)
				serve(d, d->fds[i], in, out);
		if (pfd[d->n_fds].revents & POLLIN)
			go = on_signal(d);
		registrar_now(&now);
		if (now.wall != last) {
			last = now.wall;
			registrar_tick(d->reg, &now);
			kernel_tick(d->kern);
		}
	}
	free(in);
	return 0;
}

static int run_daemon(struct daemon *d)
{
	int rc = EXIT_RUNTIME;

	log_level = d->cfg.log_level;
	if (!daemon_open(d))
		rc = run(d) ? EXIT_RUNTIME : 0;
	daemon_close(d);
	return rc;
}

int main(int argc, char **argv)
{
	struct daemon d = { .sigfd = -1 };
	int i = 1;

	if (sipreg_hash_init()) {
		fprintf(stderr, "sipregd: no MD5/SHA-256 available\n");
		return EXIT_RUNTIME;
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "-c") && i + 1 < argc)
			d.cfg_file = argv[++i];
		else if (strncmp(argv[i], "--", 2) || !argv[i][2])
			break;
	}
	d.argc = i - 1;
	d.argv = argv + 1;
	if (!d.cfg_file && !access(CONFIG_DEFAULT_FILE, R_OK))
		d.cfg_file = CONFIG_DEFAULT_FILE;
	if (load_config(&d, &d.cfg))
		return EXIT_USAGE;
	if (i < argc && !strcmp(argv[i], "user"))
		return cli_user(&d.cfg, argc - i - 1, argv + i + 1);
	if (i < argc && !strcmp(argv[i], "binding"))
		return cli_binding(&d.cfg, argc - i - 1, argv + i + 1);
	if (i < argc && strcmp(argv[i], "run")) {
		help(stderr);
		return EXIT_USAGE;
	}
	return run_daemon(&d);
}
