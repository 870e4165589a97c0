// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition text: the daemon's counters under sipregd_, kernel
 * sync's under sipregd_ksync_, and the module's under sipreg_kernel_ with
 * a "netns" label, since each namespace has its own tables and counters.
 * Names come from the stats file's keys and from uapi_names.c, so a new
 * counter shows up here without a change.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "uapi_names.h"

struct out {
	char *buf;
	size_t size, n;
	bool full;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->full)
		return;
	va_start(ap, fmt);
	w = vsnprintf(o->buf + o->n, o->size - o->n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= o->size - o->n)
		o->full = true;
	else
		o->n += (size_t)w;
}

static void type(struct out *o, const char *name, const char *kind)
{
	put(o, "# TYPE %s %s\n", name, kind);
}

/* The stats file's keys that are not counters of their own. */
static bool skipped(const char *key)
{
	static const char *const skip[] = {
		"sipregd_stats", "pid", "time", "interval", "db_commits",
		"db_commit_us", "db_commit_us_max", "stream_open",
	};
	size_t i;

	if (!strncmp(key, "responses_", 10))
		return true;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(key, skip[i]))
			return true;
	return false;
}

/* The value of @key in the "key value" lines, 0 if absent. */
static unsigned long long value(const char *text, const char *key)
{
	size_t k = strlen(key);
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, k) && p[k] == ' ')
			return strtoull(p + k + 1, NULL, 10);
	return 0;
}

static void daemon_counters(struct out *o, const char *text)
{
	static const char *const cls[] = { "1xx", "2xx", "3xx", "4xx", "5xx",
					   "6xx" };
	char key[64], name[96];
	unsigned long long v;
	const char *p;
	size_t i;
	int len;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (sscanf(p, "%63[a-z0-9_] %llu%n", key, &v, &len) != 2 ||
		    skipped(key))
			continue;
		snprintf(name, sizeof(name), "sipregd_%s_total", key);
		type(o, name, "counter");
		put(o, "%s %llu\n", name, v);
	}
	type(o, "sipregd_responses_total", "counter");
	for (i = 0; i < 6; i++) {
		snprintf(key, sizeof(key), "responses_%s", cls[i]);
		put(o, "sipregd_responses_total{class=\"%s\"} %llu\n", cls[i],
		    value(text, key));
	}
	type(o, "sipregd_stream_open", "gauge");
	put(o, "sipregd_stream_open %llu\n", value(text, "stream_open"));
	/* the database's latency: a summary of the group commits */
	type(o, "sipregd_db_commit_seconds", "summary");
	put(o, "sipregd_db_commit_seconds_sum %.6f\n",
	    value(text, "db_commit_us") / 1e6);
	put(o, "sipregd_db_commit_seconds_count %llu\n",
	    value(text, "db_commits"));
	type(o, "sipregd_db_commit_seconds_max", "gauge");
	put(o, "sipregd_db_commit_seconds_max %.6f\n",
	    value(text, "db_commit_us_max") / 1e6);
}

static void ksync_counters(struct out *o, const struct kernel_stats *s)
{
	const struct { const char *name; uint64_t v; } c[] = {
		{ "misses", s->misses }, { "misses_lost", s->miss_lost },
		{ "misses_bad", s->miss_bad },
		{ "misses_unanswerable", s->miss_unanswerable },
		{ "refreshed", s->refreshed },
		{ "refreshes_stale", s->refresh_stale },
		{ "expired", s->expired }, { "expiries_stale", s->expire_stale },
		{ "overflows", s->overflows }, { "reconciles", s->reconciles },
		{ "syncs", s->syncs }, { "errors", s->errors },
		{ "not_installable", s->not_installable },
		{ "remote_aors", s->remote_aors },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		put(o, "# TYPE sipregd_ksync_%s_total counter\n", c[i].name);
		put(o, "sipregd_ksync_%s_total %" PRIu64 "\n", c[i].name,
		    c[i].v);
	}
}

/* A labelled family: one line per named value. */
static void family(struct out *o, const char *name, const char *label,
		   const char *const *names, const uint64_t *v, int n,
		   uint64_t netns)
{
	int i;

	type(o, name, "counter");
	for (i = 0; i < n; i++)
		if (names[i])
			put(o, "%s{netns=\"%" PRIu64 "\",%s=\"%s\"} %" PRIu64
			    "\n", name, netns, label, names[i], v[i]);
}

static void module_counters(struct out *o, const struct kcounters *k,
			    uint64_t netns)
{
	const char *vnames[SIPREG_VERDICT_MAX];
	int i;

	type(o, "sipreg_kernel_up", "gauge");
	put(o, "sipreg_kernel_up{netns=\"%" PRIu64 "\"} %d\n", netns, !!k);
	if (!k)
		return;
	for (i = 0; i < __SIPREG_STAT_MAX; i++) {
		if (!sipreg_stat_names[i])
			continue;
		put(o, "# TYPE sipreg_kernel_%s_total counter\n",
		    sipreg_stat_names[i]);
		put(o, "sipreg_kernel_%s_total{netns=\"%" PRIu64 "\"} %"
		    PRIu64 "\n", sipreg_stat_names[i], netns, k->stat[i]);
	}
	family(o, "sipreg_kernel_misses_total", "reason", sipreg_miss_names,
	       k->miss, __SIPREG_MISS_MAX, netns);
	for (i = 0; i < SIPREG_VERDICT_MAX; i++)
		vnames[i] = sipreg_verdict_name(i);
	family(o, "sipreg_kernel_verdicts_total", "verdict", vnames,
	       k->verdict, SIPREG_VERDICT_MAX, netns);
}

size_t metrics_format(char *buf, size_t size, const struct metrics_input *in)
{
	struct out o = { buf, size, 0, false };

	if (!size)
		return 0;
	daemon_counters(&o, in->daemon);
	ksync_counters(&o, in->ksync);
	module_counters(&o, in->module, in->netns);
	return o.full ? 0 : o.n;
}
