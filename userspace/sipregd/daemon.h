/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside sipregd: the running daemon and the files that share it.
 * main.c picks what to run; args.c reads the command line and the
 * configuration; daemon.c opens everything, runs the poll() loop and
 * closes; sockets.c owns the UDP listen sockets (datagrams in, answers
 * out); group.c hands the requests ready together (a drained socket, a
 * turn of misses) to the registrar as one group, one store commit;
 * keepalive.c answers STUN keepalives on them; transport_tcp.c the TCP and TLS listeners and connections; miss.c answers the REGISTERs the kernel hands over from the right
 * socket; signals.c reads the signalfd; reload.c applies a new
 * configuration (SIGHUP); workers.c forks and supervises the workers
 * ("workers = N").
 */
#ifndef SIPREGD_DAEMON_H
#define SIPREGD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "cli.h"		/* EXIT_USAGE, EXIT_RUNTIME */
#include "config.h"
#include "keepalive.h"
#include "ksync/kernel.h"
#include "registrar/registrar.h"
#include "transport_tcp.h"

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
	struct streams *streams;	/* TCP and TLS (transport_tcp.c) */
	struct metrics *metrics;	/* NULL: metrics_listen off */
	int sigfd;
	uint8_t *out;			/* responses, REGISTRAR_RESP_MAX */
	struct group *group;		/* UDP requests and misses ready */
	int stats_err;			/* last stats file error, logged once */
	struct udp_stats udp;
	/* worker 0 (the supervisor): the other workers, -1 once reaped */
	pid_t pids[CONFIG_WORKERS_MAX];
	unsigned int n_pids;
	bool worker_died;		/* one ended before the supervisor */
};

/* ---- args.c ---- */

void args_help(FILE *f);
/*
 * Options before the command: -c FILE and --key=value into @d. The index
 * of the command word (argc if none), or -1 when help was asked for and
 * printed.
 */
int args_parse(struct daemon *d, int argc, char **argv);
/* Defaults, then the file, then the flags; 0, or -1 after printing why. */
int args_load_config(const struct daemon *d, struct daemon_config *c);

/* ---- daemon.c ---- */

/* Serves until SIGTERM/SIGINT; the exit status. */
int daemon_run(struct daemon *d);
/* One log line with the registrar's and kernel sync's counters. */
void daemon_log_stats(const struct daemon *d);
/* The counters into cfg.stats_file (statsfile.h), if one is set. */
void daemon_write_stats(struct daemon *d);

/* ---- sockets.c ---- */

/* Room for the largest UDP payload: the parser then says "too large". */
#define DGRAM_MAX	65536

/* A datagram's addresses: where from, and the local address it came to. */
struct dgram {
	struct sockaddr_storage src, local;
	socklen_t srclen;
	int ifindex;
	size_t len;
};

/* "ADDR:PORT" or "[ADDR6]:PORT" into @ss; 0 or -1. */
int sockets_parse_listen(const char *s, struct sockaddr_storage *ss,
			 socklen_t *len);
/* Every "listen" address of the configuration; 0, or -1 after printing. */
int sockets_open(struct daemon *d);
void sockets_close(struct daemon *d);
/* The datagrams queued on @fd, a bounded batch, through the registrar. */
void sockets_serve(struct daemon *d, int fd);
/* Answers from the address the request was sent to. */
void sockets_reply(int fd, const struct dgram *g, const uint8_t *resp,
		   size_t n);

/* ---- group.c: the requests answered as one group ---- */

struct group_slot {
	struct dgram g;
	int fd;				/* to answer from; -1: none */
	uint8_t *in;			/* DGRAM_MAX */
	uint8_t *out;			/* REGISTRAR_RESP_MAX */
};

struct group {
	struct group_slot slot[REGISTRAR_BATCH_MAX];
	struct registrar_batch_item item[REGISTRAR_BATCH_MAX];
	unsigned int n;
};

struct group *group_new(void);
void group_free(struct group *gr);
/* The slot to fill next, NULL when the group is full (flush it first). */
struct group_slot *group_next(struct group *gr);
/* The slot group_next() gave, filled (g, fd, in), joins the group. */
void group_add(struct group *gr);
/* The registrar answers the group (one commit); then the answers leave. */
void group_flush(struct daemon *d);

/* ---- keepalive.c ---- */

/*
 * A STUN Binding request answered on @fd, other STUN or a CRLF keepalive
 * dropped: true when @in (g->len bytes) was one of them, counted in d->udp.
 */
bool keepalive_handle(struct daemon *d, int fd, const struct dgram *g,
		      const uint8_t *in);

/* ---- miss.c ---- */

/*
 * struct kernel_hooks' miss: the registrar answers, from the listen
 * socket the datagram would have reached. False when there is none.
 */
bool miss_handle(void *arg, const struct kmiss *m);
/* struct kernel_hooks' miss_done: the misses of this turn are answered. */
void miss_done(void *arg);

/* ---- signals.c ---- */

/*
 * SIGTERM, SIGINT, SIGHUP, SIGUSR1 and SIGCHLD blocked (into @set), so
 * that they wait for a signalfd.
 */
int signals_block(sigset_t *set);
/* The same, read from a signalfd. */
int signals_open(void);
/* After POLLIN on d->sigfd: 1 to go on, 0 to stop. */
int signals_handle(struct daemon *d);

/* ---- reload.c ---- */

/* SIGHUP: reads the configuration again and applies what can change live. */
void reload(struct daemon *d);

/* ---- workers.c ---- */

/*
 * With workers > 1: prepares the store and forks workers 1..N-1, which
 * return from here with cfg.worker set; worker 0 returns with their pids.
 * 0, or -1 after logging why (workers already forked are in d->pids).
 */
int workers_start(struct daemon *d);
/* Worker 0: @sig to every worker still running. */
void workers_signal(const struct daemon *d, int sig);
/* After SIGCHLD: reaps; false when a worker ended (logged). */
bool workers_reap(struct daemon *d);
/*
 * Worker 0 at the end: SIGTERM to the workers, waits for them (kills
 * after a few seconds); @rc, or EXIT_RUNTIME if one did not end well.
 */
int workers_stop(struct daemon *d, int rc);

#endif /* SIPREGD_DAEMON_H */
