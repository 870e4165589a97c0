// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel sync's life cycle: find the sipreg family (now, when nlctrl
 * announces it, or by polling once a second), claim the miss channel,
 * push everything, then serve misses and store the kernel's events until
 * the family goes away. Four sockets, because their traffic must not mix:
 * requests wait for their own acks (cmd), misses are unicast to the socket
 * that claimed (miss), the events socket may overflow on its own (ev),
 * and nlctrl's notifications must arrive even when the module is absent
 * (ctrl).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>

#include "event_filter.h"
#include "kernel_priv.h"
#include "log.h"
#include "uapi_names.h"

/* Messages per socket per wakeup, so the UDP sockets are not starved. */
#define BATCH		256
/* Default receive buffers: a burst of misses or of refresh events. */
#define EVENTS_RCVBUF	(4 << 20)
/* Seconds between checks that the family we talk to is still there. */
#define CHECK_PERIOD	5
/*
 * Least seconds between two reconciles: under a sustained overflow, one
 * dump per second is enough and keeps the daemon serving misses.
 */
#define RECONCILE_GAP	1
/* Seconds before trying again after a failed claim or push. */
#define RETRY_WAIT	5

/* ---- the state machine (kernel_priv.h) ---- */

static const char *const state_name[] = {
	[KSYNC_OFF] = "off",
	[KSYNC_ABSENT] = "absent",
	[KSYNC_BACKOFF] = "backoff",
	[KSYNC_UP] = "up",
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * A worker but the first (workers.c): no claim, no events, no push of
 * the state; only the bindings its registrar changed, over its own
 * command socket, so that the kernel never keeps one the store dropped.
 */
static bool installer(const struct kernel *k)
{
	return k->cfg.worker > 0;
}

/*
 * The one place k->state changes. Anything but UP has no connection
 * (closing the miss socket releases the claim); OFF has no nlctrl socket
 * either. @why: for the log line when UP ends.
 */
static void enter(struct kernel *k, enum ksync_state to, const char *why)
{
	if (k->state == KSYNC_UP && to != KSYNC_UP)
		log_msg(LOG_WARN, "kernel: %s: serving from the UDP sockets "
			"alone until the module is back", why);
	if (to != KSYNC_UP) {
		knl_close(&k->miss);
		knl_close(&k->ev);
		knl_close(&k->cmd);
		k->family = -1;
		k->claim_attr = 0;
	}
	switch (to) {
	case KSYNC_OFF:
		knl_close(&k->ctrl);
		break;
	case KSYNC_ABSENT:
		break;			/* kernel_tick() looks every second */
	case KSYNC_BACKOFF:
		k->wait = RETRY_WAIT;
		break;
	case KSYNC_UP:
		k->absent_logged = false;
		k->keys_refused = false;
		k->order_refused = false;
		k->resync_due = false;
		k->event_failures = 0;
		k->check = CHECK_PERIOD;
		k->stats.syncs++;
		if (installer(k))
			break;
		log_msg(LOG_INFO, "kernel: in sync in %.2f s (%zu users, %zu "
			"bindings installed), misses and events flowing",
			(double)(mono_ns() - k->sync_start_ns) / 1e9,
			k->pushed_users, k->pushed_bindings);
		break;
	}
	k->state = to;
}

static bool up(const struct kernel *k)
{
	return k->state == KSYNC_UP;
}

/* ---- connecting ---- */

/* nlctrl's notify group: the family's arrival and departure. */
static void ctrl_open(struct kernel *k)
{
	int grp;

	k->ctrl = knl_open(0);
	if (!k->ctrl)
		goto fail;
	grp = genl_ctrl_resolve_grp(k->ctrl, "nlctrl", "notify");
	if (grp >= 0 && !nl_socket_add_membership(k->ctrl, grp))
		return;
fail:
	knl_close(&k->ctrl);
	log_msg(LOG_WARN, "kernel: no nlctrl notifications: looking for the "
		"module once a second");
}

static int open_events(struct kernel *k)
{
	int grp = genl_ctrl_resolve_grp(k->cmd, SIPREG_GENL_NAME,
					SIPREG_GENL_MCGRP_EVENTS);
	int rcvbuf = k->cfg.events_rcvbuf ? (int)k->cfg.events_rcvbuf :
		     EVENTS_RCVBUF, err;

	k->ev = knl_open(rcvbuf);
	if (grp < 0 || !k->ev || nl_socket_add_membership(k->ev, grp)) {
		log_msg(LOG_ERR, "kernel: cannot join the \"%s\" group: %s",
			SIPREG_GENL_MCGRP_EVENTS,
			grp < 0 ? nl_geterror(grp) : "socket");
		return -1;
	}
	err = kevents_filter(nl_socket_get_fd(k->ev), (uint16_t)k->family);
	if (err)	/* the echoes cost time, not correctness */
		log_msg(LOG_WARN, "kernel: events socket filter: %s",
			strerror(-err));
	return 0;
}

static int claim(struct kernel *k)
{
	int err;

	k->miss = knl_open(MISS_RCVBUF);
	if (!k->miss)
		return -ENOMEM;
	err = knl_request(k, k->miss,
			  knl_msg(k, SIPREG_CMD_DAEMON_CLAIM, NLM_F_ACK),
			  NULL, NULL);
	if (err && !(err == -EBUSY && k->busy_logged))
		log_msg(LOG_ERR, "kernel: DAEMON_CLAIM: %s%s", k->err,
			err == -EBUSY ? ": is another sipregd running in "
			"this network namespace? (trying again every few "
			"seconds)" : "");
	k->busy_logged = err == -EBUSY;
	return err;
}

/*
 * Keys first: the kernel may issue a challenge as soon as it is claimed.
 * Domains before users. A module without a domain table, with domains
 * configured, would challenge with the one realm and never find the
 * domains' AORs: its fast path goes off, every REGISTER comes here.
 */
static int push_all(struct kernel *k)
{
	int err;

	kpush_keys(k);
	kpush_config(k);
	err = kpush_domains(k);
	if (err == -EOPNOTSUPP)
		err = kpush_fastpath_off(k);
	if (err || kpush_users(k) || kpush_bindings(k, NULL))
		return -1;
	return 0;
}

/* From ABSENT or BACKOFF: to UP, BACKOFF or ABSENT. */
static void try_connect(struct kernel *k)
{
	k->sync_start_ns = mono_ns();
	k->pushed_users = k->pushed_bindings = 0;
	k->cmd = knl_open(KNL_CMD_RCVBUF);
	k->family = k->cmd ? genl_ctrl_resolve(k->cmd, SIPREG_GENL_NAME) : -1;
	if (k->family < 0) {
		if (!k->absent_logged)
			log_msg(LOG_INFO, "kernel: no sipreg module: serving "
				"from the UDP sockets alone, watching for it");
		k->absent_logged = true;
		enter(k, KSYNC_ABSENT, "");
		return;
	}
	if (installer(k)) {
		log_msg(LOG_INFO, "kernel: sipreg module found (family %d): "
			"installing this worker's binding changes", k->family);
		enter(k, KSYNC_UP, "");
		return;
	}
	log_msg(LOG_INFO, "kernel: sipreg module found (family %d): claiming "
		"the miss channel and pushing the state", k->family);
	/* events before the dump, so that no refresh falls in between */
	if (open_events(k) || claim(k) || push_all(k)) {
		if (!k->busy_logged)
			log_msg(LOG_WARN, "kernel: sync failed: serving from "
				"the UDP sockets alone, trying again");
		enter(k, KSYNC_BACKOFF, "");
		return;
	}
	enter(k, KSYNC_UP, "");
}

/* With several workers: the file their binding installs take turns on. */
static int open_install_lock(const struct daemon_config *c)
{
	char path[PATH_MAX + 16];
	int fd;

	if (c->workers <= 1)
		return -1;
	/* beside the SQLite file, or the stats file for PostgreSQL */
	snprintf(path, sizeof(path), "%s-ksync-lock",
		 !store_is_pg(c->db) ? c->db : c->stats_file[0] ?
		 c->stats_file : "/run/sipregd/sipregd");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		log_msg(LOG_WARN, "kernel: %s: %s: workers install bindings "
			"without taking turns", path, strerror(errno));
	return fd;
}

struct kernel *kernel_new(const struct daemon_config *c, struct store *st,
			  struct registrar *reg, const struct kernel_hooks *h)
{
	struct kernel *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->cfg = *c;
	k->st = st;
	k->reg = reg;
	k->hooks = *h;
	k->state = KSYNC_OFF;
	k->family = -1;
	k->install_lock = open_install_lock(c);
	k->buf = malloc(KNL_BUF);
	k->rbuf = malloc(KNL_BUF);
	k->refreshes = malloc(REFRESH_BATCH * sizeof(*k->refreshes));
	k->pipe = kpipe_new();
	if (!k->buf || !k->rbuf || !k->refreshes || !k->pipe) {
		kernel_free(k);
		return NULL;
	}
	if (!c->kernel) {
		log_msg(LOG_INFO, "kernel: sync off (kernel = off)");
		return k;
	}
	ctrl_open(k);
	try_connect(k);
	return k;
}

void kernel_free(struct kernel *k)
{
	if (!k)
		return;
	enter(k, KSYNC_OFF, "shutting down");
	if (k->install_lock >= 0)
		close(k->install_lock);
	knl_backlog_free(k);
	free(k->buf);
	free(k->rbuf);
	free(k->refreshes);
	kpipe_free(k->pipe);
	nlmsg_free(k->item);
	free(k);
}

void kernel_set_config(struct kernel *k, const struct daemon_config *c)
{
	bool was = k->state != KSYNC_OFF;

	k->cfg = *c;
	if (was && !c->kernel) {
		enter(k, KSYNC_OFF, "kernel = off");
	} else if (!was && c->kernel) {
		ctrl_open(k);
		try_connect(k);
	} else if (up(k) && !installer(k) && push_all(k)) {
		enter(k, KSYNC_ABSENT, "push after reload failed");
	}
}

/* ---- misses ---- */

static void one_miss(struct kernel *k, const struct nlmsghdr *h)
{
	char err[128];
	struct kmiss m;

	if (h->nlmsg_type != k->family || kmsg_cmd(h) != SIPREG_CMD_MISS)
		return;			/* acks of the claim, other commands */
	if (kmsg_parse_miss(h, &m, err, sizeof(err))) {
		k->stats.miss_bad++;
		log_msg(LOG_WARN, "kernel: %s", err);
		return;
	}
	k->stats.misses++;
	if (m.reason < __SIPREG_MISS_MAX)
		k->stats.miss_reason[m.reason]++;
	if (!k->hooks.miss(k->hooks.arg, &m))
		k->stats.miss_unanswerable++;
}

static void misses_done(struct kernel *k)
{
	if (k->hooks.miss_done)
		k->hooks.miss_done(k->hooks.arg);
}

static void backlog_miss(void *arg, const struct nlmsghdr *h)
{
	struct kernel *k = arg;

	if (up(k))
		one_miss(k, h);
}

/* Misses that arrived while a request on the miss socket waited. */
static void drain_backlog(struct kernel *k)
{
	if (k->backlog.n) {
		backlog_drain(&k->backlog, backlog_miss, k);
		misses_done(k);
	}
}

static void on_misses(struct kernel *k)
{
	struct nlmsghdr *h;
	int i, n;

	for (i = 0; i < BATCH && up(k); i++) {
		n = knl_recv(k->miss, k->rbuf);
		if (!n)
			break;
		if (n == -ENOBUFS) {
			/* the clients retransmit: count, go on */
			k->stats.miss_lost++;
			continue;
		}
		if (n < 0) {
			enter(k, KSYNC_ABSENT, "miss socket failed");
			return;
		}
		for (h = (struct nlmsghdr *)k->rbuf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n))
			one_miss(k, h);
	}
	misses_done(k);
}

/* ---- events ---- */

/*
 * A REFRESHED event's contacts, gathered in k->refreshes so that the
 * store writes them as one statement (one round trip to a database
 * server, however many).
 */
struct refresh_batch {
	struct kernel *k;
	struct store_binding *b;	/* k->refreshes: REFRESH_BATCH */
	size_t n;
};

static int refresh_flush(struct refresh_batch *rb)
{
	int rc;

	if (!rb->n)
		return 0;
	rc = store_binding_refresh_many(rb->k->st, rb->b, rb->n);
	if (rc < 0)
		return -1;
	rb->k->stats.refreshed += (uint64_t)rc;
	rb->k->stats.refresh_stale += rb->n - (size_t)rc;
	rb->n = 0;
	return 0;
}

static int refreshed(void *arg, const struct kcontact *c)
{
	struct refresh_batch *rb = arg;
	struct store_binding *b = &rb->b[rb->n++];

	memset(b, 0, sizeof(*b));
	snprintf(b->aor, sizeof(b->aor), "%s", c->aor);
	snprintf(b->contact, sizeof(b->contact), "%s", c->uri);
	snprintf(b->call_id, sizeof(b->call_id), "%s", c->call_id);
	b->cseq = c->cseq;
	b->nc = c->nc;
	b->expires = kernel_wall_expiry(c);
	b->updated = time(NULL);
	return rb->n == REFRESH_BATCH ? refresh_flush(rb) : 0;
}

static int expired(void *arg, const struct kcontact *c)
{
	struct kernel *k = arg;
	int rc = store_binding_expire(k->st, c->aor, c->uri, c->call_id,
				      c->cseq);

	if (rc > 0)
		k->stats.expired++;
	else if (!rc)
		k->stats.expire_stale++;
	return rc < 0 ? -1 : 0;
}

/* A reconcile wrote the kernel's bindings: say what it made up for. */
static void events_caught_up(struct kernel *k)
{
	if (!k->event_failures)
		return;
	log_msg(LOG_WARN, "kernel: the store has the kernel's bindings again (%llu events were not stored while it was away)",
		(unsigned long long)k->event_failures);
	k->event_failures = 0;
}

/*
 * The end of one event's transaction. A failure leaves the kernel ahead of
 * the store until the next reconcile: logged once per outage (every event
 * fails alike while a database is away), counted, and the reconcile that
 * catches up says how many.
 */
static void event_done(struct kernel *k, int rc, const char *what)
{
	if (!rc)
		rc = store_commit(k->st);
	if (!rc)
		return;
	store_rollback(k->st);
	k->stats.errors++;
	k->resync_due = true;
	if (!k->event_failures++)
		log_msg(LOG_ERR, "kernel: %s event not stored: %s (more are counted, not logged, until a reconcile catches up)",
			what, rc == -1 ? store_error(k->st) : "malformed");
}

/* A REFRESHED event's contacts, in one transaction and one statement. */
static void refreshed_event(struct kernel *k, const struct nlmsghdr *h)
{
	struct refresh_batch rb = { .k = k, .b = k->refreshes };
	unsigned int bad = 0;
	int rc = store_begin(k->st);

	if (!rc)
		rc = kmsg_each_contact(h, refreshed, &rb, &bad);
	if (!rc)
		rc = refresh_flush(&rb);
	event_done(k, rc, "refreshed");
}

/* An EXPIRED event's contacts, in one transaction. */
static void expired_event(struct kernel *k, const struct nlmsghdr *h)
{
	unsigned int bad = 0;
	int rc = store_begin(k->st);

	if (!rc)
		rc = kmsg_each_contact(h, expired, k, &bad);
	event_done(k, rc, "expired");
}

static void one_event(struct kernel *k, const struct nlmsghdr *h,
		      bool *overflow)
{
	if (h->nlmsg_type != k->family ||
	    kmsg_cmd(h) != SIPREG_CMD_BINDING_NTF)
		return;
	switch (kmsg_event(h)) {
	case SIPREG_EVENT_BINDING_REFRESHED:
		refreshed_event(k, h);
		break;
	case SIPREG_EVENT_BINDING_EXPIRED:
		expired_event(k, h);
		break;
	case SIPREG_EVENT_OVERFLOW:
		*overflow = true;
		break;
	default:
		break;		/* our own changes coming back, admins' */
	}
}

static int64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void reconcile_all(struct kernel *k, const char *why)
{
	int err;

	k->reconcile_due = false;
	k->last_reconcile = mono_now();
	k->stats.reconciles++;
	log_msg(LOG_WARN, "kernel: %s: reconciling bindings with a dump", why);
	err = kpush_bindings(k, NULL);
	/*
	 * The database away (locked, restarting): the kernel keeps serving
	 * what it has and its refreshes wait in it; tried again later.
	 */
	if (err == -EIO && store_busy(k->st)) {
		k->resync_due = true;
		return;
	}
	if (err)
		enter(k, KSYNC_ABSENT, "reconcile failed");
	else
		events_caught_up(k);
}

static void on_events(struct kernel *k)
{
	bool overflow = false;
	struct nlmsghdr *h;
	int i, n;

	for (i = 0; i < BATCH; i++) {
		n = knl_recv(k->ev, k->rbuf);
		if (!n)
			break;
		if (n == -ENOBUFS) {
			overflow = true;
			continue;
		}
		if (n < 0) {
			enter(k, KSYNC_ABSENT, "events socket failed");
			return;
		}
		for (h = (struct nlmsghdr *)k->rbuf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n))
			one_event(k, h, &overflow);
	}
	if (!overflow)
		return;
	k->stats.overflows++;
	if (mono_now() - k->last_reconcile >= RECONCILE_GAP)
		reconcile_all(k, "events lost (overflow)");
	else
		k->reconcile_due = true;	/* kernel_tick() will */
}

/* ---- the family coming and going ---- */

static void on_ctrl(struct kernel *k)
{
	struct nlmsghdr *h;
	int i, n, r;

	for (i = 0; i < BATCH; i++) {
		n = knl_recv(k->ctrl, k->rbuf);
		if (!n)
			break;
		if (n < 0) {
			k->check = 0;	/* lost some: look at the next tick */
			continue;
		}
		for (h = (struct nlmsghdr *)k->rbuf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n)) {
			r = kmsg_ctrl_family(h, SIPREG_GENL_NAME);
			if (r && up(k))
				enter(k, KSYNC_ABSENT, r > 0 ? "module reloaded" :
				      "module removed");
			if (r > 0)
				try_connect(k);	/* also cuts a BACKOFF short */
		}
	}
}

unsigned int kernel_pollfds(struct kernel *k, struct pollfd *pfd)
{
	unsigned int n = 0;

	if (k->ctrl)
		pfd[n++] = (struct pollfd){ nl_socket_get_fd(k->ctrl), POLLIN, 0 };
	if (up(k) && !installer(k)) {
		pfd[n++] = (struct pollfd){ nl_socket_get_fd(k->miss), POLLIN, 0 };
		pfd[n++] = (struct pollfd){ nl_socket_get_fd(k->ev), POLLIN, 0 };
	}
	return n;
}

void kernel_handle(struct kernel *k, const struct pollfd *pfd,
		   unsigned int n)
{
	unsigned int i;

	drain_backlog(k);
	/* events first: a miss may then install the newest state */
	for (i = 0; i < n && !installer(k); i++)
		if (up(k) && pfd[i].fd == nl_socket_get_fd(k->ev) &&
		    pfd[i].revents)
			on_events(k);
	for (i = 0; i < n && !installer(k); i++)
		if (up(k) && pfd[i].fd == nl_socket_get_fd(k->miss) &&
		    pfd[i].revents)
			on_misses(k);
	for (i = 0; i < n; i++)
		if (k->ctrl && pfd[i].fd == nl_socket_get_fd(k->ctrl) &&
		    pfd[i].revents)
			on_ctrl(k);
}

/* Still the family we claimed? A reload we were not told about is not. */
static bool family_same(struct kernel *k)
{
	return genl_ctrl_resolve(k->cmd, SIPREG_GENL_NAME) == k->family;
}

/*
 * Bindings another gateway on the same database changed: installed here
 * too, so that a phone that moves to this gateway is refreshed by this
 * kernel. NULL: too many to name, all of them are reconciled.
 */
static void remote_aor(void *arg, const char *aor)
{
	struct kernel *k = arg;

	if (!up(k) || installer(k))
		return;
	if (!aor) {
		reconcile_all(k, "bindings changed by other gateways");
		return;
	}
	k->stats.remote_aors++;
	if (kpush_bindings(k, aor) == -ETIMEDOUT)
		enter(k, KSYNC_ABSENT, "binding install timed out");
}

void kernel_tick(struct kernel *k)
{
	if (k->state == KSYNC_OFF)
		return;
	drain_backlog(k);		/* keys pushed by registrar_tick() */
	switch (k->state) {
	case KSYNC_OFF:
		return;
	case KSYNC_BACKOFF:
		if (k->wait) {
			k->wait--;
			return;
		}
		try_connect(k);
		return;
	case KSYNC_ABSENT:
		try_connect(k);
		return;
	case KSYNC_UP:
		break;
	}
	if (k->reconcile_due)
		reconcile_all(k, "events lost (overflow)");
	if (up(k))
		store_aors_changed(k->st, remote_aor, k);
	if (!up(k) || (k->check && --k->check))
		return;
	k->check = CHECK_PERIOD;
	if (!family_same(k)) {
		enter(k, KSYNC_ABSENT, "module gone or reloaded");
		try_connect(k);
	} else if (k->resync_due) {
		k->resync_due = false;
		reconcile_all(k, "a store write failed");
	}
}

/* ---- the registrar's hooks ---- */

void kernel_aor_changed(struct kernel *k, const struct registrar_change *ch)
{
	int err;

	if (!up(k))
		return;
	k->change = ch;
	err = kpush_bindings(k, ch->aor);
	k->change = NULL;
	if (err == -ETIMEDOUT)
		enter(k, KSYNC_ABSENT, "binding install timed out");
}

void kernel_keys_changed(struct kernel *k)
{
	if (up(k) && !installer(k))
		kpush_keys(k);
}

void kernel_users_changed(struct kernel *k)
{
	if (up(k) && !installer(k) && kpush_users(k) == -ETIMEDOUT)
		enter(k, KSYNC_ABSENT, "user install timed out");
}

/* ---- counters ---- */

void kernel_log_stats(const struct kernel *k)
{
	const struct kernel_stats *s = &k->stats;
	char reasons[1024] = "";
	size_t n = 0;
	int i;

	for (i = 0; i < __SIPREG_MISS_MAX && n < sizeof(reasons) - 64; i++)
		if (s->miss_reason[i])
			n += snprintf(reasons + n, sizeof(reasons) - n, " %s %llu",
				      sipreg_miss_names[i] ? sipreg_miss_names[i] : "other",
				      (unsigned long long)s->miss_reason[i]);
	log_msg(LOG_INFO, "kernel stats: %s, syncs %llu, misses %llu (%s ), "
		"lost misses %llu, bad misses %llu, unanswerable %llu, "
		"refreshed %llu (stale %llu), expired %llu (stale %llu), "
		"overflows %llu, reconciles %llu, not installable %llu, errors %llu",
		state_name[k->state],
		(unsigned long long)s->syncs, (unsigned long long)s->misses,
		reasons, (unsigned long long)s->miss_lost,
		(unsigned long long)s->miss_bad,
		(unsigned long long)s->miss_unanswerable,
		(unsigned long long)s->refreshed,
		(unsigned long long)s->refresh_stale,
		(unsigned long long)s->expired,
		(unsigned long long)s->expire_stale,
		(unsigned long long)s->overflows,
		(unsigned long long)s->reconciles,
		(unsigned long long)s->not_installable,
		(unsigned long long)s->errors);
}

static int counters_reply(void *arg, const struct nlmsghdr *h)
{
	if (!h)
		return 0;
	return kmsg_parse_stats(h, arg) ? -EINVAL : 0;
}

int kernel_counters(struct kernel *k, struct kcounters *c)
{
	memset(c, 0, sizeof(*c));
	if (!k || k->state != KSYNC_UP)
		return -ENODEV;
	return knl_request(k, k->cmd, knl_msg(k, SIPREG_CMD_STATS_GET, 0),
			   counters_reply, c);
}

const struct kernel_stats *kernel_sync_stats(const struct kernel *k)
{
	return &k->stats;
}
