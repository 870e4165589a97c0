// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load: histograms, counters and the report. Text and JSON are
 * printed from the same derived figures so that they never disagree.
 */
#include "stats.h"

unsigned int lg_hist_bucket(u64 v)
{
	unsigned int shift;

	if (v < 2 * LG_HIST_SUB)
		return v;
	/* msb at bit m >= 6: keep the top LG_HIST_SUB_BITS + 1 bits. */
	shift = 63 - __builtin_clzll(v) - LG_HIST_SUB_BITS;
	return shift * LG_HIST_SUB + (unsigned int)(v >> shift);
}

u64 lg_hist_bucket_high(unsigned int b)
{
	unsigned int shift;
	u64 top;

	if (b < 2 * LG_HIST_SUB)
		return b;
	shift = b / LG_HIST_SUB - 1;
	top = b % LG_HIST_SUB + LG_HIST_SUB;
	return ((top + 1) << shift) - 1;
}

void lg_hist_add(struct lg_hist *h, u64 v)
{
	h->b[lg_hist_bucket(v)]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

void lg_hist_merge(struct lg_hist *dst, const struct lg_hist *src)
{
	unsigned int i;

	for (i = 0; i < LG_HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
	dst->count += src->count;
	if (src->max > dst->max)
		dst->max = src->max;
}

u64 lg_hist_quantile(const struct lg_hist *h, double q)
{
	u64 rank, seen = 0;
	unsigned int i;

	if (!h->count)
		return 0;
	rank = (u64)(q * h->count + 0.999999);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < LG_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			return min(lg_hist_bucket_high(i), h->max);
	}
	return h->max;
}

static const char *const kind_names[LG_KINDS] = {
	[LG_CHALLENGE] = "challenge",
	[LG_AUTH] = "auth",
	[LG_REFRESH] = "refresh",
};

static const char *const wrong_names[LG_WRONG_MAX] = {
	[LG_W_MALFORMED] = "malformed",
	[LG_W_UNMATCHED] = "unmatched",
	[LG_W_STATUS] = "status",
	[LG_W_CALL_ID] = "call_id",
	[LG_W_CSEQ] = "cseq",
	[LG_W_TO_TAG] = "to_tag",
	[LG_W_CHALLENGE] = "challenge",
	[LG_W_ALGORITHM] = "algorithm",
	[LG_W_REALM] = "realm",
	[LG_W_CONTACT] = "contact",
	[LG_W_EXPIRES] = "expires",
	[LG_W_REJECTED] = "rejected",
};

const char *lg_kind_name(enum lg_kind k)
{
	return kind_names[k];
}

const char *lg_wrong_name(enum lg_wrong w)
{
	return wrong_names[w];
}

static void add_array(u64 *d, const u64 *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		d[i] += s[i];
}

void lg_stats_merge(struct lg_stats *dst, const struct lg_stats *src)
{
	unsigned int k;

	add_array(dst->sent, src->sent, LG_KINDS);
	add_array(dst->retrans, src->retrans, LG_KINDS);
	add_array(dst->ok, src->ok, LG_KINDS);
	add_array(dst->timeouts, src->timeouts, LG_KINDS);
	add_array(dst->wrong, src->wrong, LG_WRONG_MAX);
	add_array(dst->status, src->status, LG_STATUS_MAX);
	dst->stale += src->stale;
	dst->provisional += src->provisional;
	dst->stray += src->stray;
	dst->send_errors += src->send_errors;
	dst->unanswered += src->unanswered;
	dst->busy += src->busy;
	dst->restarts += src->restarts;
	lg_hist_merge(&dst->done, &src->done);
	for (k = 0; k < LG_KINDS; k++)
		lg_hist_merge(&dst->lat[k], &src->lat[k]);
}

u64 lg_stats_wrong(const struct lg_stats *s)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < LG_WRONG_MAX; i++)
		n += s->wrong[i];
	return n;
}

/* ---- report -------------------------------------------------------------- */

static double per_s(u64 n, const struct lg_run_info *ri)
{
	return ri->seconds > 0 ? n / ri->seconds : 0;
}

static double us(u64 ns)
{
	return ns / 1000.0;
}

static u64 total(const u64 *a)
{
	return a[LG_CHALLENGE] + a[LG_AUTH] + a[LG_REFRESH];
}

static double cpu_us_per_req(const struct lg_run_info *ri)
{
	return ri->cpu_requests ? ri->cpu_seconds * 1e6 / ri->cpu_requests : 0;
}

static double secs(u64 ns)
{
	return ns / 1e9;
}

/* Seconds until the last phone held its binding; -1: some never did. */
static double all_registered(const struct lg_stats *s,
			     const struct lg_run_info *ri)
{
	return ri->users_ok == ri->users ? secs(s->done.max) : -1;
}

static void storm_text(FILE *f, const struct lg_stats *s,
		       const struct lg_run_info *ri)
{
	const struct lg_hist *h = &s->done;

	fprintf(f, "storm: %u of %u phones hold a binding", ri->users_ok,
		ri->users);
	if (ri->users_ok == ri->users)
		fprintf(f, ", all after %.3f s", all_registered(s, ri));
	else
		fprintf(f, ", %u never did within the run",
			ri->users - ri->users_ok);
	fprintf(f, "\n  registered after (s): p50 %.3f p90 %.3f p99 %.3f max %.3f\n"
		"  retransmissions %llu, 503s %llu, restarts after Timer F %llu, wrong %llu\n",
		secs(lg_hist_quantile(h, 0.5)), secs(lg_hist_quantile(h, 0.9)),
		secs(lg_hist_quantile(h, 0.99)), secs(h->max),
		(unsigned long long)total(s->retrans),
		(unsigned long long)s->busy, (unsigned long long)s->restarts,
		(unsigned long long)lg_stats_wrong(s));
}

static void storm_json(FILE *f, const struct lg_stats *s,
		       const struct lg_run_info *ri)
{
	const struct lg_hist *h = &s->done;

	fprintf(f, ",\"storm\":{\"phones\":%u,\"registered\":%u,\"never\":%u,"
		"\"all_registered_s\":%.3f,\"p50_s\":%.3f,\"p90_s\":%.3f,"
		"\"p99_s\":%.3f,\"max_s\":%.3f,\"retransmits\":%llu,"
		"\"busy_503\":%llu,\"restarts\":%llu,\"wrong\":%llu}",
		ri->users, ri->users_ok, ri->users - ri->users_ok,
		all_registered(s, ri), secs(lg_hist_quantile(h, 0.5)),
		secs(lg_hist_quantile(h, 0.9)), secs(lg_hist_quantile(h, 0.99)),
		secs(h->max), (unsigned long long)total(s->retrans),
		(unsigned long long)s->busy, (unsigned long long)s->restarts,
		(unsigned long long)lg_stats_wrong(s));
}

void lg_report_text(FILE *f, const struct lg_stats *s,
		    const struct lg_run_info *ri)
{
	unsigned int k, i;

	fprintf(f, "sipreg-load: mode %s, target %s, %u thread(s), %u users, %.2f s, ",
		ri->mode, ri->target, ri->threads, ri->users, ri->seconds);
	if (ri->rate > 0)
		fprintf(f, "rate %.0f/s", ri->rate);
	else
		fprintf(f, "window %u per thread", ri->window);
	fprintf(f, "\n\n%-10s %10s %10s %8s %8s %10s %10s %10s %10s\n", "kind",
		"sent", "req/s", "retrans", "timeout", "ok", "p50 us",
		"p99 us", "p99.9 us");
	for (k = 0; k < LG_KINDS; k++) {
		const struct lg_hist *h = &s->lat[k];

		fprintf(f, "%-10s %10llu %10.0f %8llu %8llu %10llu %10.1f %10.1f %10.1f\n",
			lg_kind_name(k), (unsigned long long)s->sent[k],
			per_s(s->sent[k], ri), (unsigned long long)s->retrans[k],
			(unsigned long long)s->timeouts[k],
			(unsigned long long)s->ok[k], us(lg_hist_quantile(h, 0.5)),
			us(lg_hist_quantile(h, 0.99)),
			us(lg_hist_quantile(h, 0.999)));
	}
	fprintf(f, "%-10s %10llu %10.0f %8llu %8llu %10llu\n\nresponses:", "total",
		(unsigned long long)total(s->sent), per_s(total(s->sent), ri),
		(unsigned long long)total(s->retrans),
		(unsigned long long)total(s->timeouts),
		(unsigned long long)total(s->ok));
	for (i = 0; i < LG_STATUS_MAX; i++)
		if (s->status[i])
			fprintf(f, " %u: %llu", i, (unsigned long long)s->status[i]);
	fprintf(f, "\nwrong: %llu", (unsigned long long)lg_stats_wrong(s));
	for (i = 0; i < LG_WRONG_MAX; i++)
		if (s->wrong[i])
			fprintf(f, " %s: %llu", lg_wrong_name(i),
				(unsigned long long)s->wrong[i]);
	fprintf(f, "\nstale %llu, provisional %llu, stray %llu, unanswered %llu, send errors %llu\n",
		(unsigned long long)s->stale, (unsigned long long)s->provisional,
		(unsigned long long)s->stray, (unsigned long long)s->unanswered,
		(unsigned long long)s->send_errors);
	fprintf(f, "users with a 200: %u of %u", ri->users_ok, ri->users);
	if (ri->warmup_failed)
		fprintf(f, " (%u not registered by the warm-up)", ri->warmup_failed);
	fprintf(f, "\ncpu: %.3f s for %llu requests, %.2f us per request\n",
		ri->cpu_seconds, (unsigned long long)ri->cpu_requests,
		cpu_us_per_req(ri));
	if (ri->storm)
		storm_text(f, s, ri);
}

static void json_kind(FILE *f, const struct lg_stats *s, unsigned int k,
		      const struct lg_run_info *ri)
{
	const struct lg_hist *h = &s->lat[k];

	fprintf(f, "\"%s\":{\"sent\":%llu,\"per_s\":%.1f,\"retransmits\":%llu,"
		"\"timeouts\":%llu,\"ok\":%llu,\"latency_us\":{\"p50\":%.1f,"
		"\"p99\":%.1f,\"p99.9\":%.1f,\"max\":%.1f}}",
		lg_kind_name(k), (unsigned long long)s->sent[k],
		per_s(s->sent[k], ri), (unsigned long long)s->retrans[k],
		(unsigned long long)s->timeouts[k], (unsigned long long)s->ok[k],
		us(lg_hist_quantile(h, 0.5)), us(lg_hist_quantile(h, 0.99)),
		us(lg_hist_quantile(h, 0.999)), us(h->max));
}

static void json_counts(FILE *f, const struct lg_stats *s)
{
	const char *sep = "";
	unsigned int i;

	fprintf(f, "\"responses\":{");
	for (i = 0; i < LG_STATUS_MAX; i++)
		if (s->status[i]) {
			fprintf(f, "%s\"%u\":%llu", sep, i,
				(unsigned long long)s->status[i]);
			sep = ",";
		}
	fprintf(f, "},\"wrong\":{\"total\":%llu",
		(unsigned long long)lg_stats_wrong(s));
	for (i = 0; i < LG_WRONG_MAX; i++)
		fprintf(f, ",\"%s\":%llu", lg_wrong_name(i),
			(unsigned long long)s->wrong[i]);
	fprintf(f, "},\"stale\":%llu,\"provisional\":%llu,\"stray\":%llu,"
		"\"unanswered\":%llu,\"send_errors\":%llu",
		(unsigned long long)s->stale, (unsigned long long)s->provisional,
		(unsigned long long)s->stray, (unsigned long long)s->unanswered,
		(unsigned long long)s->send_errors);
}

void lg_report_json(FILE *f, const struct lg_stats *s,
		    const struct lg_run_info *ri)
{
	unsigned int k;

	fprintf(f, "{\"mode\":\"%s\",\"target\":\"%s\",\"threads\":%u,"
		"\"users\":%u,\"seconds\":%.3f,\"rate\":%.0f,\"window\":%u,"
		"\"kinds\":{", ri->mode, ri->target, ri->threads, ri->users,
		ri->seconds, ri->rate, ri->window);
	for (k = 0; k < LG_KINDS; k++) {
		if (k)
			fputc(',', f);
		json_kind(f, s, k, ri);
	}
	fprintf(f, "},\"total\":{\"sent\":%llu,\"per_s\":%.1f,\"ok\":%llu},",
		(unsigned long long)total(s->sent), per_s(total(s->sent), ri),
		(unsigned long long)total(s->ok));
	json_counts(f, s);
	fprintf(f, ",\"users_ok\":%u,\"warmup_failed\":%u,\"cpu_seconds\":%.3f,"
		"\"cpu_requests\":%llu,\"cpu_us_per_request\":%.2f",
		ri->users_ok, ri->warmup_failed, ri->cpu_seconds,
		(unsigned long long)ri->cpu_requests, cpu_us_per_req(ri));
	if (ri->storm)
		storm_json(f, s, ri);
	fprintf(f, "}\n");
}
