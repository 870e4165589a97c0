/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside kernel sync: the state shared by kernel.c (life cycle, misses,
 * events), nl.c (netlink transport) and push.c (what is
 * installed in the kernel: keys, configuration, users, bindings).
 */
#ifndef SIPREGD_KERNEL_PRIV_H
#define SIPREGD_KERNEL_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "backlog.h"
#include "kernel.h"
#include "pipeline.h"
#include "reconcile.h"

/*
 * Where kernel sync stands. Only kernel.c changes it, all in enter(),
 * which also closes what the old state had open and starts the new
 * state's timer:
 *
 *   OFF --kernel = auto--> ABSENT --family found, claimed, pushed--> UP
 *   ABSENT --found, but the claim or a push failed--> BACKOFF
 *   BACKOFF --RETRY_WAIT ticks--> (the same attempt as from ABSENT)
 *   UP --module removed or reloaded, a socket or a push failed--> ABSENT
 *   any --kernel = off, or shutdown--> OFF
 *
 * ABSENT looks for the family every tick and whenever nlctrl announces
 * one. Misses and events are read only in UP.
 */
enum ksync_state {
	KSYNC_OFF,
	KSYNC_ABSENT,
	KSYNC_BACKOFF,
	KSYNC_UP,
};

struct kernel {
	/* from kernel_new(); cfg replaced on reload */
	struct daemon_config cfg;
	struct store *st;
	struct registrar *reg;
	struct kernel_hooks hooks;

	/* the state machine (kernel.c) */
	enum ksync_state state;
	unsigned int wait;		/* BACKOFF: ticks until the next attempt */
	unsigned int check;		/* UP: ticks until the family is checked */
	bool absent_logged;		/* "no sipreg module" said once */
	bool busy_logged;		/* claim refused: said once */
	struct nl_sock *ctrl;		/* all but OFF: nlctrl "notify" */

	/* one connection: opened by an attempt, closed on leaving UP */
	int family;
	struct nl_sock *cmd;		/* requests: one at a time, or a
					 * pipeline of writes (pipeline.c)
					 */
	struct nl_sock *miss;		/* the claim; SIPREG_CMD_MISS unicasts */
	struct nl_sock *ev;		/* the "events" group */
	bool keys_refused;		/* logged once per connection */
	bool order_refused;		/* no ALGS_FIRST: logged once */
	int claim_attr;			/* module takes SIPREG_A_CLAIM: 1 yes,
					 * -1 no, 0 not asked yet (nl.c)
					 */
	bool resync_due;		/* a store write of events failed */
	/*
	 * Events not stored since the last reconcile that caught up: during
	 * a database outage every event fails alike, so only the first is
	 * logged.
	 */
	uint64_t event_failures;
	bool reconcile_due;		/* an overflow within RECONCILE_GAP */
	int64_t last_reconcile;		/* CLOCK_MONOTONIC seconds */
	/* The request whose bindings are being pushed, or NULL (a resync). */
	const struct registrar_change *change;

	/* for the "in sync" line: when the attempt began, what it pushed */
	int64_t sync_start_ns;		/* CLOCK_MONOTONIC */
	size_t pushed_users, pushed_bindings;

	/* transport (nl.c) */
	struct kpipe *pipe;		/* writes in flight on cmd */
	struct nl_msg *item;		/* built in for the pipeline */
	int pipe_fd;			/* cmd's, for the pipeline */
	uint8_t *buf;			/* replies to requests */
	uint8_t *rbuf;			/* misses, events, notifications */
	struct backlog backlog;		/* misses read while awaiting an ack */
	char err[512];			/* the last request's error */

	struct store_binding *refreshes;	/* an event's, REFRESH_BATCH */
	struct kernel_stats stats;
	int install_lock;		/* workers > 1: see push.c; else -1 */
};

/* Contacts of a REFRESHED event written to the store at once. */
#define REFRESH_BATCH	128

/* ---- nl.c: transport ---- */

#define KNL_BUF		(256 * 1024)
/*
 * The command socket's receive buffer: a batch of KPIPE_WINDOW acks
 * (under 1 KB of buffer each) is queued before it is read.
 */
#define KNL_CMD_RCVBUF	(1 << 20)

/* A generic netlink socket; @rcvbuf 0 keeps the default. */
struct nl_sock *knl_open(int rcvbuf);
void knl_close(struct nl_sock **sk);
struct nl_msg *knl_msg(const struct kernel *k, uint8_t cmd, int flags);
/*
 * The same for a write of users or domains: while the daemon holds the
 * claim the kernel takes those only with the claim's portid, which this
 * adds (SIPREG_A_CLAIM, unless the module is older than it).
 */
struct nl_msg *knl_msg_owned(struct kernel *k, uint8_t cmd, int flags);

/* Called with @h NULL when a dump is redone: drop what it gave. */
typedef int (*knl_reply_fn)(void *arg, const struct nlmsghdr *h);
/*
 * Sends @msg (freed) on @sk and waits, at most a few seconds, for its
 * ack or the end of its dump, giving each reply to @cb. 0 or -errno,
 * with the kernel's words in k->err. A dump the kernel marks as
 * interrupted by a change is redone.
 */
int knl_request(struct kernel *k, struct nl_sock *sk, struct nl_msg *msg,
		knl_reply_fn cb, void *arg);
/*
 * Writes of many users or bindings: knl_pipe_begin() names the callback
 * that gets each request's result (pipeline.h), knl_pipe_add() queues a
 * request (@msg freed; NULL: it could not be built, reported as
 * -ENOMEM; k->item is not freed), knl_pipe_flush() waits for the last acks. Both return 0 or
 * -ETIMEDOUT, after which the pipeline takes nothing more.
 */
void knl_pipe_begin(struct kernel *k, kpipe_done_fn done, void *arg);
int knl_pipe_add(struct kernel *k, struct nl_msg *msg, int tag,
		 const char *label);
int knl_pipe_flush(struct kernel *k);
/*
 * The message for one user or one contact (@owned: with the claim), for
 * knl_pipe_add() alone: it is k->item, reused, never freed by the caller.
 */
struct nl_msg *knl_item_msg(struct kernel *k, uint8_t cmd, bool owned);
/*
 * The miss socket's buffer (SO_RCVBUF; the kernel doubles it). Requests
 * on it (the claim, the keys) keep the misses they read while waiting
 * (backlog.h), up to what the socket can hold.
 */
#define MISS_RCVBUF	(4 << 20)
#define KNL_BACKLOG_BYTES	(2 * MISS_RCVBUF)
void knl_backlog_free(struct kernel *k);


/* Nonblocking receive: bytes, 0 when nothing is queued, or -errno. */
int knl_recv(struct nl_sock *sk, uint8_t *buf);

/* ---- push.c: what the kernel holds ---- */

int kpush_keys(struct kernel *k);
int kpush_config(struct kernel *k);
int kpush_users(struct kernel *k);
/*
 * The configured domains (domains.c), before the users: added, changed,
 * and the kernel's others removed; with none configured, the kernel's
 * table is emptied (today's single-realm behaviour). A module that has
 * no domain table: 0 without domains, -EOPNOTSUPP with.
 */
int kpush_domains(struct kernel *k);
/* Every REGISTER to the daemon (SIPREG_MISS_FASTPATH_OFF). */
int kpush_fastpath_off(struct kernel *k);
/* @aor NULL: every binding (dump); else that AOR (get). */
int kpush_bindings(struct kernel *k, const char *aor);

/* Kernel expiry (CLOCK_BOOTTIME) as Unix time. */
int64_t kernel_wall_expiry(const struct kcontact *c);

#endif /* SIPREGD_KERNEL_PRIV_H */
