/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters of sipregd and of the module in Prometheus' text
 * exposition format (version 0.0.4), served over HTTP on the address of
 * "metrics_listen" (off by default): GET /metrics, one request per
 * connection, a few connections at a time, each closed after 5 s.
 */
#ifndef SIPREGD_METRICS_H
#define SIPREGD_METRICS_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "ksync/kernel.h"

/* What one scrape shows. */
struct metrics_input {
	const char *daemon;		/* statsfile_format()'s "key value" lines */
	const struct kernel_stats *ksync;	/* kernel sync's counters */
	const struct kcounters *module;	/* NULL: no module in this netns */
	uint64_t netns;			/* its inode, the "netns" label */
};

/* The exposition text into @buf: its length, or 0 if it does not fit. */
size_t metrics_format(char *buf, size_t size, const struct metrics_input *in);

/* Fills @buf with the text of a scrape; its length, 0 when it failed. */
typedef size_t (*metrics_render_fn)(void *arg, char *buf, size_t size);

struct metrics;

/* NULL with the reason in @err (naming the address). */
struct metrics *metrics_open(const char *addr, metrics_render_fn render,
			     void *arg, char *err, size_t errlen);
void metrics_close(struct metrics *m);
#define METRICS_POLL_MAX	5	/* the listener and 4 connections */
unsigned int metrics_pollfds(struct metrics *m, struct pollfd *pfd);
void metrics_handle(struct metrics *m, const struct pollfd *pfd,
		    unsigned int n);
/* Once a second: closes connections older than their deadline. */
void metrics_tick(struct metrics *m);

#endif /* SIPREGD_METRICS_H */
