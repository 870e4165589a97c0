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

/*
 * Adds one CPU's @cnt to @sum, a few counters per consistent read: a whole
 * snapshot on the stack is too big a frame for a KASAN kernel.
 */
#define READ_CHUNK	16

static void add_array(const struct u64_stats_sync *syncp,
		      const u64_stats_t *cnt, u64 *sum, unsigned int n)
{
	unsigned int start, i, j, k;
	u64 tmp[READ_CHUNK];

	for (i = 0; i < n; i += k) {
		k = min_t(unsigned int, n - i, READ_CHUNK);
		do {
			start = u64_stats_fetch_begin(syncp);
			for (j = 0; j < k; j++)
				tmp[j] = u64_stats_read(&cnt[i + j]);
		} while (u64_stats_fetch_retry(syncp, start));
		for (j = 0; j < k; j++)
			sum[i + j] += tmp[j];
	}
}

void sipreg_stats_read(struct sipreg_pcpu_stats __percpu *stats,
		       struct sipreg_stats_snap *out)
{
	int cpu;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct sipreg_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		add_array(&s->syncp, s->cnt, out->cnt, ARRAY_SIZE(out->cnt));
		add_array(&s->syncp, s->verdict, out->verdict,
			  ARRAY_SIZE(out->verdict));
		add_array(&s->syncp, s->miss, out->miss, ARRAY_SIZE(out->miss));
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
