/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipreg-load: one thread of load. It owns a connected UDP socket (or a
 * pool of TCP/TLS connections, conn.h), a slice of the users, their
 * queues and timers and its own counters, so the hot path takes no lock
 * and shares no cache line with the other threads.
 */
#ifndef LG_WORKER_H
#define LG_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "conn.h"
#include "retry.h"
#include "timer.h"
#include "ua.h"

/* The run's settings, shared read-only by all workers. */
struct lg_conf {
	enum lg_mode mode;
	struct sockaddr_storage target;
	socklen_t target_len;
	struct sockaddr_storage bind;	/* family 0: let routing choose */
	socklen_t bind_len;
	u16 local_port;			/* thread i binds port + i; 0: any */
	enum lg_transport transport;
	unsigned int connections;	/* TCP/TLS: per thread, at most */
	const char *ca;			/* TLS: verify the server against it */
	const struct lg_users *users;
	struct lg_str domain;
	struct lg_str want_realm;
	enum sipreg_alg alg;
	u32 expires;
	unsigned int threads;
	double rate;			/* per second, all threads; 0: none */
	u32 window;			/* per thread; 0: none */
	u64 duration_ns;
	u64 drain_ns;
	u64 warmup_ns;
	u64 refresh_ns;			/* least time between refreshes */
	bool retransmit;
	struct lg_timing timing;	/* T1, T2, Timer F (or the plain
					 * timeout), storm back-off
					 */
	u64 tick_ns;			/* 0: wake for each response */
	bool once;			/* register each user once, then stop */
	u32 run;
	u32 show_wrong;			/* print that many wrong responses */
	atomic_bool *stop;
	pthread_barrier_t *barrier;	/* all warm-ups done, load starts */
};

/* FIFO of UA indices; each UA is in at most one ring at a time. */
struct lg_ring {
	u32 *v;
	u32 cap;
	u32 head;
	u32 tail;
};

#define LG_BATCH	64
#define LG_RECV_MAX	4096

struct lg_worker {
	const struct lg_conf *conf;
	unsigned int id;
	int fd;				/* UDP; -1 over TCP/TLS */
	struct lg_conns conns;		/* TCP/TLS */
	char host[64];			/* our address, as in Via */
	struct lg_uactx ctx;
	struct lg_ua *ua;
	u32 n;
	struct lg_ring urgent;		/* must answer a challenge */
	struct lg_ring fresh;		/* next: a REGISTER without credentials */
	struct lg_ring refresh;		/* registered, due for a refresh */
	struct lg_wheel wheel;
	struct lg_stats *stats;
	u32 outstanding;
	u32 holding;			/* storm: UAs in LG_UA_HOLD */
	u32 rnd;			/* lg_retry_rand() state */
	u64 started;			/* transactions begun in this phase */
	u64 requests;			/* datagrams sent, whole run */
	u64 t_start;			/* measured phase */
	u64 t_end;
	u32 warmup_failed;
	u32 shown;			/* wrong responses printed */
	char (*sbuf)[LG_REQ_MAX];
	char (*rbuf)[LG_RECV_MAX + 1];
	pthread_t tid;
};

/*
 * Opens, binds and connects the socket and allocates everything for users
 * [first, first + n). Returns 0, or -1 with a message in err.
 */
int lg_worker_setup(struct lg_worker *w, const struct lg_conf *conf,
		    unsigned int id, u32 first, u32 n, char *err,
		    size_t errlen);
void lg_worker_free(struct lg_worker *w);

/* Thread body: warm-up (refresh mode), barrier, load, drain. */
void *lg_worker_run(void *arg);

u64 lg_now_ns(void);

#endif /* LG_WORKER_H */
