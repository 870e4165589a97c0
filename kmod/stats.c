// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters: the hook only ever touches its own CPU's copy, readers
 * sum them.
 */
#include "stats.h"

struct sipreg_pcpu_stats __percpu *sipreg_stats_alloc(void)
{
	struct sipreg_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu_gfp(struct sipreg_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

void sipreg_stats_free(struct sipreg_pcpu_stats __percpu *stats)
{
	free_percpu(stats);
}

static void read_array(const struct u64_stats_sync *syncp,
		       const u64_stats_t *cnt, u64 *out, unsigned int n)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(syncp);
		for (i = 0; i < n; i++)
			out[i] = u64_stats_read(&cnt[i]);
	} while (u64_stats_fetch_retry(syncp, start));
}

static void add_array(u64 *sum, const u64 *val, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		sum[i] += val[i];
}

void sipreg_stats_read(struct sipreg_pcpu_stats __percpu *stats,
		       struct sipreg_stats_snap *out)
{
	struct sipreg_stats_snap tmp;
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct sipreg_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		read_array(&s->syncp, s->cnt, tmp.cnt, ARRAY_SIZE(tmp.cnt));
		read_array(&s->syncp, s->verdict, tmp.verdict,
			   ARRAY_SIZE(tmp.verdict));
		read_array(&s->syncp, s->miss, tmp.miss, ARRAY_SIZE(tmp.miss));
		add_array(out->cnt, tmp.cnt, ARRAY_SIZE(tmp.cnt));
		add_array(out->verdict, tmp.verdict, ARRAY_SIZE(tmp.verdict));
		add_array(out->miss, tmp.miss, ARRAY_SIZE(tmp.miss));
	}
}

/* Counters only grow, so a baseline taken earlier is never above them. */
void sipreg_stats_sub(struct sipreg_stats_snap *val,
		      const struct sipreg_stats_snap *base)
{
	u64 *v = (u64 *)val;
	const u64 *b = (const u64 *)base;
	unsigned int i;

	for (i = 0; i < sizeof(*val) / sizeof(u64); i++)
		v[i] -= b[i];
}
