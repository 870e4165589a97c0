// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load: the per-thread loop. Each turn it takes in a batch of
 * responses (recvmmsg), fires due timers (retransmissions, timeouts,
 * refresh times), sends what the rate or window allows (sendmmsg), then
 * sleeps until the next thing to do. Requests are paced against the clock
 * (open loop): slots missed because no UA was ready are dropped, not sent
 * later in a burst.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

#define TICK_NS		1000000ull	/* timer wheel resolution */
#define WHEEL_SLOTS	4096
#define WARMUP_WINDOW	64
#define SOCK_BUF	(4 << 20)

enum phase { PH_WARMUP, PH_LOAD, PH_DRAIN };

u64 lg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- rings --------------------------------------------------------------- */

static int ring_init(struct lg_ring *r, u32 n)
{
	r->cap = n + 1;
	r->head = r->tail = 0;
	r->v = malloc(sizeof(*r->v) * r->cap);
	return r->v ? 0 : -1;
}

static void ring_push(struct lg_ring *r, u32 x)
{
	r->v[r->tail] = x;
	r->tail = r->tail + 1 == r->cap ? 0 : r->tail + 1;
}

static bool ring_pop(struct lg_ring *r, u32 *x)
{
	if (r->head == r->tail)
		return false;
	*x = r->v[r->head];
	r->head = r->head + 1 == r->cap ? 0 : r->head + 1;
	return true;
}

static bool ring_empty(const struct lg_ring *r)
{
	return r->head == r->tail;
}

/* ---- setup --------------------------------------------------------------- */

static void set_bufs(int fd)
{
	int v = SOCK_BUF, one = 1;

	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	/* FORCE works as root and ignores rmem_max; else take what we get. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
}

static int bind_local(struct lg_worker *w, char *err, size_t errlen)
{
	const struct lg_conf *c = w->conf;
	struct sockaddr_storage a;
	socklen_t len = c->bind_len;

	if (!c->bind.ss_family && !c->local_port)
		return 0;
	if (c->bind.ss_family) {
		a = c->bind;
	} else {
		memset(&a, 0, sizeof(a));
		a.ss_family = c->target.ss_family;
		len = a.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						sizeof(struct sockaddr_in);
	}
	if (c->local_port) {
		u16 port = htons(c->local_port + w->id);

		if (a.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&a)->sin6_port = port;
		else
			((struct sockaddr_in *)&a)->sin_port = port;
	}
	if (bind(w->fd, (struct sockaddr *)&a, len)) {
		snprintf(err, errlen, "--bind/--local-port: thread %u: %s",
			 w->id, strerror(errno));
		return -1;
	}
	return 0;
}

/* Our address as the server sees it: Via and Contact need it literally. */
static int local_name(struct lg_worker *w, int fd, char *err, size_t errlen)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);
	char ip[INET6_ADDRSTRLEN];
	const void *in;

	if (getsockname(fd, (struct sockaddr *)&a, &len)) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		return -1;
	}
	if (a.ss_family == AF_INET6) {
		in = &((struct sockaddr_in6 *)&a)->sin6_addr;
		w->ctx.port = ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
	} else {
		in = &((struct sockaddr_in *)&a)->sin_addr;
		w->ctx.port = ntohs(((struct sockaddr_in *)&a)->sin_port);
	}
	inet_ntop(a.ss_family, in, ip, sizeof(ip));
	snprintf(w->host, sizeof(w->host), a.ss_family == AF_INET6 ? "[%s]" : "%s",
		 ip);
	w->ctx.host = (struct lg_str){ w->host, strlen(w->host) };
	return 0;
}

static int open_socket(struct lg_worker *w, char *err, size_t errlen)
{
	const struct lg_conf *c = w->conf;

	w->fd = socket(c->target.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (w->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	set_bufs(w->fd);
	if (bind_local(w, err, errlen))
		return -1;
	/* Connected: the kernel drops datagrams from anyone else for us. */
	if (connect(w->fd, (const struct sockaddr *)&c->target, c->target_len)) {
		snprintf(err, errlen, "--target: connect: %s", strerror(errno));
		return -1;
	}
	return local_name(w, w->fd, err, errlen);
}

/*
 * TCP/TLS: a pool of min(users, --connections) connections, all up
 * before the load starts. Via and Contact name connection 0's address:
 * the registrar answers on the connection a request came on anyway
 * (RFC 3261 18.2.2).
 */
static int open_streams(struct lg_worker *w, char *err, size_t errlen)
{
	const struct lg_conf *c = w->conf;
	struct lg_conns_cfg cc = {
		.transport = c->transport, .target = &c->target,
		.target_len = c->target_len, .bind = &c->bind,
		.bind_len = c->bind_len, .ca = c->ca,
		.timeout_ns = c->timing.timeout_ns,
	};
	unsigned int n = w->n < c->connections ? w->n : c->connections;

	if (lg_conns_open(&w->conns, &cc, n ? n : 1, err, errlen))
		return -1;
	w->ctx.transport = c->transport == LG_TLS ? LG_STR("TLS") :
						    LG_STR("TCP");
	return local_name(w, lg_conns_fd(&w->conns), err, errlen);
}

static void init_ctx(struct lg_worker *w)
{
	const struct lg_conf *c = w->conf;

	w->ctx.mode = c->mode;
	w->ctx.users = c->users;
	w->ctx.domain = c->domain;
	w->ctx.want_realm = c->want_realm;
	w->ctx.alg = c->alg;
	w->ctx.expires = c->expires;
	w->ctx.run = c->run;
	w->ctx.thread = w->id;
}

int lg_worker_setup(struct lg_worker *w, const struct lg_conf *conf,
		    unsigned int id, u32 first, u32 n, char *err,
		    size_t errlen)
{
	u32 i;

	memset(w, 0, sizeof(*w));
	w->conf = conf;
	w->id = id;
	w->n = n;
	w->fd = -1;
	w->rnd = (conf->run ^ (id + 1) * 0x9e3779b9u) | 1;
	init_ctx(w);
	w->ua = calloc(n ? n : 1, sizeof(*w->ua));
	w->stats = calloc(1, sizeof(*w->stats));
	w->sbuf = malloc(sizeof(*w->sbuf) * LG_BATCH);
	w->rbuf = malloc(sizeof(*w->rbuf) * LG_BATCH);
	if (!w->ua || !w->stats || !w->sbuf || !w->rbuf ||
	    ring_init(&w->urgent, n) || ring_init(&w->fresh, n) ||
	    ring_init(&w->refresh, n) ||
	    lg_wheel_init(&w->wheel, n, WHEEL_SLOTS, TICK_NS, lg_now_ns())) {
		snprintf(err, errlen, "out of memory for %u users", n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		lg_ua_init(&w->ua[i], first + i);
		ring_push(&w->fresh, i);
	}
	if (conf->transport != LG_UDP)
		return open_streams(w, err, errlen);
	return open_socket(w, err, errlen);
}

void lg_worker_free(struct lg_worker *w)
{
	if (w->fd >= 0)
		close(w->fd);
	lg_conns_free(&w->conns);
	free(w->ua);
	free(w->stats);
	free(w->sbuf);
	free(w->rbuf);
	free(w->urgent.v);
	free(w->fresh.v);
	free(w->refresh.v);
	lg_wheel_free(&w->wheel);
}

/* ---- sending ------------------------------------------------------------- */

struct batch {
	struct mmsghdr m[LG_BATCH];
	struct iovec iov[LG_BATCH];
	u32 who[LG_BATCH];	/* UA index */
	bool first[LG_BATCH];	/* first transmission: stamp its t0 */
	u32 n;
};

static void flush(struct lg_worker *w, struct batch *b)
{
	u32 done = 0, i;
	u64 now;

	if (!b->n)
		return;
	for (i = 0; i < b->n; i++) {
		b->iov[i] = (struct iovec){ w->sbuf[i], b->iov[i].iov_len };
		b->m[i].msg_hdr = (struct msghdr){ .msg_iov = &b->iov[i],
						   .msg_iovlen = 1 };
	}
	/* Latency starts when the datagram leaves, not when it was built. */
	now = lg_now_ns();
	for (i = 0; i < b->n; i++)
		if (b->first[i])
			w->ua[b->who[i]].t0 = now;
	for (i = 0; w->fd < 0 && i < b->n; i++)
		/* a lost connection: the transaction's timer will tell */
		if (lg_conns_send(&w->conns, b->who[i], w->sbuf[i],
				  b->iov[i].iov_len))
			w->stats->send_errors++;
	while (w->fd >= 0 && done < b->n) {
		int r = sendmmsg(w->fd, b->m + done, b->n - done, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			/* That one is lost; its timer will tell. */
			w->stats->send_errors++;
			done++;
			continue;
		}
		done += r;
	}
	w->requests += b->n;
	b->n = 0;
}

static void batch_add(struct lg_worker *w, struct batch *b, u32 idx,
		      size_t len, bool first)
{
	b->iov[b->n].iov_len = len;
	b->who[b->n] = idx;
	b->first[b->n] = first;
	if (++b->n == LG_BATCH)
		flush(w, b);
}

/* ---- scheduling ---------------------------------------------------------- */

/* Storm: the UA waits out a 503's Retry-After or a back-off. */
static void hold(struct lg_worker *w, u32 idx, enum lg_next next, u64 now)
{
	const struct lg_timing *t = &w->conf->timing;
	struct lg_ua *ua = &w->ua[idx];
	u32 rnd = lg_retry_rand(&w->rnd);
	u64 wait = next == LG_NEXT_BUSY ?
		   lg_retry_busy(t, ua->retry_after, ua->failures, rnd) :
		   lg_retry_backoff(t, ua->failures, rnd);

	ua->state = LG_UA_HOLD;
	w->holding++;
	lg_wheel_arm(&w->wheel, idx, now + wait);
}

static void enqueue(struct lg_worker *w, u32 idx, enum lg_next next, u64 now)
{
	switch (next) {
	case LG_NEXT_URGENT:
		ring_push(&w->urgent, idx);
		break;
	case LG_NEXT_FRESH:
		ring_push(&w->fresh, idx);
		break;
	case LG_NEXT_REFRESH:
		if (w->conf->once)
			break;
		if (w->conf->refresh_ns) {
			w->ua[idx].state = LG_UA_IDLE;
			lg_wheel_arm(&w->wheel, idx, now + w->conf->refresh_ns);
		} else {
			ring_push(&w->refresh, idx);
		}
		break;
	case LG_NEXT_BUSY:
	case LG_NEXT_BACKOFF:
		hold(w, idx, next, now);
		break;
	case LG_NEXT_WAIT:
		break;
	}
}

/* A transaction ended (answered, wrong or timed out). */
static void finish(struct lg_worker *w, u32 idx, enum lg_next next, u64 now)
{
	lg_wheel_cancel(&w->wheel, idx);
	w->outstanding--;
	enqueue(w, idx, next, now);
}

static bool pick(struct lg_worker *w, enum phase ph, u32 *idx)
{
	/* Answering a challenge first keeps nonces young. */
	if (ring_pop(&w->urgent, idx) || ring_pop(&w->fresh, idx))
		return true;
	/* Warm-up only registers; refreshes are what the load measures. */
	return ph != PH_WARMUP && ring_pop(&w->refresh, idx);
}

static bool anything_ready(const struct lg_worker *w, enum phase ph)
{
	return !ring_empty(&w->urgent) || !ring_empty(&w->fresh) ||
	       (ph != PH_WARMUP && !ring_empty(&w->refresh));
}

static u32 window(const struct lg_worker *w, enum phase ph)
{
	u32 win = w->conf->window;

	if (ph == PH_WARMUP)
		return win > WARMUP_WINDOW ? win : WARMUP_WINDOW;
	return win;
}

/* How many new transactions the rate (load phase) and window allow now. */
static u64 budget(const struct lg_worker *w, enum phase ph, u64 now, u64 *due)
{
	u64 b = LG_BATCH;
	u32 win = window(w, ph);

	*due = 0;
	if (ph == PH_LOAD && w->conf->rate > 0) {
		double per_ns = w->conf->rate / w->conf->threads / 1e9;

		*due = (u64)((now - w->t_start) * per_ns) + 1;
		b = *due > w->started ? min(b, *due - w->started) : 0;
	}
	if (win)
		b = w->outstanding < win ? min(b, (u64)(win - w->outstanding)) : 0;
	return b;
}

static void begin(struct lg_worker *w, struct batch *b, u32 idx, u64 now)
{
	const struct lg_conf *c = w->conf;
	struct lg_ua *ua = &w->ua[idx];
	size_t len = lg_ua_begin(ua, idx, &w->ctx, w->sbuf[b->n], LG_REQ_MAX);

	if (!len) {
		/* Cannot happen with names and nonces within their limits. */
		w->stats->send_errors++;
		ua->state = LG_UA_READY;
		ua->kind = LG_CHALLENGE;
		ring_push(&w->fresh, idx);
		return;
	}
	ua->t0 = now;
	ua->rto_ms = c->timing.t1_ns / 1000000;
	w->stats->sent[ua->kind]++;
	w->started++;
	w->outstanding++;
	lg_wheel_arm(&w->wheel, idx, now + (c->retransmit ? c->timing.t1_ns :
						    c->timing.timeout_ns));
	batch_add(w, b, idx, len, true);
}

static void send_new(struct lg_worker *w, enum phase ph, u64 now)
{
	struct batch b = { .n = 0 };
	u64 due, n = budget(w, ph, now, &due);
	u32 idx;

	while (n-- && pick(w, ph, &idx))
		begin(w, &b, idx, now);
	/* Open loop: a slot with nobody ready is gone, not owed. */
	if (due > w->started && !anything_ready(w, ph))
		w->started = due;
	flush(w, &b);
}

/* ---- timers -------------------------------------------------------------- */

static void retransmit(struct lg_worker *w, struct batch *b, u32 idx, u64 now)
{
	struct lg_ua *ua = &w->ua[idx];
	size_t len = lg_ua_request(ua, idx, &w->ctx, w->sbuf[b->n], LG_REQ_MAX);
	u64 rto = (u64)ua->rto_ms * 1000000;

	/* RFC 3261 17.1.1.2: Timer E doubles up to T2; Timer F ends it. */
	lg_wheel_arm(&w->wheel, idx,
		     lg_retry_rexmit(&w->conf->timing, &rto, ua->t0, now));
	ua->rto_ms = rto / 1000000;
	w->stats->retrans[ua->kind]++;
	if (len)
		batch_add(w, b, idx, len, false);
}

static void on_timer(struct lg_worker *w, struct batch *b, u32 idx, u64 now)
{
	struct lg_ua *ua = &w->ua[idx];

	if (ua->state == LG_UA_IDLE) {
		ua->state = LG_UA_READY;
		ring_push(&w->refresh, idx);
		return;
	}
	if (ua->state == LG_UA_HOLD) {
		w->holding--;
		ua->state = LG_UA_READY;
		ring_push(ua->kind == LG_CHALLENGE ? &w->fresh : &w->urgent, idx);
		return;
	}
	if (ua->state != LG_UA_WAIT)
		return;
	if (w->conf->retransmit &&
	    !lg_retry_expired(&w->conf->timing, ua->t0, now)) {
		retransmit(w, b, idx, now);
		return;
	}
	w->outstanding--;
	enqueue(w, idx, lg_ua_timeout(ua, &w->ctx, w->stats), now);
}

static void expire(struct lg_worker *w, u64 now)
{
	struct batch b = { .n = 0 };
	u32 ids[LG_BATCH], n, i;

	do {
		n = lg_wheel_expire(&w->wheel, now, ids, LG_BATCH);
		for (i = 0; i < n; i++)
			on_timer(w, &b, ids[i], now);
	} while (n == LG_BATCH);
	flush(w, &b);
}

/* ---- receiving ----------------------------------------------------------- */

/* --show-wrong: the first few wrong responses, for whoever debugs the server. */
static void show_wrong(struct lg_worker *w, const char *buf, size_t len)
{
	if (w->shown >= w->conf->show_wrong)
		return;
	w->shown++;
	fprintf(stderr, "sipreg-load: thread %u: wrong response (unfolded):\n%.*s\n",
		w->id, (int)len, buf);
}

/* Echo mode: the answer is our request, back with its branch intact. */
static void handle_echo(struct lg_worker *w, char *buf, size_t len,
			bool trunc, u64 now)
{
	struct lg_stats *st = w->stats;
	struct lg_str branch;
	struct lg_ids ids;
	struct lg_ua *ua;

	if (trunc || lg_sip_echo_branch(buf, len, &branch)) {
		st->wrong[LG_W_MALFORMED]++;
		show_wrong(w, buf, len);
		return;
	}
	if (!lg_sip_branch_ids(branch, &ids) || ids.run != w->conf->run ||
	    ids.thread != w->id || ids.ua >= w->n) {
		st->wrong[LG_W_UNMATCHED]++;
		show_wrong(w, buf, len);
		return;
	}
	ua = &w->ua[ids.ua];
	if (ua->state != LG_UA_WAIT || ua->txn != ids.txn) {
		st->stray++;
		return;
	}
	finish(w, ids.ua, lg_ua_echo(ua, st, now), now);
}

static void handle(struct lg_worker *w, char *buf, size_t len, bool trunc,
		   u64 now)
{
	struct lg_stats *st = w->stats;
	struct lg_resp r;
	u64 wrong;
	struct lg_ids ids;
	struct lg_ua *ua;
	enum lg_next next;
	bool had_200;

	if (w->conf->mode == LG_MODE_ECHO) {
		handle_echo(w, buf, len, trunc, now);
		return;
	}
	if (trunc || lg_sip_scan(buf, len, &r)) {
		st->wrong[LG_W_MALFORMED]++;
		show_wrong(w, buf, len);
		return;
	}
	st->status[r.status]++;
	if (!lg_sip_branch_ids(r.branch, &ids) || ids.run != w->conf->run ||
	    ids.thread != w->id || ids.ua >= w->n) {
		st->wrong[LG_W_UNMATCHED]++;
		show_wrong(w, buf, len);
		return;
	}
	ua = &w->ua[ids.ua];
	if (ua->state != LG_UA_WAIT || ua->txn != ids.txn) {
		st->stray++;
		return;
	}
	wrong = w->conf->show_wrong ? lg_stats_wrong(st) : 0;
	had_200 = ua->got_200;
	next = lg_ua_response(ua, ids.ua, &w->ctx, &r, st, now);
	/* Storm: how long after the start this phone held its binding. */
	if (ua->got_200 && !had_200)
		lg_hist_add(&st->done, now > w->t_start ? now - w->t_start : 0);
	if (w->conf->show_wrong && lg_stats_wrong(st) != wrong)
		show_wrong(w, buf, len);
	if (next != LG_NEXT_WAIT)
		finish(w, ids.ua, next, now);
}

/*
 * Arrival time of a datagram on CLOCK_MONOTONIC, from the kernel's receive
 * timestamp (CLOCK_REALTIME), so that latency does not include the time the
 * datagram waited in the socket for this thread to wake up.
 */
static u64 arrival(struct msghdr *h, u64 now, s64 real_minus_mono)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(h); cm; cm = CMSG_NXTHDR(h, cm)) {
		struct timespec ts;
		s64 t;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
		t = (s64)ts.tv_sec * 1000000000ll + ts.tv_nsec - real_minus_mono;
		return t > 0 && (u64)t <= now ? (u64)t : now;
	}
	return now;
}

static s64 real_minus_mono(u64 mono)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (s64)ts.tv_sec * 1000000000ll + ts.tv_nsec - (s64)mono;
}

#define CMSG_ROOM	CMSG_SPACE(sizeof(struct timespec))

static void on_stream_msg(void *arg, char *b, size_t n)
{
	struct lg_worker *w = arg;

	handle(w, b, n, false, lg_now_ns());
}

/* Returns how many datagrams (or framed responses) were read. */
static int receive(struct lg_worker *w)
{
	struct mmsghdr m[LG_BATCH];
	struct iovec iov[LG_BATCH];
	char ctl[LG_BATCH][CMSG_ROOM] __attribute__((aligned(8)));
	int i, n;
	u64 now;
	s64 off;

	if (w->fd < 0)
		return lg_conns_receive(&w->conns, on_stream_msg, w);
	for (i = 0; i < LG_BATCH; i++) {
		iov[i] = (struct iovec){ w->rbuf[i], LG_RECV_MAX };
		m[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i],
						.msg_iovlen = 1,
						.msg_control = ctl[i],
						.msg_controllen = CMSG_ROOM };
	}
	n = recvmmsg(w->fd, m, LG_BATCH, MSG_DONTWAIT, NULL);
	if (n < 0) {
		/* ICMP port unreachable comes back on a connected socket. */
		if (errno == ECONNREFUSED)
			w->stats->send_errors++;
		return 0;
	}
	now = lg_now_ns();
	off = real_minus_mono(now);
	for (i = 0; i < n; i++)
		handle(w, w->rbuf[i], m[i].msg_len,
		       m[i].msg_hdr.msg_flags & MSG_TRUNC,
		       arrival(&m[i].msg_hdr, now, off));
	return n;
}

/* ---- the loop ------------------------------------------------------------ */

/*
 * With a tick the thread does not wake for each response: it sleeps in
 * steps of the tick and takes what arrived in one batch (latency comes from
 * the kernel's timestamps, so it is not stretched). Waking per datagram
 * costs more CPU than the request itself on a virtual machine.
 */
static void sleep_until(struct lg_worker *w, u64 now, u64 t)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	u64 tick = w->conf->tick_ns;
	struct timespec ts;

	if (t <= now)
		return;
	if (tick && t - now > tick)
		t = now + tick;
	ts.tv_sec = (t - now) / 1000000000ull;
	ts.tv_nsec = (t - now) % 1000000000ull;
	if (w->fd < 0 && !tick)
		lg_conns_wait(&w->conns, &ts);
	else
		ppoll(tick ? NULL : &pfd, tick ? 0 : 1, &ts, NULL);
}

static void wait_next(struct lg_worker *w, enum phase ph, u64 now, u64 until)
{
	u64 t = min(until, now + 100000000ull);	/* look at stop now and then */
	u32 win = window(w, ph);

	if (w->wheel.armed)
		t = min(t, now + TICK_NS);
	if (ph != PH_DRAIN && anything_ready(w, ph) &&
	    (!win || w->outstanding < win)) {
		if (ph != PH_LOAD || w->conf->rate <= 0)
			return;
		t = min(t, w->t_start + (u64)(w->started * 1e9 /
					      (w->conf->rate / w->conf->threads)));
	}
	sleep_until(w, now, t);
}

static bool phase_over(const struct lg_worker *w, enum phase ph)
{
	switch (ph) {
	case PH_WARMUP:
		return ring_empty(&w->urgent) && ring_empty(&w->fresh) &&
		       !w->outstanding;
	case PH_DRAIN:
		return !w->outstanding;
	default:
		/*
		 * --once: over when every user is registered or gave up;
		 * a storm's UA waiting out a 503 or a back-off has not.
		 */
		return w->conf->once && !anything_ready(w, ph) &&
		       !w->outstanding && !w->holding;
	}
}

static void run_phase(struct lg_worker *w, enum phase ph, u64 until)
{
	for (;;) {
		u64 now = lg_now_ns();
		int got;

		if (now >= until || phase_over(w, ph) ||
		    (ph != PH_DRAIN && atomic_load_explicit(w->conf->stop,
							    memory_order_relaxed)))
			return;
		got = receive(w);
		now = lg_now_ns();
		expire(w, now);
		if (ph != PH_DRAIN)
			send_new(w, ph, now);
		if (got < LG_BATCH)
			wait_next(w, ph, now, until);
	}
}

void *lg_worker_run(void *arg)
{
	struct lg_worker *w = arg;
	const struct lg_conf *c = w->conf;
	u32 i;

	/* Pacing at tens of microseconds needs more than the 50 us default. */
	prctl(PR_SET_TIMERSLACK, 1000UL);
	if (c->mode == LG_MODE_REFRESH) {
		run_phase(w, PH_WARMUP, lg_now_ns() + c->warmup_ns);
		for (i = 0; i < w->n; i++)
			w->warmup_failed += !w->ua[i].got_200;
		memset(w->stats, 0, sizeof(*w->stats));
	}
	pthread_barrier_wait(c->barrier);
	w->t_start = lg_now_ns();
	w->started = 0;
	run_phase(w, PH_LOAD, w->t_start + c->duration_ns);
	w->t_end = lg_now_ns();
	run_phase(w, PH_DRAIN, w->t_end + c->drain_ns);
	w->stats->unanswered = w->outstanding;
	w->stats->send_errors += w->conns.lost;
	return NULL;
}
