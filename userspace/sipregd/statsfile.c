// SPDX-License-Identifier: GPL-2.0
/*
 * The stats file: one counter a line, the names as sipregctl prints them.
 * New counters are new lines; a reader skips the keys it does not know.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "statsfile.h"

struct out {
	char *buf;
	size_t size, n;
	bool full;
};

static void put(struct out *o, const char *key, unsigned long long v)
{
	int w;

	if (o->full)
		return;
	w = snprintf(o->buf + o->n, o->size - o->n, "%s %llu\n", key, v);
	if (w < 0 || (size_t)w >= o->size - o->n)
		o->full = true;
	else
		o->n += (size_t)w;
}

static void put_registrar(struct out *o, const struct registrar_stats *r)
{
	static const char *const cls[7] = {
		NULL, "responses_1xx", "responses_2xx", "responses_3xx",
		"responses_4xx", "responses_5xx", "responses_6xx",
	};
	int i;

	put(o, "requests", r->requests);
	put(o, "registers", r->registers);
	for (i = 1; i < 7; i++)
		put(o, cls[i], r->status[i]);
	put(o, "retransmissions", r->retransmissions);
	put(o, "challenges", r->challenges);
	put(o, "auth_failures", r->auth_failures);
	put(o, "unknown_users", r->unknown_users);
	put(o, "nc_replays", r->nc_replays);
	put(o, "stale_nonces", r->stale_nonces);
	put(o, "bad_requests", r->bad_requests);
	put(o, "dropped", r->dropped);
	put(o, "responses_ignored", r->responses_ignored);
	put(o, "store_errors", r->store_errors);
	put(o, "store_busy", r->store_busy);
	put(o, "rate_limited", r->rate_limited);
	put(o, "retransmitted_commits", r->retransmitted_commits);
	put(o, "outbound_registrations", r->outbound_registrations);
	put(o, "outbound_first_hop_439", r->outbound_first_hop_439);
	put(o, "flows_closed", r->flows_closed);
	put(o, "db_commits", r->db_commits);
	put(o, "db_commit_us", r->db_commit_us);
	put(o, "db_commit_us_max", r->db_commit_us_max);
}

static void put_streams(struct out *o, const struct stream_stats *s,
			unsigned int open)
{
	put(o, "stream_open", open);
	put(o, "stream_accepted", s->accepted);
	put(o, "stream_refused_total", s->refused_total);
	put(o, "stream_refused_source", s->refused_source);
	put(o, "stream_closed_idle", s->closed_idle);
	put(o, "stream_closed_too_large", s->closed_too_large);
	put(o, "stream_closed_bad", s->closed_bad);
	put(o, "stream_closed_slow_reader", s->closed_slow_reader);
	put(o, "stream_tls_failed", s->tls_failed);
	put(o, "stream_messages", s->messages);
	put(o, "keepalive_pings", s->pings);
	put(o, "keepalive_pongs", s->pongs);
}

/* The UDP keepalives (keepalive.c), named as the module's counters. */
static void put_udp(struct out *o, const struct udp_stats *u)
{
	put(o, "stun_answered", u->stun_answered);
	put(o, "stun_ignored", u->stun_ignored);
	put(o, "keepalives", u->keepalives);
}

size_t statsfile_format(char *buf, size_t size, pid_t pid, int64_t now,
			const struct registrar_stats *r,
			const struct stream_stats *st, unsigned int open_streams,
			const struct udp_stats *udp)
{
	static const struct udp_stats no_udp;
	static const struct stream_stats none;
	struct out o = { buf, size, 0, false };

	if (!size)
		return 0;
	put(&o, "sipregd_stats", 1);
	put(&o, "pid", (unsigned long long)pid);
	put(&o, "time", (unsigned long long)now);
	put(&o, "interval", STATSFILE_INTERVAL);
	put_registrar(&o, r);
	put_streams(&o, st ? st : &none, open_streams);
	put_udp(&o, udp ? udp : &no_udp);
	return o.full ? 0 : o.n;
}

int statsfile_write(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	ssize_t w;
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* counters are no secret (the module's are anyone's): past UMask */
	fchmod(fd, 0644);
	w = write(fd, text, len);
	if (w < 0 || (size_t)w != len)
		err = w < 0 ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
