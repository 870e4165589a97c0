// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon: the store, the registrar, the listen sockets and kernel
 * sync opened in that order, one poll() loop over the sockets, the
 * signalfd and kernel sync's sockets with a once-a-second tick, and the
 * same closed in reverse. Runs in the foreground (systemd supervises it):
 * no fork, no pid file, logs on stderr.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "daemon.h"
#include "metrics.h"
#include "statsfile.h"

/* ---- registrar hooks: what kernel sync must install ---- */

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

static void stream_log_stats(const struct streams *st)
{
	const struct stream_stats *s = streams_stats(st);

	log_msg(LOG_INFO, "streams: open %u accepted %llu refused (total cap) "
		"%llu refused (per source) %llu idle closed %llu too large "
		"%llu (513 %llu) bad framing %llu slow readers %llu tls failed %llu "
		"messages %llu pings %llu pongs %llu", streams_count(st),
		(unsigned long long)s->accepted,
		(unsigned long long)s->refused_total,
		(unsigned long long)s->refused_source,
		(unsigned long long)s->closed_idle,
		(unsigned long long)s->closed_too_large,
		(unsigned long long)s->answered_too_large,
		(unsigned long long)s->closed_bad,
		(unsigned long long)s->closed_slow_reader,
		(unsigned long long)s->tls_failed,
		(unsigned long long)s->messages,
		(unsigned long long)s->pings,
		(unsigned long long)s->pongs);
}

void daemon_log_stats(const struct daemon *d)
{
	const struct registrar_stats *s = registrar_stats(d->reg);

	log_msg(LOG_INFO, "stats: requests %llu registers %llu "
		"retransmissions %llu challenges %llu 2xx %llu 4xx %llu "
		"5xx %llu dropped %llu responses ignored %llu store busy %llu "
		"401 rate limited %llu retransmitted commits %llu outbound %llu "
		"439 %llu flows closed %llu unknown domains %llu "
		"stun answered %llu stun ignored %llu keepalives %llu",
		(unsigned long long)s->requests,
		(unsigned long long)s->registers,
		(unsigned long long)s->retransmissions,
		(unsigned long long)s->challenges,
		(unsigned long long)s->status[2],
		(unsigned long long)s->status[4],
		(unsigned long long)s->status[5],
		(unsigned long long)s->dropped,
		(unsigned long long)s->responses_ignored,
		(unsigned long long)s->store_busy,
		(unsigned long long)s->rate_limited,
		(unsigned long long)s->retransmitted_commits,
		(unsigned long long)s->outbound_registrations,
		(unsigned long long)s->outbound_first_hop_439,
		(unsigned long long)s->flows_closed,
		(unsigned long long)s->unknown_domains,
		(unsigned long long)d->udp.stun_answered,
		(unsigned long long)d->udp.stun_ignored,
		(unsigned long long)d->udp.keepalives);
	if (d->kern)
		kernel_log_stats(d->kern);
	if (d->streams)
		stream_log_stats(d->streams);
}

static size_t stats_text(const struct daemon *d, char *buf, size_t size)
{
	return statsfile_format(buf, size, getpid(), time(NULL),
				registrar_stats(d->reg),
				d->streams ? streams_stats(d->streams) : NULL,
				d->streams ? streams_count(d->streams) : 0,
				&d->udp);
}

void daemon_write_stats(struct daemon *d)
{
	char buf[4096];
	size_t n;
	int err;

	/* worker 0's counters: the others log theirs (SIGUSR1, the end) */
	if (!d->cfg.stats_file[0] || !d->reg || d->cfg.worker)
		return;
	n = stats_text(d, buf, sizeof(buf));
	err = n ? statsfile_write(d->cfg.stats_file, buf, n) : -ENOSPC;
	/* once per kind of failure, and once when it works again */
	if (err && err != d->stats_err)
		log_msg(LOG_WARN, "stats_file not written (%s) to %s",
			strerror(-err), d->cfg.stats_file);
	else if (!err && d->stats_err)
		log_msg(LOG_INFO, "stats_file written again to %s",
			d->cfg.stats_file);
	d->stats_err = err;
}

/* Our network namespace's inode: the module's counters are per netns. */
static uint64_t netns_inode(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (uint64_t)st.st_ino;
}

/* A scrape: the counters as they are now, the module's asked for. */
static size_t render_metrics(void *arg, char *buf, size_t size)
{
	struct daemon *d = arg;
	struct metrics_input in = { .netns = netns_inode() };
	struct kcounters kc;
	char text[4096];

	if (!stats_text(d, text, sizeof(text)))
		return 0;
	in.daemon = text;
	in.ksync = kernel_sync_stats(d->kern);
	in.module = kernel_counters(d->kern, &kc) ? NULL : &kc;
	return metrics_format(buf, size, &in);
}

/* A connection closed: RFC 5626, its outbound bindings go with it. */
static void on_flow_closed(void *arg, uint64_t flow)
{
	struct daemon *d = arg;

	registrar_flow_closed(d->reg, flow);
}

static int daemon_open(struct daemon *d)
{
	const struct registrar_hooks hooks = {
		.aor_changed = on_aor_changed,
		.keys_changed = on_keys_changed,
		.users_changed = on_users_changed,
		.arg = d,
	};
	const struct kernel_hooks khooks = {
		.miss = miss_handle, .miss_done = miss_done, .arg = d,
	};
	struct stream_config sc;
	struct registrar_time now;
	char err[512];

	d->sigfd = signals_open();
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
		fprintf(stderr, "sipregd: out of memory or store %s not "
			"writable\n", d->cfg.db);
		return -1;
	}
	registrar_set_primary(d->reg, !d->cfg.worker);
	/*
	 * From here on the poll() loop must not wait for another process's
	 * lock: a few ms, then 503 (the start above may wait for it).
	 */
	store_set_busy_timeout(d->st, d->cfg.db_busy_timeout);
	if (sockets_open(d))
		return -1;
	/* TCP and TLS: worker 0 alone (a flow lives in one process) */
	sc = d->cfg.stream;
	if (d->cfg.worker)
		sc.n_tcp = sc.n_tls = 0;
	d->streams = streams_open(&sc);
	if (!d->streams)
		return -1;
	streams_on_close(d->streams, on_flow_closed, d);
	d->out = malloc(REGISTRAR_RESP_MAX);
	d->group = group_new();
	/* after the sockets: a miss may be answered during the first push */
	d->kern = d->out && d->group ?
		  kernel_new(&d->cfg, d->st, d->reg, &khooks) : NULL;
	if (!d->kern) {
		fprintf(stderr, "sipregd: out of memory\n");
		return -1;
	}
	/* worker 0's: the others' counters are in their logs */
	if (d->cfg.metrics_listen[0] && !d->cfg.worker) {
		d->metrics = metrics_open(d->cfg.metrics_listen,
					  render_metrics, d, err, sizeof(err));
		if (!d->metrics) {
			fprintf(stderr, "sipregd: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static void daemon_close(struct daemon *d)
{
	if (d->reg) {
		daemon_log_stats(d);
		daemon_write_stats(d);
	}
	metrics_close(d->metrics);
	d->metrics = NULL;
	/* first: closing the miss socket gives the channel back */
	kernel_free(d->kern);
	d->kern = NULL;
	streams_close(d->streams);
	d->streams = NULL;
	sockets_close(d);
	free(d->out);
	group_free(d->group);
	d->group = NULL;
	registrar_free(d->reg);
	store_close(d->st);
	if (d->sigfd >= 0)
		close(d->sigfd);
}

/*
 * Until SIGTERM/SIGINT (0). A poll() that fails for any reason but a
 * signal, or no memory for the receive buffer, is -1: the exit status
 * must then say so, or systemd's Restart=on-failure never restarts us.
 */
static int run(struct daemon *d)
{
	struct pollfd *pfd = calloc(CONFIG_LISTEN_MAX + 1 + KERNEL_POLL_MAX +
				    METRICS_POLL_MAX +
				    streams_max_pollfds(d->streams),
				    sizeof(*pfd));
	struct registrar_time now;
	unsigned int i, nk, ns, nm, n = d->n_fds + 1;
	int64_t last = 0;
	int go = 1, rc = 0, timeout;

	if (!pfd) {
		log_msg(LOG_ERR, "out of memory for the poll set");
		return -1;
	}
	log_msg(LOG_INFO, "serving realm %s on %u UDP sockets, %u TCP and "
		"%u TLS listeners, database %s", d->cfg.reg.realm, d->n_fds,
		d->cfg.stream.n_tcp, d->cfg.stream.n_tls, store_name(d->st));
	for (i = 0; i < d->cfg.reg.n_domains; i++)
		log_msg(LOG_INFO, "domain %s (realm %s): other Request-URI "
			"domains get 404", d->cfg.reg.domains[i].name,
			d->cfg.reg.domains[i].realm);
	daemon_write_stats(d);
	while (go) {
		for (i = 0; i < d->n_fds; i++)
			pfd[i] = (struct pollfd){ d->fds[i], POLLIN, 0 };
		pfd[d->n_fds] = (struct pollfd){ d->sigfd, POLLIN, 0 };
		nk = kernel_pollfds(d->kern, pfd + n);
		timeout = 1000;
		ns = streams_pollfds(d->streams, pfd + n + nk, &timeout);
		nm = metrics_pollfds(d->metrics, pfd + n + nk + ns);
		if (poll(pfd, n + nk + ns + nm, timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_ERR, "poll: %s: exiting", strerror(errno));
			rc = -1;
			break;
		}
		kernel_handle(d->kern, pfd + n, nk);
		for (i = 0; i < d->n_fds; i++)
			if (pfd[i].revents & POLLIN)
				sockets_serve(d, d->fds[i]);
		streams_handle(d->streams, d->reg, pfd + n + nk, ns, d->out);
		metrics_handle(d->metrics, pfd + n + nk + ns, nm);
		if (pfd[d->n_fds].revents & POLLIN)
			go = signals_handle(d);
		registrar_now(&now);
		if (now.wall != last) {
			last = now.wall;
			registrar_tick(d->reg, &now);
			kernel_tick(d->kern);
			streams_tick(d->streams);
			metrics_tick(d->metrics);
			if (now.wall % STATSFILE_INTERVAL == 0)
				daemon_write_stats(d);
		}
	}
	free(pfd);
	return d->worker_died ? -1 : rc;
}

int daemon_run(struct daemon *d)
{
	int rc = EXIT_RUNTIME;

	log_level = d->cfg.log_level;
	if (workers_start(d))
		return workers_stop(d, EXIT_RUNTIME);
	if (!daemon_open(d))
		rc = run(d) ? EXIT_RUNTIME : 0;
	daemon_close(d);
	return workers_stop(d, rc);
}
