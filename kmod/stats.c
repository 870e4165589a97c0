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

	stats = alloc_percpu(struct sipreg_pcpu_stats);
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

void sipreg_stats_read(struct sipreg_pcpu_stats __percpu *stats,
		       u64 out[__SIPREG_STAT_MAX])
{
	u64 tmp[__SIPREG_STAT_MAX];
	unsigned int start, i;
	int cpu;

	memset(out, 0, sizeof(u64) * __SIPREG_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct sipreg_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < __SIPREG_STAT_MAX; i++)
				tmp[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < __SIPREG_STAT_MAX; i++)
			out[i] += tmp[i];
	}
}
